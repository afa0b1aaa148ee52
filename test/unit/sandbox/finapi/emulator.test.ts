// The finAPI emulator on its own: Web Form 2.0 responses validated against the Web Form 2.0 OpenAPI file
// (sandbox/finapi/openapi/webform2.yaml) with openapi-response-validator, and the Access V2 behaviour the client relies on.
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import ResponseValidatorModule from 'openapi-response-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CLIENT } from '../../../../sandbox/finapi/state.js';
import { Browser, completeWebForm, REDIRECT, someLogin, startFinapi, type Env } from '../../providers/finapi/harness.js';

// a CommonJS module with `exports.default`: Node's ESM gives the exports object, vitest's interop the class
const OpenAPIResponseValidator = ((ResponseValidatorModule as unknown as { default?: unknown }).default ?? ResponseValidatorModule) as typeof ResponseValidatorModule.default;

const SPEC = path.resolve(import.meta.dirname, '../../../../sandbox/finapi/openapi/webform2.yaml');

type Spec = { paths: Record<string, Record<string, { responses: Record<string, any> }>>; components: any };
let spec: Spec;

/** Validate one Web Form 2.0 response against the spec; returns the parsed body. */
async function checked(res: Response, method: string, specPath: string): Promise<any> {
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  const op = spec.paths[specPath]?.[method.toLowerCase()];
  if (!op) throw new Error(`no ${method} ${specPath} in the spec`);
  expect(Object.keys(op.responses), `status ${res.status} is documented for ${method} ${specPath}`).toContain(String(res.status));
  const v = new OpenAPIResponseValidator({
    responses: op.responses, components: spec.components,
    // the spec writes `format: string` for its timestamps; int64 is a plain integer here
    customFormats: { string: () => true, int64: () => true, int32: () => true, uuid: () => true },
  });
  const errors = v.validateResponse(res.status, body);
  expect(errors, `${method} ${specPath} ${res.status}: ${JSON.stringify(errors)}\n${text.slice(0, 400)}`).toBeUndefined();
  return body;
}

describe('finAPI emulator', () => {
  let env: Env;
  let userToken: string;
  let userId: string;
  const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });
  const json = (method: string, token: string | null, body?: unknown, headers: Record<string, string> = {}) => ({
    method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const token = async (o: Record<string, string>) => (await fetch(`${env.url}/api/v2/oauth/token`, form({ ...o, client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret })));

  beforeAll(async () => {
    spec = (await SwaggerParser.parse(SPEC)) as unknown as Spec;
    env = await startFinapi();
    const client = await (await token({ grant_type: 'client_credentials' })).json();
    expect(client).toMatchObject({ token_type: 'bearer', scope: 'all' });
    expect(client.refresh_token).toBeUndefined();
    const u = await fetch(`${env.url}/api/v2/users`, json('POST', client.access_token, { password: 'secret-123456' }));
    expect(u.status).toBe(201);
    userId = (await u.json()).id;
    const t = await (await token({ grant_type: 'password', username: userId, password: 'secret-123456' })).json();
    expect(t.refresh_token).toBeTruthy();
    expect(t.expires_in).toBe(3600);
    userToken = t.access_token;
  });
  afterAll(() => env.close());

  it('the copied spec is the Web Form 2.0 spec and parses', async () => {
    const api = await SwaggerParser.validate(SPEC).catch(() => SwaggerParser.parse(SPEC));
    expect((api as { info: { title: string } }).info.title).toBe('finAPI Web Form 2.0');
    // and the validator really checks: a drifted body fails
    const op = spec.paths['/api/webForms/{id}'].get;
    const v = new OpenAPIResponseValidator({ responses: op.responses, components: spec.components, customFormats: { string: () => true, int64: () => true } });
    expect(v.validateResponse(200, { id: 'short', url: '', status: 'DONE', type: 'BANK_CONNECTION_IMPORT', payload: {} })).toBeDefined();
  });

  async function importForm(body: unknown = {}, tok = userToken) {
    return fetch(`${env.url}/api/webForms/bankConnectionImport`, json('POST', tok, body));
  }
  const getForm = (id: string) => fetch(`${env.url}/api/webForms/${id}`, json('GET', userToken));

  it('web form lifecycle NOT_YET_OPENED -> IN_PROGRESS -> COMPLETED with payload.bankConnectionId, all valid against the spec', async () => {
    const login = someLogin(env.ledger);
    const bankId = await bankIdOf(login.bankId);
    const created = await checked(await importForm({ bank: { id: bankId }, bankConnectionName: 'Mine', accountTypes: ['CHECKING', 'SAVINGS', 'CREDIT_CARD'] }), 'POST', '/api/webForms/bankConnectionImport');
    expect(created).toMatchObject({ type: 'BANK_CONNECTION_IMPORT', status: 'NOT_YET_OPENED', payload: { bankConnectionId: null, errorCode: null } });
    expect(created.url).toBe(`${env.url}/wf/${created.id}`);
    expect(created.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
    await new Browser().go(`${created.url}?redirectUrl=${encodeURIComponent(REDIRECT + '?state=x')}`);
    expect((await checked(await getForm(created.id), 'GET', '/api/webForms/{id}')).status).toBe('IN_PROGRESS');
    await env.control('updateDuration', { ms: 60_000 });
    const back = await completeWebForm(created.url, { username: login.username, password: login.password });
    expect(back).toBe(`${REDIRECT}?state=x`);
    const done = await checked(await getForm(created.id), 'GET', '/api/webForms/{id}');
    expect(done.status).toBe('COMPLETED');
    expect(done.payload.bankConnectionId).toBeGreaterThan(0);
    // the connection downloads (IN_PROGRESS) and is READY after the update duration
    const conn = await (await fetch(`${env.url}/api/v2/bankConnections/${done.payload.bankConnectionId}`, json('GET', userToken))).json();
    expect(conn.updateStatus).toBe('IN_PROGRESS');
    expect(conn.accountIds).toEqual([]);
    expect((await (await fetch(`${env.url}/api/v2/accounts`, json('GET', userToken))).json()).accounts).toEqual([]);
    env.world.clock.advance(60_000); // the download finishes in world time
    await env.control('updateDuration', { ms: 60 });
    const ready = await (await fetch(`${env.url}/api/v2/bankConnections/${done.payload.bankConnectionId}`, json('GET', userToken))).json();
    expect(ready).toMatchObject({ updateStatus: 'READY', name: 'Mine' });
    expect(ready.interfaces[0]).toMatchObject({ bankingInterface: 'XS2A', userActionRequired: false, aisConsent: { status: 'PRESENT' }, lastManualUpdate: { result: 'OK' } });
    expect(ready.accountIds.length).toBeGreaterThan(0);
  });

  async function bankIdOf(ledgerBankId: string): Promise<number> {
    const name = env.ledger.banks().find((b) => b.id === ledgerBankId)!.name;
    const r = await (await fetch(`${env.url}/api/v2/banks?search=${encodeURIComponent(name)}`, json('GET', userToken))).json();
    return r.banks.find((b: { name: string }) => b.name === name).id;
  }

  it('web form errors and final statuses are valid against the spec', async () => {
    const r401 = await importForm({}, 'bogus');
    expect((await checked(r401, 'POST', '/api/webForms/bankConnectionImport')).code).toBe('UNAUTHORIZED');
    const r400 = await importForm({ bank: { id: 1, search: 'x' } });
    expect((await checked(r400, 'POST', '/api/webForms/bankConnectionImport')).errors[0].field).toBe('bank');
    const r422 = await importForm({ bank: { id: 999 } });
    expect((await checked(r422, 'POST', '/api/webForms/bankConnectionImport')).code).toBe('BANK_NOT_SUPPORTED');
    const redirect = await importForm({ redirectUrl: 'https://example.com/cb' });
    expect((await checked(redirect, 'POST', '/api/webForms/bankConnectionImport')).code).toBe('INVALID_REDIRECT_URL');
    expect((await checked(await getForm('00000000-0000-0000-0000-000000000000'), 'GET', '/api/webForms/{id}')).code).toBe('NOT_FOUND');

    const login = someLogin(env.ledger, 1);
    const bankId = await bankIdOf(login.bankId);
    // ABORTED
    const a = await checked(await importForm({ bank: { id: bankId } }), 'POST', '/api/webForms/bankConnectionImport');
    await completeWebForm(a.url, { username: login.username, password: login.password, cancelAt: 'sca' });
    expect(await checked(await getForm(a.id), 'GET', '/api/webForms/{id}')).toMatchObject({ status: 'ABORTED', payload: { bankConnectionId: null, errorCode: null } });
    // COMPLETED_WITH_ERROR
    const b = await checked(await importForm({ bank: { id: bankId } }), 'POST', '/api/webForms/bankConnectionImport');
    await env.control('forceWebFormError', { errorCode: 'INTERNAL_ERROR' });
    await completeWebForm(b.url, { username: login.username, password: login.password });
    expect(await checked(await getForm(b.id), 'GET', '/api/webForms/{id}')).toMatchObject({ status: 'COMPLETED_WITH_ERROR', payload: { errorCode: 'INTERNAL_ERROR' } });
    // NO_ACCOUNTS_FOR_TYPE_LIST when the bank has none of the asked types
    const types = new Set(env.ledger.accounts({ bankId: login.bankId, username: login.username }).map((x) => x.type));
    if (!types.has('savings')) {
      const c = await checked(await importForm({ bank: { id: bankId }, accountTypes: ['SAVINGS'] }), 'POST', '/api/webForms/bankConnectionImport');
      await completeWebForm(c.url, { username: login.username, password: login.password });
      expect((await checked(await getForm(c.id), 'GET', '/api/webForms/{id}')).payload.errorCode).toBe('NO_ACCOUNTS_FOR_TYPE_LIST');
    }
    // EXPIRED by world time
    const d = await checked(await importForm({}), 'POST', '/api/webForms/bankConnectionImport');
    env.world.clock.advance(21 * 60_000);
    try {
      expect((await checked(await getForm(d.id), 'GET', '/api/webForms/{id}')).status).toBe('EXPIRED');
      expect((await new Browser().go(d.url)) as { html: string }).toMatchObject({ html: expect.stringContaining('expired') });
    } finally { env.world.clock.advance(-21 * 60_000); }
    // DELETE cancels
    const del = await fetch(`${env.url}/api/webForms/${d.id}`, json('DELETE', userToken));
    expect(del.status).toBe(200);
  });

  it('update web form and background update tasks (COMPLETED, 423 LOCKED, WEB_FORM_REQUIRED) are valid against the spec', async () => {
    const login = someLogin(env.ledger, 2);
    const f = await checked(await importForm({ bank: { id: await bankIdOf(login.bankId) } }), 'POST', '/api/webForms/bankConnectionImport');
    await completeWebForm(f.url, { username: login.username, password: login.password });
    const connId = (await (await getForm(f.id)).json()).payload.bankConnectionId;
    await new Promise((r) => setTimeout(r, 100));
    const upd = await checked(await fetch(`${env.url}/api/webForms/bankConnectionUpdate`, json('POST', userToken, { bank: { bankConnectionId: connId } })), 'POST', '/api/webForms/bankConnectionUpdate');
    expect(upd).toMatchObject({ type: 'BANK_CONNECTION_UPDATE', status: 'NOT_YET_OPENED' });
    expect((await checked(await fetch(`${env.url}/api/webForms/bankConnectionUpdate`, json('POST', userToken, { bank: { bankConnectionId: 424242 } })), 'POST', '/api/webForms/bankConnectionUpdate')).code).toBe('NOT_FOUND');
    expect((await checked(await fetch(`${env.url}/api/webForms/bankConnectionUpdate`, json('POST', userToken, { bank: {} })), 'POST', '/api/webForms/bankConnectionUpdate')).errors).toHaveLength(1);

    const post = (body: unknown, headers: Record<string, string> = {}) => fetch(`${env.url}/api/tasks/backgroundUpdate`, json('POST', userToken, body, headers));
    const getTask = (id: string) => fetch(`${env.url}/api/tasks/${id}`, json('GET', userToken));
    await env.control('updateDuration', { ms: 60_000 });
    const t = await checked(await post({ bankConnectionId: connId }), 'POST', '/api/tasks/backgroundUpdate');
    expect(t).toMatchObject({ type: 'BANK_CONNECTION_UPDATE', status: 'NOT_YET_STARTED', payload: { bankConnectionId: connId, webForm: null } });
    expect((await checked(await getTask(t.id), 'GET', '/api/tasks/{id}')).status).toBe('IN_PROGRESS');
    expect((await checked(await post({ bankConnectionId: connId }), 'POST', '/api/tasks/backgroundUpdate')).code).toBe('LOCKED');
    // DELETE of a connection while it updates: 423 with finAPI's error body
    const locked = await fetch(`${env.url}/api/v2/bankConnections/${connId}`, json('DELETE', userToken));
    expect(locked.status).toBe(423);
    expect((await locked.json()).errors[0]).toMatchObject({ code: 'LOCKED', type: 'BUSINESS' });
    env.world.clock.advance(60_000);
    await env.control('updateDuration', { ms: 60 });
    expect((await checked(await getTask(t.id), 'GET', '/api/tasks/{id}')).status).toBe('COMPLETED');
    expect((await checked(await post({}), 'POST', '/api/tasks/backgroundUpdate')).errors[0].field).toBe('bankConnectionId');
    expect((await checked(await getTask('nope'), 'GET', '/api/tasks/{id}')).code).toBe('NOT_FOUND');

    // PSU headers are recorded as user presence
    const withPsu = await checked(await post({ bankConnectionId: connId }, { 'PSU-IP-Address': '192.0.2.1', 'PSU-Device-OS': 'Linux', 'PSU-User-Agent': 'test' }), 'POST', '/api/tasks/backgroundUpdate');
    const st = await env.control('state');
    expect(st.tasks.find((x: { id: string }) => x.id === withPsu.id)).toMatchObject({ userPresent: true, psu: { ipAddress: '192.0.2.1' } });
    await getTask(withPsu.id);
    await new Promise((r) => setTimeout(r, 100));
    await getTask(withPsu.id);

    // expired consent -> WEB_FORM_REQUIRED with the update form to open; completing it finishes the task
    await env.control('expireConsent', { bankConnectionId: connId });
    const w = await checked(await post({ bankConnectionId: connId }), 'POST', '/api/tasks/backgroundUpdate');
    const wr = await checked(await getTask(w.id), 'GET', '/api/tasks/{id}');
    expect(wr.status).toBe('WEB_FORM_REQUIRED');
    expect(wr.payload.webForm).toMatchObject({ status: 'NOT_YET_OPENED', url: expect.stringContaining('/wf/') });
    const conn = await (await fetch(`${env.url}/api/v2/bankConnections/${connId}`, json('GET', userToken))).json();
    expect(conn.interfaces[0].userActionRequired).toBe(true);
    const back = await completeWebForm(wr.payload.webForm.url, { username: login.username, password: login.password });
    expect(back).toContain('Done');
    await new Promise((r) => setTimeout(r, 100));
    const fin = await checked(await getTask(w.id), 'GET', '/api/tasks/{id}');
    expect(fin).toMatchObject({ status: 'COMPLETED', payload: { webForm: { status: 'COMPLETED' } } });
    const renewed = await (await fetch(`${env.url}/api/v2/bankConnections/${connId}`, json('GET', userToken))).json();
    expect(renewed.interfaces[0]).toMatchObject({ userActionRequired: false, aisConsent: { status: 'PRESENT' } });
    expect(Date.parse(renewed.interfaces[0].aisConsent.expiresAt)).toBeGreaterThan(Date.now() + 89 * 86_400_000);
  });

  describe('Access V2', () => {
    it('answers an expired token with 401 invalid_token (OAuth body), and rotates refresh tokens', async () => {
      const t = await (await token({ grant_type: 'password', username: userId, password: 'secret-123456' })).json();
      await env.control('tokenLifetime', { userSeconds: 1 });
      try {
        const short = await (await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).json();
        expect(short.expires_in).toBe(1);
        env.world.clock.advance(2000);
        const r = await fetch(`${env.url}/api/v2/accounts`, json('GET', short.access_token));
        expect(r.status).toBe(401);
        expect(await r.json()).toMatchObject({ error: 'invalid_token', error_description: expect.stringContaining('Invalid access token') });
        const reuse = await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token });
        expect(reuse.status).toBe(400);
        const again = await token({ grant_type: 'refresh_token', refresh_token: short.refresh_token });
        expect(again.status).toBe(200);
      } finally { await env.control('tokenLifetime', { userSeconds: 3600 }); }
      expect((await token({ grant_type: 'password', username: userId, password: 'wrong' })).status).toBe(400);
      const badClient = await fetch(`${env.url}/api/v2/oauth/token`, form({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' }));
      expect(badClient.status).toBe(401);
      expect((await badClient.json()).error).toBe('invalid_client');
    });

    it('revokes tokens', async () => {
      const t = await (await token({ grant_type: 'password', username: userId, password: 'secret-123456' })).json();
      const r = await fetch(`${env.url}/api/v2/oauth/revoke`, form({ token: t.access_token, client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret }));
      expect(r.status).toBe(200);
      expect((await fetch(`${env.url}/api/v2/users`, json('GET', t.access_token))).status).toBe(401);
      expect((await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token })).status).toBe(400);
    });

    it('pages transactions with finAPI paging, order and date filters, and checks its parameters', async () => {
      const accounts = (await (await fetch(`${env.url}/api/v2/accounts`, json('GET', userToken))).json()).accounts;
      expect(accounts.length).toBeGreaterThan(0);
      const acc = accounts[0];
      const q = (p: string) => fetch(`${env.url}/api/v2/transactions?${p}`, json('GET', userToken, undefined, { 'X-Request-Id': 'req-1' }));
      const r = await q(`view=bankView&accountIds=${acc.id}&perPage=10&page=2&order=bankBookingDate,desc`);
      expect(r.headers.get('x-request-id')).toBe('req-1');
      const body = await r.json();
      expect(body.paging).toMatchObject({ page: 2, perPage: 10 });
      expect(body.paging.pageCount).toBe(Math.ceil(body.paging.totalCount / 10));
      expect(body.transactions).toHaveLength(10);
      const dates = body.transactions.map((t: { bankBookingDate: string }) => t.bankBookingDate);
      expect([...dates].sort().reverse()).toEqual(dates);
      expect(body.transactions[0]).toHaveProperty('counterpartName');
      expect(body).toHaveProperty('income');
      const d = dates[3];
      const win = await (await q(`view=bankView&accountIds=${acc.id}&minBankBookingDate=${d}&maxBankBookingDate=${d}&perPage=500`)).json();
      expect(win.transactions.every((t: { bankBookingDate: string }) => t.bankBookingDate === d)).toBe(true);
      expect((await (await q(`accountIds=${acc.id}`)).json()).errors[0].code).toBe('BAD_REQUEST');
      expect((await (await q(`view=bankView&perPage=501`)).json()).errors[0].code).toBe('ILLEGAL_PAGE_SIZE');
      expect((await q(`view=bankView&accountIds=999`)).status).toBe(404);
      const pend = await (await fetch(`${env.url}/api/v2/pendingTransactions?accountIds=${acc.id}`, json('GET', userToken))).json();
      expect(pend).toHaveProperty('paging');
      for (const p of pend.pendingTransactions) expect(p).toHaveProperty('counterpartyName');
      // amounts are written as exact decimals
      const raw = await (await q(`view=bankView&accountIds=${acc.id}&perPage=5`)).text();
      expect(raw).toMatch(/"amount":-?\d+(\.\d+)?[,}]/);
    });

    it('deletes a connection and the user', async () => {
      const conns = (await (await fetch(`${env.url}/api/v2/bankConnections`, json('GET', userToken))).json()).connections;
      expect(conns.length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 100));
      expect((await fetch(`${env.url}/api/v2/bankConnections/${conns[0].id}`, json('DELETE', userToken))).status).toBe(200);
      expect((await fetch(`${env.url}/api/v2/bankConnections/${conns[0].id}`, json('GET', userToken))).status).toBe(404);
      expect((await fetch(`${env.url}/api/v2/users`, json('DELETE', userToken))).status).toBe(200);
      expect((await fetch(`${env.url}/api/v2/users`, json('GET', userToken))).status).toBe(401);
    });
  });

  it('shows a 404 page for an unknown web form and lists itself for npm run sandbox', async () => {
    const r = await fetch(`${env.url}/wf/unknown`);
    expect(r.status).toBe(404);
    const d = env.emulator.describe!(env.url);
    expect(d).toMatchObject({ clientId: DEMO_CLIENT.clientId, options: { webFormBaseUrl: env.url } });
    expect((d.logins as unknown[]).length).toBe(env.ledger.logins().length);
  });
});
