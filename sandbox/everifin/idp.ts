// Everifin's identity provider: a real OpenID Connect server (oidc-provider) mounted at Keycloak's legacy paths
// /auth/realms/{realm}/... . On top of oidc-provider this adds only what Keycloak does and oidc-provider does not:
// the back-channel logout with a refresh token, `refresh_expires_in` in token responses, refresh-token lifetimes and
// access-token expiry measured on the sandbox world's clock, and account-wide revocation for tests.
import crypto from 'node:crypto';
import type http from 'node:http';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { World } from '../core/world.js';
import { everifinLoginPage, everifinConsentPage, escape } from './pages.js';
import { memoryAdapterFactory } from './adapter.js';

export interface EverifinUser { username: string; password: string; name: string }

export interface IdpSettings {
  realm: string;
  clientId: string;
  clientSecret: string;
  /** Keycloak "SSO session max": how long the refresh tokens of one sign-in stay usable (world clock) */
  refreshTokenLifetimeSec: number;
  rotateRefreshTokens: boolean;
  pkceRequired: boolean;
  accessTokenLifetimeSec: number;
}

export const RESOURCE = 'urn:everifin:bankconnect';
const SCOPES = 'ais pis';

interface Family { accountId: string; startedAt: number }

/** OIDC server for one realm; the oidc-provider instance is created for the base URL it is first reached on. */
export class EverifinIdp {
  private providers = new Map<string, Provider>();
  private jwks: { keys: crypto.JsonWebKey[] };
  private cookieKeys = [crypto.randomBytes(16).toString('hex')];
  /** one token store for every base URL it is reached on: a sandbox restarted on another port keeps its sign-ins */
  private readonly adapter = memoryAdapterFactory();
  /** refresh token -> the sign-in it belongs to (world time) */
  private families = new Map<string, Family>();
  /** access token -> world time of issue */
  private accessIssuedAt = new Map<string, number>();
  /** accounts whose sessions were revoked at the given world time */
  private revokedAt = new Map<string, number>();

  constructor(private world: World, readonly settings: IdpSettings, private users: () => EverifinUser[]) {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.jwks = { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'sandbox-rs256', alg: 'RS256', use: 'sig' } as crypto.JsonWebKey] };
  }

  get prefix(): string { return `/auth/realms/${this.settings.realm}`; }
  issuer(baseUrl: string): string { return `${baseUrl}${this.prefix}`; }

  private provider(baseUrl: string): Provider {
    let p = this.providers.get(baseUrl);
    if (!p) { p = this.build(this.issuer(baseUrl)); this.providers.set(baseUrl, p); }
    return p;
  }

  private build(issuer: string): Provider {
    const s = this.settings;
    const prefix = this.prefix;
    const config: Configuration = {
      clients: [{
        client_id: s.clientId,
        client_secret: s.clientSecret,
        application_type: 'native', // RFC 8252: loopback redirects on any port
        redirect_uris: ['multibank://oauth/callback', 'http://127.0.0.1/callback', 'http://localhost/callback'],
        post_logout_redirect_uris: ['multibank://oauth/callback', 'http://127.0.0.1/callback', 'http://localhost/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      }],
      jwks: this.jwks as Configuration['jwks'],
      adapter: this.adapter as unknown as Configuration['adapter'],
      cookies: { keys: this.cookieKeys },
      scopes: ['openid', 'offline_access'],
      claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
      findAccount: async (_ctx, id) => {
        const u = this.users().find((x) => x.username === id);
        if (!u) return undefined;
        return { accountId: id, claims: async () => ({ sub: id, name: u.name, preferred_username: u.username }) };
      },
      routes: {
        authorization: '/protocol/openid-connect/auth',
        token: '/protocol/openid-connect/token',
        end_session: '/protocol/openid-connect/logout',
        revocation: '/protocol/openid-connect/revoke',
        jwks: '/protocol/openid-connect/certs',
        userinfo: '/protocol/openid-connect/userinfo',
        introspection: '/protocol/openid-connect/token/introspect',
      },
      interactions: { url: (_ctx, interaction) => `${prefix}/login-actions/${interaction.uid}` },
      pkce: { required: () => this.settings.pkceRequired },
      features: {
        devInteractions: { enabled: false },
        revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
        introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
        rpInitiatedLogout: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({ scope: SCOPES, audience: RESOURCE, accessTokenFormat: 'opaque', accessTokenTTL: this.settings.accessTokenLifetimeSec }),
        },
      },
      issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
      rotateRefreshToken: () => this.settings.rotateRefreshTokens,
      ttl: {
        AccessToken: this.settings.accessTokenLifetimeSec,
        AuthorizationCode: 60,
        IdToken: 3600,
        // real-time ceiling only; the configured lifetime is enforced on the world clock (below)
        RefreshToken: 300 * 24 * 3600,
        Grant: 365 * 24 * 3600,
        Session: 24 * 3600,
        Interaction: 3600,
      },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html><head><title>Everifin — error</title></head><body><main><h1>Sign-in error</h1><p role="alert">${escape(out.error)}: ${escape(String(out.error_description ?? ''))}</p></main></body></html>`;
      },
    };
    const provider = new Provider(issuer, config);
    provider.use(async (ctx, next) => {
      await next();
      this.afterToken(ctx as KoaContextWithOIDC);
    });
    return provider;
  }

  /** Keycloak extras on token responses and world-clock bookkeeping for issued tokens. */
  private afterToken(ctx: KoaContextWithOIDC): void {
    if (ctx.oidc?.route !== 'token' || ctx.status !== 200 || !ctx.body || typeof ctx.body !== 'object') return;
    const body = ctx.body as Record<string, unknown>;
    const now = this.world.clock.now().getTime();
    if (typeof body.access_token === 'string') this.accessIssuedAt.set(body.access_token, now);
    const params = ctx.oidc.params as Record<string, unknown> | undefined;
    const e = ctx.oidc.entities;
    const accountId = e.AuthorizationCode?.accountId ?? e.RefreshToken?.accountId ?? e.Grant?.accountId ?? '';
    let family: Family | undefined;
    if (params?.grant_type === 'refresh_token') family = this.families.get(String(params.refresh_token));
    family ??= { accountId, startedAt: now };
    if (typeof body.refresh_token === 'string') this.families.set(body.refresh_token, family);
    body.refresh_expires_in = Math.max(0, Math.floor((family.startedAt + this.settings.refreshTokenLifetimeSec * 1000 - now) / 1000));
    body['not-before-policy'] = 0;
    body.session_state = ctx.oidc.entities.Grant?.jti ?? null;
  }

  /** Bearer check for the BankConnect API: the account id, or why not. */
  async authenticate(baseUrl: string, authorization: string | undefined): Promise<{ accountId: string } | { error: string }> {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!m) return { error: 'Missing bearer token' };
    const token = await this.provider(baseUrl).AccessToken.find(m[1]);
    const issued = this.accessIssuedAt.get(m[1]);
    if (!token || issued === undefined || !token.accountId) return { error: 'Invalid token' };
    if (this.world.clock.now().getTime() > issued + this.settings.accessTokenLifetimeSec * 1000) return { error: 'Token expired' };
    const revoked = this.revokedAt.get(token.accountId);
    if (revoked !== undefined && revoked >= issued) return { error: 'Session not active' };
    if (!String(token.scope ?? '').split(' ').includes('ais')) return { error: 'Insufficient scope' };
    return { accountId: token.accountId };
  }

  /** keys, tokens and sign-ins, for a saved sandbox world (sandbox/core/persist.ts) */
  save(): unknown {
    return { jwks: this.jwks, cookieKeys: this.cookieKeys, adapter: this.adapter.save(), families: this.families, accessIssuedAt: this.accessIssuedAt, revokedAt: this.revokedAt };
  }
  load(saved: unknown): void {
    const v = saved as { jwks: { keys: crypto.JsonWebKey[] }; cookieKeys: string[]; adapter: unknown; families: Map<string, Family>; accessIssuedAt: Map<string, number>; revokedAt: Map<string, number> };
    this.providers.clear();
    this.jwks = v.jwks;
    this.cookieKeys = v.cookieKeys;
    this.adapter.load(v.adapter);
    this.families = v.families;
    this.accessIssuedAt = v.accessIssuedAt;
    this.revokedAt = v.revokedAt;
  }

  // --- control ---
  /** every refresh token of the account (or all) expires now (world clock) */
  expireRefreshTokens(username?: string): number {
    let n = 0;
    for (const f of this.families.values()) if (!username || f.accountId === username) { f.startedAt = -Infinity; n++; }
    return n;
  }
  expireAccessTokens(): void { for (const k of this.accessIssuedAt.keys()) this.accessIssuedAt.set(k, -Infinity); }
  revoke(username?: string): void {
    const now = this.world.clock.now().getTime();
    const names = username ? [username] : this.users().map((u) => u.username);
    for (const n of names) this.revokedAt.set(n, now);
  }
  activeSignIns(): Array<{ accountId: string; expiresAt: string | null }> {
    const seen = new Set<Family>();
    const out: Array<{ accountId: string; expiresAt: string | null }> = [];
    for (const f of this.families.values()) {
      if (seen.has(f)) continue;
      seen.add(f);
      const end = f.startedAt + this.settings.refreshTokenLifetimeSec * 1000;
      out.push({ accountId: f.accountId, expiresAt: Number.isFinite(end) ? new Date(end).toISOString() : null });
    }
    return out;
  }

  private demoLogins(): Array<{ username: string; password: string }> {
    return this.users().map((u) => ({ username: u.username, password: u.password }));
  }

  /** Raw Node handler for everything under /auth/realms/{realm}; false when the path is not the IdP's. */
  async handle(req: http.IncomingMessage, res: http.ServerResponse, baseUrl: string, path: string): Promise<boolean> {
    const prefix = this.prefix;
    if (path !== prefix && !path.startsWith(prefix + '/')) return false;
    const provider = this.provider(baseUrl);
    const sub = path.slice(prefix.length) || '/';
    const method = req.method ?? 'GET';

    const la = /^\/login-actions\/([^/]+)(?:\/(login|consent))?$/.exec(sub);
    if (la) { await this.interaction(provider, req, res, la[2] as 'login' | 'consent' | undefined); return true; }

    if (method === 'POST' && (sub === '/protocol/openid-connect/token' || sub === '/protocol/openid-connect/logout')) {
      const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
      if (sub === '/protocol/openid-connect/token' && form.grant_type === 'refresh_token' && form.refresh_token) {
        const refused = this.refreshRefusal(form.refresh_token);
        if (refused) {
          const rt = await provider.RefreshToken.find(form.refresh_token).catch(() => undefined);
          await rt?.destroy();
          sendJson(res, 400, { error: 'invalid_grant', error_description: refused });
          return true;
        }
      }
      if (sub === '/protocol/openid-connect/logout' && form.refresh_token) {
        await this.backchannelLogout(provider, req, res, form);
        return true;
      }
      (req as http.IncomingMessage & { body?: unknown }).body = form;
    }
    const original = req.url ?? '/';
    (req as http.IncomingMessage & { originalUrl?: string }).originalUrl = original;
    req.url = original.slice(prefix.length) || '/';
    await new Promise<void>((resolve) => {
      res.on('finish', () => resolve());
      res.on('close', () => resolve());
      provider.callback()(req, res);
    });
    return true;
  }

  private refreshRefusal(refreshToken: string): string | null {
    const f = this.families.get(refreshToken);
    if (!f) return null; // unknown to us: oidc-provider decides (invalid_grant)
    const now = this.world.clock.now().getTime();
    const revoked = this.revokedAt.get(f.accountId);
    if (revoked !== undefined && revoked >= f.startedAt) return 'Session not active';
    if (now > f.startedAt + this.settings.refreshTokenLifetimeSec * 1000) return 'Token is not active';
    return null;
  }

  /** Keycloak's back-channel logout: POST client_id, client_secret, refresh_token -> 204; ends the sign-in. */
  private async backchannelLogout(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, form: Record<string, string>): Promise<void> {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const [cid, secret] = basic ? Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent) : [form.client_id, form.client_secret];
    if (cid !== this.settings.clientId || secret !== this.settings.clientSecret) {
      sendJson(res, 401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' });
      return;
    }
    const rt = await provider.RefreshToken.find(form.refresh_token).catch(() => undefined);
    if (!rt || rt.clientId !== cid) { sendJson(res, 400, { error: 'invalid_grant', error_description: 'Invalid refresh token' }); return; }
    if (rt.grantId) await (await provider.Grant.find(rt.grantId))?.destroy();
    await rt.destroy();
    const f = this.families.get(form.refresh_token);
    if (f) f.startedAt = -Infinity;
    res.writeHead(204).end();
  }

  /** The login and consent pages (oidc-provider interactions). */
  private async interaction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, step: 'login' | 'consent' | undefined): Promise<void> {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try { details = await provider.interactionDetails(req, res); } catch {
      sendHtml(res, 400, errorPage('This sign-in page has expired. Go back to Multibank and start again.'));
      return;
    }
    const { uid, prompt, params, session } = details;
    const action = `${this.prefix}/login-actions/${uid}`;
    if ((req.method ?? 'GET') === 'GET') {
      if (prompt.name === 'login') sendHtml(res, 200, everifinLoginPage({ action: `${action}/login`, demoLogins: this.demoLogins() }));
      else sendHtml(res, 200, everifinConsentPage({ action: `${action}/consent`, clientId: String(params.client_id), scope: String(params.scope ?? 'ais'), user: session?.accountId ?? '' }));
      return;
    }
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    if (form.cancel !== undefined || form.decision === 'deny') {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The user refused access' }, { mergeWithLastSubmission: false });
      return;
    }
    if (step === 'login') {
      const u = this.users().find((x) => x.username === form.username && x.password === form.password);
      if (!u) {
        sendHtml(res, 200, everifinLoginPage({ action: `${action}/login`, error: 'Invalid username or password.', username: form.username, demoLogins: this.demoLogins() }));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: u.username, remember: false } }, { mergeWithLastSubmission: false });
      return;
    }
    if (step === 'consent' && prompt.name === 'consent' && session?.accountId) {
      const d = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      const grant = details.grantId ? (await provider.Grant.find(details.grantId))! : new provider.Grant({ accountId: session.accountId, clientId: String(params.client_id) });
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    sendHtml(res, 400, errorPage('Unexpected sign-in step.'));
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
function sendHtml(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
}
function errorPage(message: string): string {
  return `<!doctype html><html><head><title>Everifin — error</title></head><body><main><h1>Sign-in error</h1><p role="alert">${escape(message)}</p></main></body></html>`;
}
