// A tiny HTTP framework for the emulators: routing, JSON/HTML replies, fault injection, a served-log.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as losslessParse, stringify as losslessStringify } from 'lossless-json';
import type { World } from './world.js';

export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  /** parsed JSON or urlencoded form (object), or undefined */
  body: any;
  rawBody: string;
  params: Record<string, string>;
  /** the base URL this server answers on, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** the peer's address (the control server refuses anything but loopback) */
  remoteAddress?: string;
}

export interface SandboxResponse {
  status: number;
  headers?: Record<string, string>;
  /** objects are sent as JSON, strings as they are */
  body?: unknown;
}

export type Handler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse => ({ status, body, headers });
export const html = (body: string, status = 200): SandboxResponse => ({ status, body, headers: { 'content-type': 'text/html; charset=utf-8' } });
export const redirect = (location: string): SandboxResponse => ({ status: 302, headers: { location } });
export const noContent = (): SandboxResponse => ({ status: 204 });

export class Router {
  private routes: Array<{ method: string; re: RegExp; keys: string[]; handler: Handler }> = [];

  on(method: string, pattern: string, handler: Handler): this {
    const keys: string[] = [];
    const re = new RegExp('^' + pattern.replace(/:(\w+)/g, (_, k) => (keys.push(k), '([^/]+)')) + '/?$');
    this.routes.push({ method: method.toUpperCase(), re, keys, handler });
    return this;
  }
  get(p: string, h: Handler) { return this.on('GET', p, h); }
  post(p: string, h: Handler) { return this.on('POST', p, h); }
  put(p: string, h: Handler) { return this.on('PUT', p, h); }
  patch(p: string, h: Handler) { return this.on('PATCH', p, h); }
  delete(p: string, h: Handler) { return this.on('DELETE', p, h); }

  /** Find the route; `undefined` when none matches the path and method. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | undefined {
    for (const r of this.routes) {
      if (r.method !== method) continue;
      const m = r.re.exec(path);
      if (m) return { handler: r.handler, params: Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])])) };
    }
    return undefined;
  }
}

/** Where an emulator plugs in: its routes, its 404 body, and control actions for tests. */
export interface Emulator {
  name: string;
  router: Router;
  notFound?: (req: SandboxRequest) => SandboxResponse;
  /** POST /providers/<name>/<action> on the control server calls these */
  control?: Record<string, (body: any) => unknown | Promise<unknown>>;
  /** what `npm run sandbox` prints for this emulator besides its base URL */
  describe?: (baseUrl: string) => Record<string, unknown>;
  /**
   * Optional raw Node passthrough, tried before the router (after fault injection) with the body still unread:
   * return true when it answered the request itself (e.g. a mounted Koa/OIDC app), false to fall through to the router.
   */
  raw?: (req: http.IncomingMessage, res: http.ServerResponse, ctx: { baseUrl: string; path: string }) => boolean | Promise<boolean>;
  /** internal servers (the control API) take no injected faults and are not in the served-log */
  internal?: boolean;
  /** what a restarted sandbox needs to be the same world (users, tokens, consents...): sandbox/core/persist.ts */
  state?: { save(): unknown; load(saved: unknown): void };
}

function parseBody(raw: string, type: string | undefined): any {
  if (!raw) return undefined;
  if (type?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try { return JSON.parse(raw); } catch { return undefined; }
}

export interface RunningServer { url: string; close(): Promise<void>; }

/** Serve one emulator on 127.0.0.1 (random port unless given), applying the world's queued faults first. */
export async function serve(emulator: Emulator, world: World, port = 0): Promise<RunningServer> {
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const fault = emulator.internal ? undefined : world.faults.take(emulator.name, u.pathname + u.search);
    if (fault) {
      world.served.record(emulator.name, req.method ?? 'GET', u.pathname, -1, { fault: fault.kind });
      if (await applyFault(fault, res)) return;
    }
    if (emulator.raw) {
      try {
        if (await emulator.raw(req, res, { baseUrl, path: u.pathname })) {
          const log = () => world.served.record(emulator.name, req.method ?? 'GET', u.pathname, res.statusCode);
          if (res.writableFinished) log(); else res.on('finish', log);
          world.onChange();
          return;
        }
      } catch (e) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'emulator_error', message: String((e as Error).message) }));
        return;
      }
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const route = emulator.router.match(req.method ?? 'GET', u.pathname);
    const sreq: SandboxRequest = {
      method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, headers: req.headers,
      body: parseBody(rawBody, req.headers['content-type']), rawBody, params: route?.params ?? {}, baseUrl,
      remoteAddress: req.socket.remoteAddress,
    };
    let out: SandboxResponse;
    try {
      out = route ? await route.handler(sreq) : (emulator.notFound?.(sreq) ?? json(404, { error: 'not_found', path: u.pathname }));
    } catch (e) {
      out = json(500, { error: 'emulator_error', message: String((e as Error).message) });
    }
    if (fault?.kind === 'schema_drift' && out.body !== undefined) {
      const body = driftAnswer(out, fault);
      // a drifted object answer may come back as exact JSON text (see driftAnswer): still JSON
      out = typeof body === 'string' && typeof out.body !== 'string' ? { ...out, body, headers: { ...out.headers, 'content-type': 'application/json' } } : { ...out, body };
    }
    const isText = typeof out.body === 'string';
    const payload = out.body === undefined ? '' : isText ? (out.body as string) : JSON.stringify(out.body);
    const headers = { ...(out.body !== undefined && !isText ? { 'content-type': 'application/json' } : {}), ...out.headers };
    if (!emulator.internal) world.served.record(emulator.name, sreq.method, sreq.path, out.status, isText ? undefined : out.body);
    world.onChange(); // before the answer: what the client is told is already kept
    res.writeHead(out.status, headers).end(payload);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // e.g. EADDRINUSE for a fixed port
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

import type { Fault } from './world.js';

/** Returns true when the fault answered (or killed) the request; false lets it through. */
async function applyFault(f: Fault, res: http.ServerResponse): Promise<boolean> {
  switch (f.kind) {
    case 'server_error':
      res.writeHead(f.status ?? 503, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'service_unavailable', message: 'Injected server error' }));
      return true;
    case 'rate_limit':
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(f.retryAfterSec ?? 1) })
        .end(JSON.stringify({ error: 'rate_limited', message: 'Too many requests' }));
      return true;
    case 'timeout':
      // hold the request open without answering; the client's timeout must fire
      await new Promise((r) => setTimeout(r, f.delayMs ?? 30_000));
      res.destroy();
      return true;
    case 'malformed':
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"this is": not json at all');
      return true;
    case 'truncated': {
      // announce a longer body, send the start of a JSON document, then cut the connection mid-body
      const partial = '{"data": [{"id": "1", "amount": "12.3';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(partial.length + 200) });
      res.write(partial, () => setTimeout(() => res.socket?.destroy(), 20));
      return true;
    }
    case 'drop':
      res.socket?.destroy();
      return true;
    case 'delay':
      await new Promise((r) => setTimeout(r, f.delayMs ?? 150));
      return false;
    case 'schema_drift':
      return false; // applied to the JSON answer by serve()
  }
}

/** schema_drift on an answer: JSON objects, and JSON sent as text (finAPI serializes its own, to keep exact decimals). */
function driftAnswer(out: SandboxResponse, f: Fault): unknown {
  // a value given as JSON text (`1e-7`, `-16192638.834382623`) must reach the client exactly: answer exact JSON text
  if (typeof out.body !== 'string' && f.value !== undefined) return losslessStringify(driftInPlace(losslessParse(JSON.stringify(out.body)), f));
  if (typeof out.body !== 'string') return driftBody(out.body, f);
  if (!/json/i.test(out.headers?.['content-type'] ?? '')) return out.body;
  try {
    return losslessStringify(driftInPlace(losslessParse(out.body), f)) ?? out.body;
  } catch {
    return out.body;
  }
}

/** schema_drift: a copy of a JSON answer with a field missing or renamed (see Fault.field / renameTo). */
export function driftBody(body: unknown, f: Pick<Fault, 'field' | 'renameTo' | 'item' | 'value'>): unknown {
  return driftInPlace(JSON.parse(JSON.stringify(body)) as unknown, f);
}

function driftInPlace(copy: unknown, f: Pick<Fault, 'field' | 'renameTo' | 'item' | 'value'>): unknown {
  // plain objects only: the exact numbers of a lossless parse are objects too, and stay whole
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v));
  if (f.item !== undefined) {
    // one row: the item at that index of the first non-empty array of objects
    const queue: unknown[] = [copy];
    while (queue.length) {
      const v = queue.shift();
      if (Array.isArray(v) && v.some(isObj)) {
        const o = v[f.item];
        if (!isObj(o)) return copy;
        const k = f.field ?? Object.keys(o)[0];
        if (k === undefined) return copy;
        if (f.value !== undefined) { o[k] = losslessParse(f.value); return copy; }
        const val = o[k];
        delete o[k];
        if (f.renameTo) o[f.renameTo] = val;
        return copy;
      }
      if (Array.isArray(v)) queue.push(...v); else if (isObj(v)) queue.push(...Object.values(v));
    }
    return copy;
  }
  if (f.field) {
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) { v.forEach(walk); return; }
      if (!isObj(v)) return;
      if (f.field! in v) {
        const val = v[f.field!];
        delete v[f.field!];
        if (f.renameTo) v[f.renameTo] = val;
      }
      Object.values(v).forEach(walk);
    };
    walk(copy);
    return copy;
  }
  // no field named: the first key of every object in the first non-empty array of objects goes missing
  const queue: unknown[] = [copy];
  while (queue.length) {
    const v = queue.shift();
    if (Array.isArray(v) && v.some(isObj)) {
      for (const o of v) if (isObj(o)) { const k = Object.keys(o)[0]; if (k !== undefined) delete o[k]; }
      return copy;
    }
    if (Array.isArray(v)) queue.push(...v); else if (isObj(v)) queue.push(...Object.values(v));
  }
  if (isObj(copy)) { const k = Object.keys(copy)[0]; if (k !== undefined) delete copy[k]; }
  return copy;
}
