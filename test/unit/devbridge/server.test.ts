// The dev bridge over real HTTP/WebSocket on 127.0.0.1 with the real service in a temp dir.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import WebSocket from 'ws';
import { startDevBridge, type DevBridge } from '../../../main/devbridge/server.js';
import { createService, createMemoryPrefsStore, type MultibankService } from '../../../main/service/index.js';
import { TestCipher } from '../../../main/vault/index.js';
import type { EventName, EventOf } from '../../../preload/contract/channels.js';
import type { Service } from '../../../main/service/api.js';
import { createWsBridge } from '../../../renderer/src/bridge/ws.js';

let dir: string;
let service: MultibankService;
let bridge: DevBridge;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'devbridge-'));
  const web = join(dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside');
  service = await createService({ dataDir: join(dir, 'data'), cipher: new TestCipher(), prefs: createMemoryPrefsStore(), background: false });
  bridge = await startDevBridge({ service, staticDir: web });
});
afterAll(async () => {
  await bridge.close();
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${bridge.origin}${path}`, { method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function rpc(ws: WebSocket, id: number, channel: unknown, req?: unknown): Promise<any> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const msg = JSON.parse(String(data));
      if (msg.id === id) { ws.off('message', on); resolve(msg.result); }
    };
    ws.on('message', on);
    ws.send(JSON.stringify({ id, channel, request: req }));
  });
}

const wsUrl = (token: string) => `${bridge.origin.replace('http', 'ws')}/bridge?token=${token}`;

describe('dev bridge', () => {
  it('binds to 127.0.0.1 and serves the built renderer with a CSP', async () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(bridge.url).toBe(`${bridge.origin}/?token=${bridge.token}`);
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>app</title>');
    expect(String(page.headers['content-security-policy'])).toContain(`connect-src ${bridge.origin.replace('http', 'ws')}`);
    expect((await get('/assets/app.js')).headers['content-type']).toMatch(/javascript/);
    // client-side routes fall back to the app; nothing outside the static dir is served
    expect((await get('/nowhere')).body).toContain('<title>app</title>');
    const escape = await get('/%2e%2e/secret.txt');
    expect(escape.body).not.toContain('outside');
    // DNS rebinding: another name for 127.0.0.1 is refused
    expect((await get('/', { host: `evil.example:${new URL(bridge.origin).port}` })).status).toBe(421);
  });

  it('refuses sockets without the token or from another origin', async () => {
    await expect(connect(wsUrl('wrong'))).rejects.toThrow(/401/);
    await expect(connect(`${bridge.origin.replace('http', 'ws')}/bridge`)).rejects.toThrow(/401/);
    await expect(connect(wsUrl(bridge.token), 'http://evil.example')).rejects.toThrow(/401/);
    const ok = await connect(wsUrl(bridge.token), bridge.origin);
    ok.close();
  });

  it('validates every call through the contract and answers with Result envelopes', async () => {
    const ws = await connect(wsUrl(bridge.token));
    const prefs = await rpc(ws, 1, 'prefs.get');
    expect(prefs.ok).toBe(true);
    expect(prefs.value).toMatchObject({ theme: 'system' });
    const set = await rpc(ws, 2, 'prefs.set', { theme: 'dark' });
    expect(set).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(await rpc(ws, 3, 'prefs.set', { theme: 'purple' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await rpc(ws, 4, 'no.such.channel')).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await rpc(ws, 5, 'connections.remove', { connectionId: 999, deleteLocalData: false })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await rpc(ws, 6, 'accounts.list')).toEqual({ ok: true, value: [] });
    ws.close();
  });
});

describe('dev bridge events', () => {
  it('forwards service events to every connected page', async () => {
    const listeners = new Map<string, Set<(p: unknown) => void>>();
    const fake: Service = {
      call: async () => null as never,
      on: (e, l) => { const s = listeners.get(e) ?? new Set(); listeners.set(e, s); s.add(l as (p: unknown) => void); return () => s.delete(l as (p: unknown) => void); },
      handleRedirect: async () => false,
      close: async () => {},
    };
    const b = await startDevBridge({ service: fake });
    try {
      const ws = await connect(`${b.origin.replace('http', 'ws')}/bridge?token=${b.token}`);
      const got = new Promise<any>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)))));
      const payload: EventOf<'connections.changed'> = { connectionId: 7 };
      for (const l of listeners.get('connections.changed' satisfies EventName) ?? []) l(payload);
      expect(await got).toEqual({ event: 'connections.changed', payload });
      ws.close();
    } finally {
      await b.close();
    }
    expect([...listeners.values()].every((s) => s.size === 0)).toBe(true);
  });
});

describe('renderer shim', () => {
  it('implements MultibankApi over the bridge: calls, events, and a clear error when the bridge goes away', async () => {
    const listeners = new Set<(p: unknown) => void>();
    const fake: Service = {
      call: async (channel) => (channel === 'prefs.get' ? { theme: 'dark', syncEveryHours: 6, consentLeadDays: 7, allowPlainTextSecrets: false, baseCurrency: 'EUR' } : null) as never,
      on: (_e, l) => { listeners.add(l as (p: unknown) => void); return () => listeners.delete(l as (p: unknown) => void); },
      handleRedirect: async () => false,
      close: async () => {},
    };
    const b = await startDevBridge({ service: fake });
    const api = createWsBridge(`${b.origin.replace('http', 'ws')}/bridge?token=${b.token}`, WebSocket as unknown as typeof globalThis.WebSocket);
    expect(await api.call('prefs.get')).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(await api.call('prefs.set', { theme: 'nope' } as never)).toMatchObject({ ok: false, error: { code: 'validation' } });

    const seen: unknown[] = [];
    const off = api.on('connections.changed', (p) => seen.push(p));
    for (const l of listeners) l({ connectionId: 3 });
    await vi.waitFor(() => expect(seen).toEqual([{ connectionId: 3 }]), { timeout: 20_000, interval: 20 });
    off();

    await b.close();
    expect(await api.call('prefs.get')).toMatchObject({ ok: false, error: { code: 'network' } });
    // a wrong token never opens
    const refused = createWsBridge(`${b.origin.replace('http', 'ws')}/bridge?token=wrong`, WebSocket as unknown as typeof globalThis.WebSocket);
    expect(await refused.call('prefs.get')).toMatchObject({ ok: false, error: { code: 'network' } });
  });
});
