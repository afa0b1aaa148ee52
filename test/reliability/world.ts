// A describe block's demo world (kept apart from harness.ts, which bench/ imports outside vitest).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import type { ProviderId } from '../../main/domain/types.js';
import type { MultibankService } from '../../main/service/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { openService, tempDir } from './harness.js';

/**
 * For one describe block: a sandbox world of `providers` at a fixed instant with three months of history, and the real
 * service over a temp data dir set up by demo.start; both closed and the dir removed afterwards.
 */
export function demoWorld(o: { providers: ProviderId[]; dir: string; cipherKey: string }) {
  const world = {} as { sandbox: RunningSandbox; service: MultibankService; dataDir: string };
  beforeAll(async () => {
    world.sandbox = await startSandbox({ providers: o.providers, now: '2026-06-15T12:00:00Z', ledger: { months: 3 } });
    world.dataDir = tempDir(o.dir);
    world.service = await openService({ dataDir: world.dataDir, cipherKey: o.cipherKey, sandbox: world.sandbox });
    await world.service.call('demo.start', undefined);
  }, 60_000);
  afterAll(async () => {
    await world.service?.close();
    await world.sandbox?.close();
    if (world.dataDir) rmSync(world.dataDir, { recursive: true, force: true });
  });
  return world;
}
