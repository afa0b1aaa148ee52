// Transaction rows read one by one: a page's envelope is strict, but a row the client cannot parse or map is kept
// aside with its reason and a redacted copy, and the rest of the page is written (ARCHITECTURE.md, "Aggregator contracts").
import { createHash } from 'node:crypto';
import { setImmediate as turn } from 'node:timers/promises';
import type { z } from 'zod';
import type { RemoteTransaction } from '../domain/types.js';

/** A row of a transaction page that could not be read. */
export interface UnreadableRow {
  /** the row's identity: the aggregator's id, or `#` + a hash of the row when it has none */
  key: string;
  remoteId: string | null;
  /** what went wrong, in plain words (field and problem) */
  reason: string;
  /** the row with names, IBANs and free text redacted; field names, structure and value types kept */
  redacted: unknown;
}

export interface RowsRead<T> {
  /** every row that passed the schema (before `keep`), in page order: paging decisions use them */
  parsed: T[];
  transactions: RemoteTransaction[];
  unreadable: UnreadableRow[];
}

/**
 * Parse each raw row with `schema`, drop those `keep` rejects (outside the window), map the rest; a row that fails
 * any step lands in `unreadable` instead of failing the page. `map` may return null for a row that carries nothing to
 * store (a deleted row). `idOf` names a raw row's id (default: its `id` field).
 */
export function readRows<S extends z.ZodType>(
  rows: readonly unknown[],
  schema: S,
  map: (row: z.output<S>) => RemoteTransaction | null,
  opts: { keep?: (row: z.output<S>) => boolean; idOf?: (raw: unknown) => string | null } = {},
): RowsRead<z.output<S>> {
  const idOf = opts.idOf ?? defaultId;
  const out: RowsRead<z.output<S>> = { parsed: [], transactions: [], unreadable: [] };
  const aside = (raw: unknown, reason: string) => {
    const remoteId = idOf(raw);
    const key = remoteId ?? `#${createHash('sha256').update(JSON.stringify(raw) ?? 'null').digest('base64url').slice(0, 22)}`;
    out.unreadable.push({ key, remoteId, reason, redacted: redactRow(raw) });
  };
  for (const raw of rows) {
    const r = schema.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      aside(raw, `${issue?.path.join('.') || 'row'}: ${issue?.message ?? 'not readable'}`);
      continue;
    }
    out.parsed.push(r.data);
    if (opts.keep && !opts.keep(r.data)) continue;
    let t: RemoteTransaction | null;
    try {
      t = map(r.data);
    } catch (e) {
      aside(raw, e instanceof Error ? e.message : String(e));
      continue;
    }
    if (t === null) continue;
    const problem = transactionProblem(t);
    if (problem) aside(raw, problem);
    else out.transactions.push(t);
  }
  return out;
}

/** readRows in slices of `slice` rows with a turn of the event loop between them: the same result, but a page of
 *  hundreds of rows (several ms of schema and mapping) does not keep the window's calls waiting in one block */
export async function readRowsInTurns<S extends z.ZodType>(
  rows: readonly unknown[],
  schema: S,
  map: (row: z.output<S>) => RemoteTransaction | null,
  opts: { keep?: (row: z.output<S>) => boolean; idOf?: (raw: unknown) => string | null } = {},
  slice = 100,
): Promise<RowsRead<z.output<S>>> {
  const out: RowsRead<z.output<S>> = { parsed: [], transactions: [], unreadable: [] };
  for (let at = 0; at < rows.length; at += slice) {
    await turn();
    const r = readRows(rows.slice(at, at + slice), schema, map, opts);
    out.parsed.push(...r.parsed);
    out.transactions.push(...r.transactions);
    out.unreadable.push(...r.unreadable);
  }
  return out;
}

const defaultId = (raw: unknown): string | null => {
  const id = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).id : undefined;
  return (typeof id === 'string' || typeof id === 'number') && String(id).length > 0 && String(id).length <= 500 ? String(id) : null;
};

const DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CUR_RE = /^[A-Z]{3}$/;

/** What is wrong with a mapped transaction, or null when the writer can store it (the writer checks pages with it too). */
export function transactionProblem(t: Partial<RemoteTransaction> | null): string | null {
  if (!t || typeof t !== 'object') return 'not an object';
  if (typeof t.remoteId !== 'string' || t.remoteId.length === 0 || t.remoteId.length > 500) return 'id';
  if (typeof t.bookingDate !== 'string' || !DATE_RE.test(t.bookingDate)) return 'booking date';
  if (t.valueDate != null && (typeof t.valueDate !== 'string' || !DATE_RE.test(t.valueDate))) return 'value date';
  if (typeof t.amount !== 'number' || !Number.isSafeInteger(t.amount)) return 'amount';
  if (typeof t.currency !== 'string' || !CUR_RE.test(t.currency)) return 'currency';
  if (t.status !== 'pending' && t.status !== 'booked') return 'status';
  if (typeof t.description !== 'string') return 'description';
  if (t.counterpartyName != null && typeof t.counterpartyName !== 'string') return 'counterparty';
  if (t.counterpartyIban != null && typeof t.counterpartyIban !== 'string') return 'counterparty IBAN';
  return null;
}

// ---------------------------------------------------------------- redaction

/** values kept as they are: dates and instants, numbers (amounts, ids), currency codes */
const KEEP_VALUE = [
  /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
  /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/,
  /^[A-Z]{3}$/,
];
/** short codes under these keys are kept too (status, type, id ...): they say which branch the client took */
const CODE_KEY = /(^id$|id$|Id$|_id$|^id_|status|state|type|Type|indicator|Indicator|code|Code|currency|Currency|deleted|coming)/;
const CODE_VALUE = /^[A-Za-z0-9_.:-]{1,64}$/;
const IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{10,40}$/;
/** whatever a field under these keys holds is personal or free text, even when it looks like a number or a code */
const PERSONAL_KEY = /(name|iban|bic|number|identification|mandate|reference|purpose|wording|description|remittance|label|address|holder|memo|note)/i;

/** A copy of a raw row with every name, IBAN and free text replaced by a marker of its kind; structure and types stay. */
export function redactRow(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => redactRow(x, key));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redactRow(x, k)]));
  if (typeof v !== 'string') return v;
  if (v === '') return '';
  if (IBAN.test(v.replace(/\s/g, ''))) return '[iban]';
  if (PERSONAL_KEY.test(key)) return '[text]';
  if (KEEP_VALUE.some((re) => re.test(v))) return v;
  if (CODE_KEY.test(key) && CODE_VALUE.test(v)) return v;
  return '[text]';
}
