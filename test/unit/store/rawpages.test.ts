import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDatabase, openDatabase, schemaVersion, type Db } from '../../../main/store/db.js';
import { MIGRATIONS } from '../../../main/store/migrations.js';
import { getTransactionDetail } from '../../../main/store/queries.js';
import { packRaws, type RawCodec, rawsOfPage, unpackRaw } from '../../../main/store/rawpages.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { runMigrationChild, schemaBeforeWithAccounts, vacuuming, walBytes } from './fixtures/migration-kill.js';
import { hash48, RunContext, TransactionWriter } from '../../../main/sync/writer.js';

const dirs: string[] = [];
const tempFile = () => { const d = mkdtempSync(join(tmpdir(), 'mb-raw-')); dirs.push(d); return join(d, 'multibank.db'); };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const AT = '2026-06-30T10:00:00.000Z';
/** the migration that moves the raws (found by its text: other migrations may be ordered before it) */
const OWN = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE raw_pages'));

/** An aggregator-like raw payload (~1 KB, a null every few rows, text with quotes and a line break). */
const rawOf = (i: number) => (i % 7 === 3 ? null : JSON.stringify({
  id: String(i), purpose: `Card payment ${i} "shop"\nline two`, amount: String(-(i % 900) / 100), labels: [], children: [],
  ...Object.fromEntries(Array.from({ length: 30 }, (_, k) => [`field${k}`, k % 3 ? null : `v${(i * k) % 97}`])),
}));

/** A database of the schema before the migration, `n` transactions in two accounts. */
function schemaBefore(file: string, n: number): void {
  const db = schemaBeforeWithAccounts(file, OWN, AT);
  const ins = db.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, amount, currency, status, description, raw_json, raw_hash,
    fingerprint, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 'EUR', 'booked', ?, ?, ?, ?, ?, ?)`);
  // the hashes as the writer stored them before: base64 SHA-1 prefixes (one row with a text that is not one)
  const b64 = (text: string, chars: number) => createHash('sha1').update(text).digest('base64').slice(0, chars);
  db.transaction(() => {
    for (let i = 1; i <= n; i++) {
      ins.run(1 + (i % 2), `t${i}`, `2026-0${1 + (i % 6)}-1${i % 10}`, -(i % 900), `Card payment ${i}`, rawOf(i), i === 5 ? 'h' : b64(`row ${i}`, 22), b64(`fp ${i}`, 16), AT, AT);
    }
  })();
  // a gap in the ids (rows deleted before the migration)
  db.prepare('DELETE FROM transactions WHERE id BETWEEN 600 AND 700').run();
  db.close();
}

/** every row's raw as it was stored before (all of them page by page, every 50th as the detail panel shows it) */
function expectRawsKept(db: Db, n: number): void {
  const ids = db.prepare('SELECT id FROM transactions ORDER BY id').pluck().all() as number[];
  expect(ids.length).toBe(n - 101);
  const stored = new Map<number, string>();
  for (const { packed, codec } of db.prepare('SELECT packed, codec FROM raw_pages').iterate() as IterableIterator<{ packed: Buffer; codec: RawCodec }>) {
    for (const [id, raw] of rawsOfPage(packed, codec)) stored.set(id, raw);
  }
  expect(ids.map((id) => stored.get(id) ?? null)).toEqual(ids.map(rawOf));
  for (const id of ids.filter((_, i) => i % 50 === 0)) {
    const before = rawOf(id);
    expect(getTransactionDetail(db, id).raw, `row ${id}`).toEqual(before === null ? null : JSON.parse(before));
  }
}

describe('raw payloads packed per page', () => {
  it.each(['deflate', 'brotli'] as const)('packs (%s) and finds each raw by transaction id', (codec) => {
    const packed = packRaws([[12, '{"a":1}'], [2, '"x\\ny"'], [123, 'null']], codec);
    expect(unpackRaw(packed, 12, codec)).toBe('{"a":1}');
    expect(unpackRaw(packed, 2, codec)).toBe('"x\\ny"');
    expect(unpackRaw(packed, 123, codec)).toBe('null');
    expect(unpackRaw(packed, 1, codec)).toBeNull();
    expect(unpackRaw(packed, 23, codec)).toBeNull();
    expect(rawsOfPage(packed, codec)).toEqual(new Map([[12, '{"a":1}'], [2, '"x\\ny"'], [123, 'null']]));
  });

  it('a changed row takes its new raw to a new page; a page no row points at is dropped', () => {
    const db = openDatabase(tempFile());
    const repos = createRepositories(db);
    const conn = repos.connections.create({ provider: 'finapi', institutionName: 'Bank', remote: {} });
    const [acc] = repos.accounts.upsertRemote(conn.id, [{ remoteId: 'A1', name: 'A', type: 'current', currency: 'EUR' }]);
    const writer = new TransactionWriter(db);
    const row = (id: string, raw: unknown) => ({ remoteId: id, bookingDate: '2026-06-01', amount: -100, currency: 'EUR', status: 'booked' as const, description: `Pay ${id}`, raw });
    writer.writePage(acc.id, [row('a', { v: 1 }), row('b', { v: 2 })], new RunContext(AT));
    const pages = () => db.prepare('SELECT id, live FROM raw_pages ORDER BY id').all();
    expect(pages()).toEqual([{ id: 1, live: 2 }]);
    writer.writePage(acc.id, [row('a', { v: 1 }), row('b', { v: 3 })], new RunContext(AT));
    expect(pages()).toEqual([{ id: 1, live: 1 }, { id: 2, live: 1 }]);
    writer.writePage(acc.id, [row('a', { v: 4 }), row('b', { v: 3 })], new RunContext(AT));
    expect(pages()).toEqual([{ id: 2, live: 1 }, { id: 3, live: 1 }]);
    const ids = db.prepare('SELECT id FROM transactions ORDER BY remote_id').pluck().all() as number[];
    expect(ids.map((id) => getTransactionDetail(db, id).raw)).toEqual([{ v: 4 }, { v: 3 }]);
    db.prepare('DELETE FROM transactions').run();
    expect(pages()).toEqual([]);
    db.close();
  });

  it('migration: every stored raw moves into pages unchanged, the column goes, the space is given back', () => {
    const file = tempFile();
    const n = 3000;
    schemaBefore(file, n);
    const sizeBefore = statSync(file).size;
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expectRawsKept(db, n);
    expect(db.prepare("SELECT count(*) FROM pragma_table_info('transactions') WHERE name = 'raw_json'").pluck().get()).toBe(0);
    // the stored hashes are the integers the writer computes now (so unchanged rows stay unchanged on the next sync)
    const hashes = db.prepare('SELECT id, raw_hash, fingerprint FROM transactions ORDER BY id').all() as Array<{ id: number; raw_hash: Buffer | null; fingerprint: Buffer }>;
    expect(hashes).toEqual(hashes.map(({ id }) => ({ id, raw_hash: id === 5 ? null : hash48(`row ${id}`), fingerprint: hash48(`fp ${id}`) })));
    expect(db.prepare("SELECT count(*) FROM app_meta WHERE key = 'vacuum.due'").pluck().get()).toBe(0);
    // rows without a raw point at no page; each page counts the rows pointing at it
    expect(db.prepare('SELECT count(*) FROM transactions WHERE raw_page IS NULL').pluck().get()).toBe(db.prepare('SELECT count(*) FROM transactions').pluck().get() as number
      - (db.prepare('SELECT sum(live) FROM raw_pages').pluck().get() as number));
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(statSync(file).size).toBeLessThan(sizeBefore / 2);
    db.close();
  });
});

describe('migration killed', () => {

  it('at several points of the migration and of the VACUUM after it: the next open finishes it with nothing lost', async () => {
    const file = tempFile();
    const n = 20_000;
    schemaBefore(file, n);
    const dbBytes = statSync(file).size;
    // while the migration writes (its WAL growing past a tenth, a third, two thirds of the old database's size): each
    // time the database is left as it was
    for (const f of [0.1, 0.3, 0.6]) {
      expect(await runMigrationChild(file, () => walBytes(file) > f * dbBytes), `kill at ${f}`).toBe('killed');
      // (closing the last connection empties the WAL the killed one left, so the next kill point is measured afresh)
      const db = new Database(file);
      expect(schemaVersion(db)).toBe(OWN);
      db.close();
    }
    // and while the VACUUM after it runs
    expect(await runMigrationChild(file, () => vacuuming(file)), 'kill during the VACUUM').toBe('killed');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(checkDatabase(db, 'full')).toMatchObject({ ok: true });
    expect(db.prepare("SELECT count(*) FROM app_meta WHERE key = 'vacuum.due'").pluck().get()).toBe(0);
    expectRawsKept(db, n);
    db.close();
  }, 180_000);
});
