// The shared HTTP client's auth hook over real HTTP: credentials go as headers, a 401 renews once and retries once
// (also for a POST: the refused request did nothing), a second 401 is the provider's own error or auth_failed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpClient, type RequestAuth } from '../../../main/providers/http.js';
import { ProviderError } from '../../../main/providers/provider.js';

let server: Server;
let base: string;
/** the token the server accepts, and every authorization header it saw */
let valid = 'fresh';
const seen: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    const ok = req.headers.authorization === `Bearer ${valid}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(ok ? '{"ok":true}' : '{"message":"invalid token"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const client = () => new HttpClient({ baseUrl: base, label: 'Demo Aggregator', sleep: async () => {} });
const Ok = z.object({ ok: z.literal(true) });

function tokenAuth(start: string, renewTo: string | null, rejected?: RequestAuth['rejected']) {
  const state = { token: start, renewals: 0 };
  const auth: RequestAuth = {
    headers: () => ({ authorization: `Bearer ${state.token}` }),
    renew: renewTo === null ? undefined : async () => { state.renewals++; state.token = renewTo; },
    rejected,
  };
  return { auth, state };
}

describe('HTTP client auth hook', () => {
  it('renews once on 401 and retries the request (a POST too) with the new credentials', async () => {
    valid = 'fresh'; seen.length = 0;
    const { auth, state } = tokenAuth('stale', 'fresh');
    await expect(client().json(Ok, '/x', { method: 'POST', json: {}, auth })).resolves.toEqual({ ok: true });
    expect(state.renewals).toBe(1);
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('a 401 after the renewal is final: auth_failed, or the provider\'s own error; never a second renewal', async () => {
    valid = 'other'; seen.length = 0;
    const plain = tokenAuth('stale', 'still-wrong');
    await expect(client().json(Ok, '/x', { auth: plain.auth })).rejects.toMatchObject({ code: 'auth_failed' });
    expect(plain.state.renewals).toBe(1);
    expect(seen).toHaveLength(2);
    const own = tokenAuth('stale', 'still-wrong', () => new ProviderError('consent_expired', 'Sign in again.'));
    await expect(client().json(Ok, '/x', { auth: own.auth })).rejects.toMatchObject({ code: 'consent_expired' });
  });

  it('without renew, a 401 is auth_failed at once (one request)', async () => {
    valid = 'other'; seen.length = 0;
    const { auth } = tokenAuth('stale', null);
    await expect(client().json(Ok, '/x', { auth })).rejects.toMatchObject({ code: 'auth_failed' });
    expect(seen).toEqual(['Bearer stale']);
  });
});
