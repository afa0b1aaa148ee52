// Every JSON response the Powens emulator sends during the client's flows is validated against the published
// OpenAPI files (sandbox/powens/openapi, unchanged copies of ../shared/providers/powens) with
// @apidevtools/swagger-parser (multi-file $refs) + openapi-response-validator (ajv), so the emulator cannot drift.
//
// The spec mixes OpenAPI 3.0 and 3.1 syntax; to read it as its authors meant, in memory only:
//  - `type: null` (a YAML null) and `type: [string, null]` are read as the JSON-schema type "null";
//  - an enum whose type admits null also admits the value null (ConnectionState: "The null value indicates a successful sync");
//  - the dereferenced schema is cyclic (Connection -> accounts -> BankAccount -> connection); each cycle is closed
//    with a $ref to a shared definition, so nothing is skipped.
//  - `oneOf: [X, {type: null}]` (3.1 for "nullable X") is read as anyOf, since X sometimes admits null itself.
// Error bodies (any status >= 400, declared or not: 401, 404...) are checked against ServiceError with the code enum
// extended by the documented common codes (missingParameter, invalidValue, methodNotAllowed [DOC]) and the three
// codes the emulator infers where nothing is published (invalidToken, invalidClient, notFound [INF]).
// Routes that are not in the spec at all (seed-only: /connectors/{id}/fields, connection accounts and the
// activation PUT) are listed below and must be exactly those; no route a sync reads data from is among them.
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import ResponseValidatorModule from 'openapi-response-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextFor, drive, REDIRECT, startPowens } from '../../providers/powens/harness.js';

// a CommonJS package: under Node ESM the default import is module.exports, under vitest's interop the class itself
const OpenAPIResponseValidator: typeof ResponseValidatorModule.default = (ResponseValidatorModule as any).default ?? ResponseValidatorModule;
type OpenAPIResponseValidator = InstanceType<typeof OpenAPIResponseValidator>;

const SPEC = path.resolve(import.meta.dirname, '../../../../sandbox/powens/openapi/powens-api.yml');

interface Recorded { method: string; url: string; status: number; contentType: string; text: string }
const recorded: Recorded[] = [];
const recordingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const text = await res.clone().text();
  const url = input instanceof Request ? input.url : String(input);
  recorded.push({ method: (init?.method ?? 'GET').toUpperCase(), url, status: res.status, contentType: res.headers.get('content-type') ?? '', text });
  return res;
};

/** The cyclic dereferenced document as acyclic JSON: a node met again on its own path becomes a $ref to a definition. */
function acyclic(root: unknown): { doc: any; definitions: Record<string, unknown> } {
  const names = new Map<object, string>();
  const definitions: Record<string, unknown> = {};
  const walk = (node: any, stack: Set<object>): any => {
    if (Array.isArray(node)) return node.map((n) => walk(n, stack));
    if (node === null || typeof node !== 'object') return node;
    if (stack.has(node)) {
      let name = names.get(node);
      if (!name) { name = `cycle${names.size}`; names.set(node, name); }
      return { $ref: `#/definitions/${name}` };
    }
    stack.add(node);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, stack);
    stack.delete(node);
    return out;
  };
  const doc = walk(root, new Set());
  for (let done = 0; done < names.size;) {
    const [node, name] = [...names.entries()][done++];
    const stack = new Set<object>([node]);
    definitions[name] = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, stack)]));
  }
  return { doc, definitions };
}

/** The 3.0/3.1 mix -> one JSON-schema reading (see the header). */
function normalise(node: any): any {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== 'object') return node;
  const out: any = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'type' ? v : normalise(v);
  if ('type' in node) {
    const t = node.type;
    if (t === null) out.type = 'null';
    else if (Array.isArray(t)) out.type = t.map((x: unknown) => (x === null ? 'null' : x));
    const types = Array.isArray(out.type) ? out.type : [out.type];
    if (types.includes('null') && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  // `oneOf: [X, {type: null}]` is the 3.1 spelling of "nullable X"; when X admits null itself, oneOf would reject null
  if (Array.isArray(out.oneOf) && out.oneOf.some((b: any) => b?.type === 'null')) { out.anyOf = out.oneOf; delete out.oneOf; }
  return out;
}

const asFn = (f: any): ((v: string) => boolean) =>
  typeof f === 'function' ? f : f instanceof RegExp ? (v) => f.test(v) : typeof f?.validate === 'function' ? f.validate : (v) => f.validate.test(v);
const CUSTOM_FORMATS: Record<string, (v: string) => boolean> = {
  date: asFn(fullFormats.date),
  uuid: asFn(fullFormats.uuid),
  regex: asFn(fullFormats.regex),
  url: asFn(fullFormats.uri),
  'sql-date-time': (v) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(v) && !Number.isNaN(Date.parse(v.replace(' ', 'T') + 'Z')),
  iban: (v) => /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v),
  'iso-4217': (v) => /^[A-Z]{3}$/.test(v),
  'iso-3166-1-alpha-2': (v) => /^[A-Z]{2}$/.test(v),
  'hex-color': (v) => /^[0-9a-fA-F]{6}$/.test(v),
  'year-month': (v) => /^\d{4}-\d{2}$/.test(v),
  year: (v) => /^\d{4}$/.test(v),
};

/**
 * Routes the emulator serves that the spec does not describe, each with its public source. None is a route a sync
 * reads data from: accounts come from GET /users/me/connections/{id}?expand=all_accounts and transactions from
 * GET /users/me/transactions, both in the spec and validated here.
 *  - GET /connectors/{id}/fields: the seed's field list (the client reads fields through expand=fields instead);
 *  - GET /users/me/connections/{id}/accounts: the seed's account list of a connection (not read by the client);
 *  - PUT /users/me/connections/{id}/accounts/{ids}?all: the seed's account activation, which the client sends.
 */
const NOT_IN_SPEC = [
  'GET /connectors/{id}/fields',
  'GET /users/me/connections/{id}/accounts',
  'PUT /users/me/connections/{id}/accounts/{id}',
];

describe('Powens emulator responses conform to the OpenAPI files', () => {
  let env: Awaited<ReturnType<typeof startPowens>>;
  let paths: Record<string, any>;
  let definitions: Record<string, unknown>;
  let serviceError: any;
  const validators = new Map<string, OpenAPIResponseValidator>();

  beforeAll(async () => {
    const api = await SwaggerParser.dereference(SPEC);
    const { doc, definitions: defs } = acyclic(api);
    paths = normalise(doc.paths);
    definitions = normalise(defs);
    serviceError = paths['/users/me/connections'].post.responses['400'].content['application/json'].schema;
    env = await startPowens({ fetch: recordingFetch });
  });
  afterAll(() => env?.close());

  function validatorFor(key: string, responses: any) {
    let v = validators.get(key);
    if (!v) {
      v = new OpenAPIResponseValidator({ responses, definitions: definitions as any, customFormats: CUSTOM_FORMATS });
      validators.set(key, v);
    }
    return v;
  }

  function operationFor(method: string, pathname: string): { template: string; op: any } | undefined {
    for (const [template, item] of Object.entries(paths)) {
      const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
      if (re.test(pathname) && item[method.toLowerCase()]) return { template, op: item[method.toLowerCase()] };
    }
    return undefined;
  }

  it('runs the client through every flow and validates each JSON response', async () => {
    const { provider, server } = env;
    const call = (method: string, p: string, token?: string, body?: unknown) => recordingFetch(`${server.url}${p}`, {
      method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });

    // link through webauth with both sources, and through credentials (wrong password first)
    await provider.listInstitutions('');
    const l0 = env.loginOf(env.webauthBank);
    const web = contextFor(await drive(provider, await provider.beginLink({ institutionId: env.webauthBank.uuid, redirectUri: REDIRECT, state: 'a' }),
      { username: l0.username, password: l0.password }, { secondary: { login: l0.username, password: l0.password } }));
    const l1 = env.loginOf(env.scaBank);
    const credStep = await provider.beginLink({ institutionId: env.scaBank.uuid, redirectUri: REDIRECT, state: 'b' });
    await expect(provider.completeLink(credStep.kind === 'form' ? credStep.pending : {}, { kind: 'form', values: { login: l1.username, password: 'wrong' } })).rejects.toThrow();
    const cred = contextFor(await drive(provider, credStep, { username: l1.username, password: l1.password }));

    // accounts, activation, transactions (paged), every state the client reads
    for (const ctx of [web, cred]) {
      const accounts = await provider.listAccounts(ctx);
      await provider.selectAccounts(ctx, accounts.slice(0, -1).map((a) => a.remoteId));
      for (const a of accounts.slice(0, 2)) {
        let cursor: string | null = null;
        do { cursor = (await provider.fetchTransactions(ctx, a.remoteId, { from: '2026-01-01', to: '2026-12-31', cursor })).nextCursor; } while (cursor);
      }
      await provider.refreshConnection(ctx, { userPresent: true });
    }
    const cid = Number(cred.remote.connectionId);
    for (const state of ['SCARequired', 'webauthRequired', 'additionalInformationNeeded', 'decoupled', 'validating', 'actionNeeded', 'passwordExpired', 'wrongpass', 'rateLimiting', 'websiteUnavailable', 'bug']) {
      env.control('state', { connection: cid, state });
      await provider.consent(cred);
      await provider.refreshConnection(cred, { userPresent: true });
    }
    env.control('state', { connection: cid, state: 'decoupled' });
    const wait = await provider.beginRenewal(cred, { redirectUri: REDIRECT, state: 'c' });
    env.control('approve', { connection: cid });
    await provider.completeLink((wait as any).pending, { kind: 'poll' });
    env.control('revokeTokens', {});
    await provider.consent(web); // 401 -> /auth/renew -> retry

    // the spec's other operations, directly
    const init = await (await call('POST', '/auth/init', undefined, {})).json() as any;
    await call('GET', '/auth/token/code?type=requestAccess', init.auth_token);
    await call('POST', '/auth/token/access', undefined, { client_id: env.config.clientId, client_secret: env.config.clientSecret, code: init.auth_token });
    await call('POST', '/auth/renew', undefined, { grant_type: 'client_credentials', client_id: env.config.clientId, client_secret: env.config.clientSecret, id_user: Number(web.remote.userId) });
    const tok = web.secrets.token;
    await call('GET', '/users/me', tok);
    await call('GET', `/connectors/${env.webauthBank.uuid}?expand=sources,fields,countries`);
    await call('GET', `/connectors/${env.webauthBank.id}`);
    await call('GET', '/connectors?expand=sources,fields,countries');
    await call('GET', '/connectors/00000000-0000-0000-0000-000000000000/fields');
    await call('GET', '/users/me/connections?expand=sources,accounts,all_accounts,connector', tok);
    await call('GET', `/users/me/connections/${web.remote.connectionId}?expand=sources,accounts,all_accounts,connector`, tok);
    await call('GET', '/users/me/accounts', tok);
    await call('GET', '/users/me/accounts?all', tok);
    const accts = (await (await call('GET', '/users/me/accounts?all', tok)).json() as any).accounts;
    await call('POST', `/users/me/accounts/${accts[0].id}?all`, tok, { disabled: false });
    await call('GET', `/users/me/accounts/${accts[0].id}`, tok);
    await call('GET', '/users/me/transactions?limit=50&min_date=2026-10&max_date=2026', tok);
    await call('GET', '/users/me/transactions?limit=5&offset=5&last_update=2026-01-01 00:00:00', tok);
    await call('GET', '/users/me/transactions?min_date=yesterday', tok);
    await call('GET', `/users/me/connections/${web.remote.connectionId}/accounts?all`, tok);
    await call('POST', `/users/me/connections/${cid}`, 'not-a-token', {});
    const fresh = await (await call('POST', '/auth/init', undefined, {})).json() as any;
    await call('GET', '/users/me/accounts', fresh.auth_token); // 400 noAccount
    await call('POST', '/users/me/connections', fresh.auth_token, { connector_uuid: env.webauthBank.uuid, login: 'x', password: 'y' }); // source order
    await call('DELETE', `/users/me/connections/${web.remote.connectionId}`, tok);
    await call('DELETE', '/auth/token', tok);
    await call('DELETE', '/users/me', cred.secrets.token);

    const problems: string[] = [];
    const unspecified = new Set<string>();
    let checked = 0;
    for (const r of recorded) {
      const u = new URL(r.url);
      if (!u.href.startsWith(server.url)) continue;
      if (!r.contentType.includes('application/json')) {
        expect(r.text, `${r.method} ${u.pathname}`).toBe(''); // 204s
        continue;
      }
      const body = JSON.parse(r.text);
      const found = operationFor(r.method, u.pathname);
      if (!found) {
        unspecified.add(`${r.method} ${u.pathname.replace(/\/[0-9a-f-]{36}(?=\/|$)/, '/{id}').replace(/\/\d+(,\d+)*(?=\/|$)/g, '/{id}')}`);
        if (r.status >= 400) check(`${r.method} ${u.pathname} ${r.status}`, 'error', { default: { content: { 'application/json': { schema: relaxedError() } } } }, r.status, body);
        continue;
      }
      const responses = r.status >= 400 ? { [r.status]: { content: { 'application/json': { schema: relaxedError() } } } } : found.op.responses;
      check(`${r.method} ${found.template} ${r.status}`, `${r.method} ${found.template}${r.status >= 400 ? ` ${r.status}` : ''}`, responses, r.status, body);
    }
    function relaxedError() {
      const codes = [...serviceError.properties.code.enum, 'missingParameter', 'invalidValue', 'methodNotAllowed', 'invalidToken', 'invalidClient', 'notFound'];
      return { ...serviceError, properties: { ...serviceError.properties, code: { type: 'string', enum: codes } } };
    }
    function check(what: string, key: string, responses: any, status: number, body: unknown) {
      checked++;
      const errors = validatorFor(key, responses).validateResponse(status, body);
      if (errors) problems.push(`${what}: ${JSON.stringify(errors.errors.slice(0, 3))}`);
    }
    expect(problems).toEqual([]);
    expect(checked).toBeGreaterThan(60);
    // the routes outside the spec are exactly the known ones (the PUT answers with JSON too)
    expect([...unspecified].sort()).toEqual([...NOT_IN_SPEC].sort());
    // every response schema the client relies on was exercised
    const seen = new Set(recorded.map((r) => `${r.method} ${operationFor(r.method, new URL(r.url).pathname)?.template}`));
    for (const k of ['POST /auth/init', 'GET /auth/token/code', 'POST /auth/token/access', 'POST /auth/renew', 'GET /users/me', 'GET /connectors',
      'GET /connectors/{connectorUuid}', 'GET /users/me/connections', 'POST /users/me/connections', 'GET /users/me/connections/{connectionId}',
      'POST /users/me/connections/{connectionId}', 'GET /users/me/accounts', 'GET /users/me/accounts/{accountId}', 'GET /users/me/transactions']) {
      expect(seen, k).toContain(k);
    }
  });

  it('the validation has teeth: a drifted body is reported', async () => {
    const op = operationFor('GET', '/users/me/connections/1')!;
    const v = new OpenAPIResponseValidator({ responses: op.op.responses, definitions: definitions as any, customFormats: CUSTOM_FORMATS });
    expect(v.validateResponse(200, { id: 1, id_connector: 59, created: '2026-11-20 10:00:00', active: true, state: null })).toBeUndefined();
    expect(v.validateResponse(200, { id: 1, id_connector: 59, created: '2026-11-20T10:00:00Z', active: true })).toBeDefined();
    expect(v.validateResponse(200, { id: 1, id_connector: 59, created: '2026-11-20 10:00:00', active: true, state: 'sleeping' })).toBeDefined();
    expect(v.validateResponse(200, { id: 1, created: '2026-11-20 10:00:00', active: true })).toBeDefined();
  });
});
