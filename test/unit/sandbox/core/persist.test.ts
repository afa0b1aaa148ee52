// A sandbox started with a state file and started again is the same world: users and tokens of every emulator, the
// clock's lead, the ledger's control-API changes, and the same ports when they are free.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POWENS_CLIENT_ID, POWENS_CLIENT_SECRET } from '../../../../sandbox/powens/index.js';
import { DEMO_CLIENT } from '../../../../sandbox/finapi/state.js';
import { BANQWARE_DEFAULTS } from '../../../../sandbox/banqware/index.js';
import { startSandbox, type RunningSandbox } from '../../../../sandbox/start.js';
import { ENABLEBANKING_DEMO_APP_ID, ENABLEBANKING_DEMO_PRIVATE_KEY, ENABLEBANKING_DEMO_REDIRECT } from '../../../../sandbox/enablebanking/index.js';
import { EnableBankingProvider } from '../../../../main/providers/enablebanking/index.js';
import { browse, contextFor } from '../../providers/enablebanking/harness.js';
import { testNow } from '../../../helpers/clock.js';

const NOW = testNow('2026-06-15T12:00:00Z');
let dir: string;
let file: string;
const open: RunningSandbox[] = [];
const start = async (extra: Parameters<typeof startSandbox>[0] = {}) => {
  const sb = await startSandbox({ now: NOW.toISOString(), stateFile: file, ...extra });
  open.push(sb);
  return sb;
};
const stop = async (sb: RunningSandbox) => { open.splice(open.indexOf(sb), 1); await sb.close(); };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mb-world-'));
  file = path.join(dir, 'demo-world.bin');
});
afterEach(async () => {
  for (const sb of open.splice(0)) await sb.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// a new connection each time: the client's pool could otherwise reuse a socket the stopped sandbox closed
const fetch = (url: string, init: RequestInit = {}) => globalThis.fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), connection: 'close' } });
const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json() };
};
const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });

describe('a saved sandbox world', () => {
  it('keeps every emulator\'s users and tokens, the signing keys, the clock and the ports across a restart', async () => {
    const a = await start();
    // Powens: a user with a permanent token
    const powens = (await post(`${a.urls.powens}/auth/init`, { client_id: POWENS_CLIENT_ID, client_secret: POWENS_CLIENT_SECRET })).body;
    // finAPI: a user and its access token
    const client = await (await fetch(`${a.urls.finapi}/api/v2/oauth/token`, form({ grant_type: 'client_credentials', client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret }))).json();
    const fUser = await (await fetch(`${a.urls.finapi}/api/v2/users`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${client.access_token}` }, body: JSON.stringify({ password: 'secret-123456' }) })).json();
    const fToken = await (await fetch(`${a.urls.finapi}/api/v2/oauth/token`, form({ grant_type: 'password', username: fUser.id, password: 'secret-123456', client_id: DEMO_CLIENT.clientId, client_secret: DEMO_CLIENT.clientSecret }))).json();
    // Banqware: a user
    const bq = { 'api-clientID': BANQWARE_DEFAULTS.clientId, 'api-clientSecret': BANQWARE_DEFAULTS.clientSecret };
    const bUser = (await post(`${a.urls.banqware}/user-resources/api/user`, { clientId: 'me' }, bq)).body;
    // Everifin: its signing key
    const certs = async (sb: RunningSandbox) => (await (await fetch(`${sb.urls.everifin}/auth/realms/everifin_app/protocol/openid-connect/certs`)).json()).keys[0].n;
    const key = await certs(a);
    // the world ten minutes ahead (within the tokens' hour)
    await post(`${a.control}/clock`, { advanceMs: 600_000 });
    const ahead = a.world.clock.offset;
    const urls = { ...a.urls, control: a.control };
    await stop(a);

    const b = await start();
    expect({ ...b.urls, control: b.control }).toEqual(urls);
    expect(b.world.clock.offset).toBe(ahead);
    const me = await fetch(`${b.urls.powens}/users/me`, { headers: { authorization: `Bearer ${powens.auth_token}` } });
    expect(me.status).toBe(200);
    expect((await me.json()).id).toBe(powens.id_user);
    const fMe = await fetch(`${b.urls.finapi}/api/v2/users`, { headers: { authorization: `Bearer ${fToken.access_token}` } });
    expect(fMe.status).toBe(200);
    expect((await fMe.json()).id).toBe(fUser.id);
    const bMe = await fetch(`${b.urls.banqware}/user-resources/api/user/id/${bUser.id}`, { headers: bq });
    expect(bMe.status).toBe(200);
    expect(await certs(b)).toBe(key);
  });

  it('keeps Enable Banking\'s sessions: a connection linked before the restart reads its accounts and transactions after it', async () => {
    const client = (sb: RunningSandbox) => new EnableBankingProvider({
      provider: 'enablebanking', baseUrl: sb.urls.enablebanking, clientId: ENABLEBANKING_DEMO_APP_ID, clientSecret: ENABLEBANKING_DEMO_PRIVATE_KEY,
      options: { redirectUrl: ENABLEBANKING_DEMO_REDIRECT },
    }, { now: () => sb.world.clock.now() });
    const a = await start();
    const bank = a.ledger.banks()[0];
    const login = a.ledger.logins().find((l) => l.bankId === bank.id && a.ledger.accounts({ bankId: bank.id, username: l.username }).length > 0)!;
    const step = await client(a).beginLink({ institutionId: `${bank.country}:${bank.name}`, redirectUri: '', state: 'st' });
    if (step.kind !== 'redirect') throw new Error(`expected the browser step, got ${step.kind}`);
    const done = await client(a).completeLink(step.pending, { kind: 'callback', url: await browse(step.url, login) });
    if (done.kind !== 'done') throw new Error(`expected done, got ${done.kind}`);
    const ctx = contextFor(done.connection);
    const before = await client(a).listAccounts(ctx);
    await stop(a);

    const b = await start();
    const after = await client(b).listAccounts(ctx);
    expect(after.map((x) => x.remoteId)).toEqual(before.map((x) => x.remoteId));
    const page = await client(b).fetchTransactions(ctx, after[0].remoteId, { from: '2026-06-01', to: '2026-06-15', cursor: null });
    expect(page.transactions.length).toBeGreaterThan(0);
  });

  it('replays the ledger\'s control-API changes: the same transactions, with the same ids, at the same world time', async () => {
    const a = await start();
    const account = 'de-sparkasse-demo-current';
    await post(`${a.control}/ledger/${account}/add-transactions`, { count: 3, pending: true });
    await post(`${a.control}/ledger/${account}/change-ids`, {});
    await post(`${a.control}/ledger/${account}/book-pending`, {});
    const at = a.world.clock.now().getTime() + 60_000;
    const before = a.world.clock.at(at, () => a.ledger.transactions(account));
    await stop(a);
    const b = await start();
    expect(b.world.clock.at(at, () => b.ledger.transactions(account))).toEqual(before);
    expect(before.some((t) => t.id.includes('-r1-'))).toBe(true);
  });

  it('takes another port when its old one is taken, and starts a new world when the file cannot be read', async () => {
    const a = await start({ providers: ['banqware'] });
    const port = Number(new URL(a.urls.banqware).port);
    await stop(a);
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const b = await start({ providers: ['banqware'] });
      expect(b.urls.banqware).not.toBe(`http://127.0.0.1:${port}`);
      await stop(b);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
    fs.writeFileSync(file, 'not a world');
    const problems: string[] = [];
    const c = await start({ providers: ['banqware'], onStateProblem: (m) => problems.push(m) });
    expect(problems).toEqual([expect.stringContaining('could not be read')]);
    expect(fs.readFileSync(`${file}.unreadable`, 'utf8')).toBe('not a world');
    expect(c.world.clock.now().getTime() - NOW.getTime()).toBeGreaterThanOrEqual(0);
  });
});
