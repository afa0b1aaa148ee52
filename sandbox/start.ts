// Start the whole sandbox world: the World, the demo Ledger, every registered aggregator emulator and the control API.
import fs from 'node:fs';
import { createControlEmulator } from './core/control.js';
import type { Emulator, RunningServer } from './core/http.js';
import { serve } from './core/http.js';
import { readSavedWorld, writeSavedWorld, type SavedWorld } from './core/persist.js';
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
  /** keep the world in this file (sandbox/core/persist.ts): started again, it is the same world, on the same ports when free */
  stateFile?: string;
  /** a saved world that could not be read is set aside and a new one begins; this hears why */
  onStateProblem?: (message: string) => void;
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
  const saved = opts.stateFile ? loadSaved(opts.stateFile, opts.onStateProblem) : undefined;
  const world = new World(saved?.seed ?? opts.seed ?? DEFAULT_SEED);
  if (saved) world.clock.offset = saved.clockOffsetMs;
  else if (opts.now) world.clock.set(opts.now);
  const ledger = createLedger(world, saved ? { ...opts.ledger, today: saved.ledgerToday } : opts.ledger);
  if (saved) ledger.replay(saved.ledgerJournal);
  const names = Object.keys(EMULATORS).filter((n) => !opts.providers || opts.providers.includes(n));
  for (const p of opts.providers ?? []) if (!(p in EMULATORS)) throw new RangeError(`No emulator registered for ${p} (have: ${Object.keys(EMULATORS).join(', ') || 'none'})`);
  const emulators: Record<string, Emulator> = {};
  for (const n of names) {
    emulators[n] = EMULATORS[n](world, ledger);
    if (saved?.emulators[n] !== undefined) emulators[n].state?.load(saved.emulators[n]);
  }
  const urls: Record<string, string> = {};
  const servers: RunningServer[] = [];
  const portOf = (name: string, i: number) => opts.ports?.[name] ?? (opts.portBase ? opts.portBase + i : 0);
  // a saved world's ports are wishes: taken by something else, a free one is used (the app re-addresses its providers)
  const listen = async (e: Emulator, name: string, i: number) => {
    const wish = portOf(name, i) || saved?.ports[name] || 0;
    try {
      return await serve(e, world, wish);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || portOf(name, i)) throw err;
      return serve(e, world, 0);
    }
  };
  try {
    for (const [i, n] of names.entries()) {
      const s = await listen(emulators[n], n, i + 1);
      servers.push(s);
      urls[n] = s.url;
    }
    const control = createControlEmulator({ world, ledger, emulators: () => emulators, urls: () => urls });
    const cs = await listen(control, 'control', 0);
    servers.push(cs);
    const save = () => {
      if (!opts.stateFile) return;
      writeSavedWorld(opts.stateFile, {
        version: 1, seed: world.seed, clockOffsetMs: world.clock.offset, ledgerToday: ledger.builtToday, ledgerJournal: ledger.journal,
        ports: Object.fromEntries([...Object.entries(urls), ['control', cs.url]].map(([n, u]) => [n, Number(new URL(u).port)])),
        emulators: Object.fromEntries(names.map((n) => [n, emulators[n].state?.save()])),
      });
    };
    save();
    world.onChange = save;
    return {
      world, ledger, emulators, urls, control: cs.url,
      describe() {
        const out: Record<string, ProviderDescription | string> = {};
        for (const n of names) out[n] = { baseUrl: urls[n], ...(emulators[n].describe?.(urls[n]) ?? {}) };
        out.control = cs.url;
        return out as SandboxDescription;
      },
      close: async () => {
        world.onChange = () => {};
        await Promise.all(servers.map((s) => s.close()));
        save();
      },
    };
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
}

/** The saved world, or undefined (none, or unreadable: then it is kept aside as FILE.unreadable and the caller told). */
function loadSaved(file: string, onProblem: (message: string) => void = () => {}): SavedWorld | undefined {
  try {
    return readSavedWorld(file);
  } catch (e) {
    const aside = `${file}.unreadable`;
    try { fs.renameSync(file, aside); } catch { /* gone meanwhile */ }
    onProblem(`The saved demo world could not be read (${(e as Error).message}); a new one begins. The old file is kept as ${aside}.`);
    return undefined;
  }
}
