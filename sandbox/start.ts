// Start the whole sandbox world: the World, the demo Ledger, every registered aggregator emulator and the control API.
import { createControlEmulator } from './core/control.js';
import type { Emulator, RunningServer } from './core/http.js';
import { serve } from './core/http.js';
import { createLedger, type DemoLedger, type LedgerOptions } from './core/ledger.js';
import { World } from './core/world.js';
import { EMULATORS } from './emulators.js';

export const DEFAULT_SEED = 42;

export interface SandboxOptions {
  seed?: number;
  /** fixed ports per provider name and for 'control'; missing ones are random free ports */
  ports?: Record<string, number>;
  /** control on portBase, providers on portBase+1, +2 ... in registry order */
  portBase?: number;
  /** only these providers (default: every one in EMULATORS) */
  providers?: string[];
  /** set the world clock first (ISO instant) */
  now?: string;
  ledger?: LedgerOptions;
}

export interface ProviderDescription { baseUrl: string; clientId?: string; clientSecret?: string; options?: Record<string, unknown>; logins?: unknown[]; [k: string]: unknown }
export type SandboxDescription = Record<string, ProviderDescription | string> & { control: string };

export interface RunningSandbox {
  world: World;
  ledger: DemoLedger;
  emulators: Record<string, Emulator>;
  urls: Record<string, string>;
  control: string;
  /** {<provider>: {baseUrl, clientId, clientSecret, options, logins, ...}, control} */
  describe(): SandboxDescription;
  close(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<RunningSandbox> {
  const world = new World(opts.seed ?? DEFAULT_SEED);
  if (opts.now) world.clock.set(opts.now);
  const ledger = createLedger(world, opts.ledger);
  const names = Object.keys(EMULATORS).filter((n) => !opts.providers || opts.providers.includes(n));
  for (const p of opts.providers ?? []) if (!(p in EMULATORS)) throw new RangeError(`No emulator registered for ${p} (have: ${Object.keys(EMULATORS).join(', ') || 'none'})`);
  const emulators: Record<string, Emulator> = {};
  for (const n of names) emulators[n] = EMULATORS[n](world, ledger);
  const urls: Record<string, string> = {};
  const servers: RunningServer[] = [];
  const portOf = (name: string, i: number) => opts.ports?.[name] ?? (opts.portBase ? opts.portBase + i : 0);
  try {
    for (const [i, n] of names.entries()) {
      const s = await serve(emulators[n], world, portOf(n, i + 1));
      servers.push(s);
      urls[n] = s.url;
    }
    const control = createControlEmulator({ world, ledger, emulators: () => emulators, urls: () => urls });
    const cs = await serve(control, world, portOf('control', 0));
    servers.push(cs);
    return {
      world, ledger, emulators, urls, control: cs.url,
      describe() {
        const out: Record<string, ProviderDescription | string> = {};
        for (const n of names) out[n] = { baseUrl: urls[n], ...(emulators[n].describe?.(urls[n]) ?? {}) };
        out.control = cs.url;
        return out as SandboxDescription;
      },
      close: async () => { await Promise.all(servers.map((s) => s.close())); },
    };
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
}
