// Every control-API action over real HTTP, against a tiny test emulator served by the same serve() the aggregators use.
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { World } from '../../../../sandbox/core/world.js';
import { createLedger, type DemoLedger } from '../../../../sandbox/core/ledger.js';
import { driftBody, json, Router, serve, type Emulator, type RunningServer } from '../../../../sandbox/core/http.js';
import { createControlEmulator, isLoopback } from '../../../../sandbox/core/control.js';

let world: World, ledger: DemoLedger, echo: RunningServer, other: RunningServer, control: RunningServer;
const hookCalls: unknown[] = [];

function emulator(name: string): Emulator {
  return {
    name,
    router: new Router().get('/ping', () => json(200, { ok: true, from: name })),
    control: { expire: (b) => { hookCalls.push(b); return { expired: b.connectionId ?? null }; }, boom: () => { throw new Error('no such connection'); } },
    describe: (baseUrl) => ({ clientId: 'c', clientSecret: 's', baseUrl }),
  };
}

async function ctl(method: string, path: string, body?: unknown) {
  const res = await fetch(control.url + path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: await res.json() as any };
}
const fault = (b: Record<string, unknown>) => ctl('POST', '/faults', b);
const ping = (signal?: AbortSignal) => fetch(echo.url + '/ping', { signal });

beforeAll(async () => {
  world = new World(11);
  world.clock.set('2026-03-10T10:00:00Z');
  ledger = createLedger(world);
  const emus = { echo: emulator('echo'), other: emulator('other') };
  echo = await serve(emus.echo, world);
  other = await serve(emus.other, world);
  control = await serve(createControlEmulator({ world, ledger, emulators: () => emus, urls: () => ({ echo: echo.url, other: other.url }) }), world);
});
afterAll(async () => { await Promise.all([echo, other, control].map((s) => s.close())); });
beforeEach(async () => { await ctl('DELETE', '/faults'); await ctl('DELETE', '/served'); });

describe('control API: health and clock', () => {
  it('answers /health', async () => {
    const r = await ctl('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, seed: 11, providers: ['echo', 'other'] });
  });

  it('sets and advances the clock', async () => {
    let r = await ctl('POST', '/clock', { set: '2026-04-01T08:00:00Z' });
    // the world clock runs on from the moment it is set: a slow machine may read it a few ms later
    const sinceSet = Date.parse(r.body.now) - Date.parse('2026-04-01T08:00:00.000Z');
    expect(sinceSet).toBeGreaterThanOrEqual(0);
    expect(sinceSet).toBeLessThan(2000);
    r = await ctl('POST', '/clock', { advanceMs: 86_400_000 });
    expect(Date.parse(r.body.now) - Date.parse('2026-04-02T08:00:00.000Z')).toBeLessThan(2000);
    expect(world.clock.today()).toBe('2026-04-02');
    r = await ctl('GET', '/clock');
    expect(r.body.now.slice(0, 10)).toBe('2026-04-02');
    expect((await ctl('POST', '/clock', { set: 'not a date' })).status).toBe(400);
    expect((await ctl('POST', '/clock', { advanceMs: 'x' })).status).toBe(400);
    await ctl('POST', '/clock', { set: '2026-03-10T10:00:00Z' });
  });
});

describe('control API: faults over real HTTP', () => {
  it('server_error: 5xx (503 by default, or the given status), then normal again', async () => {
    await fault({ provider: 'echo', kind: 'server_error', count: 2 });
    expect((await ping()).status).toBe(503);
    expect((await ping()).status).toBe(503);
    expect((await ping()).status).toBe(200);
    await fault({ provider: 'echo', kind: 'server_error', status: 500 });
    expect((await ping()).status).toBe(500);
  });

  it('rate_limit: 429 with Retry-After', async () => {
    await fault({ provider: 'echo', kind: 'rate_limit', retryAfterSec: 7 });
    const r = await ping();
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect((await ping()).status).toBe(200);
  });

  it('timeout: the server holds the request (delayMs) and never answers', async () => {
    await fault({ provider: 'echo', kind: 'timeout', delayMs: 400 });
    // our own time limit ends the wait, not an answer or a closed connection
    await expect(ping(AbortSignal.timeout(150))).rejects.toMatchObject({ name: 'TimeoutError' });
    await fault({ provider: 'echo', kind: 'timeout', delayMs: 300 });
    const t2 = Date.now();
    await expect(ping()).rejects.toThrow(); // connection closed without an answer
    expect(Date.now() - t2).toBeGreaterThanOrEqual(280);
    expect((await ping()).status).toBe(200);
  });

  it('malformed: 200 with a body that is not JSON', async () => {
    await fault({ provider: 'echo', kind: 'malformed' });
    const r = await ping();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/json');
    await expect(r.json()).rejects.toThrow(SyntaxError);
  });

  it('truncated: the JSON body is cut off mid-transfer', async () => {
    await fault({ provider: 'echo', kind: 'truncated' });
    const r = await ping();
    expect(r.status).toBe(200);
    await expect(r.text()).rejects.toThrow();
    expect((await ping()).status).toBe(200);
  });

  it('drop: the connection is closed without a response', async () => {
    await fault({ provider: 'echo', kind: 'drop' });
    await expect(ping()).rejects.toThrow();
    expect((await ping()).status).toBe(200);
  });

  it('delay: answers normally after delayMs', async () => {
    await fault({ provider: 'echo', kind: 'delay', delayMs: 250 });
    const t = Date.now();
    const r = await ping();
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true, from: 'echo' });
    expect(Date.now() - t).toBeGreaterThanOrEqual(240);
  });

  it('schema_drift: the next JSON answer misses a field, or has it renamed', async () => {
    await fault({ provider: 'echo', kind: 'schema_drift', field: 'from' });
    expect(await (await ping()).json()).toEqual({ ok: true });
    await fault({ provider: 'echo', kind: 'schema_drift', field: 'from', renameTo: 'source' });
    expect(await (await ping()).json()).toEqual({ ok: true, source: 'echo' });
    await fault({ provider: 'echo', kind: 'schema_drift' });
    expect(await (await ping()).json()).toEqual({ from: 'echo' });
    expect(await (await ping()).json()).toEqual({ ok: true, from: 'echo' });
    expect(driftBody({ page: { items: [{ id: 1, a: 2 }, { id: 3, a: 4 }] } }, {})).toEqual({ page: { items: [{ a: 2 }, { a: 4 }] } });
    expect(driftBody({ x: [{ amount: 1, n: { amount: 2 } }] }, { field: 'amount', renameTo: 'value' })).toEqual({ x: [{ value: 1, n: { value: 2 } }] });
    expect((await fault({ provider: 'echo', kind: 'schema_drift', field: 3 })).status).toBe(400);
  });

  it('schema_drift on one row: item, an exact value, and only requests whose path matches', async () => {
    expect(driftBody({ page: { items: [{ id: 1, a: 2 }, { id: 3, a: 4 }] } }, { item: 1 })).toEqual({ page: { items: [{ id: 1, a: 2 }, { a: 4 }] } });
    expect(driftBody({ rows: [{ id: 1, a: 2 }, { id: 3, a: 4 }] }, { item: 0, field: 'a', renameTo: 'b' })).toEqual({ rows: [{ id: 1, b: 2 }, { id: 3, a: 4 }] });
    // a value reaches the client as exact JSON text
    await fault({ provider: 'echo', kind: 'schema_drift', path: '/ping', item: 0, field: 'from', value: '-16192638.834382623' });
    await fault({ provider: 'echo', kind: 'schema_drift', path: '/elsewhere', field: 'ok' });
    const r = await ping();
    expect(r.headers.get('content-type')).toMatch(/json/);
    // the answer has no array: nothing to drift
    expect(await r.text()).toBe('{"ok":true,"from":"echo"}');
    expect(driftBody({ x: [{ amount: 1 }] }, { item: 0, field: 'amount', value: '1e-7' })).toMatchObject({ x: [{ amount: expect.objectContaining({ value: '1e-7' }) }] });
    // the /elsewhere fault waits for its path: /ping passes untouched
    expect(await (await ping()).json()).toEqual({ ok: true, from: 'echo' });
    expect((await fault({ provider: 'echo', kind: 'schema_drift', item: -1 })).status).toBe(400);
    await fetch(control.url + '/faults', { method: 'DELETE' });
  });

  it("targets one provider or every provider ('*'), never the control server; DELETE clears", async () => {

    await fault({ provider: 'other', kind: 'server_error' });
    expect((await ping()).status).toBe(200);
    expect((await fetch(other.url + '/ping')).status).toBe(503);
    await fault({ provider: '*', kind: 'server_error', count: 2 });
    expect((await ctl('GET', '/health')).status).toBe(200);
    expect((await ping()).status).toBe(503);
    expect((await fetch(other.url + '/ping')).status).toBe(503);
    expect((await ping()).status).toBe(200);
    await fault({ provider: 'echo', kind: 'server_error', count: 5 });
    expect((await ctl('GET', '/faults')).body.pending).toEqual({ echo: 5, other: 0, '*': 0 });
    expect((await ctl('DELETE', '/faults')).body.pending).toEqual({});
    expect((await ping()).status).toBe(200);
  });

  it('refuses bad fault requests', async () => {
    expect((await fault({ provider: 'echo', kind: 'explode' })).status).toBe(400);
    expect((await fault({ provider: 'nobody', kind: 'drop' })).status).toBe(400);
    expect((await fault({ provider: 'echo', kind: 'drop', count: 0 })).status).toBe(400);
    expect((await fault({ provider: 'echo', kind: 'delay', delayMs: -5 })).status).toBe(400);
  });
});

describe('control API: served-log', () => {
  it('records what each emulator served, faults included; DELETE resets', async () => {
    await ping();
    await fault({ provider: 'echo', kind: 'rate_limit' });
    await ping();
    await fetch(other.url + '/ping');
    const r = await ctl('GET', '/served?provider=echo');
    expect(r.body.count).toBe(2);
    expect(r.body.entries.map((e: any) => [e.path, e.status])).toEqual([['/ping', 200], ['/ping', -1]]);
    expect(r.body.entries[0].body).toEqual({ ok: true, from: 'echo' });
    expect(r.body.entries[1].body).toEqual({ fault: 'rate_limit' });
    expect((await ctl('GET', '/served')).body.entries).toHaveLength(3);
    await ctl('DELETE', '/served');
    expect((await ctl('GET', '/served?provider=echo')).body).toEqual({ entries: [], count: 0 });
  });
});

describe('control API: ledger', () => {
  const acc = 'de-sparkasse-demo-current';
  it('lists accounts with balances and transactions', async () => {
    const r = await ctl('GET', '/ledger/accounts?bankId=de-sparkasse');
    expect(r.body.accounts.map((a: any) => a.id)).toContain(acc);
    expect(r.body.accounts[0].balanceMinor).toBe(ledger.balance(r.body.accounts[0].id));
    const t = await ctl('GET', `/ledger/${acc}/transactions?from=2026-01-01`);
    expect(t.body.transactions.length).toBe(ledger.transactions(acc, { from: '2026-01-01' }).length);
    expect((await ctl('GET', '/ledger/nope/transactions')).status).toBe(404);
  });

  it('changes remote ids, adds transactions and books pendings', async () => {
    const before = ledger.transactions(acc).map((t) => t.id);
    const c = await ctl('POST', `/ledger/${acc}/change-ids`);
    expect(Object.keys(c.body.changed).sort()).toEqual([...before].sort());
    expect(ledger.transactions(acc).some((t) => before.includes(t.id))).toBe(false);

    const a = await ctl('POST', `/ledger/${acc}/add-transactions`, { count: 3 });
    expect(a.body.added).toHaveLength(3);
    expect(ledger.transactions(acc).length).toBe(before.length + 3);
    expect((await ctl('POST', `/ledger/${acc}/add-transactions`, { count: -1 })).status).toBe(400);

    await ctl('POST', `/ledger/${acc}/add-transactions`, { count: 2, pending: true });
    expect(ledger.transactions(acc).filter((t) => t.status === 'pending').length).toBeGreaterThanOrEqual(2);
    const b = await ctl('POST', `/ledger/${acc}/book-pending`);
    expect(b.body.booked).toBeGreaterThanOrEqual(2);
    expect(ledger.transactions(acc).filter((t) => t.status === 'pending')).toHaveLength(0);
    const all = await ctl('POST', '/ledger/book-pending');
    expect(all.status).toBe(200);
    expect(ledger.accounts().flatMap((x) => ledger.transactions(x.id)).filter((t) => t.status === 'pending')).toHaveLength(0);
  });
});

describe('control API: provider hooks and safety', () => {
  it('forwards POST /providers/:name/:action to the emulator hook', async () => {
    const r = await ctl('POST', '/providers/echo/expire', { connectionId: 'c1' });
    expect(r).toEqual({ status: 200, body: { result: { expired: 'c1' } } });
    expect(hookCalls).toContainEqual({ connectionId: 'c1' });
    expect((await ctl('POST', '/providers/echo/nothing')).status).toBe(404);
    expect((await ctl('POST', '/providers/nobody/expire')).status).toBe(404);
    const boom = await ctl('POST', '/providers/echo/boom');
    expect(boom.status).toBe(400);
    expect(boom.body.message).toBe('no such connection');
    expect((await ctl('GET', '/providers')).body.echo).toEqual({ url: echo.url, actions: ['expire', 'boom'] });
  });

  it('refuses requests that do not come to a loopback host', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(control.url + '/health');
      http.get({ host: u.hostname, port: u.port, path: u.pathname, headers: { host: 'evil.example.com' } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
    });
    expect(status).toBe(403);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('192.168.1.5')).toBe(false);
    expect(isLoopback('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopback(undefined)).toBe(false);
  });
});
