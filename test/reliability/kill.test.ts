// 1. Kill during sync: the real service and sync engine in a child process, syncing a finAPI connection to the sandbox's
// bulk bank over HTTP, SIGKILLed at seeded random points (a random delay, or right after a random committed page).
// After each kill: integrity_check ok, no duplicate (account, remote id), every row committed before the kill is still
// there; the last, complete sync ends with exactly the sandbox ledger's transactions for the synced accounts.
// Default 8 kills; MULTIBANK_RELIABILITY=full: 50. Seed: MULTIBANK_KILL_SEED (printed on failure).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { runChild } from './child.js';
import { recordFigures } from './figures.js';
import { FULL, linkBulkWithoutSyncing, prng, tempDir } from './harness.js';

const KILLS = FULL ? 50 : 8;
const SEED = Number(process.env.MULTIBANK_KILL_SEED ?? 20261124);
describe('kill -9 during a sync against the sandbox', () => {
  let sandbox: RunningSandbox;
  let dataDir: string;
  const keyHex = randomBytes(32).toString('hex');

  beforeAll(async () => {
    // ~20 months of history (inside every aggregator's history limit), enough rows that a first sync takes many pages
    sandbox = await startSandbox({ providers: ['finapi'], now: '2026-06-15T12:00:00Z', ledger: { months: 20, bulk: { transactions: FULL ? 40_000 : 12_000, accounts: 2 } } });
    dataDir = tempDir('kill');
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`survives ${KILLS} SIGKILLs at random points and ends with exactly the sandbox's transactions`, async () => {
    // link in this process, then stop the first sync at once: the children do the syncing
    await linkBulkWithoutSyncing({ dataDir, cipherKey: keyHex, sandbox });

    const file = join(dataDir, 'multibank.db');
    const offsetMs = sandbox.world.clock.now().getTime() - Date.now();
    const rnd = prng(SEED);
    const bulkAccounts = sandbox.ledger.accounts({ bankId: 'bulk-bank' });
    /** after a complete sync: exactly the ledger's rows, as multisets (identical payments on one day count once each) */
    const expectLedger = (db: Database.Database, where: string) => {
      for (const acc of bulkAccounts) {
        const local = db.prepare(`select t.booking_date || '/' || t.amount || '/' || t.status from transactions t join accounts a on a.id = t.account_id
          where a.iban = ? and t.retired_at is null and t.deleted_at is null order by 1`).pluck().all(acc.iban) as string[];
        const remote = sandbox.ledger.transactions(acc.id).map((t) => `${t.bookingDate}/${t.amountMinor}/${t.status}`).sort();
        const missing = without(remote, local);
        const extra = without(local, remote);
        const why = () => JSON.stringify({ where, account: acc.id, missing, extra, runs: db.prepare('select id, outcome, error_code, requested_from, requested_to, new_count, details_json from sync_runs').all() });
        expect(missing.length + extra.length, why()).toBe(0);
      }
    };
    let previous = new Set<number>();
    let kills = 0;
    let fullRunMs = 6000;
    let rounds = 0;
    for (let round = 0; kills < KILLS && round < 3 * KILLS; round++, rounds++) {
      const where = `round ${round} (seed ${SEED})`;
      // half the kills at a random moment, half right after a random committed page (then mid-fetch or mid-write of the next)
      const kill = rnd() < 0.5 ? { afterMs: Math.floor(rnd() * fullRunMs) } : { afterPage: 1 + Math.floor(rnd() * 8) };
      const r = await runChild(dataDir, keyHex, offsetMs, kill);
      const db = new Database(file, { readonly: true });
      try {
        if (r.killed) kills++;
        else {
          // the sync finished first (often one resuming a killed one): it ends with exactly the ledger's rows
          expect(r.out, where).toMatch(/done ok/);
          expectLedger(db, where);
          fullRunMs = Math.max(300, r.ms);
          // give the next rounds new rows to write
          for (const a of bulkAccounts) sandbox.ledger.addTransactions(a.id, 40 + Math.floor(rnd() * 200));
        }
        expect(db.pragma('integrity_check', { simple: true }), where).toBe('ok');
        expect(db.prepare('select count(*) from (select account_id, remote_id from transactions group by 1, 2 having count(*) > 1)').pluck().get(), where).toBe(0);
        const ids = new Set(db.prepare('select id from transactions').pluck().all() as number[]);
        const lost = [...previous].filter((id) => !ids.has(id));
        expect(lost, `${where}: rows committed earlier are gone`).toEqual([]);
        // rows the child reported committed (counted from this run's progress events) are all there
        expect(ids.size - previous.size, `${where}: ${r.committedNew} new rows were reported committed`).toBeGreaterThanOrEqual(r.committedNew);
        previous = ids;
      } finally {
        db.close();
      }
    }
    expect(kills, `${rounds} rounds`).toBe(KILLS);

    const final = await runChild(dataDir, keyHex, offsetMs, null);
    expect(final.out).toMatch(/done ok/);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expectLedger(db, 'final sync');
    } finally {
      db.close();
    }
    recordFigures('kill', { killsSurvived: kills, childRuns: rounds + 1, killSeed: SEED });
  }, FULL ? 900_000 : 240_000);
});

/** the items of `a` left after taking away one for each item of `b` */
function without(a: string[], b: string[]): string[] {
  const left = new Map<string, number>();
  for (const x of b) left.set(x, (left.get(x) ?? 0) + 1);
  return a.filter((x) => {
    const n = left.get(x) ?? 0;
    if (n > 0) left.set(x, n - 1);
    return n === 0;
  });
}
