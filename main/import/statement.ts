// A bank statement file read into one shape, whatever its format (CAMT.053, MT940, OFX/QFX, CSV).
// Amounts are integer minor units (negative = money out); dates YYYY-MM-DD.
import type { StatementFormat } from '../../preload/contract/imports.js';
import { AppError, type MainMessage } from '../domain/errors.js';
import { toMinorUnits } from '../domain/money.js';
import type { IsoDate } from '../domain/types.js';

export type { StatementFormat } from '../../preload/contract/imports.js';

export interface StatementRow {
  bookingDate: IsoDate;
  valueDate: IsoDate | null;
  amount: number;
  currency: string;
  description: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  /** the bank's own reference of the entry (CAMT AcctSvcrRef, MT940 bank reference, OFX FITID), when the file has one */
  ref: string | null;
  /** where in the file the row is, for messages ("line 12", "Ntry 3") */
  at: string;
}

export interface StatementBalance { amount: number; date: IsoDate }

export interface Statement {
  format: StatementFormat;
  /** the account the file is for, when it names one */
  iban: string | null;
  /** a non-IBAN account number (MT940 :25:, OFX ACCTID) when there is no IBAN */
  accountNumber: string | null;
  currency: string | null;
  opening: StatementBalance | null;
  closing: StatementBalance | null;
  rows: StatementRow[];
  /** entries the file lists but that are not booked movements (CAMT/OFX pending or information-only entries) */
  skipped: number;
}

/** A file that cannot be imported: what is wrong and where, in plain words. Nothing is written. */
export function badFile(reason: MainMessage, at?: string): AppError {
  return new AppError('bad_file', at ? { id: 'import.bad_file_at', values: { at, reason } } : { id: 'import.bad_file', values: { reason } }, at ? { at } : {});
}

/**
 * A decimal as the file writes it -> minor units; `at` names the place for the error. 'strict' (the XML and SWIFT
 * formats): digits and one decimal point only; '.' or ',' (CSV): that decimal mark, the other one and spaces as
 * thousands separators, a trailing minus.
 */
export function amountOf(text: string, currency: string, at: string, style: 'strict' | '.' | ',' = 'strict'): number {
  let t = text.trim();
  let negative = false;
  if (style !== 'strict') {
    t = t.replace(/[\s\u00a0\u202f']/g, '');
    if (/^[-+]?[\d.,]+-$/.test(t)) { negative = true; t = t.slice(0, -1); }
    t = style === ',' ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  }
  try {
    if (!/^[-+]?\d+(\.\d+)?$/.test(t)) throw new RangeError('not a decimal');
    const v = toMinorUnits(t, currency);
    return negative ? -v : v;
  } catch {
    throw badFile({ id: 'import.bad_amount', values: { text, currency } }, at);
  }
}

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** YYYY-MM-DD if it is a real calendar day, else throws with the place */
export function checkDate(d: string, at: string, original = d): IsoDate {
  // every month has days 1 to 28: only later days need the calendar
  if (!DATE_RE.test(d) || (d.slice(8) > '28' && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d)) throw badFile({ id: 'import.bad_date', values: { text: original } }, at);
  return d;
}

/** Opening + booked rows must come to the closing balance (when the file gives both). */
export function checkAddsUp(s: Statement): void {
  if (!s.opening || !s.closing) return;
  const sum = s.rows.reduce((a, r) => a + r.amount, s.opening.amount);
  if (sum !== s.closing.amount) {
    const cur = s.currency ?? s.rows[0]?.currency ?? 'EUR';
    const money = (minor: number): MainMessage => ({ id: 'money', values: { minor, currency: cur } });
    throw badFile({ id: 'import.not_adding_up', values: { opening: money(s.opening.amount), count: s.rows.length, sum: money(sum), closing: money(s.closing.amount) } });
  }
}
