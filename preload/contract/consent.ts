// The consent states: what every provider maps its signals into (main) and what the UI shows (IPC contract, renderer).

/** One consent state for every provider; each provider maps its signals into it in one function. */
export const CONSENT_STATES = ['active', 'expiring', 'expired', 'revoked', 'needs_user', 'action_at_bank', 'failing'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];
