// The one place where Banqware's signals become a ConsentInfo (DOMAIN.md "Consent state").
import type { ConsentInfo } from '../../domain/types.js';
import { CONSENT, UPDATE, UPDATE_CONSENT_ERRORS, type BanqwareConsent, type BanqwareUpdate } from './invented.js';

export interface BanqwareSignals {
  /** the consent as GET …/consent/{id} returns it; null when Banqware answers 404 (deleted) */
  consent: BanqwareConsent | null;
  /** the last data update, if one was looked at */
  update?: BanqwareUpdate | null;
  now: Date;
  leadMs?: number;
}

const DAY = 86_400_000;

/**
 * Banqware → ConsentState:
 * - consent gone (404) or `revoked` → `revoked` (reconnect: a new consent);
 * - `rejected` (the user refused or SCA failed at the bank) → `revoked`;
 * - `requested` → `needs_user` (authorization at the bank not finished);
 * - `expired`, or `given` with `validTo` in the past → `expired` (renew: a new consent, same user and accounts);
 * - an update that failed with CONSENT_EXPIRED / CONSENT_REVOKED → `expired` / `revoked`;
 * - an update that failed otherwise → `failing` (the bank or Banqware; retried later);
 * - `given` with `validTo` within the lead time → `expiring`; otherwise `active` with `validTo` as expiresAt;
 * - any other status → `failing` with the status as the provider code.
 */
export function banqwareConsentState(s: BanqwareSignals): ConsentInfo {
  const c = s.consent;
  if (!c) return { state: 'revoked', expiresAt: null, message: { id: 'consent.bw.gone' }, providerCode: 'CONSENT_NOT_FOUND' };
  const expiresAt = c.validTo ?? null;
  const status = c.status;
  if (status === CONSENT.revoked) return { state: 'revoked', expiresAt, message: { id: 'consent.bw.withdrawn' }, providerCode: status };
  if (status === CONSENT.rejected) return { state: 'revoked', expiresAt, message: { id: 'consent.bw.rejected' }, providerCode: status };
  if (status === CONSENT.requested) return { state: 'needs_user', expiresAt, message: { id: 'consent.bw.requested' }, providerCode: status };
  const ended = expiresAt !== null && Date.parse(expiresAt) <= s.now.getTime();
  if (status === CONSENT.expired || (status === CONSENT.given && ended)) {
    return { state: 'expired', expiresAt, message: { id: 'consent.bw.expired' }, providerCode: CONSENT.expired };
  }
  if (status !== CONSENT.given) return { state: 'failing', expiresAt, message: { id: 'consent.bw.unknown', values: { status } }, providerCode: status };
  const u = s.update;
  if (u && u.status === UPDATE.failed) {
    const why = UPDATE_CONSENT_ERRORS[u.error ?? ''];
    if (why === 'expired') return { state: 'expired', expiresAt, message: { id: 'consent.bw.expired' }, providerCode: u.error ?? null };
    if (why === 'revoked') return { state: 'revoked', expiresAt, message: { id: 'consent.bw.withdrawn' }, providerCode: u.error ?? null };
    return { state: 'failing', expiresAt, message: { id: 'consent.bw.update_failed', values: { error: u.error ?? '?' } }, providerCode: u.error ?? 'failed' };
  }
  if (expiresAt && Date.parse(expiresAt) - s.now.getTime() <= (s.leadMs ?? 7 * DAY)) {
    return { state: 'expiring', expiresAt, message: { id: 'consent.bw.ends_on', values: { date: { id: 'date', values: { iso: expiresAt.slice(0, 10) } } } }, providerCode: null };
  }
  return { state: 'active', expiresAt, message: null, providerCode: null };
}
