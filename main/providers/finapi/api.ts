// finAPI transport: the client token, a user's token with refresh-token rotation and password fallback,
// renewed once on 401 (the shared client's auth hook), 423 LOCKED -> wait and retry, lossless JSON + zod.
import type { z } from 'zod';
import { HttpClient, type RequestOptions } from '../http.js';
import { ProviderError } from '../provider.js';
import { parseLossless, tryParseJson } from '../json.js';
import { AccessTokenSchema, describeFinapiError, type AccessToken } from './schemas.js';

export interface FinapiApiOptions {
  baseUrl: string;
  webFormBaseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: typeof fetch;
  now: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** wait between retries of a 423 LOCKED answer, and how many */
  lockedWaitMs: number;
  lockedRetries: number;
}

/** What a user session keeps in the vault: the finAPI user and its tokens. */
export interface UserSecrets {
  userId: string;
  userPassword: string;
  accessToken?: string;
  refreshToken?: string;
  /** ISO instant */
  accessTokenExpiresAt?: string;
  [k: string]: string | undefined;
}

type Host = 'access' | 'webform';
const RENEW_MARGIN_MS = 30_000;

export class FinapiApi {
  readonly access: HttpClient;
  readonly webform: HttpClient;
  private clientToken: { token: string; expiresAt: number } | null = null;

  constructor(readonly o: FinapiApiOptions) {
    const common = { fetch: o.fetch, label: 'finAPI', describeError: describeFinapiError };
    this.access = new HttpClient({ ...common, baseUrl: o.baseUrl });
    this.webform = new HttpClient({ ...common, baseUrl: o.webFormBaseUrl, label: 'finAPI Web Form' });
  }

  /** POST /api/v2/oauth/token with the client's credentials; auth errors become auth_failed / consent_revoked. */
  async tokenGrant(form: Record<string, string>): Promise<AccessToken | 'invalid_grant'> {
    const res = await this.access.raw('/api/v2/oauth/token', {
      method: 'POST', form: { ...form, client_id: this.o.clientId, client_secret: this.o.clientSecret },
    }, (s) => s < 400 || s === 400 || s === 401);
    if (res.status === 400 || res.status === 401) {
      const d = describeFinapiError(res.status, tryParseJson(res.text));
      if (d?.providerCode === 'invalid_grant') return 'invalid_grant';
      throw new ProviderError('auth_failed', `finAPI refused the client credentials${d?.message ? `: ${d.message}` : ''}. Check the client id and secret.`, { providerCode: d?.providerCode ?? null, status: res.status });
    }
    return this.access.parse(AccessTokenSchema, res.text, 'POST /api/v2/oauth/token', parseLossless);
  }

  /** A client token (client_credentials), cached until shortly before it expires. */
  async getClientToken(force = false): Promise<string> {
    const now = this.o.now().getTime();
    if (!force && this.clientToken && this.clientToken.expiresAt - RENEW_MARGIN_MS > now) return this.clientToken.token;
    const t = await this.tokenGrant({ grant_type: 'client_credentials' });
    if (t === 'invalid_grant') throw new ProviderError('auth_failed', 'finAPI refused the client credentials.', { providerCode: 'invalid_grant' });
    // expires_in 0 = never expires
    this.clientToken = { token: t.access_token, expiresAt: t.expires_in > 0 ? now + t.expires_in * 1000 : Number.MAX_SAFE_INTEGER };
    return t.access_token;
  }

  /** A request with the client token (renewed once on 401). */
  async asClient<S extends z.ZodType>(schema: S, host: Host, path: string, req: RequestOptions = {}): Promise<z.output<S>> {
    return this.send(schema, host, path, req, {
      token: () => this.getClientToken(),
      renew: async () => { await this.getClientToken(true); },
    });
  }

  /** A request on behalf of a user session. */
  asUser<S extends z.ZodType>(session: UserSession, schema: S, host: Host, path: string, req: RequestOptions = {}): Promise<z.output<S>> {
    return this.send(schema, host, path, req, { token: () => session.accessToken(), renew: () => session.renew() });
  }

  private async send<S extends z.ZodType>(schema: S, host: Host, path: string, req: RequestOptions,
    auth: { token(): Promise<string>; renew(): Promise<void> }): Promise<z.output<S>> {
    const http = host === 'access' ? this.access : this.webform;
    const what = `${req.method ?? 'GET'} ${path}`;
    const headers = async () => ({ authorization: `Bearer ${await auth.token()}` });
    // one renewal per call, also across the LOCKED waits below
    let renewed = false;
    const renew = async () => { renewed = true; await auth.renew(); };
    for (let locked = 0; ; ) {
      const res = await http.raw(path, { ...req, auth: renewed ? { headers } : { headers, renew } }, (s) => s < 400 || s === 423);
      if (res.status === 423) {
        // LOCKED: an import/update of this connection is running (finAPI's own batch update or ours)
        if (locked++ < this.o.lockedRetries) { await this.o.sleep(this.o.lockedWaitMs, req.signal); continue; }
        const d = describeFinapiError(423, tryParseJson(res.text));
        throw new ProviderError('bank_unavailable', `finAPI is still updating this bank connection${d?.message ? `: ${d.message}` : ''}. It will be retried.`,
          { providerCode: d?.providerCode ?? 'LOCKED', status: 423, retryAfterMs: this.o.lockedWaitMs });
      }
      if (res.status === 204 || res.text === '') return this.nothing(schema, http, what);
      return http.parse(schema, res.text, what, parseLossless);
    }
  }

  /** An empty 2xx body: fine for a schema that accepts undefined, bad_response otherwise. */
  private nothing<S extends z.ZodType>(schema: S, http: HttpClient, what: string): z.output<S> {
    return http.parse(schema, '', what);
  }
}

/**
 * One finAPI user's tokens. Renewal order: the refresh token (rotated, saved at once), then the password grant.
 * A user finAPI no longer knows (password refused) means the connection is gone: consent_revoked.
 */
export class UserSession {
  constructor(private api: FinapiApi, readonly secrets: UserSecrets, private save: (s: UserSecrets) => void) {}

  async accessToken(): Promise<string> {
    const s = this.secrets;
    const exp = s.accessTokenExpiresAt ? Date.parse(s.accessTokenExpiresAt) : 0;
    if (s.accessToken && exp - RENEW_MARGIN_MS > this.api.o.now().getTime()) return s.accessToken;
    await this.renew();
    return this.secrets.accessToken!;
  }

  async renew(): Promise<void> {
    const s = this.secrets;
    let t: AccessToken | 'invalid_grant' = 'invalid_grant';
    if (s.refreshToken) t = await this.api.tokenGrant({ grant_type: 'refresh_token', refresh_token: s.refreshToken });
    if (t === 'invalid_grant') t = await this.api.tokenGrant({ grant_type: 'password', username: s.userId, password: s.userPassword });
    if (t === 'invalid_grant') {
      throw new ProviderError('consent_revoked', 'finAPI no longer accepts this app\'s finAPI user (it was deleted or its password changed). Reconnect the bank.', { providerCode: 'invalid_grant', status: 400 });
    }
    const now = this.api.o.now().getTime();
    s.accessToken = t.access_token;
    s.accessTokenExpiresAt = new Date(t.expires_in > 0 ? now + t.expires_in * 1000 : 8.64e15).toISOString();
    if (t.refresh_token) s.refreshToken = t.refresh_token;
    this.save({ ...s });
  }
}

