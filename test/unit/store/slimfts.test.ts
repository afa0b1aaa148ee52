import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDatabase, migrate, openDatabase, schemaVersion, type Db } from '../../../main/store/db.js';
import { MIGRATIONS } from '../../../main/store/migrations.js';
import { getTransactionDetail, listTransactions } from '../../../main/store/queries.js';
import { packRaws } from '../../../main/store/rawpages.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { runMigrationChild, schemaBeforeWithAccounts, vacuuming, walBytes } from './fixtures/migration-kill.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';

const dirs: string[] = [];
const tempFile = () => { const d = mkdtempSync(join(tmpdir(), 'mb-fts-')); dirs.push(d); return join(d, 'multibank.db'); };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const AT = '2026-06-30T10:00:00.000Z';
/** the migration that slims the FTS index (found by its text: other migrations may be ordered before it) */
const OWN = MIGRATIONS.findIndex((m) => m.includes('columnsize=0'));
const WORDS = ['rewe', 'lidl', 'miete', 'gehalt', 'tankstelle', 'apotheke', 'café', 'bäckerei'];
/** the kill test's page cache: small, so the migration's new FTS index spills to the WAL as it is built */
const CACHE_KIB = 128;
const QUERIES = ['rewe', 'lidl*', 'cafe', 'backerei', 'gehalt', 'note7', 'groceries', 'anna'];

/** A database of the schema before the migration: `n` transactions in two accounts with notes and categories, a
 *  deflated raw page, and a gap of deleted rows. */
function schemaBefore(file: string, n: number): void {
  const db = schemaBeforeWithAccounts(file, OWN, AT);
  const ins = db.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, amount, currency, status, description, counterparty_name,
    note, category, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 'EUR', 'booked', ?, ?, ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      ins.run(1 + (i % 2), `t${i}`, `2026-0${1 + (i % 6)}-1${i % 10}`, -(i % 900), `${WORDS[i % WORDS.length]} payment ${i}`,
        i % 3 ? `Anna ${WORDS[(i * 7) % WORDS.length]}` : null, i % 11 ? null : `note${i % 10}`, i % 5 ? null : 'Groceries', AT, AT);
    }
    db.prepare("INSERT INTO raw_pages (id, live, packed) VALUES (1, 2, ?)").run(packRaws([[1, '{"a":1}'], [2, '{"b":2}']], 'deflate'));
    db.prepare('UPDATE transactions SET raw_page = 1 WHERE id IN (1, 2)').run();
  })();
  // rows deleted and edited before the migration (the FTS index followed them)
  db.prepare('DELETE FROM transactions WHERE id BETWEEN 600 AND 700').run();
  db.prepare("UPDATE transactions SET description = 'lidl edited' WHERE id BETWEEN 800 AND 820").run();
  db.close();
}

/** the ids each query finds, newest first (as the list searches) */
const searchAll = (db: Db) => QUERIES.map((q) => db.prepare(`SELECT 4294967295 - (rowid & 4294967295) FROM transactions_fts
  WHERE transactions_fts MATCH ? ORDER BY rowid`).pluck().all(q));

function expectMigrated(db: Db, found: unknown[][]): void {
  expect(schemaVersion(db)).toBe(MIGRATIONS.length);
  expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'transactions_fts'").pluck().get()).toContain('columnsize=0');
  expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'transactions_fts_docsize'").pluck().get()).toBe(0);
  expect(searchAll(db)).toEqual(found);
  expect(() => db.prepare("INSERT INTO transactions_fts(transactions_fts) VALUES ('integrity-check')").run()).not.toThrow();
  expect(db.prepare("SELECT count(*) FROM app_meta WHERE key = 'vacuum.due'").pluck().get()).toBe(0);
  // the raw page packed before keeps its codec
  expect(db.prepare('SELECT codec FROM raw_pages WHERE id = 1').pluck().get()).toBe('deflate');
  expect(getTransactionDetail(db, 1).raw).toEqual({ a: 1 });
}

describe('FTS without column sizes (migration 19)', () => {
  it('finds what it found before; edits, deletes and the writer keep it in step', () => {
    const file = tempFile();
    schemaBefore(file, 3000);
    const before = new Database(file);
    const found = searchAll(before);
    before.close();
    expect(found.every((ids) => ids.length > 0)).toBe(true);
    const db = openDatabase(file);
    expectMigrated(db, found);

    // an edit re-indexes the row, a deletion takes it out (the 'delete' command with the values it was indexed with)
    db.prepare("UPDATE transactions SET description = 'zebra crossing', note = 'mynote' WHERE id = 10").run();
    db.prepare('DELETE FROM transactions WHERE id = 12').run();
    const ids = (q: string) => db.prepare('SELECT 4294967295 - (rowid & 4294967295) FROM transactions_fts WHERE transactions_fts MATCH ?').pluck().all(q);
    expect(ids('zebra')).toEqual([10]);
    expect(ids('mynote')).toEqual([10]);
    expect(ids('payment').includes(10)).toBe(false);
    expect(ids('payment').includes(12)).toBe(false);

    // rows the writer inserts skip the per-row triggers: it indexes them itself and queues nothing
    const repos = createRepositories(db);
    const acc = repos.accounts.upsertRemote(1, [{ remoteId: 'A1', name: 'A1', type: 'current', currency: 'EUR' }])[0];
    const writer = new TransactionWriter(db);
    const row = (id: string, d: string) => ({ remoteId: id, bookingDate: '2026-06-20', amount: -100, currency: 'EUR', status: 'booked' as const,
      description: d, counterpartyName: 'Quokka Shop', raw: { id } });
    writer.writePage(acc.id, [row('w1', 'wombat one'), row('w2', 'wombat two')], new RunContext(AT));
    const w = db.prepare("SELECT id FROM transactions WHERE remote_id IN ('w1', 'w2') ORDER BY id").pluck().all() as number[];
    expect(ids('wombat').sort()).toEqual(w);
    expect(ids('quokka').sort()).toEqual(w);
    expect(db.prepare('SELECT count(*) FROM transfer_queue').pluck().get()).toBe(0);
    expect(db.prepare('SELECT codec FROM raw_pages p JOIN transactions t ON t.raw_page = p.id WHERE t.id = ?').pluck().get(w[0])).toBe('brotli');
    expect(getTransactionDetail(db, w[1]).raw).toEqual({ id: 'w2' });
    // a changed row is re-indexed through the update trigger
    writer.writePage(acc.id, [row('w1', 'wallaby one')], new RunContext(AT));
    expect(ids('wombat')).toEqual([w[1]]);
    expect(ids('wallaby')).toEqual([w[0]]);
    expect(listTransactions(db, { search: 'wallaby' }).rows.map((r) => r.id)).toEqual([w[0]]);
    expect(() => db.prepare("INSERT INTO transactions_fts(transactions_fts) VALUES ('integrity-check')").run()).not.toThrow();
    expect(checkDatabase(db, 'full')).toMatchObject({ ok: true });
    db.close();
  });
});

describe('FTS migration killed', () => {
  /** how much WAL the migration writes (migrated in this process on a copy, the WAL measured before it is checkpointed away) */
  function migrationWalBytes(file: string): number {
    const copy = `${file}.copy`;
    copyFileSync(file, copy);
    const db = new Database(copy);
    db.pragma(`cache_size = -${CACHE_KIB}`);
    db.pragma('wal_autocheckpoint = 0');
    migrate(db);
    const bytes = walBytes(copy);
    db.close();
    return bytes;
  }

  it('at three points of the migration and during the VACUUM after it: the next open finishes it with nothing lost', async () => {
    const file = tempFile();
    schemaBefore(file, 40_000);
    const before = new Database(file);
    const found = searchAll(before);
    before.close();
    const wal = migrationWalBytes(file);
    expect(wal).toBeGreaterThan(0);
    // while the migration writes (its WAL past a tenth, 30 %, half of what the whole migration writes): each time the
    // database is left as it was
    for (const f of [0.1, 0.3, 0.5]) {
      expect(await runMigrationChild(file, () => walBytes(file) > f * wal, CACHE_KIB), `kill at ${f}`).toBe('killed');
      // (closing the last connection empties the WAL the killed one left, so the next kill point is measured afresh)
      const db = new Database(file);
      expect(schemaVersion(db), `kill at ${f}`).toBe(OWN);
      expect(searchAll(db)).toEqual(found);
      db.close();
    }
    // and while the VACUUM after it runs
    expect(await runMigrationChild(file, () => vacuuming(file), CACHE_KIB), 'kill during the VACUUM').toBe('killed');
    const db = openDatabase(file);
    expect(checkDatabase(db, 'full')).toMatchObject({ ok: true });
    expectMigrated(db, found);
    db.close();
  }, 180_000);
});
