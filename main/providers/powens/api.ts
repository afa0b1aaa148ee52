// Low-level Powens API access: base URL, lossless JSON, the Powens error body -> ProviderError codes,
// and, for calls made with a permanent user token, /auth/renew as the shared client's renewal on 401.
import { parseLossless } from '../json.js';
import type { z } from 'zod';
import type { ErrorCode } from '../../../preload/contract/errors.js';
import { HttpClient, type RequestOptions } from '../http.js';
import { ProviderError, type ProviderConfig } from '../provider.js';
import { ExchangedToken, ServiceError } from './schemas.js';

/** The real service: `https://{domain}.biapi.pro/2.0`; `{domain}` comes from the `domain` option. */
export const POWENS_DEFAULT_BASE_URL = 'https://{domain}.biapi.pro/2.0';

export function resolveBaseUrl(baseUrl: string, options: Record<string, string>): string {
  if (!baseUrl.includes('{domain}')) return baseUrl;
  const domain = options.domain?.trim();
  if (!domain || !/^[a-z0-9-]+$/i.test(domain)) throw new ProviderError('not_configured', 'Powens needs your domain (the part before .biapi.pro) in Settings.');
  return baseUrl.replace('{domain}', domain);
}

/** Powens error codes (ServiceErrorCode, documented common codes, connection states) -> the app's codes. */
const ERROR_CODE_MAP: Record<string, ErrorCode> = {
  wrongpass: 'wrong_credentials',
  websiteUnavailable: 'bank_unavailable',
  bug: 'bank_unavailable',
  connectionLocked: 'bank_unavailable',
  tooManySync: 'rate_limited',
  rateLimiting: 'rate_limited',
  actionNeeded: 'action_at_bank',
  bankMessage: 'action_at_bank',
  passwordExpired: 'action_at_bank',
  SCARequired: 'needs_user',
  webauthRequired: 'needs_user',
  decoupled: 'needs_user',
  additionalInformationNeeded: 'needs_user',
  missingParameter: 'validation',
  invalidValue: 'validation',
  forbidden: 'forbidden',
  invalidToken: 'auth_failed',
  invalidClient: 'auth_failed',
  notFound: 'not_found',
};


/** A user token in use; `renewable` when it is permanent and can be replaced through /auth/renew. */
export interface UserAuth {
  userId: string;
  token: string;
  renewable: boolean;
  /** called with the new token after a renewal, to persist it */
  onRenewed?: (token: string) => void;
}

export class PowensApi {
  readonly baseUrl: string;
  private readonly http: HttpClient;
  /** connection creation and sync talk to the bank synchronously: allow minutes, not seconds */
  private readonly slow: HttpClient;

  constructor(readonly config: ProviderConfig, deps: { fetch?: typeof fetch }) {
    this.baseUrl = resolveBaseUrl(config.baseUrl, config.options).replace(/\/+$/, '');
    const describeError = (_status: number, body: unknown) => {
      const r = ServiceError.safeParse(body);
      return r.success ? { providerCode: r.data.code, message: r.data.message || r.data.description || undefined } : undefined;
    };
    this.http = new HttpClient({ baseUrl: this.baseUrl, fetch: deps.fetch, label: 'Powens', describeError, mapError: remap });
    this.slow = new HttpClient({ baseUrl: this.baseUrl, fetch: deps.fetch, label: 'Powens', describeError, mapError: remap, timeoutMs: 180_000, retries: 0 });
  }

  /** One call: parse the body losslessly with `schema`; with `auth`, a 401 renews the token once and retries. */
  async call<S extends z.ZodType>(schema: S, path: string, req: RequestOptions & { slow?: boolean } = {}, auth?: UserAuth): Promise<z.output<S>> {
    const text = await this.send(path, req, auth);
    return this.http.parse(schema, text, `${req.method ?? 'GET'} ${path.split('?')[0]}`, parseLossless);
  }

  /** Like call, for 204 answers. */
  async send(path: string, req: RequestOptions & { slow?: boolean } = {}, auth?: UserAuth): Promise<string> {
    const client = req.slow ? this.slow : this.http;
    const withAuth = auth && {
      headers: () => ({ authorization: `Bearer ${auth.token}` }),
      renew: auth.renewable ? () => this.renew(auth) : undefined,
    };
    return (await client.raw(path, { ...req, auth: withAuth })).text;
  }

  /** POST /auth/renew: a new permanent token for the same user (the old ones revoked). */
  async renew(auth: UserAuth): Promise<void> {
    const { clientId, clientSecret } = this.config;
    let token: string;
    try {
      token = await this.call(ExchangedToken, '/auth/renew', {
        method: 'POST', json: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, id_user: Number(auth.userId), revoke_previous: true },
      });
    } catch (e) {
      if (e instanceof ProviderError && e.code === 'not_found') throw new ProviderError('consent_revoked', 'Powens no longer knows this user: the connection was removed there.', e.info);
      throw e;
    }
    auth.token = token;
    auth.onRenewed?.(token);
  }
}

/** A ProviderError from the shared HTTP client, re-coded from the Powens error code it carries. */
export function remap(e: ProviderError): ProviderError {
  const own = e.info.providerCode ? ERROR_CODE_MAP[e.info.providerCode] : undefined;
  const status = e.info.status ?? 0;
  // 429 and 5xx keep their meaning (retried later) whatever the body says
  if (!own || own === e.code || status === 429 || status >= 500) return e;
  return new ProviderError(own, e.message, e.info);
}

/** The ProviderError for a Powens code seen outside an HTTP error (webauth callback `error`, a connection state). */
export function powensError(code: string, message: string): ProviderError {
  return new ProviderError(ERROR_CODE_MAP[code] ?? 'bank_unavailable', message, { providerCode: code });
}
