// What start-up found wrong and handled: a damaged database (read-only until a backup is restored), saved secrets
// whose key is missing, a damaged preferences file kept aside. Each says what happened and where to act.
import { useState } from 'react';
import type { AppInfoDto } from '../../../preload/contract/channels.js';
import { useQuery } from './api.js';
import { useDisplay } from './prefs.js';
import { formatInstant } from '../lib/time.js';

export function HealthBanners({ info }: { info: AppInfoDto | undefined }) {
  const { locale } = useDisplay();
  const damaged = info?.database?.ok === false;
  const backups = useQuery('backup.list', undefined, { skip: !damaged });
  const [dismissed, setDismissed] = useState<string[]>([]);
  const newest = backups.data?.[0];
  const notices = (info?.notices ?? []).filter((n) => !dismissed.includes(n));
  return (
    <>
      {damaged ? (
        <div className="banner banner-warn" role="alert" aria-label="Database damaged">
          <p>
            <strong>Your database is damaged</strong> (it failed its integrity check). Multibank will not write to it, so nothing more is lost.{' '}
            {newest ? <>The newest backup is from {formatInstant(newest.createdAt, locale)}. </> : backups.data ? 'There is no backup to restore. ' : null}
            <a href="#/settings">Restore a backup in Settings</a>
          </p>
        </div>
      ) : null}
      {info?.vaultLocked ? (
        <div className="banner banner-warn" role="alert" aria-label="Saved secrets locked">
          <p>{info.vaultLocked} <a href="#/settings">Reset saved secrets in Settings</a> to sign in again; your connections and history stay.</p>
        </div>
      ) : null}
      {notices.map((n) => (
        <div key={n} className="banner banner-info" role="status">
          <p>{n}</p>
          <button type="button" className="ghost" onClick={() => setDismissed([...dismissed, n])} aria-label="Dismiss notice">×</button>
        </div>
      ))}
    </>
  );
}
