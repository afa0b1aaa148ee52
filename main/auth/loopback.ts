// The loopback redirect listener (RFC 8252 §7.3): 127.0.0.1, a random port, one path. It hands every callback URL to
// the service's single redirect entry point and answers the browser with a small page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackListener {
  port: number;
  /** the redirect URI to give providers, e.g. http://127.0.0.1:41234/callback */
  redirectUri: string;
  /** stop accepting connections at once; a browser already being answered still gets its page */
  close(): Promise<void>;
}

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;color:#1f2937;background:#f8fafc}
main{max-width:28rem;text-align:center}h1{font-size:1.4rem}</style></head>
<body><main><h1>${title}</h1><p>${body}</p></main></body></html>`;

export const RETURN_PAGE = page('You can return to Multibank', 'Multibank has received the answer from your bank. You can close this tab.');
export const INVALID_PAGE = page('This link is no longer valid', 'Multibank was not expecting this answer (it may have expired or been used already). Start linking again in Multibank.');

export async function startLoopbackListener(opts: { onRedirect(url: string): Promise<boolean>; path?: string; port?: number }): Promise<LoopbackListener> {
  const path = opts.path ?? '/callback';
  const busy = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    busy.add(req.socket);
    res.on('close', () => busy.delete(req.socket));
    // one page per sign-in: no keep-alive, so a closed listener leaves no connection behind
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', connection: 'close' };
    const port = (server.address() as AddressInfo).port;
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method !== 'GET' || url.pathname !== path) {
      res.writeHead(404, headers).end(page('Not found', 'Nothing here.'));
      return;
    }
    opts.onRedirect(url.toString()).then(
      (ok) => res.writeHead(ok ? 200 : 400, headers).end(ok ? RETURN_PAGE : INVALID_PAGE),
      () => res.writeHead(400, headers).end(INVALID_PAGE),
    );
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    redirectUri: `http://127.0.0.1:${port}${path}`,
    async close() {
      server.close(); // the port stops accepting now; 'close' itself waits for the answers still being sent
      for (const s of sockets) if (!busy.has(s)) s.destroy();
    },
  };
}
