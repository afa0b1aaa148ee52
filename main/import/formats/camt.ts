// CAMT.053 (ISO 20022 BankToCustomerStatement, versions 001.02 to 001.13): the XML is read in one strict streaming
// pass by saxes (a broken file is refused with its line; no DTD is expanded), into plain nodes; the elements are
// picked as the schema names them. One Stmt per account; more than one account in a file is refused.
import { SaxesParser } from 'saxes';
import { normIban } from '../../domain/identifiers.js';
import { amountOf, badFile, checkDate, type Statement, type StatementBalance, type StatementRow } from '../statement.js';

/** an element: its children by local name (text, a node, or a list of either), '@name' attributes, '#text' */
type Node = Record<string | symbol, unknown>;
/** the line an element starts on */
const LINE = Symbol('line');
/** elements that may repeat, always read as lists */
const ARRAYS = new Set(['Stmt', 'Bal', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd', 'AddtlTxInf']);
const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** The document as nodes; a leaf without attributes is its trimmed text. Not well-formed XML: bad_file with the line.
 *  `take` is handed each element as it closes, with its parent; when it returns true the element is not kept in the
 *  tree (a large file's entries are read one by one instead of held as one tree). */
function readXml(text: string, take: (name: string, node: unknown, parent: Node) => boolean): Node {
  const parser = new SaxesParser({ position: true });
  const root: Node = {};
  const open: Array<{ node: Node; name: string; text: string; leaf: boolean }> = [{ node: root, name: '', text: '', leaf: false }];
  parser.on('opentag', (tag) => {
    const node: Node = { [LINE]: parser.line };
    let leaf = true;
    const attributes = tag.attributes as Record<string, string>;
    for (const k in attributes) if (!k.startsWith('xmlns')) { node[`@${local(k)}`] = attributes[k]; leaf = false; }
    open[open.length - 1].leaf = false;
    open.push({ node, name: local(tag.name), text: '', leaf });
  });
  const addText = (t: string) => { open[open.length - 1].text += t; };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const { node, name, text: raw, leaf } = open.pop()!;
    const parent = open[open.length - 1].node;
    const text = raw.trim();
    let value: unknown = node;
    if (leaf) value = text;
    else if (text) node['#text'] = text;
    if (take(name, value, parent)) return;
    const had = parent[name];
    if (ARRAYS.has(name)) ((parent[name] ??= []) as unknown[]).push(value);
    else if (had === undefined) parent[name] = value;
    else if (Array.isArray(had)) had.push(value);
    else parent[name] = [had, value];
  });
  parser.on('error', (e) => {
    const m = /^(\d+):\d+: (.*)$/s.exec(e.message);
    throw badFile({ id: 'import.xml_broken', values: { detail: m ? m[2]! : e.message } }, `line ${m ? m[1] : parser.line}`);
  });
  parser.write(text).close();
  return root;
}

export function parseCamt053(text: string): Statement {
  const out: Statement = { format: 'camt053', iban: null, accountNumber: null, currency: null, opening: null, closing: null, rows: [], skipped: 0 };
  const where = (n: Node, label: string) => (typeof n[LINE] === 'number' ? `line ${n[LINE]} (${label})` : label);
  // entries are read as they close (Acct comes before them in a Stmt, so the account's currency is known)
  let stmtOfEntries: Node | null = null;
  let stmtsClosed = 0, ni = 0;
  const doc = readXml(text, (name, ntry, parent) => {
    if (name === 'Stmt') stmtsClosed++;
    if (name !== 'Ntry' || typeof ntry !== 'object') return false;
    if (parent !== stmtOfEntries) { stmtOfEntries = parent; ni = 0; }
    const at = where(ntry as Node, `Stmt ${stmtsClosed + 1} Ntry ${++ni}`);
    const n = ntry as Node;
    const sts = str(n.Sts) ?? str(path(n, 'Sts', 'Cd'));
    if (sts && sts !== 'BOOK') out.skipped++;
    else out.rows.push(entry(n, at, str(path(parent, 'Acct', 'Ccy'))));
    return true;
  });
  const root = doc.Document as Node | undefined;
  const bk = root?.BkToCstmrStmt as Node | undefined;
  if (!bk) throw badFile({ id: 'import.camt_not' });
  const stmts = (bk.Stmt as Node[] | undefined) ?? [];
  if (stmts.length === 0) throw badFile({ id: 'import.camt_no_stmt' });
  const ibans = new Set(stmts.map((s) => acctIban(s)));
  if (ibans.size > 1) throw badFile({ id: 'import.several_accounts_n', values: { count: ibans.size } });

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
  });
  return out;
}

function entry(ntry: Node, at: string, accountCurrency: string | null): StatementRow {
  const amt = ntry.Amt as Node | string | undefined;
  const currency = (typeof amt === 'object' ? str(amt['@Ccy']) : null) ?? accountCurrency;
  const text = typeof amt === 'object' ? str(amt['#text']) : str(amt);
  if (!text || !currency) throw badFile({ id: 'import.camt_entry_no_amount' }, at);
  const dc = str(ntry.CdtDbtInd);
  if (dc !== 'CRDT' && dc !== 'DBIT') throw badFile({ id: 'import.camt_bad_direction', values: { text: dc ?? '' } }, at);
  const abs = amountOf(text, currency, at);
  if (abs < 0) throw badFile({ id: 'import.camt_negative' }, at);
  const bookingDate = dateOf(ntry.BookgDt as Node | undefined, at, 'BookgDt');
  if (!bookingDate) throw badFile({ id: 'import.camt_no_booking_date' }, at);
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
  if (!currency || !text) throw badFile({ id: 'import.camt_balance_no_amount' }, at);
  const v = amountOf(text, currency, at);
  const date = dateOf(bal.Dt as Node | undefined, at, 'Dt');
  if (!date) throw badFile({ id: 'import.camt_balance_no_date' }, at);
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
