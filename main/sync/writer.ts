// The sync write path: RemoteTransaction pages -> the transactions table, deduplicated and reconciled.
// Each page is ONE SQLite transaction, and the account's cursor (sync_cursors) moves inside that same transaction.
import { hash as digest } from 'node:crypto';
import { addDays } from '../domain/dates.js';
import { normalizeText } from '../domain/text.js';
import type { IsoDate, RemoteAccount, RemoteTransaction } from '../domain/types.js';
import { ProviderError } from '../providers/provider.js';
import { transactionProblem, type UnreadableRow } from '../providers/rows.js';
import type { Db } from '../store/db.js';
import { SyncWriteRepo, type StoredTxRow, type TxWrite } from '../store/syncwrites.js';

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

/** The first 48 bits of a SHA-1 as a 6-byte blob (the base64 text took 17 to 23 bytes a row; migration 18 made the
 *  stored text the same bytes). One-shot hashing (no Hash object per row): a large page's rows hash several times faster. */
export const hash48 = (text: string): Buffer => digest('sha1', text, 'buffer').subarray(0, 6);

/** amount + normalized counterparty + normalized description (the booking date is matched as a window, not hashed). */
export function fingerprintOf(t: { amount: number; counterpartyName?: string | null; description: string }): Buffer {
  return hash48(`${t.amount}|${normalizeText(t.counterpartyName)}|${normalizeText(t.description)}`);
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

/**
 * A row as the writer takes it: its columns, its raw payload as JSON text, the hash that tells a stored row changed and
 * the fingerprint that finds it again under a new id. Made where the page is read (preparePage): a sync makes them on
 * main's thread, which waits for the write worker anyway, so the worker only writes. The two 48-bit hashes travel as
 * numbers (postMessage copies a number for a fraction of a typed array's cost); stored, they are 6-byte blobs.
 */
export interface PreparedRow {
  t: Omit<RemoteTransaction, 'raw'>;
  rawJson: string;
  hash: number;
  fp: number;
}

/** a 48-bit hash as stored (a 6-byte blob) */
const blob48 = (n: number): Buffer => {
  const b = Buffer.allocUnsafe(6);
  b.writeUIntBE(n, 0, 6);
  return b;
};

/** A page validated (a malformed page throws ProviderError('bad_response'): nothing is written), deduplicated by remote id
 *  (the last report wins) and prepared for the writer. */
export function preparePage(input: unknown): PreparedRow[] {
  validatePage(input);
  const rows: PreparedRow[] = [];
  for (const { raw, ...t } of new Map(input.map((x) => [x.remoteId, x])).values()) {
    const rawJson = JSON.stringify(raw ?? null);
    const fields = `${t.bookingDate}|${t.valueDate ?? ''}|${t.amount}|${t.currency}|${t.status}|${t.description}|${t.counterpartyName ?? ''}|${t.counterpartyIban ?? ''}|`;
    rows.push({ t, rawJson, hash: hash48(fields + rawJson).readUIntBE(0, 6), fp: fingerprintOf(t).readUIntBE(0, 6) });
  }
  return rows;
}

interface Prepared extends PreparedRow {
  match?: StoredTxRow;
  /** how the match was made */
  via?: 'id' | 'history' | 'fingerprint' | 'pending';
}

/** remote ids of rows imported from statement files (main/import) start with this */
export const FILE_ID_PREFIX = 'file:';

/** the columns a transaction is written with */
const toWrite = (it: Prepared): TxWrite => ({
  remoteId: it.t.remoteId, bookingDate: it.t.bookingDate, valueDate: it.t.valueDate ?? null, amount: it.t.amount, currency: it.t.currency,
  status: it.t.status, description: it.t.description, counterpartyName: it.t.counterpartyName ?? null, counterpartyIban: it.t.counterpartyIban ?? null,
  raw: it.rawJson, rawHash: blob48(it.hash), fingerprint: blob48(it.fp),
});

export class TransactionWriter {
  private store: SyncWriteRepo;
  private o: Required<WriterOptions>;

  constructor(db: Db, opts: WriterOptions = {}) {
    this.o = {
      fingerprintWindowDays: opts.fingerprintWindowDays ?? 3,
      pendingDaysAfter: opts.pendingDaysAfter ?? 10,
      pendingDaysBefore: opts.pendingDaysBefore ?? 3,
      pendingAmountTolerance: opts.pendingAmountTolerance ?? 0.2,
      pendingAmountToleranceMinor: opts.pendingAmountToleranceMinor ?? 0,
      pendingGraceMs: opts.pendingGraceMs ?? 3 * DAY,
    };
    this.store = new SyncWriteRepo(db);
  }

  get options(): Readonly<Required<WriterOptions>> { return this.o; }

  cursor(accountId: number): AccountCursor {
    const r = this.store.cursor(accountId);
    if (!r) return { committedThrough: null, firstSyncDone: false, resume: null };
    return { committedThrough: r.committedThrough, firstSyncDone: r.firstSyncDone, resume: r.resumeJson ? JSON.parse(r.resumeJson) as ResumeState : null };
  }

  private moveCursor(accountId: number, move: CursorMove): void {
    const c = this.cursor(accountId);
    const next: AccountCursor = {
      committedThrough: move.committedThrough !== undefined && (!c.committedThrough || move.committedThrough > c.committedThrough)
        ? move.committedThrough : c.committedThrough,
      firstSyncDone: move.firstSyncDone ?? c.firstSyncDone,
      resume: move.resume !== undefined ? move.resume : c.resume,
    };
    this.store.saveCursor(accountId, { committedThrough: next.committedThrough, firstSyncDone: next.firstSyncDone, resumeJson: next.resume ? JSON.stringify(next.resume) : null });
  }

  /** The earliest window start of the account's kept-aside rows (the next sync reaches back to it), or null. */
  oldestAside(accountId: number): IsoDate | null {
    return this.store.oldestAside(accountId);
  }

  /** The booking date of the account's oldest open pending (a later sync reaches back to it), or null. */
  oldestOpenPending(accountId: number): IsoDate | null {
    return this.store.oldestOpenPending(accountId);
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
    return this.writeRows(accountId, preparePage(input), run, move, retire, aside, source);
  }

  /** writePage for a prepared page */
  private writeRows(
    accountId: number,
    items: Prepared[],
    run: RunContext,
    move: CursorMove | undefined,
    retire: { from: IsoDate; to: IsoDate } | undefined,
    aside: PageAside | undefined,
    source: 'aggregator' | 'file',
  ): WriteCounts {
    const counts = zeroCounts();
    const claimed = run.claimedFor(accountId);
    const at = run.at;
    const store = this.store;

    store.inWriteTransaction(() => {
      let minDate = '9999-12-31';
      let maxDate = '0000-01-01';
      for (const { t } of items) {
        if (t.bookingDate < minDate) minDate = t.bookingDate;
        if (t.bookingDate > maxDate) maxDate = t.bookingDate;
      }
      // pass 1: exact id matches (current id, then earlier ids) claim their rows
      const hasHistory = store.hasEarlierIds(accountId);
      const stored = store.byRemoteIds(accountId, items.map((it) => it.t.remoteId));
      for (const it of items) {
        let row = stored.get(it.t.remoteId);
        if (row) it.via = 'id';
        else if (hasHistory) {
          row = store.byEarlierId(accountId, it.t.remoteId);
          // an earlier id whose row another id of this run already took: it is a different transaction after all
          if (row && claimed.has(row.id) && row.remote_id !== it.t.remoteId) {
            store.forgetEarlierId(accountId, it.t.remoteId);
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
        for (const id of store.idsInRange(accountId, lo, hi)) {
          if (!claimed.has(id) || ++seen > 5000) { anyNearby = true; break; }
        }
      }
      let pendingPool: StoredTxRow[] | null = null;
      let fileRows: boolean | undefined;
      if (anyNearby) {
        for (const it of unmatched) {
          const t = it.t;
          // changed id: same fingerprint within a few days, same status or pending -> booked
          const cands = store.byFingerprint(accountId, blob48(it.fp), addDays(t.bookingDate, -w), addDays(t.bookingDate, w), t.bookingDate);
          let row = cands.find((c) => !claimed.has(c.id) && (c.status === t.status || c.status === 'pending'));
          if (row) it.via = 'fingerprint';
          else if (t.status === 'booked') {
            pendingPool ??= store.openPendings(accountId, pendingLo, pendingHi);
            if (pendingPool.length) row = this.bestPendingTwin(t, pendingPool.filter((c) => !claimed.has(c.id)));
            if (row) it.via = 'pending';
          }
          if (!row && (fileRows ??= source === 'file' || store.hasImportedRows(accountId))) {
            const twins = store.sameAmount(accountId, t.amount, addDays(t.bookingDate, -w), addDays(t.bookingDate, w), source === 'file', t.bookingDate);
            const words = wordsOf(t.counterpartyName, t.description);
            row = twins.find((c) => !claimed.has(c.id) && (c.booking_date === t.bookingDate || [...wordsOf(c.counterparty_name, c.description)].some((x) => words.has(x))));
            if (row) it.via = 'fingerprint';
          }
          if (row) { it.match = row; claimed.add(row.id); }
        }
      }
      const fresh: Prepared[] = [];
      const changed: Array<{ id: number; row: TxWrite }> = [];
      for (const it of items) {
        const t = it.t;
        const m = it.match;
        if (!m) { fresh.push(it); continue; }
        if (source === 'file') { counts.unchanged++; continue; }
        const idChanged = m.remote_id !== t.remoteId;
        if (m.deleted_at) {
          // deleted by the user: never comes back; remember the new id so it keeps matching
          if (idChanged) { store.rememberEarlierId(accountId, m.remote_id, m.id); store.markSeen(m.id, at, t.remoteId); store.forgetEarlierId(accountId, t.remoteId); }
          else store.markSeen(m.id, at);
          counts.unchanged++;
          continue;
        }
        if (m.status === 'booked' && t.status === 'pending') {
          // a stale pending report of a row that has booked (its old id is in the history): never downgrade
          store.markSeen(m.id, at);
          counts.unchanged++;
          continue;
        }
        if (!idChanged && m.raw_hash?.length === 6 && m.raw_hash.readUIntBE(0, 6) === it.hash && !m.retired_at) {
          store.markSeen(m.id, at);
          counts.unchanged++;
          continue;
        }
        if (idChanged) {
          // keep the earlier id (so it maps here if reported again) and take the new one
          store.rememberEarlierId(accountId, m.remote_id, m.id);
          store.forgetEarlierId(accountId, t.remoteId);
        }
        changed.push({ id: m.id, row: toWrite(it) });
        counts.updated++;
      }
      const ids = store.write(accountId, changed, fresh.map(toWrite), at);
      if (ids.length) {
        for (const id of ids) claimed.add(id);
        counts.new += ids.length;
        // the user's rules categorize new rows in the page's own transaction
        store.categorizeNew(fresh.map(({ t }, i) => ({ id: ids[i], accountId, amount: t.amount, currency: t.currency, description: t.description, counterpartyName: t.counterpartyName ?? null })));
      }
      if (retire) counts.retired += this.retireInTx(accountId, retire.from, retire.to, run);
      if (aside) this.keepAside(accountId, items, aside, at);
      if (move) this.moveCursor(accountId, move);
      // the page's new rows may be legs of transfers between own accounts: linked in the same transaction
      store.detectTransfers(ids);
    });
    return counts;
  }

  /**
   * writePage for a page of any size in steps of at most `stepRows` rows, each its own transaction, with `pause` awaited
   * between them (the event loop answers the window's calls while a large page is written). The page is read and
   * deduplicated as a whole first (a malformed page still changes nothing); the cursor, the retiring and the rows kept
   * aside move with the last step. A run stopped between steps leaves committed rows whose cursor has not moved: the
   * next run fetches the page again and matches them by id.
   */
  async writePageInSteps(
    accountId: number, input: unknown, run: RunContext, steps: { stepRows: number; pause: () => Promise<void> },
    move?: CursorMove, retire?: { from: IsoDate; to: IsoDate }, aside?: PageAside,
  ): Promise<WriteCounts> {
    return this.writePreparedInSteps(accountId, preparePage(input), run, steps, move, retire, aside);
  }

  /** writePageInSteps for a page prepared already (preparePage) */
  async writePreparedInSteps(
    accountId: number, rows: PreparedRow[], run: RunContext, steps: { stepRows: number; pause: () => Promise<void> },
    move?: CursorMove, retire?: { from: IsoDate; to: IsoDate }, aside?: PageAside,
  ): Promise<WriteCounts> {
    const size = Math.max(1, steps.stepRows);
    const counts = zeroCounts();
    for (let at = 0; ; at += size) {
      const last = at + size >= rows.length;
      // every step takes the kept-aside rows it reads fine out of that table; the new ones and the sweep go with the last
      const stepAside = aside && (last ? aside : { rows: [], seenFrom: aside.seenFrom });
      addCounts(counts, this.writeRows(accountId, rows.slice(at, at + size), run, last ? move : undefined, last ? retire : undefined, stepAside, 'aggregator'));
      if (last) return counts;
      await steps.pause();
    }
  }

  private keepAside(accountId: number, read: PreparedRow[], aside: PageAside, at: string): void {
    const store = this.store;
    if (store.hasAside(accountId)) for (const { t } of read) store.asideRead(accountId, t.remoteId);
    for (const r of aside.rows) {
      store.keepAside(accountId, { key: r.key, remoteId: r.remoteId, reason: r.reason.slice(0, 500), redactedJson: JSON.stringify(r.redacted ?? null) }, aside.seenFrom, at);
    }
    if (aside.sweepFrom) store.sweepAside(accountId, aside.sweepFrom, at);
  }

  /**
   * A run that resumes an interrupted window claims the rows the interrupted run(s) wrote or matched (seen since `since`),
   * as if it were that one run going on: the pages before the saved cursor are not fetched again, so their rows would be
   * unclaimed, and a fallback match would take one of them for a genuinely identical payment on a later page (same amount,
   * counterparty and text on one day), losing that payment.
   */
  claimSeenSince(accountId: number, run: RunContext, since: string): void {
    run.claimAll(accountId, this.store.idsSeenSince(accountId, since));
  }

  /** Retire (never delete) pendings in [from, to] not seen by this run and last seen before now - grace; null: none. */
  retire(accountId: number, range: { from: IsoDate; to: IsoDate } | null, run: RunContext, move?: CursorMove): number {
    return this.store.inWriteTransaction(() => {
      const n = range ? this.retireInTx(accountId, range.from, range.to, run) : 0;
      if (move) this.moveCursor(accountId, move);
      return n;
    });
  }

  private retireInTx(accountId: number, from: IsoDate, to: IsoDate, run: RunContext): number {
    const claimed = run.claimedFor(accountId);
    const before = new Date(Date.parse(run.at) - this.o.pendingGraceMs).toISOString();
    let n = 0;
    for (const id of this.store.stalePendings(accountId, from, to, before)) {
      if (claimed.has(id)) continue;
      n += this.store.retirePending(id, accountId, from, to, before, run.at);
    }
    return n;
  }

  private bestPendingTwin(t: PreparedRow['t'], pool: StoredTxRow[]): StoredTxRow | undefined {
    const cp = normalizeText(t.counterpartyName);
    const words = new Set(normalizeText(t.description).split(' ').filter((x) => x.length >= 3));
    let best: StoredTxRow | undefined;
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
