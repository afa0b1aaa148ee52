// The Banqware emulator on its own, over HTTP: tenant URLs, users, the update lifecycle on the world clock, consent
// validity on the world clock, KYC, errors. (The client-driven flows are in test/unit/providers/banqware.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../../../sandbox/core/world.js';
import { createLedger } from '../../../../sandbox/core/ledger.js';
import { serve, type Emulator, type RunningServer } from '../../../../sandbox/core/http.js';
import { DEMO_SCA_CODE } from '../../../../sandbox/core/pages.js';
import { createBanqwareEmulator, BANQWARE_DEFAULTS } from '../../../../sandbox/banqware/index.js';
import { MiniBrowser, isPage } from '../../providers/everifin/browser.js';

let world: World;
let emulator: Emulator;
let server: RunningServer;
const H = { 'content-type': 'application/json', 'api-clientID': BANQWARE_DEFAULTS.clientId, 'api-clientSecret': BANQWARE_DEFAULTS.clientSecret };
const REDIRECT = 'https://app.example/banqware/return';

beforeAll(async () => {
  world = new World(9);
  emulator = createBanqwareEmulator(world, createLedger(world), { firstUpdateMs: 60_000, laterUpdateMs: 5_000, minUpdateIntervalSec: 30 });
  server = await serve(emulator, world);
});
afterAll(async () => { await server.close(); });

const call = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(server.url + path, { method, headers: H, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  return { status: r.status, headers: r.headers, body: text ? JSON.parse(text) : undefined };
};

async function givenConsent(bankId = 'hu-budapest') {
  const user = (await call('POST', '/user-resources/api/user', { clientId: 'u-' + Math.random() })).body;
  const c = (await call('POST', `/consent-resources/api/user/id/${user.id}/consent`, { bankId, bankIdType: 'id', redirectUrl: REDIRECT })).body;
  expect(c.status).toBe('requested');
  expect((await call('GET', `/kyc-resources/api/user/id/${user.id}/consent/${c.id}/kyc`)).status).toBe(409);
  const b = new MiniBrowser((u) => u.startsWith(REDIRECT));
  let p = await b.request(c.authorizationUrl);
  if (isPage(p)) p = await b.submit(p, '/login', { username: 'demo', password: 'demo1234', decision: 'submit' });
  if (isPage(p)) p = await b.submit(p, '/sca', { otp: DEMO_SCA_CODE, decision: 'submit' });
  if (isPage(p)) {
    const id = /name="accounts" value="([^"]+)"/.exec(p.html)![1];
    p = await b.submit(p, '/accounts', { accounts: id, decision: 'submit' });
  }
  if (isPage(p)) p = await b.submit(p, '/consent', { decision: 'approve' });
  if (isPage(p)) throw new Error(p.html);
  expect(new URL(p.redirect).searchParams.get('status')).toBe('given');
  return { userId: user.id as string, consentId: c.id as string };
}

describe('Banqware emulator', () => {
  it('tenant URLs: validated, stored, and needed before a consent', async () => {
    expect((await call('PUT', '/management-resources/api/tenant/urls', { redirectUrls: 'nope' })).status).toBe(400);
    const r = await call('PUT', '/management-resources/api/tenant/urls', { redirectUrls: [REDIRECT], updateCallbackUrls: [] });
    expect(r.body).toEqual({ redirectUrls: [REDIRECT], updateCallbackUrls: [] });
    const user = (await call('POST', '/user-resources/api/user', {})).body;
    expect(user.id).toBeTruthy();
    expect((await call('GET', `/user-resources/api/user/id/${user.id}`)).body.id).toBe(user.id);
    const bad = await call('POST', `/consent-resources/api/user/id/${user.id}/consent`, { bankId: 'hu-budapest', bankIdType: 'id', redirectUrl: 'https://app.example/other' });
    expect(bad).toMatchObject({ status: 400, body: { errorCode: 'REDIRECT_URL_NOT_REGISTERED' } });
    // redirect URLs are matched exactly: an added query or another letter case is a different URL
    for (const other of [REDIRECT + '?state=1', REDIRECT + '/', REDIRECT.replace('return', 'Return')]) {
      const r2 = await call('POST', `/consent-resources/api/user/id/${user.id}/consent`, { bankId: 'hu-budapest', bankIdType: 'id', redirectUrl: other });
      expect(r2).toMatchObject({ status: 400, body: { errorCode: 'REDIRECT_URL_NOT_REGISTERED' } });
    }
    const byBic = await call('POST', `/consent-resources/api/user/id/${user.id}/consent`, { bankId: 'HDEMHUHB', bankIdType: 'bic', redirectUrl: REDIRECT });
    expect(byBic.status).toBe(201);
    expect((await call('POST', `/consent-resources/api/user/id/${user.id}/consent`, { bankId: 'nope', bankIdType: 'id', redirectUrl: REDIRECT })).body.errorCode).toBe('BANK_NOT_FOUND');
    expect((await call('POST', '/consent-resources/api/user/id/nobody/consent', { bankId: 'hu-budapest', redirectUrl: REDIRECT })).status).toBe(404);
  });

  it('updates move pending → inProgress → completed on the world clock; the first is slow, later ones incremental; 429 in between', async () => {
    const { userId, consentId } = await givenConsent();
    expect((await call('GET', `/account-information-resources/api/user/id/${userId}/account`)).body).toEqual([]);
    const u = (await call('POST', `/update-resources/api/user/id/${userId}/consent/${consentId}/update`, {})).body;
    expect(u).toMatchObject({ status: 'pending', incremental: false });
    const get = async () => (await call('GET', `/update-resources/api/user/id/${userId}/update/${u.id}`)).body;
    world.clock.advance(1000);
    expect((await get()).status).toBe('inProgress');
    const again = await call('POST', `/update-resources/api/user/id/${userId}/consent/${consentId}/update`, {});
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(0);
    world.clock.advance(60_000);
    expect((await get()).status).toBe('completed');
    const accounts = (await call('GET', `/account-information-resources/api/user/id/${userId}/account`)).body;
    expect(accounts).toHaveLength(1);
    expect(accounts[0].balances.map((b: { type: string }) => b.type)).toEqual(['closingBooked', 'interimAvailable']);
    const page = (await call('GET', `/account-information-resources/api/user/id/${userId}/account/${accounts[0].id}/transaction?size=3&page=1`)).body;
    expect(page).toMatchObject({ page: 1, size: 3 });
    expect(page.content[0]).toEqual(expect.objectContaining({ id: expect.any(String), amount: expect.stringMatching(/^-?\d+(\.\d+)?$/), creditDebitIndicator: expect.stringMatching(/DBIT|CRDT/) }));
    expect((await call('GET', `/account-information-resources/api/user/id/${userId}/account/${accounts[0].id}/transaction?dateFrom=01.01.2020`)).status).toBe(400);
    const u2 = (await call('POST', `/update-resources/api/user/id/${userId}/consent/${consentId}/update`, {})).body;
    expect(u2.incremental).toBe(true);
    world.clock.advance(5_000);
    expect((await call('GET', `/update-resources/api/user/id/${userId}/update/${u2.id}`)).body.status).toBe('completed');
    const kyc = (await call('GET', `/kyc-resources/api/user/id/${userId}/consent/${consentId}/kyc`)).body;
    expect(kyc.ownerName).toBe('Kovács Eszter');
    expect(kyc.address).toContain('Budapest');
  });

  it('a consent ends at its validity date on the world clock; updates then answer 409', async () => {
    const { userId, consentId } = await givenConsent();
    const c = (await call('GET', `/consent-resources/api/user/id/${userId}/consent/${consentId}`)).body;
    expect(c.status).toBe('given');
    world.clock.set(new Date(Date.parse(c.validTo) + 1000).toISOString());
    expect((await call('GET', `/consent-resources/api/user/id/${userId}/consent/${consentId}`)).body.status).toBe('expired');
    const u = await call('POST', `/update-resources/api/user/id/${userId}/consent/${consentId}/update`, {});
    expect(u).toMatchObject({ status: 409, body: { errorCode: 'CONSENT_EXPIRED' } });
    expect((await call('GET', `/consent-resources/api/user/id/${userId}/consent`)).body.map((x: { id: string }) => x.id)).toContain(consentId);
  });

  it('describe() lists the demo tenant and bank logins', () => {
    const d = emulator.describe!('http://127.0.0.1:1') as { clientId: string; logins: Array<{ bankId: string }> };
    expect(d.clientId).toBe(BANQWARE_DEFAULTS.clientId);
    expect(d.logins.some((l) => l.bankId === 'pl-polski')).toBe(true);
  });
});
