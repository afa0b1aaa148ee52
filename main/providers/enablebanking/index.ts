// Enable Banking Provider: banks (ASPSPs) per country, a browser authorisation for the bank's longest consent, the
// session that comes of its code, accounts with balances, booked and pending transactions page by page
// (continuation_key), consent from the session, renewal as a new session (account uids change: the link manager
// re-matches them), removal by deleting the session.
//
// The way back from the browser: Enable Banking sends the browser only to an HTTPS address registered with the user's
// application (option `redirectUrl`), which Multibank cannot receive as a desktop app. The user pastes the address the
// browser ended on (it carries `code` and our `state`); the paste is checked here against that address and the state.
import { z } from 'zod';
import type { ConsentInfo, Institution, IsoDate, RemoteAccount } from '../../domain/types.js';
import {
  ProviderError, type ConnectionContext, type LinkInput, type LinkStep, type PendingLink, type Provider, type ProviderConfig,
  type ProviderFactory, type RefreshOptions, type TransactionPage,
} from '../provider.js';
import { tryParseJson } from '../json.js';
import { readRows } from '../rows.js';
import { EnableBankingApi } from './api.js';
import { enableBankingConsent } from './consent.js';
import { mapAccount, mapTransaction } from './mapping.js';
import { EnableBankingRemote, Pending } from './stored.js';
import { readPending, readStored } from '../stored.js';
import { AccountResource, Application, Aspsp, AspspList, AuthorizedSession, Balances, Session, StartAuthorization, Transaction, TransactionsPage } from './schemas.js';

export { ENABLEBANKING_BASE_URL } from './api.js';
export { enableBankingConsent } from './consent.js';

/** `redirectUrl`: the HTTPS address registered with the application; `country`: the banks listed (ISO 3166 alpha-2) */
/** who a person asks to delete their connection: the name banks list the access under, and its website */
export const ENABLEBANKING_CONTACT = { legalName: 'Enable Banking Oy', site: 'enablebanking.com' };
export const ENABLEBANKING_OPTION_NAMES = ['redirectUrl', 'country'];
/** when a bank names no longest consent */
const DEFAULT_CONSENT_SECONDS = 90 * 86_400;
/** asked for less than the bank's longest consent by this much, so that clocks a little apart never ask for more (422) */
const CLOCK_MARGIN_MS = 10 * 60_000;


/** `longest`: the bank refused the window's start, so its longest history is read instead (strategy=longest) */
const Cursor = z.object({ key: z.string().min(1), currency: z.string().regex(/^[A-Z]{3}$/), longest: z.boolean().optional() });

export class EnableBankingProvider implements Provider {
  readonly id = 'enablebanking' as const;
  readonly capabilities = {
    redirects: ['https'] as Array<'custom_scheme' | 'loopback' | 'https'>,
    institutionsListable: true,
    pendingTransactions: true,
    // banks commonly serve at least a year of history to a fresh consent; asking for a day they lack costs nothing
    maxHistoryDays: 366,
    overlapDays: 10,
    // PSD2: four unattended reads a day per consent
    dailyUnattendedBudget: 4,
  };
  private readonly api: EnableBankingApi;
  private readonly now: () => Date;
  /** account uid -> currency (a transaction's amount is read in its account's currency) */
  private readonly currencies = new Map<string, string>();

  constructor(private readonly config: ProviderConfig, deps: { fetch?: typeof fetch; now?: () => Date } = {}) {
    this.api = new EnableBankingApi(config, deps);
    this.now = deps.now ?? (() => new Date());
  }

  /** The HTTPS address registered with the application, where the bank sends the browser back. */
  private redirectUrl(): string {
    const raw = this.config.options.redirectUrl?.trim() ?? '';
    let u: URL;
    try { u = new URL(raw); } catch {
      throw new ProviderError('not_configured', 'Enable Banking needs the redirect URL registered with your application (an https:// address) in Settings.');
    }
    if (u.protocol !== 'https:') throw new ProviderError('not_configured', 'Enable Banking accepts only https:// redirect URLs. Enter the HTTPS address registered with your application in Settings.');
    return u.toString();
  }

  // ---------- configuration and institutions ----------

  async checkConfig(): Promise<void> {
    const redirectUrl = this.redirectUrl();
    const app = await this.api.call(Application, '/application');
    if (app.active === false) throw new ProviderError('not_configured', `Your Enable Banking application "${app.name}" is not active yet. Activate it in the Enable Banking control panel (for personal use: link your own accounts there).`);
    const registered = app.redirect_urls ?? [];
    if (registered.length && !registered.some((r) => sameAddress(r, redirectUrl))) {
      throw new ProviderError('not_configured', `The redirect URL ${redirectUrl} is not registered with your Enable Banking application (registered: ${registered.join(', ')}). Use one of those, or add it in the Enable Banking control panel.`);
    }
  }

  private async banks(country: string | null): Promise<Aspsp[]> {
    const { aspsps } = await this.api.call(AspspList, '/aspsps', { query: { country: country ?? undefined, service: 'AIS' } });
    // a bank the client cannot read is left out of the list, not the end of it
    return aspsps.flatMap((raw) => { const r = Aspsp.safeParse(raw); return r.success ? [r.data] : []; });
  }

  async listInstitutions(query: string): Promise<Institution[]> {
    const country = this.config.options.country?.trim().toUpperCase() || null;
    const q = query.trim().toLowerCase();
    return (await this.banks(country && /^[A-Z]{2}$/.test(country) ? country : null))
      .filter((b) => !q || b.name.toLowerCase().includes(q))
      .map((b) => ({ id: institutionId(b.country, b.name), name: b.name, country: b.country, methods: ['redirect'] }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.country!.localeCompare(b.country!));
  }

  // ---------- linking ----------

  async beginLink(opts: { institutionId?: string; redirectUri: string; state: string }): Promise<LinkStep> {
    if (!opts.institutionId) throw new ProviderError('validation', 'Pick a bank first.');
    const { country, name } = parseInstitutionId(opts.institutionId);
    return this.authorize({ v: 1, purpose: 'link', aspspName: name, aspspCountry: country, redirectUrl: this.redirectUrl(), state: opts.state, oldSessionId: null });
  }

  /** POST /auth for the bank's longest consent (never more: the bank refuses it with 422), then the browser. */
  private async authorize(p: Pending): Promise<LinkStep> {
    const bank = (await this.banks(p.aspspCountry)).find((b) => b.name === p.aspspName);
    if (!bank) throw new ProviderError('not_found', `Enable Banking does not list ${p.aspspName} (${p.aspspCountry}) any more. Pick the bank again.`);
    const seconds = bank.maximum_consent_validity && bank.maximum_consent_validity > 0 ? bank.maximum_consent_validity : DEFAULT_CONSENT_SECONDS;
    const validUntil = new Date(this.now().getTime() + Math.max(seconds * 1000 - CLOCK_MARGIN_MS, 60_000)).toISOString();
    const psuType = !bank.psu_types?.length || bank.psu_types.includes('personal') ? 'personal' : bank.psu_types[0];
    const auth = await this.api.call(StartAuthorization, '/auth', {
      method: 'POST',
      json: { access: { valid_until: validUntil }, aspsp: { name: bank.name, country: bank.country }, state: p.state, redirect_url: p.redirectUrl, psu_type: psuType },
    });
    return { kind: 'redirect', url: auth.url, pending: p };
  }

  async completeLink(pending: PendingLink, input: LinkInput): Promise<LinkStep> {
    const p = readPending(Pending, pending, 'Enable Banking');
    const pasted = input.kind === 'callback' ? input.url : input.kind === 'form' ? input.values.url : undefined;
    if (typeof pasted !== 'string') throw new ProviderError('validation', 'Paste the address your browser ended on after the bank.');
    let url: URL;
    try { url = new URL(pasted.trim()); } catch {
      throw new ProviderError('validation', 'That is not a web address. Paste the whole address from the browser\'s address bar (it starts with https://).');
    }
    if (!sameAddress(url.toString(), p.redirectUrl)) {
      throw new ProviderError('validation', `That address is not the one the bank returns to (${p.redirectUrl}). Paste the address your browser ended on after the bank.`);
    }
    const q = url.searchParams;
    if (q.get('state') !== p.state) throw new ProviderError('link_expired', 'The answer from the bank belongs to another sign-in. Start again.');
    const error = q.get('error');
    if (error) {
      const description = q.get('error_description') || 'The bank did not grant access.';
      throw new ProviderError(error === 'access_denied' ? 'cancelled' : 'needs_user', `The bank did not grant access: ${description}`, { providerCode: error });
    }
    const code = q.get('code');
    if (!code) throw new ProviderError('validation', 'That address carries no authorisation code. Paste the address your browser ended on after approving at the bank.');
    const session = await this.api.call(AuthorizedSession, '/sessions', { method: 'POST', json: { code } });
    for (const a of session.accounts) if (a.uid) this.currencies.set(a.uid, a.currency);
    if (p.oldSessionId && p.oldSessionId !== session.session_id) await this.closeSession(p.oldSessionId).catch(() => undefined);
    return {
      kind: 'done',
      connection: {
        remote: { sessionId: session.session_id, aspspName: session.aspsp.name, aspspCountry: session.aspsp.country },
        secrets: {},
        institutionId: institutionId(session.aspsp.country, session.aspsp.name),
        institutionName: session.aspsp.name,
        consent: enableBankingConsent({ status: 'AUTHORIZED', validUntil: session.access.valid_until ?? null }, this.now()),
      },
    };
  }

  // ---------- a linked connection ----------

  private async session(ctx: ConnectionContext): Promise<Session | null> {
    try {
      return await this.api.call(Session, `/sessions/${encodeURIComponent(this.remote(ctx).sessionId ?? '')}`);
    } catch (e) {
      if (e instanceof ProviderError && (e.code === 'not_found' || e.code === 'consent_revoked')) return null;
      throw e;
    }
  }

  async consent(ctx: ConnectionContext): Promise<ConsentInfo> {
    const s = await this.session(ctx);
    if (!s) return { state: 'revoked', expiresAt: null, message: { id: 'consent.eb.gone' }, providerCode: 'SESSION_DOES_NOT_EXIST' };
    return enableBankingConsent({ status: s.status, validUntil: s.access?.valid_until ?? null }, this.now());
  }

  /** Enable Banking reads the bank on every data call: there is nothing to start, only the consent to look at. */
  async refreshConnection(ctx: ConnectionContext, _opts: RefreshOptions): Promise<ConsentInfo> {
    return this.consent(ctx);
  }

  async listAccounts(ctx: ConnectionContext): Promise<RemoteAccount[]> {
    const s = await this.session(ctx);
    const consent = s ? enableBankingConsent({ status: s.status, validUntil: s.access?.valid_until ?? null }, this.now()) : null;
    if (!s || consent!.state === 'revoked') throw new ProviderError('consent_revoked', consent?.message ?? 'Enable Banking no longer knows this session. Choose Renew.', { providerCode: s?.status ?? 'SESSION_DOES_NOT_EXIST' });
    if (consent!.state === 'expired') throw new ProviderError('consent_expired', consent!.message!, { providerCode: s.status });
    const out: RemoteAccount[] = [];
    for (const uid of s.accounts) {
      const details = await this.api.call(AccountResource, `/accounts/${encodeURIComponent(uid)}/details`);
      const { balances } = await this.api.call(Balances, `/accounts/${encodeURIComponent(uid)}/balances`);
      this.currencies.set(uid, details.currency);
      out.push(mapAccount({ ...details, uid }, balances, s.aspsp?.name ?? this.remote(ctx).aspspName ?? null));
    }
    return out;
  }

  async fetchTransactions(
    ctx: ConnectionContext,
    accountRemoteId: string,
    window: { from: IsoDate; to: IsoDate; cursor: string | null; signal?: AbortSignal },
  ): Promise<TransactionPage> {
    let currency: string;
    let key: string | undefined;
    let longest = false;
    if (window.cursor) {
      const c = Cursor.safeParse(tryParseJson(window.cursor));
      if (!c.success) throw new ProviderError('validation', 'The Enable Banking transaction cursor is not one this client wrote.');
      ({ key, currency } = c.data);
      longest = c.data.longest ?? false;
    } else {
      currency = this.currencies.get(accountRemoteId)
        ?? (await this.api.call(AccountResource, `/accounts/${encodeURIComponent(accountRemoteId)}/details`, { signal: window.signal })).currency;
      this.currencies.set(accountRemoteId, currency);
    }
    // no transaction_status filter: one listing holds the booked and the pending rows
    const path = `/accounts/${encodeURIComponent(accountRemoteId)}/transactions`;
    const read = (asLongest: boolean) => this.api.call(TransactionsPage, path, {
      query: asLongest ? { date_from: window.from, continuation_key: key, strategy: 'longest' } : { date_from: window.from, date_to: window.to, continuation_key: key },
      signal: window.signal,
    });
    let page: z.output<typeof TransactionsPage>;
    try {
      page = await read(longest);
    } catch (e) {
      // a bank that keeps less history than asked refuses the window: read as far back as it goes instead
      if (key || longest || !(e instanceof ProviderError && e.info.providerCode === 'WRONG_TRANSACTIONS_PERIOD')) throw e;
      longest = true;
      page = await read(true);
    }
    // strategy=longest ignores date_to: rows after the window wait for the sync whose window holds them
    const inWindow = (t: Transaction) => !longest || (t.booking_date ?? t.transaction_date ?? t.value_date ?? '') <= window.to;
    const { transactions, unreadable } = readRows(page.transactions, Transaction, (t) => mapTransaction(t, currency), { idOf: entryReference, keep: inWindow });
    const next = page.continuation_key || null;
    return { transactions, unreadable, nextCursor: next ? JSON.stringify({ key: next, currency, ...(longest ? { longest } : {}) }) : null };
  }

  async beginRenewal(ctx: ConnectionContext, opts: { redirectUri: string; state: string }): Promise<LinkStep> {
    const { aspspName, aspspCountry, sessionId } = this.remote(ctx);
    if (!aspspName || !aspspCountry) throw new ProviderError('not_found', 'This connection does not say which bank it is. Remove it and link the bank again.');
    return this.authorize({ v: 1, purpose: 'renew', aspspName, aspspCountry, redirectUrl: this.redirectUrl(), state: opts.state, oldSessionId: sessionId ?? null });
  }

  private async closeSession(sessionId: string): Promise<void> {
    try {
      await this.api.send(`/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE', idempotent: true });
    } catch (e) {
      // already gone (closed, expired, revoked, unknown): nothing left to close
      if (!(e instanceof ProviderError && (e.code === 'not_found' || e.code === 'consent_revoked' || e.code === 'consent_expired'))) throw e;
    }
  }

  async remove(ctx: ConnectionContext): Promise<void> {
    const { sessionId } = this.remote(ctx);
    if (sessionId) await this.closeSession(sessionId);
  }

  private remote(ctx: ConnectionContext): EnableBankingRemote {
    return readStored(EnableBankingRemote, ctx.remote, 'Enable Banking connection ids');
  }
}

/** ASPSPs are named by name and country together */
const institutionId = (country: string, name: string) => `${country}:${name}`;
function parseInstitutionId(id: string): { country: string; name: string } {
  const m = /^([A-Z]{2}):(.+)$/.exec(id);
  if (!m) throw new ProviderError('validation', `Not an Enable Banking bank: ${id}. Pick the bank from the list.`);
  return { country: m[1], name: m[2] };
}

/** the same address: scheme, host, port and path (the query is what the bank adds) */
function sameAddress(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.origin === y.origin && x.pathname.replace(/\/+$/, '') === y.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}

const entryReference = (raw: unknown): string | null => {
  const v = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).entry_reference : undefined;
  return typeof v === 'string' && v.length > 0 && v.length <= 500 ? v : null;
};

export const createEnableBankingProvider: ProviderFactory = (config, deps) => new EnableBankingProvider(config, deps);
