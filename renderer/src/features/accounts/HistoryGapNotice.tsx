// "History incomplete": between two balances the bank reported, the stored transactions do not add up (e.g. after a
// consent gap). Says how much and between which days, and what to do. Nothing shows when history is complete.
import { useQuery } from '../../app/api.js';

export function HistoryGapNotice({ accountId }: { accountId: number }) {
  const gaps = useQuery('accounts.historyGaps', { accountId });
  if (!gaps.data?.length) return null;
  return (
    <section className="banner banner-warn history-gap-notice" role="status" aria-label="History incomplete">
      <div>{gaps.data.map((g) => <p key={`${g.from}-${g.to}`}>{g.message}</p>)}</div>
    </section>
  );
}
