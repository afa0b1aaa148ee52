// The Banqware client against the Banqware emulator over real HTTP: URL registration, users, consents with the bank's
// authorization pages, updates polled to completed/failed, account information, KYC, renewal, deletion, faults.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { World } from '../../../../sandbox/core/world.js';
import { createLedger, type DemoLedger } from '../../../../sandbox/core/ledger.js';
import { serve, type Emulator, type RunningServer } from '../../../../sandbox/core/http.js';
import { DEMO_SCA_CODE } from '../../../../sandbox/core/pages.js';
import { createBanqwareEmulator, BANQWARE_DEFAULTS } from '../../../../sandbox/banqware/index.js';
import { BanqwareProvider, createBanqwareProvider } from '../../../../main/providers/banqware/index.js';
import type { ConnectionContext, LinkStep, LinkedConnection, ProviderConfig } from '../../../../main/providers/provider.js';
import { MiniBrowser, isPage, type Page } from '../everifin/browser.js';
import { allPages } from '../pages.js';

let world: World;
let ledger: DemoLedger;
let emulator: Emulator;
let server: RunningServer;
let config: ProviderConfig;
let provider: BanqwareProvider;
const REDIRECT = 'multibank://oauth/callback';
const BANK = 'pl-polski';

beforeAll(async () => {
  world = new World(5);
  ledger = createLedger(world);
  // an update runs on the world's clock, and the client's waits between polls move that clock instead of real time:
  // the first poll sees a first update in progress however slow the machine is
  emulator = createBanqwareEmulator(world, ledger, { firstUpdateMs: 10_000, laterUpdateMs: 100, minUpdateIntervalSec: 30 });
  server = await serve(emulator, world);
  config = { provider: 'banqware', baseUrl: server.url, clientId: BANQWARE_DEFAULTS.clientId, clientSecret: BANQWARE_DEFAULTS.clientSecret, options: {} };
  provider = new BanqwareProvider(config, { now: () => world.clock.now(), sleep: worldSleep });
});
afterAll(async () => { await server.close(); });
beforeEach(() => { world.faults.clear(); });

/** the client's wait between polls of an update, on the world's clock */
const worldSleep = async (ms: number) => { world.clock.advance(ms); };
const control = (action: string, body: unknown = {}) => emulator.control![action](body) as Record<string, unknown>;
const pendingOf = (s: LinkStep) => (s as { pending: Record<string, unknown> }).pending;

/** the person at the bank: login, SCA code, accounts, approve */
async function authorize(step: LinkStep, redirectUri = REDIRECT, o: { password?: string; otp?: string; decision?: string; accounts?: string[] } = {}) {
  if (step.kind !== 'redirect') throw new Error('expected redirect');
  const b = new MiniBrowser((u) => u.startsWith(redirectUri));
  let p = await b.request(step.url);
  if (!isPage(p)) throw new Error('expected the login page');
  expect(p.html).toContain('data-page="login"');
  const login = ledger.logins().find((l) => l.bankId === BANK)!;
  p = await b.submit(p, '/login', { username: login.username, password: o.password ?? login.password, decision: 'submit' });
  if (!isPage(p) || !p.html.includes('data-page="sca"')) return p;
  p = await b.submit(p, '/sca', { otp: o.otp ?? DEMO_SCA_CODE, decision: 'submit' });
  if (!isPage(p) || !p.html.includes('data-page="accounts"')) return p;
  const accounts = o.accounts ?? [...p.html.matchAll(/name="accounts" value="([^"]+)"/g)].map((m) => m[1]);
  const body = new URLSearchParams({ decision: 'submit' });
  for (const a of accounts) body.append('accounts', a);
  const res = await fetch(new URL(/action="([^"]+)"/.exec(p.html)![1].replace(/&amp;/g, '&'), p.url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' });
  const consentPage: Page = { url: p.url, status: res.status, html: await res.text() };
  if (!consentPage.html.includes('data-page="consent"')) return consentPage;
  return b.submit(consentPage, '/consent', { decision: o.decision ?? 'approve' });
}

async function link(redirectUri = REDIRECT): Promise<LinkedConnection> {
  const step = await provider.beginLink({ institutionId: BANK, redirectUri, state: 'st-' + Math.random() });
  const back = await authorize(step, redirectUri);
  if (isPage(back)) throw new Error(`no redirect: ${back.html.slice(0, 300)}`);
  const done = await provider.completeLink(pendingOf(step), { kind: 'callback', url: back.redirect });
  if (done.kind !== 'done') throw new Error('expected done');
  return done.connection;
}

/** the whole history of an account */
const EVERYTHING = { from: '2000-01-01', to: '2999-12-31' };

const ctxFor = (c: LinkedConnection): ConnectionContext => ({ connectionId: 1, remote: c.remote, secrets: c.secrets, saveSecrets: () => undefined });

describe('Banqware flow', () => {
  it('lists banks, registers exactly the redirect URL it sends (no state on it), links through login → SCA → accounts → consent', async () => {
    const banks = await provider.listInstitutions('polski');
    expect(banks).toEqual([expect.objectContaining({ id: BANK, country: 'PL' })]);
    await fetch(`${server.url}/management-resources/api/tenant/urls`, {
      method: 'PUT', headers: { 'content-type': 'application/json', 'api-clientID': config.clientId, 'api-clientSecret': config.clientSecret },
      body: JSON.stringify({ redirectUrls: ['https://tenant.example/return'], updateCallbackUrls: ['https://tenant.example/hook'] }),
    });
    const step = await provider.beginLink({ institutionId: BANK, redirectUri: REDIRECT, state: 'my-state' });
    const tenant = control('state').tenant as { redirectUrls: string[]; updateCallbackUrls: string[] };
    expect(tenant.redirectUrls.sort()).toEqual(['https://tenant.example/return', REDIRECT].sort());
    expect(tenant.updateCallbackUrls).toEqual(['https://tenant.example/hook']);
    // the consent names one of the registered URLs, exactly
    const sent = (control('state').consents as Array<{ id: string; redirectUrl: string }>).find((c) => c.id === pendingOf(step).consentId)!;
    expect(sent.redirectUrl).toBe(REDIRECT);
    // polled before the person is back from the bank: still the browser step
    expect(await provider.completeLink(pendingOf(step), { kind: 'poll' })).toMatchObject({ kind: 'redirect', url: (step as { url: string }).url });
    const back = await authorize(step);
    expect(isPage(back)).toBe(false);
    const url = new URL((back as { redirect: string }).redirect);
    expect(url.searchParams.has('state')).toBe(false);
    expect(url.searchParams.get('status')).toBe('given');
    const done = await provider.completeLink(pendingOf(step), { kind: 'callback', url: url.href });
    expect(done.kind).toBe('done');
    if (done.kind !== 'done') return;
    expect(done.connection.consent.state).toBe('active');
    expect(Date.parse(done.connection.consent.expiresAt!)).toBeGreaterThan(world.clock.now().getTime() + 80 * 86400_000);
    expect(done.connection.remote.holderName).toBe(ledger.logins().find((l) => l.bankId === BANK)!.ownerName);
    expect(done.connection.institutionName).toBe('Demo Bank Polski');
  });

  it('first update with progress, then accounts with exact balances and every transaction of a window, paged', async () => {
    const c = await link();
    const ctx = ctxFor(c);
    const progress: string[] = [];
    const consent = await provider.refreshConnection(ctx, { userPresent: true, onProgress: (m) => progress.push(m) });
    expect(consent.state).toBe('active');
    expect(progress.some((m) => m.includes('first time'))).toBe(true);
    const accounts = await provider.listAccounts(ctx);
    const expected = ledger.accounts({ bankId: BANK });
    expect(accounts.map((a) => a.iban).sort()).toEqual(expected.map((a) => a.iban).sort());
    for (const a of accounts) {
      const l = expected.find((x) => x.iban === a.iban)!;
      expect(a.balanceCurrent).toBe(ledger.balance(l.id));
      expect(a.balanceAvailable).toBe(ledger.availableBalance(l.id));
      expect(a.currency).toBe(l.currency);
    }
    const acc = accounts.find((a) => a.type === 'current')!;
    const l = expected.find((x) => x.iban === acc.iban)!;
    const { rows, pages } = await allPages(provider, ctx, acc.remoteId, EVERYTHING);
    expect(pages).toBeGreaterThan(1);
    const ledgerRows = ledger.transactions(l.id);
    expect(rows.map((t) => t.remoteId).sort()).toEqual(ledgerRows.map((t) => t.id).sort());
    const byId = new Map(ledgerRows.map((t) => [t.id, t]));
    for (const t of rows) {
      expect(t.amount).toBe(byId.get(t.remoteId)!.amountMinor);
      expect(t.status).toBe(byId.get(t.remoteId)!.status);
    }
    const month = world.clock.today().slice(0, 8) + '01';
    const recent = await allPages(provider, ctx, acc.remoteId, { from: month, to: world.clock.today() });
    expect(recent.rows.every((t) => t.bookingDate >= month)).toBe(true);
    expect(recent.rows.length).toBe(ledgerRows.filter((t) => t.bookingDate >= month).length);
  });

  it('invented fields absent: a user id named userId, transaction pages without paging fields or as a bare list — still every row', async () => {
    // the emulator's answers, edited in flight (real HTTP; Banqware amounts are strings, so JSON round trips are exact)
    const edit = (shape: 'unpaged' | 'list'): typeof fetch => async (input, init) => {
      const res = await fetch(input, init);
      const url = String(input instanceof Request ? input.url : input);
      const body = res.status < 300 && res.status !== 204 ? await res.clone().json() : null;
      if (url.endsWith('/user-resources/api/user') && body) return Response.json({ userId: body.id, clientId: body.clientId }, { status: res.status });
      if (url.includes('/transaction?') && body) return Response.json(shape === 'list' ? body.content : { content: body.content }, { status: res.status });
      return res;
    };
    for (const shape of ['unpaged', 'list'] as const) {
      const bare = new BanqwareProvider(config, { fetch: edit(shape), now: () => world.clock.now(), sleep: worldSleep });
      const step = await bare.beginLink({ institutionId: BANK, redirectUri: REDIRECT, state: 's' });
      await authorize(step);
      const done = await bare.completeLink(pendingOf(step), { kind: 'callback', url: REDIRECT });
      if (done.kind !== 'done') throw new Error('expected done');
      const ctx = ctxFor(done.connection);
      await bare.refreshConnection(ctx, { userPresent: true });
      const acc = (await bare.listAccounts(ctx)).find((a) => a.type === 'current')!;
      const ledgerId = ledger.accounts({ bankId: BANK }).find((a) => a.iban === acc.iban)!.id;
      const { rows, pages } = await allPages(bare, ctx, acc.remoteId, EVERYTHING);
      expect(pages).toBeGreaterThan(1);
      expect(rows.map((t) => t.remoteId).sort()).toEqual(ledger.transactions(ledgerId).map((t) => t.id).sort());
    }
  });

  it('a second update right away gets 429 + Retry-After: the client keeps the last data; later updates are incremental', async () => {
    const c = await link();
    const ctx = ctxFor(c);
    await provider.refreshConnection(ctx, { userPresent: true });
    const raw = await fetch(`${server.url}/update-resources/api/user/id/${c.remote.userId}/consent/${c.remote.consentId}/update`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'api-clientID': config.clientId, 'api-clientSecret': config.clientSecret }, body: '{}',
    });
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
    const progress: string[] = [];
    expect((await provider.refreshConnection(ctx, { userPresent: true, onProgress: (m) => progress.push(m) })).state).toBe('active');
    expect(progress.join(' ')).toContain('moments ago');
    world.clock.advance(31_000);
    const p2: string[] = [];
    await provider.refreshConnection(ctx, { userPresent: true, onProgress: (m) => p2.push(m) });
    expect(p2.some((m) => m.includes('first time'))).toBe(false);
  });

  it('refuses a redirect URL that was not registered', async () => {
    const user = await (await fetch(`${server.url}/user-resources/api/user`, { method: 'POST', headers: { 'content-type': 'application/json', 'api-clientID': config.clientId, 'api-clientSecret': config.clientSecret }, body: '{}' })).json();
    const r = await fetch(`${server.url}/consent-resources/api/user/id/${user.id}/consent`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'api-clientID': config.clientId, 'api-clientSecret': config.clientSecret },
      body: JSON.stringify({ bankId: BANK, bankIdType: 'id', redirectUrl: 'https://not-registered.example/cb' }),
    });
    expect(r.status).toBe(400);
    expect((await r.json()).errorCode).toBe('REDIRECT_URL_NOT_REGISTERED');
    const unauth = await fetch(`${server.url}/user-resources/api/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauth.status).toBe(401);
    const wrong = createBanqwareProvider({ ...config, clientSecret: 'nope' }, {});
    await expect(wrong.checkConfig()).rejects.toMatchObject({ code: 'auth_failed', info: { providerCode: 'UNAUTHORIZED' } });
  });

  it('registers exactly the loopback redirect it uses', async () => {
    const c = await link('http://127.0.0.1:49152/callback');
    expect(c.consent.state).toBe('active');
    expect((control('state').tenant as { redirectUrls: string[] }).redirectUrls).toContain('http://127.0.0.1:49152/callback');
  });

  it('a redirect meant for another consent does not move this link; the consent status decides', async () => {
    const step = await provider.beginLink({ institutionId: BANK, redirectUri: REDIRECT, state: 'a' });
    const other = `${REDIRECT}?consentId=someone-else&status=rejected&error=access_denied`;
    expect(await provider.completeLink(pendingOf(step), { kind: 'callback', url: other })).toMatchObject({ kind: 'redirect' });
    await authorize(step);
    // back at the bare registered URL, nothing added: the consent at Banqware says given
    const done = await provider.completeLink(pendingOf(step), { kind: 'callback', url: REDIRECT });
    expect(done.kind).toBe('done');
  });

  describe('when the tenant\'s registered URLs cannot be read', () => {
    /** a client whose GET of the tenant URLs fails; every PUT it sends is counted */
    function clientWithUnreadableUrls(status: number) {
      const puts: string[] = [];
      const doFetch: typeof fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        if (url.includes('/tenant/urls')) {
          if ((init?.method ?? 'GET') === 'GET') return new Response(JSON.stringify({ errorCode: 'NOT_FOUND', errorMessage: 'No such resource.' }), { status, headers: { 'content-type': 'application/json' } });
          puts.push(String(init?.body));
        }
        return fetch(input, init);
      };
      return { puts, client: new BanqwareProvider(config, { fetch: doFetch, now: () => world.clock.now(), sleep: worldSleep }) };
    }

    it('never PUTs (which would wipe the tenant\'s other URLs) and says plainly what to register', async () => {
      const before = control('state').tenant as { redirectUrls: string[]; updateCallbackUrls: string[] };
      for (const status of [404, 503]) {
        const { puts, client } = clientWithUnreadableUrls(status);
        const err = await client.beginLink({ institutionId: BANK, redirectUri: 'multibank://oauth/other', state: 's' }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: 'not_configured' });
        expect((err as Error).message).toContain('Register multibank://oauth/other in the Banqware developer portal');
        expect(puts).toEqual([]);
      }
      expect(control('state').tenant).toEqual(before);
      expect(before.redirectUrls).toContain('https://tenant.example/return');
    });

    it('links with a URL the tenant registered by hand, without touching the list', async () => {
      const { puts, client } = clientWithUnreadableUrls(404);
      const step = await client.beginLink({ institutionId: BANK, redirectUri: 'https://tenant.example/return', state: 's' });
      expect(step.kind).toBe('redirect');
      expect(puts).toEqual([]);
    });
  });

  it('wrong password and wrong code stay on the page with an error; a refused consent → cancelled and the consent is deleted', async () => {
    const step = await provider.beginLink({ institutionId: BANK, redirectUri: REDIRECT, state: 's' });
    const wrong = await authorize(step, REDIRECT, { password: 'nope' });
    expect(isPage(wrong) && wrong.html).toContain('role="alert"');
    expect(isPage(wrong) && wrong.html).toContain('data-page="login"');

    const step2 = await provider.beginLink({ institutionId: BANK, redirectUri: REDIRECT, state: 's2' });
    const badOtp = await authorize(step2, REDIRECT, { otp: '000000' });
    expect(isPage(badOtp) && badOtp.html).toContain('data-page="sca"');

    const step3 = await provider.beginLink({ institutionId: BANK, redirectUri: REDIRECT, state: 's3' });
    const denied = await authorize(step3, REDIRECT, { decision: 'deny' });
    const url = (denied as { redirect: string }).redirect;
    expect(new URL(url).searchParams.get('status')).toBe('rejected');
    await expect(provider.completeLink(pendingOf(step3), { kind: 'callback', url })).rejects.toMatchObject({ code: 'cancelled', info: { providerCode: 'access_denied' } });
    const p = pendingOf(step3);
    const gone = await fetch(`${server.url}/consent-resources/api/user/id/${p.userId}/consent/${p.consentId}`, { headers: { 'api-clientID': config.clientId, 'api-clientSecret': config.clientSecret } });
    expect(gone.status).toBe(404);
  });

  it('an SCA step left too long ends on an error page whose link returns to the app → link_expired', async () => {
    const step = await provider.beginLink({ institutionId: BANK, redirectUri: REDIRECT, state: 'slow' });
    if (step.kind !== 'redirect') throw new Error('redirect expected');
    const b = new MiniBrowser((u) => u.startsWith(REDIRECT));
    const login = ledger.logins().find((l) => l.bankId === BANK)!;
    const p = await b.request(step.url) as Page;
    const sca = await b.submit(p, '/login', { username: login.username, password: login.password, decision: 'submit' }) as Page;
    world.clock.advance(6 * 60_000);
    const late = await b.submit(sca, '/sca', { otp: DEMO_SCA_CODE, decision: 'submit' }) as Page;
    expect(late.html).toContain('data-page="error"');
    const back = /id="back" href="([^"]+)"/.exec(late.html)![1].replace(/&amp;/g, '&');
    expect(back.startsWith(REDIRECT)).toBe(true);
    await expect(provider.completeLink(step.pending, { kind: 'callback', url: back })).rejects.toMatchObject({ code: 'link_expired', info: { providerCode: 'sca_timeout' } });
  });

  it('a failed update → bank_unavailable with the provider code; the consent stays active', async () => {
    const c = await link();
    const ctx = ctxFor(c);
    control('fail-next-update', { error: 'BANK_TIMEOUT' });
    await expect(provider.refreshConnection(ctx, { userPresent: true })).rejects.toMatchObject({ code: 'bank_unavailable', info: { providerCode: 'BANK_TIMEOUT' } });
    expect((await provider.consent(ctx)).state).toBe('active');
  });

  it('the consent expiring mid-update fails the update → consent_expired; renewal keeps the user, same IBANs, no duplicate transactions', async () => {
    const c = await link();
    const ctx = ctxFor(c);
    await provider.refreshConnection(ctx, { userPresent: true });
    const before = await provider.listAccounts(ctx);
    const acc = before.find((a) => a.type === 'current')!;
    const firstRows = (await allPages(provider, ctx, acc.remoteId, EVERYTHING)).rows;

    world.clock.advance(31_000);
    control('settings', { laterUpdateMs: 20_000 });
    try {
      // the consent lapses while the bank is being asked (the update reported in progress)
      let expired = false;
      const onProgress = (m: string) => {
        if (!expired && m.includes('fetching new transactions')) { expired = true; control('expire', { consentId: c.remote.consentId }); }
      };
      await expect(provider.refreshConnection(ctx, { userPresent: true, onProgress })).rejects.toMatchObject({ code: 'consent_expired' });
      expect(expired).toBe(true);
    } finally { control('settings', { laterUpdateMs: 100 }); }
    const consent = await provider.consent(ctx);
    expect(consent.state).toBe('expired');

    const step = await provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'renew' });
    const back = await authorize(step);
    const done = await provider.completeLink(pendingOf(step), { kind: 'callback', url: (back as { redirect: string }).redirect });
    if (done.kind !== 'done') throw new Error('expected done');
    expect(done.connection.remote.userId).toBe(c.remote.userId);
    expect(done.connection.remote.consentId).not.toBe(c.remote.consentId);
    // the old consent (and its data) is gone at Banqware
    const old = await fetch(`${server.url}/consent-resources/api/user/id/${c.remote.userId}/consent/${c.remote.consentId}`, { headers: { 'api-clientID': config.clientId, 'api-clientSecret': config.clientSecret } });
    expect(old.status).toBe(404);
    const ctx2 = ctxFor(done.connection);
    world.clock.advance(31_000);
    await provider.refreshConnection(ctx2, { userPresent: true });
    const after = await provider.listAccounts(ctx2);
    const same = after.find((a) => a.iban === acc.iban && a.currency === acc.currency)!;
    expect(same).toBeTruthy();
    const secondRows = (await allPages(provider, ctx2, same.remoteId, EVERYTHING)).rows;
    const firstIds = new Set(firstRows.map((t) => t.remoteId));
    expect(secondRows.filter((t) => firstIds.has(t.remoteId)).length).toBe(firstRows.length);
  });

  it('a revoked consent → consent_revoked; remove deletes the consent and its data', async () => {
    const c = await link();
    const ctx = ctxFor(c);
    await provider.refreshConnection(ctx, { userPresent: true });
    control('revoke', { consentId: c.remote.consentId });
    await expect(provider.refreshConnection(ctx, { userPresent: false })).rejects.toMatchObject({ code: 'consent_revoked' });
    await provider.remove(ctx);
    expect((await provider.consent(ctx)).state).toBe('revoked');
    await expect(provider.listAccounts(ctx)).rejects.toMatchObject({ code: 'consent_revoked' });
    await expect(provider.remove(ctx)).resolves.toBeUndefined();
  });

  it('posts update status changes to a registered callback URL', async () => {
    const got: Array<Record<string, string>> = [];
    const sink = http.createServer((req, res) => { let b = ''; req.on('data', (d) => (b += d)); req.on('end', () => { got.push(JSON.parse(b)); res.end(); }); });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const cb = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/banqware`;
    try {
      const c = await link();
      const h = { 'content-type': 'application/json', 'api-clientID': config.clientId, 'api-clientSecret': config.clientSecret };
      const urls = control('state').tenant as { redirectUrls: string[] };
      await fetch(`${server.url}/management-resources/api/tenant/urls`, { method: 'PUT', headers: h, body: JSON.stringify({ redirectUrls: urls.redirectUrls, updateCallbackUrls: [cb] }) });
      const bad = await fetch(`${server.url}/update-resources/api/user/id/${c.remote.userId}/consent/${c.remote.consentId}/update`, { method: 'POST', headers: h, body: JSON.stringify({ callbackUrl: 'http://127.0.0.1:1/other' }) });
      expect(bad.status).toBe(400);
      // the callbacks are posted on real timers: a short first update here
      control('settings', { firstUpdateMs: 400 });
      const r = await fetch(`${server.url}/update-resources/api/user/id/${c.remote.userId}/consent/${c.remote.consentId}/update`, { method: 'POST', headers: h, body: JSON.stringify({ callbackUrl: cb }) });
      expect(r.status).toBe(201);
      await vi.waitFor(() => expect(got.map((g) => g.status)).toContain('completed'), { timeout: 20_000, interval: 50 });
    } finally { sink.close(); control('settings', { firstUpdateMs: 10_000 }); }
  });

  it('5xx is retried on reads, malformed bodies → bad_response, no data before the first update', async () => {
    const c = await link();
    const ctx = ctxFor(c);
    expect(await provider.listAccounts(ctx)).toEqual([]);
    await provider.refreshConnection(ctx, { userPresent: true });
    world.faults.add('banqware', { kind: 'server_error', status: 502 }, 1);
    expect((await provider.listAccounts(ctx)).length).toBeGreaterThan(0);
    world.faults.add('banqware', { kind: 'malformed' }, 1);
    await expect(provider.listAccounts(ctx)).rejects.toMatchObject({ code: 'bad_response' });
    world.faults.add('banqware', { kind: 'rate_limit', retryAfterSec: 1 }, 1);
    expect((await provider.consent(ctx)).state).toBe('active');
  });
});
