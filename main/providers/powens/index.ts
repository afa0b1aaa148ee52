// Powens Provider: linking (webauth redirect or credentials form, sources in priority order, SCA / decoupled /
// extra fields), the temporary user token turned into a permanent one, accounts with activation, transactions
// page by page, consent, renewal on the same connection, removal.
import { english } from '../../domain/errors.js';
import { z } from 'zod';
import { mapAccountAlone } from '../accounts.js';
import type { ConsentInfo, Institution, IsoDate, RemoteAccount } from '../../domain/types.js';
import {
  ProviderError, waitSays, type ConnectionContext, type LinkInput, type LinkStep, type PendingLink, type Provider, type ProviderConfig,
  type ProviderFactory, type RefreshOptions, type TransactionPage,
} from '../provider.js';
import { tryParseJson } from '../json.js';
import { readRows } from '../rows.js';
import { PowensApi, powensError, type UserAuth } from './api.js';
import { credentialsSealer, type CredentialsSealer } from './e2ee.js';
import { POWENS_STATES, powensConsentState } from './consent.js';
import { accountCurrency, fieldsForSource, mapAccount, mapField, mapTransaction } from './mapping.js';
import { Pending, PowensRemote, PowensSecrets } from './stored.js';
import { readPending, readStored } from '../stored.js';
import {
  AccessToken, AuthCode, BankAccount, Connection, Connector, ConnectorsList, CredentialsField, ExchangedToken, Transaction, TransactionsList,
} from './schemas.js';

export { POWENS_DEFAULT_BASE_URL } from './api.js';
export { CREDENTIALS_KEY_OPTIONS } from './e2ee.js';
export { powensConsentState, powensUserAction, POWENS_STATES } from './consent.js';

const PAGE_SIZE = 500;
const MAX_BROWSER_ROUNDS = 4;


export class PowensProvider implements Provider {
  readonly id = 'powens' as const;
  readonly capabilities = {
    redirects: ['custom_scheme', 'loopback', 'https'] as Array<'custom_scheme' | 'loopback' | 'https'>,
    institutionsListable: true,
    pendingTransactions: true,
    maxHistoryDays: 2 * 366,
    overlapDays: 10,
    dailyUnattendedBudget: 4,
    callbackMayLoseState: true,
  };
  private readonly api: PowensApi;
  private readonly now: () => Date;
  /** account id -> currency (a Powens transaction has none of its own; an account keeps its currency) */
  private readonly currencies = new Map<string, string>();
  /** seals credential values (e2ee.ts); null without a configured key: then only bank-page (webauth) sign-in is offered */
  private readonly sealer: CredentialsSealer | null;

  constructor(private readonly config: ProviderConfig, deps: { fetch?: typeof fetch; now?: () => Date } = {}) {
    this.api = new PowensApi(config, deps);
    this.now = deps.now ?? (() => new Date());
    this.sealer = credentialsSealer(config.options);
  }

  /** Form values as Powens must receive them: each one end-to-end encrypted. */
  private async sealed(values: Record<string, string>, bank: string): Promise<Record<string, string>> {
    if (!this.sealer) throw needsKey(bank);
    return this.sealer.seal(values);
  }

  // ---------- configuration and institutions ----------

  async checkConfig(): Promise<void> {
    // a credentials key that cannot seal is refused when it is saved, not when someone first types a bank login
    await this.sealer?.seal({ probe: 'probe' });
    const init = await this.api.call(AccessToken, '/auth/init', { method: 'POST', json: { client_id: this.config.clientId, client_secret: this.config.clientSecret } });
    if (init.type !== 'permanent') throw new ProviderError('auth_failed', 'Powens did not accept the client secret (it issued a temporary token).');
    // the probe user is not needed: remove it again
    await this.api.send('/users/me', { method: 'DELETE' }, { userId: init.id_user, token: init.auth_token, renewable: false });
  }

  async listInstitutions(query: string): Promise<Institution[]> {
    const { connectors } = await this.api.call(ConnectorsList, '/connectors', { query: { expand: 'sources,countries' } });
    const q = query.trim().toLowerCase();
    return connectors
      .filter((c) => !c.hidden && !c.restricted && (!c.capabilities?.length || c.capabilities.includes('bank')))
      .filter((c) => !q || c.name.toLowerCase().includes(q))
      .map((c) => ({
        id: c.uuid,
        name: c.name,
        ...(c.countries?.[0] ? { country: c.countries[0].id } : {}),
        methods: [...new Set(activeSources(c, !!this.sealer).map((s) => s.mechanism))],
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  // ---------- linking ----------

  async beginLink(opts: { institutionId?: string; redirectUri: string; state: string }): Promise<LinkStep> {
    if (!opts.institutionId) throw new ProviderError('validation', 'Pick a bank (Powens connector) first.');
    const connector = await this.api.call(Connector, `/connectors/${encodeURIComponent(opts.institutionId)}`, { query: { expand: 'sources,fields' } });
    if (connector.restricted) throw new ProviderError('validation', `${connector.name} does not accept new connections at the moment.`);
    // an anonymous user with a temporary (30 min) token: an abandoned link leaves nothing behind
    const sources = activeSources(connector, !!this.sealer);
    if (!this.sealer && sources.every((x) => x.mechanism !== 'webauth')) throw needsKey(connector.name);
    const init = await this.api.call(AccessToken, '/auth/init', { method: 'POST', json: { client_id: this.config.clientId } });
    const p: Pending = {
      v: 1, purpose: 'link', userId: init.id_user, token: init.auth_token, permanent: init.type === 'permanent',
      connectorUuid: connector.uuid, connectorName: connector.name, sources, fields: connector.fields ?? [],
      sourceIndex: 0, connectionId: null, redirectUri: opts.redirectUri, state: opts.state, step: 'credentials', rounds: 0,
    };
    return this.stepForSource(p, 0);
  }

  async completeLink(pending: PendingLink, input: LinkInput): Promise<LinkStep> {
    const p = { ...readPending(Pending, pending, 'Powens') };
    const auth = this.pendingAuth(p);
    const connPath = () => `/users/me/connections/${p.connectionId}`;
    switch (p.step) {
      case 'webauth': {
        if (input.kind !== 'callback') throw new ProviderError('validation', 'Expected the browser to come back from the bank.');
        const q = new URL(input.url).searchParams;
        // Powens relays our state, or writes `state=null` when it has none [SEED 004]: only another state is refused
        const state = q.get('state');
        if (state !== null && state !== 'null' && state !== p.state) throw new ProviderError('link_expired', 'The answer from the bank belongs to another sign-in. Start again.');
        const error = q.get('error');
        if (error) {
          // a secondary source is optional: cancelling it keeps what is linked
          if (p.purpose === 'link' && p.sourceIndex > 0 && p.connectionId) return this.finish(p, auth);
          const description = q.get('error_description') || 'The bank did not grant access.';
          if (error === 'access_denied') throw new ProviderError('cancelled', `Cancelled at the bank: ${description}`, { providerCode: error });
          throw powensError(error, description);
        }
        const id = q.get('id_connection');
        if (!id || !/^\d+$/.test(id)) throw new ProviderError('bad_response', 'Powens came back without a connection id. Nothing was changed.');
        if (p.connectionId && id !== p.connectionId) throw new ProviderError('bad_response', 'Powens came back with another connection than the one being renewed.');
        p.connectionId = id;
        return this.afterConnection(p, auth);
      }
      case 'credentials': {
        const values = formValues(input);
        const secondary = p.sourceIndex > 0 && p.connectionId !== null;
        if (secondary && Object.values(values).every((v) => v.trim() === '')) return this.finish(p, auth);
        const src = p.sources[p.sourceIndex];
        const conn = await this.api.call(Connection, secondary ? connPath() : '/users/me/connections', {
          method: 'POST', slow: true, query: { source: src.name ?? undefined, expand: 'sources' },
          json: { ...(secondary ? {} : { connector_uuid: p.connectorUuid }), ...(await this.sealed(values, p.connectorName)) },
        }, auth);
        p.connectionId = conn.id;
        return this.afterConnection(p, auth, conn);
      }
      case 'info':
      case 'password': {
        const conn = await this.api.call(Connection, connPath(), { method: 'POST', slow: true, query: { expand: 'sources' }, json: await this.sealed(formValues(input), p.connectorName) }, auth);
        return this.afterConnection(p, auth, conn);
      }
      case 'decoupled': {
        const conn = await this.api.call(Connection, connPath(), { method: 'POST', slow: true, query: { expand: 'sources' }, json: { resume: true } }, auth);
        return this.afterConnection(p, auth, conn);
      }
      case 'validating':
        return this.afterConnection(p, auth);
    }
  }

  /** The next step after Powens has (or has not yet) a working connection. */
  private async afterConnection(p: Pending, auth: UserAuth, conn?: Connection): Promise<LinkStep> {
    conn ??= await this.api.call(Connection, `/users/me/connections/${p.connectionId}`, { query: { expand: 'sources' } }, auth);
    p.token = auth.token;
    const state = conn.state ?? null;
    // link steps carry text (LinkStepDto): the bank's own words, else ours in English
    const known = state ? POWENS_STATES[state] : undefined;
    const message = conn.error_message || (known ? english(known.message) : undefined);
    switch (state) {
      case null: {
        if (p.purpose === 'link') {
          const added = (conn.sources ?? []).map((s) => s.name);
          const next = p.sources.findIndex((s, i) => i > p.sourceIndex && s.name !== null && !added.includes(s.name));
          if (next > 0) return this.stepForSource(p, next, added);
        }
        return this.finish(p, auth, conn);
      }
      case 'decoupled':
        return { kind: 'wait', ...(message ? { message } : waitSays({ id: 'link.approve_in_app' })), pollAfterMs: 2000, pending: { ...p, step: 'decoupled' } };
      case 'validating':
        return { kind: 'wait', ...waitSays({ id: 'link.checking_approval', values: { provider: 'Powens' } }), pollAfterMs: 2000, pending: { ...p, step: 'validating' } };
      case 'additionalInformationNeeded':
        if (!this.sealer) throw needsKey(p.connectorName);
        return { kind: 'form', fields: (conn.fields ?? []).map((f) => mapField(f)), message: message ?? undefined, pending: { ...p, step: 'info' } };
      case 'wrongpass':
      case 'passwordExpired': {
        if (!this.sealer) throw needsKey(p.connectorName);
        const fields = conn.fields?.length ? conn.fields : fieldsForSource(p.fields, null, 'credentials');
        return { kind: 'form', fields: fields.map((f) => mapField(f)), message: message ?? undefined, pending: { ...p, step: 'password' } };
      }
      case 'SCARequired':
      case 'webauthRequired': {
        if (p.rounds >= MAX_BROWSER_ROUNDS) throw new ProviderError('needs_user', message ?? 'The bank keeps asking for authentication. Try again later.', { providerCode: state });
        const lapsed = (conn.sources ?? []).find((s) => s.state === state)?.name ?? null;
        return this.webauthStep({ ...p, rounds: p.rounds + 1 }, lapsed, auth);
      }
      default:
        // a state Powens added later: the connection exists, so the link finishes; its consent reads `failing` with the
        // raw state (powensConsentState) and the next sync looks again
        if (!POWENS_STATES[state]) return this.finish(p, auth, conn);
        throw powensError(state, message ?? `Powens reported "${state}".`);
    }
  }

  private async stepForSource(p: Pending, index: number, added: string[] = []): Promise<LinkStep> {
    const src = p.sources[index];
    const q: Pending = { ...p, sourceIndex: index };
    if (src.mechanism === 'webauth') return this.webauthStep(q, src.name, this.pendingAuth(q));
    if (!this.sealer) throw needsKey(p.connectorName);
    const optional = index > 0;
    const fields = fieldsForSource(p.fields, src.name, 'credentials', added);
    return {
      kind: 'form',
      fields: fields.map((f) => mapField(f, optional ? false : (f.required ?? false))),
      // a further source (e.g. Powens' "directaccess") reaches accounts the first sign-in did not share
      message: optional
        ? `${p.connectorName} may have more accounts (for example savings) that the access you just approved does not share. `
          + `To add them too, sign in here with your ${p.connectorName} online-banking login; Powens then reads those accounts for you. `
          + 'This is optional: Skip keeps the accounts you have approved.'
        : `Sign in to ${p.connectorName} with your online-banking login.`,
      ...(optional ? { skippable: true } : {}),
      pending: { ...q, step: 'credentials' },
    };
  }

  /** The /webauth URL for a new connection, a further source, or a reconnect (id_connection). */
  private async webauthStep(p: Pending, source: string | null, auth: UserAuth): Promise<LinkStep> {
    const { code } = await this.api.call(AuthCode, '/auth/token/code', { query: { type: 'singleAccess' } }, auth);
    const u = new URL(`${this.api.baseUrl}/webauth`);
    u.searchParams.set('client_id', this.config.clientId);
    u.searchParams.set('token', code);
    u.searchParams.set('redirect_uri', p.redirectUri);
    if (p.connectionId) u.searchParams.set('id_connection', p.connectionId);
    else u.searchParams.set('connector_uuid', p.connectorUuid);
    if (source) u.searchParams.set('source', source);
    u.searchParams.set('state', p.state); // Powens relays it to redirect_uri as it is
    return { kind: 'redirect', url: u.toString(), pending: { ...p, token: auth.token, step: 'webauth' } };
  }

  private async finish(p: Pending, auth: UserAuth, conn?: Connection): Promise<LinkStep> {
    conn ??= await this.api.call(Connection, `/users/me/connections/${p.connectionId}`, { query: { expand: 'sources' } }, auth);
    let token = auth.token;
    if (!p.permanent) {
      // the temporary token becomes a permanent one (spec: `access_token`; seed: `token`)
      token = await this.api.call(ExchangedToken, '/auth/token/access', {
        method: 'POST', json: { grant_type: 'authorization_code', client_id: this.config.clientId, client_secret: this.config.clientSecret, code: auth.token },
      });
    }
    return {
      kind: 'done',
      connection: {
        remote: { userId: p.userId, connectionId: conn.id, connectorUuid: p.connectorUuid },
        secrets: { token },
        institutionId: p.connectorUuid,
        institutionName: p.connectorName,
        consent: powensConsentState(conn, this.now()),
      },
    };
  }

  private pendingAuth(p: Pending): UserAuth {
    return { userId: p.userId, token: p.token, renewable: p.permanent, onRenewed: (t) => { p.token = t; } };
  }

  // ---------- a linked connection ----------

  private ctxAuth(ctx: ConnectionContext): UserAuth {
    const { userId } = readStored(PowensRemote, ctx.remote, 'Powens connection ids');
    const { token } = readStored(PowensSecrets, ctx.secrets, 'Powens secrets');
    return { userId, token, renewable: true, onRenewed: (t) => ctx.saveSecrets({ ...ctx.secrets, token: t }) };
  }

  private async connection(ctx: ConnectionContext, auth: UserAuth, expand: string, sync = false): Promise<Connection | null> {
    try {
      return await this.api.call(Connection, `/users/me/connections/${ctx.remote.connectionId}`, sync
        ? { method: 'POST', slow: true, query: { expand } }
        : { query: { expand } }, auth);
    } catch (e) {
      if (e instanceof ProviderError && e.code === 'not_found') return null;
      throw e;
    }
  }

  private static readonly REVOKED: ConsentInfo = { state: 'revoked', expiresAt: null, message: { id: 'consent.powens.gone' }, providerCode: 'notFound' };

  async refreshConnection(ctx: ConnectionContext, opts: RefreshOptions): Promise<ConsentInfo> {
    const auth = this.ctxAuth(ctx);
    opts.onProgress?.(opts.userPresent ? 'Asking Powens to fetch fresh data from the bank…' : 'Reading what Powens last fetched…');
    // Powens syncs by itself in the background; a forced sync only when the user asks for it (fair-usage policy)
    const conn = await this.connection(ctx, auth, 'sources', opts.userPresent);
    return conn ? powensConsentState(conn, this.now()) : PowensProvider.REVOKED;
  }

  async consent(ctx: ConnectionContext): Promise<ConsentInfo> {
    const conn = await this.connection(ctx, this.ctxAuth(ctx), 'sources');
    return conn ? powensConsentState(conn, this.now()) : PowensProvider.REVOKED;
  }

  private async allAccounts(ctx: ConnectionContext, auth: UserAuth): Promise<{ conn: Connection; accounts: BankAccount[] }> {
    const conn = await this.connection(ctx, auth, 'all_accounts,connector');
    if (!conn) throw new ProviderError('consent_revoked', 'This connection no longer exists at Powens. Reconnect the bank.', { providerCode: 'notFound', status: 404 });
    return { conn, accounts: (conn.all_accounts ?? []).filter((a) => !a.deleted) };
  }

  async listAccounts(ctx: ConnectionContext): Promise<RemoteAccount[]> {
    const { conn, accounts } = await this.allAccounts(ctx, this.ctxAuth(ctx));
    // an account without a currency is left out until Powens names one (see accountCurrency)
    const known = accounts.filter((a) => accountCurrency(a));
    for (const a of known) this.currencies.set(a.id, accountCurrency(a)!);
    return known.map((a) => mapAccountAlone(a, (x) => mapAccount(x, conn.connector?.name ?? null), ['balance', 'coming']));
  }

  /** Enable exactly these accounts (the others are disabled), in one PUT per direction (seed: after all sources are added). */
  async selectAccounts(ctx: ConnectionContext, remoteIds: string[]): Promise<void> {
    const auth = this.ctxAuth(ctx);
    const { accounts } = await this.allAccounts(ctx, auth);
    const unknown = remoteIds.filter((id) => !accounts.some((a) => a.id === id));
    if (unknown.length) throw new ProviderError('not_found', `Powens does not know the account(s) ${unknown.join(', ')} on this connection.`);
    const enable = accounts.filter((a) => a.disabled && remoteIds.includes(a.id)).map((a) => a.id);
    const disable = accounts.filter((a) => !a.disabled && !remoteIds.includes(a.id)).map((a) => a.id);
    for (const [ids, disabled] of [[enable, false], [disable, true]] as const) {
      if (!ids.length) continue;
      await this.api.send(`/users/me/connections/${ctx.remote.connectionId}/accounts/${ids.join(',')}`, {
        method: 'PUT', query: { all: '' }, json: { disabled }, idempotent: true,
      }, auth);
    }
  }

  async fetchTransactions(
    ctx: ConnectionContext,
    accountRemoteId: string,
    window: { from: IsoDate; to: IsoDate; cursor: string | null; signal?: AbortSignal },
  ): Promise<TransactionPage> {
    const auth = this.ctxAuth(ctx);
    let href: string;
    let currency: string;
    if (window.cursor) {
      const c = Cursor.safeParse(tryParseJson(window.cursor));
      if (!c.success) throw new ProviderError('validation', 'The Powens transaction cursor is not one this client wrote.');
      ({ href, currency } = c.data);
    } else {
      if (!/^\d+$/.test(accountRemoteId)) throw new ProviderError('not_found', `Not a Powens account id: ${accountRemoteId}`);
      const known = this.currencies.get(accountRemoteId) ?? accountCurrency(
        await this.api.call(BankAccount, `/users/me/accounts/${accountRemoteId}`, { query: { all: '' }, signal: window.signal }, auth));
      if (!known) throw new ProviderError('bad_response', 'Powens names no currency for this account, so its amounts cannot be read. Nothing was changed.');
      currency = known;
      this.currencies.set(accountRemoteId, currency);
      // the published route (bank-transactions.yml) has no account filter: each link has its own Powens user, so this
      // lists the rows of this connection's accounts, and the rows of the other accounts are skipped below
      const u = new URL(`${this.api.baseUrl}/users/me/transactions`);
      u.search = new URLSearchParams({ min_date: window.from, max_date: window.to, limit: String(PAGE_SIZE), offset: '0' }).toString();
      href = u.toString();
    }
    const list = await this.api.call(TransactionsList, this.ownHref(href), { signal: window.signal }, auth);
    // the published route has no account filter: this account's rows (a row without a readable account id is kept aside)
    const mine = list.transactions.filter((t) => { const a = (t as { id_account?: unknown } | null)?.id_account; return a == null || String(a) === accountRemoteId; });
    const { transactions, unreadable } = readRows(mine, Transaction, (t) => (t.deleted ? null : mapTransaction(t, currency)));
    let next: string | null = list._links?.next?.href ?? null;
    if (!list._links) {
      // no relational links: plain offset / limit
      const u = new URL(href);
      const limit = Number(u.searchParams.get('limit') ?? PAGE_SIZE);
      if (list.transactions.length >= limit) {
        u.searchParams.set('offset', String(Number(u.searchParams.get('offset') ?? 0) + list.transactions.length));
        next = u.toString();
      }
    }
    return { transactions, unreadable, nextCursor: next ? JSON.stringify({ href: new URL(next, `${this.api.baseUrl}/`).toString(), currency }) : null };
  }

  /** A `_links` href is followed verbatim, but only on our own Powens host: the user token goes nowhere else. */
  private ownHref(href: string): string {
    const u = new URL(href, `${this.api.baseUrl}/`);
    const base = new URL(`${this.api.baseUrl}/`);
    if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname)) {
      throw new ProviderError('bad_response', 'Powens sent a paging link to another host. Nothing was changed.');
    }
    return u.toString();
  }

  async beginRenewal(ctx: ConnectionContext, opts: { redirectUri: string; state: string }): Promise<LinkStep> {
    const auth = this.ctxAuth(ctx);
    const conn = await this.connection(ctx, auth, 'sources,connector');
    if (!conn) throw new ProviderError('consent_revoked', 'This connection no longer exists at Powens. Remove it and link the bank again.', { providerCode: 'notFound', status: 404 });
    const connector = conn.connector ?? null;
    const p: Pending = {
      v: 1, purpose: 'renew', userId: ctx.remote.userId, token: auth.token, permanent: true,
      connectorUuid: conn.connector_uuid ?? connector?.uuid ?? ctx.remote.connectorUuid ?? '',
      connectorName: connector?.name ?? 'your bank',
      sources: (conn.sources ?? []).map((s) => ({ name: s.name, mechanism: connector?.sources?.find((x) => x.name === s.name)?.auth_mechanism ?? 'webauth' })),
      fields: connector?.fields ?? [], sourceIndex: 0, connectionId: conn.id, redirectUri: opts.redirectUri, state: opts.state,
      step: 'webauth', rounds: 0,
    };
    const state = conn.state ?? (conn.sources ?? []).find((s) => s.state)?.state ?? null;
    if (state === 'additionalInformationNeeded' || state === 'wrongpass' || state === 'passwordExpired' || state === 'decoupled' || state === 'validating') {
      return this.afterConnection(p, auth, conn);
    }
    // SCA, webauth, an expiring or expired consent, or anything else: reconnect at the bank through /webauth
    const lapsed = (conn.sources ?? []).find((s) => s.state)?.name ?? null;
    return this.webauthStep(p, lapsed, auth);
  }

  async remove(ctx: ConnectionContext): Promise<void> {
    const auth = this.ctxAuth(ctx);
    try {
      await this.api.send(`/users/me/connections/${ctx.remote.connectionId}`, { method: 'DELETE', idempotent: true }, auth);
    } catch (e) {
      if (!(e instanceof ProviderError && e.code === 'not_found')) throw e;
    }
    // each link has its own Powens user: once it holds no connection, delete it (and so its token)
    const left = await this.api.call(z.object({ connections: z.array(z.unknown()) }), '/users/me/connections', {}, auth).catch(() => null);
    if (left && left.connections.length === 0) await this.api.send('/users/me', { method: 'DELETE', idempotent: true }, auth).catch(() => undefined);
  }
}

const Cursor = z.object({ href: z.string().url(), currency: z.string().regex(/^[A-Z]{3}$/) });

/**
 * A connector's sources in priority order. Without a credentials key only its bank-page (webauth) sources are used,
 * since credentials typed into Multibank must reach Powens end-to-end encrypted.
 */
function activeSources(c: Connector, canSeal: boolean): Pending['sources'] {
  const sources = (c.sources ?? []).filter((s) => !s.disabled).sort((a, b) => a.priority - b.priority);
  const all = sources.length ? sources.map((s) => ({ name: s.name, mechanism: s.auth_mechanism })) : [{ name: null, mechanism: c.auth_mechanism }];
  const webauth = all.filter((s) => s.mechanism === 'webauth');
  return canSeal || !webauth.length ? all : webauth;
}

/** What to do when a bank needs credentials typed into Multibank and no key to seal them is configured. */
function needsKey(bank: string): ProviderError {
  return new ProviderError('not_configured', `${bank} signs in through a form in Multibank, and Powens requires that login to be `
    + 'end-to-end encrypted with the public key of your Powens API domain. Add that key in Settings (Powens, Credentials key, '
    + 'from the Powens console), or choose a bank that signs in on its own page.');
}

function formValues(input: LinkInput): Record<string, string> {
  if (input.kind !== 'form') throw new ProviderError('validation', 'Expected the form values.');
  return Object.fromEntries(Object.entries(input.values).map(([k, v]) => [k, String(v)]));
}

/** who a person asks to delete their connection: the name banks list the access under, and its website */
export const POWENS_CONTACT = { legalName: 'Powens', site: 'powens.com' };
export const createPowensProvider: ProviderFactory = (config, deps) => new PowensProvider(config, deps);
