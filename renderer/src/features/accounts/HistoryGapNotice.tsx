// "History incomplete": between two balances the bank reported, the stored transactions do not add up (e.g. after a
// consent gap). Says how much and between which days, and what to do. Nothing shows when history is complete.
import { useQuery } from '../../app/api.js';
import { formatMoney } from '../../lib/money.js';
import { formatDate } from '../../lib/time.js';

export function HistoryGapNotice({ accountId }: { accountId: number }) {
  const gaps = useQuery('accounts.historyGaps', { accountId });
  if (!gaps.data?.length) return null;
  return (
    <section className="banner banner-warn history-gap-notice" role="status" aria-label="History incomplete">
      <div>
        {gaps.data.map((g) => (
          <p key={`${g.from}-${g.to}`}>
            <strong>History incomplete:</strong> {formatMoney(Math.abs(g.missing), g.currency)} of money {g.missing > 0 ? 'in' : 'out'} is
            missing between {formatDate(g.from)} and {formatDate(g.to)}: the balances your bank reported changed by more than
            the transactions stored here. Renew the connection and sync, or import a bank statement covering those days.
          </p>
        ))}
      </div>
    </section>
  );
}
