// The Everifin emulator on its own, over HTTP: Keycloak token-endpoint details, back-channel logout, the BankConnect
// envelope, paging and validation. (The client-driven flows are in test/unit/providers/everifin.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../../../sandbox/core/world.js';
import { createLedger } from '../../../../sandbox/core/ledger.js';
import { serve, type Emulator, type RunningServer } from '../../../../sandbox/core/http.js';
import { createEverifinEmulator, EVERIFIN_DEFAULTS } from '../../../../sandbox/everifin/index.js';
import { MiniBrowser, isPage } from '../../providers/everifin/browser.js';

let world: World;
let emulator: Emulator;
let server: RunningServer;
const REDIRECT = 'http://localhost:8765/callback';
const { clientId, clientSecret } = EVERIFIN_DEFAULTS;
let oidcBase: string;

beforeAll(async () => {
  world = new World(3);
  emulator = createEverifinEmulator(world, createLedger(world));
  server = await serve(emulator, world);
  oidcBase = `${server.url}/auth/realms/everifin_app/protocol/openid-connect`;
});
afterAll(async () => { await server.close(); });

const token = (form: Record<string, string>) => fetch(`${oidcBase}/token`, {
  method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, ...form }),
});

async function signIn(): Promise<Record<string, unknown>> {
  const auth = new URL(`${oidcBase}/auth`);
  for (const [k, v] of Object.entries({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'ais', state: 'xyz' })) auth.searchParams.set(k, v);
  const b = new MiniBrowser((u) => u.startsWith(REDIRECT));
  let p = await b.request(auth.href);
  if (isPage(p)) p = await b.submit(p, '/login', { username: 'demo', password: 'demo1234' });
  if (isPage(p)) p = await b.submit(p, '/consent', { decision: 'approve' });
  if (isPage(p)) throw new Error(p.html);
  const back = new URL(p.redirect);
  expect(back.searchParams.get('state')).toBe('xyz');
  const r = await token({ grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: REDIRECT });
  expect(r.status).toBe(200);
  return r.json();
}

describe('Everifin emulator', () => {
  it('its sign-in page names the demo logins, as the demo banks\' pages do', async () => {
    const auth = new URL(`${oidcBase}/auth`);
    for (const [k, v] of Object.entries({ client_id: clientId, redirect_uri: REDIRECT, response_type: 'code', scope: 'ais', state: 's' })) auth.searchParams.set(k, v);
    const p = await new MiniBrowser((u) => u.startsWith(REDIRECT)).request(auth.href);
    if (!isPage(p)) throw new Error('no sign-in page');
    expect(/<p class="hint" id="demo-logins">([^\n]*)<\/p>/.exec(p.html)?.[1]).toBe('Demo login: <code>demo</code> / <code>demo1234</code>, <code>peter</code> / <code>peter1234</code>');
  });

  it('answers the code exchange like Keycloak: 5-minute access token, refresh_expires_in, not-before-policy', async () => {
    const t = await signIn();
    expect(t.token_type).toBe('Bearer');
    expect(t.expires_in).toBe(300);
    expect(t.refresh_expires_in).toBe(30 * 86400);
    expect(t['not-before-policy']).toBe(0);
    expect(String(t.scope)).toContain('ais');
  });

  it('refresh rotates; an expired session answers 400 invalid_grant "Token is not active"', async () => {
    const t = await signIn();
    const r = await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) });
    const t2 = await r.json();
    expect(t2.refresh_token).not.toBe(t.refresh_token);
    emulator.control!['expire-refresh']({ username: 'demo' });
    const r3 = await token({ grant_type: 'refresh_token', refresh_token: String(t2.refresh_token) });
    expect(r3.status).toBe(400);
    expect(await r3.json()).toEqual({ error: 'invalid_grant', error_description: 'Token is not active' });
  });

  it('revoking the account sessions stops both the API and the refresh (invalid_grant "Session not active")', async () => {
    const t = await signIn();
    expect((await fetch(`${server.url}/api/v1/bank-accounts`, { headers: { authorization: `Bearer ${t.access_token}` } })).status).toBe(200);
    emulator.control!.revoke({ username: 'demo' });
    expect((await fetch(`${server.url}/api/v1/bank-accounts`, { headers: { authorization: `Bearer ${t.access_token}` } })).status).toBe(401);
    const r = await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) });
    expect(await r.json()).toEqual({ error: 'invalid_grant', error_description: 'Session not active' });
    world.clock.advance(1);
    const again = await signIn();
    expect((await fetch(`${server.url}/api/v1/bank-accounts`, { headers: { authorization: `Bearer ${again.access_token}` } })).status).toBe(200);
  });

  it('back-channel logout (client credentials + refresh_token) ends the session; a wrong client is refused', async () => {
    const t = await signIn();
    const bad = await fetch(`${oidcBase}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, client_secret: 'x', refresh_token: String(t.refresh_token) }) });
    expect(bad.status).toBe(401);
    const ok = await fetch(`${oidcBase}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, refresh_token: String(t.refresh_token) }) });
    expect(ok.status).toBe(204);
    const r = await token({ grant_type: 'refresh_token', refresh_token: String(t.refresh_token) });
    expect((await r.json()).error).toBe('invalid_grant');
  });

  it('browser logout (RP-initiated, oidc-provider end_session) is served at the Keycloak path', async () => {
    const r = await fetch(`${oidcBase}/logout?client_id=${clientId}`, { redirect: 'manual' });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('<form');
  });

  it('BankConnect: errors[] envelope on 401, {data, meta.pagination} paging, validation errors', async () => {
    const none = await fetch(`${server.url}/api/v1/bank-accounts`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(await none.json()).toMatchObject({ errors: [{ code: 'UNAUTHORIZED' }], meta: { status: 'ERROR' } });
    const t = await signIn();
    const h = { authorization: `Bearer ${t.access_token}` };
    const list = await (await fetch(`${server.url}/api/v1/bank-accounts?count_per_page=2`, { headers: h })).json();
    expect(list.meta.status).toBe('SUCCESS');
    expect(list.data).toHaveLength(2);
    expect(list.meta.pagination).toMatchObject({ page: 1, count_per_page: 2, first: 1 });
    expect(list.meta.pagination.next_page_url).toContain('page=2');
    expect(typeof list.data[0].balance.amount).toBe('number');
    const id = list.data[0].id;
    const tx = await (await fetch(`${server.url}/api/v1/bank-accounts/${id}/transactions?count_per_page=5&sort=lastUpdated:asc`, { headers: h })).json();
    expect(tx.data).toHaveLength(5);
    expect(tx.data[0]).toEqual(expect.objectContaining({ id: expect.any(String), lastUpdated: expect.any(String), createdAt: expect.any(String) }));
    const one = await (await fetch(`${server.url}/api/v1/transactions/${tx.data[0].id}`, { headers: h })).json();
    expect(one.data.id).toBe(tx.data[0].id);
    expect((await fetch(`${server.url}/api/v1/bank-accounts/${id}/transactions?sort=amount:up`, { headers: h })).status).toBe(422);
    expect((await fetch(`${server.url}/api/v1/bank-accounts/${id}/transactions?updatedFrom=yesterday`, { headers: h })).status).toBe(422);
    // the API guide: 204 when there is nothing to return
    const nothing = await fetch(`${server.url}/api/v1/bank-accounts/${id}/transactions?updatedFrom=2999-01-01T00:00:00.000Z`, { headers: h });
    expect(nothing.status).toBe(204);
    expect(await nothing.text()).toBe('');
    expect((await fetch(`${server.url}/api/v1/bank-accounts/de-sparkasse-demo-current`, { headers: h })).status).toBe(404);
    world.clock.advance(301_000);
    expect((await fetch(`${server.url}/api/v1/bank-accounts`, { headers: h })).status).toBe(401);
  });

  it('describe() prints the demo client and logins for npm run sandbox', () => {
    const d = emulator.describe!('http://127.0.0.1:1') as { clientId: string; options: Record<string, string>; logins: Array<{ username: string }> };
    expect(d.clientId).toBe(clientId);
    expect(d.options).toMatchObject({ realm: 'everifin_app', scope: 'ais' });
    expect(d.logins.map((l) => l.username)).toEqual(['demo', 'peter']);
  });
});
