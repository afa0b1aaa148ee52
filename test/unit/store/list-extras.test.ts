// Issue 17: the running balance of one account's list, and search over notes and categories (migration "issue 17").
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openDatabaseFile } from '../../../main/store/db.js';
import { MIGRATIONS } from '../../../main/store/migrations.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { balanceHistory, listTransactions, type TransactionListRequest } from '../../../main/store/queries.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import type { RemoteTransaction } from '../../../main/domain/types.js';
import type { TransactionDto } from '../../../preload/contract/channels.js';
import { cleanupDirs, freshDb } from '../sync/scripted.js';

afterAll(() => cleanupDirs());

function allRows(db: ReturnType<typeof freshDb>['db'], req: TransactionListRequest): TransactionDto[] {
  const out: TransactionDto[] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 500; guard++) {
    const p = listTransactions(db, { ...req, cursor });
    out.push(...p.rows);
    if (!p.nextCursor) return out;
    cursor = p.nextCursor;
  }
  throw new Error('no last page');
}

describe('running balance', () => {
  const { db } = freshDb();
  const r = createRepositories(db);
  r.accounts.upsertRemote(1, [
    { remoteId: 'A', name: 'Giro', type: 'current', currency: 'EUR', balanceCurrent: 250000, balanceCurrentDate: '2026-03-31' },
    { remoteId: 'B', name: 'Other', type: 'current', currency: 'EUR', balanceCurrent: 1, balanceCurrentDate: '2026-03-31' },
  ]);
  // a snapshot the bank corrected (777 more than the movements explain): the walk restarts from it, as the chart does
  r.accounts.saveBalance(1, '2026-02-10', 'booked', 99_777);
  const txs: RemoteTransaction[] = [];
  for (let i = 0; i < 140; i++) {
    // Jan to mid-April: rows after the newest snapshot (2026-03-31) run forwards from it; several rows a day
    const d = new Date(Date.UTC(2026, 0, 1) + Math.floor(i * 0.75) * 86_400_000).toISOString().slice(0, 10);
    txs.push({ remoteId: `t${i}`, bookingDate: d, amount: i % 9 === 0 ? 120000 : -((i * 37) % 5000) - 100, currency: 'EUR',
      status: i % 11 === 5 ? 'pending' : 'booked', description: i % 2 ? `Lidl ${i}` : `Rent ${i}`, counterpartyName: null, raw: { i } });
  }
  new TransactionWriter(db).writePage(1, txs, new RunContext('2026-04-20T00:00:00.000Z'));
  new TransactionWriter(db).writePage(2, [{ remoteId: 'x', bookingDate: '2026-02-01', amount: -5, currency: 'EUR', status: 'booked', description: 'Lidl', raw: {} }],
    new RunContext('2026-04-20T00:00:00.000Z'));
  r.transactions.update(20, { hidden: true });
  r.transactions.deleteByUser(30);
  db.prepare("update transactions set retired_at = '2026-04-01' where id = 16").run(); // a pending that never booked

  /** what the chart says: end of the row's day, less that day's later rows (a day's rows in id order) */
  const history = new Map(balanceHistory(db, 1, { from: '2025-12-31', to: '2026-04-30', today: '2026-04-20' }).map((h) => [h.date, h.balance]));
  const laterSameDay = db.prepare(`select coalesce(sum(amount), 0) from transactions where account_id = 1 and status = 'booked' and retired_at is null
    and booking_date = ? and id > ?`).pluck();
  const expected = (t: TransactionDto) => history.get(t.bookingDate)! - (laterSameDay.get(t.bookingDate, t.id) as number);

  it('is the booked balance after each row, across keyset pages, both date orders, with filters; pendings have none', () => {
    for (const req of [
      { accountIds: [1], includeHidden: true, limit: 7 }, { accountIds: [1], sort: 'date_asc' as const, limit: 9 },
      { accountIds: [1], search: 'lidl', limit: 5 }, { accountIds: [1], direction: 'out' as const, minSize: '20', limit: 6 },
    ]) {
      const rows = allRows(db, req);
      expect(rows.length, JSON.stringify(req)).toBeGreaterThan(10);
      for (const t of rows) {
        if (t.status === 'pending') expect(t.runningBalance, `pending ${t.id}`).toBeUndefined();
        else expect(t.runningBalance, `${JSON.stringify(req)} row ${t.id} ${t.bookingDate}`).toBe(expected(t));
      }
    }
    const all = allRows(db, { accountIds: [1], includeHidden: true, limit: 500 });
    expect(all.find((t) => t.id === 20)?.runningBalance).toBe(expected(all.find((t) => t.id === 20)!));
    // the snapshots hold: the last row of 2026-03-31 shows the account's balance, the last of 2026-02-10 the corrected one
    expect(all.find((t) => t.bookingDate === '2026-03-31' && t.status === 'booked')?.runningBalance).toBe(250000);
    expect(all.find((t) => t.bookingDate === '2026-02-10' && t.status === 'booked')?.runningBalance).toBe(99_777);
  });

  it('only in one account\'s list sorted by date', () => {
    expect(listTransactions(db, { accountIds: [1], sort: 'amount_desc', limit: 5 }).rows.every((t) => t.runningBalance === undefined)).toBe(true);
    expect(listTransactions(db, { accountIds: [1, 2], limit: 5 }).rows.every((t) => t.runningBalance === undefined)).toBe(true);
    expect(listTransactions(db, { limit: 5 }).rows.every((t) => t.runningBalance === undefined)).toBe(true);
  });

  it('without any balance from the bank, a running sum from zero', () => {
    db.prepare('delete from balances where account_id = 2').run();
    db.prepare('update accounts set balance_current = null where id = 2').run();
    expect(listTransactions(db, { accountIds: [2] }).rows[0].runningBalance).toBe(-5);
  });
});

describe('search covers notes and categories', () => {
  const write = (db: ReturnType<typeof freshDb>['db'], rows: Array<Partial<RemoteTransaction> & { remoteId: string }>) => new TransactionWriter(db).writePage(1,
    rows.map((t) => ({ bookingDate: '2026-03-01', amount: -100, currency: 'EUR', status: 'booked' as const, description: 'CARD PAYMENT', raw: t, ...t })),
    new RunContext('2026-03-02T00:00:00.000Z'));
  const ids = (db: ReturnType<typeof freshDb>['db'], search: string) => listTransactions(db, { search }).rows.map((t) => t.id);

  it('finds a note or a category set by hand, and forgets the old words when they change; a sync keeps them found', () => {
    const { db } = freshDb();
    const r = createRepositories(db);
    r.accounts.upsertRemote(1, [{ remoteId: 'A', name: 'Giro', type: 'current', currency: 'EUR' }]);
    write(db, [{ remoteId: 'a' }, { remoteId: 'b' }, { remoteId: 'c', description: 'Birthday cake shop' }]);
    expect(ids(db, 'birthday')).toEqual([3]);
    r.transactions.update(1, { note: 'Gift for Anna’s birthday 🎂' });
    r.transactions.update(2, { category: 'Groceries' });
    expect(ids(db, 'birthday').sort()).toEqual([1, 3]);
    expect(ids(db, 'anna')).toEqual([1]);
    expect(ids(db, 'grocer')).toEqual([2]);
    expect(listTransactions(db, { search: 'grocer', sort: 'amount_desc' }).rows.map((t) => t.id)).toEqual([2]);
    r.transactions.update(1, { note: 'Returned' });
    r.transactions.update(2, { category: null });
    expect(ids(db, 'anna')).toEqual([]);
    expect(ids(db, 'grocer')).toEqual([]);
    expect(ids(db, 'returned')).toEqual([1]);
    // the aggregator changes the description: the row is re-indexed with its note still in it
    write(db, [{ remoteId: 'a', description: 'CARD PAYMENT 2' }]);
    expect(ids(db, 'returned')).toEqual([1]);
    expect(ids(db, 'payment')).toContain(1);
  });

  it('the migration indexes the notes and categories of rows written before it', () => {
    const { db, file } = freshDb();
    db.close();
    const own = MIGRATIONS.findIndex((m) => m.includes('description, counterparty_name, note, category, content'));
    expect(own).toBeGreaterThan(6);
    // a database one step before this migration, with a note and a category already set
    const old = openDatabaseFile(`${file}.old`);
    migrate(old, MIGRATIONS.slice(0, own));
    const now = '2026-03-01T00:00:00Z';
    old.prepare("insert into connections (provider, institution_name, created_at) values ('powens', 'Bank', ?)").run(now);
    old.prepare("insert into accounts (connection_id, remote_id, name, type, currency, created_at, updated_at) values (1, 'a', 'A', 'current', 'EUR', ?, ?)").run(now, now);
    old.prepare(`insert into transactions (account_id, remote_id, booking_date, amount, currency, status, description, note, category, first_seen_at, last_seen_at)
      values (1, 'x', '2026-02-01', -100, 'EUR', 'booked', 'CARD PAYMENT', 'Dentist Dr. Novák', 'Health', ?, ?)`).run(now, now);
    // (asked of the index itself: today's list query reads columns later migrations add)
    expect(old.prepare("select count(*) from transactions_fts where transactions_fts match 'novak'").pluck().get()).toBe(0);
    migrate(old);
    expect(ids(old, 'novak')).toEqual([1]);
    expect(ids(old, 'health')).toEqual([1]);
    expect(ids(old, 'payment')).toEqual([1]);
    old.close();
  });
});

describe('amount sizes across currencies', () => {
  it('500 is ¥500 and €500.00 alike when the accounts in scope differ in decimals', () => {
    const { db } = freshDb();
    createRepositories(db).accounts.upsertRemote(1, [
      { remoteId: 'E', name: 'Euro', type: 'current', currency: 'EUR' }, { remoteId: 'J', name: 'Yen', type: 'current', currency: 'JPY' },
    ]);
    const row = (remoteId: string, amount: number, currency: string) => ({ remoteId, bookingDate: '2026-03-01', amount, currency, status: 'booked' as const, description: remoteId, raw: {} });
    const run = new RunContext('2026-03-02T00:00:00.000Z');
    new TransactionWriter(db).writePage(1, [row('eur-big', -60000, 'EUR'), row('eur-small', -500, 'EUR')], run);
    new TransactionWriter(db).writePage(2, [row('yen-big', -500, 'JPY'), row('yen-small', 499, 'JPY')], run);
    const found = (req: TransactionListRequest) => listTransactions(db, { ...req, sort: 'amount_asc' }).rows.map((t) => t.description);
    expect(found({ minSize: '500' })).toEqual(['eur-big', 'yen-big']);
    expect(found({ maxSize: '499.5' })).toEqual(['eur-small', 'yen-small']);
    expect(found({ minSize: '5', maxSize: '600', direction: 'out' })).toEqual(['eur-small', 'eur-big', 'yen-big']);
    expect(found({ minSize: '499', accountIds: [2] })).toEqual(['yen-small', 'yen-big']);
  });
});
