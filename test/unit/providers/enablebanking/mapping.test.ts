// Enable Banking rows and sessions -> the app's shapes: direction from the indicator, statuses, ids that survive a new
// session, dates, and the consent of a session.
import { describe, expect, it } from 'vitest';
import { enableBankingConsent } from '../../../../main/providers/enablebanking/consent.js';
import { mapAccount, mapTransaction, transactionId } from '../../../../main/providers/enablebanking/mapping.js';
import { Transaction } from '../../../../main/providers/enablebanking/schemas.js';

const row = (over: Record<string, unknown> = {}) => Transaction.parse({
  transaction_amount: { currency: 'EUR', amount: '12.30' }, credit_debit_indicator: 'DBIT', status: 'BOOK',
  booking_date: '2026-11-02', value_date: '2026-11-03', transaction_date: '2026-11-01', remittance_information: ['Coffee', 'Ref 7'],
  creditor: { name: 'Café' }, creditor_account: { iban: 'SK3112000000198742637541' }, ...over,
});

describe('mapTransaction', () => {
  it('signs by the indicator, dates a booked row by booking_date and a pending one by its payment day', () => {
    expect(mapTransaction(row({ entry_reference: 'E1' }), 'EUR')).toMatchObject({
      remoteId: 'E1', amount: -1230, status: 'booked', bookingDate: '2026-11-02', valueDate: '2026-11-03',
      description: 'Coffee Ref 7', counterpartyName: 'Café', counterpartyIban: 'SK3112000000198742637541',
    });
    expect(mapTransaction(row({ credit_debit_indicator: 'CRDT', debtor: { name: 'Employer' } }), 'EUR')).toMatchObject({ amount: 1230, counterpartyName: 'Employer' });
    // an already signed amount is read by its size: the indicator decides
    expect(mapTransaction(row({ transaction_amount: { currency: 'EUR', amount: '-12.30' }, credit_debit_indicator: 'CRDT' }), 'EUR')!.amount).toBe(1230);
    expect(mapTransaction(row({ status: 'PDNG', booking_date: null }), 'EUR')).toMatchObject({ status: 'pending', bookingDate: '2026-11-01' });
    expect(mapTransaction(row({ status: 'HOLD' }), 'EUR')!.status).toBe('pending');
  });

  it('skips cancelled and rejected rows; refuses what it cannot read exactly, so the row is kept aside', () => {
    expect(mapTransaction(row({ status: 'CNCL' }), 'EUR')).toBeNull();
    expect(mapTransaction(row({ status: 'RJCT' }), 'EUR')).toBeNull();
    expect(() => mapTransaction(row({ status: 'LATER' }), 'EUR')).toThrow(/status/);
    expect(() => mapTransaction(row({ credit_debit_indicator: 'BOTH' }), 'EUR')).toThrow(/credit_debit_indicator/);
    expect(() => mapTransaction(row({ transaction_amount: { currency: 'USD', amount: '1.00' } }), 'EUR')).toThrow(/USD/);
    expect(() => mapTransaction(row({ transaction_amount: { currency: 'EUR', amount: '1.001' } }), 'EUR')).toThrow();
    expect(() => mapTransaction(row({ booking_date: null, value_date: null, transaction_date: null }), 'EUR')).toThrow(/booking_date/);
  });

  it('ids: entry_reference when there is one, else a hash of what the row says (the same in every session)', () => {
    expect(transactionId(row({ entry_reference: 'E1', transaction_id: 'x' }))).toBe('E1');
    const a = transactionId(row({ transaction_id: 'listing-1' }));
    expect(a).toMatch(/^h:/);
    expect(transactionId(row({ transaction_id: 'listing-2' }))).toBe(a);
    expect(transactionId(row({ remittance_information: ['Tea'] }))).not.toBe(a);
  });
});

describe('mapAccount', () => {
  it('takes the booked and available balances in order of preference, in the account currency', () => {
    const a = mapAccount({ uid: 'u1', currency: 'EUR', cash_account_type: 'SVGS', account_id: { iban: 'SK31' }, name: null, product: 'Savings' }, [
      { balance_type: 'OPBD', balance_amount: { currency: 'EUR', amount: '1.00' }, reference_date: '2026-11-01' },
      { balance_type: 'CLBD', balance_amount: { currency: 'EUR', amount: '10.00' }, reference_date: '2026-11-19' },
      { balance_type: 'ITAV', balance_amount: { currency: 'USD', amount: '99.00' } },
      { balance_type: 'CLAV', balance_amount: { currency: 'EUR', amount: '8.50' }, last_change_date_time: '2026-11-20T08:00:00Z' },
    ], 'Bank');
    expect(a).toMatchObject({ remoteId: 'u1', type: 'savings', name: 'Savings', balanceCurrent: 1000, balanceCurrentDate: '2026-11-19', balanceAvailable: 850, balanceAvailableDate: '2026-11-20' });
    expect(mapAccount({ uid: 'u2', currency: 'EUR', cash_account_type: 'NEW' }, [], null)).toMatchObject({ type: 'other', balanceCurrent: null });
  });
});

describe('enableBankingConsent', () => {
  const now = new Date('2026-11-20T10:00:00Z');
  it('reads the session status and valid_until', () => {
    expect(enableBankingConsent({ status: 'AUTHORIZED', validUntil: '2027-05-01T00:00:00Z' }, now).state).toBe('active');
    expect(enableBankingConsent({ status: 'AUTHORIZED', validUntil: '2026-11-25T00:00:00+00:00' }, now).state).toBe('expiring');
    expect(enableBankingConsent({ status: 'AUTHORIZED', validUntil: '2026-11-20T09:00:00Z' }, now).state).toBe('expired');
    expect(enableBankingConsent({ status: 'EXPIRED', validUntil: null }, now).state).toBe('expired');
    for (const s of ['REVOKED', 'CLOSED', 'CANCELLED', 'INVALID']) expect(enableBankingConsent({ status: s, validUntil: null }, now)).toMatchObject({ state: 'revoked', providerCode: s });
    expect(enableBankingConsent({ status: 'PENDING_AUTHORIZATION', validUntil: null }, now)).toMatchObject({ state: 'failing', providerCode: 'PENDING_AUTHORIZATION' });
  });
});
