import { describe, expect, it } from 'vitest';
import { banqwareConsentState } from '../../../../main/providers/banqware/consent.js';
import type { BanqwareConsent } from '../../../../main/providers/banqware/invented.js';

const now = new Date('2026-06-01T12:00:00Z');
const c = (o: Partial<BanqwareConsent> = {}): BanqwareConsent => ({ id: 'c', bankId: 'b', status: 'given', validTo: '2026-08-30T00:00:00Z', ...o });

describe('banqwareConsentState', () => {
  it('maps every consent status', () => {
    expect(banqwareConsentState({ consent: null, now }).state).toBe('revoked');
    expect(banqwareConsentState({ consent: c({ status: 'revoked' }), now }).state).toBe('revoked');
    expect(banqwareConsentState({ consent: c({ status: 'rejected' }), now }).state).toBe('revoked');
    expect(banqwareConsentState({ consent: c({ status: 'requested', validTo: null }), now }).state).toBe('needs_user');
    expect(banqwareConsentState({ consent: c({ status: 'expired' }), now }).state).toBe('expired');
    expect(banqwareConsentState({ consent: c({ status: 'weird' }), now })).toMatchObject({ state: 'failing', providerCode: 'weird' });
  });
  it('given: validity date decides active / expiring / expired', () => {
    expect(banqwareConsentState({ consent: c(), now })).toMatchObject({ state: 'active', expiresAt: '2026-08-30T00:00:00Z' });
    expect(banqwareConsentState({ consent: c({ validTo: '2026-06-04T00:00:00Z' }), now }).state).toBe('expiring');
    expect(banqwareConsentState({ consent: c({ validTo: '2026-05-31T00:00:00Z' }), now }).state).toBe('expired');
  });
  it('a failed update says whether the consent or the bank is the problem', () => {
    expect(banqwareConsentState({ consent: c(), update: { id: 'u', status: 'failed', error: 'CONSENT_EXPIRED' }, now }).state).toBe('expired');
    expect(banqwareConsentState({ consent: c(), update: { id: 'u', status: 'failed', error: 'CONSENT_REVOKED' }, now }).state).toBe('revoked');
    expect(banqwareConsentState({ consent: c(), update: { id: 'u', status: 'failed', error: 'BANK_TIMEOUT' }, now })).toMatchObject({ state: 'failing', providerCode: 'BANK_TIMEOUT' });
    expect(banqwareConsentState({ consent: c(), update: { id: 'u', status: 'completed' }, now }).state).toBe('active');
  });
});
