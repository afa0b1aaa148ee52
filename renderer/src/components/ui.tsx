// Small shared pieces: money, dates, errors, empty/loading states, consent badges.
import type { ReactNode } from 'react';
import type { ConsentStateDto, ErrorDto } from '../../../preload/contract/channels.js';
import { formatMoney } from '../lib/money.js';
import { formatDate, relativeTime, isStale } from '../lib/time.js';
import { CallError, useCall } from '../app/api.js';
import { useDisplay } from '../app/prefs.js';
import { useErrorText } from '../app/message.js';
import { useT } from '../app/i18n.js';

export function Money({ minor, currency, signed, className }: { minor: number | null | undefined; currency: string; signed?: boolean; className?: string }) {
  const { locale } = useDisplay();
  if (minor == null) return <span className={className}>—</span>;
  const tone = signed ? (minor > 0 ? 'money-in' : minor < 0 ? 'money-out' : '') : '';
  return <span className={`money ${tone} ${className ?? ''}`.trim()}>{formatMoney(minor, currency, { locale, signed })}</span>;
}

export function DateText({ date }: { date: string | null | undefined }) {
  const { locale } = useDisplay();
  return <time dateTime={date ?? undefined}>{formatDate(date, locale)}</time>;
}

export function LastSync({ at }: { at: string | null | undefined }) {
  const { locale } = useDisplay();
  const t = useT();
  const stale = isStale(at);
  const when = relativeTime(at, Date.now(), locale);
  return (
    <span className={stale ? 'last-sync stale' : 'last-sync'} title={at ?? t('sync.never.title')}>
      {when ? t('sync.synced', { when }) : t('sync.never')}
      {stale && at ? <span className="stale-tag"> · {t('sync.stale')}</span> : null}
    </span>
  );
}

const CONSENT_TONE: Record<ConsentStateDto, string> = {
  active: 'ok', expiring: 'warn', expired: 'bad', revoked: 'bad', needs_user: 'warn', action_at_bank: 'warn', failing: 'warn',
};

/** errorCode: the connection's last sync problem; with the demo banks not running, retrying cannot help until they start */
export function ConsentBadge({ state, errorCode }: { state: ConsentStateDto; errorCode?: string | null }) {
  const t = useT();
  const label = state === 'failing' && errorCode === 'demo_not_running' ? t('consent.state.demo_not_running') : t(`consent.state.${state}`);
  return <span className={`badge badge-${CONSENT_TONE[state]}`}>{label}</span>;
}

/** Where the action of an error code is done in the app (the label is the catalogue's error.go.<label>). */
const ACTION_ROUTE: Partial<Record<ErrorDto['code'], { href: string; label: string }>> = {
  consent_expired: { href: '#/connections', label: 'connections' },
  consent_revoked: { href: '#/connections', label: 'connections' },
  needs_user: { href: '#/connections', label: 'connections' },
  not_configured: { href: '#/settings', label: 'settings' },
  auth_failed: { href: '#/settings', label: 'settings' },
  secret_storage_unavailable: { href: '#/settings', label: 'settings' },
  link_expired: { href: '#/link', label: 'link' },
  budget_exhausted: { href: '#/accounts', label: 'accounts' },
  demo_not_running: { href: '#/settings', label: 'settings' },
};

/** What happened and what to do — never a stack trace. */
export function ErrorBox({ error, onRetry, children }: { error: ErrorDto; onRetry?: () => void; children?: ReactNode }) {
  const { message, action } = useErrorText()(error);
  const t = useT();
  const go = ACTION_ROUTE[error.code];
  return (
    <div className="error-box" role="alert">
      <p className="error-message">{message}</p>
      {action ? <p className="error-action">{action}</p> : null}
      <div className="row">
        {onRetry ? <button type="button" onClick={onRetry}>{t('error.retry')}</button> : null}
        {children ?? (go ? <a className="button" href={go.href}>{t(`error.go.${go.label}`)}</a> : null)}
      </div>
    </div>
  );
}

export function Loading({ label }: { label?: string }) {
  const t = useT();
  return <div className="loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{label ?? t('loading')}</div>;
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      <div className="row">{children}</div>
    </header>
  );
}

/** The keyring is missing: allow keeping the key unencrypted (a preference), then retry what failed. */
export function PlainTextOptIn({ error, retry, onError }: { error: ErrorDto; retry: () => Promise<void>; onError: (error: ErrorDto) => void }) {
  const call = useCall();
  const t = useT();
  async function allow() {
    try {
      await call('prefs.set', { allowPlainTextSecrets: true });
    } catch (e) {
      if (e instanceof CallError) return onError(e.error);
    }
    await retry();
  }
  return (
    <ErrorBox error={{ ...error, i18n: error.i18n && { ...error.i18n, action: null }, action: t('plainText.explain') }}>
      <button type="button" className="primary" onClick={allow}>{t('plainText.allow')}</button>
    </ErrorBox>
  );
}
