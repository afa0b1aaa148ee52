// The balance check (issue 19, part 4): between two balances the bank reported (a snapshot per sync, and a statement
// file's closing balance, in `balances`), the booked rows stored must add up to the difference. Where they do not,
// history is missing there (e.g. a consent gap). Computed when asked, so it is current after every sync or import.
import type { HistoryGapDto } from '../../preload/contract/transfers.js';
import { english, type MainMessage } from '../domain/errors.js';
import type { Db } from './db.js';
import { stmt } from './repositories.js';

/**
 * Gaps of one account (or of every account), oldest first. A snapshot is the booked balance at the end of its date;
 * booked rows count from the day after one snapshot through the other's date, whatever the user did to them (deleted
 * and hidden rows moved the money; retired pendings never did).
 */
export function historyGaps(db: Db, accountId?: number): HistoryGapDto[] {
  const accounts = (accountId === undefined
    ? stmt(db, 'SELECT id, currency FROM accounts ORDER BY id').all()
    : stmt(db, 'SELECT id, currency FROM accounts WHERE id = ?').all(accountId)) as Array<{ id: number; currency: string }>;
  const out: HistoryGapDto[] = [];
  for (const a of accounts) {
    const snaps = stmt(db, "SELECT date, amount FROM balances WHERE account_id = ? AND kind = 'booked' ORDER BY date").all(a.id) as Array<{ date: string; amount: number }>;
    if (snaps.length < 2) continue;
    const sums = new Map<string, number>();
    for (const r of stmt(db, `SELECT booking_date AS d, sum(amount) AS s FROM transactions INDEXED BY tx_by_account_date WHERE account_id = ?
        AND status = 'booked' AND retired_at IS NULL AND booking_date > ? AND booking_date <= ? GROUP BY booking_date`)
      .all(a.id, snaps[0].date, snaps[snaps.length - 1].date) as Array<{ d: string; s: number }>) sums.set(r.d, r.s);
    const days = [...sums.keys()].sort();
    let i = 0;
    for (let k = 1; k < snaps.length; k++) {
      const [s1, s2] = [snaps[k - 1], snaps[k]];
      let moved = 0;
      for (; i < days.length && days[i] <= s2.date; i++) moved += sums.get(days[i])!;
      const missing = s2.amount - s1.amount - moved;
      if (missing === 0) continue;
      const notice = gapNotice(s1.date, s2.date, missing, a.currency);
      out.push({ accountId: a.id, from: s1.date, to: s2.date, missing, currency: a.currency, message: english(notice), notice });
    }
  }
  return out;
}

function gapNotice(from: string, to: string, missing: number, currency: string): MainMessage {
  return { id: 'gap.missing', values: {
    amount: { id: 'money', values: { minor: Math.abs(missing), currency } }, direction: missing > 0 ? 'in' : 'out',
    from: { id: 'date', values: { iso: from } }, to: { id: 'date', values: { iso: to } },
  } };
}
