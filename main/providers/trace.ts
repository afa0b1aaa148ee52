// What a sync said to an aggregator, for a problem report: per request the method, a path with its ids masked, the
// status and the response's shape with every value replaced by its type. Kept in memory for the run that is being
// traced (AsyncLocalStorage, so nothing is passed through the providers). Large answers' texts wait there, within a budget,
// until a report shapes them; only shapes leave: never a value, a header, a query or a token.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface TraceEntry {
  method: string;
  /** the path with every id-like segment replaced by `:id`; the query's names only */
  path: string;
  /** null when no answer came (network error, timeout) */
  status: number | null;
  /** the JSON body with every value replaced by its type (`"string"`, `"number"` ...); `text(n)` for other bodies;
   * filled in by `shapedEntries` (the body's text waits in `Trace.texts` until a report reads it) */
  shape: unknown;
  /** what went wrong with this exchange in technical words ("no answer: ECONNREFUSED"), kept out of what people read */
  problem?: string;
}

export interface Trace {
  entries: TraceEntry[];
  /** requests beyond what is kept (the first and the last ones are kept) */
  dropped: number;
  /** what ended the run, in technical words (an exception, an OAuth error); the sync log shows plain ones */
  failure?: string;
  /** answers' texts not shaped yet, oldest first: shaping every page of a sync costs more than parsing it, and the shapes
   * are only read when someone saves a problem report */
  texts: Map<TraceEntry, string>;
  /** characters in `texts`, kept within TEXT_BUDGET by shaping the oldest */
  textChars: number;
  /** answers shaped to stay within the budget, per request (method, path, status) */
  shapedAlike: Map<string, number>;
}

const KEEP = 200;
/** characters of unshaped answers a trace holds (about 1 MB of JSON, a few pages; the engine keeps 20 traces, so at most
 * ~20 MB in all): a large sync cannot hold its whole download */
export const TEXT_BUDGET = 1_000_000;
/** answers shorter than this are shaped when they arrive */
export const SHAPE_AT_ONCE = 4096;
/** of the answers a request gets over and over (a listing's pages), this many are shaped when they leave the budget;
 *  the next ones let go of their text unshaped: parsing every page a second time cost a sync more than its mapping */
export const SHAPED_ALIKE = 3;
const store = new AsyncLocalStorage<Trace>();

export const newTrace = (): Trace => ({ entries: [], dropped: 0, texts: new Map(), textChars: 0, shapedAlike: new Map() });

/** Run `fn` with every aggregator request it makes (through HttpClient) recorded in `trace`. */
export const traced = <T>(trace: Trace, fn: () => Promise<T>): Promise<T> => store.run(trace, fn);

/** Called by HttpClient for every answer (or failure); a no-op outside a traced run. */
export function recordExchange(method: string, url: URL, status: number | null, body: string | null, problem?: string): void {
  const t = store.getStore();
  if (!t) return;
  const entry: TraceEntry = { method, path: maskPath(url), status, shape: null, ...(problem ? { problem } : {}) };
  if (t.entries.length >= KEEP) {
    const [gone] = t.entries.splice(KEEP / 2, 1);
    t.textChars -= t.texts.get(gone)?.length ?? 0;
    t.texts.delete(gone);
    t.dropped++;
  }
  t.entries.push(entry);
  if (body === null) return;
  // a small answer costs nothing to shape, and a token's answer is never held as text
  if (body.length < SHAPE_AT_ONCE) { entry.shape = bodyShape(body); return; }
  t.texts.set(entry, body);
  t.textChars += body.length;
  for (const [e, text] of t.texts) {
    if (t.textChars <= TEXT_BUDGET) break;
    const request = `${e.method} ${e.path} ${e.status}`;
    const shaped = t.shapedAlike.get(request) ?? 0;
    if (shaped < SHAPED_ALIKE) t.shapedAlike.set(request, shaped + 1);
    release(t, e, text, shaped < SHAPED_ALIKE ? bodyShape(text) : `not shaped (${text.length} characters; the first ${SHAPED_ALIKE} answers to this request were)`);
  }
}

/** The trace's entries with every answer's shape, for a problem report. */
export function shapedEntries(t: Trace): TraceEntry[] {
  for (const [e, text] of t.texts) release(t, e, text, bodyShape(text));
  return t.entries;
}

/** the entry gets its shape and the trace lets go of its text */
function release(t: Trace, e: TraceEntry, text: string, shape: unknown): void {
  e.shape = shape;
  t.texts.delete(e);
  t.textChars -= text.length;
}

/** Keep the technical words of what ended the run for the problem report. */
export function noteFailure(failure: string): void {
  const t = store.getStore();
  if (t) t.failure = failure;
}

/** The technical reason the latest recorded answer could not be used (e.g. a body that did not fit its schema). */
export function noteProblem(problem: string): void {
  const last = store.getStore()?.entries.at(-1);
  if (last) last.problem = problem;
}

const idLike = (seg: string) => /^\d+$/.test(seg) || (seg.match(/\d/g)?.length ?? 0) >= 3 || seg.length > 24;
/** collections whose next segment is an item's id (which may be readable text: a login, an account's name) */
const ID_PARENT = /^(users?|id|accounts?|bank-?accounts|bankConnections|connections?|consents?|transactions?|updates?|webForms|tasks|connectors|banks)$/i;

/** `/users/me/accounts/123/transactions?min_date=…` -> `/users/me/accounts/:id/transactions?min_date` (a version like `v2`, `2.0` stays) */
export function maskPath(url: URL): string {
  const segs = url.pathname.split('/');
  const path = segs.map((seg, i) => (seg !== 'id' && (idLike(seg) || ID_PARENT.test(segs[i - 1] ?? '')) ? ':id' : seg)).join('/');
  const names = [...new Set(url.searchParams.keys())];
  return names.length ? `${path}?${names.join('&')}` : path;
}

function bodyShape(text: string): unknown {
  if (text === '') return null;
  try { return typeShape(JSON.parse(text)); } catch { return `text(${text.length})`; }
}

/** A JSON value with every leaf replaced by its type; arrays as their length and their distinct item shapes (at most 5). */
export function typeShape(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const of: unknown[] = [];
    const seen = new Set<string>();
    // rows repeat their shape: a row built like one already shaped (same keys, same types) is not shaped again
    const shaped: unknown[] = [];
    for (const x of v) {
      if (of.length === 5) break;
      if (shaped.some((y) => builtAlike(x, y))) continue;
      if (shaped.length < KEEP_SHAPED) shaped.push(x);
      const s = typeShape(x);
      const k = JSON.stringify(s);
      if (!seen.has(k)) { seen.add(k); of.push(s); }
    }
    return { items: v.length, of };
  }
  if (typeof v === 'object') {
    // (a plain loop, not entries -> fromEntries: a page of 500 rows is shaped on every sync request)
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) {
      const key = maskKey(k);
      const shape = typeShape(o[k]);
      // as fromEntries does it: an own "__proto__" entry, not the prototype
      if (key === '__proto__') Object.defineProperty(out, key, { value: shape, enumerable: true, writable: true, configurable: true });
      else out[key] = shape;
    }
    return out;
  }
  return typeof v;
}

/** rows of an array kept to compare the next ones with */
const KEEP_SHAPED = 8;

/** Whether a and b have one typeShape for certain: the same keys in the same order, the same types, arrays of one length
 *  with items built alike (a cheap walk that builds nothing; false may still mean one shape). */
function builtAlike(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false;
  if (typeof a !== 'object') return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!builtAlike(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i] || !builtAlike((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[kb[i]])) return false;
  }
  return true;
}

/** a key that looks like an id or an IBAN is masked; the answer for each key is kept (rows repeat their keys) */
const maskedKeys = new Map<string, string>();
function maskKey(k: string): string {
  let m = maskedKeys.get(k);
  if (m === undefined) {
    m = /\d{3}|^[A-Z]{2}\d{2}/.test(k) ? '[key]' : k;
    // the cache holds field names, not values; masked ones are not kept
    if (m === k && maskedKeys.size < 10_000) maskedKeys.set(k, m);
  }
  return m;
}
