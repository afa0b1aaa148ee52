// Banqware transport: the shared HTTP client with the tenant's credential headers as its auth, the error body, and the
// client certificate (mutual TLS) Banqware requires in production.
import fs from 'node:fs';
import https from 'node:https';
import { z } from 'zod';
import { HttpClient, type RequestAuth } from '../http.js';
import type { ProviderConfig } from '../provider.js';
import { authHeaders, errorSchema } from './invented.js';

export function banqwareHttp(config: ProviderConfig, fetch?: typeof globalThis.fetch): { http: HttpClient; auth: RequestAuth } {
  const headers = authHeaders(config.clientId, config.clientSecret);
  const auth: RequestAuth = { headers: () => headers };
  const o = config.options;
  const doFetch = fetch ?? (o.clientCertPath && o.clientKeyPath
    ? mtlsFetch({ cert: fs.readFileSync(o.clientCertPath), key: fs.readFileSync(o.clientKeyPath), ca: o.caPath ? fs.readFileSync(o.caPath) : undefined, passphrase: o.clientKeyPassphrase || undefined })
    : undefined);
  const http = new HttpClient({
    baseUrl: config.baseUrl,
    fetch: doFetch,
    label: 'Banqware',
    describeError: (_status, body) => {
      const e = errorSchema.safeParse(body);
      if (e.success) return { providerCode: String(e.data.errorCode), message: e.data.errorMessage };
      const m = z.object({ message: z.string() }).safeParse(body);
      return m.success ? { message: m.data.message } : undefined;
    },
  });
  return { http, auth };
}

/** A fetch that presents a client certificate (mutual TLS), for Banqware production. */
export function mtlsFetch(tls: { cert: Buffer; key: Buffer; ca?: Buffer; passphrase?: string }): typeof fetch {
  const agent = new https.Agent({ cert: tls.cert, key: tls.key, ca: tls.ca, passphrase: tls.passphrase, keepAlive: true });
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'https:') throw new TypeError('mutual TLS needs an https:// base URL');
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? init.body : init.body == null ? undefined : String(init.body);
    return new Promise<Response>((resolve, reject) => {
      const req = https.request(url, { method: init.method ?? 'GET', headers: Object.fromEntries(headers), agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          const status = res.statusCode ?? 500;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: h }));
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      init.signal?.addEventListener('abort', () => req.destroy(init.signal?.reason ?? new Error('aborted')), { once: true });
      if (body !== undefined) req.write(body);
      req.end();
    });
  }) as typeof fetch;
}
