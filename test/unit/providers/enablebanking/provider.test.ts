// The Enable Banking client against the real emulator over HTTP: link through the bank's pages and a pasted HTTPS
// address, accounts and balances, booked and pending rows page by page, consent expiry, renewal, faults, removal.
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EnableBankingProvider } from '../../../../main/providers/enablebanking/index.js';
import { ProviderError } from '../../../../main/providers/provider.js';
import { ENABLEBANKING_PAGE_SIZE } from '../../../../sandbox/enablebanking/index.js';
import { allPages } from '../pages.js';
import { browse, contextFor, link, startEnableBanking } from './harness.js';

type Env = Awaited<ReturnType<typeof startEnableBanking>>;
const DAY = 86_400_000;
const WINDOW = { from: '2026-05-20', to: '2026-11-20' };

const codeOf = async (p: Promise<unknown>) => {
  try { await p; } catch (e) { return (e as ProviderError).code; }
  return 'resolved';
};

describe('Enable Banking client', () => {
  let env: Env;
  beforeEach(async () => { env = await startEnableBanking(); });
  afterEach(() => env.close());

  it('checks the configuration: a signed JWT, an active application, the redirect URL registered with it', async () => {
    await expect(env.provider.checkConfig()).resolves.toBeUndefined();
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(await codeOf(new EnableBankingProvider({ ...env.config, clientSecret: otherKey }, { now: () => env.world.clock.now() }).checkConfig())).toBe('auth_failed');
    // a key pasted into a one-line field (line breaks gone) still signs
    const oneLine = env.config.clientSecret.replace(/\n/g, ' ');
    await expect(new EnableBankingProvider({ ...env.config, clientSecret: oneLine }, { now: () => env.world.clock.now() }).checkConfig()).resolves.toBeUndefined();
    expect(await codeOf(new EnableBankingProvider({ ...env.config, clientSecret: 'not a key' }).checkConfig())).toBe('not_configured');
    const plainHttp = new EnableBankingProvider({ ...env.config, options: { redirectUrl: 'http://127.0.0.1/callback' } }, { now: () => env.world.clock.now() });
    await expect(plainHttp.checkConfig()).rejects.toThrow(/only https/);
    const unregistered = new EnableBankingProvider({ ...env.config, options: { redirectUrl: 'https://elsewhere.example/cb' } }, { now: () => env.world.clock.now() });
    await expect(unregistered.checkConfig()).rejects.toThrow(/not registered/);
  });

  it('lists the demo banks (ASPSPs) by name and country', async () => {
    const list = await env.provider.listInstitutions('');
    expect(list.map((b) => b.id)).toContain(env.institutionId);
    expect(await env.provider.listInstitutions(env.bank.name.slice(0, 4))).toEqual(expect.arrayContaining([expect.objectContaining({ id: env.institutionId, country: env.bank.country })]));
  });

  it('links for the bank\'s longest consent (never more) and reads accounts with balances', async () => {
    const linked = await link(env);
    expect(linked.institutionName).toBe(env.bank.name);
    expect(linked.consent.state).toBe('active');
    // the first demo bank allows 180 days: asked for that, less the clock margin, and nothing more
    const until = Date.parse(linked.consent.expiresAt!);
    const now = env.world.clock.now().getTime();
    expect(until).toBeLessThanOrEqual(now + 180 * DAY);
    expect(until).toBeGreaterThan(now + 180 * DAY - 15 * 60_000);
    const ctx = contextFor(linked);
    const accounts = await env.provider.listAccounts(ctx);
    const demo = env.ledger.accounts({ bankId: env.bank.id, username: env.loginOf().username });
    expect(accounts.map((a) => a.iban).sort()).toEqual(demo.map((a) => a.iban).sort());
    for (const a of accounts) {
      const d = demo.find((x) => x.iban === a.iban)!;
      expect(a).toMatchObject({ currency: d.currency, balanceCurrent: env.ledger.balance(d.id), balanceAvailable: env.ledger.availableBalance(d.id), balanceCurrentDate: '2026-11-20' });
    }
  });

  it('refuses a pasted address of another sign-in, of another site, or without a code; a cancel at the bank is "cancelled"', async () => {
    const step = await env.provider.beginLink({ institutionId: env.institutionId, redirectUri: '', state: 'mine' });
    if (step.kind !== 'redirect') throw new Error(step.kind);
    const landed = new URL(await browse(step.url, env.loginOf()));
    const other = new URL(landed); other.searchParams.set('state', 'theirs');
    expect(await codeOf(env.provider.completeLink(step.pending, { kind: 'callback', url: other.toString() }))).toBe('link_expired');
    const elsewhere = landed.toString().replace(landed.origin, 'https://evil.example');
    expect(await codeOf(env.provider.completeLink(step.pending, { kind: 'callback', url: elsewhere }))).toBe('validation');
    expect(await codeOf(env.provider.completeLink(step.pending, { kind: 'form', values: { url: 'not an address' } }))).toBe('validation');
    const noCode = new URL(landed); noCode.searchParams.delete('code');
    expect(await codeOf(env.provider.completeLink(step.pending, { kind: 'callback', url: noCode.toString() }))).toBe('validation');
    // the pasted address (form input) with its code finishes the link
    const done = await env.provider.completeLink(step.pending, { kind: 'form', values: { url: ` ${landed.toString()} ` } });
    expect(done.kind).toBe('done');

    const again = await env.provider.beginLink({ institutionId: env.institutionId, redirectUri: '', state: 's2' });
    if (again.kind !== 'redirect') throw new Error(again.kind);
    const cancelled = await browse(again.url, { ...env.loginOf(), decision: 'cancel' });
    expect(await codeOf(env.provider.completeLink(again.pending, { kind: 'callback', url: cancelled }))).toBe('cancelled');
  });

  it('reads booked and pending rows page by page (continuation_key), every row of the window once, signed by direction', async () => {
    const ctx = contextFor(await link(env));
    const accounts = await env.provider.listAccounts(ctx);
    const acc = accounts[0];
    const demoId = env.ledger.accounts().find((a) => a.iban === acc.iban)!.id;
    const expected = env.ledger.transactions(demoId, WINDOW);
    const { rows, pages } = await allPages(env.provider, ctx, acc.remoteId, WINDOW);
    expect(pages).toBe(Math.ceil(expected.length / ENABLEBANKING_PAGE_SIZE));
    expect(pages).toBeGreaterThan(1);
    expect(rows).toHaveLength(expected.length);
    expect(new Set(rows.map((r) => r.remoteId)).size).toBe(rows.length);
    expect(rows.map((r) => r.amount).sort()).toEqual(expected.map((t) => t.amountMinor).sort());
    const pending = expected.filter((t) => t.status === 'pending');
    expect(rows.filter((r) => r.status === 'pending')).toHaveLength(pending.length);
    expect(rows.filter((r) => r.status === 'booked').map((r) => r.remoteId).sort()).toEqual(expected.filter((t) => t.status === 'booked').map((t) => t.id).sort());
  });

  it('a bank that keeps less history refuses the window: its longest history is read instead, nothing after the window', async () => {
    const short = env.ledger.banks()[1]; // the emulator's 90-day bank
    const step = await env.provider.beginLink({ institutionId: `${short.country}:${short.name}`, redirectUri: '', state: 'short' });
    if (step.kind !== 'redirect') throw new Error(step.kind);
    const done = await env.provider.completeLink(step.pending, { kind: 'callback', url: await browse(step.url, env.loginOf(short.id)) });
    if (done.kind !== 'done') throw new Error(done.kind);
    const ctx = contextFor(done.connection);
    const acc = (await env.provider.listAccounts(ctx))[0];
    const demoId = env.ledger.accounts().find((a) => a.iban === acc.iban)!.id;
    const window = { from: '2026-05-20', to: '2026-11-10' };
    const { rows, pages } = await allPages(env.provider, ctx, acc.remoteId, window);
    const expected = env.ledger.transactions(demoId, { from: '2026-08-22', to: window.to });
    expect(pages).toBeGreaterThan(0);
    expect(rows.map((r) => r.amount).sort()).toEqual(expected.map((t) => t.amountMinor).sort());
    expect(rows.every((r) => r.bookingDate >= '2026-08-22' && r.bookingDate <= window.to)).toBe(true);
    expect(env.world.served.list('enablebanking').filter((e) => e.status === 422)).toHaveLength(1);
  });

  it('keeps a row it cannot read aside with its reason; the rest of the page is written', async () => {
    const ctx = contextFor(await link(env));
    const acc = (await env.provider.listAccounts(ctx))[0];
    env.world.faults.add('enablebanking', { kind: 'schema_drift', path: '/transactions', item: 0, field: 'credit_debit_indicator', value: '"SIDEWAYS"' });
    const page = await env.provider.fetchTransactions(ctx, acc.remoteId, { ...WINDOW, cursor: null });
    expect(page.unreadable).toHaveLength(1);
    expect(page.unreadable![0].reason).toMatch(/credit_debit_indicator/);
    expect(page.transactions).toHaveLength(ENABLEBANKING_PAGE_SIZE - 1);
    expect(page.nextCursor).not.toBeNull();
    env.world.faults.add('enablebanking', { kind: 'schema_drift', path: '/transactions', item: 1, field: 'transaction_amount' });
    const second = await env.provider.fetchTransactions(ctx, acc.remoteId, { ...WINDOW, cursor: null });
    expect(second.unreadable).toHaveLength(1);
    expect(second.unreadable![0].reason).toMatch(/transaction_amount/);
  });

  it('a consent that ends is "expired" and its data calls fail with consent_expired; a revoked one is "revoked"', async () => {
    const linked = await link(env);
    const ctx = contextFor(linked);
    const acc = (await env.provider.listAccounts(ctx))[0];
    env.world.clock.advance(175 * DAY);
    expect((await env.provider.consent(ctx)).state).toBe('expiring');
    env.control('expire', { session: ctx.remote.sessionId });
    env.world.clock.advance(1000);
    expect(await env.provider.refreshConnection(ctx, { userPresent: true })).toMatchObject({ state: 'expired', providerCode: 'EXPIRED' });
    expect(await codeOf(env.provider.fetchTransactions(ctx, acc.remoteId, { ...WINDOW, cursor: null }))).toBe('consent_expired');
    expect(await codeOf(env.provider.listAccounts(ctx))).toBe('consent_expired');
    const other = contextFor(await link(env));
    env.control('revoke', { session: other.remote.sessionId });
    expect((await env.provider.consent(other)).state).toBe('revoked');
    expect(await codeOf(env.provider.listAccounts(other))).toBe('consent_revoked');
  });

  it('renews as a new session: new account uids, same IBANs and the same ids for booked rows; the old session is closed', async () => {
    const first = contextFor(await link(env));
    const before = await env.provider.listAccounts(first);
    const rowsBefore = (await allPages(env.provider, first, before[0].remoteId, WINDOW)).rows;
    env.world.clock.advance(30 * DAY);
    const step = await env.provider.beginRenewal(first, { redirectUri: '', state: 'renew-1' });
    const renewed = contextFor(await link(env, step));
    expect(renewed.remote.sessionId).not.toBe(first.remote.sessionId);
    const after = await env.provider.listAccounts(renewed);
    expect(after.map((a) => a.iban).sort()).toEqual(before.map((a) => a.iban).sort());
    expect(after.map((a) => a.remoteId).filter((id) => before.some((b) => b.remoteId === id))).toEqual([]);
    const same = after.find((a) => a.iban === before[0].iban)!;
    const rowsAfter = (await allPages(env.provider, renewed, same.remoteId, WINDOW)).rows;
    const bookedBefore = rowsBefore.filter((r) => r.status === 'booked').map((r) => r.remoteId);
    const bookedAfter = new Set(rowsAfter.filter((r) => r.status === 'booked').map((r) => r.remoteId));
    expect(bookedBefore.every((id) => bookedAfter.has(id))).toBe(true);
    expect((await env.provider.consent(first)).state).toBe('revoked'); // CLOSED
    expect((await env.provider.consent(renewed)).state).toBe('active');
  });

  it('retries a 5xx and a short 429; many in a row surface as bank_unavailable / rate_limited', async () => {
    const ctx = contextFor(await link(env));
    const acc = (await env.provider.listAccounts(ctx))[0];
    env.world.faults.add('enablebanking', { kind: 'server_error', status: 503 });
    env.world.faults.add('enablebanking', { kind: 'rate_limit', retryAfterSec: 0 });
    expect((await env.provider.fetchTransactions(ctx, acc.remoteId, { ...WINDOW, cursor: null })).transactions.length).toBeGreaterThan(0);
    env.world.faults.add('enablebanking', { kind: 'server_error', status: 500 }, 3);
    expect(await codeOf(env.provider.fetchTransactions(ctx, acc.remoteId, { ...WINDOW, cursor: null }))).toBe('bank_unavailable');
    env.world.faults.add('enablebanking', { kind: 'rate_limit', retryAfterSec: 3600 });
    const e = await env.provider.fetchTransactions(ctx, acc.remoteId, { ...WINDOW, cursor: null }).catch((x: ProviderError) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect((e as ProviderError).code).toBe('rate_limited');
    expect((e as ProviderError).info.retryAfterMs).toBe(3_600_000);
  });

  it('remove deletes the session (twice is fine)', async () => {
    const ctx = contextFor(await link(env));
    await env.provider.remove(ctx);
    expect(env.control('sessions').find((s: any) => s.id === ctx.remote.sessionId).status).toBe('CLOSED');
    await expect(env.provider.remove(ctx)).resolves.toBeUndefined();
  });
});
