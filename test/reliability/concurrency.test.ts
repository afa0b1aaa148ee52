// Two syncs of one connection at once: two processes (say the app and the CLI) syncing the same data dir against the
// sandbox, and two sync requests at once inside one service. One process syncs a connection at a time (the sync lease):
// the other says "already syncing" and records no run; a dead owner's lease is taken over. No duplicate
// (account, remote id), integrity ok, and the data ends exactly as the sandbox's ledger.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { runChild } from './child.js';
import { recordFigures } from './figures.js';
import { linkBulkWithoutSyncing, openService, tempDir } from './harness.js';

describe('two syncs of one connection at once', () => {
  let sandbox: RunningSandbox;
  let dataDir: string;
  const keyHex = randomBytes(32).toString('hex');
  let outcomes = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ providers: ['finapi'], now: '2026-06-15T12:00:00Z', ledger: { months: 20, bulk: { transactions: 4_000, accounts: 2 } } });
    dataDir = tempDir('concurrency');
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const file = () => join(dataDir, 'multibank.db');
  function expectExactlyTheLedger() {
    const db = new Database(file(), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('select count(*) from (select account_id, remote_id from transactions group by 1, 2 having count(*) > 1)').pluck().get()).toBe(0);
      for (const acc of sandbox.ledger.accounts({ bankId: 'bulk-bank' })) {
        const local = db.prepare(`select t.booking_date || '/' || t.amount || '/' || t.status from transactions t join accounts a on a.id = t.account_id
          where a.iban = ? and t.retired_at is null and t.deleted_at is null order by 1`).pluck().all(acc.iban);
        expect(local, acc.id).toEqual(sandbox.ledger.transactions(acc.id).map((t) => `${t.bookingDate}/${t.amountMinor}/${t.status}`).sort());
      }
    } finally {
      db.close();
    }
  }

  const runs = () => {
    const db = new Database(file(), { readonly: true });
    try { return db.prepare('select id, outcome from sync_runs order by id').all() as Array<{ id: number; outcome: string }>; } finally { db.close(); }
  };
  const ALREADY = /^done error .*already syncing in another Multibank window or process/m;

  it('two processes started together: each ends ok or "already syncing", only syncing ones record a run; exactly the ledger', async () => {
    await linkBulkWithoutSyncing({ dataDir, cipherKey: keyHex, sandbox });
    const before = runs().length;
    const offsetMs = sandbox.world.clock.now().getTime() - Date.now();
    const [a, b] = await Promise.all([runChild(dataDir, keyHex, offsetMs, null), runChild(dataDir, keyHex, offsetMs, null)]);
    for (const r of [a, b]) expect(r.out, r.out.slice(-300)).toMatch(/^done ok$|already syncing/m);
    const synced = [a, b].filter((r) => /^done ok$/m.test(r.out)).length;
    expect(synced).toBeGreaterThan(0);
    expect(runs().slice(before).map((r) => r.outcome)).toEqual(Array(synced).fill('ok'));
    expectExactlyTheLedger();
    outcomes = [a, b].map((r) => /^done (ok|error)/m.exec(r.out)![1]).join(' + ');
  }, 120_000);

  it('a second process while the first holds the lease says "already syncing" and fetches nothing; a dead owner is taken over', async () => {
    const offsetMs = sandbox.world.clock.now().getTime() - Date.now();
    for (const acc of sandbox.ledger.accounts({ bankId: 'bulk-bank' })) sandbox.ledger.addTransactions(acc.id, 1000);
    const before = runs().length;
    // A stops (SIGSTOP: alive, holding the lease) right after its first committed page; B runs meanwhile
    let b: Promise<Awaited<ReturnType<typeof runChild>>> | null = null;
    const a = runChild(dataDir, keyHex, offsetMs, null, {}, (page, child) => {
      if (page !== 1) return;
      child.kill('SIGSTOP');
      b = runChild(dataDir, keyHex, offsetMs, null).finally(() => child.kill('SIGCONT'));
    });
    const first = await a;
    const second = await b!;
    expect(first.out, first.out.slice(-300)).toMatch(/^done ok$/m);
    expect(second.out, second.out.slice(-300)).toMatch(ALREADY);
    expect(second.pagesSeen).toBe(0);
    // only A's run is in the log: B never reported A's run as its own, nor made one of its own
    expect(runs().slice(before).map((r) => r.outcome)).toEqual(['ok']);
    expectExactlyTheLedger();

    // A killed after its first page: its lease names a dead process, so B takes over, and A's run is closed as interrupted
    const killed = await runChild(dataDir, keyHex, offsetMs, { afterPage: 1 });

    expect(killed.killed).toBe(true);
    expect((await runChild(dataDir, keyHex, offsetMs, null)).out).toMatch(/^done ok$/m);
    expect(runs().slice(before + 1).map((r) => r.outcome)).toEqual(['interrupted', 'ok']);
    expectExactlyTheLedger();
  }, 120_000);

  it('two sync requests at once inside one service join into one run', async () => {
    // new rows at the bank, then two requests for the same connection at the same moment
    for (const acc of sandbox.ledger.accounts({ bankId: 'bulk-bank' })) sandbox.ledger.addTransactions(acc.id, 25);
    const service = await openService({ dataDir, cipherKey: keyHex, sandbox });
    const [{ id }] = await service.call('connections.list', undefined);
    const before = (await service.call('sync.log', { connectionId: id, limit: 500 })).length;
    await Promise.all([service.call('sync.run', { connectionId: id }), service.call('sync.run', { connectionId: id }), service.call('sync.run', {})]);
    await service.idle();
    const runs = await service.call('sync.log', { connectionId: id, limit: 500 });
    expect(runs.length - before).toBe(1);
    expect(runs[0]).toMatchObject({ outcome: 'ok', newCount: 50 });
    await service.close();
    expectExactlyTheLedger();
    recordFigures('concurrency', { twoProcessOutcomes: outcomes, concurrentRequestsJoined: 3 });
  }, 60_000);
});
