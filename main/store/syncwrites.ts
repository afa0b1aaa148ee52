// The statements of the sync write path (main/sync/writer.ts keeps the logic: matching, dedup, reconciliation).
// Prepared once per writer; `inWriteTransaction` makes each write step one IMMEDIATE SQLite transaction.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { categorizeNew, type RuleSubject } from './categories.js';
import type { Db } from './db.js';
import { packRaws } from './rawpages.js';
import { detectTransfers } from './transfers.js';

/** What the write path reads of a stored transaction to match and reconcile it. */
export interface StoredTxRow {
  id: number; remote_id: string; booking_date: string; amount: number; status: string; raw_hash: Buffer | null;
  deleted_at: string | null; retired_at: string | null; counterparty_name: string | null; description: string; fingerprint: Buffer | null;
}

/** The columns the write path sets on an inserted or updated transaction. */
export interface TxWrite {
  remoteId: string; bookingDate: string; valueDate: string | null; amount: number; currency: string; status: string; description: string;
  counterpartyName: string | null; counterpartyIban: string | null; /** the raw payload's JSON */ raw: string; rawHash: Buffer; fingerprint: Buffer;
}

export interface StoredCursor { committedThrough: string | null; firstSyncDone: boolean; resumeJson: string | null }

const ROW_COLS = 'id, remote_id, booking_date, amount, status, raw_hash, deleted_at, retired_at, counterparty_name, description, fingerprint';
/** the FTS rowid of a transaction: newest first (see migration 5 and ftsKey in queries.ts) */
const FTS_KEY = '((1048576 - CAST(julianday(booking_date) - 2440587.5 AS INTEGER)) << 32) + (4294967295 - id)';

export class SyncWriteRepo {
  private s: Record<string, Statement>;

  constructor(private db: Db) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      byIds: p(`SELECT ${ROW_COLS} FROM transactions WHERE account_id = ? AND remote_id IN (SELECT value FROM json_each(?))`),
      byHistory: p(`SELECT ${ROW_COLS.split(', ').map((c) => 't.' + c).join(', ')} FROM transaction_remote_ids h
        JOIN transactions t ON t.id = h.transaction_id WHERE h.account_id = ? AND h.remote_id = ?`),
      hasHistory: p('SELECT 1 FROM transaction_remote_ids WHERE account_id = ? LIMIT 1').pluck(),
      byFingerprint: p(`SELECT ${ROW_COLS} FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ? AND fingerprint = ? AND booking_date BETWEEN ? AND ?
        ORDER BY abs(julianday(booking_date) - julianday(?)), id`),
      fileTwins: p(`SELECT ${ROW_COLS} FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ? AND amount = ? AND booking_date BETWEEN ? AND ?
        AND (? OR substr(remote_id, 1, 5) = 'file:') ORDER BY abs(julianday(booking_date) - julianday(?)), id`),
      anyFileRow: p("SELECT 1 FROM transactions WHERE account_id = ? AND remote_id >= 'file:' AND remote_id < 'file;' LIMIT 1").pluck(),
      idsInRange: p('SELECT id FROM transactions WHERE account_id = ? AND booking_date BETWEEN ? AND ?').pluck(),
      pendings: p(`SELECT ${ROW_COLS} FROM transactions INDEXED BY tx_open_pending WHERE account_id = ? AND status = 'pending'
        AND retired_at IS NULL AND booking_date BETWEEN ? AND ?`),
      anyPending: p(`SELECT 1 FROM transactions INDEXED BY tx_open_pending WHERE account_id = ? AND status = 'pending' AND retired_at IS NULL LIMIT 1`).pluck(),
      oldestOpenPending: p(`SELECT min(booking_date) FROM transactions INDEXED BY tx_open_pending WHERE account_id = ?
        AND status = 'pending' AND retired_at IS NULL AND deleted_at IS NULL`).pluck(),
      insert: p(`INSERT INTO transactions (account_id, remote_id, booking_date, value_date, amount, currency, status, description,
        counterparty_name, counterparty_iban, raw_page, raw_hash, fingerprint, first_seen_at, last_seen_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      update: p(`UPDATE transactions SET remote_id = ?, booking_date = ?, value_date = ?, amount = ?, currency = ?, status = ?,
        description = ?, counterparty_name = ?, counterparty_iban = ?, raw_page = ?, raw_hash = ?, fingerprint = ?, last_seen_at = ?,
        retired_at = NULL WHERE id = ?`),
      rawPageOpen: p("INSERT INTO raw_pages (live, packed, codec) VALUES (0, x'', 'brotli')"),
      rawPageFill: p('UPDATE raw_pages SET live = ?, packed = ? WHERE id = ?'),
      seen: p('UPDATE transactions SET last_seen_at = ? WHERE id = ?'),
      seenMoveId: p('UPDATE transactions SET last_seen_at = ?, remote_id = ? WHERE id = ?'),
      addHistory: p(`INSERT INTO transaction_remote_ids (account_id, remote_id, transaction_id) VALUES (?, ?, ?)
        ON CONFLICT(account_id, remote_id) DO UPDATE SET transaction_id = excluded.transaction_id`),
      dropHistory: p('DELETE FROM transaction_remote_ids WHERE account_id = ? AND remote_id = ?'),
      retire: p(`UPDATE transactions SET retired_at = ? WHERE account_id = ? AND status = 'pending' AND retired_at IS NULL
        AND deleted_at IS NULL AND booking_date BETWEEN ? AND ? AND last_seen_at < ? AND id = ?`),
      retireCandidates: p(`SELECT id FROM transactions INDEXED BY tx_open_pending WHERE account_id = ? AND status = 'pending'
        AND retired_at IS NULL AND booking_date BETWEEN ? AND ? AND deleted_at IS NULL AND last_seen_at < ?`).pluck(),
      ftsAddRange: p(`INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
        SELECT ${FTS_KEY}, description, counterparty_name, note, category FROM transactions WHERE id BETWEEN ? AND ? AND account_id = ? ORDER BY 1`),
      ftsAddOne: p(`INSERT INTO transactions_fts(rowid, description, counterparty_name, note, category)
        SELECT ${FTS_KEY}, description, counterparty_name, note, category FROM transactions WHERE id = ?`),
      daySumsAddRange: p(`INSERT INTO booked_day_sums (account_id, booking_date, amount)
        SELECT account_id, booking_date, sum(amount) FROM transactions WHERE id BETWEEN ? AND ? AND account_id = ? AND status = 'booked'
        AND retired_at IS NULL GROUP BY account_id, booking_date ON CONFLICT DO UPDATE SET amount = amount + excluded.amount`),
      daySumsAddOne: p(`INSERT INTO booked_day_sums (account_id, booking_date, amount)
        SELECT account_id, booking_date, amount FROM transactions WHERE id = ? AND status = 'booked' AND retired_at IS NULL
        ON CONFLICT DO UPDATE SET amount = amount + excluded.amount`),
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

  /** Run `fn` as one IMMEDIATE transaction: the write lock is taken before its lookups, so a second process writing the
   *  same account waits (busy_timeout) instead of deciding on a stale snapshot. */
  inWriteTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ------------------------------------------------------------ lookups
  /** the stored rows of these remote ids (one query for a page, not one a row), by remote id */
  byRemoteIds(accountId: number, remoteIds: Iterable<string>): Map<string, StoredTxRow> {
    const rows = this.s.byIds.all(accountId, JSON.stringify([...remoteIds])) as StoredTxRow[];
    return new Map(rows.map((r) => [r.remote_id, r]));
  }
  /** the row an earlier remote id of the account points to */
  byEarlierId(accountId: number, remoteId: string): StoredTxRow | undefined {
    return this.s.byHistory.get(accountId, remoteId) as StoredTxRow | undefined;
  }
  hasEarlierIds(accountId: number): boolean {
    return this.s.hasHistory.get(accountId) !== undefined;
  }
  /** rows with this fingerprint in [from, to], nearest to `near` first */
  byFingerprint(accountId: number, fingerprint: Buffer, from: string, to: string, near: string): StoredTxRow[] {
    return this.s.byFingerprint.all(accountId, fingerprint, from, to, near) as StoredTxRow[];
  }
  /** rows of this amount in [from, to], nearest to `near` first; only imported ones unless `anySource` */
  sameAmount(accountId: number, amount: number, from: string, to: string, anySource: boolean, near: string): StoredTxRow[] {
    return this.s.fileTwins.all(accountId, amount, from, to, anySource ? 1 : 0, near) as StoredTxRow[];
  }
  hasImportedRows(accountId: number): boolean {
    return this.s.anyFileRow.get(accountId) !== undefined;
  }
  idsInRange(accountId: number, from: string, to: string): IterableIterator<number> {
    return this.s.idsInRange.iterate(accountId, from, to) as IterableIterator<number>;
  }
  /** open (not retired) pendings booked in [from, to] */
  openPendings(accountId: number, from: string, to: string): StoredTxRow[] {
    if (this.s.anyPending.get(accountId) === undefined) return [];
    return this.s.pendings.all(accountId, from, to) as StoredTxRow[];
  }
  oldestOpenPending(accountId: number): string | null {
    return (this.s.oldestOpenPending.get(accountId) as string | null | undefined) ?? null;
  }
  idsSeenSince(accountId: number, since: string): number[] {
    return this.s.seenSince.all(accountId, since) as number[];
  }

  // ------------------------------------------------------------ writes (inside inWriteTransaction)
  /**
   * Update rows and insert new ones (in the caller's order); returns the new rows' ids. Their raw payloads go into one
   * new raw page (rawpages.ts). The new rows have a raw_page, so the per-row insert triggers skip them (migration 19):
   * their FTS rows are added in one statement at the end, in ascending rowid order (FTS5 flushes its pending terms
   * whenever a rowid is not larger than the previous one), their booked amounts go into the day sums (migration 20) in
   * one statement too, and the caller hands their ids to detectTransfers.
   */
  write(accountId: number, updates: ReadonlyArray<{ id: number; row: TxWrite }>, inserts: readonly TxWrite[], at: string): number[] {
    const s = this.s;
    if (!updates.length && !inserts.length) return [];
    const page = Number(s.rawPageOpen.run().lastInsertRowid);
    const raws: Array<[number, string]> = [];
    for (const { id, row: t } of updates) {
      s.update.run(t.remoteId, t.bookingDate, t.valueDate, t.amount, t.currency, t.status, t.description,
        t.counterpartyName, t.counterpartyIban, page, t.rawHash, t.fingerprint, at, id);
      raws.push([id, t.raw]);
    }
    const ids: number[] = [];
    for (const t of inserts) {
      const id = Number(s.insert.run(accountId, t.remoteId, t.bookingDate, t.valueDate, t.amount, t.currency, t.status, t.description,
        t.counterpartyName, t.counterpartyIban, page, t.rawHash, t.fingerprint, at, at).lastInsertRowid);
      ids.push(id);
      raws.push([id, t.raw]);
    }
    s.rawPageFill.run(raws.length, packRaws(raws), page);
    if (ids.length) {
      // ids of a batch are consecutive unless rows were deleted at the end of the table; then add them one by one
      const lo = ids[0], hi = ids[ids.length - 1];
      if (hi - lo + 1 === ids.length) { s.ftsAddRange.run(lo, hi, accountId); s.daySumsAddRange.run(lo, hi, accountId); }
      else for (const id of ids) { s.ftsAddOne.run(id); s.daySumsAddOne.run(id); }
    }
    return ids;
  }
  markSeen(id: number, at: string, newRemoteId?: string): void {
    if (newRemoteId === undefined) this.s.seen.run(at, id);
    else this.s.seenMoveId.run(at, newRemoteId, id);
  }
  rememberEarlierId(accountId: number, remoteId: string, transactionId: number): void {
    this.s.addHistory.run(accountId, remoteId, transactionId);
  }
  forgetEarlierId(accountId: number, remoteId: string): void {
    this.s.dropHistory.run(accountId, remoteId);
  }
  /** open pendings in [from, to] last seen before `before` (retire candidates) */
  stalePendings(accountId: number, from: string, to: string, before: string): number[] {
    return this.s.retireCandidates.all(accountId, from, to, before) as number[];
  }
  retirePending(id: number, accountId: number, from: string, to: string, before: string, at: string): number {
    return this.s.retire.run(at, accountId, from, to, before, id).changes;
  }
  categorizeNew(rows: Array<RuleSubject & { id: number }>): void {
    categorizeNew(this.db, rows);
  }
  /** `inserted`: the ids write() returned in this step (not queued by a trigger) */
  detectTransfers(inserted: readonly number[]): void {
    detectTransfers(this.db, inserted);
  }

  // ------------------------------------------------------------ rows kept aside as unreadable
  hasAside(accountId: number): boolean {
    return this.s.anyAside.get(accountId) !== undefined;
  }
  asideRead(accountId: number, rowKey: string): void {
    this.s.asideRead.run(accountId, rowKey);
  }
  keepAside(accountId: number, r: { key: string; remoteId: string | null; reason: string; redactedJson: string }, seenFrom: string, at: string): void {
    this.s.asideUpsert.run(accountId, r.key, r.remoteId, r.reason, r.redactedJson, seenFrom, at, at);
  }
  sweepAside(accountId: number, from: string, before: string): void {
    this.s.asideSweep.run(accountId, from, before);
  }
  oldestAside(accountId: number): string | null {
    return (this.s.asideOldest.get(accountId) as string | null | undefined) ?? null;
  }

  // ------------------------------------------------------------ the account's cursor
  cursor(accountId: number): StoredCursor | null {
    const r = this.s.cursorGet.get(accountId) as { committed_through: string | null; first_sync_done: number; resume_json: string | null } | undefined;
    return r ? { committedThrough: r.committed_through, firstSyncDone: r.first_sync_done === 1, resumeJson: r.resume_json } : null;
  }
  saveCursor(accountId: number, c: StoredCursor): void {
    this.s.cursorUpsert.run(accountId, c.committedThrough, c.firstSyncDone ? 1 : 0, c.resumeJson);
  }
}
