// The finAPI client against the finAPI emulator over real HTTP: linking through Web Form 2.0, accounts, paging,
// pending -> booked, token expiry mid-sync, 423, 429, malformed bodies, background updates, renewal and removal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../main/providers/provider.js';
import { createFinapiProvider, WEB_FORM_ERRORS } from '../../../../main/providers/finapi/index.js';
import { Browser, completeWebForm, contextFor, finishLink, link, REDIRECT, someLogin, startFinapi, type Env } from './harness.js';
import { allPages } from '../pages.js';

async function rejects(p: Promise<unknown>): Promise<ProviderError> {
  try { await p; } catch (e) { if (e instanceof ProviderError) return e; throw e; }
  throw new Error('expected a ProviderError');
}

describe('finAPI provider against the emulator', () => {
  let env: Env;
  beforeAll(async () => { env = await startFinapi({ options: { perPage: '25' } }); });
  afterAll(() => env.close());

  it('rejects wrong client credentials with auth_failed', async () => {
    await env.provider.checkConfig();
    const wrong = createFinapiProvider({ ...env.provider.config, clientSecret: 'nope' }, {});
    const e = await rejects(wrong.checkConfig());
    expect(e.code).toBe('auth_failed');
    expect(e.info.providerCode).toBe('invalid_client');
  });

  it('lists the demo banks as institutions', async () => {
    const all = await env.provider.listInstitutions('');
    expect(all.length).toBe(env.ledger.banks().length);
    const b = env.ledger.banks()[0];
    const found = await env.provider.listInstitutions(b.name);
    expect(found.map((x) => x.name)).toContain(b.name);
    expect(found[0].methods).toEqual(['XS2A']);
  });

  it('links through the web form: the redirect carries state, the connection is READY, consent active for 90 days', async () => {
    const { linked, back, step } = await link(env, someLogin(env.ledger), env.provider, 'st-abc');
    expect(step.kind === 'redirect' && new URL(step.url).searchParams.get('redirectUrl')).toBe(`${REDIRECT}?state=st-abc`);
    expect(new URL(back).searchParams.get('state')).toBe('st-abc');
    expect(linked.remote.userId).toBeTruthy();
    expect(linked.remote.bankConnectionId).toMatch(/^\d+$/);
    expect(linked.secrets.userPassword.length).toBeGreaterThanOrEqual(20);
    expect(linked.secrets.refreshToken).toBeTruthy();
    expect(linked.consent.state).toBe('active');
    const days = (Date.parse(linked.consent.expiresAt!) - env.world.clock.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
  });

  it('links when no institution is given (bank search inside the web form)', async () => {
    const login = someLogin(env.ledger, 1);
    const bank = env.ledger.banks().find((b) => b.id === login.bankId)!;
    const step = await env.provider.beginLink({ redirectUri: REDIRECT, state: 's2' });
    if (step.kind !== 'redirect') throw new Error('redirect expected');
    const back = await completeWebForm(step.url, { search: bank.name, bankName: bank.name, username: login.username, password: login.password, wrongPasswordFirst: true });
    expect(back.startsWith(REDIRECT)).toBe(true);
    const linked = await finishLink(env.provider, step, { kind: 'callback', url: back });
    expect(linked.institutionName).toBe(bank.name);
  });

  it('maps accounts with exact balances and fetches every booked and pending row page by page', async () => {
    const { ctx, login } = await link(env, someLogin(env.ledger, 2));
    const accounts = await env.provider.listAccounts(ctx);
    const demo = env.ledger.accounts({ bankId: login.bankId, username: login.username });
    expect(accounts.map((a) => a.iban).sort()).toEqual(demo.map((a) => a.iban).sort());
    for (const a of accounts) {
      const d = demo.find((x) => x.iban === a.iban)!;
      expect(a.currency).toBe(d.currency);
      expect(a.balanceCurrent).toBe(env.ledger.balance(d.id));
      expect(a.balanceAvailable).toBe(env.ledger.availableBalance(d.id));
      expect(a.type).toBe(d.type);
    }
    const acc = accounts[0];
    const d = demo.find((x) => x.iban === acc.iban)!;
    const from = '2000-01-01', to = env.world.clock.today();
    const { rows, pages } = await allPages(env.provider, ctx, acc.remoteId, { from, to });
    const ledgerRows = env.ledger.transactions(d.id);
    const booked = rows.filter((r) => r.status === 'booked');
    const pending = rows.filter((r) => r.status === 'pending');
    expect(booked.length).toBe(ledgerRows.filter((t) => t.status === 'booked').length);
    expect(pending.length).toBe(ledgerRows.filter((t) => t.status === 'pending').length);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(rows.map((r) => r.remoteId)).size).toBe(rows.length);
    // exact money: the sum of minor units equals the ledger's
    expect(booked.reduce((s, r) => s + r.amount, 0)).toBe(ledgerRows.filter((t) => t.status === 'booked').reduce((s, t) => s + t.amountMinor, 0));
    const sample = ledgerRows.find((t) => t.status === 'booked' && t.counterpartyName)!;
    const mapped = booked.find((r) => r.bookingDate === sample.bookingDate && r.amount === sample.amountMinor && r.description === sample.description)!;
    expect(mapped.counterpartyName).toBe(sample.counterpartyName);
    expect(mapped.counterpartyIban).toBe(sample.counterpartyIban);
    expect(mapped.currency).toBe(sample.currency);
    // a narrower window returns only rows inside it
    const win = await allPages(env.provider, ctx, acc.remoteId, { from: sample.bookingDate, to: sample.bookingDate });
    expect(win.rows.filter((r) => r.status === 'booked').every((r) => r.bookingDate === sample.bookingDate)).toBe(true);
  });

  it('maps pending rows with their own field names and sees them book as world time passes', async () => {
    // find a login whose accounts have pending rows
    const login = env.ledger.logins().find((l) => env.ledger.accounts({ bankId: l.bankId, username: l.username })
      .some((a) => env.ledger.transactions(a.id).some((t) => t.status === 'pending')));
    expect(login).toBeTruthy();
    const { ctx } = await link(env, login!);
    const accounts = await env.provider.listAccounts(ctx);
    const demo = env.ledger.accounts({ bankId: login!.bankId, username: login!.username });
    const d = demo.find((a) => env.ledger.transactions(a.id).some((t) => t.status === 'pending'))!;
    const acc = accounts.find((a) => a.iban === d.iban)!;
    const today = env.world.clock.today();
    const before = await allPages(env.provider, ctx, acc.remoteId, { from: '2000-01-01', to: today });
    const p = before.rows.filter((r) => r.status === 'pending');
    expect(p.length).toBeGreaterThan(0);
    expect(p[0].remoteId).toMatch(/^pending-\d+$/);
    const lp = env.ledger.transactions(d.id).find((t) => t.status === 'pending')!;
    const mp = p.find((r) => r.description === lp.description && r.amount === lp.amountMinor)!;
    expect(mp.counterpartyName).toBe(lp.counterpartyName);
    expect((mp.raw as Record<string, unknown>).counterpartyName).toBe(lp.counterpartyName);
    env.world.clock.advance(20 * 86_400_000);
    try {
      const after = await allPages(env.provider, ctx, acc.remoteId, { from: '2000-01-01', to: env.world.clock.today() });
      const stillPending = after.rows.filter((r) => r.status === 'pending');
      const ledgerNow = env.ledger.transactions(d.id);
      expect(stillPending.length).toBe(ledgerNow.filter((t) => t.status === 'pending').length);
      expect(after.rows.filter((r) => r.status === 'booked').length).toBe(ledgerNow.filter((t) => t.status === 'booked').length);
      expect(after.rows.filter((r) => r.status === 'booked').length).toBeGreaterThan(before.rows.filter((r) => r.status === 'booked').length);
    } finally {
      env.world.clock.advance(-20 * 86_400_000);
    }
  });

  it('takes the account currency for rows that have none', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 16));
    const [acc] = await env.provider.listAccounts(ctx);
    const seen: string[] = [];
    const p = env.make({ fetch: async (input, init) => {
      seen.push(new URL(String(input)).pathname);
      const r = await fetch(input, init);
      if (!String(input).includes('/api/v2/transactions')) return r;
      return new Response((await r.text()).replace(/"currency":"[A-Z]{3}"/g, '"currency":null'), { status: 200 });
    } });
    const page = await p.fetchTransactions(ctx, acc.remoteId, { from: '2000-01-01', to: env.world.clock.today(), cursor: null });
    expect(page.transactions.length).toBeGreaterThan(0);
    expect(page.transactions.every((t) => t.currency === acc.currency)).toBe(true);
    expect(seen).toContain(`/api/v2/accounts/${acc.remoteId}`);
  });

  it('renews an expired user token mid-sync through the refresh token, which rotates', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 3));
    const [acc] = await env.provider.listAccounts(ctx);
    const first = await env.provider.fetchTransactions(ctx, acc.remoteId, { from: '2000-01-01', to: env.world.clock.today(), cursor: null });
    const oldRefresh = ctx.secrets.refreshToken;
    await env.control('expireTokens');
    const second = await env.provider.fetchTransactions(ctx, acc.remoteId, { from: '2000-01-01', to: env.world.clock.today(), cursor: first.nextCursor });
    expect(second.transactions.length).toBeGreaterThan(0);
    expect(ctx.saves.length).toBeGreaterThan(0);
    expect(ctx.secrets.refreshToken).not.toBe(oldRefresh);
    // the old refresh token no longer works at finAPI (rotation)
    const res = await fetch(`${env.url}/api/v2/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: oldRefresh!, client_id: env.provider.config.clientId, client_secret: env.provider.config.clientSecret }) });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe('invalid_grant');
  });

  it('falls back to the password grant when the refresh token is refused', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 4));
    ctx.secrets.refreshToken = 'not-a-token';
    await env.control('expireTokens');
    const accounts = await env.provider.listAccounts(ctx);
    expect(accounts.length).toBeGreaterThan(0);
    expect(ctx.secrets.refreshToken).not.toBe('not-a-token');
  });

  it('waits out 423 LOCKED and then removes the connection; a user made for it alone goes too', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 5));
    await env.control('lock', { bankConnectionId: ctx.remote.bankConnectionId, ms: 150 });
    const t0 = Date.now();
    await env.provider.remove(ctx);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    const st = await env.control('state');
    expect(st.connections.some((c: { id: number }) => String(c.id) === ctx.remote.bankConnectionId)).toBe(false);
    expect(st.users).not.toContain(ctx.remote.userId);
    const e = await rejects(env.provider.consent(ctx));
    expect(e.code).toBe('consent_revoked');
  });

  it('retries a 429 within Retry-After, and surfaces a long one as rate_limited', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 6));
    env.world.faults.add('finapi', { kind: 'rate_limit', retryAfterSec: 1 });
    expect((await env.provider.listAccounts(ctx)).length).toBeGreaterThan(0);
    env.world.faults.add('finapi', { kind: 'rate_limit', retryAfterSec: 120 });
    const e = await rejects(env.provider.listAccounts(ctx));
    expect(e.code).toBe('rate_limited');
    expect(e.info.retryAfterMs).toBe(120_000);
  });

  it('turns a malformed or truncated page into bad_response and the next call works', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 7));
    const [acc] = await env.provider.listAccounts(ctx);
    const w = { from: '2000-01-01', to: env.world.clock.today(), cursor: null };
    // break the first page of transactions
    const original = globalThis.fetch;
    let calls = 0;
    const breaking = env.make({ fetch: async (input, init) => {
      const r = await original(input, init);
      if (String(input).includes('/api/v2/transactions') && calls++ === 0) return new Response('{"transactions": [{"id": 1, "amount": "12.5x"}], "paging": {}}', { status: 200 });
      return r;
    } });
    const e = await rejects(breaking.fetchTransactions(ctx, acc.remoteId, w));
    expect(e.code).toBe('bad_response');
    // an amount with more decimals than the currency allows is not rounded: that row is kept aside, the others are read
    calls = 0;
    const inexact = env.make({ fetch: async (input, init) => {
      const r = await original(input, init);
      if (!String(input).includes('/api/v2/transactions')) return r;
      return new Response((await r.text()).replace(/"amount":(-?\d+)(\.\d+)?/, '"amount":$1.001'), { status: 200 });
    } });
    const odd = await inexact.fetchTransactions(ctx, acc.remoteId, w);
    expect(odd.unreadable).toHaveLength(1);
    expect(odd.unreadable![0].reason).toMatch(/^Amount -?\d+\.001 has more decimals than [A-Z]{3} allows \(2\)$/);
    expect(odd.transactions.length).toBeGreaterThan(0);
    env.world.faults.add('finapi', { kind: 'malformed' });
    const e2 = await rejects(env.provider.listAccounts(ctx));
    expect(e2.code).toBe('bad_response');
    const ok = await env.provider.fetchTransactions(ctx, acc.remoteId, w);
    expect(ok.transactions.length).toBeGreaterThan(0);
  });

  it('refreshes in the background without PSU data, and with it when the user is present', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 8));
    const progress: string[] = [];
    const c1 = await env.provider.refreshConnection(ctx, { userPresent: false, onProgress: (m) => progress.push(m) });
    expect(c1.state).toBe('active');
    const psu = { ipAddress: '192.0.2.10', deviceOs: 'Linux 6', userAgent: 'Multibank-test' };
    const withPsu = env.make({ psu });
    const c2 = await withPsu.refreshConnection(ctx, { userPresent: true });
    expect(c2.state).toBe('active');
    const tasks = (await env.control('state')).tasks as Array<{ userPresent: boolean; psu: unknown }>;
    expect(tasks.at(-2)).toMatchObject({ userPresent: false, psu: null });
    expect(tasks.at(-1)).toMatchObject({ userPresent: true, psu });
    expect(progress.length).toBeGreaterThan(0);
  });

  it('a background refresh that needs the web form becomes needs_user (not an error), and renewal keeps the same remote ids', async () => {
    const { ctx, login } = await link(env, someLogin(env.ledger, 9));
    const before = await env.provider.listAccounts(ctx);
    await env.control('forceUpdate', { outcome: 'web_form_required' });
    const c = await env.provider.refreshConnection(ctx, { userPresent: false });
    expect(c).toMatchObject({ state: 'needs_user', providerCode: 'WEB_FORM_REQUIRED' });
    expect((await env.provider.consent(ctx)).state).toBe('needs_user');
    // the finAPI data stays readable meanwhile
    expect((await env.provider.listAccounts(ctx)).length).toBe(before.length);
    // Renew opens the web form the background update asked for, which also finishes that task
    const task = ((await env.control('state')).tasks as Array<{ id: string; status: string; webFormId: string | null }>).at(-1)!;
    expect(task).toMatchObject({ status: 'WEB_FORM_REQUIRED', webFormId: ctx.secrets.renewWebFormId });
    const step = await env.provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'renew-1' });
    if (step.kind !== 'redirect') throw new Error('redirect expected');
    expect(new URL(step.url).pathname).toBe(`/wf/${task.webFormId}`);
    const back = await completeWebForm(step.url, { username: login.username, password: login.password });
    expect(new URL(back).searchParams.get('state')).toBe('renew-1');
    const renewed = await finishLink(env.provider, step, { kind: 'callback', url: back });
    expect(renewed.remote).toEqual(ctx.remote);
    expect(renewed.secrets.renewWebFormId).toBeUndefined();
    expect(((await env.control('state')).tasks as Array<{ id: string; status: string }>).find((t) => t.id === task.id)!.status).toBe('COMPLETED');
    expect(renewed.consent.state).toBe('active');
    expect(Date.parse(renewed.consent.expiresAt!)).toBeGreaterThan(env.world.clock.now().getTime() + 89 * 86_400_000);
    const ctx2 = contextFor(renewed);
    expect((await env.provider.listAccounts(ctx2)).map((a) => a.remoteId)).toEqual(before.map((a) => a.remoteId));
    expect((await env.provider.refreshConnection(ctx2, { userPresent: false })).state).toBe('active');
  });

  it('an ended consent stops the refresh with consent_expired, and renewal brings it back', async () => {
    const { ctx, login } = await link(env, someLogin(env.ledger, 15));
    await env.control('expireConsent', { bankConnectionId: ctx.remote.bankConnectionId });
    const e = await rejects(env.provider.refreshConnection(ctx, { userPresent: false }));
    expect(e).toMatchObject({ code: 'consent_expired', info: { providerCode: 'WEB_FORM_REQUIRED' } });
    expect((await env.provider.consent(ctx)).state).toBe('expired');
    const step = await env.provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'renew-2' });
    if (step.kind !== 'redirect') throw new Error('redirect expected');
    const renewed = await finishLink(env.provider, step, { kind: 'callback', url: await completeWebForm(step.url, { username: login.username, password: login.password }) });
    expect(renewed.consent.state).toBe('active');
    expect((await env.provider.refreshConnection(contextFor(renewed), { userPresent: true })).state).toBe('active');
  });

  it('maps a revoked consent, a forced web-form requirement and task errors', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 10));
    await env.control('forceUpdate', { outcome: 'web_form_required' });
    expect((await env.provider.refreshConnection(ctx, { userPresent: true })).state).toBe('needs_user');
    await env.control('userActionRequired', { bankConnectionId: ctx.remote.bankConnectionId, value: false });
    await env.control('forceUpdate', { outcome: 'internal_error' });
    const e = await rejects(env.provider.refreshConnection(ctx, { userPresent: false }));
    expect(e.code).toBe('bank_unavailable');
    expect((await env.provider.consent(ctx)).state).toBe('failing');
    expect((await env.provider.refreshConnection(ctx, { userPresent: false })).state).toBe('active');
    await env.control('revokeConsent', { bankConnectionId: ctx.remote.bankConnectionId });
    expect((await env.provider.consent(ctx)).state).toBe('revoked');
    expect((await rejects(env.provider.refreshConnection(ctx, { userPresent: false }))).code).toBe('consent_revoked');
  });

  it('refuses a fifth unattended refresh a day as the bank would (PSD2 limit), but not a user-present one', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 11));
    for (let i = 0; i < 4; i++) expect((await env.provider.refreshConnection(ctx, { userPresent: false })).state).toBe('active');
    const e = await rejects(env.provider.refreshConnection(ctx, { userPresent: false }));
    expect(e.code).toBe('bank_unavailable');
    expect(e.info.providerCode).toBe('BANK_SERVER_REJECTION');
    expect((await env.provider.refreshConnection(ctx, { userPresent: true })).state).toBe('active');
  });

  it('reuses one finAPI user per install when given a user store, and reports ENTITY_EXISTS for a second link of the same login', async () => {
    let stored: { userId: string; userPassword: string } | null = null;
    const store = { load: () => stored, save: (u: { userId: string; userPassword: string }) => { stored = u; } };
    const p = env.make({ userStore: store });
    const login = someLogin(env.ledger, 12);
    const a = await link(env, login, p);
    expect(stored!.userId).toBe(a.linked.remote.userId);
    expect(a.linked.secrets.ownUser).toBeUndefined();
    const other = env.ledger.logins().find((l) => l.bankId !== login.bankId && env.ledger.accounts({ bankId: l.bankId, username: l.username }).length)!;
    const b = await link(env, other, p);
    expect(b.linked.remote.userId).toBe(a.linked.remote.userId);
    expect(b.linked.remote.bankConnectionId).not.toBe(a.linked.remote.bankConnectionId);
    // the same bank login again under the same user
    const step = await p.beginLink({ institutionId: a.linked.institutionId!, redirectUri: REDIRECT, state: 'dup' });
    if (step.kind !== 'redirect') throw new Error('redirect expected');
    const back = await completeWebForm(step.url, { username: login.username, password: login.password });
    const e = await rejects(finishLink(p, step, { kind: 'callback', url: back }));
    expect(e.code).toBe(WEB_FORM_ERRORS.ENTITY_EXISTS.code);
    expect(e.info.providerCode).toBe('ENTITY_EXISTS');
    // removing a connection of a shared user keeps the user
    await p.remove(a.ctx);
    expect((await env.control('state')).users).toContain(a.linked.remote.userId);
    // a stored user that finAPI no longer knows is replaced by a new one
    stored = { userId: 'gone-user', userPassword: 'whatever-123' };
    const c = await link(env, someLogin(env.ledger, 13), p);
    expect(c.linked.remote.userId).not.toBe('gone-user');
    expect(stored!.userId).toBe(c.linked.remote.userId);
  });

  describe('every web form outcome', () => {
    async function begin() {
      const login = someLogin(env.ledger, 14);
      const bank = env.ledger.banks().find((b) => b.id === login.bankId)!;
      const [inst] = await env.provider.listInstitutions(bank.name);
      const step = await env.provider.beginLink({ institutionId: inst.id, redirectUri: REDIRECT, state: 'o' });
      if (step.kind !== 'redirect') throw new Error('redirect expected');
      return { step, login };
    }

    it('NOT_YET_OPENED / IN_PROGRESS give wait steps', async () => {
      const { step } = await begin();
      const w = await env.provider.completeLink(step.pending, { kind: 'poll' });
      expect(w.kind).toBe('wait');
      await new Browser().go(step.url);
      const w2 = await env.provider.completeLink(step.pending, { kind: 'poll' });
      expect(w2).toMatchObject({ kind: 'wait', message: 'Waiting for you to finish in the finAPI web form…', notice: { id: 'link.finapi.web_form' } });
    });

    it('ABORTED (Cancel) -> cancelled, at every step', async () => {
      for (const at of ['login', 'sca', 'accounts'] as const) {
        const { step, login } = await begin();
        const back = await completeWebForm(step.url, { username: login.username, password: login.password, cancelAt: at });
        expect(new URL(back).searchParams.get('state')).toBe('o');
        const e = await rejects(env.provider.completeLink(step.pending, { kind: 'callback', url: back }));
        expect(e.code).toBe('cancelled');
        expect(e.info.providerCode).toBe('ABORTED');
      }
    });

    it('EXPIRED -> link_expired', async () => {
      const { step } = await begin();
      await env.control('expireWebForms');
      const e = await rejects(env.provider.completeLink(step.pending, { kind: 'poll' }));
      expect(e.code).toBe('link_expired');
    });

    it('three wrong passwords -> BANK_SERVER_REJECTION -> wrong_credentials', async () => {
      const { step, login } = await begin();
      const browser = new Browser();
      const origin = new URL(step.url).origin, id = new URL(step.url).pathname.split('/').pop();
      await browser.go(step.url);
      let r: Awaited<ReturnType<Browser['go']>> = { html: '', url: '' };
      for (let i = 0; i < 3; i++) r = await browser.post(`${origin}/wf/${id}/login`, { username: login.username, password: 'bad', decision: 'submit' });
      expect('done' in r).toBe(true);
      const e = await rejects(env.provider.completeLink(step.pending, { kind: 'callback', url: (r as { done: string }).done }));
      expect(e.code).toBe('wrong_credentials');
      expect(e.info.providerCode).toBe('BANK_SERVER_REJECTION');
    });

    for (const code of Object.keys(WEB_FORM_ERRORS)) {
      it(`COMPLETED_WITH_ERROR ${code} -> ${WEB_FORM_ERRORS[code].code} with a clear message`, async () => {
        const { step, login } = await begin();
        await env.control('forceWebFormError', { errorCode: code });
        const back = await completeWebForm(step.url, { username: login.username, password: login.password });
        const e = await rejects(env.provider.completeLink(step.pending, { kind: 'callback', url: back }));
        expect(e.code).toBe(WEB_FORM_ERRORS[code].code);
        expect(e.message).toBe(WEB_FORM_ERRORS[code].message);
        expect(e.info.providerCode).toBe(code);
      });
    }
  });
});

describe('finAPI background update polling', () => {
  // its own emulator: the update runs 10 s of world time, and the client's waits move the world's clock (no real waiting)
  let env: Env;
  beforeAll(async () => { env = await startFinapi(); await env.control('updateDuration', { ms: 10_000 }); });
  afterAll(() => env.close());

  it('polls soon, then less often: the waits grow from 250 ms to the poll interval', async () => {
    const waits: number[] = [];
    const p = env.make({ sleep: async (ms) => { waits.push(ms); env.world.clock.advance(ms); } }, { pollIntervalMs: '1000' });
    const { ctx } = await link(env, someLogin(env.ledger), p);
    waits.length = 0;
    expect((await p.refreshConnection(ctx, { userPresent: true })).state).toBe('active');
    expect(waits.slice(0, 5)).toEqual([250, 400, 640, 1000, 1000]);
    expect(Math.max(...waits)).toBe(1000);
  });
});
