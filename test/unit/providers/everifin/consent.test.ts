import { describe, expect, it } from 'vitest';
import { everifinConsentState } from '../../../../main/providers/everifin/consent.js';
import type { EverifinBankAccount } from '../../../../main/providers/everifin/invented.js';
import { english } from '../../../../main/domain/errors.js';

/** a consent message in the words a person reads (English) */
const words = (m: Parameters<typeof english>[0] | string | null | undefined) => (typeof m === 'string' || !m ? m : english(m));

const now = new Date('2026-06-01T12:00:00Z');
const acc = (o: Partial<EverifinBankAccount> = {}): EverifinBankAccount => ({ id: 'a', currency: 'EUR', status: 'ACTIVE', bankName: 'Tatra', consentValidTo: '2026-12-01T00:00:00Z', ...o });

describe('everifinConsentState', () => {
  it('invalid_grant and a surviving 401 mean "sign in to Everifin again"', () => {
    for (const s of [everifinConsentState({ tokenError: 'invalid_grant', now }), everifinConsentState({ apiUnauthorized: true, now })]) {
      expect(s.state).toBe('expired');
      expect(words(s.message)).toContain('Sign in to Everifin again');
    }
    expect(everifinConsentState({ tokenError: 'invalid_grant', now }).providerCode).toBe('invalid_grant');
  });
  it('a wrong client is failing with the OAuth code', () => {
    expect(everifinConsentState({ tokenError: 'invalid_client', now })).toMatchObject({ state: 'failing', providerCode: 'invalid_client' });
  });
  it('transient failures are failing', () => {
    expect(everifinConsentState({ transient: { code: 'rate_limited', message: 'slow down' }, now })).toMatchObject({ state: 'failing', providerCode: 'rate_limited' });
  });
  it('a lapsed bank inside Everifin → action_at_bank naming the bank', () => {
    const s = everifinConsentState({ accounts: [acc(), acc({ status: 'CONSENT_EXPIRED', bankName: 'Česká' })], now });
    expect(s).toMatchObject({ state: 'action_at_bank', providerCode: 'CONSENT_EXPIRED' });
    expect(words(s.message)).toContain('Česká');
  });
  it('the sign-in or a bank consent ending soon → expiring with the soonest end', () => {
    expect(everifinConsentState({ refreshExpiresAt: '2026-06-03T00:00:00Z', accounts: [acc()], now })).toMatchObject({ state: 'expiring', expiresAt: '2026-06-03T00:00:00.000Z' });
    expect(everifinConsentState({ refreshExpiresAt: '2026-09-01T00:00:00Z', accounts: [acc({ consentValidTo: '2026-06-05T00:00:00Z' })], now }).state).toBe('expiring');
  });
  it('otherwise active with the sign-in end', () => {
    expect(everifinConsentState({ refreshExpiresAt: '2026-09-01T00:00:00Z', accounts: [acc()], now })).toEqual({ state: 'active', expiresAt: '2026-09-01T00:00:00Z', message: null, providerCode: null });
  });
});
