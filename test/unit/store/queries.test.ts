import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../main/store/db.js';
import { createRepositories } from '../../../main/store/repositories.js';
import {
  balanceHistory, exportRows, getTransactionDetail, highlight, listAccounts, listTransactions, monthlyInOut, overviewTotals,
  searchTerms, syncLog, topCounterparties, type TransactionListRequest, type TxSort,
} from '../../../main/store/queries.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import type { RemoteTransaction } from '../../../main/domain/types.js';
import { cleanupDirs, freshDb } from '../sync/scripted.js';

let db: Db;
const N = 600;
const shops = ['REWE Markt', 'Café Müller', 'Amazon', 'Stadtwerke', 'Gehalt ACME'];

beforeAll(() => {
  ({ db } = freshDb());
  const r = createRepositories(db);
  r.accounts.upsertRemote(1, [
    { remoteId: 'A', name: 'Giro', type: 'current', currency: 'EUR', balanceCurrent: 100000, balanceCurrentDate: '2026-03-31' },
    { remoteId: 'B', name: 'Card', type: 'card', currency: 'EUR', balanceCurrent: -5000 },
    { remoteId: 'C', name: 'USD', type: 'savings', currency: 'USD', balanceCurrent: 700 },
  ]);
  const w = new TransactionWriter(db);
  const run = new RunContext('2026-04-01T00:00:00.000Z');
  for (let a = 1; a <= 3; a++) {
    const txs: RemoteTransaction[] = [];
    for (let i = 0; i < N / 3; i++) {
      const d = new Date(Date.UTC(2025, 3, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
      const shop = shops[(i + a) % shops.length];
      // many equal dates and equal amounts on purpose: the id breaks ties
      txs.push({ remoteId: `${a}-${i}`, bookingDate: d, amount: shop.startsWith('Gehalt') ? 300000 : -((i * 7) % 13) * 100 - 100, currency: a === 3 ? 'USD' : 'EUR',
        status: i % 17 === 0 ? 'pending' : 'booked', description: `${shop} purchase ${i}`, counterpartyName: shop, raw: { i } });
    }
    for (let i = 0; i < txs.length; i += 37) w.writePage(a, txs.slice(i, i + 37), run);
  }
  r.transactions.deleteByUser(5);
  r.transactions.update(6, { hidden: true });
  db.prepare("update transactions set retired_at = 'x' where id = 7").run();
});
afterAll(() => { db.close(); cleanupDirs(); });

function allPages(req: TransactionListRequest): number[][] {
  const pages: number[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 1000; guard++) {
    const p = listTransactions(db, { ...req, cursor });
    pages.push(p.rows.map((r) => r.id));
    if (!p.nextCursor) break;
    cursor = p.nextCursor;
  }
  return pages;
}
const visibleWhere = 'deleted_at IS NULL AND retired_at IS NULL AND hidden = 0';
const ORDER: Record<TxSort, string> = { date_desc: 'booking_date DESC, id DESC', date_asc: 'booking_date, id', amount_desc: 'currency, abs(amount) DESC, id DESC', amount_asc: 'currency, abs(amount), id' };

describe('transaction queries', () => {
  it.each(['date_desc', 'date_asc', 'amount_desc', 'amount_asc'] as TxSort[])('keyset pages cover every visible row exactly once (%s)', (sort) => {
    const pages = allPages({ sort, limit: 23 });
    const ids = pages.flat();
    const expected = db.prepare(`select id from transactions where ${visibleWhere} order by ${ORDER[sort]}`).pluck().all();
    expect(ids).toEqual(expected);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(5);
    expect(ids).not.toContain(6);
    expect(ids).not.toContain(7);
    expect(pages.slice(0, -1).every((p) => p.length === 23)).toBe(true);
  });

  it('filters: accounts, dates, amounts, direction, status; hidden only when asked', () => {
    const check = (req: TransactionListRequest, where: string, params: unknown[] = []) => {
      for (const sort of ['date_desc', 'amount_asc'] as TxSort[]) {
        const ids = allPages({ ...req, sort, limit: 40 }).flat();
        expect(ids).toEqual(db.prepare(`select id from transactions where ${where} order by ${ORDER[sort]}`).pluck().all(...params));
      }
    };
    check({ accountIds: [2] }, `${visibleWhere} and account_id = 2`);
    check({ accountIds: [1, 3], from: '2025-06-01', to: '2025-07-15' }, `${visibleWhere} and account_id in (1,3) and booking_date between '2025-06-01' and '2025-07-15'`);
    check({ minSize: '3', maxSize: '9' }, `${visibleWhere} and abs(amount) between 300 and 900`);
    check({ direction: 'in' }, `${visibleWhere} and amount > 0`);
    check({ direction: 'out', status: 'pending' }, `${visibleWhere} and amount < 0 and status = 'pending'`);
    check({ includeHidden: true, accountIds: [1] }, 'deleted_at is null and retired_at is null and account_id = 1');
  });

  it('amounts by size (whatever the sign) with a direction; a range that cannot match is refused in plain words', () => {
    const check = (req: TransactionListRequest, where: string) => {
      for (const sort of ['date_desc', 'amount_desc'] as TxSort[]) {
        const ids = allPages({ ...req, sort, limit: 40 }).flat();
        expect(ids.length, JSON.stringify(req)).toBeGreaterThan(0);
        expect(ids).toEqual(db.prepare(`select id from transactions where ${visibleWhere} and ${where} order by ${ORDER[sort]}`).pluck().all());
      }
    };
    // "Min 500" keeps spending of 5.00 and more (it hid all spending when amounts were signed)
    check({ minSize: '5' }, 'abs(amount) >= 500');
    check({ minSize: '5', direction: 'out' }, 'amount <= -500');
    check({ minSize: '5', maxSize: '9', direction: 'out', accountIds: [1] }, 'amount between -900 and -500 and account_id = 1');
    check({ maxSize: '3000', minSize: '3000.00', direction: 'in' }, 'amount = 300000');
    check({ maxSize: '2', accountIds: [1, 3] }, 'abs(amount) <= 200 and account_id in (1, 3)');
    // decimals beyond the currency's round inwards: at least 5.001 is at least 5.01
    check({ minSize: '5.001', maxSize: '8.999' }, 'abs(amount) between 501 and 899');
    expect(listTransactions(db, { minSize: '5', direction: 'in', maxSize: '10' }).rows).toEqual([]);
    expect(() => listTransactions(db, { minSize: '9', maxSize: '3' })).toThrow(/smallest amount .* larger than the largest/);
    expect(() => [...exportRows(db, { minSize: '9.01', maxSize: '9' })]).toThrow(/swap them/);
  });

  it('"Largest amount" sorts by size within each currency, currencies alphabetically, across pages and accounts', () => {
    const rows = allPages({ sort: 'amount_desc', limit: 31 }).flat().map((id) => db.prepare('select currency, amount from transactions where id = ?').get(id) as { currency: string; amount: number });
    const currencies = rows.map((r) => r.currency);
    expect(currencies.indexOf('USD')).toBe(currencies.lastIndexOf('EUR') + 1);
    expect(rows[0]).toEqual({ currency: 'EUR', amount: 300000 });
    // spending and income mix by size: 1300 spent comes before 1200 spent and after the 3000.00 salary
    const eur = rows.filter((r) => r.currency === 'EUR').map((r) => Math.abs(r.amount));
    expect(eur).toEqual([...eur].sort((a, b) => b - a));
    expect(rows.filter((r) => r.currency === 'EUR').some((r) => r.amount < 0) && rows.some((r) => r.amount > 0)).toBe(true);
    // one account, several, with a search: the same order
    for (const req of [{ accountIds: [3] }, { accountIds: [1, 3] }, { search: 'amazon' }, { accountIds: [1, 3], direction: 'out' as const, minSize: '5' }]) {
      for (const sort of ['amount_desc', 'amount_asc'] as TxSort[]) {
        const where = [visibleWhere, req.accountIds ? `account_id in (${req.accountIds.join(',')})` : '1', 'search' in req ? "counterparty_name = 'Amazon'" : '1',
          'minSize' in req ? 'amount <= -500' : '1'].join(' and ');
        expect(allPages({ ...req, sort, limit: 17 }).flat(), JSON.stringify(req)).toEqual(db.prepare(`select id from transactions where ${where} order by ${ORDER[sort]}`).pluck().all());
      }
    }
  });

  it('full-text search: prefix words, diacritics, highlights, filters and every sort, no hidden/deleted/retired rows', () => {
    expect(searchTerms(' Café  "müll ')).toEqual(['cafe', 'mull']);
    expect(highlight('Café Müller purchase 3', ['cafe', 'mull'])).toBe('\u0001Café\u0002 \u0001Müller\u0002 purchase 3');
    expect(highlight('a apple 3 33', ['a', '3'])).toBe('\u0001a\u0002 apple \u00013\u0002 33');
    const expected = db.prepare(`select id from transactions where ${visibleWhere} and counterparty_name = 'Café Müller'`).pluck().all() as number[];
    for (const sort of ['date_desc', 'date_asc', 'amount_desc', 'amount_asc'] as TxSort[]) {
      const ids = allPages({ search: 'cafe mül', sort, limit: 25 }).flat();
      expect([...ids].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
      expect(ids).toEqual(db.prepare(`select id from transactions where id in (${expected.join(',')}) order by ${ORDER[sort]}`).pluck().all());
    }
    const p = listTransactions(db, { search: 'müller', limit: 3 });
    expect(p.rows[0].highlight).toMatch(/^Café \u0001Müller\u0002 purchase \d+$/);
    // with filters
    const f = allPages({ search: 'rewe', accountIds: [2], from: '2025-05-01', to: '2025-08-31', limit: 10 }).flat();
    expect(f).toEqual(db.prepare(`select id from transactions where ${visibleWhere} and counterparty_name = 'REWE Markt' and account_id = 2
      and booking_date between '2025-05-01' and '2025-08-31' order by booking_date desc, id desc`).pluck().all());
    // deleted/hidden/retired rows are not found; FTS syntax is not injectable
    for (const id of [5, 6, 7]) {
      const d = db.prepare('select description from transactions where id = ?').pluck().get(id) as string;
      expect(listTransactions(db, { search: d, limit: 50 }).rows.map((r) => r.id)).not.toContain(id);
    }
    expect(listTransactions(db, { search: 'NEAR( "x OR * -', limit: 5 }).rows).toEqual([]);
    expect(listTransactions(db, { search: 'zzzz', limit: 5 })).toEqual({ rows: [], nextCursor: null });
  });

  it('a search with nothing searchable in it (%, *, ", -, emoji) finds nothing, never everything; mixed input still works', () => {
    for (const search of ['%', '*', '"', '-', '☕', '🙂 %* -"', '́']) {
      expect(listTransactions(db, { search, limit: 5 }), search).toEqual({ rows: [], nextCursor: null });
      expect(listTransactions(db, { search, sort: 'amount_desc', accountIds: [1, 2], limit: 5 }).rows).toEqual([]);
      expect([...exportRows(db, { search })]).toEqual([]);
    }
    // blank is no search at all
    expect(listTransactions(db, { search: '   ', limit: 5 }).rows).toHaveLength(5);
    const mixed = allPages({ search: 'café -50%', limit: 5 }).flat();
    expect(mixed).toEqual(db.prepare(`select id from transactions where ${visibleWhere} and counterparty_name = 'Café Müller' and description like '% 50'
      order by booking_date desc, id desc`).pluck().all());
    expect(mixed.length).toBeGreaterThan(0);
  });

  it('a forged cursor is a validation error', () => {
    expect(() => listTransactions(db, { cursor: 'garbage' })).toThrow(/page link/);
    const c = listTransactions(db, { sort: 'date_desc', limit: 2 }).nextCursor!;
    expect(() => listTransactions(db, { sort: 'amount_asc', cursor: c })).toThrow(/page link/);
  });

  it('detail with raw payload; deleted rows are not found', () => {
    const d = getTransactionDetail(db, 1);
    expect(d).toMatchObject({ id: 1, remoteId: expect.any(String), raw: { i: expect.any(Number) }, retiredAt: null });
    expect(() => getTransactionDetail(db, 5)).toThrow();
  });
});

describe('accounts, charts, log, export', () => {
  it('accounts and totals per currency', () => {
    expect(listAccounts(db).map((a) => [a.id, a.name, a.provider, a.institutionName])).toEqual([[1, 'Giro', 'powens', 'Test Bank'], [2, 'Card', 'powens', 'Test Bank'], [3, 'USD', 'powens', 'Test Bank']]);
    expect(overviewTotals(db)).toEqual([{ currency: 'EUR', total: 95000, accounts: 2 }, { currency: 'USD', total: 700, accounts: 1 }]);
  });

  it('balance history walks back from the snapshot by booked movements', () => {
    const h = balanceHistory(db, 1, { from: '2026-03-25', to: '2026-03-31', today: '2026-04-01' });
    expect(h.map((x) => x.date)).toEqual(['2026-03-25', '2026-03-26', '2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
    expect(h.at(-1)!.balance).toBe(100000);
    for (let i = h.length - 1; i > 0; i--) {
      const moved = db.prepare("select coalesce(sum(amount),0) from transactions where account_id = 1 and status = 'booked' and retired_at is null and booking_date = ?").pluck().get(h[i].date) as number;
      expect(h[i].balance - h[i - 1].balance).toBe(moved);
    }
  });

  it('monthly income vs spending and top counterparties', () => {
    const m = monthlyInOut(db, 1, 12, '2026-03-15');
    expect(m.map((x) => x.month)).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    const may = db.prepare(`select sum(case when amount > 0 then amount else 0 end) i, -sum(case when amount < 0 then amount else 0 end) s from transactions
      where account_id = 1 and booking_date like '2025-05%' and ${visibleWhere}`).get() as { i: number; s: number };
    expect(m[1]).toEqual({ month: '2025-05', income: may.i, spending: may.s });
    const top = topCounterparties(db, 1, 3, { today: '2026-04-01' });
    expect(top[0].name).toBe('Gehalt ACME');
    expect(top).toHaveLength(3);
    expect(Math.abs(top[0].total)).toBeGreaterThanOrEqual(Math.abs(top[1].total));
  });

  it('export rows are exactly the listed rows for the same filter (one filter builder), hidden rows only when asked', () => {
    const filters: TransactionListRequest[] = [
      {}, { includeHidden: true }, { search: 'rewe' }, { search: 'rewe', includeHidden: true, accountIds: [2] }, { search: 'cafe', from: '2025-06-01', to: '2025-09-30' },
      { accountIds: [1, 3], direction: 'out', minSize: '9' }, { status: 'pending', includeHidden: true }, { search: 'zzzz' },
    ];
    for (const f of filters) {
      const listed = allPages({ ...f, sort: 'date_asc', limit: 97 }).flat();
      expect([...exportRows(db, f)].map((r) => r.id), JSON.stringify(f)).toEqual(listed);
    }
    expect(allPages({ includeHidden: true, limit: 200 }).flat()).toContain(6);
    expect([...exportRows(db, {})].map((r) => r.id)).not.toContain(6);
    expect([...exportRows(db, { includeHidden: true })].find((r) => r.id === 6)).toMatchObject({ hidden: true });
  });

  it('sync log and streamed export', () => {
    db.prepare("insert into sync_runs (connection_id, trigger, started_at, outcome, new_count) values (1, 'user', '2026-01-01T00:00:00Z', 'ok', 3)").run();
    expect(syncLog(db, { limit: 5 })[0]).toMatchObject({ connectionId: 1, institutionName: 'Test Bank', trigger: 'user', outcome: 'ok', newCount: 3 });
    expect(syncLog(db, { connectionId: 99 })).toEqual([]);
    const it = exportRows(db, { accountIds: [3], search: 'amazon' });
    const first = it.next().value!;
    expect(first).toMatchObject({ accountName: 'USD', accountCurrency: 'USD', institutionName: 'Test Bank', counterpartyName: 'Amazon' });
    const rest = [...it];
    expect(rest.length + 1).toBe(db.prepare(`select count(*) from transactions where account_id = 3 and counterparty_name = 'Amazon' and ${visibleWhere}`).pluck().get());
  });
});
