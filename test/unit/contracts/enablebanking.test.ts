// Enable Banking against its published reference (sandbox/enablebanking/openapi/openapi.yml, an unchanged copy): a
// link, a renewal and a sync of the real client against the real emulator are recorded over HTTP, and
//  - every request the client sends is checked against the reference: the route and method exist, path parameters,
//    query parameters (known names, their schemas, required ones present), the JSON body, and the bearer JWT's form
//    (RS256, kid = application id, iss/aud, at most 24 h);
//  - every answer the emulator sends is checked against the reference's answer schema for its status (errors against
//    ErrorResponse), closed: the emulator may not send a field the reference does not name.
// Reading the reference as JSON schema (toJsonSchema in test/helpers/contract-fuzz.ts) changes nothing here: the file
// has no nulls, no nullable, no oneOf. Formats `uuid4` (session_id) is read as uuid.
import path from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENABLEBANKING_DEMO_APP_ID } from '../../../sandbox/enablebanking/index.js';
import { loadSpec, specValidator, toJsonSchema } from '../../helpers/contract-fuzz.js';
import { allPages } from '../providers/pages.js';
import { browse, contextFor, link, startEnableBanking } from '../providers/enablebanking/harness.js';

const SPEC = path.resolve(import.meta.dirname, '../../../sandbox/enablebanking/openapi/openapi.yml');
const WINDOW = { from: '2026-05-20', to: '2026-11-20' };

interface Recorded { method: string; url: URL; headers: Headers; body: string | null; status: number; contentType: string; text: string }

/** every object schema closed: a property the reference does not name is an error */
function closed(node: any): any {
  if (Array.isArray(node)) return node.map(closed);
  if (node === null || typeof node !== 'object') return node;
  const out: any = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, s]) => [p, closed(s)])) : closed(v)]));
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}
const uuid4 = (node: any): any => JSON.parse(JSON.stringify(node).replaceAll('"uuid4"', '"uuid"'));

describe('Enable Banking: the client\'s requests and the emulator\'s answers hold against the published reference', () => {
  let spec: any;
  let env: Awaited<ReturnType<typeof startEnableBanking>>;
  const recorded: Recorded[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    recorded.push({
      method: (init?.method ?? 'GET').toUpperCase(), url, headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? init.body : null,
      status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.clone().text(),
    });
    return res;
  };

  beforeAll(async () => {
    spec = uuid4(await loadSpec(SPEC));
    env = await startEnableBanking({ fetch: recordingFetch });
    const { provider } = env;
    await provider.checkConfig();
    await provider.listInstitutions('');
    const ctx = contextFor(await link(env));
    for (const a of await provider.listAccounts(ctx)) await allPages(provider, ctx, a.remoteId, WINDOW);
    await provider.refreshConnection(ctx, { userPresent: false });
    // a bank that keeps 90 days of history: the window is refused (422), then read with strategy=longest
    const short = env.ledger.banks()[1];
    const shortStep = await provider.beginLink({ institutionId: `${short.country}:${short.name}`, redirectUri: '', state: 'short' });
    if (shortStep.kind !== 'redirect') throw new Error(shortStep.kind);
    const shortDone = await provider.completeLink(shortStep.pending, { kind: 'callback', url: await browse(shortStep.url, env.loginOf(short.id)) });
    if (shortDone.kind !== 'done') throw new Error(shortDone.kind);
    const shortCtx = contextFor(shortDone.connection);
    await allPages(provider, shortCtx, (await provider.listAccounts(shortCtx))[0].remoteId, WINDOW);
    const renewed = contextFor(await link(env, await provider.beginRenewal(ctx, { redirectUri: '', state: 'renew' })));
    const accounts = await provider.listAccounts(renewed);
    // errors the client meets: a wrong continuation key, an expired session, a closed one
    await provider.fetchTransactions(renewed, accounts[0].remoteId, { ...WINDOW, cursor: JSON.stringify({ key: 'bm90LWEta2V5', currency: accounts[0].currency }) }).catch(() => undefined);
    env.control('expire', { session: renewed.remote.sessionId });
    env.world.clock.advance(1000);
    await provider.fetchTransactions(renewed, accounts[0].remoteId, { ...WINDOW, cursor: null }).catch(() => undefined);
    await provider.consent(renewed);
    await provider.remove(renewed);
    await provider.listAccounts(ctx).catch(() => undefined);
  });
  afterAll(() => env?.close());

  function operationFor(method: string, pathname: string): { template: string; op: any } | undefined {
    for (const [template, item] of Object.entries<any>(spec.paths)) {
      const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '([^/]+)') + '$');
      if (re.test(pathname) && item[method.toLowerCase()]) return { template, op: item[method.toLowerCase()] };
    }
    return undefined;
  }

  it('every route the client uses is in the reference, and a sync reads nothing else', () => {
    const used = new Set(recorded.map((r) => `${r.method} ${operationFor(r.method, r.url.pathname)?.template ?? r.url.pathname}`));
    expect([...used].sort()).toEqual([
      'DELETE /sessions/{session_id}', 'GET /accounts/{account_id}/balances', 'GET /accounts/{account_id}/details', 'GET /accounts/{account_id}/transactions',
      'GET /application', 'GET /aspsps', 'GET /sessions/{session_id}', 'POST /auth', 'POST /sessions',
    ]);
  });

  it('the client\'s requests: path and query parameters, JSON bodies and the JWT', () => {
    const problems: string[] = [];
    for (const r of recorded) {
      const found = operationFor(r.method, r.url.pathname)!;
      const what = `${r.method} ${found.template}`;
      const params: any[] = found.op.parameters ?? [];
      const values = found.template.match(/\{[^}]+\}/g) ?? [];
      const m = new RegExp('^' + found.template.replace(/\{[^}]+\}/g, '([^/]+)') + '$').exec(r.url.pathname)!;
      values.forEach((v, i) => {
        const p = params.find((x) => x.in === 'path' && `{${x.name}}` === v);
        const bad = specValidator(toJsonSchema(p.schema))(decodeURIComponent(m[i + 1]));
        if (bad) problems.push(`${what}: path ${p.name} ${bad}`);
      });
      for (const [name, value] of r.url.searchParams) {
        const p = params.find((x) => x.in === 'query' && x.name === name);
        if (!p) { problems.push(`${what}: unknown query parameter ${name}`); continue; }
        const bad = specValidator(toJsonSchema(p.schema))(value);
        if (bad) problems.push(`${what}: query ${name}=${value} ${bad}`);
      }
      for (const p of params.filter((x) => x.in === 'query' && x.required)) if (!r.url.searchParams.has(p.name)) problems.push(`${what}: required ${p.name} missing`);
      const bodySchema = found.op.requestBody?.content?.['application/json']?.schema;
      if (bodySchema) {
        const bad = specValidator(closed(toJsonSchema(bodySchema)))(JSON.parse(r.body ?? 'null'));
        if (bad) problems.push(`${what}: body ${bad}`);
      } else if (r.body) problems.push(`${what}: a body where the reference has none`);
      const jwt = /^Bearer (.+)$/.exec(r.headers.get('authorization') ?? '')?.[1];
      if (!jwt) { problems.push(`${what}: no bearer JWT`); continue; }
      const header = decodeProtectedHeader(jwt);
      const claims = decodeJwt(jwt);
      if (header.alg !== 'RS256' || header.typ !== 'JWT' || header.kid !== ENABLEBANKING_DEMO_APP_ID) problems.push(`${what}: JWT header ${JSON.stringify(header)}`);
      if (claims.iss !== 'enablebanking.com' || claims.aud !== 'api.enablebanking.com' || !claims.iat || !claims.exp || claims.exp - claims.iat > 86_400) problems.push(`${what}: JWT claims ${JSON.stringify(claims)}`);
    }
    expect(problems).toEqual([]);
    expect(recorded.length).toBeGreaterThan(20);
  });

  it('POST /auth asks for the bank\'s maximum_consent_validity, never more', () => {
    const banks = JSON.parse(recorded.find((r) => r.url.pathname === '/aspsps')!.text).aspsps;
    const auths = recorded.filter((r) => r.url.pathname === '/auth');
    expect(auths.length).toBe(3);
    for (const a of auths) {
      const body = JSON.parse(a.body!);
      const bank = banks.find((b: any) => b.name === body.aspsp.name && b.country === body.aspsp.country);
      const asked = (Date.parse(body.access.valid_until) - env.world.clock.now().getTime()) / 1000;
      expect(asked).toBeLessThanOrEqual(bank.maximum_consent_validity);
      expect(body.redirect_url).toMatch(/^https:\/\//);
      expect(a.status).toBe(200);
    }
  });

  it('the emulator\'s answers: each against the reference\'s schema for its status, closed', () => {
    const problems: string[] = [];
    const statuses = new Set<string>();
    for (const r of recorded) {
      const found = operationFor(r.method, r.url.pathname)!;
      const answer = found.op.responses[String(r.status)];
      statuses.add(`${r.method} ${found.template} ${r.status}`);
      if (!answer) { problems.push(`${r.method} ${found.template}: status ${r.status} is not in the reference`); continue; }
      const schema = answer.content?.['application/json']?.schema;
      if (!schema) { if (r.text) problems.push(`${r.method} ${found.template} ${r.status}: a body where the reference has none`); continue; }
      expect(r.contentType).toContain('application/json');
      const bad = specValidator(closed(toJsonSchema(schema)))(JSON.parse(r.text));
      if (bad) problems.push(`${r.method} ${found.template} ${r.status}: ${bad}`);
    }
    expect(problems).toEqual([]);
    // the errors were exercised too
    expect([...statuses].filter((s) => !s.endsWith(' 200')).sort()).toEqual(expect.arrayContaining([
      'GET /accounts/{account_id}/transactions 401', 'GET /accounts/{account_id}/transactions 422',
    ]));
    expect(recorded.some((r) => r.url.searchParams.get('strategy') === 'longest' && r.status === 200)).toBe(true);
  });

  it('the check has teeth: a drifted answer and an unknown field are reported', () => {
    const tx = closed(toJsonSchema(spec.paths['/accounts/{account_id}/transactions'].get.responses['200'].content['application/json'].schema));
    const ok = { transactions: [{ transaction_amount: { currency: 'EUR', amount: '1.00' }, credit_debit_indicator: 'DBIT', status: 'BOOK' }] };
    expect(specValidator(tx)(ok)).toBeNull();
    expect(specValidator(tx)({ transactions: [{ ...ok.transactions[0], status: 'DONE' }] })).not.toBeNull();
    expect(specValidator(tx)({ transactions: [{ ...ok.transactions[0], entry_reference: null }] })).not.toBeNull();
    expect(specValidator(tx)({ transactions: [{ ...ok.transactions[0], invented: 1 }] })).not.toBeNull();
  });
});
