import { describe, expect, it } from 'vitest';
import { exportTransactions, type ExportRow } from '../../../main/service/export.js';
import { parseCsv } from '../../helpers/csv.js';

const base: Omit<ExportRow, 'id' | 'amount' | 'currency' | 'status' | 'description' | 'remoteId' | 'accountCurrency'> = {
  accountId: 1, accountName: 'Current', accountIban: 'DE89370400440532013000', institutionName: 'Demo Bank', bankName: 'Demo Bank', hidden: false,
  bookingDate: '2026-11-01', valueDate: '2026-11-02', counterpartyName: 'Café "Zur Post"', counterpartyIban: null, category: null, note: null,
};
const rows: ExportRow[] = [
  { ...base, id: 1, remoteId: 'r1', accountCurrency: 'EUR', amount: -1250, currency: 'EUR', status: 'booked', description: 'Coffee, cake & more <3' },
  { ...base, id: 2, remoteId: 'r2', accountCurrency: 'EUR', amount: 5, currency: 'EUR', status: 'pending', description: '=HYPERLINK("x")' },
  { ...base, id: 3, remoteId: 'r3', accountCurrency: 'JPY', accountId: 2, accountName: 'Yen', accountIban: null, amount: -1500, currency: 'JPY', status: 'booked', description: 'Ramen' },
  { ...base, id: 4, remoteId: 'r4', accountCurrency: 'BHD', accountId: 3, accountName: 'Dinar', amount: 1234567, currency: 'BHD', status: 'booked', description: 'Transfer\nnext line' },
];
const now = new Date('2026-11-24T12:00:00Z');

describe('export', () => {
  it('writes CSV with exact decimals, quoting and formula protection', () => {
    const r = exportTransactions('csv', rows, now);
    expect(r).toMatchObject({ filename: 'multibank-2026-11-24.csv', mime: 'text/csv', rows: 4 });
    const records = parseCsv(r.content);
    expect(records.map((x) => [x.amount, x.currency])).toEqual([['-12.50', 'EUR'], ['0.05', 'EUR'], ['-1500', 'JPY'], ['1234.567', 'BHD']]);
    expect(records[0].counterparty).toBe('Café "Zur Post"');
    expect(records[1].description).toBe(`'=HYPERLINK("x")`);
    expect(records[3].description).toBe('Transfer\nnext line');
  });

  it('writes JSON with minor units and decimals', () => {
    const r = exportTransactions('json', rows, now);
    const doc = JSON.parse(r.content);
    expect(doc.transactions).toHaveLength(4);
    expect(doc.transactions[3]).toMatchObject({ amount: 1234567, amountDecimal: '1234.567', currency: 'BHD' });
  });

  it('writes OFX statements per account with booked transactions only', () => {
    const r = exportTransactions('ofx', rows, now);
    expect(r.rows).toBe(3);
    expect(r.content.startsWith('OFXHEADER:100')).toBe(true);
    expect(r.content.match(/<STMTRS>/g)).toHaveLength(3);
    expect(r.content).toContain('<TRNAMT>-12.50</TRNAMT>');
    expect(r.content).toContain('<TRNAMT>1234.567</TRNAMT>');
    expect(r.content).toContain('<CURDEF>JPY</CURDEF>');
    expect(r.content).toContain('<ACCTID>2</ACCTID>');
    expect(r.content).toContain('<MEMO>Coffee, cake &amp; more &lt;3</MEMO>');
    expect(r.content).not.toContain('HYPERLINK');
    expect(r.content).toContain('<DTPOSTED>20261101</DTPOSTED>');
  });
});
