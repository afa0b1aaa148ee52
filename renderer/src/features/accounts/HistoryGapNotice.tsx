// "History incomplete": between two balances the bank reported, the stored transactions do not add up (e.g. after a
// consent gap). Says how much and between which days, and what to do (main's notice, in the reader's language).
// Nothing shows when history is complete.
import { useQuery } from '../../app/api.js';
import { useT } from '../../app/i18n.js';
import { MessageText } from '../../app/message.js';

export function HistoryGapNotice({ accountId }: { accountId: number }) {
  const gaps = useQuery('accounts.historyGaps', { accountId });
  const t = useT();
  if (!gaps.data?.length) return null;
  return (
    <section className="banner banner-warn history-gap-notice" role="status" aria-label={t('gap.label')}>
      <div>
        {gaps.data.map((g) => <p key={`${g.from}-${g.to}`}><MessageText m={g.notice} /></p>)}
      </div>
    </section>
  );
}
