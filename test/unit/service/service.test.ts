import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName, EventOf, LinkStepDto } from '../../../preload/contract/channels.js';
import { AppError } from '../../../main/domain/errors.js';
import { ProviderError } from '../../../main/providers/provider.js';
import { silentLogger } from '../../../main/log/index.js';
import { openDatabase } from '../../../main/store/db.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher, Vault } from '../../../main/vault/index.js';
import { GOOD_SECRET, scriptedRegistry, scriptedWorld, type ScriptedWorld } from './scripted-provider.js';

const open: MultibankService[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Harness {
  service: MultibankService; world: ScriptedWorld; clock: { t: number }; notified: Array<[string, string]>;
  events: Array<{ event: EventName; payload: unknown }>;
}

async function harness(opts: { redirectMode?: 'custom_scheme' | 'loopback'; world?: ScriptedWorld; dataDir?: string; start?: string } = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'mb-svc-'));
  if (!opts.dataDir) dirs.push(dataDir);
  const world = opts.world ?? scriptedWorld();
  const clock = { t: Date.parse(opts.start ?? '2026-11-24T12:00:00Z') };
  const notified: Array<[string, string]> = [];
  const service = await createService({
    dataDir, ...keys(dataDir),
    prefs: createMemoryPrefsStore(), redirectMode: opts.redirectMode ?? 'custom_scheme', notify: (t, b) => notified.push([t, b]),
    now: () => new Date(clock.t), providers: scriptedRegistry(world), logger: silentLogger, background: false,
  });
  open.push(service);
  const events: Harness['events'] = [];
  for (const e of ['link.changed', 'connections.changed', 'consent.warning', 'sync.progress'] as EventName[]) {
    service.on(e, (payload: EventOf<typeof e>) => events.push({ event: e, payload }));
  }
  return { service, world, clock, notified, events };
}
/** the same cipher and sealed-key home for a data dir across restarts */
const keyHomes = new Map<string, { cipher: TestCipher; keyStore: MemorySealedKeyStore }>();
const keys = (dataDir: string) => {
  if (!keyHomes.has(dataDir)) keyHomes.set(dataDir, { cipher: new TestCipher(), keyStore: new MemorySealedKeyStore() });
  return keyHomes.get(dataDir)!;
};

async function configure(s: MultibankService) {
  return s.call('providers.configure', { provider: 'powens', baseUrl: 'https://aggregator.example', clientId: 'client-1', clientSecret: GOOD_SECRET, options: {} });
}

const stateOf = (step: LinkStepDto) => {
  if (step.kind !== 'redirect') throw new Error(`expected a redirect step, got ${step.kind}`);
  return new URL(step.url).searchParams.get('state')!;
};

async function linkViaRedirect(h: Harness, renewConnectionId?: number) {
  const step = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1', ...(renewConnectionId ? { renewConnectionId } : {}) });
  const state = stateOf(step);
  expect(await h.service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${state}`)).toBe(true);
  const done = await h.service.call('link.poll', { linkId: step.linkId });
  if (done.kind !== 'done') throw new Error('link did not finish');
  return { step, state, done };
}

/** true when something accepts a TCP connection on 127.0.0.1:port */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function rejects(p: Promise<unknown>, code: string) {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
}

describe('providers', () => {
  it('tests the configuration before saving it and never returns the secret', async () => {
    const h = await harness();
    expect(await h.service.call('providers.list', undefined)).toEqual([
      expect.objectContaining({ id: 'powens', configured: false, baseUrl: null, optionNames: ['domain'] }),
    ]);
    await rejects(h.service.call('providers.configure', { provider: 'powens', baseUrl: 'https://aggregator.example', clientId: 'c', clientSecret: 'wrong', options: {} }), 'auth_failed');
    expect((await h.service.call('providers.list', undefined))[0].configured).toBe(false);
    const dto = await configure(h.service);
    expect(dto).toMatchObject({ id: 'powens', configured: true, baseUrl: 'https://aggregator.example', clientId: 'client-1' });
    expect(JSON.stringify(await h.service.call('providers.list', undefined))).not.toContain(GOOD_SECRET);
    // omitted secret keeps the stored one for the same host (and is tested again)
    const again = await h.service.call('providers.configure', { provider: 'powens', baseUrl: 'https://aggregator.example/v2', clientId: 'client-2', options: { domain: 'x' } });
    expect(again).toMatchObject({ baseUrl: 'https://aggregator.example/v2', clientId: 'client-2', options: { domain: 'x' } });
    await rejects(h.service.call('providers.configure', { provider: 'powens', baseUrl: 'https://a.example', clientId: 'c', clientSecret: GOOD_SECRET, options: { nope: '1' } }), 'validation');
    await rejects(h.service.call('providers.configure', { provider: 'finapi', baseUrl: 'https://a.example', clientId: 'c', clientSecret: GOOD_SECRET, options: {} }), 'not_configured');
  });

  it('sends a stored client secret only to the host it was entered for', async () => {
    const world = scriptedWorld();
    // every configuration a provider is built for, i.e. everywhere a secret could be sent
    const builtFor: Array<{ baseUrl: string; clientSecret: string }> = [];
    const registry = scriptedRegistry(world);
    const scripted = registry.powens!.factory;
    registry.powens = { ...registry.powens!, factory: (config, deps) => { builtFor.push({ baseUrl: config.baseUrl, clientSecret: config.clientSecret }); return scripted(config, deps); } };
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-svc-')); dirs.push(dataDir);
    const service = await createService({ dataDir, ...keys(dataDir), prefs: createMemoryPrefsStore(), providers: registry, logger: silentLogger, background: false });
    open.push(service);
    const configure = (baseUrl: string, extra: { clientSecret?: string; options?: Record<string, string> } = {}) =>
      service.call('providers.configure', { provider: 'powens', baseUrl, clientId: 'client-1', options: {}, ...extra });

    await configure('https://aggregator.example', { clientSecret: GOOD_SECRET });
    builtFor.length = 0;
    // another host, another port, another scheme, or a placeholder filled with another domain: enter the secret again
    for (const [baseUrl, options] of [
      ['https://evil.example', {}], ['https://aggregator.example:8443', {}], ['http://aggregator.example', {}], ['https://{domain}.example', { domain: 'evil' }],
    ] as const) {
      const e = await configure(baseUrl, { options }).then(() => null, (x: unknown) => x);
      expect(e, baseUrl).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('validation');
      expect((e as AppError).message).toMatch(/entered for https:\/\/aggregator\.example .*enter the client secret again/);
    }
    expect(builtFor).toEqual([]);
    expect((await service.call('providers.list', undefined))[0]).toMatchObject({ baseUrl: 'https://aggregator.example', configured: true });

    // an address in an option is a destination too (Everifin's idpUrl)
    await rejects(configure('https://aggregator.example', { options: { domain: 'https://idp.evil.example/realms' } }), 'validation');
    // the same origin under another path keeps the secret
    await configure('https://aggregator.example/v2');
    expect(builtFor).toEqual([{ baseUrl: 'https://aggregator.example/v2', clientSecret: GOOD_SECRET }]);
    // entered again, the secret follows to the new host, and from then on is bound to it
    await configure('https://new.example', { clientSecret: GOOD_SECRET });
    await rejects(configure('https://aggregator.example'), 'validation');
    await configure('https://new.example/api');
    expect(await service.call('institutions.list', { provider: 'powens', query: 'scripted' })).toHaveLength(1);
    expect(builtFor.map((b) => b.baseUrl)).toEqual(['https://aggregator.example/v2', 'https://new.example', 'https://new.example/api', 'https://new.example/api']);
  });

  it('resolves a stored secret for sync and every call only for the host it was entered for, even if the stored address changes', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-svc-')); dirs.push(dataDir);
    const h = await harness({ dataDir });
    await configure(h.service);
    const { done } = await linkViaRedirect(h);
    await h.service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await h.service.idle();
    await h.service.close();
    // the address changes underneath (another program, an old bug, a hand edit): the secret stays where it was entered for
    const db = openDatabase(join(dataDir, 'multibank.db'));
    db.prepare("UPDATE provider_configs SET base_url = 'https://evil.example' WHERE provider = 'powens'").run();
    db.close();
    const reopened = await harness({ dataDir, world: h.world });
    await rejects(reopened.service.call('institutions.list', { provider: 'powens', query: '' }), 'not_configured');
    await rejects(reopened.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' }), 'not_configured');
    await reopened.service.call('sync.run', { connectionId: done.connectionId });
    await reopened.service.idle();
    expect((await reopened.service.call('sync.log', { limit: 1 }))[0]).toMatchObject({ outcome: 'error', errorCode: 'not_configured' });
  });

  it('treats a secret stored before secrets were bound as entered for the address stored beside it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-svc-')); dirs.push(dataDir);
    const h = await harness({ dataDir });
    await configure(h.service);
    await h.service.close();
    const db = openDatabase(join(dataDir, 'multibank.db'));
    new Vault({ db, ...keys(dataDir) }).set('provider:powens:clientSecret', GOOD_SECRET);
    db.close();
    const reopened = await harness({ dataDir, world: h.world });
    expect(await reopened.service.call('institutions.list', { provider: 'powens', query: 'scripted' })).toHaveLength(1);
    await rejects(reopened.service.call('providers.configure', { provider: 'powens', baseUrl: 'https://evil.example', clientId: 'client-1', options: {} }), 'validation');
    expect(await reopened.service.call('providers.configure', { provider: 'powens', baseUrl: 'https://aggregator.example', clientId: 'client-2', options: {} })).toMatchObject({ clientId: 'client-2' });
  });

  it('refuses to store a secret with a plain-text cipher until the user opts in', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-svc-')); dirs.push(dataDir);
    const prefs = createMemoryPrefsStore();
    const service = await createService({
      dataDir, cipher: new TestCipher({ plainText: true }), keyStore: new MemorySealedKeyStore(), prefs,
      providers: scriptedRegistry(scriptedWorld()), logger: silentLogger, background: false,
    });
    open.push(service);
    await rejects(configure(service), 'secret_storage_unavailable');
    expect((await service.call('app.info', undefined)).secretStorage).toEqual({ available: true, plainText: true, optedIn: false });
    await service.call('prefs.set', { allowPlainTextSecrets: true });
    expect((await configure(service)).configured).toBe(true);
  });

  it('lists institutions live', async () => {
    const h = await harness();
    await rejects(h.service.call('institutions.list', { provider: 'powens', query: '' }), 'not_configured');
    await configure(h.service);
    expect(await h.service.call('institutions.list', { provider: 'powens', query: 'form' })).toEqual([{ id: 'form-bank', name: 'Form Bank', country: 'FR', methods: ['credentials'] }]);
  });
});

describe('linking', () => {
  it('completes a browser link from the redirect, discovers accounts, then chooses accounts', async () => {
    const h = await harness();
    await configure(h.service);
    const step = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    expect(step.kind).toBe('redirect');
    const url = new URL((step as { url: string }).url);
    expect(url.searchParams.get('redirect_uri')).toBe('multibank://oauth/callback');
    const state = url.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(40);
    expect(await h.service.call('link.poll', { linkId: step.linkId })).toEqual(step);

    expect(await h.service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${state}`)).toBe(true);
    const changed = h.events.filter((e) => e.event === 'link.changed').map((e) => e.payload as LinkStepDto);
    expect(changed).toHaveLength(1);
    const done = changed[0];
    if (done.kind !== 'done') throw new Error('not done');
    expect(done.accounts.map((a) => a.iban)).toEqual(['DE89370400440532013000', 'DE02120300000000202051']);
    expect(await h.service.call('link.poll', { linkId: step.linkId })).toEqual(done);

    const conns = await h.service.call('connections.list', undefined);
    expect(conns).toEqual([expect.objectContaining({ id: done.connectionId, provider: 'powens', institutionName: 'Scripted Bank', state: 'active', accountCount: 2 })]);

    const chosen = await h.service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: [done.accounts[0].id] });
    expect(chosen.map((a) => a.selected)).toEqual([true, false]);
    expect(h.world.selected).toEqual([['A-g1']]);
    await rejects(h.service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: [999] }), 'validation');

    // tokens stay in main: no DTO or event carries them
    const everything = JSON.stringify([h.events, conns, await h.service.call('accounts.list', undefined), await h.service.call('app.info', undefined)]);
    expect(everything).not.toContain('access-token-');
    expect(everything).not.toContain(GOOD_SECRET);
  });

  it('refuses forged, reused, expired and malformed redirects without changing anything', async () => {
    const h = await harness();
    await configure(h.service);
    const step = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    const state = stateOf(step);
    const forged = [
      'multibank://oauth/callback?code=good-code&state=' + 'A'.repeat(43),
      'multibank://oauth/callback?code=good-code',
      `multibank://evil/callback?code=good-code&state=${state}`,
      `https://evil.example/callback?code=good-code&state=${state}`,
      `http://localhost/callback?code=good-code&state=${state}`,
      `http://127.0.0.1:1/other?code=good-code&state=${state}`,
      'not a url', '', 'multibank://oauth/callback?state=',
    ];
    for (const u of forged) expect(await h.service.handleRedirect(u)).toBe(false);
    expect(await h.service.handleRedirect(undefined as unknown as string)).toBe(false);
    expect((await h.service.call('connections.list', undefined))).toEqual([]);
    expect(await h.service.call('link.poll', { linkId: step.linkId })).toEqual(step);

    // the genuine one still works once ...
    expect(await h.service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${state}`)).toBe(true);
    // ... and never again
    expect(await h.service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${state}`)).toBe(false);
    expect(await h.service.call('connections.list', undefined)).toHaveLength(1);

    // expired: 10 minutes is the limit
    const late = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    h.clock.t += 10 * 60 * 1000 + 1;
    expect(await h.service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${stateOf(late)}`)).toBe(false);
    expect(await h.service.call('connections.list', undefined)).toHaveLength(1);

    // cancelled
    const cancelled = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    await h.service.call('link.cancel', { linkId: cancelled.linkId });
    expect(await h.service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${stateOf(cancelled)}`)).toBe(false);
    await rejects(h.service.call('link.poll', { linkId: cancelled.linkId }), 'link_expired');
  });

  it('reports a refused consent through link.poll and stores nothing', async () => {
    const h = await harness();
    await configure(h.service);
    const step = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    expect(await h.service.handleRedirect(`multibank://oauth/callback?error=access_denied&state=${stateOf(step)}`)).toBe(true);
    await rejects(h.service.call('link.poll', { linkId: step.linkId }), 'consent_revoked');
    expect(await h.service.call('connections.list', undefined)).toEqual([]);
  });

  it('links through a credentials form with a wrong password first, then a decoupled wait', async () => {
    const h = await harness();
    await configure(h.service);
    const form = await h.service.call('link.begin', { provider: 'powens', institutionId: 'form-bank' });
    expect(form).toMatchObject({ kind: 'form', fields: [expect.objectContaining({ name: 'login' }), expect.objectContaining({ name: 'password', type: 'password' })] });
    await rejects(h.service.call('link.submit', { linkId: form.linkId, values: { login: 'jo', password: 'nope' } }), 'wrong_credentials');
    expect(await h.service.call('connections.list', undefined)).toEqual([]);
    const wait = await h.service.call('link.submit', { linkId: form.linkId, values: { login: 'jo', password: 'demo' } });
    expect(wait).toMatchObject({ kind: 'wait', message: 'Approve in your banking app' });
    // the aggregator's own words: shown as written, with no catalogue message
    expect(wait).not.toHaveProperty('notice');
    expect(await h.service.call('link.poll', { linkId: form.linkId })).toMatchObject({ kind: 'wait' });
    const done = await h.service.call('link.poll', { linkId: form.linkId });
    expect(done).toMatchObject({ kind: 'done', accounts: [expect.anything(), expect.anything()] });
    await rejects(h.service.call('link.submit', { linkId: form.linkId, values: {} }), 'validation');
  });

  it('uses a loopback listener that answers the browser and completes the link', async () => {
    const h = await harness({ redirectMode: 'loopback' });
    await configure(h.service);
    const step = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    const redirectUri = new URL(new URL((step as { url: string }).url).searchParams.get('redirect_uri')!);
    expect(redirectUri.hostname).toBe('127.0.0.1');
    expect(redirectUri.pathname).toBe('/callback');
    // a second link waits on the same listener meanwhile
    const other = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    const res = await fetch(`${redirectUri}?code=good-code&state=${stateOf(step)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You can return to Multibank');
    expect((await h.service.call('link.poll', { linkId: step.linkId })).kind).toBe('done');
    const again = await fetch(`${redirectUri}?code=good-code&state=${stateOf(step)}`);
    expect(again.status).toBe(400);
    expect((await fetch(`${redirectUri.origin}/other`)).status).toBe(404);
    // the last waiting link cancelled: the port is closed
    await h.service.call('link.cancel', { linkId: other.linkId });
    expect(await accepts(Number(redirectUri.port))).toBe(false);
  });

  it('closes the loopback listener when its link finishes, is cancelled or expires', async () => {
    const h = await harness({ redirectMode: 'loopback' });
    await configure(h.service);
    const portOf = (step: LinkStepDto) => Number(new URL(new URL((step as { url: string }).url).searchParams.get('redirect_uri')!).port);

    const finished = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    expect(await accepts(portOf(finished))).toBe(true);
    const res = await fetch(`http://127.0.0.1:${portOf(finished)}/callback?code=good-code&state=${stateOf(finished)}`);
    expect(await res.text()).toContain('You can return to Multibank');
    expect(await accepts(portOf(finished))).toBe(false);
    expect((await h.service.call('link.poll', { linkId: finished.linkId })).kind).toBe('done');

    const cancelled = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    expect(await accepts(portOf(cancelled))).toBe(true);
    await h.service.call('link.cancel', { linkId: cancelled.linkId });
    expect(await accepts(portOf(cancelled))).toBe(false);

    const expired = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    expect(await accepts(portOf(expired))).toBe(true);
    h.clock.t += 11 * 60_000; // past the state's 10 minutes
    await h.service.call('link.poll', { linkId: expired.linkId });
    expect(await accepts(portOf(expired))).toBe(false);
  });
});

describe('parked links', () => {
  it('a browser step survives a restart: the redirect completes in the next process, once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-svc-')); dirs.push(dataDir);
    const world = scriptedWorld();
    const h = await harness({ dataDir, world, redirectMode: 'loopback' });
    await configure(h.service);
    const step = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    const redirectUri = new URL((step as { url: string }).url).searchParams.get('redirect_uri')!;
    const callback = `${redirectUri}?code=good-code&state=${stateOf(step)}`;
    await h.service.close();

    const h2 = await harness({ dataDir, world, redirectMode: 'loopback' });
    expect(await h2.service.handleRedirect(callback.replace('state=', 'state=x'))).toBe(false);
    expect(await h2.service.handleRedirect(callback)).toBe(true);
    const done = h2.events.find((e) => e.event === 'link.changed')?.payload as LinkStepDto;
    expect(done).toMatchObject({ kind: 'done', linkId: step.linkId });
    expect(await h2.service.call('connections.list', undefined)).toHaveLength(1);
    expect(await h2.service.handleRedirect(callback)).toBe(false);
    await h2.service.close();
    const h3 = await harness({ dataDir, world, redirectMode: 'loopback' });
    expect(await h3.service.handleRedirect(callback)).toBe(false);
  });

  it('a parked link expires with its state, and a cancelled one is gone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-svc-')); dirs.push(dataDir);
    const world = scriptedWorld();
    const h = await harness({ dataDir, world });
    await configure(h.service);
    const late = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    const cancelled = await h.service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    await h.service.call('link.cancel', { linkId: cancelled.linkId });
    await h.service.close();
    const h2 = await harness({ dataDir, world, start: new Date(h.clock.t + 10 * 60 * 1000 + 1).toISOString() });
    expect(await h2.service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${stateOf(late)}`)).toBe(false);
    expect(await h2.service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${stateOf(cancelled)}`)).toBe(false);
    expect(await h2.service.call('connections.list', undefined)).toEqual([]);
  });
});

describe('renewal and removal', () => {
  it('renewal keeps the connection and its local accounts while remote ids and tokens change', async () => {
    const h = await harness();
    await configure(h.service);
    const first = await linkViaRedirect(h);
    const ids = first.done.kind === 'done' ? first.done.accounts.map((a) => a.id) : [];
    await rejects(h.service.call('link.begin', { provider: 'powens', renewConnectionId: 999 }), 'not_found');
    const renewed = await linkViaRedirect(h, first.done.connectionId);
    expect(renewed.done.connectionId).toBe(first.done.connectionId);
    expect(renewed.done.accounts.map((a) => a.id)).toEqual(ids);
    const conns = await h.service.call('connections.list', undefined);
    expect(conns).toHaveLength(1);
    expect((await h.service.call('accounts.list', undefined)).map((a) => a.id)).toEqual(ids);
    // the old token is gone from use: the provider only knows the token the renewal stored
    expect(h.world.tokens).toHaveLength(2);
  });

  it('a new link of accounts another connection holds names them, and renewing that connection instead keeps one copy', async () => {
    const h = await harness();
    await configure(h.service);
    const first = await linkViaRedirect(h);
    if (first.done.kind !== 'done') throw new Error('not done');
    expect(first.done.alreadyLinked).toEqual([]);
    await h.service.call('link.chooseAccounts', { connectionId: first.done.connectionId, accountIds: first.done.accounts.map((a) => a.id) });
    await h.service.idle();

    const second = await linkViaRedirect(h);
    if (second.done.kind !== 'done') throw new Error('not done');
    expect(second.done.connectionId).not.toBe(first.done.connectionId);
    expect(second.done.alreadyLinked).toEqual(second.done.accounts.map((a) => ({
      accountId: a.id, connectionId: first.done.connectionId, provider: 'powens', institutionName: 'Scripted Bank',
    })));
    // renew instead: the duplicate goes (here it got the same aggregator-side connection: that one stays), the existing
    // connection is renewed and keeps its accounts and history
    await h.service.call('connections.remove', { connectionId: second.done.connectionId, deleteLocalData: true });
    expect(h.world.removed).toEqual([]);
    const renewed = await linkViaRedirect(h, first.done.connectionId);
    expect(renewed.done).toMatchObject({ kind: 'done', connectionId: first.done.connectionId, alreadyLinked: [] });
    await h.service.idle();
    expect((await h.service.call('connections.list', undefined)).map((c) => c.id)).toEqual([first.done.connectionId]);
    expect((await h.service.call('accounts.list', undefined)).map((a) => a.id)).toEqual(first.done.accounts.map((a) => a.id));
    expect((await h.service.call('transactions.list', { sort: 'date_desc', limit: 50 })).rows).toHaveLength(3);
    // a removed connection's accounts are no longer "linked"
    await h.service.call('connections.remove', { connectionId: first.done.connectionId, deleteLocalData: false });
    const third = await linkViaRedirect(h);
    expect(third.done).toMatchObject({ kind: 'done', alreadyLinked: [] });
  });

  it('removal keeps read-only data unless asked to delete it', async () => {
    const h = await harness();
    await configure(h.service);
    const a = await linkViaRedirect(h);
    await h.service.call('connections.remove', { connectionId: a.done.connectionId, deleteLocalData: false });
    expect(h.world.removed).toEqual(['c1']);
    const [kept] = await h.service.call('connections.list', undefined);
    expect(kept).toMatchObject({ id: a.done.connectionId, state: 'revoked', nextSyncAt: null });
    expect(kept.message).toMatch(/read-only/);
    expect(await h.service.call('accounts.list', undefined)).toHaveLength(2);
    await rejects(h.service.call('sync.run', { connectionId: a.done.connectionId }), 'validation');
    await rejects(h.service.call('link.begin', { provider: 'powens', renewConnectionId: a.done.connectionId }), 'not_found');
    // now delete the kept data too: no second remote call
    await h.service.call('connections.remove', { connectionId: a.done.connectionId, deleteLocalData: true });
    expect(h.world.removed).toEqual(['c1']);
    expect(await h.service.call('connections.list', undefined)).toEqual([]);
    expect(await h.service.call('accounts.list', undefined)).toEqual([]);
    await rejects(h.service.call('connections.remove', { connectionId: a.done.connectionId, deleteLocalData: true }), 'not_found');
  });
});

describe('sync, reading and export', () => {
  /** a configured service with one link whose accounts are all chosen and synced once */
  async function linkedAndSynced() {
    const h = await harness();
    await configure(h.service);
    const { done } = await linkViaRedirect(h);
    await h.service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await h.service.idle();
    return { h, done };
  }

  it('first sync after choosing accounts; renewal continues the same history without duplicates', async () => {
    const { h, done } = await linkedAndSynced();
    const page = await h.service.call('transactions.list', { sort: 'date_desc', limit: 50 });
    expect(page.rows.map((t) => t.description)).toEqual(['Salary November', 'Savings transfer', 'Coffee Roastery']);
    expect(h.events.some((e) => e.event === 'sync.progress' && (e.payload as { phase: string }).phase === 'done')).toBe(true);
    const [run] = await h.service.call('sync.log', { limit: 10 });
    expect(run).toMatchObject({ connectionId: done.connectionId, outcome: 'ok', newCount: 3 });
    expect((await h.service.call('connections.list', undefined))[0].lastSuccessAt).not.toBeNull();

    const coffee = page.rows[2];
    expect(await h.service.call('transactions.update', { id: coffee.id, category: 'Food', note: 'with Ana' })).toMatchObject({ category: 'Food', note: 'with Ana' });
    expect(await h.service.call('transactions.get', { id: coffee.id })).toMatchObject({ remoteId: 't1', raw: { id: 't1' }, category: 'Food' });
    await rejects(h.service.call('transactions.update', { id: 9999, hidden: true }), 'not_found');
    const found = await h.service.call('transactions.list', { search: 'roaster', sort: 'date_desc', limit: 50 });
    expect(found.rows.map((t) => t.id)).toEqual([coffee.id]);
    expect(await h.service.call('overview.totals', undefined)).toEqual([{ currency: 'EUR', total: 200000, accounts: 2 }]);

    // renewal: new remote account ids, same IBANs -> same local accounts; the same transactions again -> no duplicates
    await linkViaRedirect(h, done.connectionId);
    await h.service.idle();
    const after = await h.service.call('transactions.list', { sort: 'date_desc', limit: 50 });
    expect(after.rows.map((t) => t.id)).toEqual(page.rows.map((t) => t.id));
    expect(after.rows[2]).toMatchObject({ category: 'Food', note: 'with Ana' });
    expect((await h.service.call('accounts.list', undefined)).map((a) => a.id)).toEqual(done.accounts.map((a) => a.id));
    expect((await h.service.call('sync.log', { limit: 10 }))[0]).toMatchObject({ outcome: 'ok', newCount: 0 });

    const csv = await h.service.call('export.run', { format: 'csv' });
    expect(csv.rows).toBe(3);
    expect(csv.content).toContain('-12.50');
    expect((await h.service.call('export.run', { format: 'ofx', accountIds: [done.accounts[1].id] })).rows).toBe(1);
    expect(JSON.parse((await h.service.call('export.run', { format: 'json', from: '2026-11-02' })).content).transactions).toHaveLength(2);
  });

  it('export.run takes the list filters: every export has exactly the rows transactions.list shows, hidden rows only when asked', async () => {
    const { h, done } = await linkedAndSynced();
    const [current, savings] = done.accounts.map((a) => a.id);
    const { rows: [salary, , coffee] } = await h.service.call('transactions.list', { sort: 'date_desc', limit: 50 });
    await h.service.call('transactions.update', { id: salary.id, hidden: true });
    const filters = [
      {}, { search: 'roastery' }, { search: 'sav' }, { search: 'zzz' }, { accountIds: [savings] }, { accountIds: [current], search: 'coffee' },
      { from: '2026-11-02', to: '2026-11-03' }, { minSize: '10', maxSize: '30', direction: 'out' as const }, { minSize: '10' }, { direction: 'in' as const }, { direction: 'out' as const },
      { status: 'pending' as const }, { includeHidden: true }, { includeHidden: true, direction: 'in' as const }, { includeHidden: true, search: 'salary' },
    ];
    for (const f of filters) {
      const listed = (await h.service.call('transactions.list', { ...f, sort: 'date_desc', limit: 50 })).rows.map((t) => t.id);
      const exported = JSON.parse((await h.service.call('export.run', { format: 'json', ...f })).content).transactions.map((t: { id: number }) => t.id);
      expect(exported, JSON.stringify(f)).toEqual([...listed].reverse()); // export runs oldest first
    }
    // the filters do narrow (the comparison above is not between empty lists)
    expect((await h.service.call('transactions.list', { search: 'roastery', sort: 'date_desc', limit: 50 })).rows.map((t) => t.id)).toEqual([coffee.id]);
    expect((await h.service.call('transactions.list', { sort: 'date_desc', limit: 50 })).rows.map((t) => t.id)).not.toContain(salary.id);
    expect((await h.service.call('transactions.list', { includeHidden: true, sort: 'date_desc', limit: 50 })).rows.find((t) => t.id === salary.id)).toMatchObject({ hidden: true });
    const csv = await h.service.call('export.run', { format: 'csv', search: 'coffee' });
    expect(csv).toMatchObject({ rows: 1 });
    expect(csv.content.trim().split('\n')).toHaveLength(2);
    expect(csv.content).toContain('Coffee Roastery');
  });

  it('app.info tells where the data lives', async () => {
    const h = await harness();
    expect((await h.service.call('app.info', undefined)).dataDir).toBe(h.service.dataDir);
  });

  it('confirming the same accounts after a renewal does not sync a second time; ticking a new one does', async () => {
    const { h, done } = await linkedAndSynced();
    const ids = done.accounts.map((a) => a.id);
    await h.service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: [ids[0]] });
    await h.service.idle();
    const runs = (await h.service.call('sync.log', { limit: 50 })).length;
    await linkViaRedirect(h, done.connectionId);
    await h.service.idle();
    expect(await h.service.call('sync.log', { limit: 50 })).toHaveLength(runs + 1);
    await h.service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: [ids[0]] });
    await h.service.idle();
    expect(await h.service.call('sync.log', { limit: 50 })).toHaveLength(runs + 1);
    await h.service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: ids });
    await h.service.idle();
    expect(await h.service.call('sync.log', { limit: 50 })).toHaveLength(runs + 2);
  });

  it('a failed refresh is recorded on the connection and in the sync log, and changes no data', async () => {
    const { h, done } = await linkedAndSynced();
    h.world.refreshError = new ProviderError('needs_user', 'The bank wants a new SCA.', { providerCode: 'SCARequired' });
    expect(await h.service.call('sync.run', {})).toEqual({ started: [done.connectionId] });
    await h.service.idle();
    const [conn] = await h.service.call('connections.list', undefined);
    expect(conn).toMatchObject({ state: 'needs_user', lastErrorCode: 'needs_user', lastErrorMessage: 'The bank wants a new SCA.' });
    expect((await h.service.call('sync.log', { limit: 1 }))[0]).toMatchObject({ outcome: 'error', errorCode: 'needs_user' });
    expect((await h.service.call('transactions.list', { sort: 'date_desc', limit: 50 })).rows).toHaveLength(3);
    expect(await h.service.call('sync.status', undefined)).toMatchObject({ running: [] });
  });
});

describe('consent centre', () => {
  it('warns once at the lead time and once on expiry, with a fake clock, and remembers across restarts', async () => {
    const world = scriptedWorld();
    world.consent = { state: 'active', expiresAt: '2026-12-04T12:00:00.000Z' }; // 10 days after the start
    const dataDir = mkdtempSync(join(tmpdir(), 'mb-svc-')); dirs.push(dataDir);
    const h = await harness({ world, dataDir });
    await configure(h.service);
    const { done } = await linkViaRedirect(h);
    const warnings = () => h.events.filter((e) => e.event === 'consent.warning').map((e) => e.payload);
    expect(h.service.checkConsents()).toEqual([]);
    expect((await h.service.call('connections.list', undefined))[0]).toMatchObject({ state: 'active', daysLeft: 10 });

    h.clock.t += 3 * 86_400_000 + 1; // 7 days minus 1 ms left
    expect(h.service.checkConsents()).toEqual([{ connectionId: done.connectionId, notice: 'lead' }]);
    expect(warnings()).toEqual([{ connectionId: done.connectionId, state: 'expiring', expiresAt: '2026-12-04T12:00:00.000Z' }]);
    expect(h.notified).toHaveLength(1);
    expect(h.notified[0][0]).toMatch(/Scripted Bank: access expires in 6 days/);
    expect(h.service.checkConsents()).toEqual([]);
    expect((await h.service.call('connections.list', undefined))[0]).toMatchObject({ state: 'expiring', daysLeft: 6 });

    // a restart does not repeat it
    await h.service.close();
    const h2 = await harness({ world, dataDir, start: new Date(h.clock.t + 3_600_000).toISOString() });
    expect(h2.service.checkConsents()).toEqual([]);
    expect(h2.notified).toEqual([]);

    h2.clock.t = Date.parse('2026-12-04T12:00:00.000Z');
    expect(h2.service.checkConsents()).toEqual([{ connectionId: done.connectionId, notice: 'expired' }]);
    expect(h2.notified[0][0]).toMatch(/access has expired/);
    expect(h2.service.checkConsents()).toEqual([]);
    expect((await h2.service.call('connections.list', undefined))[0]).toMatchObject({ state: 'expired', daysLeft: 0 });

    // renewal brings a new expiry: announced afresh when it approaches
    world.consent = { state: 'active', expiresAt: '2027-03-04T12:00:00.000Z' };
    await linkViaRedirect(h2, done.connectionId);
    expect((await h2.service.call('connections.list', undefined))[0]).toMatchObject({ state: 'active', expiresAt: '2027-03-04T12:00:00.000Z' });
    h2.clock.t = Date.parse('2027-03-01T12:00:00.000Z');
    expect(h2.service.checkConsents()).toEqual([{ connectionId: done.connectionId, notice: 'lead' }]);
  });

  it('honours the lead-time preference', async () => {
    const world = scriptedWorld();
    world.consent = { state: 'active', expiresAt: '2026-12-14T12:00:00.000Z' }; // 20 days
    const h = await harness({ world });
    await configure(h.service);
    await linkViaRedirect(h);
    expect(h.service.checkConsents()).toEqual([]);
    await h.service.call('prefs.set', { consentLeadDays: 30 });
    expect(h.events.filter((e) => e.event === 'consent.warning')).toHaveLength(1);
    expect((await h.service.call('connections.list', undefined))[0].state).toBe('expiring');
  });
});
