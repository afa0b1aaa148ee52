// `connections remove` while the aggregator cannot be reached (the Powens emulator stopped): a plain refusal naming
// --local-only, the local removal saying that the access was not withdrawn and how to do it, then `connections revoke`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { runningClock, testNow } from '../../helpers/clock.js';
import { configureArgs, inProcessCli } from './in-process.js';

// the bank's world and the service on one clock from a fixed instant (MULTIBANK_TEST_NOW, when set, moves it)
const now = runningClock(testNow('2026-03-11T10:00:00Z'));
let sandbox: RunningSandbox | null = null;
let dataDir = '';
afterEach(async () => {
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('removes a connection here only when its aggregator is unreachable, and withdraws the access later', async () => {
  sandbox = await startSandbox({ providers: ['powens'], now: now().toISOString() });
  dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-remove-'));
  const run = inProcessCli(dataDir, undefined, { now });
  const d = sandbox.describe().powens as { baseUrl: string; clientId: string; clientSecret: string; options: Record<string, string> };
  expect((await run(configureArgs('powens', d))).code).toBe(0);
  const banks = JSON.parse((await run(['institutions', 'powens', '--json'])).out) as Array<{ id: string; methods?: string[] }>;
  const bank = banks.find((b) => b.methods?.includes('credentials') && !b.methods.includes('webauth'))!;
  const linked = await run(['connect', 'powens', '--institution', bank.id, '--field', 'login=demo', '--field', 'password=demo1234', '--no-sync', '--json']);
  expect(linked.code, linked.err).toBe(0);
  const { connectionId } = JSON.parse(linked.out.trim().split('\n').at(-1)!) as { connectionId: number };
  await sandbox.close();
  sandbox = null;

  const refused = await run(['connections', 'remove', String(connectionId), '--delete-data']);
  expect(refused.code).toBe(1);
  expect(refused.err.trim().split('\n')).toHaveLength(1);
  expect(refused.err).toMatch(/was not removed: Multibank could not withdraw its access at Powens\..*`multibank connections remove \d+ --delete-data --local-only`/);
  expect(refused.err).not.toMatch(/\[internal\]/);

  const local = await run(['connections', 'remove', String(connectionId), '--delete-data', '--local-only']);
  expect(local.code, local.err).toBe(0);
  expect(local.out).toMatch(/removed with its data\.\nIts access was NOT withdrawn .*`multibank connections revoke \d+`.*online banking/s);
  expect(JSON.parse((await run(['connections', 'list', '--json'])).out)).toEqual([]);
  expect(JSON.parse((await run(['connections', 'revocations', '--json'])).out)).toMatchObject([{ connectionId, provider: 'powens' }]);

  const stillDown = await run(['connections', 'revoke', String(connectionId)]);
  expect(stillDown.code).toBe(1);
  expect(stillDown.err).toMatch(/Could not reach Powens/);

  sandbox = await startSandbox({ providers: ['powens'], now: now().toISOString(), ports: { powens: Number(new URL(d.baseUrl).port) } });
  const revoked = await run(['connections', 'revoke', String(connectionId), '--json']);
  expect(revoked.code, revoked.err).toBe(0);
  expect(JSON.parse(revoked.out)).toEqual({ connectionId, withdrawn: true, pending: [] });
  expect((await run(['connections', 'revocations'])).out).toBe('Nothing is waiting to be withdrawn.\n');
}, 120_000);
