// The shared row reader: a strict envelope's rows read one by one; what cannot be read is kept aside, redacted.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toMinorUnits } from '../../../main/domain/money.js';
import type { RemoteTransaction } from '../../../main/domain/types.js';
import { readRows, redactRow, transactionProblem } from '../../../main/providers/rows.js';

const Row = z.object({ id: z.string(), date: z.string(), amount: z.string(), memo: z.string().nullish(), deleted: z.boolean().optional() });
const map = (r: z.output<typeof Row>): RemoteTransaction | null => (r.deleted ? null : {
  remoteId: r.id, bookingDate: r.date, valueDate: null, amount: toMinorUnits(r.amount, 'EUR'), currency: 'EUR', status: 'booked',
  description: r.memo ?? '', counterpartyName: null, counterpartyIban: null, raw: r,
});

describe('readRows', () => {
  it('keeps the readable rows and sets aside, with a reason each, what fails the schema, the mapping or the checks', () => {
    const raw = [
      { id: 'a', date: '2026-11-01', amount: '-12.30', memo: 'Rent' },
      { id: 'b', date: '2026-11-02', amount: '0.30000000000000004' },
      { id: 'c', date: '2026-11-02', amount: '-16192638.834382623', memo: 'Payment to Jana Nováková' },
      { id: 'd', date: 'yesterday', amount: '1' },
      { date: '2026-11-03', amount: 5 },
      { id: 'e', date: '2026-11-03', amount: '1', deleted: true },
      { id: 'f', date: '2025-01-01', amount: 'x' },
    ];
    const r = readRows(raw, Row, map, { keep: (t) => t.date >= '2026-01-01' });
    expect(r.transactions.map((t) => [t.remoteId, t.amount])).toEqual([['a', -1230], ['b', 30]]);
    expect(r.parsed.map((t) => t.id)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(r.unreadable.map((u) => [u.key.startsWith('#') ? '#hash' : u.key, u.remoteId, u.reason])).toEqual([
      ['c', 'c', 'Amount -16192638.834382623 has more decimals than EUR allows (2)'],
      ['d', 'd', 'booking date'],
      ['#hash', null, 'id: Invalid input: expected string, received undefined'],
    ]);
    expect(r.unreadable[1].redacted).toEqual({ id: 'd', date: '[text]', amount: '1' });
    expect(r.unreadable[0].redacted).toEqual({ id: 'c', date: '2026-11-02', amount: '-16192638.834382623', memo: '[text]' });
    // the same row without an id gets the same key every time
    expect(readRows([raw[4]], Row, map).unreadable[0].key).toBe(r.unreadable[2].key);
  });

  it('names an unmappable row by the id the caller chooses', () => {
    const r = readRows([{ id: 7, amount: 'x' }], Row, map, { idOf: (x) => `pending-${(x as { id: number }).id}` });
    expect(r.unreadable[0]).toMatchObject({ key: 'pending-7', remoteId: 'pending-7' });
  });

  it('checks mapped transactions as the writer does', () => {
    expect(transactionProblem({ remoteId: 'x', bookingDate: '2026-02-30', amount: 1, currency: 'EUR', status: 'booked', description: '' })).toBeNull();
    expect(transactionProblem({ remoteId: 'x', bookingDate: '2026-13-01', amount: 1, currency: 'EUR', status: 'booked', description: '' })).toBe('booking date');
    expect(transactionProblem({ remoteId: 'x', bookingDate: '2026-12-01', amount: 1.5, currency: 'EUR', status: 'booked', description: '' })).toBe('amount');
    expect(transactionProblem(null)).toBe('not an object');
  });
});

describe('redactRow', () => {
  it('redacts names, IBANs and free text; keeps structure, types, dates, numbers, codes and ids', () => {
    expect(redactRow({
      id: 981, id_account: '7', date: '2026-11-01', rdate: '2026-11-01 09:00:00', value: '-12.30', currency: { id: 'EUR' },
      coming: false, wording: 'CB CARREFOUR 12/11', original_wording: 'Paiement', type: 'card', status: 'BOOK', creditDebitIndicator: 'DBIT',
      counterparty: { label: 'Jana Nováková', account_scheme_name: 'iban', account_identification: 'FR7630006000011234567890189' },
      debtorAccount: { iban: 'DE89 3704 0044 0532 0130 00' }, creditorName: 'ACME', accountNumber: '0532013000', mandateId: 'M-2026-77',
      tags: ['groceries', 'weekly shop'], note: null, endToEndId: 'NOTPROVIDED', empty: '',
    })).toEqual({
      id: 981, id_account: '7', date: '2026-11-01', rdate: '2026-11-01 09:00:00', value: '-12.30', currency: { id: 'EUR' },
      coming: false, wording: '[text]', original_wording: '[text]', type: 'card', status: 'BOOK', creditDebitIndicator: 'DBIT',
      counterparty: { label: '[text]', account_scheme_name: '[text]', account_identification: '[iban]' },
      debtorAccount: { iban: '[iban]' }, creditorName: '[text]', accountNumber: '[text]', mandateId: '[text]',
      tags: ['[text]', '[text]'], note: null, endToEndId: 'NOTPROVIDED', empty: '',
    });
  });
});
