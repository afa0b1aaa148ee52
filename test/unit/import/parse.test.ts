// Statement files of each format -> one Statement: amounts in minor units, dates, the account, balances, and a clear
// message naming the line or element at fault for broken files.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CsvMapping } from '../../../preload/contract/imports.js';
import { DE_CSV, PL_CSV } from './mappings.js';
import { readStatement } from '../../../main/import/parse.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/statements', name)));
const read = (name: string, o: Parameters<typeof readStatement>[1] = {}) => readStatement(fixture(name), o).statement;
const failure = (name: string, o: Parameters<typeof readStatement>[1] = {}) => {
  try { readStatement(fixture(name), o); } catch (e) { return e as Error & { code: string }; }
  throw new Error(`${name} was read without an error`);
};

describe('CAMT.053', () => {
  it('reads a German bank statement (001.02): booked entries, parties by direction, balances; a pending entry is skipped', () => {
    const s = read('camt053-de.xml');
    expect(s).toMatchObject({ format: 'camt053', iban: 'DE89370400440532013000', currency: 'EUR', skipped: 1,
      opening: { amount: 125000, date: '2026-02-28' }, closing: { amount: 304251, date: '2026-03-31' } });
    expect(s.rows.map((r) => [r.bookingDate, r.amount, r.counterpartyName, r.description, r.ref])).toEqual([
      ['2026-03-02', 248000, 'Muster Maschinenbau GmbH', 'Lohn/Gehalt 03.2026', '2026030200017731'],
      ['2026-03-03', -89000, 'Hausverwaltung Lindenhof', 'Miete Maerz 2026 Whg 4 links', '2026030300004410'],
      ['2026-03-14', -5437, null, 'Kartenzahlung Edeka Sued', '2026031400120988'],
      ['2026-03-20', 25688, 'Finanzamt Nord', 'Erstattung ESt 2024', '2026032000031002'],
    ]);
    expect(s.rows[1]).toMatchObject({ counterpartyIban: 'DE29100100100987654321', valueDate: '2026-03-03' });
  });

  it('reads a Slovak statement (001.08): party names under Pty, DtTm booking dates, Sts/Cd, a spaced IBAN', () => {
    const s = read('camt053-sk.xml');
    expect(s.iban).toBe('SK2411000000002612345678');
    expect(s.rows.map((r) => [r.bookingDate, r.amount, r.counterpartyName])).toEqual([
      ['2026-04-09', -11515, 'Západoslovenská energetika'], ['2026-04-30', -1000, null]]);
  });

  it('several statements of one account in a file (prefixed elements, CDATA, entities): entries numbered per statement; two accounts are refused', () => {
    const stmt = (iban: string, ntries: string) => `<c:Stmt><c:Id>S</c:Id><c:Acct><c:Id><c:IBAN>${iban}</c:IBAN></c:Id><c:Ccy>EUR</c:Ccy></c:Acct>${ntries}</c:Stmt>`;
    const ntry = (amt: string, text: string) => `<c:Ntry><c:Amt Ccy="EUR">${amt}</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd><c:Sts><c:Cd>BOOK</c:Cd></c:Sts>`
      + `<c:BookgDt><c:Dt>2026-03-02</c:Dt></c:BookgDt><c:NtryDtls><c:TxDtls><c:RmtInf><c:Ustrd>${text}</c:Ustrd></c:RmtInf></c:TxDtls></c:NtryDtls></c:Ntry>`;
    const doc = (...stmts: string[]) => new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n<c:Document xmlns:c="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">`
      + `<c:BkToCstmrStmt><c:GrpHdr><c:MsgId>M</c:MsgId></c:GrpHdr>\n${stmts.join('\n')}\n</c:BkToCstmrStmt></c:Document>`);
    const iban = 'DE89370400440532013000';
    const s = readStatement(doc(stmt(iban, ''), stmt(iban, ntry('1.00', 'Brot &amp; <![CDATA[<Butter>]]>') + ntry('2.50', 'Milch')))).statement;
    expect(s.rows.map((r) => [r.amount, r.description])).toEqual([[-100, 'Brot & <Butter>'], [-250, 'Milch']]);
    expect(() => readStatement(doc(stmt(iban, ''), stmt(iban, ntry('1.00', 'a') + ntry('2,50', 'b')))))
      .toThrow(/^line 4 \(Stmt 2 Ntry 2\): "2,50" is not an amount in EUR\./);
    expect(() => readStatement(doc(stmt(iban, ntry('1.00', 'a')), stmt('SK2411000000002612345678', ''))))
      .toThrow(/The file holds statements of 2 accounts; import one account's file at a time\./);
  });

  it('names the line of broken XML, a bad amount, and movements that do not add up', () => {
    const broken = failure('camt053-broken.xml');
    expect(broken.code).toBe('bad_file');
    expect(broken.message).toMatch(/^line \d+: The XML is broken .* Nothing was imported\.$/);
    expect(failure('camt053-bad-amount.xml').message).toMatch(/^line 57 \(Stmt 1 Ntry 2\): "890,00" is not an amount in EUR\./);
    expect(failure('camt053-wrong-sum.xml').message).toMatch(/do not add up: the opening balance €1,250\.00 plus 4 movements makes €3,042\.51, but the file's closing balance is €3,142\.51/);
  });
});

describe('MT940', () => {
  it('reads a German MT940 with structured :86: fields and an account number instead of an IBAN', () => {
    const s = read('mt940-de.sta');
    expect(s).toMatchObject({ format: 'mt940', iban: null, accountNumber: '10010010/0987654321', currency: 'EUR',
      opening: { amount: 125000, date: '2026-02-28' }, closing: { amount: 304251, date: '2026-03-31' } });
    expect(s.rows.map((r) => [r.bookingDate, r.valueDate, r.amount, r.counterpartyName, r.description, r.ref])).toEqual([
      ['2026-03-02', '2026-03-02', 248000, 'Muster Maschinenbau GmbH', 'Lohn/Gehalt 03.2026', '2026030200017731'],
      ['2026-03-03', '2026-03-03', -89000, 'Hausverwaltung Lindenhof', 'Miete Maerz 2026Whg 4 links', '2026030300004410'],
      ['2026-03-14', '2026-03-13', -5437, null, 'Kartenzahlung Edeka Sued', '2026031400120988'],
      ['2026-03-20', '2026-03-20', 25688, 'Finanzamt Nord', 'Erstattung ESt 2024', '2026032000031002'],
    ]);
    expect(s.rows[1].counterpartyIban).toBe('DE29100100100987654321');
  });

  it('reads a Polish MT940 in a SWIFT envelope with free-text :86: over two lines', () => {
    const s = read('mt940-pl.sta');
    expect(s).toMatchObject({ iban: 'PL48109010140000000123456789', currency: 'PLN', closing: { amount: 895001, date: '2026-04-03' } });
    expect(s.rows.map((r) => [r.bookingDate, r.amount, r.description])).toEqual([
      ['2026-04-01', -149999, '034 Zakup w terminalu MEDIA EXPERT WARSZAWA'],
      ['2026-04-02', 735000, '051 Przelew przychodzący WYNAGRODZENIE ZA MARZEC 2026 KOWALSKA SP. Z O.O.'],
      ['2026-04-03', -210000, '034 Czynsz za kwiecień ul. Żurawia 12 m. 5'],
    ]);
  });

  it('names the statement line it cannot read', () => {
    expect(failure('mt940-bad-line.sta', { format: 'mt940' }).message).toMatch(/^line 11 \(:61:\): "2603130314DR54.37NMSCNONREF\/\/2026031400120988" is not a statement line/);
  });
});

describe('OFX / QFX', () => {
  it('reads OFX 1.02 (SGML, leaf elements without end tags) with its ledger balance', () => {
    const s = read('ofx102-de.ofx');
    expect(s).toMatchObject({ format: 'ofx', iban: 'DE89370400440532013000', currency: 'EUR', opening: null, closing: { amount: 304251, date: '2026-03-31' } });
    expect(s.rows.map((r) => [r.bookingDate, r.valueDate, r.amount, r.counterpartyName, r.description, r.ref])).toEqual([
      ['2026-03-02', null, 248000, 'Muster Maschinenbau GmbH', 'Lohn/Gehalt 03.2026', '2026030200017731'],
      ['2026-03-03', null, -89000, 'Hausverwaltung Lindenhof', 'Miete Maerz 2026 Whg 4 links', '2026030300004410'],
      ['2026-03-14', '2026-03-13', -5437, 'EDEKA SUED', 'Kartenzahlung Edeka Sued', '2026031400120988'],
      ['2026-03-20', null, 25688, 'Finanzamt Nord', 'Erstattung ESt 2024', '2026032000031002'],
    ]);
  });

  it('reads a QFX (OFX 2 XML) credit card statement with a card number as the account', () => {
    const s = read('ofx2-us.qfx');
    expect(s).toMatchObject({ iban: null, accountNumber: '4400112233445566', currency: 'USD', closing: { amount: -40218, date: '2026-04-30' } });
    expect(s.rows.map((r) => [r.amount, r.counterpartyName, r.ref])).toEqual([[-2350, 'CORNER BOOKS & CAFE', 'CC20260404A1'], [-6102, 'CITY GAS STATION 114', 'CC20260411A7'], [15000, 'PAYMENT THANK YOU', 'CC20260425P0']]);
  });

  it('names the transaction with an unreadable amount', () => {
    expect(failure('ofx-bad-amount.ofx').message).toMatch(/^STMTTRN 2 \(FITID 2026030300004410\): "minus 890" is not an amount in EUR\./);
  });
});

describe('CSV with a column mapping', () => {
  it('reads a German layout: the account from the lines above the header, decimal comma, thousands dots', () => {
    const s = read('csv-de.csv', { csvMapping: DE_CSV });
    expect(s).toMatchObject({ format: 'csv', iban: 'DE89370400440532013000', currency: 'EUR', closing: null });
    expect(s.rows.map((r) => [r.bookingDate, r.valueDate, r.amount, r.at])).toEqual([
      ['2026-03-02', '2026-03-02', 248000, 'line 6'], ['2026-03-03', '2026-03-03', -89000, 'line 7'],
      ['2026-03-14', '2026-03-13', -5437, 'line 8'], ['2026-03-20', '2026-03-20', 25688, 'line 9'],
    ]);
    expect(s.rows[1].description).toBe('Empfänger: Hausverwaltung Lindenhof Buchungstext: Miete März 2026 Whg 4 links');
  });

  it('reads a Polish layout in Windows-1250 with spaces as thousands separators', () => {
    const s = read('csv-pl-win1250.csv', { csvMapping: PL_CSV });
    expect(s.iban).toBe('PL48109010140000000123456789');
    expect(s.rows.map((r) => [r.amount, r.counterpartyName, r.description])).toEqual([
      [-149999, 'MEDIA EXPERT', 'Zakup w terminalu MEDIA EXPERT WARSZAWA'],
      [735000, 'KOWALSKA SP. Z O.O.', 'WYNAGRODZENIE ZA MARZEC 2026'],
      [-210000, 'Wspólnota Mieszkaniowa Żurawia 12', 'Czynsz za kwiecień ul. Żurawia 12 m. 5'],
    ]);
  });

  it('debit and credit columns, a direction column, and a date that is not one', () => {
    const text = 'Datum;Text;Soll;Haben;S/H\n01.02.2026;Miete;500,00;;S\n02.02.2026;Gehalt;;1.000,00;H\n';
    const s = readStatement(new TextEncoder().encode(text), { csvMapping: { date: 'Datum', debit: 'Soll', credit: 'Haben', description: ['Text'], currency: 'EUR', dateFormat: 'DD.MM.YYYY', decimal: ',' } }).statement;
    expect(s.rows.map((r) => r.amount)).toEqual([-50000, 100000]);
    const signed = 'Datum;Text;Betrag;S/H\n01.02.2026;Miete;500,00;S\n31.02.2026;Gehalt;1.000,00;H\n';
    const m: CsvMapping = { date: 'Datum', amount: 'Betrag', directionColumn: 'S/H', description: ['Text'], currency: 'EUR', dateFormat: 'DD.MM.YYYY', decimal: ',' };
    expect(() => readStatement(new TextEncoder().encode(signed), { csvMapping: m })).toThrow(/^line 3, column Datum: "31.02.2026" is not a date\./);
  });

  it('a direction column with its debit and credit values (a value in neither is refused), and several text columns joined in order', () => {
    const text = 'Datum;Empfänger;Zweck;Betrag;Art\n01.02.2026;Hausverwaltung;Miete Feb;500,00;Lastschrift\n02.02.2026;Firma;Gehalt;1.000,00;Gutschrift\n'
      + '03.02.2026;Bäcker;;-2,50;Lastschrift\n';
    const m: CsvMapping = { date: 'Datum', amount: 'Betrag', directionColumn: 'Art', debitValues: ['Lastschrift'], creditValues: ['gutschrift '],
      description: ['Zweck', 'Empfänger'], currency: 'EUR', dateFormat: 'DD.MM.YYYY', decimal: ',' };
    const s = readStatement(new TextEncoder().encode(text), { csvMapping: m }).statement;
    expect(s.rows.map((r) => [r.amount, r.description])).toEqual([[-50000, 'Miete Feb Hausverwaltung'], [100000, 'Gehalt Firma'], [-250, 'Bäcker']]);
    const odd = `${text}04.02.2026;Bank;Zinsen;1,00;Storno\n`;
    expect(() => readStatement(new TextEncoder().encode(odd), { csvMapping: m }))
      .toThrow(/^line 5: "Storno" in the Art column is neither a debit \(Lastschrift\) nor a credit \(gutschrift \) value; correct the mapping's values\. Nothing was imported\.$/);
  });

  it('asks for a mapping, listing the columns; refuses a file without a header', () => {
    const e = failure('csv-de.csv') as unknown as Error & { detail: { headers: string[] } };
    expect(e.message).toMatch(/columns \(Buchungstag, Wertstellung \(Valuta\), Vorgang, Buchungstext, Umsatz in EUR\) have no mapping yet/);
    expect(e.detail.headers).toHaveLength(5);
    expect(failure('csv-broken.csv', { csvMapping: DE_CSV }).message).toMatch(/No header line was found/);
  });
});

describe('any file', () => {
  it('refuses a 50 MB file before reading it, an empty one, and another XML', () => {
    expect(() => readStatement(new Uint8Array(50 * 1024 * 1024))).toThrow(/The file is 50 MB; statement files up to 32 MB can be imported/);
    expect(() => readStatement(new Uint8Array(0))).toThrow(/The file is empty/);
    expect(() => readStatement(new TextEncoder().encode('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>'))).toThrow(/not a CAMT.053 bank statement/);
  });
});
