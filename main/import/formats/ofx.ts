// OFX / QFX (Open Financial Exchange 1.x SGML and 2.x XML): SGML leaf elements have no end tag, so they are closed
// here (the one step no parser does for us), then fast-xml-parser reads it. QFX is OFX with an Intuit header.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { normIban } from '../../domain/identifiers.js';
import { amountOf, badFile, checkDate, type Statement, type StatementRow } from '../statement.js';

type Node = Record<string, unknown>;

/** <TAG>value without </TAG> -> <TAG>value</TAG>; the SGML header lines before <OFX> are dropped. */
function toXml(text: string): string {
  const start = text.search(/<OFX>/i);
  if (start < 0) throw badFile({ id: 'import.ofx_not', values: { element: '<OFX>' } });
  const body = text.slice(start);
  if (/<\/(TRNAMT|DTPOSTED|FITID)>/i.test(body)) return body; // already XML (OFX 2.x)
  return body.replace(/<([A-Z0-9.]+)>([^<\r\n]*[^<\s][^<\r\n]*)\s*(?=<|$)/gi, (_m, tag: string, value: string) => `<${tag}>${value.trim()}</${tag}>`);
}

export function parseOfx(text: string): Statement {
  const xml = toXml(text).replace(/&(?!(amp|lt|gt|quot|apos|#\d+);)/g, '&amp;');
  const valid = XMLValidator.validate(xml);
  // line numbers are counted from <OFX>: add the header's lines
  const headerLines = text.slice(0, text.search(/<OFX>/i)).split('\n').length - 1;
  if (valid !== true) throw badFile({ id: 'import.ofx_broken', values: { detail: valid.err.msg } }, `line ${valid.err.line + headerLines}`);
  const doc = new XMLParser({ parseTagValue: false, trimValues: true, isArray: (n) => n === 'STMTTRN' || n === 'STMTTRNRS' || n === 'CCSTMTTRNRS' }).parse(xml) as Node;
  const ofx = doc.OFX as Node | undefined;
  const trnrs = [...arr(get(ofx, 'BANKMSGSRSV1', 'STMTTRNRS')), ...arr(get(ofx, 'CREDITCARDMSGSRSV1', 'CCSTMTTRNRS'))];
  if (trnrs.length === 0) throw badFile({ id: 'import.ofx_no_statement' });
  if (trnrs.length > 1) throw badFile({ id: 'import.several_accounts_n', values: { count: trnrs.length } });
  const rs = (get(trnrs[0], 'STMTRS') ?? get(trnrs[0], 'CCSTMTRS')) as Node | undefined;
  if (!rs) throw badFile({ id: 'import.ofx_no_statement' });
  const currency = str(rs.CURDEF);
  if (!currency || !/^[A-Z]{3}$/.test(currency)) throw badFile({ id: 'import.ofx_no_currency' }, 'STMTRS');
  const acct = (rs.BANKACCTFROM ?? rs.CCACCTFROM) as Node | undefined;
  const acctId = str(acct?.ACCTID);
  const iban = acctId && /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(acctId.replace(/\s/g, '')) ? normIban(acctId) : null;
  const out: Statement = { format: 'ofx', iban, accountNumber: iban ? null : acctId, currency, opening: null, closing: null, rows: [], skipped: 0 };
  const ledger = rs.LEDGERBAL as Node | undefined;
  if (ledger && str(ledger.BALAMT)) {
    out.closing = { amount: amountOf(str(ledger.BALAMT)!, currency, 'LEDGERBAL BALAMT'), date: dateOf(str(ledger.DTASOF), 'LEDGERBAL DTASOF') };
  }
  arr(get(rs, 'BANKTRANLIST', 'STMTTRN')).forEach((t, i) => {
    const at = `STMTTRN ${i + 1}${str(t.FITID) ? ` (FITID ${str(t.FITID)})` : ''}`;
    out.rows.push(row(t, at, currency));
  });
  return out;
}

function row(t: Node, at: string, currency: string): StatementRow {
  const amt = str(t.TRNAMT);
  if (!amt) throw badFile({ id: 'import.ofx_no_amount' }, at);
  const cur = str(get(t, 'CURRENCY', 'CURSYM')) ?? currency;
  const posted = str(t.DTPOSTED);
  if (!posted) throw badFile({ id: 'import.ofx_no_date' }, at);
  const name = str(t.NAME) ?? str(get(t, 'PAYEE', 'NAME'));
  const to = (t.BANKACCTTO ?? t.CCACCTTO) as Node | undefined;
  return {
    bookingDate: dateOf(posted, `${at} DTPOSTED`), valueDate: str(t.DTUSER) ? dateOf(str(t.DTUSER), `${at} DTUSER`) : null,
    amount: amountOf(amt.includes('.') ? amt : amt.replace(',', '.'), cur, at), currency: cur, // some banks write a decimal comma
    description: str(t.MEMO) ?? name ?? '', counterpartyName: name, counterpartyIban: normIban(str(to?.ACCTID)),
    ref: str(t.FITID), at,
  };
}

/** YYYYMMDD[HHMMSS[.XXX]][[+-]TZ] -> the date as written */
function dateOf(v: string | null, at: string): string {
  if (!v || !/^\d{8}/.test(v)) throw badFile({ id: 'import.ofx_bad_date', values: { text: v ?? '' } }, at);
  return checkDate(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}`, at, v);
}

const arr = (v: unknown): Node[] => (Array.isArray(v) ? v as Node[] : v ? [v as Node] : []);
function get(n: unknown, ...keys: string[]): unknown {
  let cur = n;
  for (const k of keys) cur = cur && typeof cur === 'object' ? (cur as Node)[k] : undefined;
  return cur;
}
function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  return null;
}
