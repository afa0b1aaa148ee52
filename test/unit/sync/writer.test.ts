import { afterEach, describe, expect, it } from 'vitest';
import { createSyncEngine } from '../../../main/sync/engine.js';
import { fingerprintOf, normalizeText, RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { getTransactionDetail } from '../../../main/store/queries.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { ScriptedProvider, cleanupDirs, ctxFor, day, freshDb, tx, visible } from './scripted.js';
import { testNow } from '../../helpers/clock.js';

afterEach(cleanupDirs);
const NOW = testNow('2026-11-20T10:00:00.000Z');
const TODAY = NOW.toISOString().slice(0, 10);

function setup(grace = 0) {
  const { db, connectionId } = freshDb();
  const provider = new ScriptedProvider();
  let t = NOW.getTime();
  const now = () => new Date(t);
  const engine = createSyncEngine({ db, now, resolve: (id) => ({ provider, ctx: ctxFor(id) }), writer: { pendingGraceMs: grace } });
  const repos = createRepositories(db, { now });
  const sync = async () => { const r = await engine.sync(connectionId); expect(r.outcome, JSON.stringify(r.error)).toBe('ok'); t += 3_600_000; return r; };
  return { db, provider, engine, repos, sync, advance: (ms: number) => { t += ms; } };
}
const all = (db: ReturnType<typeof setup>['db']) => db.prepare('select * from transactions order by id').all() as Array<Record<string, unknown>>;

describe('write path', () => {
  it('normalizes text and fingerprints without the date', () => {
    expect(normalizeText('  Café  MÜLLER, GmbH ')).toBe('cafe muller gmbh');
    expect(fingerprintOf({ amount: -5, counterpartyName: 'Café', description: 'X 1' })).toEqual(fingerprintOf({ amount: -5, counterpartyName: 'cafe', description: 'x-1' }));
    expect(fingerprintOf({ amount: -5, description: 'a' })).not.toEqual(fingerprintOf({ amount: -6, description: 'a' }));
  });

  it('is idempotent: the same set twice gives the same rows (unchanged counted) and stores raw + hash', async () => {
    const s = setup();
    s.provider.set('A1', [tx('t1', TODAY, -100), tx('t2', day(TODAY, -1), 50)]);
    expect((await s.sync()).counts).toMatchObject({ new: 2 });
    const rows = all(s.db).sort((a, b) => String(a.remote_id).localeCompare(String(b.remote_id)));
    expect((await s.sync()).counts).toMatchObject({ new: 0, updated: 0, unchanged: 2 });
    expect(all(s.db).sort((a, b) => String(a.remote_id).localeCompare(String(b.remote_id))).map((r) => ({ ...r, last_seen_at: 0 }))).toEqual(rows.map((r) => ({ ...r, last_seen_at: 0 })));
    expect(getTransactionDetail(s.db, rows[0].id as number).raw).toEqual({ id: 't1', amount: -100 });
    expect((rows[0].raw_hash as Buffer).length).toBe(6);
    // a changed field updates in place
    s.provider.set('A1', [tx('t1', TODAY, -100, { description: 'Better text' }), tx('t2', day(TODAY, -1), 50)]);
    expect((await s.sync()).counts).toMatchObject({ updated: 1, unchanged: 1 });
    expect(s.db.prepare("select 4294967295 - (rowid & 4294967295) from transactions_fts where transactions_fts match 'better'").pluck().all()).toEqual([rows[0].id]);
  });

  it('pending -> booked with the same id replaces the pending in place', async () => {
    const s = setup();
    s.provider.set('A1', [tx('p1', TODAY, -1000, { status: 'pending' })]);
    await s.sync();
    s.repos.transactions.update(1, { category: 'Food', note: 'lunch' });
    s.provider.set('A1', [tx('p1', day(TODAY, 1), -1000, { status: 'booked' })]);
    s.advance(86_400_000);
    expect((await s.sync()).counts).toMatchObject({ new: 0, updated: 1 });
    expect(all(s.db)).toEqual([expect.objectContaining({ id: 1, status: 'booked', category: 'Food', note: 'lunch', retired_at: null })]);
  });

  it('pending -> booked with a new id and a changed amount (tip) within the tolerance replaces its twin', async () => {
    const s = setup();
    s.provider.set('A1', [tx('p1', TODAY, -2000, { status: 'pending', counterpartyName: 'Trattoria Roma', description: 'CARD PENDING Trattoria' }),
      tx('other', TODAY, -2000, { counterpartyName: 'Someone Else' })]);
    await s.sync();
    s.repos.transactions.update(1, { category: 'Eating out' });
    s.advance(86_400_000);
    s.provider.set('A1', [tx('b1', day(TODAY, 1), -2300, { counterpartyName: 'TRATTORIA ROMA', description: 'Card payment Trattoria Roma' }),
      tx('other', TODAY, -2000, { counterpartyName: 'Someone Else' })]);
    const r = await s.sync();
    expect(r.counts).toMatchObject({ new: 0, updated: 1, unchanged: 1 });
    expect(visible(s.db)).toEqual([
      { remote_id: 'b1', status: 'booked', amount: -2300, booking_date: day(TODAY, 1) },
      { remote_id: 'other', status: 'booked', amount: -2000, booking_date: TODAY },
    ]);
    expect(all(s.db)[0]).toMatchObject({ id: 1, category: 'Eating out' });
    // the old pending id maps to the booked row: a late report of it does not bring the pending back
    s.provider.set('A1', [tx('p1', TODAY, -2000, { status: 'pending', counterpartyName: 'Trattoria Roma' }), tx('b1', day(TODAY, 1), -2300, { counterpartyName: 'TRATTORIA ROMA', description: 'Card payment Trattoria Roma' }), tx('other', TODAY, -2000, { counterpartyName: 'Someone Else' })]);
    expect((await s.sync()).counts).toMatchObject({ new: 0 });
    expect(visible(s.db)).toHaveLength(2);
  });

  it('a booked amount beyond the tolerance does not replace the pending (which is retired when it vanishes)', async () => {
    const s = setup();
    s.provider.set('A1', [tx('p1', TODAY, -1000, { status: 'pending', counterpartyName: 'Hotel' })]);
    await s.sync();
    s.provider.set('A1', [tx('b1', TODAY, -5000, { counterpartyName: 'Hotel' })]);
    const r = await s.sync();
    expect(r.counts).toMatchObject({ new: 1, retired: 1 });
    expect(visible(s.db).map((x) => x.remote_id)).toEqual(['b1']);
    const retired = all(s.db).find((x) => x.remote_id === 'p1')!;
    expect(retired.retired_at).not.toBeNull();
    expect(s.db.prepare('select retired_count from sync_runs order by id desc').pluck().get()).toBe(1);
  });

  it('vanished pendings are retired only after the grace period, never deleted, and come back if reported again', async () => {
    const s = setup(2 * 86_400_000);
    s.provider.set('A1', [tx('p1', TODAY, -10, { status: 'pending' }), tx('b0', TODAY, -3)]);
    await s.sync();
    s.provider.set('A1', [tx('b0', TODAY, -3)]);
    expect((await s.sync()).counts.retired).toBe(0);
    s.advance(2 * 86_400_000);
    expect((await s.sync()).counts.retired).toBe(1);
    expect(all(s.db)).toHaveLength(2);
    expect(visible(s.db).map((x) => x.remote_id)).toEqual(['b0']);
    s.provider.set('A1', [tx('p1', TODAY, -10, { status: 'pending' }), tx('b0', TODAY, -3)]);
    expect((await s.sync()).counts).toMatchObject({ updated: 1 });
    expect(visible(s.db).map((x) => x.remote_id)).toEqual(['b0', 'p1']);
  });

  it('changed ids are matched by fingerprint (no duplicates), and two identical purchases stay two', async () => {
    const s = setup();
    const coffee = (id: string, d = TODAY) => tx(id, d, -350, { counterpartyName: 'Coffee Bar', description: 'Card payment Coffee Bar' });
    s.provider.set('A1', [coffee('c1'), coffee('c2'), tx('rent', day(TODAY, -3), -90000)]);
    await s.sync();
    s.repos.transactions.update(2, { note: 'second coffee' });
    // the aggregator renumbers everything
    s.provider.set('A1', [coffee('x1'), coffee('x2'), tx('xrent', day(TODAY, -3), -90000, { description: 'Payment rent', counterpartyName: 'Shop rent' })]);
    const r = await s.sync();
    expect(r.counts.new).toBe(0);
    expect(visible(s.db)).toHaveLength(3);
    expect(all(s.db).map((x) => x.note)).toEqual([null, 'second coffee', null]);
    // a third identical coffee is new
    s.provider.set('A1', [coffee('x1'), coffee('x2'), coffee('x3'), tx('xrent', day(TODAY, -3), -90000, { description: 'Payment rent', counterpartyName: 'Shop rent' })]);
    expect((await s.sync()).counts).toMatchObject({ new: 1 });
    expect(visible(s.db)).toHaveLength(4);
    // the old ids still map to their rows
    expect(s.db.prepare('select count(*) from transaction_remote_ids').pluck().get()).toBe(3);
  });

  it('a row the user deleted or hid does not come back; user fields survive re-sync and renewal', async () => {
    const s = setup();
    s.provider.set('A1', [tx('t1', TODAY, -1), tx('t2', TODAY, -2), tx('t3', TODAY, -3)]);
    await s.sync();
    s.repos.transactions.deleteByUser(1);
    s.repos.transactions.update(2, { hidden: true, category: 'X' });
    s.repos.transactions.update(3, { note: 'keep me' });
    await s.sync();
    expect(s.db.prepare('select count(*) from transactions').pluck().get()).toBe(3);
    // renewal: new account remote id (same IBAN) and new transaction ids
    s.provider.accounts = [{ remoteId: 'A1-renewed', name: 'Current', type: 'current', currency: 'EUR', iban: 'DE001' }];
    s.provider.txs.clear();
    s.provider.set('A1-renewed', [tx('n1', TODAY, -1, { description: 'Payment t1', counterpartyName: 'Shop t1' }),
      tx('n2', TODAY, -2, { description: 'Payment t2', counterpartyName: 'Shop t2' }), tx('n3', TODAY, -3, { description: 'Payment t3', counterpartyName: 'Shop t3' })]);
    const r = await s.sync();
    expect(r.counts.new).toBe(0);
    expect(s.repos.accounts.list().map((a) => [a.id, a.remoteId])).toEqual([[1, 'A1-renewed']]);
    const rows = all(s.db);
    expect(rows).toHaveLength(3);
    expect(rows.map((x) => [x.deleted_at !== null, x.hidden, x.category, x.note])).toEqual([[true, 0, null, null], [false, 1, 'X', null], [false, 0, null, 'keep me']]);
  });

  it('the cursor moves in the same transaction as the page: a failing write leaves both untouched', () => {
    const { db } = freshDb();
    createRepositories(db, { now: () => NOW }).accounts.upsertRemote(1, [{ remoteId: 'A1', name: 'A', type: 'current', currency: 'EUR' }]);
    const w = new TransactionWriter(db);
    const run = new RunContext(NOW.toISOString());
    w.writePage(1, [tx('a', TODAY, 1)], run, { resume: { windowFrom: TODAY, chunkFrom: TODAY, chunkTo: TODAY, pageCursor: 'p2', pages: 1 } });
    expect(w.cursor(1).resume?.pageCursor).toBe('p2');
    db.exec("create trigger boom before insert on transactions when new.remote_id = 'boom' begin select raise(abort, 'disk full'); end");
    expect(() => w.writePage(1, [tx('b', TODAY, 2), tx('boom', TODAY, 3)], run, { resume: { windowFrom: TODAY, chunkFrom: TODAY, chunkTo: TODAY, pageCursor: 'p3', pages: 2 } })).toThrow(/disk full/);
    expect(w.cursor(1).resume?.pageCursor).toBe('p2');
    expect(db.prepare('select remote_id from transactions').pluck().all()).toEqual(['a']);
    expect(db.prepare("select 4294967295 - (rowid & 4294967295) from transactions_fts where transactions_fts match 'payment'").pluck().all()).toEqual([1]);
    db.close();
  });
});

describe('overlap window', () => {
  it('a late booking inside the overlap is caught by the next sync; one older than the overlap is outside the window', async () => {
    const s = setup();
    s.provider.set('A1', [tx('t1', day(TODAY, -30), -1)]);
    await s.sync();
    s.advance(2 * 86_400_000);
    s.provider.set('A1', [tx('t1', day(TODAY, -30), -1), tx('late', day(TODAY, -7), -2), tx('ancient', day(TODAY, -20), -3)]);
    const r = await s.sync();
    expect(r.counts.new).toBe(1);
    expect(visible(s.db).map((x) => x.remote_id)).toEqual(['late', 't1']);
    const fetch = s.provider.calls.filter((c) => c.method === 'fetchTransactions').at(-1)!;
    // from committed_through (the first sync's today) minus the provider's overlapDays (10)
    expect(fetch.args[1]).toBe(day(TODAY, -10));
  });
});

describe('old pendings', () => {
  it('a pending older than the overlap keeps being checked: the window reaches back to it and it is retired when gone', async () => {
    const s = setup();
    s.provider.set('A1', [tx('hotel', day(TODAY, -25), -50000, { status: 'pending', counterpartyName: 'Hotel' }), tx('t1', day(TODAY, -1), -1)]);
    await s.sync();
    s.advance(86_400_000);
    s.provider.set('A1', [tx('t1', day(TODAY, -1), -1)]);
    const r = await s.sync();
    expect(s.provider.calls.filter((c) => c.method === 'fetchTransactions').at(-1)!.args[1]).toBe(day(TODAY, -25));
    expect(r.counts.retired).toBe(1);
    expect(visible(s.db).map((x) => x.remote_id)).toEqual(['t1']);
    // once no pending is open, the window is the plain overlap again
    await s.sync();
    expect(s.provider.calls.filter((c) => c.method === 'fetchTransactions').at(-1)!.args[1]).toBe(day(TODAY, -9));
  });
});
