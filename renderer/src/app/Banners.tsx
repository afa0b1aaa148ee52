// Start-up and live banners: offline / aggregators unreachable, and consents that expire within the lead time.
import { useEffect, useState } from 'react';
import type { ConnectionDto } from '../../../preload/contract/channels.js';
import { useEvent, useRevision } from './api.js';
import { countdown } from '../lib/time.js';
import { FormattedMessage } from 'react-intl';
import { useList, useT } from './i18n.js';
import { useDisplay } from './prefs.js';

const UNREACHABLE = new Set(['network', 'timeout', 'bank_unavailable']);

export function needsRenewal(c: ConnectionDto, leadDays: number, now = Date.now()): boolean {
  if (c.state === 'expired' || c.state === 'expiring') return true;
  if (!c.expiresAt) return false;
  return Date.parse(c.expiresAt) - now < leadDays * 86_400_000;
}

export function Banners({ connections, leadDays }: { connections: ConnectionDto[]; leadDays: number }) {
  const t = useT();
  const list = useList();
  const { locale } = useDisplay();
  const [online, setOnline] = useState(navigator.onLine);
  const { bump } = useRevision();
  const [dismissed, setDismissed] = useState(false);
  useEffect(() => {
    const on = () => setOnline(navigator.onLine);
    window.addEventListener('online', on);
    window.addEventListener('offline', on);
    return () => { window.removeEventListener('online', on); window.removeEventListener('offline', on); };
  }, []);
  // a warning from main: reload the connections (their state and expiry decide the banner) and show it again
  useEvent('consent.warning', () => { bump(); setDismissed(false); });

  const unreachable = connections.filter((c) => c.lastErrorCode && UNREACHABLE.has(c.lastErrorCode));
  const demoDown = connections.filter((c) => c.lastErrorCode === 'demo_not_running');
  const renew = connections.filter((c) => needsRenewal(c, leadDays));

  return (
    <>
      {!online ? (
        <div className="banner banner-warn" role="status">
          {t('banner.offline')}
        </div>
      ) : unreachable.length ? (
        <div className="banner banner-warn" role="status">
          {t('banner.unreachable', { names: list(unreachable.map((c) => c.institutionName)) })}
        </div>
      ) : null}
      {demoDown.length ? (
        <div className="banner banner-warn" role="status">
          <FormattedMessage id="banner.demoDown" values={{ names: list(demoDown.map((c) => c.institutionName)), link: (chunks) => <a href="#/settings">{chunks}</a> }} />
        </div>
      ) : null}
      {renew.length && !dismissed ? (
        <div className="banner banner-info" role="region" aria-label={t('banner.consents')}>
          <ul>
            {renew.map((c) => {
              const left = countdown(c.expiresAt, Date.now(), locale);
              return (
                <li key={c.id}>
                  <strong>{c.institutionName}</strong>: {left ? t('banner.expiresIn', { left }) : t('banner.expired')}{' '}
                  <a href={`#/link?renew=${c.id}&provider=${c.provider}`}>{t('consent.renew')}</a>
                </li>
              );
            })}
          </ul>
          <button type="button" className="ghost" onClick={() => setDismissed(true)} aria-label={t('banner.consents.dismiss')}>×</button>
        </div>
      ) : null}
    </>
  );
}
