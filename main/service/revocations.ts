// Removals whose access at the aggregator could not be withdrawn (it could not be reached): the connection is gone
// from this computer, and what withdrawing still needs (its remote ids and sign-in secrets) waits sealed in the vault
// under its own name until the aggregator answers, or the user says they withdrew it themselves.
import type { RevocationDto } from '../../preload/contract/channels.js';
import { AppError, type MainMessage } from '../domain/errors.js';
import type { ProviderId } from '../domain/types.js';
import type { Logger } from '../log/index.js';
import type { ConnectionContext } from '../providers/provider.js';
import type { ConnectionRow } from '../store/repositories.js';
import type { SecretStore } from '../vault/types.js';
import type { ProviderEntry, ProviderHub } from '../providers/hub.js';

interface PendingRevocation {
  connectionId: number; provider: ProviderId; institutionName: string; since: string;
  remote: Record<string, string>; secrets: Record<string, string>;
}

const PREFIX = 'revoke:';
const nameOf = (connectionId: number) => `${PREFIX}${connectionId}`;

/** how a person withdraws the access by hand: at the bank, or by asking the aggregator */
export function revocationHowTo(contact: ProviderEntry['contact'], institutionName: string): MainMessage {
  return { id: 'revocation.how_to', values: { bank: institutionName, aggregator: contact.legalName, site: contact.site } };
}

/** the aggregator says the access is already gone (or there is nothing to ask any more): withdrawing is done */
export const isGoneAtAggregator = (e: unknown): boolean =>
  e instanceof AppError && ['consent_expired', 'consent_revoked', 'not_found', 'not_configured'].includes(e.code);

export interface Revocations {
  /** keep a removal's withdrawal for later; ctx is the connection's context before its secrets are deleted */
  keep(conn: ConnectionRow, ctx: ConnectionContext): void;
  list(): RevocationDto[];
  /** ask the aggregator again; throws what it answered when it still fails */
  retry(connectionId: number): Promise<RevocationDto[]>;
  /** the user withdrew the access themselves: forget the pending withdrawal and its secrets */
  forget(connectionId: number): RevocationDto[];
  /** one quiet attempt for each pending withdrawal (at start-up); failures stay pending */
  retryAll(): Promise<void>;
}

export function createRevocations(deps: { vault: SecretStore & { names(): string[] }; hub: ProviderHub; now: () => Date; log: Logger }): Revocations {
  const { vault, hub, log } = deps;
  const read = (name: string): PendingRevocation | undefined => {
    const raw = vault.get(name);
    return raw === undefined ? undefined : (JSON.parse(raw) as PendingRevocation);
  };
  const pending = (): PendingRevocation[] =>
    vault.names().filter((n) => n.startsWith(PREFIX)).map(read).filter((p): p is PendingRevocation => !!p);
  const list = (): RevocationDto[] => pending().sort((a, b) => a.since.localeCompare(b.since)).map((p) => ({
    connectionId: p.connectionId, provider: p.provider, institutionName: p.institutionName, since: p.since,
    howTo: revocationHowTo(hub.entry(p.provider).contact, p.institutionName),
  }));

  async function attempt(connectionId: number): Promise<void> {
    const p = read(nameOf(connectionId));
    if (!p) throw new AppError('not_found', { id: 'error.nothing_to_withdraw' });
    const ctx: ConnectionContext = {
      connectionId, remote: { ...p.remote }, secrets: { ...p.secrets },
      // a refreshed token is kept for the next attempt
      saveSecrets(next) { ctx.secrets = { ...ctx.secrets, ...next }; vault.set(nameOf(connectionId), JSON.stringify({ ...p, secrets: ctx.secrets })); },
    };
    try {
      await hub.get(p.provider).remove(ctx);
    } catch (e) {
      if (!isGoneAtAggregator(e)) throw e;
    }
    vault.delete(nameOf(connectionId));
    log.info('access withdrawn at the aggregator after a local removal', { connectionId, provider: p.provider });
  }

  return {
    keep(conn, ctx) {
      const p: PendingRevocation = {
        connectionId: conn.id, provider: conn.provider, institutionName: conn.institutionName, since: deps.now().toISOString(),
        remote: { ...ctx.remote }, secrets: { ...ctx.secrets },
      };
      vault.set(nameOf(conn.id), JSON.stringify(p));
    },
    list,
    async retry(connectionId) {
      await attempt(connectionId);
      return list();
    },
    forget(connectionId) {
      vault.delete(nameOf(connectionId));
      return list();
    },
    async retryAll() {
      let all: PendingRevocation[];
      try { all = pending(); } catch { return; } // the vault cannot be opened now; the next start tries again
      for (const p of all) {
        await attempt(p.connectionId).catch((e: unknown) =>
          log.info('withdrawing access at the aggregator is still pending', { connectionId: p.connectionId, code: e instanceof AppError ? e.code : 'internal' }));
      }
    },
  };
}
