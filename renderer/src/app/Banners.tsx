// Start-up and live banners: offline / aggregators unreachable, and consents that expire within the lead time.
import { useEffect, useState } from 'react';
import type { ConnectionDto } from '../../../preload/contract/channels.js';
import { useEvent, useRevision } from './api.js';
import { countdown } from '../lib/time.js';

const UNREACHABLE = new Set(['network', 'timeout', 'bank_unavailable']);

export function needsRenewal(c: ConnectionDto, leadDays: number, now = Date.now()): boolean {
  if (c.state === 'expired' || c.state === 'expiring') return true;
  if (!c.expiresAt) return false;
  return Date.parse(c.expiresAt) - now < leadDays * 86_400_000;
}

export function Banners({ connections, leadDays }: { connections: ConnectionDto[]; leadDays: number }) {
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
          You are offline. Everything stored here stays browsable; syncing resumes when you are back online.
        </div>
      ) : unreachable.length ? (
        <div className="banner banner-warn" role="status">
          The aggregators cannot be reached right now ({unreachable.map((c) => c.institutionName).join(', ')}). Your data is still here; Multibank will retry.
        </div>
      ) : null}
      {demoDown.length ? (
        <div className="banner banner-warn" role="status">
          The demo banks on this computer are not running ({demoDown.map((c) => c.institutionName).join(', ')}). Your data is still here.{' '}
          <a href="#/settings">Start them in Settings</a>.
        </div>
      ) : null}
      {renew.length && !dismissed ? (
        <div className="banner banner-info" role="region" aria-label="Consents">
          <ul>
            {renew.map((c) => {
              const left = countdown(c.expiresAt);
              return (
                <li key={c.id}>
                  <strong>{c.institutionName}</strong>: {left ? `access expires in ${left}` : 'access has expired'}.{' '}
                  <a href={`#/link?renew=${c.id}&provider=${c.provider}`}>Renew</a>
                </li>
              );
            })}
          </ul>
          <button type="button" className="ghost" onClick={() => setDismissed(true)} aria-label="Dismiss consent notice">×</button>
        </div>
      ) : null}
    </>
  );
}
