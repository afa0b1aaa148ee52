// The Powens client against the Powens emulator over real HTTP: every link flow and connection state.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, type LinkStep } from '../../../../main/providers/provider.js';
import type { PowensProvider } from '../../../../main/providers/powens/index.js';
import { browse, contextFor, drive, REDIRECT, startPowens } from './harness.js';
import { allPages } from '../pages.js';

type Env = Awaited<ReturnType<typeof startPowens>>;
const DAY = 86_400_000;

async function rejects(p: Promise<unknown>, code: string): Promise<ProviderError> {
  try { await p; } catch (e) {
    expect(e).toBeInstanceOf(ProviderError);
    expect((e as ProviderError).code).toBe(code);
    return e as ProviderError;
  }
  throw new Error(`expected ${code}, it resolved`);
}

async function linkWebauth(env: Env, bank = env.webauthBank, opts: { secondary?: Record<string, string> } = {}) {
  const login = env.loginOf(bank);
  const step = await env.provider.beginLink({ institutionId: bank.uuid, redirectUri: REDIRECT, state: 'state-1' });
  const linked = await drive(env.provider, step, { username: login.username, password: login.password }, opts);
  return { linked, ctx: contextFor(linked), login };
}

async function linkCredentials(env: Env, bank = env.scaBank) {
  const login = env.loginOf(bank);
  const step = await env.provider.beginLink({ institutionId: bank.uuid, redirectUri: REDIRECT, state: 'state-2' });
  const linked = await drive(env.provider, step, { username: login.username, password: login.password });
  return { linked, ctx: contextFor(linked), login };
}

/** the whole history of an account */
const EVERYTHING = { from: '2000-01-01', to: '2030-12-31' };

describe('Powens client against the emulator', () => {
  let env: Env;
  beforeEach(async () => { env = await startPowens(); });
  afterEach(() => env.close());

  it('lists the connectors, searchable, with their auth mechanisms in priority order', async () => {
    const all = await env.provider.listInstitutions('');
    expect(all.map((i) => i.id).sort()).toEqual(env.connectors.map((c) => c.uuid).sort());
    expect(all.find((i) => i.id === env.webauthBank.uuid)?.methods).toEqual(['webauth', 'credentials']);
    const found = await env.provider.listInstitutions(env.scaBank.bank.name.slice(0, 6).toUpperCase());
    expect(found.map((i) => i.id)).toContain(env.scaBank.uuid);
    expect(await env.provider.listInstitutions('no such bank anywhere')).toEqual([]);
  });

  it('checkConfig proves the client secret and leaves no user behind; a wrong secret is auth_failed', async () => {
    await env.provider.checkConfig();
    expect(env.control('connections')).toEqual([]);
    const { PowensProvider: P } = await import('../../../../main/providers/powens/index.js');
    const wrong = new P({ ...env.config, clientSecret: 'nope' }, {});
    await rejects(wrong.checkConfig(), 'auth_failed');
  });

  it('links through webauth: state comes back, the temporary token becomes permanent, accounts arrive disabled and are activated', async () => {
    const login = env.loginOf(env.webauthBank);
    const step = await env.provider.beginLink({ institutionId: env.webauthBank.uuid, redirectUri: REDIRECT, state: 'opaque-state' });
    expect(step.kind).toBe('redirect');
    const url = new URL((step as Extract<LinkStep, { kind: 'redirect' }>).url);
    expect(url.pathname).toBe('/webauth');
    expect(url.searchParams.get('state')).toBe('opaque-state');
    expect(url.searchParams.get('source')).toBe('openapi');
    const tempToken = String(step.kind === 'redirect' && step.pending.token);
    const callback = await browse(url.toString(), { username: login.username, password: login.password });
    const cb = new URL(callback);
    expect(cb.protocol).toBe('multibank:');
    expect(cb.searchParams.get('state')).toBe('opaque-state');
    expect(cb.searchParams.get('id_connection')).toMatch(/^\d+$/);

    // the second source (credentials, priority 2) is offered, optional; skipping it finishes the link
    const next = await env.provider.completeLink((step as any).pending, { kind: 'callback', url: callback });
    expect(next.kind).toBe('form');
    if (next.kind !== 'form') return;
    expect(next.fields.map((f) => f.name)).toEqual(['login', 'password']);
    expect(next.fields.every((f) => !f.required)).toBe(true);
    const done = await env.provider.completeLink(next.pending, { kind: 'form', values: { login: '', password: '' } });
    expect(done.kind).toBe('done');
    if (done.kind !== 'done') return;
    expect(done.connection.remote.connectionId).toBe(cb.searchParams.get('id_connection'));
    expect(done.connection.secrets.token).toBeTruthy();
    expect(done.connection.secrets.token).not.toBe(tempToken);
    expect(done.connection.consent.state).toBe('active');
    expect(done.connection.institutionName).toBe(env.webauthBank.name);

    // the temporary token was spent in the exchange
    const res = await fetch(`${env.server.url}/users/me`, { headers: { authorization: `Bearer ${tempToken}` } });
    expect(res.status).toBe(401);

    const ctx = contextFor(done.connection);
    const accounts = await env.provider.listAccounts(ctx);
    const ledgerAccounts = env.ledger.accounts({ bankId: env.webauthBank.bank.id, username: login.username }).filter((a) => a.type !== 'savings');
    expect(accounts.map((a) => a.iban).sort()).toEqual(ledgerAccounts.map((a) => a.iban).sort());
    expect(accounts.every((a) => a.enabled === false)).toBe(true);
    for (const a of accounts) {
      const la = ledgerAccounts.find((x) => x.iban === a.iban)!;
      expect(a.currency).toBe(la.currency);
      expect(a.balanceCurrent).toBe(env.ledger.balance(la.id));
      expect(a.balanceAvailable).toBe(env.ledger.availableBalance(la.id));
    }
    // disabled accounts carry no transactions
    expect((await allPages(env.provider, ctx, accounts[0].remoteId, EVERYTHING)).rows).toEqual([]);

    await env.provider.selectAccounts(ctx, [accounts[0].remoteId]);
    const after = await env.provider.listAccounts(ctx);
    expect(after.filter((a) => a.enabled).map((a) => a.remoteId)).toEqual([accounts[0].remoteId]);
    expect(after.find((a) => a.enabled)!.balanceCurrentDate).toBe('2026-11-20');
    await rejects(env.provider.selectAccounts(ctx, ['999999']), 'not_found');
  });

  it('offers the second source as a skippable step that says in plain words what it adds, and skipping it finishes the link', async () => {
    const login = env.loginOf(env.webauthBank);
    const first = await env.provider.beginLink({ institutionId: env.webauthBank.uuid, redirectUri: REDIRECT, state: 'state-3' });
    if (first.kind !== 'redirect') throw new Error(`expected a redirect, got ${first.kind}`);
    const second = await env.provider.completeLink(first.pending, { kind: 'callback', url: await browse(first.url, { username: login.username, password: login.password }) });
    if (second.kind !== 'form') throw new Error(`expected a form, got ${second.kind}`);
    expect(second.skippable).toBe(true);
    expect(second.fields.every((f) => !f.required)).toBe(true);
    const bank = env.webauthBank.bank.name;
    expect(second.message).toBe(`${bank} may have more accounts (for example savings) that the access you just approved does not share. `
      + `To add them too, sign in here with your ${bank} online-banking login; Powens then reads those accounts for you. This is optional: Skip keeps the accounts you have approved.`);
    expect(second.message).not.toMatch(/directaccess|source/i);
    const done = await env.provider.completeLink(second.pending, { kind: 'form', values: {} });
    expect(done.kind).toBe('done');
    expect(env.control('connections')[0].sources).toEqual(['openapi']);
  });

  it('adds the second source in priority order through its credentials form', async () => {
    const login = env.loginOf(env.webauthBank);
    const { ctx } = await linkWebauth(env, env.webauthBank, { secondary: { login: login.username, password: login.password } });
    const accounts = await env.provider.listAccounts(ctx);
    const ledgerAccounts = env.ledger.accounts({ bankId: env.webauthBank.bank.id, username: login.username });
    expect(accounts.map((a) => a.iban).sort()).toEqual(ledgerAccounts.map((a) => a.iban).sort());
    const summary = env.control('connections')[0];
    expect(summary.sources).toEqual(['openapi', 'directaccess']);
  });

  it('fetches every transaction page by page with exact amounts, pending and booked, within the window', async () => {
    const { ctx, login } = await linkWebauth(env);
    const accounts = await env.provider.listAccounts(ctx);
    await env.provider.selectAccounts(ctx, accounts.map((a) => a.remoteId));
    for (const a of accounts) {
      const la = env.ledger.accounts({ bankId: env.webauthBank.bank.id, username: login.username }).find((x) => x.iban === a.iban)!;
      const expected = env.ledger.transactions(la.id);
      const { rows: transactions } = await allPages(env.provider, ctx, a.remoteId, EVERYTHING);
      expect(transactions.length).toBe(expected.length);
      expect(new Set(transactions.map((t) => t.remoteId)).size).toBe(transactions.length);
      const byKey = (t: { bookingDate: string; amount: number; description: string }) => `${t.bookingDate}|${t.amount}|${t.description}`;
      expect(transactions.map(byKey).sort()).toEqual(expected.map((t) => byKey({ bookingDate: t.bookingDate, amount: t.amountMinor, description: t.description })).sort());
      expect(transactions.every((t) => t.currency === la.currency)).toBe(true);
      expect(transactions.filter((t) => t.status === 'pending').length).toBe(expected.filter((t) => t.status === 'pending').length);
    }
    // a narrow window
    const first = accounts[0];
    const { rows: transactions } = await allPages(env.provider, ctx, first.remoteId, { from: '2026-10-01', to: '2026-10-31' });
    expect(transactions.length).toBeGreaterThan(0);
    expect(transactions.every((t) => t.bookingDate >= '2026-10-01' && t.bookingDate <= '2026-10-31')).toBe(true);
  });

  it('follows the _links paging across several pages and never leaves its own host', async () => {
    const { ctx } = await linkWebauth(env);
    const accounts = await env.provider.listAccounts(ctx);
    await env.provider.selectAccounts(ctx, accounts.map((a) => a.remoteId));
    const current = accounts.find((a) => a.type === 'current')!;
    // more than one page: 1200 more transactions today
    const la = env.ledger.accounts().find((x) => x.iban === current.iban)!;
    (env.ledger as any).addTransactions(la.id, 1200);
    await env.provider.refreshConnection(ctx, { userPresent: true });
    const { rows: transactions, pages } = await allPages(env.provider, ctx, current.remoteId, EVERYTHING);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(transactions.length).toBe(env.ledger.transactions(la.id).length);
    expect(new Set(transactions.map((t) => t.remoteId)).size).toBe(transactions.length);
    const evil = JSON.stringify({ href: 'https://evil.example/users/me/transactions', currency: 'EUR' });
    await rejects(env.provider.fetchTransactions(ctx, current.remoteId, { from: '2020-01-01', to: '2030-01-01', cursor: evil }), 'bad_response');
    await rejects(env.provider.fetchTransactions(ctx, current.remoteId, { from: '2020-01-01', to: '2030-01-01', cursor: 'garbage' }), 'validation');
  });

  it('new transactions appear only after a sync (Powens serves what it last fetched)', async () => {
    const { ctx } = await linkWebauth(env);
    const accounts = await env.provider.listAccounts(ctx);
    await env.provider.selectAccounts(ctx, accounts.map((a) => a.remoteId));
    const current = accounts.find((a) => a.type === 'current')!;
    const la = env.ledger.accounts().find((x) => x.iban === current.iban)!;
    const before = (await allPages(env.provider, ctx, current.remoteId, EVERYTHING)).rows.length;
    env.world.clock.advance(60_000);
    (env.ledger as any).addTransactions(la.id, 3);
    // a background refresh does not force the bank: nothing new yet
    expect((await env.provider.refreshConnection(ctx, { userPresent: false })).state).toBe('active');
    expect((await allPages(env.provider, ctx, current.remoteId, EVERYTHING)).rows.length).toBe(before);
    expect((await env.provider.refreshConnection(ctx, { userPresent: true })).state).toBe('active');
    expect((await allPages(env.provider, ctx, current.remoteId, EVERYTHING)).rows.length).toBe(before + 3);
  });

  it('a wrong password is wrong_credentials and leaves no connection; the same form then succeeds', async () => {
    const login = env.loginOf(env.scaBank);
    const step = await env.provider.beginLink({ institutionId: env.scaBank.uuid, redirectUri: REDIRECT, state: 's' });
    expect(step.kind).toBe('form');
    if (step.kind !== 'form') return;
    expect(step.fields.map((f) => [f.name, f.type, f.required])).toEqual([['login', 'text', true], ['password', 'password', true]]);
    expect(step.fields[0].regex).toBeTruthy();
    const e = await rejects(env.provider.completeLink(step.pending, { kind: 'form', values: { login: login.username, password: 'wrong' } }), 'wrong_credentials');
    expect(e.info.providerCode).toBe('wrongpass');
    expect(env.control('connections')).toEqual([]);
    const done = await env.provider.completeLink(step.pending, { kind: 'form', values: { login: login.username, password: login.password } });
    expect(done.kind).toBe('done');
    expect(env.control('connections')).toHaveLength(1);
  });

  it('a cancel at the bank is `cancelled`; a refused login page can be retried', async () => {
    const step = await env.provider.beginLink({ institutionId: env.expiringBank.uuid, redirectUri: REDIRECT, state: 's' });
    if (step.kind !== 'redirect') throw new Error('expected redirect');
    const cb = await browse(step.url, { username: 'x', password: 'y', decision: 'cancel' });
    expect(new URL(cb).searchParams.get('error')).toBe('access_denied');
    await rejects(env.provider.completeLink(step.pending, { kind: 'callback', url: cb }), 'cancelled');
    await expect(browse(step.url, { username: 'x', password: 'y' })).rejects.toThrow(/did not redirect: 400/); // the single-use code is spent
    // a callback for another sign-in is refused
    await rejects(env.provider.completeLink(step.pending, { kind: 'callback', url: `${REDIRECT}?id_connection=1&state=other` }), 'link_expired');
  });

  it('asks for SCA on every third sync of the SCA bank; Renew completes it on the same connection', async () => {
    const { ctx, login } = await linkCredentials(env); // sync 1
    const accounts = await env.provider.listAccounts(ctx);
    await env.provider.selectAccounts(ctx, accounts.map((a) => a.remoteId));
    expect((await env.provider.refreshConnection(ctx, { userPresent: true })).state).toBe('active'); // 2
    const sca = await env.provider.refreshConnection(ctx, { userPresent: true }); // 3
    expect(sca).toMatchObject({ state: 'needs_user', providerCode: 'SCARequired' });
    const renewal = await env.provider.beginRenewal(ctx, { redirectUri: 'http://127.0.0.1:45678/callback', state: 'renew-1' });
    expect(renewal.kind).toBe('redirect');
    if (renewal.kind !== 'redirect') return;
    expect(new URL(renewal.url).searchParams.get('id_connection')).toBe(ctx.remote.connectionId);
    const cb = await browse(renewal.url, { username: login.username, password: login.password, otp: '123456' });
    expect(cb.startsWith('http://127.0.0.1:45678/callback?')).toBe(true);
    const done = await env.provider.completeLink(renewal.pending, { kind: 'callback', url: cb });
    expect(done.kind).toBe('done');
    if (done.kind !== 'done') return;
    expect(done.connection.remote).toEqual(ctx.remote);
    expect(done.connection.consent.state).toBe('active');
    expect((await env.provider.listAccounts(ctx)).map((a) => a.remoteId)).toEqual(accounts.map((a) => a.remoteId));
  });

  it('a consent that ends in a few days is expiring, then expired; renewal keeps accounts and transaction ids', async () => {
    const { ctx, linked, login } = await linkWebauth(env, env.expiringBank);
    expect(linked.consent.state).toBe('expiring');
    expect(Math.abs(Date.parse(linked.consent.expiresAt!) - env.world.clock.now().getTime() - 3 * DAY)).toBeLessThan(5_000);
    const accounts = await env.provider.listAccounts(ctx);
    await env.provider.selectAccounts(ctx, accounts.map((a) => a.remoteId));
    const before = await allPages(env.provider, ctx, accounts[0].remoteId, EVERYTHING);

    env.world.clock.advance(4 * DAY);
    expect((await env.provider.consent(ctx)).state).toBe('expired');
    const afterSync = await env.provider.refreshConnection(ctx, { userPresent: true });
    expect(afterSync).toMatchObject({ state: 'expired', providerCode: 'webauthRequired' });

    const renewal = await env.provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'r' });
    if (renewal.kind !== 'redirect') throw new Error('expected redirect');
    const done = await env.provider.completeLink(renewal.pending, { kind: 'callback', url: await browse(renewal.url, { username: login.username, password: login.password }) });
    if (done.kind !== 'done') throw new Error('expected done');
    expect(done.connection.consent.state).toBe('active');
    expect(Math.abs(Date.parse(done.connection.consent.expiresAt!) - env.world.clock.now().getTime() - 90 * DAY)).toBeLessThan(5_000);
    expect((await env.provider.listAccounts(ctx)).map((a) => [a.remoteId, a.enabled])).toEqual(accounts.map((a) => [a.remoteId, true]));
    const after = await allPages(env.provider, ctx, accounts[0].remoteId, EVERYTHING);
    const ids = new Set(after.rows.map((t) => t.remoteId));
    expect(ids.size).toBe(after.rows.length);
    for (const t of before.rows) expect(ids.has(t.remoteId)).toBe(true);
  });

  it('decoupled: a wait step, polled with resume until the bank app approves', async () => {
    const { ctx } = await linkCredentials(env);
    env.control('state', { connection: Number(ctx.remote.connectionId), state: 'decoupled' });
    expect((await env.provider.consent(ctx))).toMatchObject({ state: 'needs_user', providerCode: 'decoupled' });
    let step = await env.provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'd' });
    expect(step.kind).toBe('wait');
    step = await env.provider.completeLink((step as any).pending, { kind: 'poll' });
    expect(step.kind).toBe('wait');
    env.control('approve', { connection: Number(ctx.remote.connectionId) });
    step = await env.provider.completeLink((step as any).pending, { kind: 'poll' });
    expect(step.kind).toBe('done');
  });

  it('decoupled approval also happens by itself after a while (world clock)', async () => {
    const { ctx } = await linkCredentials(env);
    env.control('state', { connection: Number(ctx.remote.connectionId), state: 'decoupled' });
    const step = await env.provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'd' });
    env.world.clock.advance(6_000);
    expect((await env.provider.completeLink((step as any).pending, { kind: 'poll' })).kind).toBe('done');
  });

  it('additionalInformationNeeded: a form from the connection fields; a wrong code asks again', async () => {
    const { ctx } = await linkCredentials(env);
    env.control('state', { connection: Number(ctx.remote.connectionId), state: 'additionalInformationNeeded' });
    let step = await env.provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'i' });
    expect(step.kind).toBe('form');
    if (step.kind !== 'form') return;
    expect(step.fields).toEqual([expect.objectContaining({ name: 'otp', required: true, regex: '^\\d{6}$' })]);
    step = await env.provider.completeLink(step.pending, { kind: 'form', values: { otp: '000000' } });
    expect(step.kind).toBe('form');
    if (step.kind !== 'form') return;
    expect(step.message).toMatch(/not valid/);
    step = await env.provider.completeLink(step.pending, { kind: 'form', values: { otp: '123456' } });
    expect(step.kind).toBe('done');
    expect((await env.provider.consent(ctx)).state).toBe('active');
  });

  it('wrongpass: Renew asks for the credentials; a wrong one stays wrong_credentials, the right one resumes', async () => {
    const { ctx, login } = await linkCredentials(env);
    env.control('state', { connection: Number(ctx.remote.connectionId), state: 'wrongpass' });
    expect(await env.provider.consent(ctx)).toMatchObject({ state: 'needs_user', providerCode: 'wrongpass' });
    const step = await env.provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'w' });
    if (step.kind !== 'form') throw new Error('expected form');
    expect(step.fields.map((f) => f.name)).toEqual(['login', 'password']);
    await rejects(env.provider.completeLink(step.pending, { kind: 'form', values: { login: login.username, password: 'bad' } }), 'wrong_credentials');
    const done = await env.provider.completeLink(step.pending, { kind: 'form', values: { login: login.username, password: login.password } });
    expect(done.kind).toBe('done');
  });

  it('maps the remaining states: at the bank, temporary ones retried, and resumed by later syncs', async () => {
    const { ctx, login } = await linkCredentials(env);
    const id = Number(ctx.remote.connectionId);
    env.control('state', { connection: id, state: 'actionNeeded', message: 'Please accept the new terms on our website.' });
    expect(await env.provider.consent(ctx)).toEqual({ state: 'action_at_bank', expiresAt: expect.any(String), message: 'Please accept the new terms on our website.', providerCode: 'actionNeeded' });
    // still blocked after a sync; cleared at the bank (control), the next sync works
    expect((await env.provider.refreshConnection(ctx, { userPresent: true })).state).toBe('action_at_bank');
    env.control('state', { connection: id, state: null });

    env.control('state', { connection: id, state: 'passwordExpired' });
    expect((await env.provider.consent(ctx)).state).toBe('action_at_bank');
    const pw = await env.provider.beginRenewal(ctx, { redirectUri: REDIRECT, state: 'p' });
    if (pw.kind !== 'form') throw new Error('expected form');
    expect(pw.fields.map((f) => f.name)).toEqual(['password']);
    expect((await env.provider.completeLink(pw.pending, { kind: 'form', values: { password: login.password } })).kind).toBe('done');

    for (const state of ['rateLimiting', 'websiteUnavailable', 'bug', 'validating']) {
      env.control('state', { connection: id, state, count: 1 });
      expect(await env.provider.consent(ctx)).toMatchObject({ state: 'failing', providerCode: state });
      // one more sync still fails, the one after that clears it (count: 1)
      expect((await env.provider.refreshConnection(ctx, { userPresent: true })).providerCode).toBe(state);
      const cleared = await env.provider.refreshConnection(ctx, { userPresent: true });
      if (cleared.providerCode === 'SCARequired') {
        // the SCA bank's every-third-sync fell here; the state mapping is what matters
        expect(cleared.state).toBe('needs_user');
        env.control('state', { connection: id, state: null });
      } else expect(cleared.state).toBe('active');
    }
  });

  it('401 renews the token through /auth/renew, retries once and hands the new token to the vault', async () => {
    const { ctx } = await linkWebauth(env);
    const old = ctx.secrets.token;
    expect(env.control('revokeTokens', {}).revoked).toBeGreaterThan(0);
    const accounts = await env.provider.listAccounts(ctx);
    expect(accounts.length).toBeGreaterThan(0);
    expect(ctx.saved).toHaveLength(1);
    expect(ctx.secrets.token).not.toBe(old);
    const res = await fetch(`${env.server.url}/users/me`, { headers: { authorization: `Bearer ${old}` } });
    expect(res.status).toBe(401);
    // a renewal refused (wrong client secret) is auth_failed, and nothing is saved
    const { PowensProvider: P } = await import('../../../../main/providers/powens/index.js');
    const wrong = new P({ ...env.config, clientSecret: 'nope' }, {});
    env.control('revokeTokens', {});
    const ctx2 = contextFor({ ...ctx, consent: { state: 'active' }, institutionName: 'x' });
    await rejects(wrong.listAccounts(ctx2), 'auth_failed');
    expect(ctx2.saved).toEqual([]);
  });

  it('429 waits for Retry-After and retries; a long Retry-After surfaces as rate_limited with the delay', async () => {
    const { ctx } = await linkWebauth(env);
    env.world.faults.add('powens', { kind: 'rate_limit', retryAfterSec: 1 });
    const t0 = Date.now();
    expect((await env.provider.consent(ctx)).state).toBe('active');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    env.world.faults.add('powens', { kind: 'rate_limit', retryAfterSec: 120 });
    const e = await rejects(env.provider.consent(ctx), 'rate_limited');
    expect(e.info.retryAfterMs).toBe(120_000);
    // a forced sync (POST) is not repeated by itself
    env.world.faults.add('powens', { kind: 'rate_limit', retryAfterSec: 1 });
    await rejects(env.provider.refreshConnection(ctx, { userPresent: true }), 'rate_limited');
  });

  it('a malformed or drifted body is bad_response and nothing is half-done', async () => {
    const { ctx } = await linkWebauth(env);
    const accounts = await env.provider.listAccounts(ctx);
    await env.provider.selectAccounts(ctx, accounts.map((a) => a.remoteId));
    env.world.faults.add('powens', { kind: 'malformed' }, 3);
    await rejects(env.provider.listAccounts(ctx), 'bad_response');
    env.world.faults.clear();
    // a malformed answer to the credentials POST: nothing was created, the same form then succeeds
    const login = env.loginOf(env.scaBank);
    const step = await env.provider.beginLink({ institutionId: env.scaBank.uuid, redirectUri: REDIRECT, state: 'm' });
    if (step.kind !== 'form') throw new Error('expected form');
    const values = { login: login.username, password: login.password };
    env.world.faults.add('powens', { kind: 'malformed' });
    await rejects(env.provider.completeLink(step.pending, { kind: 'form', values }), 'bad_response');
    expect(env.control('connections')).toHaveLength(1); // only the first test link
    // the link's last step (the token exchange) answers garbage: no connection is handed over
    env.world.faults.add('powens', { kind: 'delay', delayMs: 1 }); // lets the credentials POST through
    env.world.faults.add('powens', { kind: 'malformed' });
    await rejects(env.provider.completeLink(step.pending, { kind: 'form', values }), 'bad_response');
    // a truncated body breaks the connection itself: a read is retried, and only then surfaces as network
    env.world.faults.add('powens', { kind: 'truncated' });
    expect((await env.provider.listAccounts(ctx)).length).toBe(accounts.length);
    env.world.faults.add('powens', { kind: 'truncated' }, 3);
    await rejects(env.provider.listAccounts(ctx), 'network');
  });

  it('accepts the seed spelling `token` from /auth/token/access', async () => {
    env.control('tokenSpelling', { spelling: 'token' });
    const { linked, ctx } = await linkCredentials(env);
    expect(linked.secrets.token).toBeTruthy();
    expect((await env.provider.listAccounts(ctx)).length).toBeGreaterThan(0);
  });

  it('remove deletes the connection and the Powens user; a connection deleted at Powens reads as revoked', async () => {
    const { ctx } = await linkWebauth(env);
    await env.provider.remove(ctx);
    expect(env.control('connections')).toEqual([]);
    const res = await fetch(`${env.server.url}/users/me`, { headers: { authorization: `Bearer ${ctx.secrets.token}` } });
    expect(res.status).toBe(401);

    const second = await linkCredentials(env);
    await fetch(`${env.server.url}/users/me/connections/${second.ctx.remote.connectionId}`, { method: 'DELETE', headers: { authorization: `Bearer ${second.ctx.secrets.token}` } });
    expect((await env.provider.consent(second.ctx)).state).toBe('revoked');
    await rejects(env.provider.listAccounts(second.ctx), 'consent_revoked');
    await env.provider.remove(second.ctx); // already gone: still fine
  });
});
