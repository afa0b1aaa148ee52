import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSyncEngine, INTERNAL_FAILURE, type ProgressEvent } from '../../../main/sync/engine.js';
import { ProviderError } from '../../../main/providers/provider.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { ScriptedProvider, cleanupDirs, ctxFor, day, freshDb, tx, visible } from './scripted.js';
import { fixedClock, testNow } from '../../helpers/clock.js';
import { english } from '../../../main/domain/errors.js';

afterEach(cleanupDirs);

const NOW = testNow('2026-11-20T10:00:00.000Z');
const TODAY = NOW.toISOString().slice(0, 10);
const DAY = 86_400_000;

function setup(opts: { provider?: ScriptedProvider; engine?: Partial<Parameters<typeof createSyncEngine>[0]> } = {}) {
  const { db, connectionId } = freshDb();
  const provider = opts.provider ?? new ScriptedProvider();
  const c = fixedClock(NOW);
  const events: ProgressEvent[] = [];
  const engine = createSyncEngine({
    db, now: c.now, emit: (e) => events.push(e), resolve: (id) => ({ provider, ctx: ctxFor(id) }),
    writer: { pendingGraceMs: 0 }, ...opts.engine,
  });
  const repos = createRepositories(db, { now: c.now });
  return { db, connectionId, provider, clock: c, events, engine, repos };
}

describe('sync engine', () => {
  it('first sync fetches the whole history window; a later sync starts at committed_through minus the overlap', async () => {
    const s = setup();
    s.provider.set('A1', [tx('t1', day(TODAY, -300), -100), tx('t2', day(TODAY, -5), -200), tx('t3', TODAY, 300)]);
    const r = await s.engine.sync(s.connectionId, { trigger: 'user' });
    expect(r.outcome).toBe('ok');
    expect(r.counts).toMatchObject({ new: 3, updated: 0 });
    expect(visible(s.db).map((x) => x.remote_id)).toEqual(['t1', 't2', 't3']);
    const fetches = s.provider.calls.filter((c) => c.method === 'fetchTransactions');
    expect(fetches[0].args[1]).toBe(day(TODAY, -400));
    expect(fetches.at(-1)!.args[2]).toBe(TODAY);
    expect(s.db.prepare('select committed_through, first_sync_done, resume_json from sync_cursors').get()).toEqual({ committed_through: TODAY, first_sync_done: 1, resume_json: null });
    // the next day
    s.clock.advance(DAY);
    s.provider.calls = [];
    const r2 = await s.engine.sync(s.connectionId);
    expect(r2.counts).toMatchObject({ new: 0, unchanged: 2 });
    const f2 = s.provider.calls.filter((c) => c.method === 'fetchTransactions');
    expect(f2[0].args[1]).toBe(day(TODAY, -10));
    const run = s.db.prepare('select * from sync_runs order by id desc').get() as Record<string, unknown>;
    expect(run).toMatchObject({ outcome: 'ok', requested_from: day(TODAY, -10), requested_to: day(TODAY, 1), unchanged_count: 2, trigger: 'user', user_present: 1 });
    expect(s.repos.connections.get(s.connectionId)).toMatchObject({ state: 'active', consentExpiresAt: '2027-06-01T00:00:00.000Z' });
    expect(s.repos.connections.get(s.connectionId)!.lastSuccessAt).not.toBeNull();
    expect(s.events.at(-1)).toMatchObject({ connectionId: s.connectionId, phase: 'done' });
    expect(s.events.some((e) => e.phase === 'transactions' && e.accountId === 1)).toBe(true);
  });

  it('a pending missing from what an aggregator serves while access has lapsed stays open until it reads the bank again', async () => {
    const s = setup();
    s.provider.set('A1', [tx('b1', day(TODAY, -3), -100), tx('p1', day(TODAY, -1), -250, { status: 'pending' })]);
    await s.engine.sync(s.connectionId, { trigger: 'user' });
    const open = () => s.db.prepare("select remote_id from transactions where status = 'pending' and retired_at is null").pluck().all();
    expect(open()).toEqual(['p1']);
    // lapsed: the aggregator's kept copy lacks the pending (Powens serves what its last good read saw)
    s.provider.set('A1', [tx('b1', day(TODAY, -3), -100)]);
    s.provider.consentInfo = { state: 'expired', expiresAt: NOW.toISOString() };
    s.clock.advance(5 * DAY);
    expect((await s.engine.sync(s.connectionId, { trigger: 'user' })).counts.retired).toBe(0);
    expect(open()).toEqual(['p1']);
    // renewed, and the bank still does not report it: now it is gone
    s.provider.consentInfo = { state: 'active', expiresAt: '2027-06-01T00:00:00.000Z' };
    expect((await s.engine.sync(s.connectionId, { trigger: 'user' })).counts.retired).toBe(1);
    expect(open()).toEqual([]);
  });

  it('a fresh sync asked for while one runs (a renewal) follows it with a new run, whose consent is the one kept', async () => {
    const s = setup();
    const renewed = { state: 'active' as const, expiresAt: '2027-12-01T00:00:00.000Z' };
    s.provider.consentInfo = { state: 'expiring', expiresAt: new Date(NOW.getTime() + 2 * DAY).toISOString() };
    // the first run has its (old) consent and waits in the account listing
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const list = s.provider.listAccounts.bind(s.provider);
    let waiting = false;
    s.provider.listAccounts = async () => { if (!waiting) { waiting = true; await held; } return list(); };
    const first = s.engine.sync(s.connectionId);
    await vi.waitFor(() => expect(waiting).toBe(true));
    s.provider.consentInfo = renewed; // renewed at the aggregator meanwhile
    const joined = s.engine.sync(s.connectionId);
    const fresh = s.engine.sync(s.connectionId, { fresh: true });
    release();
    const [a, b, c] = await Promise.all([first, joined, fresh]);
    expect(b).toBe(a);
    expect(c.runId).not.toBe(a.runId);
    expect(s.provider.calls.filter((x) => x.method === 'refreshConnection')).toHaveLength(2);
    expect(s.repos.connections.get(s.connectionId)).toMatchObject({ state: 'active', consentExpiresAt: renewed.expiresAt });
  });

  it('user-triggered refreshes are user-present; unattended ones are not', async () => {
    const s = setup();
    await s.engine.sync(s.connectionId, { trigger: 'user' });
    await s.engine.sync(s.connectionId, { trigger: 'schedule' });
    expect(s.provider.calls.filter((c) => c.method === 'refreshConnection').map((c) => c.args[0])).toEqual([true, false]);
  });

  it('a ProviderError sets the error and matching state and changes no data rows', async () => {
    const s = setup();
    s.provider.set('A1', [tx('t1', TODAY, -1)]);
    await s.engine.sync(s.connectionId);
    const before = s.db.prepare('select * from transactions').all();
    for (const [code, state] of [['consent_expired', 'expired'], ['consent_revoked', 'revoked'], ['needs_user', 'needs_user'], ['bank_unavailable', 'failing'], ['timeout', 'failing'], ['network', 'failing']] as const) {
      s.provider.fail('refreshConnection', new ProviderError(code, `msg ${code}`, { providerCode: `P_${code}` }));
      s.provider.set('A1', [tx('t1', TODAY, -999), tx('t9', TODAY, -5)]);
      const r = await s.engine.sync(s.connectionId, { trigger: 'user' });
      expect(r.outcome).toBe('error');
      expect(r.error?.code).toBe(code);
      expect(s.repos.connections.get(s.connectionId)).toMatchObject({ state, lastErrorCode: code, lastErrorMessage: `msg ${code}`, providerCode: `P_${code}` });
      expect(s.db.prepare('select * from transactions').all()).toEqual(before);
    }
    const log = s.db.prepare("select outcome, error_code from sync_runs where outcome = 'error'").all();
    expect(log).toHaveLength(6);
  });

  it('a failure inside Multibank reads in plain words; its technical words go to the trace for the problem report', async () => {
    const s = setup();
    s.provider.fail('listAccounts', new TypeError("Cannot read properties of undefined (reading 'iban')"));
    const r = await s.engine.sync(s.connectionId, { trigger: 'user' });
    expect(r).toMatchObject({ outcome: 'error', error: { code: 'internal', message: english(INTERNAL_FAILURE), msg: INTERNAL_FAILURE } });
    expect(english(INTERNAL_FAILURE)).toBe('Something went wrong inside Multibank while syncing. What was saved before stays; sync again, and if it happens again, save a problem report from the sync log.');
    expect(s.repos.connections.get(s.connectionId)!.lastErrorMessage).toBe(english(INTERNAL_FAILURE));
    expect(s.engine.trace(r.runId!)!.failure).toBe("TypeError: Cannot read properties of undefined (reading 'iban')");
  });

  it('background syncs skip connections whose consent needs the user', async () => {
    const s = setup();
    s.repos.connections.setConsent(s.connectionId, { state: 'expired' });
    expect(s.engine.eligible('schedule')).toEqual([]);
    const r = await s.engine.sync(s.connectionId, { trigger: 'schedule' });
    expect(r.outcome).toBe('skipped');
    expect(s.provider.calls).toHaveLength(0);
    expect(await s.engine.syncAll({ trigger: 'schedule' })).toEqual([]);
    expect(s.engine.eligible('user')).toEqual([s.connectionId]);
  });

  it('unattended refreshes stay within the daily budget; the user can still sync', async () => {
    const s = setup();
    for (let i = 0; i < 4; i++) {
      expect((await s.engine.sync(s.connectionId, { trigger: 'schedule' })).outcome).toBe('ok');
      s.clock.advance(3_600_000);
    }
    const r = await s.engine.sync(s.connectionId, { trigger: 'schedule' });
    expect(r.outcome).toBe('deferred');
    expect(r.error?.code).toBe('budget_exhausted');
    expect(r.deferredUntil).toBe(new Date(NOW.getTime() + DAY).toISOString()); // 24 h after the first of the four
    expect(s.provider.calls.filter((c) => c.method === 'refreshConnection')).toHaveLength(4);
    expect(s.engine.status().deferred).toEqual([{ connectionId: s.connectionId, until: r.deferredUntil, reason: 'budget_exhausted' }]);
    expect(s.engine.eligible('schedule')).toEqual([]);
    expect((await s.engine.sync(s.connectionId, { trigger: 'user' })).outcome).toBe('ok');
    expect(s.engine.unattendedRunsToday(s.connectionId)).toBe(4);
    // a day later the budget is back
    s.clock.advance(DAY);
    expect((await s.engine.sync(s.connectionId, { trigger: 'startup' })).outcome).toBe('ok');
  });

  it('honours Retry-After by deferring the connection, repeating nothing (the HTTP client already had its short waits)', async () => {
    const s = setup();
    s.provider.set('A1', [tx('t1', TODAY, -1)]);
    s.provider.fail('fetchTransactions', new ProviderError('rate_limited', 'slow down', { retryAfterMs: 2000 }));
    const r = await s.engine.sync(s.connectionId);
    expect(r.outcome).toBe('deferred');
    expect(r.deferredUntil).toBe(new Date(NOW.getTime() + 2000).toISOString());
    expect(s.provider.calls.filter((c) => c.method === 'fetchTransactions')).toHaveLength(1);
    s.clock.advance(2001);
    expect((await s.engine.sync(s.connectionId)).outcome).toBe('ok');
    expect(visible(s.db)).toHaveLength(1);
    s.provider.fail('refreshConnection', new ProviderError('rate_limited', 'come back in an hour', { retryAfterMs: 3_600_000 }));
    const r2 = await s.engine.sync(s.connectionId);
    expect(r2.outcome).toBe('deferred');
    expect(r2.deferredUntil).toBe(new Date(s.clock.now().getTime() + 3_600_000).toISOString());
    expect(s.repos.connections.get(s.connectionId)).toMatchObject({ state: 'failing', lastErrorCode: 'rate_limited', nextAttemptReason: 'rate_limited' });
    // while deferred, even a user sync waits; after it, runs again
    expect((await s.engine.sync(s.connectionId)).outcome).toBe('deferred');
    s.clock.advance(3_600_001);
    expect((await s.engine.sync(s.connectionId)).outcome).toBe('ok');
    expect(s.repos.connections.get(s.connectionId)).toMatchObject({ state: 'active', nextAttemptAt: null, lastErrorCode: null });
  });

  it('a malformed page changes zero rows and is logged as bad_response', async () => {
    const s = setup();
    s.provider.set('A1', [tx('t1', TODAY, -1)]);
    await s.engine.sync(s.connectionId);
    const before = s.db.prepare('select * from transactions').all();
    s.provider.set('A1', [tx('t1', TODAY, -5), tx('t2', TODAY, -6), { ...tx('t3', TODAY, 1), amount: 1.5 }]);
    const r = await s.engine.sync(s.connectionId);
    expect(r.outcome).toBe('error');
    expect(r.error?.code).toBe('bad_response');
    expect(s.db.prepare('select * from transactions').all()).toEqual(before);
    s.provider.mutatePage = () => ({ transactions: 'nope', nextCursor: 3 });
    expect((await s.engine.sync(s.connectionId)).error?.code).toBe('bad_response');
    expect(s.db.prepare('select * from transactions').all()).toEqual(before);
  });

  it('runs connections in parallel within the bound, one sync per connection, and joins a running one', async () => {
    const { db } = freshDb();
    const repos = createRepositories(db, { now: () => NOW });
    const provider = new ScriptedProvider();
    provider.delayMs = 30;
    for (let i = 0; i < 5; i++) repos.connections.create({ provider: 'powens', institutionName: `B${i}`, remote: {} });
    // one provider object per connection sharing counters would hide per-connection overlap: track both
    const perConn = new Map<number, number>();
    let maxPerConn = 0;
    // the bound is on the work after the refresh (a sync waiting for the aggregator's refresh holds no slot)
    let working = 0;
    let maxWorking = 0;
    const work = async <T>(fn: () => Promise<T>): Promise<T> => {
      maxWorking = Math.max(maxWorking, ++working);
      try { return await fn(); } finally { working--; }
    };
    const engine = createSyncEngine({
      db, now: () => NOW, concurrency: 3,
      resolve: (id) => {
        const wrapped = Object.create(provider) as ScriptedProvider;
        wrapped.refreshConnection = async (ctx, o) => {
          perConn.set(id, (perConn.get(id) ?? 0) + 1);
          maxPerConn = Math.max(maxPerConn, perConn.get(id)!);
          try { return await provider.refreshConnection(ctx, o); } finally { perConn.set(id, perConn.get(id)! - 1); }
        };
        wrapped.listAccounts = () => work(() => provider.listAccounts());
        wrapped.fetchTransactions = (ctx, acc, w) => work(() => provider.fetchTransactions(ctx, acc, w));
        return { provider: wrapped, ctx: ctxFor(id) };
      },
    });
    const a = engine.sync(2);
    const b = engine.sync(2);
    expect(engine.isRunning(2)).toBe(true);
    const all = engine.syncAll();
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra).toBe(rb);
    const results = await all;
    expect(results).toHaveLength(6);
    expect(results.every((r) => r.outcome === 'ok')).toBe(true);
    expect(maxWorking).toBeLessThanOrEqual(3);
    expect(maxWorking).toBeGreaterThan(1);
    expect(maxPerConn).toBe(1);
    expect(db.prepare("select count(*) from sync_runs where connection_id = 2").pluck().get()).toBe(1);
    db.close();
  });

  it('cancels a running sync; committed pages stay and the next sync resumes', async () => {
    const s = setup({ provider: new ScriptedProvider({ pageSize: 2 }) });
    s.provider.capabilities.maxHistoryDays = 60;
    s.provider.set('A1', Array.from({ length: 10 }, (_, i) => tx(`t${i}`, day(TODAY, -i), -i - 1)));
    let pages = 0;
    const fetchedAtCommit: number[] = [];
    const fetches = () => s.provider.calls.filter((c) => c.method === 'fetchTransactions').length;
    const engine = createSyncEngine({
      // every page its own write step (pages of 2 rows would be written together)
      db: s.db, now: s.clock.now, resolve: (id) => ({ provider: s.provider, ctx: ctxFor(id) }), batchRows: 1,
      onPageCommitted: () => { fetchedAtCommit.push(fetches()); if (++pages === 2) engine.cancel(s.connectionId); },
    });
    const r = await engine.sync(s.connectionId);
    expect(r.outcome).toBe('cancelled');
    // the next page is fetched while a page is written: when page 1 commits, page 2 has been asked for
    expect(fetchedAtCommit).toEqual([2, 3]);
    expect(visible(s.db)).toHaveLength(4);
    expect(s.db.prepare("select outcome from sync_runs order by id desc").pluck().get()).toBe('cancelled');
    const r2 = await engine.sync(s.connectionId);
    expect(r2.outcome).toBe('ok');
    expect(visible(s.db)).toHaveLength(10);
    // it continued from the saved page cursor: no committed page fetched twice (page '4' was on its way, not written,
    // when the first run was cancelled)
    const cursors = s.provider.calls.filter((c) => c.method === 'fetchTransactions').map((c) => c.args[3]);
    expect(cursors).toEqual([null, '2', '4', '4', '6', '8']);
  });

  it('a cancel before the slot is free cancels the waiting sync', async () => {
    const s = setup({ engine: { concurrency: 1 } });
    s.provider.delayMs = 20;
    const second = s.repos.connections.create({ provider: 'powens', institutionName: 'B2', remote: {} });
    const p1 = s.engine.sync(s.connectionId);
    const p2 = s.engine.sync(second.id);
    s.engine.cancel(second.id);
    expect((await p2).outcome).toBe('cancelled');
    expect((await p1).outcome).toBe('ok');
  });

  it('scheduler: due at start-up when never run, then every N hours from the preference', async () => {
    let hours = 6;
    const s = setup({ engine: { prefs: () => ({ syncEveryHours: hours }) } });
    const first = await s.engine.runScheduledIfDue('startup');
    expect(first.map((r) => r.outcome)).toEqual(['ok']);
    expect(s.db.prepare('select trigger from sync_runs').pluck().all()).toEqual(['startup']);
    expect(await s.engine.runScheduledIfDue()).toEqual([]);
    s.clock.advance(5 * 3_600_000);
    expect(await s.engine.runScheduledIfDue()).toEqual([]);
    hours = 4;
    expect((await s.engine.runScheduledIfDue()).length).toBe(1);
    s.engine.startScheduler();
    expect(s.engine.nextRunAt()).toBe(new Date(s.clock.now().getTime() + 4 * 3_600_000).toISOString());
    expect(s.engine.status().nextScheduledAt).toBe(s.engine.nextRunAt());
    s.engine.stopScheduler();
    expect(s.engine.nextRunAt()).toBeNull();
    await s.engine.close();
  });

  it('startScheduler syncs at start-up when overdue (trigger startup) and exposes the next run', async () => {
    const s = setup();
    s.engine.startScheduler();
    await vi.waitFor(() => expect(s.db.prepare("select count(*) from sync_runs where outcome = 'ok'").pluck().get()).toBe(1), { timeout: 20_000, interval: 10 });
    expect(s.db.prepare('select trigger, user_present from sync_runs').all()).toEqual([{ trigger: 'startup', user_present: 0 }]);
    expect(s.engine.nextRunAt()).toBe(new Date(s.clock.now().getTime() + 6 * 3_600_000).toISOString());
    await s.engine.close();
    expect(s.engine.nextRunAt()).toBeNull();
  });
});

describe('two engines on one database file (two processes)', () => {
  it('syncing the same connection at once: the lease lets one fetch, the other says so; exactly the bank set', async () => {
    const { db, file, connectionId } = freshDb();
    const { openDatabase } = await import('../../../main/store/db.js');
    const db2 = openDatabase(file);
    const providers: ScriptedProvider[] = [];
    const mk = (d: typeof db) => {
      const p = new ScriptedProvider({ pageSize: 7 });
      p.delayMs = 2;
      p.set('A1', Array.from({ length: 60 }, (_, i) => tx(`t${i}`, day(TODAY, -(i % 30)), -i - 1, { status: i % 11 === 0 ? 'pending' : 'booked' })));
      providers.push(p);
      return createSyncEngine({ db: d, now: () => NOW, chunkDays: 10, resolve: (id) => ({ provider: p, ctx: ctxFor(id) }) });
    };
    const [r1, r2] = await Promise.all([mk(db).sync(connectionId), mk(db2).sync(connectionId)]);
    expect(r1).toMatchObject({ outcome: 'ok', runId: expect.any(Number) });
    expect(r2).toMatchObject({ outcome: 'skipped', runId: null, error: { code: 'already_syncing', message: expect.stringMatching(/already syncing in another Multibank window or process/) } });
    // the history was fetched once, and the log holds only the run that synced
    expect(providers[1].calls).toEqual([]);
    expect(db.prepare('select id, outcome from sync_runs').all()).toEqual([{ id: r1.runId, outcome: 'ok' }]);
    expect(db.prepare('select count(*) from sync_leases').pluck().get()).toBe(0);
    // once the first is done, the second may sync
    expect((await mk(db2).sync(connectionId)).outcome).toBe('ok');
    expect(db.prepare('select count(*) from transactions').pluck().get()).toBe(60);
    expect(db.prepare('select count(distinct remote_id) from transactions').pluck().get()).toBe(60);
    expect(db.prepare('select count(*) from accounts').pluck().get()).toBe(1);
    db2.close();
    db.close();
  });
});

describe('failures half-way', () => {
  it('an error after the accounts were listed leaves existing accounts and transactions untouched', async () => {
    const { db, connectionId } = freshDb();
    const provider = new ScriptedProvider();
    provider.accounts[0].balanceCurrent = 1000;
    provider.set('A1', [tx('t1', TODAY, -1)]);
    const engine = createSyncEngine({ db, now: () => NOW, resolve: (id) => ({ provider, ctx: ctxFor(id) }) });
    expect((await engine.sync(connectionId)).outcome).toBe('ok');
    const snapshot = () => ({ a: db.prepare('select * from accounts').all(), b: db.prepare('select * from balances').all(), t: db.prepare('select * from transactions').all() });
    const before = snapshot();
    provider.accounts[0] = { ...provider.accounts[0], balanceCurrent: 5, name: 'Current' };
    provider.set('A1', [tx('t1', TODAY, -1), tx('t2', TODAY, -2)]);
    provider.fail('fetchTransactions', new ProviderError('consent_revoked', 'revoked at the bank'));
    const r = await engine.sync(connectionId);
    expect(r.error?.code).toBe('consent_revoked');
    expect(snapshot()).toEqual(before);
    // a malformed account list changes nothing either
    provider.accounts = [{ remoteId: 'A1', name: 'x', type: 'current', currency: 'euro' } as never];
    expect((await engine.sync(connectionId)).error?.code).toBe('bad_response');
    expect(snapshot()).toEqual(before);
    // and a good run writes the balance
    provider.accounts = [{ remoteId: 'A1', name: 'Current', type: 'current', currency: 'EUR', iban: 'DE001', balanceCurrent: 5 }];
    expect((await engine.sync(connectionId)).outcome).toBe('ok');
    expect(db.prepare('select balance_current from accounts').pluck().get()).toBe(5);
  });
});
