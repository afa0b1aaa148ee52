// The balance check (issue 19, part 4; main/store/balancecheck.ts) through the real sync write path on a real SQLite
// file: each sync's account listing keeps the bank's balance for its day, the writer stores the rows; a stretch whose
// rows do not add up to the change of balance is reported with its size and dates, until a later sync or a statement
// import brings the missing rows.
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteAccount, RemoteTransaction } from '../../../main/domain/types.js';
import { historyGaps } from '../../../main/store/balancecheck.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { testNow } from '../../helpers/clock.js';
import { cleanupDirs, day, freshDb, tx } from '../sync/scripted.js';

afterEach(cleanupDirs);

const START = testNow('2026-11-02T08:00:00.000Z');
const D0 = START.toISOString().slice(0, 10);
const d = (offset: number) => day(D0, offset);

function setup() {
  const { db, connectionId } = freshDb();
  let now = START;
  const repos = createRepositories(db, { now: () => now });
  const writer = new TransactionWriter(db);
  /** one sync on `date`: the account listing (with the bank's balance), then a page of rows */
  const sync = (date: string, balance: number, rows: RemoteTransaction[]) => {
    now = new Date(`${date}T08:00:00.000Z`);
    const acc: RemoteAccount = { remoteId: 'cur', name: 'Current', type: 'current', currency: 'EUR', balanceCurrent: balance, balanceCurrentDate: date };
    const [a] = repos.accounts.upsertRemote(connectionId, [acc]);
    writer.writePage(a.id, rows, new RunContext(now.toISOString()));
    return a.id;
  };
  return { db, sync };
}

describe('balance check', () => {
  it('reports money missing between two syncs, and forgets it once a later sync brings the rows', () => {
    const { db, sync } = setup();
    const id = sync(d(0), 100_000, [tx('a', d(-1), -2_000), tx('b', d(0), 5_000)]);
    expect(historyGaps(db)).toEqual([]);
    // a week later: the bank's balance fell by 60.00 + 150.00, but only the 60.00 came (the rest fell into a consent gap)
    sync(d(7), 79_000, [tx('c', d(6), -6_000)]);
    expect(historyGaps(db)).toEqual([{
      accountId: id, from: d(0), to: d(7), missing: -15_000, currency: 'EUR',
      message: expect.stringMatching(/^History incomplete: €150\.00 of money out is missing between \w+ \d+, \d{4} and \w+ \d+, \d{4}: the balances your bank reported changed by more than the transactions stored here\. Renew the connection and sync, or import a bank statement covering those days\.$/),
      notice: { id: 'gap.missing', values: { amount: { id: 'money', values: { minor: 15_000, currency: 'EUR' } }, direction: 'out',
        from: { id: 'date', values: { iso: d(0) } }, to: { id: 'date', values: { iso: d(7) } } } },
    }]);
    expect(historyGaps(db, id)).toHaveLength(1);
    // the next sync (after a renewal) reaches back and brings the missing days; the stretches agree again
    sync(d(9), 79_000, [tx('d', d(2), -10_000), tx('e', d(4), -5_000)]);
    expect(historyGaps(db)).toEqual([]);
  });

  it('counts rows the user deleted or hid (the money moved) but not retired pendings, and checks each stretch on its own', () => {
    const { db, sync } = setup();
    const id = sync(d(0), 50_000, []);
    sync(d(3), 48_000, [tx('x', d(1), -2_000), tx('p', d(2), -9_999, { status: 'pending' })]);
    db.prepare("UPDATE transactions SET deleted_at = '2026-01-01T00:00:00Z' WHERE remote_id = 'x'").run();
    expect(historyGaps(db)).toEqual([]);
    // money in that never arrived here, in the second stretch only
    sync(d(5), 58_000, []);
    expect(historyGaps(db).map((g) => [g.accountId, g.from, g.to, g.missing])).toEqual([[id, d(3), d(5), 10_000]]);
    expect(historyGaps(db)[0].message).toMatch(/^History incomplete: €100\.00 of money in is missing between/);
  });
});
