// Rows a provider could not read (TransactionPage.unreadable): kept aside in the page's own transaction, counted per run,
// reached back to by later syncs, dropped once read fine or no longer reported by a run that covered their window.
import { afterEach, describe, expect, it } from 'vitest';
import type { UnreadableRow } from '../../../main/providers/rows.js';
import { createSyncEngine } from '../../../main/sync/engine.js';
import { unreadableRows } from '../../../main/store/queries.js';
import { ScriptedProvider, cleanupDirs, ctxFor, day, freshDb, tx } from './scripted.js';

afterEach(cleanupDirs);
const TODAY = '2026-11-20';

function setup() {
  const { db, connectionId } = freshDb();
  const provider = new ScriptedProvider();
  let t = Date.parse(`${TODAY}T10:00:00.000Z`);
  const engine = createSyncEngine({ db, now: () => new Date(t), resolve: (id) => ({ provider, ctx: ctxFor(id) }) });
  /** rows the "bank" sends that the client cannot read, on every page (the same key twice is one row) */
  let odd: UnreadableRow[] = [];
  provider.mutatePage = (page) => ({ ...page, unreadable: odd });
  const sync = async () => {
    const r = await engine.sync(connectionId);
    expect(r.outcome, JSON.stringify(r.error)).toBe('ok');
    t += 3_600_000;
    return r;
  };
  const run = (id: number) => db.prepare('SELECT unreadable_count, unreadable_reason FROM sync_runs WHERE id = ?').get(id);
  return { db, provider, sync, run, setOdd: (rows: UnreadableRow[]) => { odd = rows; } };
}
const row = (key: string, reason = 'amount: Amount 1e-7 has more decimals than EUR allows (2)'): UnreadableRow =>
  ({ key, remoteId: key.startsWith('#') ? null : key, reason, redacted: { id: key, amount: '1e-7', purpose: '[text]' } });

describe('transactions kept aside', () => {
  it('keeps them with the page, counts them per run, reaches back to them, and drops them once read or gone', async () => {
    const s = setup();
    s.provider.set('A1', [tx('t1', TODAY, -100), tx('t2', day(TODAY, -30), 50)]);
    s.setOdd([row('u1'), row('#abc', 'date: not a date')]);
    const first = await s.sync();
    expect(first.unreadable).toBe(2);
    expect(first.counts.new).toBe(2);
    expect(s.run(first.runId!)).toEqual({ unreadable_count: 2, unreadable_reason: 'amount: Amount 1e-7 has more decimals than EUR allows (2)' });
    const aside = unreadableRows(s.db, { accountId: 1 });
    expect(aside.map((r) => [r.remoteId, r.reason])).toEqual([['u1', 'amount: Amount 1e-7 has more decimals than EUR allows (2)'], [null, 'date: not a date']]);
    expect(aside[0].raw).toEqual({ id: 'u1', amount: '1e-7', purpose: '[text]' });

    // the next (incremental) sync reaches back to where they came from, so it reads them again
    s.provider.calls = [];
    s.setOdd([row('u1')]);
    const second = await s.sync();
    const from = (s.provider.calls.find((c) => c.method === 'fetchTransactions')!.args[1]) as string;
    expect(from).toBe(day(TODAY, -400));
    expect(second.unreadable).toBe(1);
    // '#abc' was not reported by a run that covered its window: gone at the aggregator
    expect(unreadableRows(s.db, { accountId: 1 }).map((r) => r.remoteId)).toEqual(['u1']);

    // u1 reads fine now: written, and it leaves the list; later syncs reach back no further than the overlap
    s.setOdd([]);
    s.provider.set('A1', [tx('t1', TODAY, -100), tx('t2', day(TODAY, -30), 50), tx('u1', day(TODAY, -200), -7)]);
    const third = await s.sync();
    expect(third.unreadable).toBeUndefined();
    expect(third.counts.new).toBe(1);
    expect(unreadableRows(s.db, { accountId: 1 })).toEqual([]);
    expect(s.run(third.runId!)).toEqual({ unreadable_count: 0, unreadable_reason: null });
    s.provider.calls = [];
    await s.sync();
    expect(s.provider.calls.find((c) => c.method === 'fetchTransactions')!.args[1]).toBe(day(TODAY, -10));
  });
});
