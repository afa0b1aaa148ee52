// The one fetch wrapper every provider client uses: timeouts, retries with backoff, 429 Retry-After,
// errors mapped to stable codes, and bodies validated with zod. Secrets never reach error messages.
import { setImmediate as turn } from 'node:timers/promises';
import type { z } from 'zod';
import { tryParseJson } from './json.js';
import { ProviderError } from './provider.js';
import type { MainMessage } from '../domain/errors.js';
import { noteProblem, recordExchange } from './trace.js';

export interface HttpOptions {
  baseUrl: string;
  fetch?: typeof fetch;
  /** per request */
  timeoutMs?: number;
  /** retries for 5xx, 429, network errors and timeouts on idempotent requests (the one layer that retries: the sync
   *  engine repeats nothing, see call() in main/sync/engine.ts) */
  retries?: number;
  /** longest Retry-After we wait in-line; longer ones surface as rate_limited */
  maxRetryAfterMs?: number;
  /** the aggregator's name for messages */
  label: string;
  /** turns an error response body into the aggregator's own code and message */
  describeError?: (status: number, body: unknown) => { providerCode?: string; message?: string } | undefined;
  sleep?: (ms: number) => Promise<void>;
  /** re-codes an error from the aggregator's own code (Powens, Enable Banking); applied to every HTTP error */
  mapError?: (e: ProviderError) => ProviderError;
}

/**
 * How a request proves who it is: the credential headers (asked for before the first try and again after a renewal),
 * and, where credentials can be renewed, `renew`, called once on a 401 before the one retry.
 */
export interface RequestAuth {
  headers(): Record<string, string> | Promise<Record<string, string>>;
  renew?(): Promise<void>;
  /** the error for a 401 that renewing did not cure (default: auth_failed with the aggregator's words) */
  rejected?(res: RawResponse): ProviderError;
}

export interface RequestOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  signal?: AbortSignal;
  /** allow retries even for non-GET (the request is idempotent) */
  idempotent?: boolean;
  auth?: RequestAuth;
}

export interface RawResponse { status: number; headers: Headers; text: string }

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

export class HttpClient {
  constructor(readonly opts: HttpOptions) {}

  /** Send a request; returns the raw response for 2xx/3xx and 4xx the caller wants to inspect, throws ProviderError otherwise. */
  async raw(path: string, req: RequestOptions = {}, acceptStatus: (s: number) => boolean = (s) => s < 400): Promise<RawResponse> {
    const { fetch: doFetch = fetch, timeoutMs = 20_000, retries = 2, maxRetryAfterMs = 10_000, sleep = defaultSleep } = this.opts;
    const method = req.method ?? 'GET';
    const canRetry = method === 'GET' || method === 'HEAD' || req.idempotent === true;
    const url = new URL(path.replace(/^\//, ''), this.opts.baseUrl.endsWith('/') ? this.opts.baseUrl : this.opts.baseUrl + '/');
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    const plain: Record<string, string> = { accept: 'application/json', ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) { plain['content-type'] = 'application/json'; body = JSON.stringify(req.json); }
    if (req.form) { plain['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(req.form).toString(); }
    let headers = req.auth ? { ...plain, ...await req.auth.headers() } : plain;
    let renewed = false;

    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      let res: Response;
      let text: string;
      try {
        res = await doFetch(url, { method, headers, body, signal, redirect: 'manual' });
        text = await res.text();
      } catch (e) {
        const timedOut = timeout.aborted;
        // the technical reason ("fetch failed", ECONNREFUSED …) goes to the problem report, not into the message
        recordExchange(method, url, null, null, timedOut ? `no answer within ${timeoutMs} ms` : `no answer: ${failureReason(e)}`);
        if (req.signal?.aborted) throw new ProviderError('cancelled', { id: 'error.cancelled' });
        if (canRetry && attempt < retries) { await sleep(backoff(attempt)); continue; }
        throw timedOut
          ? new ProviderError('timeout', { id: 'provider.timeout', values: { label: this.opts.label, seconds: Math.round(timeoutMs / 1000) } })
          : new ProviderError('network', { id: 'provider.network', values: { label: this.opts.label } });
      }
      recordExchange(method, url, res.status, text);
      // a large body's shape (just taken) and its parsing (the caller's) run in two turns of the event loop, not one
      // long block that keeps the window's calls waiting
      await turn();
      if (res.status === 401 && req.auth) {
        // renew once and retry once, whatever the method (a refused request did nothing); the retry is a fresh
        // request with its own `retries` for transient failures
        if (req.auth.renew && !renewed) {
          renewed = true;
          await req.auth.renew();
          headers = { ...plain, ...await req.auth.headers() };
          attempt = -1;
          continue;
        }
        if (req.auth.rejected) throw req.auth.rejected({ status: res.status, headers: res.headers, text });
      }
      if (acceptStatus(res.status)) return { status: res.status, headers: res.headers, text };
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      if (res.status === 429 || res.status >= 500) {
        const wait = res.status === 429 ? (retryAfterMs ?? backoff(attempt)) : backoff(attempt);
        if (canRetry && attempt < retries && wait <= maxRetryAfterMs) { await sleep(wait + jitter()); continue; }
      }
      throw this.errorFor(res.status, text, retryAfterMs);
    }
  }

  /** Send a request and validate the JSON body with the schema. */
  async json<S extends z.ZodType>(schema: S, path: string, req: RequestOptions = {}): Promise<z.output<S>> {
    const res = await this.raw(path, req);
    return this.parse(schema, res.text, `${req.method ?? 'GET'} ${path}`);
  }

  /** Parse a body with a schema; malformed or drifted bodies become `bad_response`. */
  parse<S extends z.ZodType>(schema: S, text: string, what: string, parseText: (t: string) => unknown = JSON.parse): z.output<S> {
    let data: unknown;
    try { data = text === '' ? undefined : parseText(text); } catch {
      noteProblem(`${what}: not valid JSON`);
      throw new ProviderError('bad_response', { id: 'provider.unreadable', values: { label: this.opts.label } });
    }
    const r = schema.safeParse(data);
    if (!r.success) {
      const issue = r.error.issues[0];
      noteProblem(`${what}: ${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`.trim());
      throw new ProviderError('bad_response', { id: 'provider.unreadable', values: { label: this.opts.label } });
    }
    return r.data;
  }

  errorFor(status: number, text: string, retryAfterMs: number | null): ProviderError {
    const e = this.statusError(status, text, retryAfterMs);
    return this.opts.mapError ? this.opts.mapError(e) : e;
  }

  private statusError(status: number, text: string, retryAfterMs: number | null): ProviderError {
    const d = this.opts.describeError?.(status, tryParseJson(text)) ?? {};
    // the aggregator's own words, after a colon where it gave some
    const own: MainMessage = d.message ? { id: 'provider.detail', values: { text: d.message } } : { id: 'provider.no_detail' };
    const values = { label: this.opts.label, own };
    const info = { providerCode: d.providerCode ?? null, status, retryAfterMs };
    // the HTTP status stays in `info` and in the problem report's requests, not in the words people read
    if (status === 429) return new ProviderError('rate_limited', { id: 'provider.rate_limited', values }, info);
    if (status >= 500) return new ProviderError('bank_unavailable', { id: 'provider.unavailable', values }, info);
    if (status === 401) return new ProviderError('auth_failed', { id: 'provider.auth_failed', values }, info);
    if (status === 403) return new ProviderError('forbidden', { id: 'provider.forbidden', values }, info);
    if (status === 404) return new ProviderError('not_found', { id: 'provider.not_found', values }, info);
    return new ProviderError('bad_response', { id: 'provider.refused', values }, info);
  }
}

/** "fetch failed" says nothing: the cause's code (ECONNREFUSED, ENOTFOUND, UND_ERR_…) or message does */
function failureReason(e: unknown): string {
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return e instanceof Error ? e.message : String(e);
}

const backoff = (attempt: number) => Math.min(8000, 250 * 2 ** attempt);
const jitter = () => Math.floor(Math.random() * 100);
