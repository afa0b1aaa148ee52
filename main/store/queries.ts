// Read queries as the UI and the CLI call them. Keyset pagination only (never OFFSET); FTS5 for search.
// Rows the user deleted, pendings that were retired, and (unless asked) hidden rows are never listed.
import type { AccountDto, SyncRunDto, TransactionDetailDto, TransactionDto, TransactionPageDto, UnreadableRowDto } from '../../preload/contract/channels.js';
import { addDays } from '../domain/dates.js';
import { currencyExponent } from '../domain/money.js';
import { AppError, fromStored } from '../domain/errors.js';
import { hiddenCopies } from './copies.js';
import type { Db } from './db.js';
import { type RawCodec, unpackRaw } from './rawpages.js';
import { stmt } from './repositories.js';

export type TxSort = 'date_desc' | 'date_asc' | 'amount_desc' | 'amount_asc';

export interface TransactionFilter {
  accountIds?: number[];
  /** leave these accounts out (the copies of an account reached through several connections: main/store/copies.ts) */
  excludeAccountIds?: number[];
  search?: string;
  from?: string;
  to?: string;
  /** size of the amount whatever its sign, in the currency's main unit ("500", "12.50"); `direction` picks money in or out */
  minSize?: string;
  maxSize?: string;
  direction?: 'in' | 'out';
  status?: 'pending' | 'booked';
  /** include rows the user hid (default false) */
  includeHidden?: boolean;
  /** only this category; null: only rows without one */
  category?: string | null;
}

export interface TransactionListRequest extends TransactionFilter {
  sort?: TxSort;
  cursor?: string;
  limit?: number;
}

interface TxRaw {
  id: number; account_id: number; remote_id: string; booking_date: string; value_date: string | null; amount: number; currency: string;
  status: 'pending' | 'booked'; description: string; counterparty_name: string | null; counterparty_iban: string | null;
  category: string | null; note: string | null; hidden: number; raw_packed?: Buffer | null; raw_codec?: RawCodec | null; first_seen_at?: string; last_seen_at?: string;
  retired_at?: string | null; deleted_at?: string | null; transfer_id: number | null;
}

const TX_COLS = `t.id, t.account_id, t.booking_date, t.value_date, t.amount, t.currency, t.status, t.description, t.counterparty_name,
  t.counterparty_iban, t.category, t.note, t.hidden, t.transfer_id`;

export function toTransactionDto(r: TxRaw): TransactionDto {
  return {
    id: r.id, accountId: r.account_id, bookingDate: r.booking_date, valueDate: r.value_date, amount: r.amount, currency: r.currency,
    status: r.status, description: r.description, counterpartyName: r.counterparty_name, counterpartyIban: r.counterparty_iban,
    category: r.category, note: r.note, hidden: r.hidden === 1, ...(r.transfer_id !== null ? { transferId: r.transfer_id } : {}),
  };
}

// ---------------------------------------------------------------- search text

const DIACRITICS = /[\u0300-\u036f]/g;
/** The words of a search as FTS5 sees them (unicode61, diacritics removed, lower case). */
export function searchTerms(search: string | undefined): string[] {
  if (!search) return [];
  return search.normalize('NFKD').replace(DIACRITICS, '').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean).slice(0, 8);
}
/**
 * Every word must match, each as a prefix (search as you type) except single characters, which match whole words
 * (a one-letter prefix would merge most of the index); quoted so no FTS syntax can be injected.
 */
export function ftsQuery(terms: string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"${t.length > 1 ? '*' : ''}`).join(' AND ');
}

/** Wrap the words of `text` that start with a search term in \u0001 ... \u0002 (what the contract asks). */
export function highlight(text: string, terms: string[]): string {
  if (!terms.length || !text) return text;
  let out = '';
  const re = /[\p{L}\p{N}\p{M}]+/gu;
  let last = 0;
  for (const m of text.matchAll(re)) {
    const word = m[0];
    const norm = word.normalize('NFKD').replace(DIACRITICS, '').toLowerCase();
    if (terms.some((t) => (t.length > 1 ? norm.startsWith(t) : norm === t))) {
      out += text.slice(last, m.index) + '\u0001' + word + '\u0002';
      last = m.index! + word.length;
    }
  }
  return out + text.slice(last);
}

// ---------------------------------------------------------------- keyset cursors

/** where a page ends: [booking date, id] for the date sorts, [currency, size, id] for the amount sorts */
type CursorKey = [string, number] | [string, number, number];
function encodeCursor(sort: TxSort, key: CursorKey): string {
  return Buffer.from(JSON.stringify([sort, ...key])).toString('base64url');
}
function decodeCursor(sort: 'date_desc' | 'date_asc', cursor: string): [string, number];
function decodeCursor(sort: 'amount_desc' | 'amount_asc', cursor: string): [string, number, number];
function decodeCursor(sort: TxSort, cursor: string): CursorKey {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    const ints = (xs: unknown[]) => xs.every((x) => Number.isInteger(x));
    if (Array.isArray(v) && v[0] === sort && typeof v[1] === 'string'
      && (isDateSort(sort) ? v.length === 3 && ints(v.slice(2)) : v.length === 4 && ints(v.slice(2)))) return v.slice(1) as CursorKey;
  } catch { /* fall through */ }
  throw new AppError('validation', { id: 'error.page_link_stale' });
}

const isDateSort = (sort: TxSort): sort is 'date_desc' | 'date_asc' => sort === 'date_desc' || sort === 'date_asc';
const DIR = (sort: TxSort) => (sort.endsWith('desc') ? { dir: 'DESC', op: '<' } : { dir: 'ASC', op: '>' });

/** A size ("12.5") in the minor units of a currency with `exp` decimals, rounded inwards: a minimum up, a maximum down. */
function sizeBound(size: string, exp: number, min: boolean): number {
  const [whole, frac = ''] = size.split('.');
  const kept = Number(whole + frac.slice(0, exp).padEnd(exp, '0'));
  return min && /[1-9]/.test(frac.slice(exp)) ? kept + 1 : kept;
}

/**
 * `size >= min` / `size <= max` in each row's own minor units: 500 is ¥500 and €500.00 alike. The currencies of the accounts
 * in scope decide: one number of decimals is a plain bound (checked in the index), several a bound per currency.
 */
function sizeWhere(db: Db, f: TransactionFilter, where: string[], params: unknown[]): void {
  if (f.minSize === undefined && f.maxSize === undefined) return;
  if (f.minSize !== undefined && f.maxSize !== undefined && sizeBound(f.minSize, 4, true) > sizeBound(f.maxSize, 4, false)) {
    throw new AppError('validation', { id: 'error.amount_range_swapped' });
  }
  const ids = f.accountIds?.length ? f.accountIds : null;
  const codes = stmt(db, `SELECT DISTINCT currency FROM accounts ${ids ? `WHERE id IN (${ids.map(() => '?').join(',')})` : ''}`).pluck().all(...(ids ?? [])) as string[];
  const expOf = (c: string) => { try { return currencyExponent(c); } catch { return 2; } };
  const odd = codes.filter((c) => expOf(c) !== 2);
  const size = f.direction === 'out' ? '-t.amount' : f.direction === 'in' ? 't.amount' : 'abs(t.amount)';
  for (const [text, min] of [[f.minSize, true], [f.maxSize, false]] as const) {
    if (text === undefined) continue;
    if (new Set(codes.map(expOf)).size <= 1) { where.push(`${size} ${min ? '>=' : '<='} ?`); params.push(sizeBound(text, codes.length ? expOf(codes[0]) : 2, min)); continue; }
    where.push(`${size} ${min ? '>=' : '<='} CASE t.currency ${odd.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END`);
    params.push(...odd.flatMap((c) => [c, sizeBound(text, expOf(c), min)]), sizeBound(text, 2, min));
  }
}

function buildWhere(db: Db, f: TransactionFilter, params: unknown[]): string[] {
  const where = ['t.deleted_at IS NULL', 't.retired_at IS NULL'];
  if (!f.includeHidden) where.push('t.hidden = 0');
  if (f.accountIds && f.accountIds.length) {
    if (f.accountIds.length === 1) { where.push('t.account_id = ?'); params.push(f.accountIds[0]); }
    else { where.push(`t.account_id IN (${f.accountIds.map(() => '?').join(',')})`); params.push(...f.accountIds); }
  }
  if (f.excludeAccountIds?.length) { where.push(`t.account_id NOT IN (${f.excludeAccountIds.map(() => '?').join(',')})`); params.push(...f.excludeAccountIds); }
  if (f.from) { where.push('t.booking_date >= ?'); params.push(f.from); }
  if (f.to) { where.push('t.booking_date <= ?'); params.push(f.to); }
  sizeWhere(db, f, where, params);
  if (f.direction === 'in') where.push('t.amount > 0');
  if (f.direction === 'out') where.push('t.amount < 0');
  if (f.status) { where.push('t.status = ?'); params.push(f.status); }
  if (f.category === null) where.push('t.category IS NULL');
  else if (f.category !== undefined) { where.push('t.category = ?'); params.push(f.category); }
  return where;
}

// The FTS rowid is (2^20 - days since 1970-01-01) * 2^32 + (2^32 - 1 - id) (migration 7): matches come out newest first
// when FTS5 walks its doclists forwards (its cheap direction), oldest first backwards.
const TWO32 = 4294967296;
const DAY_BASE = 1048576;
const epochDay = (date: string) => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);
/** The FTS rowid of a transaction. */
export const ftsKey = (bookingDate: string, id: number) => (DAY_BASE - epochDay(bookingDate)) * TWO32 + (TWO32 - 1 - id);
const idOfKey = (key: number) => TWO32 - 1 - (key - Math.floor(key / TWO32) * TWO32);
const FTS_IDS = 'SELECT 4294967295 - (rowid & 4294967295) FROM transactions_fts WHERE transactions_fts MATCH ?';

/** Search sorted by date: walk the FTS matches in rowid (= date, id) order and keep those that pass the filters. */
function searchByDate(db: Db, req: TransactionListRequest, sort: 'date_desc' | 'date_asc', terms: string[], limit: number): TxRaw[] {
  let lo = Number.MIN_SAFE_INTEGER;
  let hi = Number.MAX_SAFE_INTEGER;
  // later dates have smaller keys
  if (req.to) lo = Math.max(lo, (DAY_BASE - epochDay(req.to)) * TWO32);
  if (req.from) hi = Math.min(hi, (DAY_BASE - epochDay(req.from) + 1) * TWO32 - 1);
  if (req.cursor) {
    const [d, id] = decodeCursor(sort, req.cursor);
    const k = ftsKey(String(d), id);
    if (sort === 'date_desc') lo = Math.max(lo, k + 1); else hi = Math.min(hi, k - 1);
  }
  const params: unknown[] = [];
  const where = buildWhere(db, { ...req, from: undefined, to: undefined }, params);
  const row = stmt(db, `SELECT ${TX_COLS} FROM transactions t WHERE t.id = ? AND ${where.join(' AND ')}`);
  const matches = stmt(db, `SELECT rowid FROM transactions_fts WHERE transactions_fts MATCH ? AND rowid BETWEEN ? AND ?
    ORDER BY rowid ${sort === 'date_desc' ? 'ASC' : 'DESC'}`).pluck();
  const out: TxRaw[] = [];
  for (const key of matches.iterate(ftsQuery(terms), lo, hi) as IterableIterator<number>) {
    const r = row.get(idOfKey(key), ...params) as TxRaw | undefined;
    if (r) { out.push(r); if (out.length > limit) break; }
  }
  return out;
}

/** One page of transactions, newest (or largest ...) first, continuing after `cursor`. */
export function listTransactions(db: Db, req: TransactionListRequest): TransactionPageDto {
  const sort = req.sort ?? 'date_desc';
  const limit = Math.min(Math.max(req.limit ?? 50, 1), 500);
  const terms = searchTerms(req.search);
  // a search with nothing searchable in it ("%", "-", an emoji) finds nothing, never everything
  if (!terms.length && req.search?.trim()) return { rows: [], nextCursor: null };
  const balances = req.accountIds?.length === 1 && isDateSort(sort) ? req.accountIds[0] : null;
  if (terms.length && isDateSort(sort)) return page(db, searchByDate(db, req, sort, terms, limit), sort, limit, terms, balances);
  if (!terms.length && req.accountIds && req.accountIds.length > 1 && req.accountIds.length <= 50) {
    // several accounts: one keyset query per account (each walks its own index in order), merged here; never a sort of
    // all their rows, and never a scan of other accounts' rows
    const ids = [...new Set(req.accountIds)];
    const lists = ids.map((id) => fetchPage(db, { ...req, accountIds: [id] }, sort, limit));
    const sign = sort.endsWith('desc') ? -1 : 1;
    const cmp = isDateSort(sort)
      ? (a: TxRaw, b: TxRaw) => sign * ((a.booking_date < b.booking_date ? -1 : a.booking_date > b.booking_date ? 1 : 0) || a.id - b.id)
      : (a: TxRaw, b: TxRaw) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0) || sign * ((Math.abs(a.amount) - Math.abs(b.amount)) || a.id - b.id);
    return page(db, lists.flat().sort(cmp).slice(0, limit + 1), sort, limit, terms, balances);
  }
  return page(db, fetchPage(db, req, sort, limit), sort, limit, terms, balances);
}

function fetchPage(db: Db, req: TransactionListRequest, sort: TxSort, limit: number): TxRaw[] {
  if (!isDateSort(sort)) return fetchBySize(db, req, sort, limit);
  const { dir, op } = DIR(sort);
  const params: unknown[] = [];
  const where = filterWhere(db, req, params);
  if (req.cursor) {
    where.push(`(t.booking_date, t.id) ${op} (?, ?)`);
    params.push(...decodeCursor(sort, req.cursor));
  }
  const from = req.accountIds?.length === 1 && !searchTerms(req.search).length ? 'transactions t INDEXED BY tx_by_account_date' : 'transactions t';
  const sql = `SELECT ${TX_COLS} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY t.booking_date ${dir}, t.id ${dir} LIMIT ${limit + 1}`;
  return stmt(db, sql).all(...params) as TxRaw[];
}

/** The filters, search included, as SQL conditions on `t`. */
function filterWhere(db: Db, f: TransactionFilter, params: unknown[]): string[] {
  const where = buildWhere(db, f, params);
  const terms = searchTerms(f.search);
  if (terms.length) { where.push(`t.id IN (${FTS_IDS})`); params.push(ftsQuery(terms)); }
  return where;
}

/**
 * Sorted by size (largest or smallest first) within each currency, currencies in alphabetical order: without exchange
 * rates, 100 JPY and 100 EUR cannot be compared. One keyset query per currency (tx_by_size; one account's rows are read
 * from tx_by_account_date and sorted), the next currency found by an index seek, until the page is full.
 */
function fetchBySize(db: Db, req: TransactionListRequest, sort: 'amount_desc' | 'amount_asc', limit: number): TxRaw[] {
  const { dir, op } = DIR(sort);
  const after = req.cursor ? decodeCursor(sort, req.cursor) : null;
  const one = req.accountIds?.length === 1 && !searchTerms(req.search).length;
  const scope = req.accountIds?.length ? `AND account_id IN (${req.accountIds.map(() => '?').join(',')})` : '';
  const nextCurrency = stmt(db, `SELECT min(currency) FROM transactions WHERE currency > ? ${scope}`).pluck();
  const out: TxRaw[] = [];
  for (let currency = after ? after[0] : nextCurrency.get('', ...(req.accountIds ?? [])) as string | null; currency !== null && out.length <= limit;
    currency = nextCurrency.get(currency, ...(req.accountIds ?? [])) as string | null) {
    const params: unknown[] = [];
    const where = filterWhere(db, req, params);
    where.push('t.currency = ?');
    params.push(currency);
    if (after && after[0] === currency) {
      // spelled out (not a row value) so the index seeks to the size instead of walking from the currency's start
      where.push(`abs(t.amount) ${op}= ? AND (abs(t.amount) ${op} ? OR t.id ${op} ?)`);
      params.push(after[1], after[1], after[2]);
    }
    out.push(...stmt(db, `SELECT ${TX_COLS} FROM transactions t ${one ? 'INDEXED BY tx_by_account_date' : ''} WHERE ${where.join(' AND ')}
      ORDER BY abs(t.amount) ${dir}, t.id ${dir} LIMIT ${limit + 1 - out.length}`).all(...params) as TxRaw[]);
  }
  return out;
}

function page(db: Db, raw: TxRaw[], sort: TxSort, limit: number, terms: string[], balanceOf: number | null): TransactionPageDto {
  const more = raw.length > limit;
  const kept = more ? raw.slice(0, limit) : raw;
  const balances = balanceOf !== null ? runningBalances(db, balanceOf, kept) : null;
  const rows = kept.map((r) => {
    const dto = toTransactionDto(r);
    if (terms.length) dto.highlight = highlight(r.description, terms);
    const balance = balances?.get(r.id);
    if (balance !== undefined) dto.runningBalance = balance;
    return dto;
  });
  const last = kept[kept.length - 1];
  const nextCursor = more && last
    ? encodeCursor(sort, isDateSort(sort) ? [last.booking_date, last.id] : [last.currency, Math.abs(last.amount), last.id]) : null;
  return { rows, nextCursor };
}

/** One transaction as the list shows it (also after an edit); deleted rows are not found. */
export function getTransaction(db: Db, id: number): TransactionDto {
  const r = stmt(db, `SELECT ${TX_COLS} FROM transactions t WHERE t.id = ? AND t.deleted_at IS NULL`).get(id) as TxRaw | undefined;
  if (!r) throw new AppError('not_found');
  return toTransactionDto(r);
}

/** All fields plus the aggregator's raw payload. */
export function getTransactionDetail(db: Db, id: number): TransactionDetailDto {
  const r = stmt(db, `SELECT ${TX_COLS}, t.remote_id, p.packed AS raw_packed, p.codec AS raw_codec, t.first_seen_at, t.last_seen_at, t.retired_at, t.category_by
    FROM transactions t LEFT JOIN raw_pages p ON p.id = t.raw_page WHERE t.id = ? AND t.deleted_at IS NULL`).get(id) as TxRaw | undefined;
  if (!r) throw new AppError('not_found');
  const rawJson = r.raw_packed ? unpackRaw(r.raw_packed, id, r.raw_codec!) : null;
  let raw: unknown = null;
  try { raw = rawJson ? JSON.parse(rawJson) : null; } catch { raw = rawJson; }
  return { ...toTransactionDto(r), remoteId: r.remote_id, raw, firstSeenAt: r.first_seen_at!, lastSeenAt: r.last_seen_at!, retiredAt: r.retired_at ?? null,
    categoryBy: (r as TxRaw & { category_by: 'user' | 'rule' | null }).category_by };
}

// ---------------------------------------------------------------- accounts and overview

interface AccountDtoRaw {
  id: number; connection_id: number; provider: string; institution_name: string; bank: string; name: string; iban: string | null; number: string | null;
  type: string; currency: string; balance_current: number | null; balance_current_date: string | null; balance_available: number | null;
  balance_available_date: string | null; selected: number; last_success_at: string | null; removed_at: string | null;
}
const toAccountDto = (r: AccountDtoRaw): AccountDto => ({
  id: r.id, connectionId: r.connection_id, provider: r.provider, institutionName: r.institution_name, bankName: r.bank, name: r.name, iban: r.iban,
  number: r.number, type: r.type, currency: r.currency, balanceCurrent: r.balance_current, balanceCurrentDate: r.balance_current_date,
  balanceAvailable: r.balance_available, balanceAvailableDate: r.balance_available_date, selected: r.selected === 1,
  lastSuccessAt: r.last_success_at,
});
const ACCOUNT_DTO_SQL = `SELECT a.*, c.provider, c.institution_name, coalesce(a.bank_name, c.institution_name) AS bank, c.last_success_at, c.removed_at
  FROM accounts a JOIN connections c ON c.id = a.connection_id`;

/** Accounts grouped by connection (connection id, then account id). Removed connections' accounts stay listed (read-only) unless excluded. */
export function listAccounts(db: Db, opts: { connectionId?: number; selectedOnly?: boolean; excludeRemoved?: boolean } = {}): AccountDto[] {
  const rows = stmt(db, `${ACCOUNT_DTO_SQL} ORDER BY a.connection_id, a.id`).all() as AccountDtoRaw[];
  return rows.filter((r) => (opts.connectionId === undefined || r.connection_id === opts.connectionId)
    && (!opts.selectedOnly || r.selected === 1) && (!opts.excludeRemoved || !r.removed_at)).map(toAccountDto);
}

export function getAccount(db: Db, id: number): AccountDto {
  const r = stmt(db, `${ACCOUNT_DTO_SQL} WHERE a.id = ?`).get(id) as AccountDtoRaw | undefined;
  if (!r) throw new AppError('not_found');
  return toAccountDto(r);
}

/** Totals of current balances per currency over the selected accounts, each bank account once (main/store/copies.ts). */
export function overviewTotals(db: Db): Array<{ currency: string; total: number; accounts: number }> {
  const copies = hiddenCopies(db);
  return stmt(db, `SELECT currency, coalesce(sum(balance_current), 0) AS total, count(*) AS accounts FROM accounts
    WHERE selected = 1 ${copies.length ? `AND id NOT IN (${copies.map(() => '?').join(',')})` : ''} GROUP BY currency ORDER BY currency`)
    .all(...copies) as Array<{ currency: string; total: number; accounts: number }>;
}

// ---------------------------------------------------------------- charts

const DAY = 86_400_000;

/**
 * Daily balance of an account: anchored on balance snapshots (the newest one at or after each day), moved back and forth
 * by the booked transactions of each day. Without any snapshot, the account's current balance is the anchor; without that,
 * the running sum from zero.
 */
export function balanceHistory(db: Db, accountId: number, opts: { from?: string; to?: string; today?: string } = {}): Array<{ date: string; balance: number }> {
  const acc = stmt(db, 'SELECT balance_current, balance_current_date FROM accounts WHERE id = ?').get(accountId) as { balance_current: number | null; balance_current_date: string | null } | undefined;
  if (!acc) throw new AppError('not_found');
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const to = opts.to ?? today;
  const span = stmt(db, `SELECT min(booking_date) FROM transactions WHERE account_id = ? AND status = 'booked' AND retired_at IS NULL`).pluck().get(accountId) as string | null;
  let from = opts.from ?? (span && span > addDays(to, -730) ? span : addDays(to, -365));
  if (from > to) return [];
  if ((Date.parse(to) - Date.parse(from)) / DAY > 3660) from = addDays(to, -3660);
  // daily sums of booked movements, kept by migration 20 (deleted/hidden rows still moved the money; retired pendings never did)
  const sums = new Map(stmt(db, 'SELECT booking_date, amount FROM booked_day_sums WHERE account_id = ? AND booking_date >= ?')
    .raw().all(accountId, from) as Array<[string, number]>);
  const snaps = stmt(db, `SELECT date, amount FROM balances WHERE account_id = ? AND kind = 'booked' ORDER BY date`).all(accountId) as Array<{ date: string; amount: number }>;
  let anchor: { date: string; amount: number } | null = snaps.length ? snaps[snaps.length - 1] : null;
  if (!anchor && acc.balance_current != null) anchor = { date: acc.balance_current_date ?? today, amount: acc.balance_current };
  const snapAt = new Map(snaps.map((s) => [s.date, s.amount]));
  // end-of-day balances; walk backwards from the anchor, forwards after it
  const out = new Map<string, number>();
  if (anchor) {
    let bal = anchor.amount;
    const last = anchor.date > to ? anchor.date : to;
    // forwards from the anchor to `last`
    let d = anchor.date;
    out.set(d, bal);
    while (d < last) { d = addDays(d, 1); bal += sums.get(d) ?? 0; out.set(d, bal); }
    // backwards: balance at end of d-1 = balance at end of d - movements of d; a snapshot resets the walk
    bal = anchor.amount;
    d = anchor.date;
    while (d > from) { bal -= sums.get(d) ?? 0; d = addDays(d, -1); const snap = snapAt.get(d); if (snap !== undefined) bal = snap; out.set(d, bal); }
  } else {
    let bal = 0;
    const before = stmt(db, `SELECT coalesce(sum(amount), 0) FROM transactions WHERE account_id = ? AND status = 'booked' AND retired_at IS NULL AND booking_date < ?`).pluck().get(accountId, from) as number;
    bal = before;
    for (let d = from; d <= to; d = addDays(d, 1)) { bal += sums.get(d) ?? 0; out.set(d, bal); }
  }
  const res: Array<{ date: string; balance: number }> = [];
  for (let d = from; d <= to; d = addDays(d, 1)) { const b = out.get(d); if (b !== undefined) res.push({ date: d, balance: b }); }
  return res;
}

/**
 * The booked balance after each booked row of a page of one account (pending rows have none), as balanceHistory tells
 * it: the end-of-day balance from the nearest snapshot at or after the row's day (else the newest snapshot or the
 * account's balance, else a running sum from zero), less the same day's later rows (a day's rows in id order). Deleted
 * and hidden rows moved the money and count; retired pendings never did. The days between the page and its anchor are
 * read from the day sums (migration 20); only the page's own days are read row by row.
 */
export function runningBalances(db: Db, accountId: number, rows: Array<{ id: number; booking_date: string; status: string }>,
  today = new Date().toISOString().slice(0, 10)): Map<number, number> {
  const out = new Map<number, number>();
  const booked = rows.filter((r) => r.status === 'booked');
  if (!booked.length) return out;
  /** each page day's oldest row: the day is read from its newest row down to it */
  const oldestOn = new Map<string, number>();
  for (const r of booked) oldestOn.set(r.booking_date, Math.min(r.id, oldestOn.get(r.booking_date) ?? r.id));
  const pageDays = [...oldestOn.keys()].sort();
  const snaps = stmt(db, `SELECT date, amount FROM balances WHERE account_id = ? AND kind = 'booked' ORDER BY date`).all(accountId) as Array<{ date: string; amount: number }>;
  const acc = stmt(db, 'SELECT balance_current, balance_current_date FROM accounts WHERE id = ?').get(accountId) as { balance_current: number | null; balance_current_date: string | null };
  const latest = snaps.at(-1) ?? (acc.balance_current != null ? { date: acc.balance_current_date ?? today, amount: acc.balance_current } : null);
  // the day sums from the oldest day asked about (the page's, the anchor's; all of them when a running sum starts at zero)
  const from = !latest ? '' : latest.date < pageDays[0] ? latest.date : pageDays[0];
  const days = stmt(db, 'SELECT booking_date, amount FROM booked_day_sums WHERE account_id = ? AND booking_date >= ? ORDER BY booking_date DESC')
    .raw().all(accountId, from) as Array<[string, number]>;
  /** after[i]: the movements on the days newer than days[i] */
  const after = [0];
  for (const [, amount] of days) after.push(after[after.length - 1] + amount);
  /** the movements on the days after day `d` */
  const movedAfter = (d: string) => {
    let lo = 0, hi = days.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (days[mid][0] > d) lo = mid + 1; else hi = mid; }
    return after[lo];
  };
  const dayRows = stmt(db, `SELECT id, amount FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ? AND booking_date = ?
    AND id >= ? AND status = 'booked' AND retired_at IS NULL ORDER BY id DESC`).raw();
  for (const d of pageDays) {
    // the day's end: the snapshot that governs it, less (or plus) the movements between its day and this one
    const anchor = snaps.find((s) => s.date >= d) ?? latest;
    let bal = anchor ? anchor.amount + movedAfter(anchor.date) - movedAfter(d) : after[days.length] - movedAfter(d);
    for (const [id, amount] of dayRows.all(accountId, d, oldestOn.get(d)) as Array<[number, number]>) {
      out.set(id, bal);
      bal -= amount;
    }
  }
  return out;
}

/** Income and spending (both positive) per calendar month, the last `months` months up to the current one, oldest first.
 *  Transfers between own accounts are neither (main/store/transfers.ts). */
export function monthlyInOut(db: Db, accountId: number, months = 12, today = new Date().toISOString().slice(0, 10)): Array<{ month: string; income: number; spending: number }> {
  const [y, m] = today.split('-').map(Number);
  const list: string[] = [];
  for (let i = months - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    list.push(d.toISOString().slice(0, 7));
  }
  const rows = stmt(db, `SELECT substr(booking_date, 1, 7) AS month, sum(CASE WHEN amount > 0 THEN amount ELSE 0 END) AS income,
      -sum(CASE WHEN amount < 0 THEN amount ELSE 0 END) AS spending
    FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ? AND booking_date >= ? AND booking_date <= ? AND deleted_at IS NULL
      AND retired_at IS NULL AND hidden = 0 AND transfer_id IS NULL GROUP BY month`).all(accountId, `${list[0]}-01`, `${list[list.length - 1]}-31`) as Array<{ month: string; income: number; spending: number }>;
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return list.map((month) => ({ month, income: byMonth.get(month)?.income ?? 0, spending: byMonth.get(month)?.spending ?? 0 }));
}

/** Counterparties with the largest money moved (absolute), over the last `days` days (default 365). `total` keeps its sign.
 * Transfers between the user's own accounts are not counterparties. */
export function topCounterparties(db: Db, accountId: number, limit = 10, opts: { days?: number; today?: string } = {}): Array<{ name: string; total: number; count: number }> {
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  const since = addDays(today, -(opts.days ?? 365));
  return stmt(db, `SELECT coalesce(nullif(counterparty_name, ''), nullif(description, ''), '—') AS name, sum(amount) AS total, count(*) AS count
    FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ? AND booking_date >= ? AND deleted_at IS NULL AND retired_at IS NULL AND hidden = 0
      AND transfer_id IS NULL GROUP BY name ORDER BY abs(sum(amount)) DESC, name LIMIT ?`).all(accountId, since, limit) as Array<{ name: string; total: number; count: number }>;
}

// ---------------------------------------------------------------- sync log

interface RunRaw {
  id: number; connection_id: number | null; institution_name: string | null; trigger: string; started_at: string; finished_at: string | null;
  requested_from: string | null; requested_to: string | null; served_from: string | null; served_to: string | null;
  new_count: number; updated_count: number; retired_count: number; unchanged_count: number; outcome: string;
  error_code: string | null; error_message: string | null; duration_ms: number | null;
  unreadable_count?: number; unreadable_reason?: string | null; provider?: string | null; details_json?: string | null;
}
const toSyncRunDto = (r: RunRaw): SyncRunDto => ({
  id: r.id, connectionId: r.connection_id, institutionName: r.institution_name, trigger: r.trigger, startedAt: r.started_at,
  finishedAt: r.finished_at, requestedFrom: r.requested_from, requestedTo: r.requested_to, servedFrom: r.served_from, servedTo: r.served_to,
  newCount: r.new_count, updatedCount: r.updated_count, retiredCount: r.retired_count, unchangedCount: r.unchanged_count,
  outcome: r.outcome, errorCode: r.error_code, errorMessage: fromStored(r.error_message).english, error: fromStored(r.error_message).msg, durationMs: r.duration_ms,
  unreadableCount: r.unreadable_count ?? 0, unreadableReason: r.unreadable_reason ?? null,
  ...(r.trigger === 'import' && r.details_json ? { import: (JSON.parse(r.details_json) as { import: SyncRunDto['import'] }).import } : {}),
});
export function syncLog(db: Db, opts: { connectionId?: number; limit?: number } = {}): SyncRunDto[] {
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 500);
  const rows = (opts.connectionId !== undefined
    ? stmt(db, `SELECT r.*, c.institution_name FROM sync_runs r LEFT JOIN connections c ON c.id = r.connection_id
        WHERE r.connection_id = ? ORDER BY r.started_at DESC, r.id DESC LIMIT ?`).all(opts.connectionId, limit)
    : stmt(db, `SELECT r.*, c.institution_name FROM sync_runs r LEFT JOIN connections c ON c.id = r.connection_id
        ORDER BY r.started_at DESC, r.id DESC LIMIT ?`).all(limit)) as RunRaw[];
  return rows.map(toSyncRunDto);
}

/** One sync run with its connection's provider. */
export function syncRun(db: Db, runId: number): SyncRunDto & { provider: string | null } {
  const r = stmt(db, `SELECT r.*, c.institution_name, c.provider FROM sync_runs r LEFT JOIN connections c ON c.id = r.connection_id
    WHERE r.id = ?`).get(runId) as RunRaw | undefined;
  if (!r) throw new AppError('not_found', { id: 'error.sync_run_gone' });
  return { ...toSyncRunDto(r), provider: r.provider ?? null };
}

// ---------------------------------------------------------------- transactions kept aside (unreadable)

interface AsideRaw { account_id: number; remote_id: string | null; reason: string; raw_json: string; first_seen_at: string; last_seen_at: string }
const toAsideDto = (r: AsideRaw): UnreadableRowDto => {
  let raw: unknown;
  try { raw = JSON.parse(r.raw_json); } catch { raw = null; }
  return { accountId: r.account_id, remoteId: r.remote_id, reason: r.reason, raw, firstSeenAt: r.first_seen_at, lastSeenAt: r.last_seen_at };
};

/** Transactions kept aside because a sync could not read them: of one account, or of every account of a connection. */
export function unreadableRows(db: Db, where: { accountId: number } | { connectionId: number }): UnreadableRowDto[] {
  const rows = 'accountId' in where
    ? stmt(db, 'SELECT * FROM unreadable_transactions WHERE account_id = ? ORDER BY first_seen_at, id').all(where.accountId)
    : stmt(db, `SELECT u.* FROM unreadable_transactions u JOIN accounts a ON a.id = u.account_id WHERE a.connection_id = ?
        ORDER BY u.account_id, u.first_seen_at, u.id`).all(where.connectionId);
  return (rows as AsideRaw[]).map(toAsideDto);
}

// ---------------------------------------------------------------- export

export interface ExportRow extends TransactionDto {
  remoteId: string;
  accountName: string;
  accountIban: string | null;
  accountCurrency: string;
  /** the connection's title */
  institutionName: string;
  /** the account's bank (see AccountDto.bankName) */
  bankName: string;
}

/** Rows for export, oldest first, streamed (never the whole set in memory). Same filters as the list, search included. */
export function* exportRows(db: Db, f: TransactionFilter = {}): Generator<ExportRow> {
  if (!searchTerms(f.search).length && f.search?.trim()) return; // nothing searchable: nothing found (as the list)
  const params: unknown[] = [];
  const where = filterWhere(db, f, params);
  // a separate statement per call: iterate() keeps the statement busy until the generator finishes
  const it = db.prepare(`SELECT ${TX_COLS}, t.remote_id, a.name AS account_name, a.iban AS account_iban, a.currency AS account_currency,
      c.institution_name, coalesce(a.bank_name, c.institution_name) AS bank FROM transactions t JOIN accounts a ON a.id = t.account_id JOIN connections c ON c.id = a.connection_id
      WHERE ${where.join(' AND ')} ORDER BY t.booking_date, t.id`).iterate(...params) as IterableIterator<TxRaw & { account_name: string; account_iban: string | null; account_currency: string; institution_name: string; bank: string }>;
  for (const r of it) {
    yield { ...toTransactionDto(r), remoteId: r.remote_id, accountName: r.account_name, accountIban: r.account_iban, accountCurrency: r.account_currency, institutionName: r.institution_name, bankName: r.bank };
  }
}
