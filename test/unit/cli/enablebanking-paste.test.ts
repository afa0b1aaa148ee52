// Enable Banking returns the browser to the HTTPS page registered with the user's own application: `multibank connect
// --no-wait` parks the sign-in, and a later run given that address (`--callback`, as pasted) finishes it, once.
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
  sandbox = await startSandbox({ providers: ['enablebanking'], now: now().toISOString() });
  dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-eb-'));
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('multibank connect enablebanking --no-wait, then --callback with the pasted HTTPS address', () => {
  it('finishes the parked sign-in; the address is good once', async () => {
    const run = inProcessCli(dataDir, undefined, { now });
    const d = sandbox.describe().enablebanking as { baseUrl: string; clientId: string; clientSecret: string; options: Record<string, string>; banks: Array<{ name: string; country: string }> };
    const conf = await run([...configureArgs('enablebanking', d), '--json']);
    expect(conf.code, conf.err).toBe(0);
    const first = await run(['connect', 'enablebanking', '--institution', `${d.banks[0].country}:${d.banks[0].name}`, '--no-wait', '--json']);
    expect(first.code, first.err).toBe(0);
    const auth = JSON.parse(first.out).authorizationUrl as string;
    const landed = await browse(auth, { username: 'demo', password: 'demo1234' }, (u) => u.startsWith('https:'));
    const second = await run(['connect', 'enablebanking', '--callback', landed, '--no-sync', '--json']);
    expect(second.code, second.err).toBe(0);
    expect(JSON.parse(second.out)).toMatchObject({ connectionId: 1, accounts: expect.arrayContaining([expect.objectContaining({ selected: true })]) });
    const again = await run(['connect', 'enablebanking', '--callback', landed]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/\[link_expired\]/);
  }, 120_000);
});
