// The sync write path: RemoteTransaction pages -> the transactions table, deduplicated and reconciled.
// Each page is ONE SQLite transaction, and the account's cursor (sync_cursors) moves inside that same transaction.
import { hash as digest } from 'node:crypto';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { addDays } from '../domain/dates.js';
import { normalizeText } from '../domain/text.js';
import type { IsoDate, RemoteAccount, RemoteTransaction } from '../domain/types.js';
import { ProviderError } from '../providers/provider.js';
import { transactionProblem, type UnreadableRow } from '../providers/rows.js';
import { categorizeNew } from '../store/categories.js';
import type { Db } from '../store/db.js';
import { detectTransfers } from '../store/transfers.js';

export interface WriterOptions {
  /** a changed-id transaction is matched by fingerprint within ± this many days of its booking date (default 3) */
  fingerprintWindowDays?: number;
  /** a booked row replaces a pending one booked up to this many days after (default 10) ... */
  pendingDaysAfter?: number;
  /** ... or before (default 3) the pending's date */
  pendingDaysBefore?: number;
  /** relative amount change accepted between a pending and its booked twin (tips, FX), default 0.2 = 20 % */
  pendingAmountTolerance?: number;
  /** absolute amount change (minor units) always accepted, default 0 */
  pendingAmountToleranceMinor?: number;
  /** a pending no longer reported for longer than this is retired (default 3 days) */
  pendingGraceMs?: number;
}

export interface WriteCounts { new: number; updated: number; unchanged: number; retired: number }
export const zeroCounts = (): WriteCounts => ({ new: 0, updated: 0, unchanged: 0, retired: 0 });
export function addCounts(a: WriteCounts, b: WriteCounts): WriteCounts {
  a.new += b.new; a.updated += b.updated; a.unchanged += b.unchanged; a.retired += b.retired;
  return a;
}

/** The per-account cursor as stored in sync_cursors. */
export interface AccountCursor {
  committedThrough: IsoDate | null;
  firstSyncDone: boolean;
  resume: ResumeState | null;
}

/** Where an interrupted window continues: the chunk being fetched and the provider's page cursor after the last committed page. */
export interface ResumeState {
  windowFrom: IsoDate;
  chunkFrom: IsoDate;
  chunkTo: IsoDate;
  pageCursor: string | null;
  pages: number;
  /** when the run that began this window started (absent in states saved before it was recorded): every row that run and
   *  its resumptions wrote or matched has last_seen_at at or after it */
  since?: string;
}

/** What moves with a page, in the page's own transaction. */
export interface CursorMove {
  /** set when a chunk completes: everything up to this date is committed */
  committedThrough?: IsoDate;
  firstSyncDone?: boolean;
  /** null clears it (chunk done) */
  resume?: ResumeState | null;
}

/** Rows of a page that could not be read, with where they came from (see writePage). */
export interface PageAside {
  rows: UnreadableRow[];
  /** the start of the window the page belongs to: the next sync reaches back to it, so it retries these rows */
  seenFrom: IsoDate;
  /** given on an account's last page when this run fetched everything from this date: kept-aside rows from here on
   *  that the run did not see again are gone at the aggregator and are dropped */
  sweepFrom?: IsoDate;
}

/** One sync run's memory: rows already matched in this run are never taken again by a fallback match. */
export class RunContext {
  readonly claimed = new Map<number, Set<number>>();
  constructor(readonly at: string) {}
  claimedFor(accountId: number): Set<number> {
    let s = this.claimed.get(accountId);
    if (!s) { s = new Set(); this.claimed.set(accountId, s); }
    return s;
  }
  forget(accountId: number): void { this.claimed.delete(accountId); }
  /** take over the claims of the runs this one resumes (see TransactionWriter.claimSeenSince) */
  claimAll(accountId: number, ids: Iterable<number>): void {
    const s = this.claimedFor(accountId);
    for (const id of ids) s.add(id);
  }
}

// ---------------------------------------------------------------- normalisation and fingerprints

export { normalizeText };

/** amount + normalized counterparty + normalized description (the booking date is matched as a window, not hashed). */
export function fingerprintOf(t: { amount: number; counterpartyName?: string | null; description: string }): string {
  // one-shot hashing (no Hash object per row): the same digest, a large page's rows hashed several times faster
  return digest('sha1', `${t.amount}|${normalizeText(t.counterpartyName)}|${normalizeText(t.description)}`, 'base64').slice(0, 16);
}

const DAY = 86_400_000;

/** the words (3+ letters) of a row's counterparty and text, for matching rows worded differently by two sources */
const wordsOf = (counterparty: string | null | undefined, description: string) =>
  new Set(normalizeText(`${counterparty ?? ''} ${description}`).split(' ').filter((x) => x.length >= 3));

// ---------------------------------------------------------------- validation (a malformed page changes nothing)

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CUR_RE = /^[A-Z]{3}$/;
function invalid(i: number, what: string): never {
  throw new ProviderError('bad_response', `The aggregator sent a transaction we could not read (item ${i + 1}: ${what}). Nothing was changed.`);
}
export function validatePage(txs: unknown): asserts txs is RemoteTransaction[] {
  if (!Array.isArray(txs)) invalid(0, 'not a list');
  for (let i = 0; i < txs.length; i++) {
    const problem = transactionProblem(txs[i] as Partial<RemoteTransaction> | null);
    if (problem) invalid(i, problem);
  }
}

/** Accounts as a provider returned them; a malformed list changes nothing. */
export function validateAccounts(list: unknown): asserts list is RemoteAccount[] {
  const bad = (i: number, what: string): never => {
    throw new ProviderError('bad_response', `The aggregator sent an account we could not read (item ${i + 1}: ${what}). Nothing was changed.`);
  };
  if (!Array.isArray(list)) bad(0, 'not a list');
  const l = list as unknown[];
  for (let i = 0; i < l.length; i++) {
    const a = l[i] as Partial<RemoteAccount> | null;
    if (!a || typeof a !== 'object') bad(i, 'not an object');
    if (typeof a!.remoteId !== 'string' || !a!.remoteId) bad(i, 'id');
    if (typeof a!.name !== 'string') bad(i, 'name');
    if (typeof a!.type !== 'string') bad(i, 'type');
    if (typeof a!.currency !== 'string' || !CUR_RE.test(a!.currency)) bad(i, 'currency');
    for (const k of ['balanceCurrent', 'balanceAvailable'] as const) {
      const v = a![k];
      if (v != null && (typeof v !== 'number' || !Number.isSafeInteger(v))) bad(i, k);
    }
    for (const k of ['balanceCurrentDate', 'balanceAvailableDate'] as const) {
      const v = a![k];
      if (v != null && (typeof v !== 'string' || !DATE_RE.test(v.slice(0, 10)))) bad(i, k);
    }
  }
}

// ---------------------------------------------------------------- the writer

interface ExistingRow {
  id: number; remote_id: string; booking_date: string; amount: number; status: string; raw_hash: string | null;
  deleted_at: string | null; retired_at: string | null; counterparty_name: string | null; description: string; fingerprint: string | null;
}

interface Prepared {
  t: RemoteTransaction;
  rawJson: string;
  hash: string;
  fp: string;
  match?: ExistingRow;
  /** how the match was made */
  via?: 'id' | 'history' | 'fingerprint' | 'pending';
}

/** remote ids of rows imported from statement files (main/import) start with this */
export const FILE_ID_PREFIX = 'file:';

const ROW_COLS = 'id, remote_id, booking_date, amount, status, raw_hash, deleted_at, retired_at, counterparty_name, description, fingerprint';

export class TransactionWriter {
  private s: Record<string, Statement>;
  private o: Required<WriterOptions>;

  constructor(private db: Db, opts: WriterOptions = {}) {
    this.o = {
      fingerprintWindowDays: opts.fingerprintWindowDays ?? 3,
      pendingDaysAfter: opts.pendingDaysAfter ?? 10,
      pendingDaysBefore: opts.pendingDaysBefore ?? 3,
      pendingAmountTolerance: opts.pendingAmountTolerance ?? 0.2,
      pendingAmountToleranceMinor: opts.pendingAmountToleranceMinor ?? 0,
      pendingGraceMs: opts.pendingGraceMs ?? 3 * DAY,
    };
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      byId: p(`SELECT ${ROW_COLS} FROM transactions WHERE account_id = ? AND remote_id = ?`),
      byHistory: p(`SELECT ${ROW_COLS.split(', ').map((c) => 't.' + c).join(', ')} FROM transaction_remote_ids h
        JOIN transactions t ON t.id = h.transaction_id WHERE h.account_id = ? AND h.remote_id = ?`),
      hasHistory: p('SELECT 1 FROM transaction_remote_ids WHERE account_id = ? LIMIT 1').pluck(),
      byFingerprint: p(`SELECT ${ROW_COLS} FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ? AND fingerprint = ? AND booking_date BETWEEN ? AND ?
        ORDER BY abs(julianday(booking_date) - julianday(?)), id`),
      // statement-file import (main/import): a row of the other source with the same amount near the date
      fileTwins: p(`SELECT ${ROW_COLS} FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ? AND amount = ? AND booking_date BETWEEN ? AND ?
        AND (? OR substr(remote_id, 1, 5) = 'file:') ORDER BY abs(julianday(booking_date) - julianday(?)), id`),
      anyFileRow: p("SELECT 1 FROM transactions WHERE account_id = ? AND remote_id >= 'file:' AND remote_id < 'file;' LIMIT 1").pluck(),
      idsInRange: p('SELECT id FROM transactions WHERE account_id = ? AND booking_date BETWEEN ? AND ?').pluck(),
      pendings: p(`SELECT ${ROW_COLS} FROM transactions INDEXED BY tx_open_pending WHERE account_id = ? AND status = 'pending'
        AND retired_at IS NULL AND booking_date BETWEEN ? AND ?`),
      anyPending: p(`SELECT 1 FROM transactions INDEXED BY tx_open_pending WHERE account_id = ? AND status = 'pending' AND retired_at IS NULL LIMIT 1`).pluck(),
      insert: p(`INSERT INTO transactions (account_id, remote_id, booking_date, value_date, amount, currency, status, description,
        counterparty_name, counterparty_iban, raw_json, raw_hash, fingerprint, first_seen_at, last_seen_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      update: p(`UPDATE transactions SET remote_id = ?, booking_date = ?, value_date = ?, amount = ?, currency = ?, status = ?,
        description = ?, counterparty_name = ?, counterparty_iban = ?, raw_json = ?, raw_hash = ?, fingerprint = ?, last_seen_at = ?,
        retired_at = NULL WHERE id = ?`),
      seen: p('UPDATE transactions SET last_seen_at = ? WHERE id = ?'),
      seenMoveId: p('UPDATE transactions SET last_seen_at = ?, remote_id = ? WHERE id = ?'),
      addHistory: p(`INSERT INTO transaction_remote_ids (account_id, remote_id, transaction_id) VALUES (?, ?, ?)
        ON CONFLICT(account_id, remote_id) DO UPDATE SET transaction_id = excluded.transaction_id`),
      dropHistory: p('DELETE FROM transaction_remote_ids WHERE account_id = ? AND remote_id = ?'),
      retire: p(`UPDATE transactions SET retired_at = ? WHERE account_id = ? AND status = 'pending' AND retired_at IS NULL
        AND deleted_at IS NULL AND booking_date BETWEEN ? AND ? AND last_seen_at < ? AND id = ?`),
      retireCandidates: p(`SELECT id FROM transactions INDEXED BY tx_open_pending WHERE account_id = ? AND status = 'pending'
        AND retired_at IS NULL AND booking_date BETWEEN ? AND ? AND deleted_at IS NULL AND last_seen_at < ?`).pluck(),
      ftsBatchOn: p("INSERT OR IGNORE INTO app_meta (key, value) VALUES ('fts.batch', '1')"),
      ftsBatchOff: p("DELETE FROM app_meta WHERE key = 'fts.batch'"),
      ftsAddRange: p(`INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
        SELECT ((1048576 - CAST(julianday(booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - id), description, counterparty_name,
          note, category FROM transactions WHERE id BETWEEN ? AND ? AND account_id = ? ORDER BY 1`),
      ftsAddOne: p(`INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
        SELECT ((1048576 - CAST(julianday(booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - id), description, counterparty_name,
          note, category FROM transactions WHERE id = ?`),
      anyAside: p('SELECT 1 FROM unreadable_transactions WHERE account_id = ? LIMIT 1').pluck(),
      asideRead: p('DELETE FROM unreadable_transactions WHERE account_id = ? AND row_key = ?'),
      asideUpsert: p(`INSERT INTO unreadable_transactions (account_id, row_key, remote_id, reason, raw_json, seen_from, first_seen_at, last_seen_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(account_id, row_key) DO UPDATE SET remote_id = excluded.remote_id,
          reason = excluded.reason, raw_json = excluded.raw_json, seen_from = min(seen_from, excluded.seen_from), last_seen_at = excluded.last_seen_at`),
      asideSweep: p('DELETE FROM unreadable_transactions WHERE account_id = ? AND seen_from >= ? AND last_seen_at < ?'),
      asideOldest: p('SELECT min(seen_from) FROM unreadable_transactions WHERE account_id = ?').pluck(),
      seenSince: p('SELECT id FROM transactions WHERE account_id = ? AND last_seen_at >= ?').pluck(),
      cursorGet: p('SELECT committed_through, first_sync_done, resume_json FROM sync_cursors WHERE account_id = ?'),
      cursorUpsert: p(`INSERT INTO sync_cursors (account_id, committed_through, first_sync_done, resume_json) VALUES (?, ?, ?, ?)
        ON CONFLICT(account_id) DO UPDATE SET committed_through = excluded.committed_through,
          first_sync_done = excluded.first_sync_done, resume_json = excluded.resume_json`),
    };
  }

  get options(): Readonly<Required<WriterOptions>> { return this.o; }

  cursor(accountId: number): AccountCursor {
    const r = this.s.cursorGet.get(accountId) as { committed_through: string | null; first_sync_done: number; resume_json: string | null } | undefined;
    if (!r) return { committedThrough: null, firstSyncDone: false, resume: null };
    return { committedThrough: r.committed_through, firstSyncDone: r.first_sync_done === 1, resume: r.resume_json ? JSON.parse(r.resume_json) as ResumeState : null };
  }

  private moveCursor(accountId: number, move: CursorMove): void {
    const c = this.cursor(accountId);
    const next: AccountCursor = {
      committedThrough: move.committedThrough !== undefined && (!c.committedThrough || move.committedThrough > c.committedThrough)
        ? move.committedThrough : c.committedThrough,
      firstSyncDone: move.firstSyncDone ?? c.firstSyncDone,
      resume: move.resume !== undefined ? move.resume : c.resume,
    };
    this.s.cursorUpsert.run(accountId, next.committedThrough, next.firstSyncDone ? 1 : 0, next.resume ? JSON.stringify(next.resume) : null);
  }

  /** The earliest window start of the account's kept-aside rows (the next sync reaches back to it), or null. */
  oldestAside(accountId: number): IsoDate | null {
    return (this.s.asideOldest.get(accountId) as IsoDate | null | undefined) ?? null;
  }

  /**
   * Write one page for one account, and move its cursor, in ONE transaction. A malformed page throws
   * ProviderError('bad_response') before anything is written. `retire` (given on a chunk's last page) retires the
   * pendings in that date range that this run has not seen and that were last seen longer ago than the grace period.
   * `aside`: the page's unreadable rows are kept aside (unreadable_transactions) in the same transaction; a kept-aside
   * row that this page reads fine leaves that table.
   * `source` 'file': rows of a statement file (main/import); a matched row is left as it is (counted unchanged),
   * since what a sync or an earlier import wrote stays. A file row also matches any row, and an aggregator's row an
   * imported one, of the same amount within the fingerprint window on the same day or sharing a word (bank files and
   * aggregators word the same payment differently): an aggregator's row then takes over the imported one, keeping
   * its category and note.
   */
  writePage(
    accountId: number,
    input: unknown,
    run: RunContext,
    move?: CursorMove,
    retire?: { from: IsoDate; to: IsoDate },
    aside?: PageAside,
    source: 'aggregator' | 'file' = 'aggregator',
  ): WriteCounts {
    validatePage(input);
    const txs = input;
    // dedupe within the page by remote id (the last report wins)
    const byRemote = new Map<string, RemoteTransaction>();
    for (const t of txs) byRemote.set(t.remoteId, t);
    const counts = zeroCounts();
    const claimed = run.claimedFor(accountId);
    const at = run.at;
    const s = this.s;

    // IMMEDIATE: take the write lock before the lookups, so a second process syncing the same account waits
    // (busy_timeout) instead of deciding on a stale snapshot
    this.db.transaction(() => {
      const items: Prepared[] = [];
      let minDate = '9999-12-31';
      let maxDate = '0000-01-01';
      for (const t of byRemote.values()) {
        const rawJson = JSON.stringify(t.raw ?? null);
        const fields = `${t.bookingDate}|${t.valueDate ?? ''}|${t.amount}|${t.currency}|${t.status}|${t.description}|${t.counterpartyName ?? ''}|${t.counterpartyIban ?? ''}|`;
        const hash = digest('sha1', fields + rawJson, 'base64').slice(0, 22);
        items.push({ t, rawJson, hash, fp: '' });
        if (t.bookingDate < minDate) minDate = t.bookingDate;
        if (t.bookingDate > maxDate) maxDate = t.bookingDate;
      }
      // pass 1: exact id matches (current id, then earlier ids) claim their rows
      const hasHistory = s.hasHistory.get(accountId) !== undefined;
      for (const it of items) {
        let row = s.byId.get(accountId, it.t.remoteId) as ExistingRow | undefined;
        if (row) it.via = 'id';
        else if (hasHistory) {
          row = s.byHistory.get(accountId, it.t.remoteId) as ExistingRow | undefined;
          // an earlier id whose row another id of this run already took: it is a different transaction after all
          if (row && claimed.has(row.id) && row.remote_id !== it.t.remoteId) {
            s.dropHistory.run(accountId, it.t.remoteId);
            row = undefined;
          }
          if (row) it.via = 'history';
        }
        if (row) { it.match = row; claimed.add(row.id); }
      }
      // pass 2: fallbacks for the rest, only against rows no id of this run has claimed
      const w = this.o.fingerprintWindowDays;
      const pendingLo = addDays(minDate, -this.o.pendingDaysAfter);
      const pendingHi = addDays(maxDate, this.o.pendingDaysBefore);
      const unmatched = items.filter((it) => !it.match);
      let anyNearby = false;
      if (unmatched.length > 0) {
        // fallbacks only look at rows this run has not claimed; when every row near this page's dates is claimed
        // (a first sync, or a re-sync with stable ids) there is nothing to look up
        const lo = addDays(minDate, -Math.max(w, this.o.pendingDaysAfter));
        const hi = addDays(maxDate, Math.max(w, this.o.pendingDaysBefore));
        // rows near a date-ordered page are mostly the previous page's (claimed); stop looking after a few thousand
        let seen = 0;
        for (const id of s.idsInRange.iterate(accountId, lo, hi) as IterableIterator<number>) {
          if (!claimed.has(id) || ++seen > 5000) { anyNearby = true; break; }
        }
      }
      let pendingPool: ExistingRow[] | null = null;
      let fileRows: boolean | undefined;
      for (const it of items) it.fp = fingerprintOf(it.t);
      if (anyNearby) {
        for (const it of unmatched) {
          const t = it.t;
          // changed id: same fingerprint within a few days, same status or pending -> booked
          const cands = s.byFingerprint.all(accountId, it.fp, addDays(t.bookingDate, -w), addDays(t.bookingDate, w), t.bookingDate) as ExistingRow[];
          let row = cands.find((c) => !claimed.has(c.id) && (c.status === t.status || c.status === 'pending'));
          if (row) it.via = 'fingerprint';
          else if (t.status === 'booked') {
            if (pendingPool === null) pendingPool = s.anyPending.get(accountId) !== undefined ? s.pendings.all(accountId, pendingLo, pendingHi) as ExistingRow[] : [];
            if (pendingPool.length) row = this.bestPendingTwin(t, pendingPool.filter((c) => !claimed.has(c.id)));
            if (row) it.via = 'pending';
          }
          if (!row && (fileRows ??= source === 'file' || s.anyFileRow.get(accountId) !== undefined)) {
            const twins = s.fileTwins.all(accountId, t.amount, addDays(t.bookingDate, -w), addDays(t.bookingDate, w), source === 'file' ? 1 : 0, t.bookingDate) as ExistingRow[];
            const words = wordsOf(t.counterpartyName, t.description);
            row = twins.find((c) => !claimed.has(c.id) && (c.booking_date === t.bookingDate || [...wordsOf(c.counterparty_name, c.description)].some((x) => words.has(x))));
            if (row) it.via = 'fingerprint';
          }
          if (row) { it.match = row; claimed.add(row.id); }
        }
      }
      // writes; the FTS rows of new transactions are added in one statement at the end (see migration 4), in ascending
      // rowid order: FTS5 flushes its pending terms whenever a rowid is not larger than the previous one
      const newIds: number[] = [];
      const newRows: Parameters<typeof categorizeNew>[1] = [];
      s.ftsBatchOn.run();
      for (const it of items) {
        const t = it.t;
        const m = it.match;
        if (!m) {
          const info = s.insert.run(accountId, t.remoteId, t.bookingDate, t.valueDate ?? null, t.amount, t.currency, t.status, t.description,
            t.counterpartyName ?? null, t.counterpartyIban ?? null, it.rawJson, it.hash, it.fp, at, at);
          const id = Number(info.lastInsertRowid);
          claimed.add(id);
          newIds.push(id);
          newRows.push({ id, accountId, amount: t.amount, currency: t.currency, description: t.description, counterpartyName: t.counterpartyName ?? null });
          counts.new++;
          continue;
        }
        if (source === 'file') { counts.unchanged++; continue; }
        const idChanged = m.remote_id !== t.remoteId;
        if (m.deleted_at) {
          // deleted by the user: never comes back; remember the new id so it keeps matching
          if (idChanged) { s.addHistory.run(accountId, m.remote_id, m.id); s.seenMoveId.run(at, t.remoteId, m.id); s.dropHistory.run(accountId, t.remoteId); }
          else s.seen.run(at, m.id);
          counts.unchanged++;
          continue;
        }
        if (m.status === 'booked' && t.status === 'pending') {
          // a stale pending report of a row that has booked (its old id is in the history): never downgrade
          s.seen.run(at, m.id);
          counts.unchanged++;
          continue;
        }
        if (!idChanged && m.raw_hash === it.hash && !m.retired_at) {
          s.seen.run(at, m.id);
          counts.unchanged++;
          continue;
        }
        if (idChanged) {
          // keep the earlier id (so it maps here if reported again) and take the new one
          s.addHistory.run(accountId, m.remote_id, m.id);
          s.dropHistory.run(accountId, t.remoteId);
        }
        s.update.run(t.remoteId, t.bookingDate, t.valueDate ?? null, t.amount, t.currency, t.status, t.description,
          t.counterpartyName ?? null, t.counterpartyIban ?? null, it.rawJson, it.hash, it.fp, at, m.id);
        counts.updated++;
      }
      s.ftsBatchOff.run();
      if (newIds.length) {
        // ids of a page's inserts are consecutive unless rows were deleted at the end of the table; then add them one by one
        const lo = newIds[0], hi = newIds[newIds.length - 1];
        if (hi - lo + 1 === newIds.length) s.ftsAddRange.run(lo, hi, accountId);
        else for (const id of newIds) this.ftsOne(id);
      }
      // the user's rules categorize new rows in the page's own transaction
      if (newRows.length) categorizeNew(this.db, newRows);
      if (retire) counts.retired += this.retireInTx(accountId, retire.from, retire.to, run);
      if (aside) this.keepAside(accountId, byRemote, aside, at);
      if (move) this.moveCursor(accountId, move);
      // the page's new rows may be legs of transfers between own accounts: linked in the same transaction
      detectTransfers(this.db);
    }).immediate();
    return counts;
  }

  private keepAside(accountId: number, read: Map<string, RemoteTransaction>, aside: PageAside, at: string): void {
    const s = this.s;
    if (s.anyAside.get(accountId) !== undefined) for (const remoteId of read.keys()) s.asideRead.run(accountId, remoteId);
    for (const r of aside.rows) {
      s.asideUpsert.run(accountId, r.key, r.remoteId, r.reason.slice(0, 500), JSON.stringify(r.redacted ?? null), aside.seenFrom, at, at);
    }
    if (aside.sweepFrom) s.asideSweep.run(accountId, aside.sweepFrom, at);
  }

  private ftsOne(id: number): void {
    this.s.ftsAddOne.run(id);
  }

  /**
   * A run that resumes an interrupted window claims the rows the interrupted run(s) wrote or matched (seen since `since`),
   * as if it were that one run going on: the pages before the saved cursor are not fetched again, so their rows would be
   * unclaimed, and a fallback match would take one of them for a genuinely identical payment on a later page (same amount,
   * counterparty and text on one day), losing that payment.
   */
  claimSeenSince(accountId: number, run: RunContext, since: string): void {
    run.claimAll(accountId, this.s.seenSince.all(accountId, since) as number[]);
  }

  /** Retire (never delete) pendings in [from, to] not seen by this run and last seen before now - grace; null: none. */
  retire(accountId: number, range: { from: IsoDate; to: IsoDate } | null, run: RunContext, move?: CursorMove): number {
    return this.db.transaction(() => {
      const n = range ? this.retireInTx(accountId, range.from, range.to, run) : 0;
      if (move) this.moveCursor(accountId, move);
      return n;
    }).immediate();
  }

  private retireInTx(accountId: number, from: IsoDate, to: IsoDate, run: RunContext): number {
    const claimed = run.claimedFor(accountId);
    const before = new Date(Date.parse(run.at) - this.o.pendingGraceMs).toISOString();
    let n = 0;
    for (const id of this.s.retireCandidates.all(accountId, from, to, before) as number[]) {
      if (claimed.has(id)) continue;
      n += this.s.retire.run(run.at, accountId, from, to, before, id).changes;
    }
    return n;
  }

  private bestPendingTwin(t: RemoteTransaction, pool: ExistingRow[]): ExistingRow | undefined {
    const cp = normalizeText(t.counterpartyName);
    const words = new Set(normalizeText(t.description).split(' ').filter((x) => x.length >= 3));
    let best: ExistingRow | undefined;
    let bestScore = -Infinity;
    for (const c of pool) {
      if (Math.sign(c.amount) !== Math.sign(t.amount)) continue;
      const diff = Math.abs(c.amount - t.amount);
      const tol = Math.max(this.o.pendingAmountToleranceMinor, Math.abs(c.amount) * this.o.pendingAmountTolerance);
      if (diff > tol) continue;
      const days = (Date.parse(t.bookingDate) - Date.parse(c.booking_date)) / DAY;
      if (days > this.o.pendingDaysAfter || days < -this.o.pendingDaysBefore) continue;
      const ccp = normalizeText(c.counterparty_name);
      let score = 0;
      if (cp && ccp) {
        if (cp !== ccp) continue;
        score += 4;
      } else {
        const shared = normalizeText(c.description).split(' ').some((x) => x.length >= 3 && words.has(x));
        if (!shared && diff !== 0) continue;
        if (shared) score += 2;
      }
      if (diff === 0) score += 2;
      score -= diff / Math.max(1, Math.abs(t.amount)) + Math.abs(days) / 100;
      if (score > bestScore) { bestScore = score; best = c; }
    }
    return best;
  }
}
