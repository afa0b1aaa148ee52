// What start-up found wrong and handled: a damaged database (read-only until a backup is restored), saved secrets
// whose key is missing, a damaged preferences file kept aside. Each says what happened and where to act.
import { useState } from 'react';
import type { AppInfoDto } from '../../../preload/contract/channels.js';
import { useQuery } from './api.js';
import { useDisplay } from './prefs.js';
import { formatInstant } from '../lib/time.js';
import { FormattedMessage } from 'react-intl';
import { useT } from './i18n.js';
import { useMessageText } from './message.js';

export function HealthBanners({ info }: { info: AppInfoDto | undefined }) {
  const { locale } = useDisplay();
  const t = useT();
  const damaged = info?.database?.ok === false;
  const backups = useQuery('backup.list', undefined, { skip: !damaged });
  const [dismissed, setDismissed] = useState<string[]>([]);
  const newest = backups.data?.[0];
  const text = useMessageText();
  const notices = (info?.notices ?? []).map(text).filter((n) => !dismissed.includes(n));
  return (
    <>
      {damaged ? (
        <div className="banner banner-warn" role="alert" aria-label={t('health.damaged.label')}>
          <p>
            <FormattedMessage id="health.damaged" values={{ strong: (chunks) => <strong>{chunks}</strong> }} />{' '}
            {newest ? <>{t('health.damaged.newestBackup', { when: formatInstant(newest.createdAt, locale) })} </> : backups.data ? <>{t('health.damaged.noBackup')} </> : null}
            <a href="#/settings">{t('health.damaged.restore')}</a>
          </p>
        </div>
      ) : null}
      {info?.vaultLocked ? (
        <div className="banner banner-warn" role="alert" aria-label={t('health.locked.label')}>
          <p>{text(info.vaultLocked)} <FormattedMessage id="health.locked" values={{ link: (chunks) => <a href="#/settings">{chunks}</a> }} /></p>
        </div>
      ) : null}
      {notices.map((n) => (
        <div key={n} className="banner banner-info" role="status">
          <p>{n}</p>
          <button type="button" className="ghost" onClick={() => setDismissed([...dismissed, n])} aria-label={t('health.notice.dismiss')}>×</button>
        </div>
      ))}
    </>
  );
}
