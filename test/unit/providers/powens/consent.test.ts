// powensConsentState: every Powens signal -> the one ConsentState, with the user's action.
import { describe, expect, it } from 'vitest';
import { POWENS_STATES, powensConsentState, powensUserAction, sqlToIso } from '../../../../main/providers/powens/consent.js';
import { CONSENT_STATES } from '../../../../main/domain/types.js';

const now = new Date('2026-11-20T10:00:00Z');
const inDays = (d: number) => new Date(now.getTime() + d * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');

describe('powensConsentState', () => {
  it.each([
    ['SCARequired', 'needs_user', 'reconnect'],
    ['webauthRequired', 'needs_user', 'reconnect'],
    ['additionalInformationNeeded', 'needs_user', 'form'],
    ['decoupled', 'needs_user', 'wait'],
    ['wrongpass', 'needs_user', 'form'],
    ['passwordExpired', 'action_at_bank', 'at_bank'],
    ['actionNeeded', 'action_at_bank', 'at_bank'],
    ['validating', 'failing', 'retry_later'],
    ['rateLimiting', 'failing', 'retry_later'],
    ['websiteUnavailable', 'failing', 'retry_later'],
    ['bug', 'failing', 'retry_later'],
  ])('%s -> %s (%s)', (state, consent, action) => {
    const info = powensConsentState({ state, expire: inDays(90) }, now);
    expect(info.state).toBe(consent);
    expect(info.providerCode).toBe(state);
    expect(info.message).toBeTruthy();
    expect(powensUserAction(state)).toBe(action);
  });

  it('covers every ConnectionState of the spec and maps only into the app enum', () => {
    expect(Object.keys(POWENS_STATES).sort()).toEqual(['SCARequired', 'actionNeeded', 'additionalInformationNeeded', 'bug', 'decoupled',
      'passwordExpired', 'rateLimiting', 'validating', 'webauthRequired', 'websiteUnavailable', 'wrongpass'].sort());
    for (const v of Object.values(POWENS_STATES)) expect(CONSENT_STATES).toContain(v.consent);
  });

  it('no state: active, expiring within the lead time, expired once past; the earliest active source expiry counts', () => {
    expect(powensConsentState({ state: null, expire: inDays(90) }, now)).toEqual({ state: 'active', expiresAt: '2027-02-18T10:00:00.000Z', message: null, providerCode: null });
    expect(powensConsentState({ state: null, expire: null }, now)).toMatchObject({ state: 'active', expiresAt: null });
    expect(powensConsentState({ state: null, expire: inDays(3) }, now).state).toBe('expiring');
    expect(powensConsentState({ state: null, expire: inDays(3) }, now, 2).state).toBe('active');
    expect(powensConsentState({ state: null, expire: inDays(-1) }, now).state).toBe('expired');
    const sources = [{ access_expire: inDays(100) }, { access_expire: inDays(5) }, { access_expire: inDays(1), disabled: inDays(-10) }];
    expect(powensConsentState({ state: null, expire: inDays(100), sources }, now)).toMatchObject({ state: 'expiring', expiresAt: sqlToIso(inDays(5)) });
  });

  it('SCA / webauth after the expiry is `expired` (renew), a source error surfaces when the connection says null', () => {
    expect(powensConsentState({ state: 'webauthRequired', expire: inDays(-1) }, now)).toMatchObject({ state: 'expired', providerCode: 'webauthRequired' });
    expect(powensConsentState({ state: 'SCARequired', expire: inDays(10) }, now).state).toBe('needs_user');
    expect(powensConsentState({ state: null, sources: [{ state: null }, { state: 'decoupled' }] }, now)).toMatchObject({ state: 'needs_user', providerCode: 'decoupled' });
  });

  it('prefers the bank message; an unknown future state is temporary, its code kept', () => {
    expect(powensConsentState({ state: 'actionNeeded', error_message: 'Accept our new terms.' }, now).message).toBe('Accept our new terms.');
    expect(powensConsentState({ state: 'somethingNew' }, now)).toMatchObject({ state: 'failing', providerCode: 'somethingNew' });
    expect(powensUserAction('somethingNew')).toBe('retry_later');
    expect(powensUserAction(null)).toBe('none');
  });
});
