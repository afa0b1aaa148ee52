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
  if (!c) return { state: 'revoked', expiresAt: null, message: 'The consent no longer exists at Banqware. Connect the bank again.', providerCode: 'CONSENT_NOT_FOUND' };
  const expiresAt = c.validTo ?? null;
  const status = c.status;
  if (status === CONSENT.revoked) return { state: 'revoked', expiresAt, message: 'Access was withdrawn at the bank. Connect the bank again.', providerCode: status };
  if (status === CONSENT.rejected) return { state: 'revoked', expiresAt, message: 'The bank did not grant access. Connect the bank again.', providerCode: status };
  if (status === CONSENT.requested) return { state: 'needs_user', expiresAt, message: 'Finish authorizing access at your bank.', providerCode: status };
  const ended = expiresAt !== null && Date.parse(expiresAt) <= s.now.getTime();
  if (status === CONSENT.expired || (status === CONSENT.given && ended)) {
    return { state: 'expired', expiresAt, message: 'Access to this bank through Banqware has expired. Renew it.', providerCode: CONSENT.expired };
  }
  if (status !== CONSENT.given) return { state: 'failing', expiresAt, message: `Banqware reports the consent as "${status}".`, providerCode: status };
  const u = s.update;
  if (u && u.status === UPDATE.failed) {
    const why = UPDATE_CONSENT_ERRORS[u.error ?? ''];
    if (why === 'expired') return { state: 'expired', expiresAt, message: 'Access to this bank through Banqware has expired. Renew it.', providerCode: u.error ?? null };
    if (why === 'revoked') return { state: 'revoked', expiresAt, message: 'Access was withdrawn at the bank. Connect the bank again.', providerCode: u.error ?? null };
    return { state: 'failing', expiresAt, message: `The last Banqware update failed (${u.error ?? 'unknown error'}). It will be retried.`, providerCode: u.error ?? 'failed' };
  }
  if (expiresAt && Date.parse(expiresAt) - s.now.getTime() <= (s.leadMs ?? 7 * DAY)) {
    return { state: 'expiring', expiresAt, message: `Access to this bank ends on ${expiresAt.slice(0, 10)}. Renew it to keep syncing.`, providerCode: null };
  }
  return { state: 'active', expiresAt, message: null, providerCode: null };
}
