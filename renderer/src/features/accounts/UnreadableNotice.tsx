// "N transactions could not be read": rows of this account a sync kept aside (the rest was written); the next sync
// tries them again. Nothing shows when there are none.
import { useQuery } from '../../app/api.js';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../app/i18n.js';

export function UnreadableNotice({ accountId }: { accountId: number }) {
  const rows = useQuery('accounts.unreadable', { accountId });
  const t = useT();
  if (!rows.data?.length) return null;
  const reasons = [...new Set(rows.data.map((r) => r.reason))];
  return (
    <section className="banner banner-warn unreadable-notice" role="status" aria-labelledby="h-unreadable">
      <div>
        <h2 id="h-unreadable" className="notice-title">{t('unreadable.count', { count: rows.data.length })}</h2>
        <p>
          {reasons.length === 1 ? <>{t('unreadable.reason', { reason: reasons[0] })} </> : null}
          <FormattedMessage id="unreadable.explain" values={{ count: rows.data.length, link: (chunks) => <a href="#/sync-log">{chunks}</a> }} />
        </p>
        {reasons.length > 1 ? (
          <details>
            <summary>{t('unreadable.reasons')}</summary>
            <ul>{rows.data.map((r, i) => <li key={`${r.remoteId ?? 'row'}-${i}`}>{r.reason}</li>)}</ul>
          </details>
        ) : null}
      </div>
    </section>
  );
}
