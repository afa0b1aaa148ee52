// Bank CSV exports: every bank has its own columns, so the user maps them once per layout and the mapping is
// remembered (main/store/imports.ts, keyed by the header line). csv-parse reads the records (quotes, embedded
// separators and line breaks); this file only applies the mapping: dates, decimal comma, sign or debit/credit columns.
import { parse } from 'csv-parse/sync';
import type { CsvMapping, DateFormat } from '../../../preload/contract/imports.js';
import { normIban } from '../../domain/identifiers.js';
import { amountOf, badFile, checkDate, type Statement, type StatementRow } from '../statement.js';

/** The layout's key: the header line's column names, normalised (what the remembered mapping is found by). */
export function layoutKey(headers: string[]): string {
  return headers.map((h) => h.trim().toLowerCase()).join('|');
}

/** The header row and the lines above it (banks put the account and period there) of a CSV text. */
export function csvHeader(text: string, delimiter?: string): { headers: string[]; headerLine: number; preamble: string; delimiter: string } {
  const lines = text.split(/\r?\n/);
  // the header: the first line with at least three cells that is followed by a line with as many cells
  for (let i = 0; i < Math.min(lines.length - 1, 40); i++) {
    const d = delimiter ?? guessDelimiter(lines[i]);
    if (!d) continue;
    const cells = splitLine(lines[i], d);
    if (cells.length >= 3 && cells.every((c) => c !== '' && !/^-?[\d.,\s]+$/.test(c)) && splitLine(lines[i + 1], d).length === cells.length) {
      return { headers: cells, headerLine: i + 1, preamble: lines.slice(0, i).join('\n'), delimiter: d };
    }
  }
  throw badFile({ id: 'import.csv_no_header' }, 'line 1');
}

function guessDelimiter(line: string): string | null {
  let best: string | null = null;
  let most = 1;
  for (const d of [';', ',', '\t', '|']) {
    const n = splitLine(line, d).length;
    if (n > most) { most = n; best = d; }
  }
  return best;
}
function splitLine(line: string, d: string): string[] {
  try {
    return (parse(line, { delimiter: d, relax_quotes: true, relax_column_count: true }) as string[][])[0]?.map((c) => c.trim()) ?? [];
  } catch { return []; }
}

export function parseCsv(text: string, mapping: CsvMapping): Statement {
  const { headers, headerLine, preamble, delimiter } = csvHeader(text, mapping.delimiter);
  const col = (name: string | undefined, what: string): number => { // what: the mapping field, named in the catalogue
    if (name === undefined) return -1;
    const i = headers.findIndex((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
    if (i < 0) throw badFile({ id: 'import.csv_column_missing', values: { what, name, columns: headers.join(', ') } }, `line ${headerLine}`);
    return i;
  };
  const c = {
    date: col(mapping.date, 'date'), valueDate: col(mapping.valueDate, 'valueDate'), amount: col(mapping.amount, 'amount'),
    debit: col(mapping.debit, 'debit'), credit: col(mapping.credit, 'credit'), dir: col(mapping.directionColumn, 'direction'),
    desc: mapping.description.map((d) => col(d, 'description')), cp: col(mapping.counterparty, 'counterparty'),
    cpIban: col(mapping.counterpartyIban, 'counterpartyIban'), ref: col(mapping.reference, 'reference'), cur: col(mapping.currencyColumn, 'currency'),
  };
  if (c.amount < 0 && c.debit < 0 && c.credit < 0) throw badFile({ id: 'import.csv_no_amount_column' });
  if (c.cur < 0 && !mapping.currency) throw badFile({ id: 'import.csv_no_currency' });
  const debitValues = new Set((mapping.debitValues ?? ['D', 'S', 'DBIT', 'Debit', 'Soll', 'Obciążenie', 'Ťarcha']).map((v) => v.trim().toLowerCase()));
  const creditValues = mapping.creditValues && new Set(mapping.creditValues.map((v) => v.trim().toLowerCase()));
  const records = parse(text, {
    delimiter, from_line: headerLine + 1, relax_column_count: true, skip_empty_lines: true, info: true, bom: true, relax_quotes: true,
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  const iban = /\b([A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?)\b/.exec(preamble)?.[1];
  const out: Statement = { format: 'csv', iban: normIban(iban), accountNumber: null, currency: mapping.currency ?? null, opening: null, closing: null, rows: [], skipped: 0 };
  for (const { record, info } of records) {
    const at = `line ${info.lines}`;
    const cell = (i: number) => (i >= 0 ? (record[i] ?? '').trim() : '');
    if (record.every((x) => x.trim() === '')) continue;
    // summary lines at the end of some exports ("Kontostand";"1.234,56") have no date: not a movement
    if (!cell(c.date) && record.filter((x) => x.trim()).length <= 2) { out.skipped++; continue; }
    const currency = (c.cur >= 0 ? cell(c.cur) : mapping.currency!).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw badFile({ id: 'import.bad_currency', values: { text: currency } }, at);
    let amount: number;
    if (c.amount >= 0) amount = amountOf(cell(c.amount), currency, `${at}, column ${headers[c.amount]}`, mapping.decimal);
    else {
      const out_ = cell(c.debit), in_ = cell(c.credit);
      if (!out_ && !in_) throw badFile({ id: 'import.csv_no_debit_credit' }, at);
      amount = in_ ? Math.abs(amountOf(in_, currency, `${at}, column ${headers[c.credit]}`, mapping.decimal))
        : -Math.abs(amountOf(out_, currency, `${at}, column ${headers[c.debit]}`, mapping.decimal));
    }
    if (c.dir >= 0) {
      const dir = cell(c.dir).toLowerCase();
      if (debitValues.has(dir)) amount = -Math.abs(amount);
      else if (creditValues?.has(dir)) amount = Math.abs(amount);
      // with both lists given, a value in neither is a row the mapping cannot place
      else if (creditValues) {
        throw badFile({ id: 'import.csv_bad_direction', values: { text: cell(c.dir), column: headers[c.dir]!, debit: mapping.debitValues?.join(', ') ?? '', credit: mapping.creditValues!.join(', ') } }, at);
      }
    }
    const row: StatementRow = {
      bookingDate: dateOf(cell(c.date), mapping.dateFormat, `${at}, column ${headers[c.date]}`),
      valueDate: c.valueDate >= 0 && cell(c.valueDate) ? dateOf(cell(c.valueDate), mapping.dateFormat, `${at}, column ${headers[c.valueDate]}`) : null,
      amount, currency, description: c.desc.map(cell).filter(Boolean).join(' ').replace(/\s+/g, ' '),
      counterpartyName: cell(c.cp) || null, counterpartyIban: normIban(cell(c.cpIban)) || null, ref: cell(c.ref) || null, at,
    };
    out.currency ??= currency;
    out.rows.push(row);
  }
  return out;
}

const DATE_PARTS: Record<DateFormat, RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})/, 'DD.MM.YYYY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
  'DD.MM.YY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{2})$/, 'DD/MM/YYYY': /^(?<d>\d{1,2})\/(?<m>\d{1,2})\/(?<y>\d{4})$/,
  'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/, 'DD-MM-YYYY': /^(?<d>\d{1,2})-(?<m>\d{1,2})-(?<y>\d{4})$/,
  YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
};

function dateOf(v: string, f: DateFormat, at: string): string {
  const g = DATE_PARTS[f].exec(v)?.groups;
  if (!g) throw badFile({ id: 'import.csv_bad_date', values: { text: v, format: f } }, at);
  const y = g.y.length === 2 ? `20${g.y}` : g.y;
  return checkDate(`${y}-${g.m.padStart(2, '0')}-${g.d.padStart(2, '0')}`, at, v);
}
