// Enable Banking session -> the app's ConsentInfo. The one place that decides it.
import type { ConsentInfo } from '../../domain/types.js';

const DAY_MS = 86_400_000;

/**
 * SessionStatus (reference) and `access.valid_until`: AUTHORIZED before valid_until is active (expiring within
 * `leadDays`), after it expired; EXPIRED expired; REVOKED / CLOSED / CANCELLED / INVALID revoked; a status added later
 * is temporary (`failing`, looked at again on the next sync) with its value kept.
 */
export function enableBankingConsent(session: { status: string; validUntil: string | null }, now: Date, leadDays = 7): ConsentInfo {
  const t = session.validUntil ? Date.parse(session.validUntil) : Number.NaN;
  const expiresAt = Number.isNaN(t) ? null : new Date(t).toISOString();
  const providerCode = session.status;
  switch (session.status) {
    case 'AUTHORIZED':
      if (expiresAt && t <= now.getTime()) return { state: 'expired', expiresAt, message: { id: 'consent.expired_renew' }, providerCode };
      if (expiresAt && t - now.getTime() <= leadDays * DAY_MS) return { state: 'expiring', expiresAt, message: { id: 'consent.ends_soon' }, providerCode: null };
      return { state: 'active', expiresAt, message: null, providerCode: null };
    case 'EXPIRED':
      return { state: 'expired', expiresAt, message: { id: 'consent.expired_renew' }, providerCode };
    case 'REVOKED':
    case 'CLOSED':
    case 'CANCELLED':
    case 'INVALID':
      return { state: 'revoked', expiresAt, message: { id: 'consent.eb.withdrawn', values: { status: session.status.toLowerCase() } }, providerCode };
    default:
      return { state: 'failing', expiresAt, message: { id: 'consent.eb.unknown', values: { status: session.status } }, providerCode };
  }
}
