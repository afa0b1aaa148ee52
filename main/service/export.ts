// Export formats: CSV (csv-stringify), OFX (1.0.2 SGML with closed tags, one statement per account) and JSON.
// Amounts are written from integer minor units as exact decimals (formatMinor), never through floats.
import { stringify } from 'csv-stringify/sync';
import { formatMinor } from '../domain/money.js';
import type { ExportRow } from '../store/queries.js';

export type { ExportRow };

export type ExportFormat = 'csv' | 'ofx' | 'json';

export interface ExportResult { filename: string; mime: string; content: string; rows: number }

const CSV_COLUMNS: Array<[keyof ExportRow | 'amountDecimal', string]> = [
  ['bookingDate', 'booking_date'], ['valueDate', 'value_date'], ['bankName', 'bank'], ['accountName', 'account'], ['accountIban', 'account_iban'],
  ['amountDecimal', 'amount'], ['currency', 'currency'], ['status', 'status'], ['counterpartyName', 'counterparty'],
  ['counterpartyIban', 'counterparty_iban'], ['description', 'description'], ['category', 'category'], ['note', 'note'], ['id', 'id'],
  // a leg of a transfer between own accounts: the other leg's id
  ['transferId', 'transfer_id'],
];

export function toCsv(rows: Iterable<ExportRow>): { content: string; rows: number } {
  const records: unknown[][] = [];
  for (const r of rows) {
    const withAmount = { ...r, amountDecimal: formatMinor(r.amount, r.currency) } as Record<string, unknown>;
    records.push(CSV_COLUMNS.map(([k]) => withAmount[k] ?? ''));
  }
  // a formula-looking text cell (=, +, -, @) is prefixed so spreadsheets do not execute it; amounts are numbers, left alone
  const safe = records.map((rec) => rec.map((v, i) => (typeof v === 'string' && CSV_COLUMNS[i][0] !== 'amountDecimal' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)));
  return { content: stringify(safe, { header: true, columns: CSV_COLUMNS.map(([, title]) => title), record_delimiter: 'unix' }), rows: records.length };
}

export function toJson(rows: Iterable<ExportRow>): { content: string; rows: number } {
  const list = [...rows].map((r) => ({ ...r, amountDecimal: formatMinor(r.amount, r.currency), transferId: r.transferId ?? null }));
  return { content: JSON.stringify({ format: 'multibank-export', version: 1, transactions: list }, null, 2) + '\n', rows: list.length };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/[\r\n]+/g, ' ');
const ofxDate = (d: string) => d.replace(/-/g, '').slice(0, 8);

/** OFX 1.0.2: bank statements per account; booked transactions only (OFX has no pending state). */
export function toOfx(rows: Iterable<ExportRow>, now: Date): { content: string; rows: number } {
  const byAccount = new Map<number, ExportRow[]>();
  let count = 0;
  for (const r of rows) {
    if (r.status !== 'booked') continue;
    const list = byAccount.get(r.accountId) ?? [];
    list.push(r);
    byAccount.set(r.accountId, list);
    count++;
  }
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const statements = [...byAccount.values()].map((list) => {
    const a = list[0];
    const dates = list.map((r) => r.bookingDate).sort();
    const txs = list.map((r) => [
      '<STMTTRN>',
      // XFER: a leg of a transfer between the user's own accounts, so a ledger app does not count it as spending
      `<TRNTYPE>${r.transferId ? 'XFER' : r.amount < 0 ? 'DEBIT' : 'CREDIT'}</TRNTYPE>`,
      `<DTPOSTED>${ofxDate(r.bookingDate)}</DTPOSTED>`,
      ...(r.valueDate ? [`<DTAVAIL>${ofxDate(r.valueDate)}</DTAVAIL>`] : []),
      `<TRNAMT>${formatMinor(r.amount, r.currency)}</TRNAMT>`,
      `<FITID>${r.id}</FITID>`,
      ...(r.counterpartyName ? [`<NAME>${esc(r.counterpartyName.slice(0, 32))}</NAME>`] : []),
      ...(r.description ? [`<MEMO>${esc(r.description.slice(0, 255))}</MEMO>`] : []),
      '</STMTTRN>',
    ].join('\n')).join('\n');
    return [
      '<STMTTRNRS>', '<TRNUID>' + a.accountId + '</TRNUID>', '<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>',
      '<STMTRS>', `<CURDEF>${a.currency}</CURDEF>`,
      '<BANKACCTFROM>', `<BANKID>${esc(a.bankName.slice(0, 9))}</BANKID>`, `<ACCTID>${esc(a.accountIban ?? String(a.accountId))}</ACCTID>`,
      '<ACCTTYPE>CHECKING</ACCTTYPE>', '</BANKACCTFROM>',
      '<BANKTRANLIST>', `<DTSTART>${ofxDate(dates[0])}</DTSTART>`, `<DTEND>${ofxDate(dates[dates.length - 1])}</DTEND>`, txs, '</BANKTRANLIST>',
      '</STMTRS>', '</STMTTRNRS>',
    ].join('\n');
  });
  const content = [
    'OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', 'SECURITY:NONE', 'ENCODING:UTF-8', 'CHARSET:NONE', 'COMPRESSION:NONE', 'OLDFILEUID:NONE', 'NEWFILEUID:NONE', '',
    '<OFX>', '<SIGNONMSGSRSV1>', '<SONRS>', '<STATUS><CODE>0</CODE><SEVERITY>INFO</SEVERITY></STATUS>', `<DTSERVER>${stamp}</DTSERVER>`, '<LANGUAGE>ENG</LANGUAGE>', '</SONRS>', '</SIGNONMSGSRSV1>',
    '<BANKMSGSRSV1>', ...statements, '</BANKMSGSRSV1>', '</OFX>', '',
  ].join('\n');
  return { content, rows: count };
}

export function exportTransactions(format: ExportFormat, rows: Iterable<ExportRow>, now: Date): ExportResult {
  const day = now.toISOString().slice(0, 10);
  switch (format) {
    case 'csv': return { filename: `multibank-${day}.csv`, mime: 'text/csv', ...toCsv(rows) };
    case 'ofx': return { filename: `multibank-${day}.ofx`, mime: 'application/x-ofx', ...toOfx(rows, now) };
    case 'json': return { filename: `multibank-${day}.json`, mime: 'application/json', ...toJson(rows) };
  }
}
