// Banqware returns the person to exactly the registered redirect URL, without our state: a sign-in parked by
// `multibank connect --no-wait` is still finished by a later `--callback` run, against the Banqware emulator.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { browse } from '../service/bank-browser.js';
import { runningClock, testNow } from '../../helpers/clock.js';
import { configureArgs, inProcessCli } from './in-process.js';

// the bank's world and the service on one clock from a fixed instant (MULTIBANK_TEST_NOW, when set, moves it)
const now = runningClock(testNow('2026-03-11T10:00:00Z'));
let sandbox: RunningSandbox;
let dataDir: string;
beforeAll(async () => {
  sandbox = await startSandbox({ providers: ['banqware'], now: now().toISOString() });
  dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-bqw-'));
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('multibank connect banqware --no-wait, then --callback with the bare registered address', () => {
  it('finishes the parked sign-in: the consent at Banqware decides, not the address', async () => {
    const run = inProcessCli(dataDir, undefined, { now });
    const d = sandbox.describe().banqware as { baseUrl: string; clientId: string; clientSecret: string; options: Record<string, string> };
    const conf = await run([...configureArgs('banqware', d), '--json']);
    expect(conf.code, conf.err).toBe(0);
    const first = await run(['connect', 'banqware', '--institution', 'pl-polski', '--no-wait', '--json']);
    expect(first.code, first.err).toBe(0);
    const auth = JSON.parse(first.out).authorizationUrl as string;
    const landed = await browse(auth, { username: 'demo', password: 'demo1234' }, (u) => new URL(u).pathname === '/callback');
    expect(new URL(landed).searchParams.has('state')).toBe(false);
    const bare = landed.split('?')[0];
    const second = await run(['connect', 'banqware', '--callback', bare, '--no-sync', '--json']);
    expect(second.code, second.err).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ connectionId: 1, accounts: expect.arrayContaining([expect.objectContaining({ selected: true })]) });
    // nothing is parked any more
    const again = await run(['connect', 'banqware', '--callback', bare]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/\[link_expired\]/);
  }, 120_000);
});
