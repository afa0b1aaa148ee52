// Banqware PSD2 API Hub (Poland): register redirect URLs, create a user, create a consent per bank, the user authorizes
// at the bank, consent requested → given, start an update and poll it to completed, read account information and KYC,
// delete the consent (which deletes its data at Banqware). See ../shared/providers/banqware.md.
import crypto from 'node:crypto';
import { z } from 'zod';
import type { ConsentInfo, Institution, IsoDate } from '../../domain/types.js';
import { HttpClient, type RequestAuth, type RequestOptions } from '../http.js';
import {
  ProviderError, waitSays, type ConnectionContext, type LinkInput, type LinkStep, type PendingLink, type Provider, type ProviderCapabilities,
  type ProviderConfig, type ProviderFactory, type RefreshOptions, type TransactionPage,
} from '../provider.js';
import { banqwareConsentState } from './consent.js';
import { banqwareHttp } from './api.js';
import { BanqwarePending, BanqwareRemote } from './stored.js';
import { readPending, readStored } from '../stored.js';
import { readRows } from '../rows.js';
import {
  CALLBACK_PARAMS, CONSENT, PATHS as P, TX_QUERY as Q, UPDATE, UPDATE_CONSENT_ERRORS, accountSchema, bankSchema, consentSchema,
  kycSchema, rowDate, tenantUrlsSchema, toInstitution, toRemoteAccount, toRemoteTransaction, transactionPageSchema, transactionSchema, updateSchema, userSchema,
  type BanqwareConsent, type BanqwareUpdate,
} from './invented.js';

export { banqwareConsentState } from './consent.js';
export { mtlsFetch } from './api.js';

/** The real sandbox host from the seed; production needs a contract, a client certificate and an IP whitelist. */
/** who a person asks to delete their connection: the name banks list the access under, and its website */
export const BANQWARE_CONTACT = { legalName: 'Banqware', site: 'banqware.com' };
export const BANQWARE_SANDBOX_URL = 'https://api.banqware.com/sandbox/';
/**
 * Options: bankIdType (default "id"); country (bank list filter); clientCertPath / clientKeyPath / caPath /
 * clientKeyPassphrase for the mutual-TLS client certificate Banqware requires in production.
 */
export const BANQWARE_OPTION_NAMES = ['bankIdType', 'country', 'clientCertPath', 'clientKeyPath', 'caPath', 'clientKeyPassphrase'];

const PAGE_SIZE = 200;
const POLL_LIMIT_MS = 10 * 60_000;

export interface BanqwareDeps { fetch?: typeof fetch; now?: () => Date; sleep?: (ms: number) => Promise<void> }

export class BanqwareProvider implements Provider {
  readonly id = 'banqware' as const;
  readonly capabilities: ProviderCapabilities = {
    redirects: ['custom_scheme', 'loopback', 'https'],
    // the consent names one registered URL, matched exactly; the seed documents nothing Banqware adds to it
    statelessRedirect: true,
    institutionsListable: true,
    pendingTransactions: true,
    maxHistoryDays: 2 * 366,
    overlapDays: 10,
    // every update makes Banqware call the bank: PSD2 allows 4 unattended accesses a day
    dailyUnattendedBudget: 4,
  };
  private readonly http: HttpClient;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  /** the tenant's credential headers on every request (nothing to renew) */
  private readonly auth: RequestAuth;
  /** redirect URLs this process knows to be registered for the tenant */
  private registered = new Set<string>();

  constructor(private readonly config: ProviderConfig, deps: BanqwareDeps = {}) {
    this.now = deps.now ?? (() => new Date());
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    ({ http: this.http, auth: this.auth } = banqwareHttp(config, deps.fetch));
  }

  private call<S extends z.ZodType>(schema: S, path: string, req: RequestOptions = {}): Promise<z.output<S>> {
    return this.http.json(schema, path, { ...req, auth: this.auth });
  }

  async checkConfig(): Promise<void> {
    await this.call(z.array(bankSchema), P.banks);
  }

  async listInstitutions(query: string): Promise<Institution[]> {
    const country = this.config.options.country || undefined;
    const banks = await this.call(z.array(bankSchema), P.banks, { query: { country } });
    const q = query.trim().toLowerCase();
    return banks.filter((b) => !q || b.name.toLowerCase().includes(q) || b.id.toLowerCase().includes(q) || (b.bic ?? '').toLowerCase().includes(q)).map(toInstitution);
  }

  /**
   * Make sure the tenant has exactly this redirect URL registered. PUT replaces the tenant's whole lists, so it is sent
   * only after a successful GET, with everything the GET returned. Returns why the lists could not be read, if so
   * (GET is [INVENTED]; the consent then shows whether the URL was registered by hand).
   */
  private async ensureRegistered(redirectUrl: string): Promise<string | null> {
    if (this.registered.has(redirectUrl)) return null;
    let current: z.output<typeof tenantUrlsSchema>;
    try {
      current = await this.call(tenantUrlsSchema, P.tenantUrls);
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    if (!current.redirectUrls.includes(redirectUrl)) {
      const body: Record<string, string[]> = { redirectUrls: [...current.redirectUrls, redirectUrl] };
      if (current.updateCallbackUrls?.length) body.updateCallbackUrls = current.updateCallbackUrls;
      await this.call(z.unknown(), P.tenantUrls, { method: 'PUT', json: body, idempotent: true });
    }
    for (const x of [...current.redirectUrls, redirectUrl]) this.registered.add(x);
    return null;
  }

  private async startConsent(userId: string, bankId: string, redirectUrl: string, extra: PendingLink): Promise<LinkStep> {
    const unreadable = await this.ensureRegistered(redirectUrl);
    const bankIdType = this.config.options.bankIdType || 'id';
    // exactly a registered URL: Banqware matches it exactly, so our `state` cannot ride on it (see statelessRedirect)
    const consent = await this.call(consentSchema, P.consents(userId), { method: 'POST', json: { bankId, bankIdType, redirectUrl } }).catch((e: unknown) => {
      if (unreadable !== null && e instanceof ProviderError && (e.info.status ?? 0) >= 400 && (e.info.status ?? 0) < 500) {
        throw new ProviderError('not_configured', `Banqware refused the redirect address ${redirectUrl}, and Multibank could not read the addresses registered for your Banqware tenant (${unreadable}), so it did not change them (registering replaces the whole list). Register ${redirectUrl} in the Banqware developer portal, then link again.`, e.info);
      }
      throw e;
    });
    if (!consent.authorizationUrl) throw new ProviderError('bad_response', 'Banqware did not return an authorization URL. Nothing was changed.');
    return { kind: 'redirect', url: consent.authorizationUrl, pending: { userId, consentId: consent.id, bankId, bankIdType, authorizationUrl: consent.authorizationUrl, ...extra } };
  }

  async beginLink(opts: { institutionId?: string; redirectUri: string; state: string }): Promise<LinkStep> {
    if (!opts.institutionId) throw new ProviderError('validation', 'Choose a bank to connect through Banqware.');
    const user = await this.call(userSchema, P.users, { method: 'POST', json: { clientId: `multibank-${crypto.randomUUID()}` } });
    return this.startConsent(user.id, opts.institutionId, opts.redirectUri, {});
  }

  /** Renewal: a new consent for the same Banqware user and bank; the old consent is deleted once the new one is given. */
  async beginRenewal(ctx: ConnectionContext, opts: { redirectUri: string; state: string }): Promise<LinkStep> {
    const { userId, bankId, consentId } = ctx.remote;
    if (!userId || !bankId) throw new ProviderError('validation', 'This Banqware connection lacks its user or bank id; connect the bank again.');
    return this.startConsent(userId, bankId, opts.redirectUri, { previousConsentId: consentId ?? null });
  }

  async completeLink(pending: PendingLink, input: LinkInput): Promise<LinkStep> {
    const p = readPending(BanqwarePending, pending, 'Banqware');
    const { userId, consentId } = p;
    if (input.kind === 'callback') {
      // The redirect carries no state (a redirect to the bare registered URL may belong to another link): what it says is
      // taken only when it names this consent; the consent's status at Banqware decides in every case.
      const q = new URL(input.url).searchParams;
      const ours = q.get(CALLBACK_PARAMS.consentId) === consentId;
      if (q.has(CALLBACK_PARAMS.consentId) && !ours && p.authorizationUrl) return { kind: 'redirect', url: p.authorizationUrl, pending };
      const status = ours ? q.get(CALLBACK_PARAMS.status) : null;
      const error = ours ? q.get(CALLBACK_PARAMS.error) : null;
      if (status === CONSENT.rejected || error) {
        await this.deleteConsent(userId, consentId);
        if (error === 'sca_timeout') throw new ProviderError('link_expired', 'The confirmation at the bank took too long. Start linking again.', { providerCode: error });
        throw new ProviderError('cancelled', 'Access was not granted at the bank. Nothing was shared.', { providerCode: error ?? status });
      }
    } else if (input.kind !== 'poll') {
      throw new ProviderError('validation', 'Banqware finishes linking through the browser redirect.');
    }
    const consent = await this.call(consentSchema, P.consent(userId, consentId));
    if (consent.status === CONSENT.requested) {
      // polled before the person came back from the bank: stay at the browser step
      if (input.kind === 'poll' && !p.returned && p.authorizationUrl) return { kind: 'redirect', url: p.authorizationUrl, pending };
      return { kind: 'wait', ...waitSays({ id: 'link.bank_confirming' }), pending: { ...pending, returned: true }, pollAfterMs: 1000 };
    }
    if (consent.status !== CONSENT.given) {
      throw new ProviderError('cancelled', 'The bank did not grant access. Start linking again to try once more.', { providerCode: consent.status });
    }
    if (p.previousConsentId && p.previousConsentId !== consentId) {
      await this.deleteConsent(userId, p.previousConsentId);
    }
    const holderName = await this.call(kycSchema, P.kyc(userId, consentId)).then((k) => k.ownerName).catch(() => null);
    const { bankId } = p;
    const institutionName = await this.listInstitutions('').then((l) => l.find((b) => b.id === bankId)?.name ?? bankId).catch(() => bankId);
    const remote: Record<string, string> = { userId, consentId, bankId, bankIdType: p.bankIdType ?? 'id', institutionName };
    if (holderName) remote.holderName = holderName;
    return {
      kind: 'done',
      connection: { remote, secrets: {}, institutionId: bankId, institutionName, consent: banqwareConsentState({ consent, now: this.now() }) },
    };
  }

  private async deleteConsent(userId: string, consentId: string): Promise<void> {
    const res = await this.http.raw(P.consent(userId, consentId), { method: 'DELETE', auth: this.auth, idempotent: true }, (s) => s < 400 || s === 404);
    void res;
  }

  private remote(ctx: ConnectionContext): BanqwareRemote {
    return readStored(BanqwareRemote, ctx.remote, 'Banqware connection ids');
  }

  private async getConsent(ctx: ConnectionContext): Promise<BanqwareConsent | null> {
    const res = await this.http.raw(P.consent(this.remote(ctx).userId, this.remote(ctx).consentId), { auth: this.auth }, (s) => s < 400 || s === 404);
    if (res.status === 404) return null;
    return this.http.parse(consentSchema, res.text, 'GET consent');
  }

  /** Start an update and poll it (with backoff) until completed or failed; reports progress. */
  async refreshConnection(ctx: ConnectionContext, opts: RefreshOptions): Promise<ConsentInfo> {
    const consent = await this.getConsent(ctx);
    const before = banqwareConsentState({ consent, now: this.now() });
    if (before.state !== 'active' && before.state !== 'expiring') throw consentError(before);
    opts.onProgress?.('Asking Banqware to fetch new data from the bank…');
    const res = await this.http.raw(P.startUpdate(this.remote(ctx).userId, this.remote(ctx).consentId), { method: 'POST', json: {}, auth: this.auth, signal: opts.signal }, (s) => s < 400 || s === 429);
    if (res.status === 429) {
      // Banqware limits how often updates may run; the data of the last update stays readable.
      const retry = Number(res.headers.get('retry-after') ?? '0');
      opts.onProgress?.(`Banqware updated this bank moments ago; using that data (next update possible in ${retry || 'a few'} s).`);
      return before;
    }
    let update: BanqwareUpdate = this.http.parse(updateSchema, res.text, 'POST update');
    const started = Date.now();
    let wait = 250;
    let last = '';
    while (update.status !== UPDATE.completed && update.status !== UPDATE.failed) {
      if (opts.signal?.aborted) throw new ProviderError('cancelled', 'Cancelled.');
      if (Date.now() - started > POLL_LIMIT_MS) throw new ProviderError('timeout', 'Banqware did not finish the update in time. It will be retried.', { providerCode: update.status });
      if (update.status !== last) { last = update.status; opts.onProgress?.(progressText(update)); }
      await this.sleep(wait);
      wait = Math.min(3000, Math.round(wait * 1.6));
      update = await this.call(updateSchema, P.update(this.remote(ctx).userId, update.id), { signal: opts.signal });
    }
    if (update.status === UPDATE.failed) {
      const after = banqwareConsentState({ consent: await this.getConsent(ctx), update, now: this.now() });
      if (UPDATE_CONSENT_ERRORS[update.error ?? ''] || after.state === 'expired' || after.state === 'revoked') throw consentError(after);
      throw new ProviderError('bank_unavailable', `The Banqware update failed (${update.error ?? 'unknown error'}). It will be retried.`, { providerCode: update.error ?? 'failed' });
    }
    opts.onProgress?.('Banqware has the new data.');
    return banqwareConsentState({ consent: await this.getConsent(ctx), update, now: this.now() });
  }

  async listAccounts(ctx: ConnectionContext) {
    const rows = await this.call(z.array(accountSchema), P.accounts(this.remote(ctx).userId), { query: { consentId: this.remote(ctx).consentId } }).catch((e: unknown) => {
      if (e instanceof ProviderError && e.code === 'not_found') throw consentError(banqwareConsentState({ consent: null, now: this.now() }));
      throw e;
    });
    return rows.filter((a) => !a.consentId || a.consentId === this.remote(ctx).consentId).map((a) => toRemoteAccount(a, this.remote(ctx).institutionName ?? null));
  }

  async fetchTransactions(ctx: ConnectionContext, accountRemoteId: string, window: { from: IsoDate; to: IsoDate; cursor: string | null; signal?: AbortSignal }): Promise<TransactionPage> {
    const page = window.cursor ? Number(JSON.parse(window.cursor).page) : Q.firstPage;
    const r = await this.call(transactionPageSchema, P.transactions(this.remote(ctx).userId, accountRemoteId), {
      query: { [Q.from]: window.from, [Q.to]: window.to, [Q.page]: page, [Q.size]: PAGE_SIZE }, signal: window.signal,
    });
    const { transactions, unreadable } = readRows(r.content, transactionSchema, toRemoteTransaction, {
      keep: (t) => { const d = rowDate(t); return d >= window.from && d <= window.to; },
    });
    // no page count: a full page may have a next one (one request more at the end, never a row less)
    const more = typeof r.totalPages === 'number' ? r.content.length > 0 && page + 1 < r.totalPages : r.content.length >= PAGE_SIZE;
    return { transactions, unreadable, nextCursor: more ? JSON.stringify({ page: page + 1 }) : null };
  }

  async consent(ctx: ConnectionContext): Promise<ConsentInfo> {
    return banqwareConsentState({ consent: await this.getConsent(ctx), now: this.now() });
  }

  /** The account holder as the bank told Banqware (KYC resource). */
  async holder(ctx: ConnectionContext): Promise<{ ownerName: string; address: string | null }> {
    const k = await this.call(kycSchema, P.kyc(this.remote(ctx).userId, this.remote(ctx).consentId));
    return { ownerName: k.ownerName, address: k.address ?? null };
  }

  /** Deleting the consent deletes every piece of data Banqware acquired with it. */
  async remove(ctx: ConnectionContext): Promise<void> {
    await this.deleteConsent(this.remote(ctx).userId, this.remote(ctx).consentId);
  }
}

function progressText(u: BanqwareUpdate): string {
  if (u.status === UPDATE.pending) return 'Banqware queued the update…';
  if (u.status === UPDATE.inProgress) return u.incremental === false ? 'Banqware is downloading the history from the bank (the first time takes longer)…' : 'Banqware is fetching new transactions from the bank…';
  return `Banqware update: ${u.status}`;
}

function consentError(c: ConsentInfo): ProviderError {
  const code = c.state === 'expired' ? 'consent_expired' : c.state === 'revoked' ? 'consent_revoked' : c.state === 'needs_user' ? 'needs_user' : 'bank_unavailable';
  return new ProviderError(code, c.message ?? 'The Banqware consent cannot be used.', { providerCode: c.providerCode ?? null });
}

export const createBanqwareProvider: ProviderFactory = (config, deps) => new BanqwareProvider(config, deps);
