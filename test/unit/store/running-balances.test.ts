// Issue 23: running balances from the stored per-day sums (migration 20) give what a walk over every row gives, read the
// page's own days only, and see every write (this connection's, another connection's, a rolled-back one's undoing); the
// day sums stay the sums of their rows through the sync writer, every other write and the migration that fills them.
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabase, type Db } from '../../../main/store/db.js';
import { MIGRATIONS } from '../../../main/store/migrations.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { listTransactions, runningBalances, type TransactionListRequest } from '../../../main/store/queries.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { cleanupDirs, freshDb, tempDir, tx } from '../sync/scripted.js';

afterAll(() => cleanupDirs());

const TODAY = '2026-07-01';
const addDay = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/**
 * The reference: every booked, non-retired row's running sum from zero (a day's rows in id order), shifted so that the
 * snapshot governing the row's day holds at that snapshot's day end: the nearest booked snapshot at or after the day,
 * else the newest one, else the account's balance (on its date, else today); without any, the running sum itself.
 */
function reference(db: Db, accountId: number): Map<number, number> {
  const rows = db.prepare(`SELECT id, booking_date AS d, amount FROM transactions WHERE account_id = ? AND status = 'booked'
    AND retired_at IS NULL ORDER BY booking_date, id`).all(accountId) as Array<{ id: number; d: string; amount: number }>;
  const snaps = db.prepare(`SELECT date, amount FROM balances WHERE account_id = ? AND kind = 'booked' ORDER BY date`).all(accountId) as Array<{ date: string; amount: number }>;
  const acc = db.prepare('SELECT balance_current AS amount, balance_current_date AS date FROM accounts WHERE id = ?').get(accountId) as { amount: number | null; date: string | null };
  const newest = snaps.at(-1) ?? (acc.amount !== null ? { date: acc.date ?? TODAY, amount: acc.amount } : undefined);
  const through = (day: string) => rows.filter((r) => r.d <= day).reduce((s, r) => s + r.amount, 0);
  const out = new Map<number, number>();
  let run = 0;
  for (const r of rows) {
    run += r.amount;
    const s = snaps.find((x) => x.date >= r.d) ?? newest;
    out.set(r.id, run + (s ? s.amount - through(s.date) : 0));
  }
  return out;
}

/** A small deterministic generator (the same data on every run). */
function generator(seed: number) {
  return (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return Math.floor(seed / 65536) % n; };
}

/** Four accounts, 2025-10-01 to 2026-06-30, 0-3 rows a day inserted in shuffled order (ids do not follow dates). */
function seeded(): { db: Db; file: string } {
  const { db, file, connectionId } = freshDb();
  createRepositories(db).accounts.upsertRemote(connectionId, [1, 2, 3, 4].map((n) => ({ remoteId: `acc${n}`, name: `Account ${n}`, type: 'current', currency: 'EUR' })));
  const rand = generator(23);
  const rows: Array<[number, string, number, string, number, string | null, string | null]> = [];
  // account 1's snapshot days 2026-02-14 and 2026-04-01 have no rows: the walk meets them between two days with rows
  const empty = new Set(['2026-02-14', '2026-04-01']);
  for (const account of [1, 2, 3, 4]) {
    for (let d = '2025-10-01'; d <= '2026-06-30'; d = addDay(d, 1)) {
      if (account === 1 && empty.has(d)) continue;
      for (let k = rand(5) - 1; k > 0; k--) {
        const pending = rand(10) === 0;
        const retired = pending ? (rand(2) === 0 ? '2026-06-30' : null) : rand(40) === 0 ? '2026-06-30' : null;
        rows.push([account, d, rand(3) === 0 ? rand(200_000) : -rand(9_000) - 1, pending ? 'pending' : 'booked',
          rand(20) === 0 ? 1 : 0, rand(20) === 0 ? '2026-06-30T00:00:00Z' : null, retired]);
      }
    }
  }
  for (let i = rows.length - 1; i > 0; i--) { const j = rand(i + 1); [rows[i], rows[j]] = [rows[j], rows[i]]; }
  const insert = db.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, amount, currency, status, description, hidden,
    deleted_at, retired_at, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 'EUR', ?, ?, ?, ?, ?, '2026-06-30T00:00:00Z', '2026-06-30T00:00:00Z')`);
  const snap = db.prepare('INSERT INTO balances (account_id, date, kind, amount) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    rows.forEach(([account, d, amount, status, hidden, deleted, retired], i) =>
      insert.run(account, `r${i}`, d, amount, status, i % 3 ? `Shop ${i}` : `Rent ${i}`, hidden, deleted, retired));
    db.prepare('DELETE FROM balances').run();
    // account 1: snapshots (one on a day with rows, two on days without, a corrected one), rows after the newest one
    for (const [d, amount] of [['2025-12-31', 1_000_000], ['2026-02-14', 777], ['2026-04-01', 250_000], ['2026-05-31', 40_000]] as const) snap.run(1, d, 'booked', amount);
    snap.run(1, '2026-06-15', 'available', 5); // not a booked balance: ignored
    // account 2: no snapshot, the account's balance dated mid-way; account 3: undated (today); account 4: nothing
    db.prepare('UPDATE accounts SET balance_current = ?, balance_current_date = ? WHERE id = ?').run(300_000, '2026-03-15', 2);
    db.prepare('UPDATE accounts SET balance_current = ?, balance_current_date = NULL WHERE id = ?').run(-12_345, 3);
    db.prepare('UPDATE accounts SET balance_current = NULL, balance_current_date = NULL WHERE id = ?').run(4);
  })();
  return { db, file };
}

type PageRow = { id: number; booking_date: string; status: string };

/** Every page of a listing, as the rows runningBalances is handed. */
function pages(db: Db, req: TransactionListRequest): PageRow[][] {
  const out: PageRow[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const p = listTransactions(db, { ...req, cursor });
    out.push(p.rows.map((t) => ({ id: t.id, booking_date: t.bookingDate, status: t.status })));
    if (!p.nextCursor) return out;
    cursor = p.nextCursor;
  }
  throw new Error('no last page');
}

function expectReference(db: Db, accountId: number, page: PageRow[], label: string): void {
  const want = reference(db, accountId);
  const got = runningBalances(db, accountId, page, TODAY);
  for (const r of page) {
    if (r.status === 'pending') expect(got.has(r.id), `${label}: pending ${r.id}`).toBe(false);
    else expect(got.get(r.id), `${label}: row ${r.id} of ${r.booking_date}`).toBe(want.get(r.id));
  }
}

describe('running balances', () => {
  const { db, file } = seeded();

  it('are those of a walk over every row: filtered and unfiltered pages, both orders, around the anchor or without one', () => {
    const requests: TransactionListRequest[] = [
      { limit: 50 }, { sort: 'date_asc', limit: 7 }, { includeHidden: true, limit: 20 },
      { direction: 'out', minSize: '85', limit: 10 }, { sort: 'date_asc', direction: 'out', minSize: '70', limit: 6 },
      { direction: 'in', minSize: '1500', includeHidden: true, limit: 4 }, { from: '2026-01-10', to: '2026-02-20', limit: 15 },
      { search: 'rent', limit: 9 }, { status: 'booked', limit: 120 },
    ];
    for (const accountId of [1, 2, 3, 4]) {
      let checked = 0;
      for (const req of requests) {
        // a connection of its own: what it knows of the account grows from that listing's first page alone
        const fresh = openDatabase(file);
        try {
          for (const page of pages(fresh, { ...req, accountIds: [accountId] })) {
            expectReference(fresh, accountId, page, `account ${accountId} ${JSON.stringify(req)}`);
            checked += page.length;
          }
        } finally {
          fresh.close();
        }
      }
      expect(checked, `account ${accountId}`).toBeGreaterThan(900);
    }
    // hand-picked sparse pages: a row on each snapshot's neighbouring days, a single row, rows newer than every snapshot
    const ids = (where: string) => db.prepare(`SELECT id, booking_date, status FROM transactions WHERE account_id = 1 AND ${where}`).all() as PageRow[];
    expectReference(db, 1, ids("booking_date IN ('2026-02-13', '2026-02-15', '2026-03-31', '2026-04-02', '2025-12-31')"), 'around snapshots');
    expectReference(db, 1, ids("booking_date > '2026-05-31' AND id % 7 = 0"), 'after the newest snapshot');
    expectReference(db, 1, ids('id = (SELECT max(id) FROM transactions WHERE account_id = 1 AND status = \'booked\')'), 'one row');
  });

  it('are those of a walk over every row for pages anywhere, in any order, on one connection', () => {
    const rand = generator(7);
    for (const accountId of [1, 2, 3, 4]) {
      const fresh = openDatabase(file);
      try {
        const all = fresh.prepare('SELECT id, booking_date, status FROM transactions WHERE account_id = ? ORDER BY booking_date DESC, id DESC').all(accountId) as PageRow[];
        for (let k = 0; k < 60; k++) {
          const start = rand(all.length), span = 1 + rand(120);
          const page = all.slice(start, start + span).filter(() => rand(4) === 0);
          expectReference(fresh, accountId, page, `account ${accountId} rows ${start}+${span}`);
        }
      } finally {
        fresh.close();
      }
    }
  });

  it('reads the page\'s own days, not the days between them, once the day sums are known', () => {
    const page = pages(db, { accountIds: [1], direction: 'out', minSize: '80', limit: 10 })[0];
    expect(new Set(page.map((r) => r.booking_date)).size).toBeGreaterThan(5);
    const { db: counted, rowsRead } = countingRows(db);
    const first = runningBalances(counted, 1, page, TODAY);
    const readFirst = rowsRead();
    expect(runningBalances(counted, 1, page, TODAY)).toEqual(first);
    const ownDays = db.prepare(`SELECT count(*) FROM transactions WHERE account_id = 1 AND booking_date IN (SELECT value FROM json_each(?))`)
      .pluck().get(JSON.stringify(page.map((r) => r.booking_date))) as number;
    const spanned = db.prepare(`SELECT count(*) FROM transactions WHERE account_id = 1 AND booking_date BETWEEN ? AND ?`)
      .pluck().get(page.at(-1)!.booking_date, page[0].booking_date) as number;
    expect(spanned).toBeGreaterThan(3 * ownDays);
    expect(rowsRead() - readFirst).toBeLessThanOrEqual(ownDays);
  });

  it('see a write on the same connection, a commit by another connection, and the undoing of a rolled-back write', () => {
    const page = pages(db, { accountIds: [1], from: '2026-05-01', to: '2026-05-10', limit: 20 })[0];
    expectReference(db, 1, page, 'before');
    const add = (on: Db, remoteId: string, day: string, amount: number) => on.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, amount,
      currency, status, first_seen_at, last_seen_at) VALUES (1, ?, ?, ?, 'EUR', 'booked', '2026-06-30T00:00:00Z', '2026-06-30T00:00:00Z')`).run(remoteId, day, amount);
    // each new row lies between the page and the anchor (2026-05-31): only what is kept of the account, not the page's own days, carries it
    const top = page.find((r) => r.status === 'booked')!.id;
    const before = runningBalances(db, 1, page, TODAY).get(top)!;
    add(db, 'same-connection', '2026-05-20', -1_000);
    expect(runningBalances(db, 1, page, TODAY).get(top)).toBe(before + 1_000);
    const other = openDatabase(file);
    try {
      add(other, 'other-connection', '2026-05-21', -20_000);
      expect(runningBalances(db, 1, page, TODAY).get(top)).toBe(before + 21_000);
      other.prepare("UPDATE transactions SET retired_at = '2026-06-30' WHERE remote_id = 'same-connection'").run();
      expect(runningBalances(db, 1, page, TODAY).get(top)).toBe(before + 20_000);
    } finally {
      other.close();
    }
    db.exec('BEGIN');
    add(db, 'rolled-back', '2026-05-22', -300_000);
    expect(runningBalances(db, 1, page, TODAY).get(top)).toBe(before + 320_000);
    db.exec('ROLLBACK');
    expect(runningBalances(db, 1, page, TODAY).get(top)).toBe(before + 20_000);
    expectReference(db, 1, page, 'after');
  });
});

/** The same connection, counting the transaction rows its statements hand back (the day sums, the snapshots and the
 *  account's row are not transaction rows). */
function countingRows(db: Db): { db: Db; rowsRead: () => number } {
  let n = 0;
  const counts = (sql: string) => /FROM transactions/.test(sql) && !/sum\(amount\)/.test(sql);
  const wrap = (s: ReturnType<Db['prepare']>, sql: string): ReturnType<Db['prepare']> => {
    const proxy: ReturnType<Db['prepare']> = new Proxy(s, {
      get(target, prop) {
        const v = Reflect.get(target, prop, target) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          const r = (v as (...a: unknown[]) => unknown).apply(target, args);
          if (r === target) return proxy; // pluck(), raw(): keep counting
          if (!counts(sql)) return r;
          if (prop === 'all') n += (r as unknown[]).length;
          if (prop === 'get' && r !== undefined) n += 1;
          if (prop === 'iterate') return (function* () { for (const x of r as Iterable<unknown>) { n += 1; yield x; } })();
          return r;
        };
      },
    });
    return proxy;
  };
  const counted = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { db: counted, rowsRead: () => n };
}

describe('day sums', () => {
  /** the stored day sums against their rows' (days whose rows are gone keep a 0) */
  const expectSums = (db: Db, label: string) => expect(
    db.prepare('SELECT account_id, booking_date, amount FROM booked_day_sums WHERE amount != 0 ORDER BY 1, 2').raw().all(), label,
  ).toEqual(db.prepare(`SELECT account_id, booking_date, sum(amount) FROM transactions WHERE status = 'booked' AND retired_at IS NULL
    GROUP BY 1, 2 HAVING sum(amount) != 0 ORDER BY 1, 2`).raw().all());

  it('stay the sums of their rows through the sync writer, the user\'s edits and deletes', () => {
    const { db, connectionId } = freshDb();
    const [a, b] = createRepositories(db).accounts.upsertRemote(connectionId, ['A', 'B'].map((r) => ({ remoteId: r, name: r, type: 'current', currency: 'EUR' })));
    const writer = new TransactionWriter(db);
    const page = Array.from({ length: 40 }, (_, i) => tx(`t${i}`, addDay('2026-06-01', i % 9), -100 * (i + 1)));
    writer.writePage(a.id, [...page, tx('p1', '2026-06-20', -5_000, { status: 'pending' })], new RunContext('2026-06-21T10:00:00Z'));
    writer.writePage(b.id, page.slice(0, 5), new RunContext('2026-06-21T10:00:00Z'));
    expect(db.prepare('SELECT count(*) FROM transactions WHERE raw_page IS NOT NULL').pluck().get()).toBe(46);
    expectSums(db, 'first write');
    // changed amounts and a moved date, the pending booked under its own id a day later, a new row
    writer.writePage(a.id, [...page.slice(0, 38), tx('t38', '2026-06-05', -1), tx('t39', '2026-06-02', -99_999),
      tx('p1', '2026-06-21', -5_200), tx('t40', '2026-06-21', 12_345)], new RunContext('2026-06-22T10:00:00Z'));
    expectSums(db, 'second write');
    // a pending that is never booked and is retired
    writer.writePage(a.id, [tx('p2', '2026-06-10', -700, { status: 'pending' })], new RunContext('2026-06-10T10:00:00Z'));
    writer.retire(a.id, { from: '2026-06-01', to: '2026-06-30' }, new RunContext('2026-06-30T10:00:00Z'));
    expect(db.prepare("SELECT retired_at IS NOT NULL FROM transactions WHERE remote_id = 'p2'").pluck().get()).toBe(1);
    expectSums(db, 'retired');
    db.prepare("UPDATE transactions SET amount = amount * 2, booking_date = '2026-06-30' WHERE remote_id IN ('t3', 't4')").run();
    db.prepare('UPDATE transactions SET account_id = ? WHERE remote_id = ? AND account_id = ?').run(b.id, 't7', a.id);
    db.prepare("DELETE FROM transactions WHERE remote_id IN ('t5', 't40')").run();
    expectSums(db, 'edited and deleted');
    db.close();
  });

  it('are filled by migration 20 from the rows already stored', () => {
    const file = join(tempDir(), 'old.db');
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE booked_day_sums'))));
    old.exec(`INSERT INTO connections (id, provider, institution_name, created_at) VALUES (1, 'powens', 'Bank', '2026-01-01');
      INSERT INTO accounts (id, connection_id, remote_id, name, type, currency, created_at, updated_at) VALUES (1, 1, 'A', 'Giro', 'current', 'EUR', 'x', 'x'), (2, 1, 'B', 'Savings', 'savings', 'EUR', 'x', 'x');`);
    const add = old.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, amount, currency, status, retired_at, first_seen_at, last_seen_at)
      VALUES (?, ?, ?, ?, 'EUR', ?, ?, 'x', 'x')`);
    for (let i = 0; i < 30; i++) add.run(1 + (i % 2), `r${i}`, addDay('2026-01-01', i % 7), -(i + 1) * 10, i % 5 ? 'booked' : 'pending', i % 10 === 5 ? '2026-02-01' : null);
    old.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT count(*) FROM booked_day_sums').pluck().get()).toBeGreaterThan(7);
    expectSums(db, 'migrated');
    db.close();
  });
});
