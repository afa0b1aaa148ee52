// Everifin BankConnect (Slovakia): the user connects banks inside Everifin's web app; Multibank gets delegated access to
// that Everifin user through Keycloak-style OpenID Connect (authorization code + PKCE, refresh-token rotation) and reads
// the accounts and transactions through the BankConnect API. See ../shared/providers/everifin.md.
import * as oidc from 'openid-client';
import { z } from 'zod';
import type { ConsentInfo, Institution, IsoDate } from '../../domain/types.js';
import { HttpClient, type RequestAuth } from '../http.js';
import {
  banksTitle, ProviderError, type ConnectionContext, type LinkInput, type LinkStep, type PendingLink, type Provider, type ProviderCapabilities,
  type ProviderConfig, type ProviderFactory, type RefreshOptions, type TransactionPage,
} from '../provider.js';
import { everifinConsentState } from './consent.js';
import { USER_AGENT, describeEverifinError, envelope, expiredError, mapOidcError, parseJson } from './api.js';
import { EverifinPending, EverifinSecrets } from './stored.js';
import { readPending, readStored } from '../stored.js';
import { readRows } from '../rows.js';
import {
  BANKCONNECT_PATHS as P, TX_QUERY as Q, bankAccountSchema, rowDate, toRemoteAccount, toRemoteTransaction, transactionSchema,
  type EverifinBankAccount, type EverifinTransaction,
} from './invented.js';

export { everifinConsentState } from './consent.js';
export { mapOidcError } from './api.js';

/** Real BankConnect API hosts (Everifin's API guide: `{host}/api/v1/...`); their identity providers are the app hosts. */
/** who a person asks to delete their connection: the name banks list the access under, and its website */
export const EVERIFIN_CONTACT = { legalName: 'Everifin', site: 'everifin.com' };
export const EVERIFIN_PRODUCTION_URL = 'https://api.everifin.com';
export const EVERIFIN_STAGE_URL = 'https://api.stage.everifin.com';
const IDP_OF_API_HOST: Record<string, string> = { 'api.everifin.com': 'https://app.everifin.com', 'api.stage.everifin.com': 'https://app.stage.everifin.com' };
export const EVERIFIN_OPTION_NAMES = ['realm', 'scope', 'idpUrl', 'pkce'];

const PER_PAGE = 200;
const isLoopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(u.hostname);
interface Tokens { accessToken: string; accessExpiresAt: string; refreshToken: string; refreshExpiresAt: string }

export class EverifinProvider implements Provider {
  readonly id = 'everifin' as const;
  readonly capabilities: ProviderCapabilities = {
    redirects: ['custom_scheme', 'loopback'],
    institutionsListable: false,
    pendingTransactions: true,
    maxHistoryDays: 3 * 366,
    overlapDays: 7,
    dailyUnattendedBudget: 24,
  };
  private readonly http: HttpClient;
  private readonly now: () => Date;
  private readonly idpUrl: URL;
  private readonly realm: string;
  private readonly scope: string;
  private readonly usePkce: boolean;
  private discovered: Promise<oidc.Configuration> | null = null;
  /** one refresh at a time per connection: rotated refresh tokens are single-use */
  private refreshing = new Map<number, Promise<Tokens>>();

  constructor(private readonly config: ProviderConfig, private readonly deps: { fetch?: typeof fetch; now?: () => Date } = {}) {
    this.now = deps.now ?? (() => new Date());
    this.realm = config.options.realm || 'everifin_app';
    this.scope = config.options.scope || 'ais';
    this.usePkce = config.options.pkce !== 'off';
    this.idpUrl = new URL(config.options.idpUrl || IDP_OF_API_HOST[new URL(config.baseUrl).host] || config.baseUrl);
    this.http = new HttpClient({
      baseUrl: config.baseUrl,
      fetch: deps.fetch,
      label: 'Everifin',
      describeError: describeEverifinError,
    });
  }

  // ---------- OIDC ----------
  private issuer(): URL {
    const base = this.idpUrl.href.replace(/\/$/, '');
    return new URL(`${base}/auth/realms/${encodeURIComponent(this.realm)}`);
  }

  private oidcConfig(): Promise<oidc.Configuration> {
    this.discovered ??= (async () => {
      const options: oidc.DiscoveryRequestOptions = { timeout: 20 };
      if (isLoopback(this.idpUrl)) options.execute = [oidc.allowInsecureRequests];
      if (this.deps.fetch) options[oidc.customFetch] = this.deps.fetch as never;
      const c = await oidc.discovery(this.issuer(), this.config.clientId, undefined, oidc.ClientSecretPost(this.config.clientSecret), options);
      if (this.deps.fetch) c[oidc.customFetch] = this.deps.fetch as never;
      return c;
    })().catch((e) => { this.discovered = null; throw mapOidcError(e, 'discovery'); });
    return this.discovered;
  }

  private tokensFrom(r: oidc.TokenEndpointResponse, previous?: Partial<Tokens>): Tokens {
    const now = this.now().getTime();
    const refreshIn = typeof r.refresh_expires_in === 'number' ? r.refresh_expires_in : null;
    return {
      accessToken: r.access_token,
      accessExpiresAt: new Date(now + (r.expires_in ?? 300) * 1000).toISOString(),
      refreshToken: r.refresh_token ?? previous?.refreshToken ?? '',
      refreshExpiresAt: refreshIn !== null ? new Date(now + refreshIn * 1000).toISOString() : (previous?.refreshExpiresAt ?? ''),
    };
  }

  private async authorizationUrl(redirectUri: string, state: string, extra: Record<string, string>): Promise<LinkStep> {
    const c = await this.oidcConfig();
    const pending: PendingLink = { redirectUri, state };
    const params: Record<string, string> = { redirect_uri: redirectUri, response_type: 'code', scope: `openid ${this.scope}`, state, ...extra };
    if (this.usePkce) {
      const verifier = oidc.randomPKCECodeVerifier();
      pending.codeVerifier = verifier;
      params.code_challenge = await oidc.calculatePKCECodeChallenge(verifier);
      params.code_challenge_method = 'S256';
    }
    return { kind: 'redirect', url: oidc.buildAuthorizationUrl(c, params).href, pending };
  }

  async checkConfig(): Promise<void> {
    const c = await this.oidcConfig();
    // A refresh with a token that cannot exist tells a wrong client (invalid_client) from a working one (invalid_grant).
    try {
      await oidc.refreshTokenGrant(c, 'multibank-config-check');
    } catch (e) {
      if (e instanceof oidc.ResponseBodyError && e.error === 'invalid_grant') return;
      throw mapOidcError(e, 'token');
    }
  }

  async listInstitutions(_query: string): Promise<Institution[]> {
    return []; // banks are connected inside Everifin's web app, not through the API
  }

  beginLink(opts: { institutionId?: string; redirectUri: string; state: string }): Promise<LinkStep> {
    return this.authorizationUrl(opts.redirectUri, opts.state, {});
  }

  async beginRenewal(ctx: ConnectionContext, opts: { redirectUri: string; state: string }): Promise<LinkStep> {
    const step = await this.authorizationUrl(opts.redirectUri, opts.state, { prompt: 'login' });
    if (step.kind === 'redirect') step.pending.renewalOf = ctx.remote.userId ?? null;
    return step;
  }

  async completeLink(pending: PendingLink, input: LinkInput): Promise<LinkStep> {
    if (input.kind !== 'callback') throw new ProviderError('validation', 'Everifin finishes linking through the browser redirect.');
    const p = readPending(EverifinPending, pending, 'Everifin');
    const c = await this.oidcConfig();
    const url = new URL(input.url);
    let r: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      r = await oidc.authorizationCodeGrant(c, url, {
        expectedState: p.state,
        pkceCodeVerifier: p.codeVerifier,
        idTokenExpected: true,
      });
    } catch (e) {
      throw mapOidcError(e, 'code');
    }
    const sub = r.claims()?.sub;
    if (!sub) throw new ProviderError('bad_response', 'Everifin did not say which user signed in. Nothing was changed.');
    if (p.renewalOf && p.renewalOf !== sub) {
      throw new ProviderError('forbidden', 'You signed in as a different Everifin user than the one this connection belongs to. Sign in as the same user.', { providerCode: 'different_user' });
    }
    const tokens = this.tokensFrom(r);
    const secrets: Record<string, string> = { ...tokens };
    const ctx: ConnectionContext = { connectionId: -1, remote: { userId: sub }, secrets, saveSecrets: (s) => Object.assign(secrets, s) };
    const accounts = await this.allAccounts(ctx);
    return {
      kind: 'done',
      connection: {
        remote: { userId: sub },
        secrets,
        institutionId: null,
        institutionName: banksTitle(accounts.map(toRemoteAccount)) ?? 'Everifin',
        consent: everifinConsentState({ refreshExpiresAt: tokens.refreshExpiresAt || null, accounts, now: this.now() }),
      },
    };
  }

  /** A valid access token for the connection, refreshing (once, single-flight) when it has expired or `force` is set. */
  private async accessToken(ctx: ConnectionContext, force = false): Promise<string> {
    const s = readStored(EverifinSecrets, ctx.secrets, 'Everifin tokens');
    if (!force && s.accessToken && Date.parse(s.accessExpiresAt ?? '') - 15_000 > this.now().getTime()) return s.accessToken;
    const key = ctx.connectionId;
    let p = this.refreshing.get(key);
    if (!p) {
      p = (async () => {
        if (!s.refreshToken) throw expiredError('invalid_grant');
        const c = await this.oidcConfig();
        try {
          const r = await oidc.refreshTokenGrant(c, s.refreshToken);
          const t = this.tokensFrom(r, s);
          Object.assign(ctx.secrets, t);
          ctx.saveSecrets({ ...ctx.secrets });
          return t;
        } catch (e) {
          throw mapOidcError(e, 'refresh');
        }
      })().finally(() => this.refreshing.delete(key));
      this.refreshing.set(key, p);
    }
    return (await p).accessToken;
  }

  /** An authenticated BankConnect call; a 401 gets one (single-flight) token refresh and one retry. */
  private async api<S extends z.ZodType>(ctx: ConnectionContext, schema: S, path: string, req: { method?: string; query?: Record<string, string | number | undefined>; signal?: AbortSignal } = {}): Promise<z.output<S>> {
    let token = '';
    const auth: RequestAuth = {
      headers: async () => ({ authorization: `Bearer ${token ||= await this.accessToken(ctx)}` }),
      renew: async () => { token = await this.accessToken(ctx, true); },
      rejected: () => new ProviderError('consent_expired', 'Everifin no longer accepts this sign-in. Sign in to Everifin again.', { providerCode: 'unauthorized', status: 401 }),
    };
    // the API guide: JSON content type and the end user's User-Agent on every request (the latter goes on to the banks)
    const res = await this.http.raw(path, { ...req, auth, headers: { 'user-agent': USER_AGENT, 'content-type': 'application/json' } });
    // the API guide: 204 when there is no content to return (an empty list)
    const text = res.status === 204 && !res.text.trim() ? '{"data":[]}' : res.text;
    return this.http.parse(schema, text, `${req.method ?? 'GET'} ${path}`, parseJson);
  }

  private async allAccounts(ctx: ConnectionContext): Promise<EverifinBankAccount[]> {
    const out: EverifinBankAccount[] = [];
    const schema = envelope(z.array(bankAccountSchema));
    for (let page = 1; page < 1000; page++) {
      const r = await this.api(ctx, schema, P.bankAccounts, { query: { [Q.page]: page, [Q.perPage]: PER_PAGE } });
      out.push(...r.data);
      const last = r.meta?.pagination?.last;
      if (!last || page >= last || r.data.length === 0) break;
    }
    return out;
  }

  async refreshConnection(ctx: ConnectionContext, opts: RefreshOptions): Promise<ConsentInfo> {
    opts.onProgress?.('Asking Everifin to download new transactions from your banks…');
    await this.api(ctx, envelope(z.unknown()), P.refresh, { method: 'POST', signal: opts.signal });
    opts.onProgress?.('Reading your Everifin accounts…');
    const accounts = await this.allAccounts(ctx);
    return everifinConsentState({ refreshExpiresAt: ctx.secrets.refreshExpiresAt || null, accounts, now: this.now() });
  }

  async listAccounts(ctx: ConnectionContext) {
    return (await this.allAccounts(ctx)).map(toRemoteAccount);
  }

  /**
   * Every row of the account whose date is inside [from, to], newest first, page by page (cursor = next page).
   * Stops as soon as a page reaches rows older than `from`. Upsert by `remoteId`: Everifin keeps ids stable and moves
   * `lastUpdated` when a row changes.
   */
  async fetchTransactions(ctx: ConnectionContext, accountRemoteId: string, window: { from: IsoDate; to: IsoDate; cursor: string | null; signal?: AbortSignal }): Promise<TransactionPage> {
    const page = window.cursor ? Number(JSON.parse(window.cursor).page) : 1;
    const r = await this.api(ctx, envelope(z.array(z.unknown())), P.accountTransactions(accountRemoteId), {
      query: { [Q.page]: page, [Q.perPage]: PER_PAGE, [Q.sort]: Q.sortNewestFirst }, signal: window.signal,
    });
    const { parsed, transactions, unreadable } = readRows(r.data, transactionSchema, toRemoteTransaction, {
      keep: (t) => { const d = rowDate(t); return d >= window.from && d <= window.to; },
    });
    // newest first: the page's oldest readable row says whether older pages can still be in the window
    const oldest = parsed.length ? rowDate(parsed[parsed.length - 1]) : null;
    const last = r.meta?.pagination?.last ?? page;
    const more = r.data.length > 0 && page < last && (oldest === null || oldest >= window.from);
    return { transactions, unreadable, nextCursor: more ? JSON.stringify({ page: page + 1 }) : null };
  }

  /**
   * Everifin's recommended incremental read: rows created or changed since `updatedFrom` (pass `nextUpdatedFrom()` of
   * what you stored), in any booking-date order — robust to the out-of-order first download because it never assumes
   * that a later `lastUpdated` means a later booking. Upsert the rows by `remoteId`.
   */
  async fetchUpdatedSince(ctx: ConnectionContext, accountRemoteId: string, opts: { updatedFrom: string | null; cursor: string | null; signal?: AbortSignal }): Promise<TransactionPage & { rows: EverifinTransaction[] }> {
    const page = opts.cursor ? Number(JSON.parse(opts.cursor).page) : 1;
    const r = await this.api(ctx, envelope(z.array(transactionSchema)), P.accountTransactions(accountRemoteId), {
      query: { [Q.page]: page, [Q.perPage]: PER_PAGE, [Q.sort]: Q.sortByUpdate, [Q.updatedFrom]: opts.updatedFrom ?? undefined }, signal: opts.signal,
    });
    const last = r.meta?.pagination?.last ?? page;
    return { rows: r.data, transactions: r.data.map(toRemoteTransaction), nextCursor: r.data.length > 0 && page < last ? JSON.stringify({ page: page + 1 }) : null };
  }

  async consent(ctx: ConnectionContext): Promise<ConsentInfo> {
    try {
      const accounts = await this.allAccounts(ctx);
      return everifinConsentState({ refreshExpiresAt: ctx.secrets.refreshExpiresAt || null, accounts, now: this.now() });
    } catch (e) {
      if (e instanceof ProviderError) {
        if (e.code === 'consent_expired') return everifinConsentState({ tokenError: e.info.providerCode === 'unauthorized' ? null : 'invalid_grant', apiUnauthorized: true, refreshExpiresAt: ctx.secrets.refreshExpiresAt || null, now: this.now() });
        if (e.code === 'auth_failed') return everifinConsentState({ tokenError: e.info.providerCode ?? 'invalid_client', now: this.now() });
        if (['rate_limited', 'bank_unavailable', 'network', 'timeout', 'bad_response'].includes(e.code)) {
          return everifinConsentState({ transient: { code: e.info.providerCode ?? e.code, message: e.message }, refreshExpiresAt: ctx.secrets.refreshExpiresAt || null, now: this.now() });
        }
      }
      throw e;
    }
  }

  /** Disconnect: end the Everifin sign-in (Keycloak back-channel logout) and revoke the tokens; the service deletes them. */
  async remove(ctx: ConnectionContext): Promise<void> {
    const c = await this.oidcConfig();
    const rt = ctx.secrets.refreshToken;
    if (rt) {
      const logout = c.serverMetadata().end_session_endpoint;
      if (logout) {
        const doFetch = this.deps.fetch ?? fetch;
        await doFetch(logout, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ client_id: this.config.clientId, client_secret: this.config.clientSecret, refresh_token: rt }),
          signal: AbortSignal.timeout(20_000),
        }).catch(() => undefined);
      }
      await oidc.tokenRevocation(c, rt, { token_type_hint: 'refresh_token' }).catch(() => undefined);
    }
    if (ctx.secrets.accessToken) await oidc.tokenRevocation(c, ctx.secrets.accessToken, { token_type_hint: 'access_token' }).catch(() => undefined);
  }
}

/**
 * Next `updatedFrom` after a batch of rows: max(lastUpdated) + 1 ms (Everifin's recommendation), or the previous value.
 * A row without a readable `lastUpdated` gives null: no safe mark, so the next read is a full one (slower, never wrong).
 */
export function nextUpdatedFrom(rows: Array<{ lastUpdated?: string | null }>, previous: string | null): string | null {
  let max = previous ? Date.parse(previous) - 1 : -Infinity;
  for (const r of rows) {
    const t = Date.parse(r.lastUpdated ?? '');
    if (Number.isNaN(t)) return null;
    if (t > max) max = t;
  }
  return Number.isFinite(max) ? new Date(max + 1).toISOString() : previous;
}

export const createEverifinProvider: ProviderFactory = (config, deps) => new EverifinProvider(config, deps);
