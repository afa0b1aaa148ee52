// Dev/test only: the real Service over a WebSocket on 127.0.0.1, plus the built renderer over HTTP on the same port,
// so the real renderer runs in a browser against the real main side. The packaged app never starts this.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Result } from '../../preload/contract/channels.js';
import { createDispatcher, forwardEvents } from '../ipc/dispatch.js';
import type { Logger } from '../log/logger.js';
import type { Service } from '../service/api.js';

export interface DevBridgeOptions {
  service: Service;
  /** the built renderer (dist/renderer); without it only the WebSocket is served */
  staticDir?: string;
  /** 0 = a free port chosen by the OS */
  port?: number;
  /** with port: when that port is taken, listen on a free one instead of failing */
  anyPortIfTaken?: boolean;
  /** random when omitted */
  token?: string;
  logger?: Logger;
}

export interface DevBridge {
  /** the page to open, token included */
  url: string;
  origin: string;
  token: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.woff2': 'font/woff2',
};

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Serve a file under `root`, refusing anything that escapes it; unknown paths get index.html (client-side routes). */
async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, csp: string): Promise<void> {
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    res.writeHead(400).end('Bad request: the address is not valid percent-encoding');
    return;
  }
  let file = resolve(root, '.' + path);
  if (file !== root && !file.startsWith(root + sep)) {
    res.writeHead(403).end('Forbidden');
    return;
  }
  try {
    if (!(await stat(file)).isFile()) file = join(root, 'index.html');
  } catch {
    file = join(root, 'index.html');
  }
  try {
    const body = await readFile(file);
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    });
    res.end(body);
  } catch {
    res.writeHead(404).end('Not found (is the renderer built?)');
  }
}

export async function startDevBridge(opts: DevBridgeOptions): Promise<DevBridge> {
  const clients = new Set<WebSocket>();
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = opts.staticDir ? resolve(opts.staticDir) : null;
  // the same validation path as Electron IPC; a socket is trusted once its upgrade presented the token
  const dispatch = createDispatcher<WebSocket>(opts.service, { isTrustedSender: (ws) => clients.has(ws), logger: opts.logger });
  let origin = '';

  // a page on another site that rebinds its DNS name to 127.0.0.1 still sends its own Host: refuse it
  const rightHost = (req: IncomingMessage) => req.headers.host === origin.slice('http://'.length);

  const server = createServer((req, res) => {
    if (!rightHost(req)) return void res.writeHead(421).end();
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end();
    if (!root) return void res.writeHead(404).end();
    const host = origin.replace(/^http/, 'ws');
    // the packaged app's policy, except that the page may talk to its own bridge
    const csp = `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${host}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;
    void serveStatic(root, req, res, csp);
  });

  const wss = new WebSocketServer({
    server,
    path: '/bridge',
    maxPayload: 1024 * 1024,
    verifyClient: ({ origin: from, req }: { origin: string; req: IncomingMessage }) => {
      const given = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
      // browsers always send Origin: only our own page may connect; tools without Origin still need the token
      return rightHost(req) && sameToken(given, token) && (!from || from === origin);
    },
  });

  const unsubscribe = forwardEvents(opts.service, (event, payload) => {
    const msg = JSON.stringify({ event, payload });
    for (const c of clients) if (c.readyState === c.OPEN) c.send(msg);
  }, opts.logger);

  wss.on('connection', (ws) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    // a bad frame (e.g. over maxPayload) makes ws close this socket with a proper code (1009, 1002...) and then emit
    // 'error': without a listener that error would take the whole process down
    ws.on('error', (err) => opts.logger?.warn('dev bridge socket closed after an error', { message: err.message }));
    ws.on('message', async (data) => {
      let msg: { id?: unknown; channel?: unknown; request?: unknown };
      try { msg = JSON.parse(String(data)); } catch { return; }
      if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number') return;
      const result: Result<unknown> = await dispatch(ws, msg.channel, msg.request);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result }));
    });
  });

  const listen = (port: number) => new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => { server.off('error', fail); ok(); });
  });
  // the socket server repeats the HTTP server's errors; a taken port is handled here
  const repeated = () => {};
  wss.on('error', repeated);
  try {
    await listen(opts.port ?? 0);
  } catch (e) {
    if (!opts.anyPortIfTaken || (e as NodeJS.ErrnoException).code !== 'EADDRINUSE') { unsubscribe(); wss.close(); throw e; }
    await listen(0);
  } finally {
    wss.off('error', repeated);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    async close() {
      unsubscribe();
      for (const c of clients) c.terminate();
      await new Promise<void>((ok) => wss.close(() => ok()));
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
