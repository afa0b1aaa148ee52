// What Powens' published contract says and the client must follow (issue 16): transactions from the published
// GET /users/me/transactions, no guessed currency, `state=null` on the webauth callback (seed 004), connection states
// added later, and credential values end-to-end encrypted (seed 004 + Powens' end-to-end encryption guide).
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PowensProvider } from '../../../../main/providers/powens/index.js';
import { ProviderError, type LinkStep } from '../../../../main/providers/provider.js';
import { openCredentials } from '../../../../sandbox/powens/e2ee.js';
import { allPages } from '../pages.js';
import { browse, contextFor, drive, REDIRECT, startPowens } from './harness.js';

type Env = Awaited<ReturnType<typeof startPowens>>;
const EVERYTHING = { from: '2000-01-01', to: '2030-12-31' };

interface Sent { method: string; path: string; body: string }

describe('Powens client against the published contract', () => {
  let env: Env;
  let sent: Sent[];
  let edit: ((path: string, body: any) => any) | null;
  const recording: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    sent.push({ method: (init?.method ?? 'GET').toUpperCase(), path: url.pathname, body: typeof init?.body === 'string' ? init.body : '' });
    const res = await fetch(input, init);
    if (!edit || !res.headers.get('content-type')?.includes('json') || res.status >= 300) return res;
    return new Response(JSON.stringify(edit(url.pathname, JSON.parse(await res.text()))), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
  beforeEach(async () => { sent = []; edit = null; env = await startPowens({ fetch: recording }); });
  afterEach(() => env.close());

  async function linked(bank = env.webauthBank) {
    const login = env.loginOf(bank);
    const step = await env.provider.beginLink({ institutionId: bank.uuid, redirectUri: REDIRECT, state: 'st' });
    const ctx = contextFor(await drive(env.provider, step, { username: login.username, password: login.password }));
    const accounts = await env.provider.listAccounts(ctx);
    await env.provider.selectAccounts(ctx, accounts.map((a) => a.remoteId));
    await env.provider.refreshConnection(ctx, { userPresent: true });
    return { ctx, login, accounts };
  }

  it('reads transactions from GET /users/me/transactions, keeping only the asked account\'s rows', async () => {
    const { ctx, login, accounts } = await linked(env.scaBank);
    expect(accounts.length).toBeGreaterThan(1);
    for (const a of accounts) {
      sent.length = 0;
      const { rows } = await allPages(env.provider, ctx, a.remoteId, EVERYTHING);
      expect(sent.filter((s) => /transactions/.test(s.path)).map((s) => s.path)).toEqual(expect.arrayContaining(['/users/me/transactions']));
      expect(sent.some((s) => /\/accounts\/\d+\/transactions/.test(s.path))).toBe(false);
      const ledger = env.ledger.accounts({ bankId: env.scaBank.bank.id, username: login.username }).find((x) => x.iban === a.iban)!;
      expect(rows.length).toBe(env.ledger.transactions(ledger.id).length);
      expect(rows.every((r) => (r.raw as { id_account: unknown }).id_account === a.remoteId)).toBe(true);
    }
  });

  it('an account without a currency is left out (never EUR); the others are listed and read', async () => {
    const { ctx, accounts } = await linked(env.scaBank);
    const [gone, ...kept] = accounts;
    edit = (path, body) => {
      for (const a of [...(body.all_accounts ?? []), ...(body.accounts ?? []), body]) if (String(a?.id) === gone.remoteId && 'currency' in a) a.currency = null;
      return body;
    };
    const fresh = new PowensProvider(env.config, { now: () => env.world.clock.now(), fetch: recording });
    expect((await fresh.listAccounts(ctx)).map((a) => a.remoteId)).toEqual(kept.map((a) => a.remoteId));
    const e = await fresh.fetchTransactions(ctx, gone.remoteId, { ...EVERYTHING, cursor: null }).catch((x) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e).toMatchObject({ code: 'bad_response', message: expect.stringMatching(/no currency/) });
    expect((await allPages(fresh, ctx, kept[0].remoteId, EVERYTHING)).rows.length).toBeGreaterThan(0);
  });

  it('a webauth callback with the literal state=null (seed 004) completes the link', async () => {
    const login = env.loginOf(env.expiringBank);
    const step = await env.provider.beginLink({ institutionId: env.expiringBank.uuid, redirectUri: REDIRECT, state: 'ours' });
    if (step.kind !== 'redirect') throw new Error('expected a redirect');
    const back = new URL(await browse(step.url, { username: login.username, password: login.password }));
    back.searchParams.set('state', 'null');
    const done = await env.provider.completeLink(step.pending, { kind: 'callback', url: back.toString() });
    expect(done.kind).toBe('done');
    // another state is still refused
    const again = await env.provider.beginLink({ institutionId: env.expiringBank.uuid, redirectUri: REDIRECT, state: 'ours' });
    if (again.kind !== 'redirect') throw new Error('expected a redirect');
    const other = new URL(await browse(again.url, { username: login.username, password: login.password }));
    other.searchParams.set('state', 'theirs');
    await expect(env.provider.completeLink(again.pending, { kind: 'callback', url: other.toString() })).rejects.toMatchObject({ code: 'link_expired' });
  });

  it('a connection state Powens adds later: the link finishes, the consent is failing with the raw state', async () => {
    edit = (path, body) => (/\/users\/me\/connections(\/\d+)?$/.test(path) && 'state' in body ? { ...body, state: 'brandNewState' } : body);
    const login = env.loginOf(env.expiringBank);
    const step = await env.provider.beginLink({ institutionId: env.expiringBank.uuid, redirectUri: REDIRECT, state: 'st' });
    const linkedConn = await drive(env.provider, step, { username: login.username, password: login.password });
    expect(linkedConn.consent).toMatchObject({ state: 'failing', providerCode: 'brandNewState' });
    expect(await env.provider.consent(contextFor(linkedConn))).toMatchObject({ state: 'failing', providerCode: 'brandNewState' });
  });

  it('credential values go to Powens end-to-end encrypted (JWE, RSA-OAEP-256 + A256GCM, kid), never in clear', async () => {
    const { login } = await linked(env.scaBank);
    const posts = sent.filter((s) => s.method === 'POST' && /^\/users\/me\/connections/.test(s.path) && s.body.includes('password'));
    expect(posts.length).toBeGreaterThan(0);
    for (const p of posts) {
      expect(p.body).not.toContain(login.password);
      const body = JSON.parse(p.body);
      expect(decodeProtectedHeader(body.password)).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: expect.any(String) });
    }
    // the emulated domain's private key opens them to what was typed (it refuses clear values: test/unit/sandbox/powens)
    const { body } = await openCredentials(JSON.parse(posts[0].body)) as { body: Record<string, string> };
    expect([body.login, body.password]).toEqual([login.username, login.password]);
  });

  it('without a credentials key: bank-page sign-in only; a bank that needs typed credentials says what to configure', async () => {
    const bare = new PowensProvider({ ...env.config, options: {} }, { now: () => env.world.clock.now() });
    const institutions = await bare.listInstitutions('');
    expect(institutions.find((i) => i.id === env.webauthBank.uuid)?.methods).toEqual(['webauth']);
    // the webauth bank links through its page; its credentials source is not offered
    const login = env.loginOf(env.webauthBank);
    const step: LinkStep = await bare.beginLink({ institutionId: env.webauthBank.uuid, redirectUri: REDIRECT, state: 'st' });
    expect(step.kind).toBe('redirect');
    if (step.kind !== 'redirect') return;
    const next = await bare.completeLink(step.pending, { kind: 'callback', url: await browse(step.url, { username: login.username, password: login.password }) });
    expect(next.kind).toBe('done');
    // the credentials-only bank: a clear not_configured error, before anything is created at Powens
    sent.length = 0;
    const e = await bare.beginLink({ institutionId: env.scaBank.uuid, redirectUri: REDIRECT, state: 'st' }).catch((x) => x);
    expect(e).toMatchObject({ code: 'not_configured', message: expect.stringMatching(/end-to-end encrypted.*Credentials key/s) });
  });

  it('a PEM key pasted on one line, with its key id, seals values Powens reads', async () => {
    const { createPublicKey } = await import('node:crypto');
    const { E2EE_KID } = await import('../../../../sandbox/powens/e2ee.js');
    const pem = String(createPublicKey({ key: JSON.parse(env.config.options.credentialsKey), format: 'jwk' }).export({ type: 'spki', format: 'pem' }));
    const withPem = new PowensProvider({ ...env.config, options: { credentialsKey: pem.replace(/\n/g, ' '), credentialsKeyId: E2EE_KID } }, { now: () => env.world.clock.now() });
    const login = env.loginOf(env.scaBank);
    const step = await withPem.beginLink({ institutionId: env.scaBank.uuid, redirectUri: REDIRECT, state: 'st' });
    expect((await drive(withPem, step, { username: login.username, password: login.password })).remote.connectionId).toMatch(/^\d+$/);
  });

  it('a credentials key that cannot be used is a clear not_configured error, already when it is saved', async () => {
    const broken = new PowensProvider({ ...env.config, options: { credentialsKey: '{"kty":"RSA"' } }, { now: () => env.world.clock.now() });
    await expect(broken.checkConfig()).rejects.toMatchObject({ code: 'not_configured' });
    await expect(new PowensProvider({ ...env.config, options: { credentialsKey: 'not a key', credentialsKeyId: 'k' } }, {}).checkConfig())
      .rejects.toMatchObject({ code: 'not_configured', message: expect.stringMatching(/PEM/) });
    await env.provider.checkConfig();
    const login = env.loginOf(env.scaBank);
    const step = await broken.beginLink({ institutionId: env.scaBank.uuid, redirectUri: REDIRECT, state: 'st' });
    if (step.kind !== 'form') throw new Error('expected the credentials form');
    await expect(broken.completeLink(step.pending, { kind: 'form', values: { login: login.username, password: login.password } }))
      .rejects.toMatchObject({ code: 'not_configured', message: expect.stringMatching(/credentials key/i) });
  });
});
