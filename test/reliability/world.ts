// A describe block's demo world (kept apart from harness.ts, which bench/ imports outside vitest).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import type { ProviderDto } from '../../preload/contract/channels.js';
import type { MultibankService, PrefsStore } from '../../main/service/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { openService, tempDir } from './harness.js';

export interface DemoWorldOptions {
  /** the sandbox's emulators: aggregators, and 'ecb' for exchange rates */
  providers: string[];
  /** the temp data dir's name */
  dir: string;
  cipherKey: string;
  /** the sandbox clock's start (default 2026-06-15T12:00:00Z); the service lives on that clock */
  now?: string;
  /** months of bank history (default 3; `null`: the sandbox's own default) */
  months?: number | null;
  prefs?: PrefsStore;
  notify?: (title: string, body: string) => void;
}

/**
 * For one describe block: a sandbox world of `providers` at a fixed instant, and the real service over a temp data dir
 * set up by demo.start (its answer kept as `demo`); both closed and the dir removed afterwards.
 */
export function demoWorld(o: DemoWorldOptions) {
  const world = {} as { sandbox: RunningSandbox; service: MultibankService; dataDir: string; demo: ProviderDto[] };
  const months = o.months === undefined ? 3 : o.months;
  beforeAll(async () => {
    world.sandbox = await startSandbox({ providers: o.providers, now: o.now ?? '2026-06-15T12:00:00Z', ...(months === null ? {} : { ledger: { months } }) });
    world.dataDir = tempDir(o.dir);
    world.service = await openService({ dataDir: world.dataDir, cipherKey: o.cipherKey, sandbox: world.sandbox, prefs: o.prefs, notify: o.notify });
    world.demo = await world.service.call('demo.start', undefined);
  }, 60_000);
  afterAll(async () => {
    await world.service?.close();
    await world.sandbox?.close();
    if (world.dataDir) rmSync(world.dataDir, { recursive: true, force: true });
  });
  return world;
}
