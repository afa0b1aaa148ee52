// The Powens emulator over raw HTTP: the details the client does not exercise on its own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browse, REDIRECT, startPowens } from '../../providers/powens/harness.js';
import { POWENS_CLIENT_ID, POWENS_CLIENT_SECRET } from '../../../../sandbox/powens/index.js';
import { EMULATORS } from '../../../../sandbox/emulators.js';
import { credentialsSealer } from '../../../../main/providers/powens/e2ee.js';

type Env = Awaited<ReturnType<typeof startPowens>>;

describe('Powens emulator', () => {
  let env: Env;
  const req = async (method: string, path: string, opts: { token?: string; body?: unknown } = {}) => {
    const res = await fetch(`${env.server.url}${path}`, {
      method, redirect: 'manual',
      headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body ? { 'content-type': 'application/json' } : {}) },
      body: opts.body ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text } as { status: number; headers: Headers; body: any };
  };
  /** credential values as Powens must receive them: compact JWEs made with the domain's public key */
  const sealed = (v: Record<string, string>) => credentialsSealer(env.config.options)!.seal(v);
  const permanentUser = async () => (await req('POST', '/auth/init', { body: { client_id: POWENS_CLIENT_ID, client_secret: POWENS_CLIENT_SECRET } })).body;
  /** a user with a credentials connection to the webauth bank's second source is not possible first: use the SCA bank */
  const withConnection = async () => {
    const user = await permanentUser();
    const login = env.loginOf(env.scaBank);
    const conn = await req('POST', '/users/me/connections?expand=all_accounts', { token: user.auth_token, body: { connector_uuid: env.scaBank.uuid, ...(await sealed({ login: login.username, password: login.password })) } });
    expect(conn.status).toBe(200);
    return { token: user.auth_token as string, userId: user.id_user as number, conn: conn.body, login };
  };

  beforeEach(async () => { env = await startPowens(); });
  afterEach(() => env.close());

  it('is registered in the sandbox and describes itself for `npm run sandbox`', () => {
    expect(EMULATORS.powens).toBeTypeOf('function');
    const d = env.emulator.describe!(env.server.url) as any;
    expect(d.clientId).toBe(POWENS_CLIENT_ID);
    expect(d.clientSecret).toBe(POWENS_CLIENT_SECRET);
    expect(d.logins.length).toBeGreaterThanOrEqual(3);
    expect(d.connectors.map((c: any) => c.uuid)).toEqual(env.connectors.map((c) => c.uuid));
  });

  it('/auth/init: permanent with the client secret, temporary (30 min) without; temporary tokens expire on the world clock', async () => {
    const perm = await permanentUser();
    expect(perm).toMatchObject({ type: 'permanent', expires_in: null });
    const temp = (await req('POST', '/auth/init', { body: { client_id: POWENS_CLIENT_ID } })).body;
    expect(temp).toMatchObject({ type: 'temporary', expires_in: 1800 });
    expect((await req('GET', '/users/me', { token: temp.auth_token })).status).toBe(200);
    env.world.clock.advance(31 * 60_000);
    expect((await req('GET', '/users/me', { token: temp.auth_token })).status).toBe(401);
    expect((await req('GET', '/users/me', { token: perm.auth_token })).body.id).toBe(perm.id_user);
    const wrong = await req('POST', '/auth/init', { body: { client_id: POWENS_CLIENT_ID, client_secret: 'x' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'invalidClient', description: expect.any(String) });
  });

  it('/auth/renew issues a new token and can revoke the previous ones; DELETE /auth/token revokes the current one', async () => {
    const u = await permanentUser();
    const renewed = await req('POST', '/auth/renew', { body: { grant_type: 'client_credentials', client_id: POWENS_CLIENT_ID, client_secret: POWENS_CLIENT_SECRET, id_user: u.id_user, revoke_previous: true } });
    expect(renewed.body).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer' });
    expect((await req('GET', '/users/me', { token: u.auth_token })).status).toBe(401);
    expect((await req('DELETE', '/auth/token', { token: renewed.body.access_token })).status).toBe(204);
    expect((await req('GET', '/users/me', { token: renewed.body.access_token })).status).toBe(401);
  });

  it('connectors with sources, fields and countries; /fields; unknown connector is a Powens 404 body', async () => {
    const list = (await req('GET', '/connectors?expand=sources,fields')).body.connectors;
    const bank = list.find((c: any) => c.uuid === env.webauthBank.uuid);
    expect(bank.sources.map((s: any) => [s.name, s.auth_mechanism, s.priority, s.disabled])).toEqual([['openapi', 'webauth', 1, null], ['directaccess', 'credentials', 2, null]]);
    expect(bank.fields.map((f: any) => f.name)).toEqual(['login', 'password']);
    expect(bank.countries).toBeUndefined();
    const fields = (await req('GET', `/connectors/${env.scaBank.id}/fields`)).body.fields;
    expect(fields[0]).toMatchObject({ name: 'login', type: 'text', required: true, connector_sources: ['directaccess'] });
    const missing = await req('GET', '/connectors/123456');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'notFound', description: expect.any(String) });
  });

  it('sources must be added in priority order, webauth sources only through /webauth', async () => {
    const u = await permanentUser();
    const login = env.loginOf(env.webauthBank);
    const body = { connector_uuid: env.webauthBank.uuid, ...(await sealed({ login: login.username, password: login.password })) };
    const noSource = await req('POST', '/users/me/connections', { token: u.auth_token, body });
    expect(noSource.status).toBe(400);
    expect(noSource.body.code).toBe('invalidValue');
    const second = await req('POST', '/users/me/connections?source=directaccess', { token: u.auth_token, body });
    expect(second.body.description).toMatch(/priority order/);
    const missing = await req('POST', '/users/me/connections', { token: u.auth_token, body: { connector_uuid: env.scaBank.uuid, ...(await sealed({ login: 'x' })) } });
    expect(missing.body).toMatchObject({ code: 'missingParameter' });
    const wrong = await req('POST', '/users/me/connections', { token: u.auth_token, body: { connector_uuid: env.scaBank.uuid, ...(await sealed({ login: login.username, password: 'bad' })) } });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'wrongpass', message: expect.any(String) });
    expect((await req('GET', '/users/me/connections', { token: u.auth_token })).body.connections).toEqual([]);
  });

  it('refuses credential values in clear, or sealed for another key (end-to-end encryption)', async () => {
    const u = await permanentUser();
    const login = env.loginOf(env.scaBank);
    const clear = await req('POST', '/users/me/connections', { token: u.auth_token, body: { connector_uuid: env.scaBank.uuid, login: login.username, password: login.password } });
    expect(clear.status).toBe(400);
    expect(clear.body).toMatchObject({ code: 'invalidValue', description: expect.stringMatching(/not end-to-end encrypted/) });
    const { generateKeyPairSync } = await import('node:crypto');
    const other = JSON.stringify({ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }), kid: 'someone-else' });
    const foreign = await credentialsSealer({ credentialsKey: other })!.seal({ login: login.username, password: login.password });
    const wrongKey = await req('POST', '/users/me/connections', { token: u.auth_token, body: { connector_uuid: env.scaBank.uuid, ...foreign } });
    expect(wrongKey.body).toMatchObject({ code: 'invalidValue', description: expect.stringMatching(/key id/) });
    // a sealed value is five base64url parts, and the emulator reads it
    const ok = await sealed({ login: login.username, password: login.password });
    expect(ok.password.split('.')).toHaveLength(5);
    expect((await req('POST', '/users/me/connections', { token: u.auth_token, body: { connector_uuid: env.scaBank.uuid, ...ok } })).status).toBe(200);
    expect((await req('GET', '/users/me/connections', { token: u.auth_token })).body.connections).toHaveLength(1);
  });

  it('accounts arrive disabled; activation by PUT with ids (needs ?all), per connection with ?all, or per account', async () => {
    const { token, conn } = await withConnection();
    const ids = conn.all_accounts.map((a: any) => a.id);
    expect(conn.all_accounts.every((a: any) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(a.disabled))).toBe(true);
    expect((await req('GET', '/users/me/accounts', { token })).body).toMatchObject({ code: 'noAccount' });
    // without ?all the disabled accounts are out of scope
    expect((await req('PUT', `/users/me/connections/${conn.id}/accounts/${ids[0]}`, { token, body: { disabled: false } })).status).toBe(404);
    const one = await req('PUT', `/users/me/connections/${conn.id}/accounts/${ids[0]}?all`, { token, body: { disabled: false } });
    expect(one.body.accounts.map((a: any) => [a.id, a.disabled])).toEqual([[ids[0], null]]);
    const listed = (await req('GET', '/users/me/accounts', { token })).body;
    expect(listed.accounts.map((a: any) => a.id)).toEqual([ids[0]]);
    expect(Object.keys(listed.balances)).toEqual([listed.accounts[0].currency.id]);
    const all = await req('PUT', `/users/me/connections/${conn.id}/accounts?all`, { token, body: { disabled: false } });
    expect(all.body.accounts.every((a: any) => a.disabled === null)).toBe(true);
    const off = await req('POST', `/users/me/accounts/${ids[1]}`, { token, body: { disabled: true } });
    expect(off.body.disabled).not.toBeNull();
    expect((await req('GET', `/users/me/connections/${conn.id}/accounts`, { token })).body.accounts.length).toBe(ids.length - 1);
    expect((await req('GET', `/users/me/connections/${conn.id}/accounts?all`, { token })).body.accounts.length).toBe(ids.length);
  });

  it('transactions: limit, offset, min_date/max_date (day, month, year) and _links paging', async () => {
    const { token, conn } = await withConnection();
    await req('PUT', `/users/me/connections/${conn.id}/accounts?all`, { token, body: { disabled: false } });
    const full = (await req('GET', '/users/me/transactions?limit=1000', { token })).body;
    const total = full.transactions.length;
    expect(total).toBeGreaterThan(30);
    expect(full._links.next).toBeNull();
    const seen: number[] = [];
    let href: string | null = `${env.server.url}/users/me/transactions?limit=7`;
    let pages = 0;
    while (href) {
      const r = await fetch(href, { headers: { authorization: `Bearer ${token}` } });
      const page = await r.json() as any;
      seen.push(...page.transactions.map((t: any) => t.id));
      expect(page.transactions.length).toBeLessThanOrEqual(7);
      if (pages > 0) expect(page._links.prev).not.toBeNull();
      href = page._links.next?.href ?? null;
      pages++;
    }
    expect(seen).toEqual(full.transactions.map((t: any) => t.id));
    expect(pages).toBe(Math.ceil(total / 7));
    const offset = (await req('GET', '/users/me/transactions?limit=5&offset=5', { token })).body.transactions.map((t: any) => t.id);
    expect(offset).toEqual(seen.slice(5, 10));
    const month = (await req('GET', '/users/me/transactions?min_date=2026-10&max_date=2026-10', { token })).body;
    expect(month.transactions.every((t: any) => t.date.startsWith('2026-10'))).toBe(true);
    expect(month.transactions.length).toBe(full.transactions.filter((t: any) => t.date.startsWith('2026-10')).length);
    const year = (await req('GET', '/users/me/transactions?min_date=2026&max_date=2026', { token })).body;
    expect(year.transactions.length).toBe(full.transactions.filter((t: any) => t.date.startsWith('2026')).length);
    const day = (await req('GET', '/users/me/transactions?min_date=2026-10-05&max_date=2026-10-05', { token })).body;
    expect(day.transactions.every((t: any) => t.date === '2026-10-05')).toBe(true);
    expect((await req('GET', '/users/me/transactions?max_date=tomorrow', { token })).body.code).toBe('invalidValue');
    expect((await req('GET', '/users/me/transactions?limit=0', { token })).body.code).toBe('invalidValue');
    // a JSON number per amount, with the account's decimals
    expect(typeof full.transactions[0].value).toBe('number');
    // only the published route lists transactions (bank-transactions.yml has no per-account route)
    expect((await req('GET', `/users/me/accounts/${conn.all_accounts[0].id}/transactions?limit=1000`, { token })).status).toBe(404);
  });

  it('after the consent lapses it serves the copy of its last sync: the same rows, states and balances while the bank moves on', async () => {
    const { token, conn, login } = await withConnection();
    await req('PUT', `/users/me/connections/${conn.id}/accounts?all`, { token, body: { disabled: false } });
    const read = async () => ({
      transactions: (await req('GET', '/users/me/transactions?limit=1000', { token })).body.transactions,
      accounts: (await req('GET', '/users/me/accounts', { token })).body.accounts.map((a: any) => [a.id, a.balance, a.coming]),
    });
    // two card payments waiting at the bank, seen by a sync
    const [first] = env.ledger.accounts({ bankId: env.scaBank.bank.id, username: login.username });
    const added = env.ledger.addTransactions(first.id, 2, { pending: true });
    await req('POST', `/users/me/connections/${conn.id}`, { token, body: {} });
    const before = await read();
    expect(before.transactions.filter((t: any) => t.coming)).toHaveLength(2);
    env.control('expire', { connection: conn.id, at: env.world.clock.now().toISOString() });
    env.world.clock.set('2026-12-01T10:00:00Z');
    const lapsed = await req('POST', `/users/me/connections/${conn.id}`, { token, body: {} });
    expect(lapsed.body.state).toBe('SCARequired');
    expect(await read()).toEqual(before);
    // the bank itself moved on: new rows, and the pendings of the copy are booked or released there now
    expect(added.map((t) => env.ledger.transaction(first.id, t.id)?.status)).toEqual(['booked', 'booked']);
  });

  it('/webauth refuses a wrong client id, a redirect_uri with a query, a spent code; relays state and errors', async () => {
    const u = await permanentUser();
    const code = async (type = 'singleAccess') => (await req('GET', `/auth/token/code?type=${type}`, { token: u.auth_token })).body.code;
    const url = (params: Record<string, string>) => `/webauth?${new URLSearchParams({ client_id: POWENS_CLIENT_ID, redirect_uri: REDIRECT, connector_uuid: env.expiringBank.uuid, ...params })}`;
    expect((await req('GET', url({ token: await code(), client_id: '1' }))).status).toBe(400);
    expect((await req('GET', url({ token: await code(), redirect_uri: `${REDIRECT}?x=1` }))).status).toBe(400);
    const c = await code();
    expect((await req('GET', url({ token: c, state: 's1' }))).status).toBe(302);
    expect((await req('GET', url({ token: c, state: 's1' }))).status).toBe(400);
    const login = env.loginOf(env.expiringBank);
    const denied = new URL(await browse(`${env.server.url}${url({ token: await code(), state: 'deny-me' })}`, { username: login.username, password: login.password, decision: 'deny' }));
    expect(Object.fromEntries(denied.searchParams)).toEqual({ error: 'access_denied', error_description: expect.any(String), state: 'deny-me' });
    const ok = new URL(await browse(`${env.server.url}${url({ token: await code('requestAccess'), state: 'a b&c' })}`, { username: login.username, password: login.password }));
    expect(ok.searchParams.get('state')).toBe('a b&c');
    const conn = (await req('GET', `/users/me/connections/${ok.searchParams.get('id_connection')}?expand=sources`, { token: u.auth_token })).body;
    expect(conn).toMatchObject({ state: null, connector_uuid: env.expiringBank.uuid, sources: [{ name: 'openapi', state: null }] });
  });

  it('control: states with fields, expire, and deleting a user removes everything', async () => {
    const { token, conn } = await withConnection();
    env.control('state', { connection: conn.id, state: 'additionalInformationNeeded' });
    const c = (await req('GET', `/users/me/connections/${conn.id}`, { token })).body;
    expect(c).toMatchObject({ state: 'additionalInformationNeeded', error: 'additionalInformationNeeded', fields: [{ name: 'otp' }] });
    expect(() => env.control('state', { connection: conn.id, state: 'asleep' })).toThrow();
    env.control('state', { connection: conn.id, state: null });
    env.control('expire', { connection: conn.id, at: '2026-12-01T00:00:00Z' });
    const e = (await req('GET', `/users/me/connections/${conn.id}?expand=sources`, { token })).body;
    expect(e.expire).toBe('2026-12-01 00:00:00');
    expect(e.sources[0].access_expire).toBe('2026-12-01 00:00:00');
    expect((await req('DELETE', '/users/me', { token })).status).toBe(204);
    expect(env.control('connections')).toEqual([]);
    expect((await req('GET', '/users/me', { token })).status).toBe(401);
  });
});
