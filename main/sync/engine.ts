// The sync engine: windows, chunked resumable fetches, concurrency, budgets, Retry-After, scheduler, sync log.
// One engine for all four aggregators, behind the Provider interface.
import { setImmediate as turn } from 'node:timers/promises';
import type { EventOf } from '../../preload/contract/channels.js';
import type { ErrorCode } from '../../preload/contract/errors.js';
import { addDays } from '../domain/dates.js';
import { AppError, english, type MainMessage } from '../domain/errors.js';
import type { ConsentInfo, ConsentState, IsoDate } from '../domain/types.js';
import type { ConnectionContext, Provider, TransactionPage } from '../providers/provider.js';
import { banksTitle, ProviderError } from '../providers/provider.js';
import { newTrace, noteFailure, traced, type Trace } from '../providers/trace.js';
import type { Db } from '../store/db.js';
import { storageError } from '../store/errors.js';
import { createLeases, type LeaseOptions } from '../store/leases.js';
import { createRepositories, stateForErrorCode, type AccountRow, type ConnectionRow, type Repositories } from '../store/repositories.js';
import { SyncRunRepo } from '../store/syncruns.js';
import { createSyncWriter, type SyncWriter } from './syncwriter.js';
import { addCounts, RunContext, TransactionWriter, validateAccounts, zeroCounts, type ResumeState, type WriteCounts, type WriterOptions } from './writer.js';

/** what a person reads when the sync failed inside Multibank (the technical words go to the problem report) */
export const INTERNAL_FAILURE: MainMessage = { id: 'sync.internal' };

/** a failed or skipped sync: the stable code, the words for the person (msg), and their English (logs, scripts) */
export interface SyncError { code: ErrorCode; message: string; msg: MainMessage }
export const syncError = (code: ErrorCode, msg: MainMessage): SyncError => ({ code, message: english(msg), msg });

export type SyncTrigger = 'user' | 'schedule' | 'startup';
export type SyncOutcome = 'ok' | 'error' | 'cancelled' | 'deferred' | 'skipped';
export type ProgressEvent = EventOf<'sync.progress'>;

export interface SyncResult {
  connectionId: number;
  /** the sync_runs row (absent only when the connection does not exist) */
  runId: number | null;
  outcome: SyncOutcome;
  counts: WriteCounts;
  /** message: English (logs, scripts); msg: what the person reads, in their language */
  error?: SyncError;
  /** when deferred: the earliest time it may run, and why */
  deferredUntil?: string;
  /** transactions that could not be read and were kept aside (the rest was written) */
  unreadable?: number;
  reason?: string;
}

export interface SyncEngineOptions {
  db: Db;
  /** the provider and the connection context (secrets from the vault) for a stored connection */
  resolve(connectionId: number): Promise<{ provider: Provider; ctx: ConnectionContext }> | { provider: Provider; ctx: ConnectionContext };
  now?: () => Date;
  emit?: (event: ProgressEvent) => void;
  /** read on every scheduling decision, so a changed preference takes effect */
  prefs?: { get(): { syncEveryHours?: number } } | (() => { syncEveryHours?: number });
  /** connections fetching and writing at once (default 4); the aggregator's refresh before it is not bounded: it waits for the bank */
  concurrency?: number;
  /** days per fetched chunk (default 90); each completed chunk moves the account's committed_through */
  chunkDays?: number;
  /** overrides of the provider's capabilities */
  overlapDays?: number;
  dailyUnattendedBudget?: number;
  /** deferral when rate limited without a Retry-After (default 15 min) */
  defaultDeferMs?: number;
  writer?: WriterOptions;
  /** where the page writes run (default: a connection of the engine's own in the process's write worker, syncwriter.ts,
   *  closed with the engine; one given here is the caller's to close) */
  syncWriter?: SyncWriter;
  /** rows written in one transaction at most (default 500, one page of most aggregators): a larger page is written in
   *  steps, so main's own writes (the sync log, leases, the user's edits) wait for the write lock one step at most.
   *  (The steps run in the write worker: 500-row steps instead of 100 took a 100,000-row sync from 9.3 to 8.4 s.) */
  stepRows?: number;
  /** rows written in one transaction at least, when pages are smaller (default 100): a chunk's pages are written together
   *  up to this many rows (1: every page alone) */
  batchRows?: number;
  /** called after each committed page (tests use it to stop a sync half-way) */
  onPageCommitted?: (info: { connectionId: number; accountId: number; pages: number }) => void;
  /** the per-connection lease that keeps two processes from syncing one connection at once */
  lease?: LeaseOptions;
}

export interface SyncStatus {
  running: number[];
  nextScheduledAt: string | null;
  deferred: Array<{ connectionId: number; until: string; reason: string }>;
}

export interface SyncEngine {
  /** sync one connection; a second call while it runs joins the running one, unless `fresh` (it began before what
   *  the caller changed, e.g. a renewal's new tokens and consent): then a new run follows the running one */
  sync(connectionId: number, opts?: { trigger?: SyncTrigger; signal?: AbortSignal; fresh?: boolean }): Promise<SyncResult>;
  /** every connection that can run (background triggers skip blocked and deferred ones) */
  syncAll(opts?: { trigger?: SyncTrigger; signal?: AbortSignal }): Promise<SyncResult[]>;
  /** the ids that syncAll would start now */
  eligible(trigger: SyncTrigger): number[];
  cancel(connectionId?: number): void;
  isRunning(connectionId: number): boolean;
  status(): SyncStatus;
  /** start the periodic scheduler (and a start-up sync when overdue) */
  startScheduler(): void;
  stopScheduler(): void;
  /** when the scheduler runs next (null when stopped) */
  nextRunAt(): string | null;
  /** run the scheduler's check now: syncs everything when due; returns the results (empty when not due) */
  runScheduledIfDue(trigger?: 'schedule' | 'startup'): Promise<SyncResult[]>;
  /** unattended runs counted against the budget in the last 24 h */
  unattendedRunsToday(connectionId: number): number;
  /** what a recent run of this process asked the aggregator (for a problem report); null when not in memory */
  trace(runId: number): Trace | null;
  close(): Promise<void>;
}

/** States in which a background sync cannot do anything useful: the user must act. */
export const BLOCKED_STATES: readonly ConsentState[] = ['expired', 'revoked', 'needs_user', 'action_at_bank'];

const DAY_MS = 86_400_000;

/** the rows a run kept aside (account id + row key) and the first reason */
interface Unreadable { keys: Set<string>; reason: string | null }

const LAST_SCHEDULED_KEY = 'sync.lastScheduledAt';

class CancelledError extends AppError {
  constructor() { super('cancelled'); }
}

/** a rate limit defers the connection at least this long, whatever Retry-After said */
const MIN_DEFER_MS = 1000;

/** A counting semaphore with FIFO waiters that can give up when their signal aborts. */
class Semaphore {
  private waiters: Array<() => void> = [];
  private used = 0;
  constructor(private max: number) {}
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw new CancelledError();
    if (this.used < this.max) { this.used++; return this.releaser(); }
    await new Promise<void>((resolve, reject) => {
      const w = () => { signal?.removeEventListener('abort', onAbort); resolve(); };
      const onAbort = () => { this.waiters = this.waiters.filter((x) => x !== w); reject(new CancelledError()); };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(w);
    });
    this.used++;
    return this.releaser();
  }
  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.used--;
      const next = this.waiters.shift();
      if (next) next();
    };
  }
}

interface Running { promise: Promise<SyncResult>; controller: AbortController }

export function createSyncEngine(opts: SyncEngineOptions): SyncEngine {
  const db = opts.db;
  const now = opts.now ?? (() => new Date());
  const repos: Repositories = createRepositories(db, { now });
  // the reads that plan a sync (cursors, oldest pending, oldest kept-aside row) on main's connection; the writes on the
  // sync writer's (a worker thread), whose commits main's connection sees (WAL)
  const planner = new TransactionWriter(db, opts.writer);
  const writer = opts.syncWriter ?? createSyncWriter(db, opts.writer);
  // a listener that throws must not break a sync
  const emit = (e: ProgressEvent) => { try { opts.emit?.(e); } catch { /* ignored */ } };
  const sem = new Semaphore(opts.concurrency ?? 4);
  const chunkDays = Math.max(1, opts.chunkDays ?? 90);
  const stepRows = opts.stepRows ?? 500;
  const batchRows = Math.max(1, opts.batchRows ?? 100);
  const defaultDefer = opts.defaultDeferMs ?? 15 * 60_000;
  const running = new Map<number, Running>();
  /** traces of the latest runs, by run id (in memory only) */
  const traces = new Map<number, Trace>();
  const KEEP_TRACES = 20;
  let timer: NodeJS.Timeout | null = null;
  let schedulerOn = false;
  let nextRun: Date | null = null;
  let closed = false;

  const everyHours = () => {
    const p = typeof opts.prefs === 'function' ? opts.prefs() : opts.prefs?.get();
    const h = p?.syncEveryHours;
    return typeof h === 'number' && h > 0 ? h : 6;
  };

  const runs = new SyncRunRepo(db);
  const dayAgo = () => new Date(now().getTime() - DAY_MS).toISOString();
  const unattendedRunsToday = (connectionId: number): number => runs.unattendedSince(connectionId, dayAgo());
  const oldestUnattendedToday = (connectionId: number): string | undefined => runs.oldestUnattendedSince(connectionId, dayAgo());

  // ------------------------------------------------------------ sync runs (the log)
  const leases = createLeases(db, opts.lease);
  const leaseRenewMs = Math.max(50, Math.floor((opts.lease?.ttlMs ?? 60_000) / 4));
  const startRun = (connectionId: number, trigger: SyncTrigger, userPresent: boolean, at: string): number =>
    runs.start(connectionId, trigger, userPresent, at);
  // runs left 'running' by a process that is gone (killed, crashed) are marked 'interrupted' in the log: a run is only
  // 'running' while a live owner holds its connection's lease. Best effort: a database that cannot be written stays readable.
  try {
    const live = leases.liveRunIds();
    for (const id of runs.runningIds()) {
      if (live.has(id)) continue;
      runs.markInterrupted(id, JSON.stringify({ id: 'sync.interrupted' } satisfies MainMessage), now().toISOString());
    }
  } catch (e) {
    if (!storageError(e)) throw e;
  }
  const finishRun = (runId: number, r: {
    outcome: SyncOutcome; counts: WriteCounts; error?: SyncError | null;
    requestedFrom?: string | null; requestedTo?: string | null; servedFrom?: string | null; servedTo?: string | null;
    startedMs: number; details?: unknown; unreadable?: Unreadable;
  }) => {
    runs.finish(runId, {
      finishedAt: now().toISOString(), requestedFrom: r.requestedFrom ?? null, requestedTo: r.requestedTo ?? null, servedFrom: r.servedFrom ?? null,
      servedTo: r.servedTo ?? null, counts: r.counts, outcome: r.outcome, errorCode: r.error?.code ?? null, errorMessage: r.error ? JSON.stringify(r.error.msg) : null,
      durationMs: Math.max(0, Math.round(performance.now() - r.startedMs)), detailsJson: r.details === undefined ? null : JSON.stringify(r.details),
    });
    if (r.unreadable?.keys.size) runs.recordUnreadable(runId, r.unreadable.keys.size, r.unreadable.reason);
  };
  /** a failed run's log entry and the connection's last error, as far as the database takes them (a full disk may not) */
  const recordFailure = (connectionId: number, runId: number, r: Parameters<typeof finishRun>[1], onConnection: () => void) => {
    try { onConnection(); } catch { /* the run's own entry below matters more */ }
    try { finishRun(runId, r); return; } catch { /* retry without the optional columns */ }
    try {
      runs.finishBare(runId, { finishedAt: now().toISOString(), outcome: r.outcome, errorCode: r.error?.code ?? null, errorMessage: r.error ? JSON.stringify(r.error.msg) : null });
    } catch { /* still 'running': closed as interrupted on the next open, once this process and its lease are gone */ }
  };

  // ------------------------------------------------------------ provider calls: a rate limit defers the connection
  class Deferral extends Error {
    constructor(readonly until: Date, readonly error: ProviderError) { super(error.message); }
  }
  /**
   * Retries live in one layer, the shared HTTP client (main/providers/http.ts), not here: only it knows whether a request
   * may be repeated (idempotent) and what the answer's Retry-After said, and it repeats one request, not a whole step of
   * many. So a rate_limited that reaches here has already had its short waits: the connection is deferred until the
   * Retry-After (defaultDeferMs without one) and nothing is repeated.
   */
  async function call<T>(fn: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) throw new CancelledError();
    try {
      return await fn();
    } catch (e) {
      if (signal.aborted) throw new CancelledError();
      if (!(e instanceof ProviderError) || e.code !== 'rate_limited') throw e;
      throw new Deferral(new Date(now().getTime() + Math.max(e.info.retryAfterMs ?? defaultDefer, MIN_DEFER_MS)), e);
    }
  }

  // ------------------------------------------------------------ one connection
  async function runOne(connectionId: number, trigger: SyncTrigger, outerSignal: AbortSignal): Promise<SyncResult> {
    const conn = repos.connections.get(connectionId);
    if (!conn || conn.removedAt) {
      return { connectionId, runId: null, outcome: 'skipped', counts: zeroCounts(), error: syncError('not_found', { id: 'error.connection_gone' }) };
    }
    const userPresent = trigger === 'user';
    const startedAt = now();
    const startedIso = startedAt.toISOString();
    const startedMs = performance.now();
    const counts = zeroCounts();

    // decisions that need no provider call
    if (!userPresent && BLOCKED_STATES.includes(conn.state)) {
      const runId = startRun(connectionId, trigger, false, startedIso);
      const err = syncError(stateToCode(conn.state), { id: 'sync.skipped', values: { reason: (conn.stateMsg as MainMessage | null) ?? { id: 'sync.skipped_act_first' } } });
      finishRun(runId, { outcome: 'skipped', counts, error: err, startedMs });
      return { connectionId, runId, outcome: 'skipped', counts, error: err, reason: conn.state };
    }
    const deferredUntil = conn.nextAttemptAt && conn.nextAttemptAt > startedIso ? conn.nextAttemptAt : null;
    if (deferredUntil && (!userPresent || conn.nextAttemptReason === 'rate_limited')) {
      const runId = startRun(connectionId, trigger, userPresent, startedIso);
      const reason = conn.nextAttemptReason ?? 'rate_limited';
      const err = syncError(reason === 'budget_exhausted' ? 'budget_exhausted' : 'rate_limited', { id: 'sync.deferred', values: { until: { id: 'instant', values: { iso: deferredUntil } } } });
      finishRun(runId, { outcome: 'deferred', counts, error: err, startedMs });
      return { connectionId, runId, outcome: 'deferred', counts, error: err, deferredUntil, reason };
    }

    let provider: Provider;
    let ctx: ConnectionContext;
    const progress = (phase: ProgressEvent['phase'], pages: number, msg: MainMessage, accountId?: number) =>
      emit({ connectionId, phase, accountId, pages, counts: { ...counts }, message: english(msg), msg });
    // one process at a time per connection: a second one says so rather than fetching the same history again
    const lease = leases.take(connectionId, () => startRun(connectionId, trigger, userPresent, startedIso));
    if ('heldBy' in lease) {
      const err = syncError('already_syncing', { id: 'sync.already_syncing', values: { bank: conn.institutionName, pid: lease.heldBy.pid } });
      progress('error', 0, err.msg);
      return { connectionId, runId: null, outcome: 'skipped', counts, error: err, reason: 'already_syncing' };
    }
    const runId = lease.runId;
    // renewed while the run lasts; lost only when this process stalled past the lease's expiry and another one took over
    const leaseLost = new AbortController();
    const renewal = setInterval(() => {
      try { if (!leases.renew(connectionId)) leaseLost.abort(); } catch { /* busy or full: the next renewal tries again */ }
    }, leaseRenewMs);
    renewal.unref();
    const signal = AbortSignal.any([outerSignal, leaseLost.signal]);
    let requestedFrom: string | null = null;
    let servedFrom: string | null = null;
    let servedTo: string | null = null;
    const requestedTo = startedIso.slice(0, 10);
    const perAccount: Record<string, { from: string; to: string; pages: number }> = {};
    let totalPages = 0;
    const unreadable: Unreadable = { keys: new Set(), reason: null };
    let releaseSlot: (() => void) | null = null;
    const run = new RunContext(startedIso);
    try {
      ({ provider, ctx } = await opts.resolve(connectionId));
      const caps = provider.capabilities;
      if (!userPresent) {
        const budget = opts.dailyUnattendedBudget ?? (caps.dailyUnattendedBudget > 0 ? caps.dailyUnattendedBudget : 4);
        // this run is already in sync_runs (outcome 'running'), so it counts itself
        const used = unattendedRunsToday(connectionId);
        if (used > budget) {
          const oldest = oldestUnattendedToday(connectionId);
          const until = new Date((oldest ? Date.parse(oldest) : startedAt.getTime()) + DAY_MS).toISOString();
          repos.connections.setNextAttempt(connectionId, until, 'budget_exhausted');
          const err = syncError('budget_exhausted', { id: 'sync.budget_exhausted', values: { budget, until: { id: 'instant', values: { iso: until } } } });
          finishRun(runId, { outcome: 'deferred', counts, error: err, startedMs });
          return { connectionId, runId, outcome: 'deferred', counts, error: err, deferredUntil: until, reason: 'budget_exhausted' };
        }
      }
      repos.connections.markAttempt(connectionId, startedIso);
      progress('refresh', 0, { id: 'sync.progress.refresh' });
      const consent: ConsentInfo = await call(() => provider.refreshConnection(ctx, {
        userPresent, signal, onProgress: (m) => progress('refresh', 0, { id: 'verbatim', values: { text: m } }),
      }), signal);
      repos.connections.setConsent(connectionId, consent);
      // the bound is on the work after the refresh: a sync waiting for the aggregator to read the bank holds no slot
      releaseSlot = await sem.acquire(signal);
      // with access lapsed an aggregator serves the copy it kept (Powens does): a pending missing from that copy may
      // still be open at the bank, so nothing is retired or swept until the aggregator reads the bank again
      const current = consent.state === 'active' || consent.state === 'expiring';

      progress('accounts', 0, { id: 'sync.progress.accounts' });
      const remoteAccounts = await call(() => provider.listAccounts(ctx), signal);
      validateAccounts(remoteAccounts);
      // accounts first without balances (their local ids are needed for the pages); balances (and bank names) only when
      // the run succeeds, so a failed sync changes no account row that exists already and balances match the transactions stored
      const withoutBalances = remoteAccounts.map((a) => ({ ...a, balanceCurrent: null, balanceCurrentDate: null, balanceAvailable: null, balanceAvailableDate: null, institutionName: null }));
      const accounts = repos.accounts.upsertRemote(connectionId, withoutBalances);
      const overlap = opts.overlapDays ?? (caps.overlapDays >= 0 ? caps.overlapDays : 10);
      const today = requestedTo;
      const earliest = addDays(today, -Math.max(1, caps.maxHistoryDays || 90));

      /** where one account's fetching stands */
      interface AccountPlan { acc: AccountRow; windowFrom: IsoDate; from: IsoDate; since: string; resume: ResumeState | null; resumedAny: boolean; pages: number }
      /** one page to ask for: its account, its chunk, the cursor */
      interface PageRequest { plan: AccountPlan; chunkFrom: IsoDate; chunkTo: IsoDate; isLast: boolean; resumedMidChunk: boolean; cursor: string | null }

      const selected = accounts.filter((a) => a.selected);
      let nextAccount = 0;
      /** the first request of the next account with anything to fetch (one with nothing left is marked done here) */
      const firstRequestOfNextAccount = async (): Promise<PageRequest | null> => {
        while (nextAccount < selected.length) {
          const acc = selected[nextAccount++];
          const cur = planner.cursor(acc.id);
          // the window: first sync = all the history the provider serves; later = from committed_through - overlap
          let windowFrom: IsoDate;
          if (cur.firstSyncDone && cur.committedThrough) {
            windowFrom = maxDate(earliest, addDays(cur.committedThrough, -overlap));
            // reach back to the oldest open pending, so it is either reported again, replaced by its booking, or retired
            const oldestPending = planner.oldestOpenPending(acc.id);
            if (oldestPending && oldestPending < windowFrom) windowFrom = maxDate(earliest, oldestPending);
            // and to the oldest row kept aside as unreadable, so it is read again
            const oldestAside = planner.oldestAside(acc.id);
            if (oldestAside && oldestAside < windowFrom) windowFrom = maxDate(earliest, oldestAside);
          }
          else windowFrom = cur.resume?.windowFrom ?? earliest;
          // resume an interrupted first sync where it stopped (committed chunks are not fetched again)
          let from = windowFrom;
          if (!cur.firstSyncDone && cur.committedThrough && cur.committedThrough >= windowFrom) from = addDays(cur.committedThrough, 1);
          // this run goes on with a window an interrupted run began (chunks or pages of it are not fetched again): it takes
          // over that run's claims and start, so identical payments on both sides of the cut stay two rows
          const firstChunkTo = minDate(addDays(from, chunkDays - 1), today);
          const continues = cur.resume !== null && (from > windowFrom
            || (cur.resume.pageCursor !== null && cur.resume.chunkFrom === from && cur.resume.chunkTo === firstChunkTo));
          // (the earlier of the two, should the clock have gone back; a state saved without it claims from now on)
          const since = continues && cur.resume?.since && cur.resume.since < run.at ? cur.resume.since : run.at;
          if (continues) await writer.claimSeenSince(acc.id, run, since);
          if (requestedFrom === null || windowFrom < requestedFrom) requestedFrom = windowFrom;
          perAccount[acc.id] = { from, to: today, pages: 0 };
          if (from > today) {
            // nothing left (resumed on the day it finished): mark done
            await writer.retire(acc.id, current ? { from: windowFrom, to: today } : null, run, { committedThrough: today, firstSyncDone: true, resume: null });
            continue;
          }
          // kept-aside rows are swept (gone at the aggregator) only when this run fetched every page from `from` on
          return chunkRequest({ acc, windowFrom, from, since, resume: cur.resume, resumedAny: false, pages: 0 }, from);
        }
        return null;
      };
      const chunkRequest = (plan: AccountPlan, chunkFrom: IsoDate): PageRequest => {
        const chunkTo = minDate(addDays(chunkFrom, chunkDays - 1), today);
        // a saved page cursor applies only to the same chunk
        const r = plan.resume;
        const cursor = r && r.chunkFrom === chunkFrom && r.chunkTo === chunkTo ? r.pageCursor : null;
        // pendings seen by the interrupted run on the pages before that cursor are not in this run's memory: no retiring then
        plan.resumedAny ||= cursor !== null;
        return { plan, chunkFrom, chunkTo, isLast: chunkTo >= today, resumedMidChunk: cursor !== null, cursor };
      };
      /** what follows a page: the chunk's next page, the account's next chunk, or the next account's first page */
      const after = async (req: PageRequest, nextCursor: string | null): Promise<PageRequest | null> => {
        if (nextCursor !== null) return { ...req, cursor: nextCursor };
        return req.isLast ? firstRequestOfNextAccount() : chunkRequest(req.plan, addDays(req.chunkTo, 1));
      };
      const fetchPage = (req: PageRequest): Promise<TransactionPage> => {
        // a provider whose pendings are one undated listing serves them once, with the chunk reaching today, for the whole window
        const pendings = caps.undatedPendings ? { pendingsFrom: req.isLast ? req.plan.windowFrom : null } : {};
        const page = call(() => provider.fetchTransactions(ctx, req.plan.acc.remoteId, { from: req.chunkFrom, to: req.chunkTo, cursor: req.cursor, signal, ...pendings }), signal);
        // its failure surfaces when it is awaited; a run that stops before then drops it
        page.catch(() => {});
        return page;
      };

      /** pages read and not yet written, all of one account (of one or more chunks): written together, up to batchRows
       *  rows in one transaction */
      let batch: Array<{ req: PageRequest; page: TransactionPage }> = [];
      let batchedRows = 0;
      const writeBatch = async () => {
        if (!batch.length) return;
        const pages = batch;
        batch = [];
        batchedRows = 0;
        const { req, page: lastPage } = pages[pages.length - 1];
        const { plan, chunkFrom, chunkTo, isLast } = req;
        const { windowFrom, since } = plan;
        const done = lastPage.nextCursor === null;
        // pendings not seen by this run are retired with the chunk that brought them (all at once when that is the last
        // one); the chunks a batch completes are consecutive, so their ranges make one
        let retire: { from: IsoDate; to: IsoDate } | undefined;
        for (const { req: r, page } of pages) {
          if (page.nextCursor !== null || r.resumedMidChunk || !current || (caps.undatedPendings && !r.isLast)) continue;
          retire = { from: retire?.from ?? (caps.undatedPendings ? windowFrom : r.chunkFrom), to: r.chunkTo };
        }
        const aside = pages.flatMap((p) => p.page.unreadable ?? []);
        // the cursor moves with the last page written (a page is only done once it is committed)
        const c = await writer.writePageInSteps(plan.acc.id, pages.length === 1 ? lastPage.transactions : pages.flatMap((p) => p.page.transactions), run, stepRows,
          done
            ? { committedThrough: chunkTo, firstSyncDone: isLast ? true : undefined, resume: isLast ? null : { windowFrom, chunkFrom: addDays(chunkTo, 1), chunkTo: minDate(addDays(chunkTo, chunkDays), today), pageCursor: null, pages: 0, since } }
            : { resume: { windowFrom, chunkFrom, chunkTo, pageCursor: lastPage.nextCursor, pages: plan.pages + pages.length, since } },
          retire,
          // (kept-aside rows are read again from the earliest chunk of the batch on)
          { rows: aside, seenFrom: pages[0].req.chunkFrom, sweepFrom: done && isLast && !plan.resumedAny && current ? plan.from : undefined });
        for (const r of aside) {
          unreadable.keys.add(`${plan.acc.id}:${r.key}`);
          unreadable.reason ??= r.reason;
        }
        addCounts(counts, c);
        for (const { page } of pages) {
          plan.pages++;
          totalPages++;
          perAccount[plan.acc.id].pages = plan.pages;
          for (const t of page.transactions) {
            if (servedFrom === null || t.bookingDate < servedFrom) servedFrom = t.bookingDate;
            if (servedTo === null || t.bookingDate > servedTo) servedTo = t.bookingDate;
          }
          progress('transactions', totalPages, { id: 'sync.progress.account', values: { account: plan.acc.name, new: counts.new, updated: counts.updated } }, plan.acc.id);
          opts.onPageCommitted?.({ connectionId, accountId: plan.acc.id, pages: totalPages });
        }
        if (done && isLast) writer.forget(run, plan.acc.id);
      };

      // one request is always on its way: the next page (of this chunk, the next chunk or the next account) is asked for
      // before the current one is written
      let req = await firstRequestOfNextAccount();
      let inflight = req && fetchPage(req);
      while (req && inflight) {
        if (signal.aborted) throw new CancelledError();
        let page: TransactionPage;
        try {
          page = await inflight;
          if (signal.aborted) throw new CancelledError();
          if (!page || typeof page !== 'object' || !Array.isArray(page.transactions) || (page.nextCursor !== null && typeof page.nextCursor !== 'string')) {
            throw new ProviderError('bad_response', 'The aggregator sent a page of transactions we could not read. Nothing was changed.');
          }
        } catch (e) {
          // the pages read before a failed one are kept (a stopped run keeps none: they are fetched again)
          if (!signal.aborted) await writeBatch();
          throw e;
        }
        const next = await after(req, page.nextCursor);
        inflight = next && fetchPage(next);
        // reading the page and writing it are turns of the event loop of their own (the next request goes out first)
        await turn();
        if (batch.length && batchedRows + page.transactions.length > batchRows) await writeBatch();
        batch.push({ req, page });
        batchedRows += page.transactions.length;
        // an account's last page is written at once (the next pages are another account's)
        if ((page.nextCursor === null && req.isLast) || batchedRows >= batchRows) await writeBatch();
        req = next;
      }
      repos.accounts.upsertRemote(connectionId, remoteAccounts);
      // a connection without one institution of its own (Everifin) follows the banks its accounts are held at
      const title = conn.institutionId === null ? banksTitle(remoteAccounts) : null;
      if (title && title !== conn.institutionName) repos.connections.rename(connectionId, title);
      repos.connections.recordSuccess(connectionId, consent, now().toISOString());
      finishRun(runId, { outcome: 'ok', counts, requestedFrom, requestedTo, servedFrom, servedTo, startedMs, details: { accounts: perAccount }, unreadable });
      progress('done', totalPages, { id: 'sync.progress.done', values: { new: counts.new, updated: counts.updated, retired: counts.retired, unreadable: unreadable.keys.size } });
      return { connectionId, runId, outcome: 'ok', counts, ...(unreadable.keys.size ? { unreadable: unreadable.keys.size } : {}) };
    } catch (e) {
      const stored = storageError(e);
      if (!stored && leaseLost.signal.aborted && !outerSignal.aborted) {
        const err = syncError('already_syncing', { id: 'sync.taken_over' });
        recordFailure(connectionId, runId, { outcome: 'error', counts, error: err, requestedFrom, requestedTo, servedFrom, servedTo, startedMs, unreadable }, () => {});
        progress('error', totalPages, err.msg);
        return { connectionId, runId, outcome: 'error', counts, error: err };
      }
      if (!stored && (e instanceof CancelledError || (signal.aborted && !(e instanceof ProviderError)))) {
        const err = syncError('cancelled', { id: 'error.cancelled' });
        recordFailure(connectionId, runId, { outcome: 'cancelled', counts, error: err, requestedFrom, requestedTo, servedFrom, servedTo, startedMs, unreadable }, () => {});
        progress('error', totalPages, err.msg);
        return { connectionId, runId, outcome: 'cancelled', counts, error: err };
      }
      let code: ErrorCode;
      let message: MainMessage;
      let deferredTo: string | undefined;
      let onConnection: () => void;
      if (e instanceof Deferral) {
        code = e.error.code;
        message = e.error.msg;
        const until = deferredTo = e.until.toISOString();
        const providerCode = e.error.info.providerCode ?? null;
        onConnection = () => {
          repos.connections.recordError(connectionId, { code, message, providerCode });
          repos.connections.setNextAttempt(connectionId, until, code);
        };
      } else if (e instanceof ProviderError) {
        code = e.code;
        message = e.msg;
        const providerCode = e.info.providerCode ?? null;
        onConnection = () => repos.connections.recordError(connectionId, { code, message, providerCode });
      } else if (stored || e instanceof AppError) {
        ({ code, msg: message } = stored ?? (e as AppError));
        onConnection = () => repos.connections.recordError(connectionId, { code, message, state: null });
      } else {
        code = 'internal';
        message = INTERNAL_FAILURE;
        noteFailure(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        onConnection = () => repos.connections.recordError(connectionId, { code, message, state: null });
      }
      const err = syncError(code, message);
      recordFailure(connectionId, runId, { outcome: deferredTo ? 'deferred' : 'error', counts, error: err, requestedFrom, requestedTo, servedFrom, servedTo, startedMs, unreadable }, onConnection);
      progress('error', totalPages, message);
      return { connectionId, runId, outcome: deferredTo ? 'deferred' : 'error', counts, error: err, deferredUntil: deferredTo, reason: deferredTo ? code : undefined };
    } finally {
      releaseSlot?.();
      writer.endRun(run);
      clearInterval(renewal);
      try { leases.release(connectionId); } catch { /* expires by itself; its owner's death frees it sooner */ }
    }
  }

  function sync(connectionId: number, o: { trigger?: SyncTrigger; signal?: AbortSignal; fresh?: boolean } = {}): Promise<SyncResult> {
    const existing = running.get(connectionId);
    if (existing && o.fresh) return existing.promise.catch(() => undefined).then(() => sync(connectionId, { ...o, fresh: false }));
    if (existing) return existing.promise;
    if (closed) return Promise.resolve({ connectionId, runId: null, outcome: 'cancelled', counts: zeroCounts(), error: syncError('cancelled', { id: 'error.cancelled' }) });
    const controller = new AbortController();
    if (o.signal) {
      if (o.signal.aborted) controller.abort();
      else o.signal.addEventListener('abort', () => controller.abort(), { once: true });
    }
    const promise = (async () => {
      try {
        const trace = newTrace();
        const result = await traced(trace, () => runOne(connectionId, o.trigger ?? 'user', controller.signal));
        if (result.runId !== null) {
          traces.set(result.runId, trace);
          for (const id of traces.keys()) if (traces.size > KEEP_TRACES) traces.delete(id);
        }
        return result;
      } catch (e) {
        // the run could not even be recorded (read-only, full or damaged database): the caller still gets why
        const stored = storageError(e);
        if (!stored) throw e;
        const error = syncError(stored.code, stored.msg);
        emit({ connectionId, phase: 'error', pages: 0, counts: zeroCounts(), message: error.message, msg: error.msg });
        return { connectionId, runId: null, outcome: 'error' as const, counts: zeroCounts(), error };
      }
    })().finally(() => { running.delete(connectionId); });
    running.set(connectionId, { promise, controller });
    return promise;
  }

  function eligible(trigger: SyncTrigger): number[] {
    const at = now().toISOString();
    return repos.connections.list().filter((c) => trigger === 'user'
      || (!BLOCKED_STATES.includes(c.state) && !(c.nextAttemptAt && c.nextAttemptAt > at))).map((c) => c.id);
  }

  async function syncAll(o: { trigger?: SyncTrigger; signal?: AbortSignal } = {}): Promise<SyncResult[]> {
    const ids = eligible(o.trigger ?? 'user');
    return Promise.all(ids.map((id) => sync(id, o)));
  }

  function cancel(connectionId?: number): void {
    for (const [id, r] of running) if (connectionId === undefined || id === connectionId) r.controller.abort();
  }

  function status(): SyncStatus {
    const at = now().toISOString();
    const deferred = repos.connections.list()
      .filter((c: ConnectionRow) => c.nextAttemptAt && c.nextAttemptAt > at)
      .map((c) => ({ connectionId: c.id, until: c.nextAttemptAt!, reason: c.nextAttemptReason ?? c.lastErrorCode ?? 'deferred' }));
    return { running: [...running.keys()], nextScheduledAt: nextRun ? nextRun.toISOString() : null, deferred };
  }

  // ------------------------------------------------------------ scheduler
  const lastScheduled = (): Date | null => {
    const v = repos.meta.get(LAST_SCHEDULED_KEY);
    return v ? new Date(v) : null;
  };
  const computeNext = (): Date => {
    const last = lastScheduled();
    const every = everyHours() * 3_600_000;
    return last ? new Date(last.getTime() + every) : now();
  };
  async function runScheduledIfDue(trigger: 'schedule' | 'startup' = 'schedule'): Promise<SyncResult[]> {
    const due = computeNext();
    if (due.getTime() > now().getTime()) { nextRun = schedulerOn ? due : nextRun; return []; }
    repos.meta.set(LAST_SCHEDULED_KEY, now().toISOString());
    if (schedulerOn) nextRun = computeNext();
    return syncAll({ trigger });
  }
  function arm(): void {
    if (!schedulerOn || closed) return;
    if (timer) clearTimeout(timer);
    nextRun = computeNext();
    // wake at the due time, but at least once an hour (so a changed preference or a sleeping laptop is noticed)
    const delay = Math.min(Math.max(1000, nextRun.getTime() - now().getTime()), 3_600_000);
    timer = setTimeout(() => {
      void runScheduledIfDue('schedule').catch(() => {}).finally(arm);
    }, delay);
    timer.unref?.();
  }
  function startScheduler(): void {
    if (schedulerOn || closed) return;
    schedulerOn = true;
    nextRun = computeNext();
    // at start-up, sync when overdue
    if (nextRun.getTime() <= now().getTime()) void runScheduledIfDue('startup').catch(() => {}).finally(arm);
    else arm();
  }
  function stopScheduler(): void {
    schedulerOn = false;
    if (timer) clearTimeout(timer);
    timer = null;
    nextRun = null;
  }

  return {
    sync, syncAll, eligible, cancel, status, startScheduler, stopScheduler, runScheduledIfDue, unattendedRunsToday,
    isRunning: (id) => running.has(id),
    trace: (runId) => traces.get(runId) ?? null,
    nextRunAt: () => (nextRun ? nextRun.toISOString() : null),
    async close() {
      closed = true;
      stopScheduler();
      cancel();
      await Promise.allSettled([...running.values()].map((r) => r.promise));
      if (!opts.syncWriter) await writer.close();
    },
  };
}

function stateToCode(state: ConsentState): ErrorCode {
  switch (state) {
    case 'expired': return 'consent_expired';
    case 'revoked': return 'consent_revoked';
    case 'needs_user': return 'needs_user';
    case 'action_at_bank': return 'action_at_bank';
    default: return 'internal';
  }
}
const maxDate = (a: string, b: string) => (a > b ? a : b);
const minDate = (a: string, b: string) => (a < b ? a : b);

export { stateForErrorCode };
