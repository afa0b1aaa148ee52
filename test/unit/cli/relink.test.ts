// Issue 17: a renewal fails (a mistyped password at the bank, then the CLI gives up waiting), so the user links the same bank again with
// `multibank connect`. That once added every account a second time and so duplicated every transaction. Now the
// accounts the first connection holds are named as already linked and left out, and after the next sync every
// transaction is there once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { browse, type Person } from '../service/bank-browser.js';
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

/** the person at the bank: when the CLI prints the sign-in address, go through the bank's pages back to the CLI */
const atBank = (person: Person) => {
  let done: Promise<unknown> = Promise.resolve();
  return {
    onStdout(text: string) {
      const m = /"authorizationUrl":"([^"]+)"/.exec(text);
      if (m) done = browse(m[1], person, (u) => new URL(u).hostname === '127.0.0.1' && new URL(u).pathname === '/callback').then((landed) => fetch(landed), (e: Error) => e);
    },
    finished: () => done,
  };
};

type Tx = { id: number; accountId: number; bookingDate: string; amount: number; description: string; status: string };
const key = (t: Tx) => [t.accountId, t.bookingDate, t.amount, t.status, t.description].join('|');

it('linking the bank again after a failed renewal duplicates no account and no transaction', async () => {
  sandbox = await startSandbox({ providers: ['powens'], now: now().toISOString() });
  dataDir = mkdtempSync(join(tmpdir(), 'mb-cli-relink-'));
  const run = inProcessCli(dataDir, undefined, { now });
  const d = sandbox.describe().powens as { baseUrl: string; clientId: string; clientSecret: string; options: Record<string, string> };
  expect((await run(configureArgs('powens', d))).code).toBe(0);
  const banks = JSON.parse((await run(['institutions', 'powens', '--json'])).out) as Array<{ id: string; name: string }>;
  const tatra = banks.find((b) => b.name === 'Tatra Demo Banka')!;
  const demo = { username: 'demo', password: 'demo1234' };
  const connect = async (args: string[], person: Person, timeout = 60) => {
    const p = atBank(person);
    const r = await run(['connect', 'powens', ...args, '--json', '--timeout', String(timeout)], p.onStdout);
    await p.finished();
    return r;
  };
  const transactions = async () => JSON.parse((await run(['transactions', 'list', '--limit', '5000', '--json'])).out) as Tx[];
  const linkedAccounts = async () => (JSON.parse((await run(['accounts', 'list', '--json'])).out) as Array<{ id: number; selected: boolean }>)
    .filter((a) => a.selected).map((a) => a.id);

  const linked = await connect(['--institution', tatra.id], demo);
  expect(linked.code, linked.err).toBe(0);
  const { connectionId } = JSON.parse(linked.out.trim().split('\n').at(-1)!) as { connectionId: number };
  const before = await transactions();
  const accountsBefore = await linkedAccounts();
  expect(accountsBefore.length).toBeGreaterThan(1);
  expect(before.length).toBeGreaterThan(100);
  expect(new Set(before.map(key)).size).toBe(before.length);

  // the renewal fails: the bank refuses the mistyped password, and the CLI gives up waiting
  const renewal = await connect(['--renew', String(connectionId)], { ...demo, password: 'wrong' }, 5);
  expect(renewal.code).toBe(1);
  expect(renewal.err.trim().split('\n').at(-1)).toMatch(/\[cancelled\]$/);

  // so the user links the bank again: its accounts are named as already linked and none is added
  const again = await connect(['--institution', tatra.id], demo);
  expect(again.code, again.err).toBe(0);
  const result = JSON.parse(again.out.trim().split('\n').at(-1)!) as { connectionId: number; accounts: Array<{ id: number; selected: boolean }>; alreadyLinked: Array<{ accountId: number; connectionId: number }> };
  expect(result.connectionId).not.toBe(connectionId);
  expect(result.accounts).toHaveLength(accountsBefore.length);
  expect(result.alreadyLinked.map((l) => [l.accountId, l.connectionId])).toEqual(result.accounts.map((a) => [a.id, connectionId]));
  expect(result.accounts.filter((a) => a.selected)).toEqual([]);
  expect(again.err).toContain(`is already linked through connection ${connectionId}`);
  expect(again.err).toContain(`multibank connect powens --renew ${connectionId}`);

  // every connection synced again: the same accounts, and every transaction once
  const synced = await run(['sync', '--json']);
  expect(synced.code, synced.err).toBe(0);
  expect(await linkedAccounts()).toEqual(accountsBefore);
  const after = await transactions();
  expect(new Set(after.map(key)).size).toBe(after.length);
  expect(after.map((t) => t.id).sort((a, b) => a - b)).toEqual(before.map((t) => t.id).sort((a, b) => a - b));
}, 120_000);
