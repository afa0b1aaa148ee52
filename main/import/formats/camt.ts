// CAMT.053 (ISO 20022 BankToCustomerStatement, versions 001.02 to 001.13): the XML is read by fast-xml-parser, the
// elements are picked as the schema names them. One Stmt per account; more than one account in a file is refused.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { normIban } from '../../domain/identifiers.js';
import { amountOf, badFile, checkDate, type Statement, type StatementBalance, type StatementRow } from '../statement.js';

type Node = Record<string | symbol, unknown>;
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;
const ARRAYS = new Set(['Stmt', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'AddtlTxInf']);

/** the line of a character index: a binary search over the line starts, found once per file */
function lineFinder(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= index) lo = mid; else hi = mid - 1; }
    return lo + 1;
  };
}

export function parseCamt053(text: string): Statement {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw badFile(`The XML is broken (${valid.err.msg}).`, `line ${valid.err.line}`);
  const doc = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, parseTagValue: false, parseAttributeValue: false,
    trimValues: true, captureMetaData: true, processEntities: true, isArray: (name) => ARRAYS.has(name),
  }).parse(text) as Node;
  const root = doc.Document as Node | undefined;
  const bk = root?.BkToCstmrStmt as Node | undefined;
  if (!bk) throw badFile('This XML file is not a CAMT.053 bank statement (no Document/BkToCstmrStmt element).');
  const stmts = (bk.Stmt as Node[] | undefined) ?? [];
  if (stmts.length === 0) throw badFile('The statement has no Stmt element.');
  const lineAt = lineFinder(text);
  const where = (n: Node, label: string) => {
    const m = n[META] as { startIndex?: number } | undefined;
    return m?.startIndex !== undefined ? `line ${lineAt(m.startIndex)} (${label})` : label;
  };
  const ibans = new Set(stmts.map((s) => acctIban(s)));
  if (ibans.size > 1) throw badFile(`The file holds statements of ${ibans.size} accounts; import one account's file at a time.`);

  const out: Statement = { format: 'camt053', iban: null, accountNumber: null, currency: null, opening: null, closing: null, rows: [], skipped: 0 };
  stmts.forEach((stmt, si) => {
    const acct = stmt.Acct as Node | undefined;
    out.iban = acctIban(stmt);
    out.accountNumber ??= str(path(acct, 'Id', 'Othr', 'Id'));
    out.currency ??= str(acct?.Ccy);
    // balances: the first statement's opening, the last one's closing
    for (const bal of (stmt.Bal as Node[] | undefined) ?? []) {
      const code = str(path(bal, 'Tp', 'CdOrPrtry', 'Cd')) ?? str(path(bal, 'Tp', 'CdOrPrtry', 'Prtry'));
      const b = balance(bal, where(bal, `Stmt ${si + 1} Bal ${code ?? '?'}`));
      if ((code === 'OPBD' || code === 'PRCD') && si === 0 && !out.opening) out.opening = b;
      if (code === 'CLBD') out.closing = b;
    }
    ((stmt.Ntry as Node[] | undefined) ?? []).forEach((ntry, ni) => {
      const at = where(ntry, `Stmt ${si + 1} Ntry ${ni + 1}`);
      const sts = str(ntry.Sts) ?? str(path(ntry, 'Sts', 'Cd'));
      if (sts && sts !== 'BOOK') { out.skipped++; return; }
      out.rows.push(entry(ntry, at, out.currency));
    });
  });
  return out;
}

function entry(ntry: Node, at: string, accountCurrency: string | null): StatementRow {
  const amt = ntry.Amt as Node | string | undefined;
  const currency = (typeof amt === 'object' ? str(amt['@Ccy']) : null) ?? accountCurrency;
  const text = typeof amt === 'object' ? str(amt['#text']) : str(amt);
  if (!text || !currency) throw badFile('The entry has no amount (Amt with Ccy).', at);
  const dc = str(ntry.CdtDbtInd);
  if (dc !== 'CRDT' && dc !== 'DBIT') throw badFile(`CdtDbtInd must be CRDT or DBIT, not "${dc ?? ''}".`, at);
  const abs = amountOf(text, currency, at);
  if (abs < 0) throw badFile('Amt must not be negative (the direction is in CdtDbtInd).', at);
  const bookingDate = dateOf(ntry.BookgDt as Node | undefined, at, 'BookgDt');
  if (!bookingDate) throw badFile('The entry has no booking date (BookgDt).', at);
  const tx = (((ntry.NtryDtls as Node[] | undefined)?.[0]?.TxDtls as Node[] | undefined) ?? [])[0];
  // the other party: the creditor of money out, the debtor of money in (v08+ nest the name in Pty)
  const side = dc === 'DBIT' ? 'Cdtr' : 'Dbtr';
  const party = path(tx, 'RltdPties', side) as Node | undefined;
  const name = str(path(party, 'Nm')) ?? str(path(party, 'Pty', 'Nm'));
  const iban = normIban(str(path(tx, 'RltdPties', `${side}Acct`, 'Id', 'IBAN')));
  const ustrd = ((path(tx, 'RmtInf', 'Ustrd') as unknown[] | undefined) ?? []).map(str).filter(Boolean).join(' ');
  const description = ustrd || str(path(tx, 'AddtlTxInf', 0)) || str(ntry.AddtlNtryInf) || '';
  return {
    bookingDate, valueDate: dateOf(ntry.ValDt as Node | undefined, at, 'ValDt'),
    amount: dc === 'DBIT' ? -abs : abs, currency, description, counterpartyName: name, counterpartyIban: iban,
    ref: str(ntry.AcctSvcrRef) ?? str(path(tx, 'Refs', 'AcctSvcrRef')) ?? str(ntry.NtryRef), at,
  };
}

function balance(bal: Node, at: string): StatementBalance {
  const amt = bal.Amt as Node | undefined;
  const currency = str(amt?.['@Ccy']);
  const text = str(amt?.['#text']);
  if (!currency || !text) throw badFile('The balance has no amount (Amt with Ccy).', at);
  const v = amountOf(text, currency, at);
  const date = dateOf(bal.Dt as Node | undefined, at, 'Dt');
  if (!date) throw badFile('The balance has no date (Dt).', at);
  return { amount: str(bal.CdtDbtInd) === 'DBIT' ? -v : v, date };
}

/** Dt or DtTm (the date part of the bank's local time) */
function dateOf(n: Node | undefined, at: string, what: string): string | null {
  if (!n) return null;
  const d = str(n.Dt) ?? str(n.DtTm)?.slice(0, 10);
  return d ? checkDate(d, `${at} ${what}`) : null;
}

function acctIban(stmt: Node): string | null { return normIban(str(path(stmt.Acct as Node | undefined, 'Id', 'IBAN'))); }

function path(n: unknown, ...keys: Array<string | number>): unknown {
  let cur = n;
  for (const k of keys) {
    if (cur == null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}
function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return str((v as Node)['#text']);
  return null;
}
