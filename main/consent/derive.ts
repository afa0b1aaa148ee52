// The consent centre's one rule: what the user sees for a connection, from what the provider last told us
// (the stored ConsentInfo), the expiry and the lead time. Pure: the clock comes in as an argument.
import { formatValue } from '../../locales/format.js';
import type { ConsentState, IsoInstant } from '../domain/types.js';

export const DEFAULT_CONSENT_LEAD_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface StoredConsent {
  state: ConsentState;
  expiresAt: IsoInstant | null;
}

export interface DerivedConsent {
  state: ConsentState;
  expiresAt: IsoInstant | null;
  /** ms until expiry (negative once past), null when the provider gives no expiry */
  msLeft: number | null;
  /** whole days left, rounded down (0 on the last day), null without expiry */
  daysLeft: number | null;
  /** which notice this state calls for: at the lead time, on expiry, or none */
  notice: 'lead' | 'expired' | null;
}

/** States that say nothing about time: the provider's word stands whatever the expiry says. */
const STICKY: ReadonlySet<ConsentState> = new Set(['revoked', 'action_at_bank', 'expired']);

/**
 * active/expiring/failing/needs_user + expiry:
 *   expiry passed            -> expired (a consent past its end needs renewing, whatever symptom the aggregator showed,
 *                               e.g. finAPI's userActionRequired after aisConsent.expiresAt)
 *   expiry within lead time  -> expiring (failing and needs_user keep their state — they say what to do now — but still
 *                               get the lead-time notice)
 *   otherwise                -> the stored state, with `expiring` relaxed back to active (e.g. after the lead time shrank)
 * revoked / action_at_bank / expired are kept as the provider reported them.
 */
export function deriveConsent(stored: StoredConsent, now: Date, leadDays: number = DEFAULT_CONSENT_LEAD_DAYS): DerivedConsent {
  const expiresAt = stored.expiresAt ?? null;
  const t = expiresAt ? Date.parse(expiresAt) : NaN;
  const msLeft = Number.isNaN(t) ? null : t - now.getTime();
  const daysLeft = msLeft === null ? null : Math.floor(msLeft / DAY_MS);
  const base = { expiresAt, msLeft, daysLeft };
  if (STICKY.has(stored.state)) return { ...base, state: stored.state, notice: stored.state === 'expired' ? 'expired' : null };
  if (msLeft !== null && msLeft <= 0) return { ...base, state: 'expired', notice: 'expired' };
  if (msLeft !== null && msLeft <= leadDays * DAY_MS) {
    return { ...base, state: stored.state === 'failing' || stored.state === 'needs_user' ? stored.state : 'expiring', notice: 'lead' };
  }
  return { ...base, state: stored.state === 'expiring' ? 'active' : stored.state, notice: null };
}

/** "in 3 days", "in 5 hours", "2 days ago" (or "vor 2 Tagen") — the countdown the CLI and notifications print (the UI formats its own). */
export function formatCountdown(msLeft: number | null, language = 'en'): string {
  return msLeft === null ? '' : formatValue(language, { id: 'countdown', values: { ms: msLeft } }) ?? '';
}
