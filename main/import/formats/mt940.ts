// MT940 (SWIFT customer statement): tag lines :20: :25: :28C: :60F/M: :61: :86: :62F/M:, continuation lines belong to
// the tag above them. Written by hand: the format is a dozen line rules, and errors must name the line at fault.
// :86: is free text; German banks structure it with ?NN subfields (?20-?29 purpose, ?32/?33 name, ?31/?38 account),
// which are read when present.
import { normIban } from '../../domain/identifiers.js';
import { amountOf, badFile, checkDate, type Statement, type StatementBalance, type StatementRow } from '../statement.js';

interface Field { tag: string; value: string; line: number }

export function parseMt940(text: string): Statement {
  const fields = splitFields(text);
  if (!fields.some((f) => f.tag === '61' || f.tag === '60F' || f.tag === '60M')) throw badFile({ id: 'import.mt940_not' });
  const out: Statement = { format: 'mt940', iban: null, accountNumber: null, currency: null, opening: null, closing: null, rows: [], skipped: 0 };
  let last: StatementRow | null = null;
  for (const f of fields) {
    const at = `line ${f.line} (:${f.tag}:)`;
    switch (f.tag) {
      case '25': {
        // "BLZ/account", "BIC/IBAN" or an IBAN with a currency suffix
        const id = f.value.trim();
        const iban = /[A-Z]{2}\d{2}[A-Z0-9]{10,30}/.exec(id.replace(/\s+/g, ''))?.[0] ?? null;
        if (out.iban && iban && out.iban !== iban) throw badFile({ id: 'import.several_accounts' }, at);
        out.iban = normIban(iban);
        if (!iban) out.accountNumber = id;
        break;
      }
      case '60F': case '60M': {
        const b = balance(f.value, at);
        out.currency ??= b.currency;
        if (!out.opening) out.opening = b.balance;
        break;
      }
      case '62F': case '62M': out.closing = balance(f.value, at).balance; break;
      case '61': last = line61(f.value, at, out.currency); out.rows.push(last); break;
      case '86': if (last) apply86(last, f.value); break;
      default: break;
    }
  }
  return out;
}

function splitFields(text: string): Field[] {
  const fields: Field[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    let line = raw.replace(/\s+$/, '');
    // SWIFT envelope blocks {1:...}{2:...}{4: ... -} around the text
    line = line.replace(/^\{[1-3]:[^}]*\}/g, '').replace(/^\{4:/, '').replace(/^-\}.*$/, '');
    if (line === '' || line === '-') return;
    const m = /^:(\d{2}[A-Z]?):(.*)$/.exec(line);
    if (m) fields.push({ tag: m[1], value: m[2], line: i + 1 });
    else if (fields.length) fields[fields.length - 1].value += '\n' + line;
  });
  return fields;
}

/** D/C mark, YYMMDD, currency, amount with a decimal comma */
function balance(v: string, at: string): { balance: StatementBalance; currency: string } {
  const m = /^([CD])(\d{6})([A-Z]{3})([\d,]+)$/.exec(v.trim());
  if (!m) throw badFile({ id: 'import.mt940_bad_balance', values: { text: v.trim() } }, at);
  const amount = amountOf(swiftDecimal(m[4]), m[3], at);
  return { balance: { amount: m[1] === 'D' ? -amount : amount, date: yymmdd(m[2], at) }, currency: m[3] };
}

// value date, optional entry date MMDD, (R)C/(R)D, optional funds code, amount, type code, customer ref, //bank ref, details
const L61 = /^(\d{6})(\d{4})?(RC|RD|C|D)([A-Z])?([\d,]+)([SNF][A-Z0-9]{3})([^/\n]{0,16})(?:\/\/([^\n]{0,16}))?(?:\n([\s\S]*))?$/;

function line61(v: string, at: string, currency: string | null): StatementRow {
  const m = L61.exec(v);
  if (!m) throw badFile({ id: 'import.mt940_bad_line', values: { text: v.split('\n')[0] } }, at);
  if (!currency) throw badFile({ id: 'import.mt940_line_before_opening' }, at);
  const valueDate = yymmdd(m[1], at);
  // the entry (booking) date has no year: the value date's, or the next/previous one around new year
  let bookingDate = valueDate;
  if (m[2]) {
    const y = Number(valueDate.slice(0, 4));
    const cands = [y - 1, y, y + 1].map((yy) => `${yy}-${m[2].slice(0, 2)}-${m[2].slice(2)}`);
    bookingDate = cands.reduce((a, b) => Math.abs(Date.parse(b) - Date.parse(valueDate)) < Math.abs(Date.parse(a) - Date.parse(valueDate)) ? b : a);
    checkDate(bookingDate, at, m[2]);
  }
  const amount = amountOf(swiftDecimal(m[5]), currency, at);
  const credit = m[3] === 'C' || m[3] === 'RD'; // a reversal of a debit is money in
  const custRef = m[7].trim();
  const bankRef = m[8]?.trim() || null;
  return {
    bookingDate, valueDate, amount: credit ? amount : -amount, currency, description: (m[9] ?? '').trim(),
    counterpartyName: null, counterpartyIban: null,
    ref: bankRef ?? (custRef && custRef !== 'NONREF' ? custRef : null), at,
  };
}

/** :86: text: structured ?NN subfields when present, else the free text as the description */
function apply86(row: StatementRow, v: string): void {
  const flat = v.replace(/\n/g, '');
  if (/^\d{3}\?\d{2}/.test(flat) || /^\?\d{2}/.test(flat)) {
    const sub = new Map<string, string>();
    for (const m of flat.matchAll(/\?(\d{2})([^?]*)/g)) sub.set(m[1], (sub.get(m[1]) ?? '') + m[2]);
    const purpose = [...Array(10).keys()].map((i) => sub.get(`2${i}`) ?? '').concat([...Array(4).keys()].map((i) => sub.get(`6${i}`) ?? '')).join('');
    row.description = purpose.trim() || row.description;
    row.counterpartyName = ((sub.get('32') ?? '') + (sub.get('33') ?? '')).trim() || null;
    row.counterpartyIban = normIban(/^[A-Z]{2}\d{2}/.test(sub.get('31') ?? '') ? sub.get('31') : sub.get('38')) ?? null;
  } else {
    row.description = v.replace(/\n/g, ' ').replace(/\s+/g, ' ').trim();
  }
}

/** SWIFT amounts: a decimal comma, always present, decimals optional ("1250,") */
const swiftDecimal = (s: string) => s.replace(/,$/, '').replace(',', '.');

function yymmdd(s: string, at: string): string {
  const yy = Number(s.slice(0, 2));
  return checkDate(`${yy < 70 ? 2000 + yy : 1900 + yy}-${s.slice(2, 4)}-${s.slice(4, 6)}`, at, s);
}
