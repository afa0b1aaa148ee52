// Small shared pieces: money, dates, errors, empty/loading states, consent badges.
import type { ReactNode } from 'react';
import type { ConsentStateDto, ErrorDto } from '../../../preload/contract/channels.js';
import { formatMoney } from '../lib/money.js';
import { formatDate, relativeTime, isStale } from '../lib/time.js';
import { CallError, useCall } from '../app/api.js';
import { useDisplay } from '../app/prefs.js';
import { useErrorText } from '../app/message.js';

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
  const stale = isStale(at);
  return (
    <span className={stale ? 'last-sync stale' : 'last-sync'} title={at ?? 'never synced'}>
      {at ? `Synced ${relativeTime(at, Date.now(), locale)}` : 'Never synced'}
      {stale && at ? <span className="stale-tag"> · stale</span> : null}
    </span>
  );
}

const CONSENT_LABEL: Record<ConsentStateDto, string> = {
  active: 'Active', expiring: 'Expiring soon', expired: 'Expired', revoked: 'Revoked',
  needs_user: 'Needs you', action_at_bank: 'Action at bank', failing: 'Retrying',
};
const CONSENT_TONE: Record<ConsentStateDto, string> = {
  active: 'ok', expiring: 'warn', expired: 'bad', revoked: 'bad', needs_user: 'warn', action_at_bank: 'warn', failing: 'warn',
};

export function ConsentBadge({ state }: { state: ConsentStateDto }) {
  return <span className={`badge badge-${CONSENT_TONE[state]}`}>{CONSENT_LABEL[state]}</span>;
}

/** Where the action of an error code is done in the app. */
const ACTION_ROUTE: Partial<Record<ErrorDto['code'], { href: string; label: string }>> = {
  consent_expired: { href: '#/connections', label: 'Open connections' },
  consent_revoked: { href: '#/connections', label: 'Open connections' },
  needs_user: { href: '#/connections', label: 'Open connections' },
  not_configured: { href: '#/settings', label: 'Open Settings' },
  auth_failed: { href: '#/settings', label: 'Open Settings' },
  secret_storage_unavailable: { href: '#/settings', label: 'Open Settings' },
  link_expired: { href: '#/link', label: 'Link again' },
  budget_exhausted: { href: '#/accounts', label: 'Back to accounts' },
  demo_not_running: { href: '#/settings', label: 'Open Settings' },
};

/** What happened and what to do — never a stack trace. */
export function ErrorBox({ error, onRetry, children }: { error: ErrorDto; onRetry?: () => void; children?: ReactNode }) {
  const { message, action } = useErrorText()(error);
  return (
    <div className="error-box" role="alert">
      <p className="error-message">{message}</p>
      {action ? <p className="error-action">{action}</p> : null}
      <div className="row">
        {onRetry ? <button type="button" onClick={onRetry}>Try again</button> : null}
        {children ?? (ACTION_ROUTE[error.code] ? <a className="button" href={ACTION_ROUTE[error.code]!.href}>{ACTION_ROUTE[error.code]!.label}</a> : null)}
      </div>
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return <div className="loading" role="status" aria-live="polite"><span className="spinner" aria-hidden="true" />{label}</div>;
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

/** secret_storage_unavailable on a system without a keyring: say what allowing means, and allow then retry in one step. */
/** The keyring is missing: allow keeping the key unencrypted (a preference), then retry what failed. */
export function PlainTextOptIn({ error, retry, onError }: { error: ErrorDto; retry: () => Promise<void>; onError: (error: ErrorDto) => void }) {
  const call = useCall();
  async function allow() {
    try {
      await call('prefs.set', { allowPlainTextSecrets: true });
    } catch (e) {
      if (e instanceof CallError) return onError(e.error);
    }
    await retry();
  }
  return (
    <ErrorBox error={{ ...error, i18n: error.i18n && { ...error.i18n, action: null }, action: 'This computer has no keyring, so the key protecting your bank tokens would be kept unencrypted in the data folder. You can allow that for now and change it in Settings.' }}>
      <button type="button" className="primary" onClick={allow}>Allow and continue</button>
    </ErrorBox>
  );
}
