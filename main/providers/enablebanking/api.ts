// Low-level Enable Banking API access: every request carries a JWT (RS256, kid = application id) signed with the
// user's own application private key (from the vault), bodies are parsed losslessly, and the reference's ErrorCode
// values become the app's error codes.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { z } from 'zod';
import type { ErrorCode } from '../../../preload/contract/errors.js';
import { HttpClient, type RequestOptions } from '../http.js';
import { parseLossless } from '../json.js';
import { ProviderError, type ProviderConfig } from '../provider.js';
import { ErrorResponse } from './schemas.js';

export const ENABLEBANKING_BASE_URL = 'https://api.enablebanking.com';
/** the reference allows at most 24 h; a token is used for an hour and made anew after 50 minutes */
const TOKEN_TTL_S = 3600;
const TOKEN_REUSE_MS = 50 * 60_000;

/** ErrorCode (reference) -> the app's codes; anything else keeps the HTTP status's meaning */
const ERROR_CODES: Record<string, ErrorCode> = {
  EXPIRED_SESSION: 'consent_expired',
  REVOKED_SESSION: 'consent_revoked',
  CLOSED_SESSION: 'consent_revoked',
  SESSION_DOES_NOT_EXIST: 'consent_revoked',
  ASPSP_RATE_LIMIT_EXCEEDED: 'rate_limited',
  ASPSP_ERROR: 'bank_unavailable',
  ASPSP_TIMEOUT: 'bank_unavailable',
  ASPSP_PSU_ACTION_REQUIRED: 'action_at_bank',
  EXPIRED_AUTHORIZATION_CODE: 'link_expired',
  WRONG_AUTHORIZATION_CODE: 'link_expired',
  ALREADY_AUTHORIZED: 'link_expired',
  UNAUTHORIZED_ACCESS: 'auth_failed',
  AUTHORIZATION_NOT_PROVIDED: 'auth_failed',
  ACCESS_DENIED: 'forbidden',
  UNAUTHORIZED_IP: 'forbidden',
  REDIRECT_URI_NOT_ALLOWED: 'not_configured',
  ACCOUNT_DOES_NOT_EXIST: 'not_found',
  ASPSP_ACCOUNT_NOT_ACCESSIBLE: 'not_found',
  WRONG_ASPSP_PROVIDED: 'validation',
};

/** A private key pasted into a one-line field loses its line breaks: put them back before reading it. */
export function readPrivateKey(text: string): KeyObject {
  const m = /-----BEGIN ([A-Z ]*PRIVATE KEY)-----([\s\S]*?)-----END \1-----/.exec(text.trim());
  const pem = m ? `-----BEGIN ${m[1]}-----\n${m[2].replace(/\s+/g, '').match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${m[1]}-----\n` : text;
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ProviderError('not_configured', 'The Enable Banking private key is not a PEM private key. Paste the whole private.key file of your application (with its BEGIN and END lines) in Settings.');
  }
  if (key.asymmetricKeyType !== 'rsa') throw new ProviderError('not_configured', 'The Enable Banking private key must be an RSA key (the reference accepts only RS256).');
  return key;
}

export class EnableBankingApi {
  readonly baseUrl: string;
  private readonly http: HttpClient;
  private readonly now: () => Date;
  private key: KeyObject | null = null;
  private token: { jwt: string; madeAt: number } | null = null;

  constructor(private readonly config: ProviderConfig, deps: { fetch?: typeof fetch; now?: () => Date }) {
    this.baseUrl = (config.baseUrl || ENABLEBANKING_BASE_URL).replace(/\/+$/, '');
    this.now = deps.now ?? (() => new Date());
    const describeError = (_status: number, body: unknown) => {
      const r = ErrorResponse.safeParse(body);
      if (!r.success) return undefined;
      const detail = typeof r.data.detail === 'string' ? ` (${r.data.detail})` : '';
      return { providerCode: r.data.error ?? undefined, message: r.data.message ? `${r.data.message}${detail}` : undefined };
    };
    this.http = new HttpClient({ baseUrl: this.baseUrl, fetch: deps.fetch, label: 'Enable Banking', describeError, mapError: remap, timeoutMs: 60_000 });
  }

  /** The bearer JWT: iss enablebanking.com, aud api.enablebanking.com, kid = application id [reference, bearerAuth]. */
  private async jwt(): Promise<string> {
    const t = this.now().getTime();
    if (this.token && t - this.token.madeAt < TOKEN_REUSE_MS && t >= this.token.madeAt) return this.token.jwt;
    if (!this.config.clientId.trim()) throw new ProviderError('not_configured', 'Enable Banking needs your application id in Settings.');
    this.key ??= readPrivateKey(this.config.clientSecret);
    const iat = Math.floor(t / 1000);
    const jwt = await new SignJWT({})
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.config.clientId.trim() })
      .setIssuer('enablebanking.com').setAudience('api.enablebanking.com')
      .setIssuedAt(iat).setExpirationTime(iat + TOKEN_TTL_S)
      .sign(this.key);
    this.token = { jwt, madeAt: t };
    return jwt;
  }

  async call<S extends z.ZodType>(schema: S, path: string, req: RequestOptions = {}): Promise<z.output<S>> {
    const text = await this.send(path, req);
    return this.http.parse(schema, text, `${req.method ?? 'GET'} ${path.split('?')[0]}`, parseLossless);
  }

  /** a JWT made here is not renewed on 401: a refused one means the application id or key is wrong */
  async send(path: string, req: RequestOptions = {}): Promise<string> {
    return (await this.http.raw(path, { ...req, auth: { headers: async () => ({ authorization: `Bearer ${await this.jwt()}` }) } })).text;
  }
}

/** A ProviderError from the shared HTTP client, re-coded from the reference's ErrorCode it carries. */
function remap(e: ProviderError): ProviderError {
  const own = e.info.providerCode ? ERROR_CODES[e.info.providerCode] : undefined;
  const status = e.info.status ?? 0;
  // 429 and 5xx keep their meaning (retried later) whatever the body says
  if (!own || own === e.code || status === 429 || status >= 500) return e;
  return new ProviderError(own, e.message, e.info);
}
