// Powens connection state -> the app's ConsentState and what the user must do. The one place that decides it.
import type { MainMessage } from '../../domain/errors.js';
import type { ConsentInfo, ConsentState } from '../../domain/types.js';

/** What the app offers for a state: reconnect through /webauth, a form, wait for the bank app, act at the bank, or nothing (retried). */
export type PowensUserAction = 'none' | 'reconnect' | 'form' | 'wait' | 'at_bank' | 'retry_later';

export const POWENS_STATES: Record<string, { consent: ConsentState; action: PowensUserAction; message: MainMessage }> = {
  SCARequired: { consent: 'needs_user', action: 'reconnect', message: { id: 'consent.powens.sca' } },
  webauthRequired: { consent: 'needs_user', action: 'reconnect', message: { id: 'consent.powens.webauth' } },
  additionalInformationNeeded: { consent: 'needs_user', action: 'form', message: { id: 'consent.powens.more_info' } },
  decoupled: { consent: 'needs_user', action: 'wait', message: { id: 'consent.powens.decoupled' } },
  wrongpass: { consent: 'needs_user', action: 'form', message: { id: 'consent.powens.wrongpass' } },
  passwordExpired: { consent: 'action_at_bank', action: 'at_bank', message: { id: 'consent.powens.password_expired' } },
  actionNeeded: { consent: 'action_at_bank', action: 'at_bank', message: { id: 'consent.powens.action_needed' } },
  validating: { consent: 'failing', action: 'retry_later', message: { id: 'consent.powens.validating' } },
  rateLimiting: { consent: 'failing', action: 'retry_later', message: { id: 'consent.powens.rate_limiting' } },
  websiteUnavailable: { consent: 'failing', action: 'retry_later', message: { id: 'consent.powens.website_unavailable' } },
  bug: { consent: 'failing', action: 'retry_later', message: { id: 'consent.powens.bug' } },
};

const DAY_MS = 86_400_000;

/** Powens sql-date-time (`YYYY-MM-DD HH:MM:SS`, UTC) -> ISO instant. */
export const sqlToIso = (s: string | null | undefined): string | null => {
  if (!s) return null;
  const t = Date.parse(s.replace(' ', 'T').replace(/(T\d{2}:\d{2}:\d{2})$/, '$1Z'));
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

export interface PowensConnectionSignals {
  state?: string | null;
  error_message?: string | null;
  /** highest expiry among the sources */
  expire?: string | null;
  sources?: Array<{ state?: string | null; disabled?: string | null; access_expire?: string | null }> | null;
}

/**
 * Maps every Powens signal about a connection into one ConsentInfo:
 * - `state` (or, when the connection says null, the first source in a state, since Powens surfaces any source error) via POWENS_STATES;
 *   an unknown state is treated as temporary (`failing`) with its code kept;
 * - SCARequired / webauthRequired once the consent expiry has passed -> `expired` (renew), otherwise `needs_user`;
 * - no state: the earliest `access_expire` of the active sources (else `expire`): past -> `expired`,
 *   within `leadDays` -> `expiring`, else `active`.
 * The bank's own `error_message` is preferred as the message; `providerCode` keeps the Powens state.
 */
export function powensConsentState(conn: PowensConnectionSignals, now: Date, leadDays = 7): ConsentInfo {
  const activeSources = (conn.sources ?? []).filter((s) => !s.disabled);
  const expiries = activeSources.map((s) => sqlToIso(s.access_expire)).filter((x): x is string => !!x).sort();
  const expiresAt = expiries[0] ?? sqlToIso(conn.expire);
  const past = expiresAt !== null && Date.parse(expiresAt) <= now.getTime();
  const state = conn.state ?? activeSources.find((s) => s.state)?.state ?? null;

  if (state) {
    const known = POWENS_STATES[state];
    if ((state === 'SCARequired' || state === 'webauthRequired') && past) {
      return { state: 'expired', expiresAt, message: { id: 'consent.expired_renew' }, providerCode: state };
    }
    return {
      state: known?.consent ?? 'failing',
      expiresAt,
      message: conn.error_message || (known?.message ?? { id: 'consent.powens.unknown', values: { state } }),
      providerCode: state,
    };
  }
  if (past) return { state: 'expired', expiresAt, message: { id: 'consent.expired_renew' }, providerCode: null };
  if (expiresAt !== null && Date.parse(expiresAt) - now.getTime() <= leadDays * DAY_MS) {
    return { state: 'expiring', expiresAt, message: { id: 'consent.ends_soon' }, providerCode: null };
  }
  return { state: 'active', expiresAt, message: null, providerCode: null };
}

/** What the user must do for a Powens state (null: nothing). */
export function powensUserAction(state: string | null | undefined): PowensUserAction {
  if (!state) return 'none';
  return POWENS_STATES[state]?.action ?? 'retry_later';
}
