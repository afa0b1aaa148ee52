// finapiConsentState: every finAPI signal into the one ConsentState enum, first matching rule wins.
import { describe, expect, it } from 'vitest';
import { finapiConsentState } from '../../../../main/providers/finapi/consent.js';
import { mapAccount, mapPending, mapTransaction, redirectWithState, webFormBaseUrlFor, webFormError, WEB_FORM_ERRORS } from '../../../../main/providers/finapi/index.js';
import { AccountSchema, PendingTransactionSchema, TransactionSchema, type BankConnection } from '../../../../main/providers/finapi/schemas.js';
import { parseLossless } from '../../../../main/providers/json.js';
import { english } from '../../../../main/domain/errors.js';

/** a consent message in the words a person reads (English) */
const words = (m: Parameters<typeof english>[0] | string | null | undefined) => (typeof m === 'string' || !m ? m : english(m));

const NOW = new Date('2026-06-01T12:00:00Z');
const future = '2026-08-30T12:00:00.000+00:00';
const past = '2026-05-31T12:00:00.000+00:00';

function conn(i: Partial<NonNullable<BankConnection['interfaces']>[number]> = {}, extra: Partial<BankConnection> = {}): BankConnection {
  return {
    id: '1', name: null, updateStatus: 'READY', categorizationStatus: 'READY', accountIds: ['2'],
    bank: { id: '280001', name: 'Demo Bank', bic: null, location: 'DE', city: null },
    interfaces: [{ bankingInterface: 'XS2A', aisConsent: { status: 'PRESENT', expiresAt: future }, lastAutoUpdate: null, lastManualUpdate: null, userActionRequired: false, ...i }],
    ...extra,
  };
}
const ok = (ts: string) => ({ result: 'OK' as const, errorMessage: null, errorType: null, timestamp: ts });

describe('finapiConsentState', () => {
  it('active with the consent expiry', () => {
    expect(finapiConsentState(conn(), NOW)).toEqual({ state: 'active', expiresAt: '2026-08-30T12:00:00.000Z', providerCode: null, message: null });
  });
  it('WEB_FORM_REQUIRED task -> needs_user, unless the consent has ended', () => {
    expect(finapiConsentState(conn(), NOW, { status: 'WEB_FORM_REQUIRED' })).toMatchObject({ state: 'needs_user', providerCode: 'WEB_FORM_REQUIRED' });
    expect(finapiConsentState(conn({ aisConsent: { status: 'PRESENT', expiresAt: past } }), NOW, { status: 'WEB_FORM_REQUIRED' })).toMatchObject({ state: 'expired', providerCode: 'WEB_FORM_REQUIRED' });
    expect(finapiConsentState(conn({ aisConsent: { status: 'NOT_PRESENT', expiresAt: null } }), NOW, { status: 'WEB_FORM_REQUIRED' }).state).toBe('revoked');
  });
  it('userActionRequired -> needs_user', () => {
    expect(finapiConsentState(conn({ userActionRequired: true }), NOW)).toMatchObject({ state: 'needs_user', providerCode: 'USER_ACTION_REQUIRED' });
  });
  it('NOT_PRESENT -> revoked (even with userActionRequired), or expired when its expiry passed', () => {
    expect(finapiConsentState(conn({ aisConsent: { status: 'NOT_PRESENT', expiresAt: future } }), NOW).state).toBe('revoked');
    expect(finapiConsentState(conn({ aisConsent: { status: 'NOT_PRESENT', expiresAt: future }, userActionRequired: true }), NOW).state).toBe('revoked');
    expect(finapiConsentState(conn({ aisConsent: { status: 'NOT_PRESENT', expiresAt: null } }), NOW).state).toBe('revoked');
    expect(finapiConsentState(conn({ aisConsent: { status: 'NOT_PRESENT', expiresAt: past } }), NOW).state).toBe('expired');
  });
  it('NOT_PRESENT on a non-XS2A interface does not count as a revoked consent', () => {
    expect(finapiConsentState(conn({ bankingInterface: 'FINTS_SERVER', aisConsent: { status: 'NOT_PRESENT', expiresAt: null } }), NOW).state).toBe('active');
  });
  it('expiresAt passed -> expired, also when finAPI already set userActionRequired', () => {
    expect(finapiConsentState(conn({ aisConsent: { status: 'PRESENT', expiresAt: past } }), NOW)).toMatchObject({ state: 'expired', expiresAt: '2026-05-31T12:00:00.000Z' });
    expect(finapiConsentState(conn({ aisConsent: { status: 'PRESENT', expiresAt: past }, userActionRequired: true }), NOW).state).toBe('expired');
  });
  it('newest update result decides: BUSINESS rejection -> needs_user, TECHNICAL or internal -> failing, a later OK -> active', () => {
    const rej = { result: 'BANK_SERVER_REJECTION' as const, errorMessage: 'PIN wrong', errorType: 'BUSINESS' as const, timestamp: '2026-06-01T10:00:00.000+00:00' };
    const rejected = finapiConsentState(conn({ lastAutoUpdate: rej }), NOW);
    expect(rejected).toMatchObject({ state: 'needs_user', providerCode: 'BANK_SERVER_REJECTION' });
    expect(words(rejected.message)).toBe('The bank refused the last update: PIN wrong. Choose Renew to sign in again.');
    expect(finapiConsentState(conn({ lastAutoUpdate: { ...rej, errorType: 'TECHNICAL' } }), NOW).state).toBe('failing');
    expect(finapiConsentState(conn({ lastManualUpdate: { ...rej, result: 'INTERNAL_SERVER_ERROR', errorType: 'TECHNICAL' } }), NOW)).toMatchObject({ state: 'failing', providerCode: 'INTERNAL_SERVER_ERROR' });
    expect(finapiConsentState(conn({ lastAutoUpdate: rej, lastManualUpdate: ok('2026-06-01T11:00:00.000+00:00') }), NOW).state).toBe('active');
    expect(finapiConsentState(conn({ lastAutoUpdate: ok('2026-06-01T09:00:00.000+00:00'), lastManualUpdate: rej }), NOW).state).toBe('needs_user');
  });
  it('no interfaces at all -> active without expiry', () => {
    expect(finapiConsentState(conn({}, { interfaces: [] }), NOW)).toMatchObject({ state: 'active', expiresAt: null });
  });
  it('earliest expiry across interfaces', () => {
    const c = conn();
    c.interfaces!.push({ bankingInterface: 'FINTS_SERVER', aisConsent: { status: 'PRESENT', expiresAt: '2026-07-01T00:00:00.000+00:00' }, userActionRequired: false });
    expect(finapiConsentState(c, NOW).expiresAt).toBe('2026-07-01T00:00:00.000Z');
  });
});

describe('finAPI mapping helpers', () => {
  it('maps money exactly from lossless JSON, including 3-decimal and 0-decimal currencies and huge values', () => {
    const acc = AccountSchema.parse(parseLossless('{"id":9007199254740993,"bankConnectionId":1,"accountName":null,"iban":"DE02","accountNumber":"1","accountCurrency":"BHD","accountType":"SECURITY","balance":1234567.891,"availableFunds":-0.001}'));
    expect(acc.id).toBe('9007199254740993');
    expect(mapAccount(acc, 'Bank')).toMatchObject({ remoteId: '9007199254740993', balanceCurrent: 1234567891, balanceAvailable: -1, type: 'investment', name: 'DE02' });
    const tx = TransactionSchema.parse(parseLossless('{"id":5,"accountId":9,"valueDate":"2026-05-02","bankBookingDate":"2026-05-01","amount":-1000000000.10,"currency":null,"purpose":"  Rent   May ","counterpartName":"ACME","counterpartIban":"DE89","type":"Lastschrift"}'));
    expect(mapTransaction(tx, 'EUR')).toMatchObject({ remoteId: '5', amount: -100000000010, currency: 'EUR', description: 'Rent May', status: 'booked', counterpartyName: 'ACME' });
    const jpy = TransactionSchema.parse(parseLossless('{"id":6,"accountId":9,"bankBookingDate":"2026-05-01","amount":1500,"currency":"JPY"}'));
    expect(mapTransaction(jpy, 'EUR')).toMatchObject({ amount: 1500, currency: 'JPY', description: '' });
    const p = PendingTransactionSchema.parse(parseLossless('{"id":5,"accountId":9,"valueDate":null,"bankBookingDate":null,"amount":-3.5,"currency":"EUR","purpose":null,"counterpartyName":"Shop","counterpartyIban":"FR76","type":"Kartenzahlung"}'));
    expect(mapPending(p, 'EUR', '2026-06-01')).toMatchObject({ remoteId: 'pending-5', bookingDate: '2026-06-01', amount: -350, status: 'pending', description: 'Shop', counterpartyName: 'Shop', counterpartyIban: 'FR76' });
  });
  it('rejects an amount with more decimals than the currency has', () => {
    const tx = TransactionSchema.parse(parseLossless('{"id":5,"accountId":9,"bankBookingDate":"2026-05-01","amount":1.005,"currency":"EUR"}'));
    expect(() => mapTransaction(tx, 'EUR')).toThrow(RangeError);
  });
  it('picks the web form host', () => {
    expect(webFormBaseUrlFor({ baseUrl: 'https://sandbox.finapi.io', options: {} })).toBe('https://webform-sandbox.finapi.io');
    expect(webFormBaseUrlFor({ baseUrl: 'https://live.finapi.io', options: {} })).toBe('https://webform-live.finapi.io');
    expect(webFormBaseUrlFor({ baseUrl: 'http://127.0.0.1:4000', options: {} })).toBe('http://127.0.0.1:4000');
    expect(webFormBaseUrlFor({ baseUrl: 'http://127.0.0.1:4000', options: { webFormBaseUrl: 'http://127.0.0.1:5000' } })).toBe('http://127.0.0.1:5000');
  });
  it('appends state to the redirect URL unless it is there', () => {
    expect(redirectWithState('multibank://oauth/callback', 'a b')).toBe('multibank://oauth/callback?state=a+b');
    expect(redirectWithState('http://127.0.0.1:5/callback?state=x', 'y')).toBe('http://127.0.0.1:5/callback?state=x');
  });
  it('gives every documented web form error code a message, and unknown ones a fallback', () => {
    for (const code of ['ENTITY_EXISTS', 'BANK_SERVER_REJECTION', 'INTERNAL_ERROR', 'INTERRUPTED', 'INVALID_TOKEN', 'MANDATOR_MISCONFIGURATION',
      'NO_ACCOUNTS_FOR_TYPE_LIST', 'UNDETERMINED_BANK', 'UNEXPECTED_ACCESS_RESPONSE', 'UNSUPPORTED_FEATURE', 'UNSUPPORTED_ORDER']) {
      expect(WEB_FORM_ERRORS[code]).toBeTruthy();
    }
    expect(webFormError('SOMETHING_NEW')).toMatchObject({ code: 'bank_unavailable', info: { providerCode: 'SOMETHING_NEW' } });
  });
});
