// The scripted bank of the service tests, but its accounts are cards without IBAN: after a renewal (new account ids)
// only transactions, or the user, can tell which local card each one continues.
import type { ProviderRegistry } from '../../../main/providers/hub.js';
import { scriptedProvider, scriptedWorld, type ScriptedWorld } from '../service/scripted-provider.js';

export function cardRegistry(world: ScriptedWorld): ProviderRegistry {
  return {
    powens: {
      name: 'Scripted cards', defaultBaseUrl: 'https://aggregator.example', optionNames: ['domain'], contact: { legalName: 'Scripted', site: 'aggregator.example' },
      factory: (config) => {
        const base = scriptedProvider(config, world);
        return {
          ...base,
          async listAccounts(ctx) {
            return (await base.listAccounts(ctx)).map((a) => ({ ...a, iban: null, type: 'card' as const, name: `Card ${a.remoteId.split('-')[0]}` }));
          },
        };
      },
    },
  };
}

/** both cards show the same purchases: transactions cannot tell them apart */
export function twinCardsWorld(): ScriptedWorld {
  const world = scriptedWorld();
  world.transactions.B = world.transactions.A.map((t) => ({ ...t, remoteId: `b-${t.remoteId}` }));
  return world;
}
