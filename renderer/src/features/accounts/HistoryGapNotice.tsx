// "History incomplete": between two balances the bank reported, the stored transactions do not add up (e.g. after a
// consent gap). Says how much and between which days, and what to do. Nothing shows when history is complete.
import { useQuery } from '../../app/api.js';
import { formatMoney } from '../../lib/money.js';
import { formatDate } from '../../lib/time.js';
import { useDisplay } from '../../app/prefs.js';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../app/i18n.js';

export function HistoryGapNotice({ accountId }: { accountId: number }) {
  const gaps = useQuery('accounts.historyGaps', { accountId });
  const t = useT();
  const { locale } = useDisplay();
  if (!gaps.data?.length) return null;
  return (
    <section className="banner banner-warn history-gap-notice" role="status" aria-label={t('gap.label')}>
      <div>
        {gaps.data.map((g) => (
          <p key={`${g.from}-${g.to}`}>
            <FormattedMessage id="gap.text" values={{
              amount: formatMoney(Math.abs(g.missing), g.currency, { locale }), direction: g.missing > 0 ? 'in' : 'out',
              from: formatDate(g.from, locale), to: formatDate(g.to, locale), strong: (chunks) => <strong>{chunks}</strong>,
            }} />
          </p>
        ))}
      </div>
    </section>
  );
}
