// Contract fuzzing: spec-valid responses generated straight from a vendor's OpenAPI file, served over real HTTP on
// 127.0.0.1 to the real provider client. The generator is json-schema-faker (pinned) with a fixed seed and our own
// date formats, so every run, in every time zone and on every day, serves the same bodies.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import { createGeneratorSync, type JsonSchema, type Random } from 'json-schema-faker';
import { toMinorUnits } from '../../main/domain/money.js';

/** The dereferenced OpenAPI document (a private in-memory copy: patches never reach the file). */
export async function loadSpec(file: string): Promise<any> {
  return SwaggerParser.dereference(file);
}

/** The JSON schema of an operation's 200 answer. */
export function responseSchema(spec: any, method: string, path: string, status = '200'): any {
  const op = spec.paths[path]?.[method.toLowerCase()];
  const schema = op?.responses?.[status]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the spec has no JSON ${status} answer for ${method} ${path}`);
  return schema;
}

/**
 * OpenAPI 3.0/3.1 as the vendors mix them -> one JSON-schema reading, as a new tree:
 *  - `type: null` (YAML null) and `type: [x, null]` -> the JSON-schema type "null";
 *  - 3.0 `nullable: true` -> the type also admits "null";
 *  - an enum whose type admits null also admits the value null;
 *  - `oneOf: [X, {type: null}]` (3.1 "nullable X") -> anyOf, since X sometimes admits null itself.
 * A cycle is an error: the caller cuts it first (and lists the cut).
 */
export function toJsonSchema(node: any, seen = new Set<object>()): any {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, seen));
  if (node === null || typeof node !== 'object') return node;
  if (seen.has(node)) throw new Error('cyclic schema: cut the cycle before generating');
  seen.add(node);
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'type' || k === 'nullable' || k === 'example' || k === 'examples' || k === 'description') continue;
    out[k] = k === 'properties' || k === 'patternProperties'
      ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, toJsonSchema(s, seen)]))
      : toJsonSchema(v, seen);
  }
  seen.delete(node);
  if ('type' in node) {
    let types: unknown[] = Array.isArray(node.type) ? node.type : [node.type];
    types = types.map((t) => (t === null ? 'null' : t));
    if (node.nullable === true && !types.includes('null')) types.push('null');
    out.type = types.length === 1 ? types[0] : types;
    if (types.includes('null') && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  if (Array.isArray(out.oneOf) && out.oneOf.some((b: any) => b?.type === 'null')) { out.anyOf = out.oneOf; delete out.oneOf; }
  // `nullable: true` beside an allOf/$ref and no type of its own: "this, or null"
  if (node.nullable === true && !('type' in node)) return { anyOf: [out, { type: 'null' }] };
  return out;
}

/**
 * Amounts as banks send them: each amount property (as `isAmount` tells) becomes anyOf [in cents, any number, a tiny
 * number], so a third are readable cents (some with float noise: 487.03000000000003), a third carry too many decimals
 * and a third come out in exponent form (3.4e-7). The set of valid values is the same as before: only the draw changes.
 */
export function varyAmounts(node: any, isAmount: (schema: any, name: string) => boolean): any {
  if (Array.isArray(node)) return node.map((n) => varyAmounts(n, isAmount));
  if (node === null || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === 'properties'
      ? Object.fromEntries(Object.entries(v as object).map(([name, sub]) => [name, isAmount(sub, name)
        ? { anyOf: [{ ...sub, multipleOf: 0.01 }, sub, { ...sub, minimum: -1e-6, maximum: 1e-6 }] }
        : varyAmounts(sub, isAmount)]))
      : varyAmounts(v, isAmount);
  }
  return out;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** A day between 2015-01-01 and 2030-12-31, from the generator's own random (no clock, no time zone). */
function day(r: Random): string {
  const d = new Date(Date.UTC(2015, 0, 1) + Math.floor(r.next() * 16 * 365) * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
const time = (r: Random) => `${pad(Math.floor(r.next() * 24))}:${pad(Math.floor(r.next() * 60))}:${pad(Math.floor(r.next() * 60))}`;
/** Real ISO 4217 codes with every exponent the app knows (JPY 0, EUR 2, BHD 3, CLF 4). */
const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'BHD', 'KWD', 'CZK', 'PLN', 'SEK', 'HUF', 'ISK', 'CLF'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const pick = <T>(r: Random, xs: readonly T[]) => xs[Math.floor(r.next() * xs.length)];
const digits = (r: Random, n: number) => Array.from({ length: n }, () => Math.floor(r.next() * 10)).join('');

/** Generators for the formats the vendors' files use (and the standard date formats, made time-zone-free). */
export const FORMATS: Record<string, (r: Random) => string> = {
  date: day,
  'date-time': (r) => `${day(r)}T${time(r)}Z`,
  'sql-date-time': (r) => `${day(r)} ${time(r)}`,
  'iso-4217': (r) => pick(r, CURRENCIES),
  'iso-3166-1-alpha-2': (r) => pick(r, ['FR', 'DE', 'ES', 'IT', 'BE', 'AT', 'NL', 'PT']),
  iban: (r) => `${pick(r, ['FR', 'DE', 'AT'])}${digits(r, 2)}${digits(r, 18)}`,
  'hex-color': (r) => Array.from({ length: 6 }, () => '0123456789abcdef'[Math.floor(r.next() * 16)]).join(''),
  uuid: (r) => {
    const h = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(r.next() * 16)]).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
  },
  url: (r) => `https://example.org/${Array.from({ length: 6 }, () => LETTERS[Math.floor(r.next() * 26)].toLowerCase()).join('')}`,
  uri: (r) => `https://example.org/${Array.from({ length: 6 }, () => LETTERS[Math.floor(r.next() * 26)].toLowerCase()).join('')}`,
  regex: (r) => pick(r, ['^\\d+$', '^[a-z]{3,8}$', '.*']),
};

/** `count` bodies for one schema, the same ones on every run. */
export function samples(schema: any, count: number, seed: number): unknown[] {
  const gen = createGeneratorSync({ seed, formats: FORMATS, maxDefaultItems: 3, optionalsProbability: 0.6 });
  return Array.from({ length: count }, () => gen.generate(schema as JsonSchema));
}

/** One route of the stub: a matcher, and the body it answers with at the moment (a function for per-request bodies). */
export interface StubRoute { method: string; path: RegExp; body: unknown | ((url: URL) => unknown) }
export interface Stub { url: string; routes: StubRoute[]; requests: Array<{ method: string; url: URL }>; close(): Promise<void> }

/**
 * A plain HTTP server on 127.0.0.1 that answers each request with the body of its route, as JSON text
 * (JSON.stringify keeps the generated numbers as they are: `1e-7`, `0.30000000000000004`...). An unknown route is 404.
 */
export async function startStub(routes: StubRoute[] = []): Promise<Stub> {
  const requests: Stub['requests'] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? 'GET', url });
      const route = stub.routes.find((r) => r.method === req.method && r.path.test(url.pathname));
      if (!route) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":"notFound"}'); return; }
      const body = typeof route.body === 'function' ? (route.body as (u: URL) => unknown)(url) : route.body;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stub: Stub = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routes,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return stub;
}

/** Format checks for validating the samples against the same schema (the generator must not cheat). */
const FORMAT_CHECKS: Record<string, RegExp> = {
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  'sql-date-time': /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/,
  'iso-4217': /^[A-Z]{3}$/,
  'iso-3166-1-alpha-2': /^[A-Z]{2}$/,
  iban: /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/,
  'hex-color': /^[0-9a-fA-F]{6}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  url: /^https?:\/\/\S+$/,
  uri: /^https?:\/\/\S+$/,
};

/** An ajv validator of `schema`; the vendors' own format names are checked (or, for number widths, accepted). */
export function specValidator(schema: any): (data: unknown) => string | null {
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
  for (const [name, re] of Object.entries(FORMAT_CHECKS)) ajv.addFormat(name, re);
  ajv.addFormat('regex', (v: string) => { try { new RegExp(v); return true; } catch { return false; } });
  for (const name of ['int32', 'int64', 'float', 'double', 'monetary']) ajv.addFormat(name, { type: 'number', validate: () => true });
  for (const name of ['string']) ajv.addFormat(name, () => true);
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? null : ajv.errorsText(validate.errors));
}

/**
 * Runs `check` on every sample and collects what failed, one example per distinct reason (numbers and currency codes
 * blurred), so a failing run lists every kind of problem at once instead of the first one.
 */
export async function everySample<T>(xs: T[], check: (x: T, i: number) => Promise<void>): Promise<string[]> {
  const problems = new Map<string, string>();
  for (const [i, x] of xs.entries()) {
    try { await check(x, i); } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const key = message.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, '#').replace(/\b[A-Z]{3}\b/g, 'CUR');
      if (!problems.has(key)) problems.set(key, `sample ${i}: ${message.slice(0, 300)}`);
    }
  }
  return [...problems.values()];
}

/** the exact minor units of a spec amount, or undefined when it has no exact reading (the client may keep it aside) */
export const exactly = (v: unknown, currency: string) => { try { return toMinorUnits(v as number, currency); } catch { return undefined; } };
