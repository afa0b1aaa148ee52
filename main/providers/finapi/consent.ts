// The one place where finAPI's signals become Multibank's ConsentState (finapi.md §4).
import type { MainMessage } from '../../domain/errors.js';
import type { ConsentInfo } from '../../domain/types.js';
import type { BankConnection, UpdateResult } from './schemas.js';

/**
 * Map a finAPI bank connection (and, when a refresh just ran, its background task's status) to a ConsentInfo.
 * In order, first match wins:
 * 1. `aisConsent.expiresAt` at or before now (any interface)  -> expired ("Renew access")
 * 2. XS2A `aisConsent.status NOT_PRESENT`                    -> revoked (withdrawn at the bank or at finAPI: "Reconnect")
 * 3. task `WEB_FORM_REQUIRED`                                -> needs_user (the update web form must be opened: "Renew")
 * 4. any interface `userActionRequired: true`                -> needs_user (finAPI stopped auto-updates until an SCA update)
 * 5. an `aisConsent.status` finAPI added after PRESENT/NOT_PRESENT     -> failing (raw value kept as providerCode; rechecked each sync)
 * 6. newest of lastManualUpdate/lastAutoUpdate (a new `result` value counts as a failure, raw value kept):
 *      BANK_SERVER_REJECTION + BUSINESS                      -> needs_user (the bank refused login/consent)
 *      BANK_SERVER_REJECTION + TECHNICAL, INTERNAL_SERVER_ERROR -> failing (transient; retried)
 * 7. otherwise                                               -> active, with the earliest `aisConsent.expiresAt` as expiry.
 * `expiring` is not decided here: the consent centre derives it from `expiresAt` and the user's lead time.
 */
export function finapiConsentState(conn: BankConnection, now: Date, task?: { status: string } | null): ConsentInfo {
  const interfaces = conn.interfaces ?? [];
  const expiries = interfaces.map((i) => i.aisConsent?.expiresAt).filter((x): x is string => !!x).map((x) => new Date(x));
  const expiresAt = expiries.length ? new Date(Math.min(...expiries.map((d) => d.getTime()))).toISOString() : null;
  const base = { expiresAt };

  if (expiresAt && Date.parse(expiresAt) <= now.getTime()) {
    return { ...base, state: 'expired', providerCode: task?.status === 'WEB_FORM_REQUIRED' ? 'WEB_FORM_REQUIRED' : 'CONSENT_EXPIRED', message: { id: 'consent.fa.ended' } };
  }
  if (interfaces.some((i) => i.bankingInterface === 'XS2A' && i.aisConsent?.status === 'NOT_PRESENT')) {
    return { ...base, state: 'revoked', providerCode: 'CONSENT_NOT_PRESENT', message: { id: 'consent.fa.no_consent' } };
  }
  if (task?.status === 'WEB_FORM_REQUIRED') {
    return { ...base, state: 'needs_user', providerCode: 'WEB_FORM_REQUIRED', message: { id: 'consent.fa.web_form' } };
  }
  if (interfaces.some((i) => i.userActionRequired)) {
    return { ...base, state: 'needs_user', providerCode: 'USER_ACTION_REQUIRED', message: { id: 'consent.fa.paused' } };
  }
  const odd = interfaces.map((i) => i.aisConsent?.status).find((x) => x && x !== 'PRESENT' && x !== 'NOT_PRESENT');
  if (odd) {
    return { ...base, state: 'failing', providerCode: `AIS_CONSENT_${odd}`, message: { id: 'consent.fa.unknown', values: { status: odd } } };
  }
  const last = latestUpdate(interfaces.flatMap((i) => [i.lastManualUpdate, i.lastAutoUpdate]));
  if (last && last.result !== 'OK') {
    // the bank's own words, after a colon where it gave some
    const why: MainMessage = last.errorMessage ? { id: 'provider.detail', values: { text: last.errorMessage } } : { id: 'provider.no_detail' };
    if (last.result === 'BANK_SERVER_REJECTION' && last.errorType === 'BUSINESS') {
      return { ...base, state: 'needs_user', providerCode: 'BANK_SERVER_REJECTION', message: { id: 'consent.fa.bank_refused', values: { why } } };
    }
    return { ...base, state: 'failing', providerCode: last.result, message: { id: 'consent.fa.update_failed', values: { why } } };
  }
  return { ...base, state: 'active', providerCode: null, message: null };
}

function latestUpdate(list: Array<UpdateResult | null | undefined>): UpdateResult | null {
  let best: UpdateResult | null = null;
  for (const u of list) if (u && (!best || Date.parse(u.timestamp) >= Date.parse(best.timestamp))) best = u;
  return best;
}
