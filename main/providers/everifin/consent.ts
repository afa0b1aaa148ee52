// The one place where Everifin's signals become a ConsentInfo (DOMAIN.md "Consent state").
import type { ConsentInfo } from '../../domain/types.js';
import { LAPSED_STATUSES, type EverifinBankAccount } from './invented.js';

export interface EverifinSignals {
  /** OAuth error from the token endpoint on refresh ('invalid_grant' = refresh token expired or revoked) */
  tokenError?: string | null;
  tokenErrorDescription?: string | null;
  /** when the refresh token (the Everifin sign-in) ends, from refresh_expires_in */
  refreshExpiresAt?: string | null;
  /** the API refused the access token even after a refresh (session ended at Everifin) */
  apiUnauthorized?: boolean;
  /** the bank accounts as Everifin reports them (status of each bank's consent inside Everifin) */
  accounts?: EverifinBankAccount[] | null;
  /** transient failure reaching Everifin */
  transient?: { code: string; message: string } | null;
  now: Date;
  /** how long before the end a consent counts as expiring */
  leadMs?: number;
}

const DAY = 86_400_000;

/**
 * Everifin -> ConsentState:
 * - token endpoint `invalid_grant` ("Token is not active", "Session not active", "Refresh token expired") or an API 401
 *   that survives a refresh → `expired`: the user signs in to Everifin again (same Everifin user, history kept);
 * - `invalid_client` / `unauthorized_client` → `failing` with the aggregator's code (configuration problem, not the user's);
 * - a bank whose consent inside Everifin lapsed (account status CONSENT_EXPIRED …) → `action_at_bank`: reconnect that
 *   bank in the Everifin web app (Multibank cannot do it through the API);
 * - Everifin sign-in or a bank consent ending within the lead time → `expiring`;
 * - a transient failure (5xx, 429, network) → `failing`;
 * - otherwise `active`, with the sign-in's end as expiresAt.
 */
export function everifinConsentState(s: EverifinSignals): ConsentInfo {
  const lead = s.leadMs ?? 7 * DAY;
  const now = s.now.getTime();
  if (s.tokenError === 'invalid_grant' || s.apiUnauthorized) {
    return { state: 'expired', expiresAt: s.refreshExpiresAt ?? null, message: { id: 'consent.ef.sign_in' }, providerCode: s.tokenError ?? 'unauthorized' };
  }
  if (s.tokenError) {
    return { state: 'failing', expiresAt: s.refreshExpiresAt ?? null, message: { id: 'consent.ef.token_refused', values: { detail: s.tokenErrorDescription ?? s.tokenError } }, providerCode: s.tokenError };
  }
  if (s.transient) return { state: 'failing', expiresAt: s.refreshExpiresAt ?? null, message: s.transient.message, providerCode: s.transient.code };
  const lapsed = (s.accounts ?? []).filter((a) => LAPSED_STATUSES.has((a.status ?? '').toUpperCase()));
  if (lapsed.length) {
    const banks = [...new Set(lapsed.map((a) => a.bankName ?? 'a bank'))].join(', ');
    return {
      state: 'action_at_bank',
      expiresAt: s.refreshExpiresAt ?? null,
      message: { id: 'consent.ef.lapsed', values: { banks } },
      providerCode: (lapsed[0].status ?? 'CONSENT_EXPIRED').toUpperCase(),
    };
  }
  // what ends: the Everifin sign-in (no bank) or one bank's connection inside Everifin
  const ends: Array<{ at: number; bank: string | null }> = [];
  if (s.refreshExpiresAt) ends.push({ at: Date.parse(s.refreshExpiresAt), bank: null });
  for (const a of s.accounts ?? []) if (a.consentValidTo) ends.push({ at: Date.parse(a.consentValidTo), bank: a.bankName ?? 'a bank' });
  const soonest = ends.filter((e) => !Number.isNaN(e.at)).sort((a, b) => a.at - b.at)[0];
  if (soonest && soonest.at - now <= lead) {
    return { state: 'expiring', expiresAt: new Date(soonest.at).toISOString(), message: { id: soonest.bank === null ? 'consent.ef.sign_in_ends' : 'consent.ef.bank_ends', values: { bank: soonest.bank ?? '', date: { id: 'date', values: { iso: new Date(soonest.at).toISOString().slice(0, 10) } } } }, providerCode: null };
  }
  return { state: 'active', expiresAt: s.refreshExpiresAt ?? null, message: null, providerCode: null };
}
