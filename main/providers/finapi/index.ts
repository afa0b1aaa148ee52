// finAPI Access V2 + Web Form 2.0 as a Multibank Provider (finapi.md; issue 5).
//
// Linking: client token -> a finAPI user (one per app install when a user store is given, else one per link; its
// password lives in the vault) -> user token -> Web Form 2.0 `bankConnectionImport` -> the user completes the web form
// in the browser, which redirects to our redirect URL (carrying `state`, which we append because finAPI does not relay
// one) -> poll the web form to COMPLETED -> wait for the connection's `updateStatus` READY.
// Refresh: Web Form 2.0 `tasks/backgroundUpdate`, PSU metadata only when the user started it; WEB_FORM_REQUIRED and
// `userActionRequired` come back as a `needs_user` consent ("Renew"), not as a failed sync; a consent past its
// `aisConsent.expiresAt` or no longer present throws consent_expired / consent_revoked (the sync reads nothing).
// Renewal: Web Form 2.0 `bankConnectionUpdate` for the same user and bank connection (same remote ids).
import os from 'node:os';
import { mapAccountAlone } from '../accounts.js';
import type { ConsentInfo, Institution, IsoDate, RemoteAccount } from '../../domain/types.js';
import type { ErrorCode } from '../../../preload/contract/errors.js';
import type { MainMessage } from '../../domain/errors.js';
import {
  ProviderError, waitSays, type ConnectionContext, type LinkInput, type LinkStep, type LinkedConnection, type PendingLink,
  type Provider, type ProviderCapabilities, type ProviderConfig, type RefreshOptions, type TransactionPage,
} from '../provider.js';
import { FinapiApi, UserSession, type UserSecrets } from './api.js';
import { finapiConsentState } from './consent.js';
import { mapAccount, mapPending, mapTransaction } from './mapping.js';
import { FinapiRemote, FinapiSecrets, LinkPending } from './stored.js';
import { readPending, readStored } from '../stored.js';
import { readRows, readRowsInTurns } from '../rows.js';
import {
  AccountListSchema, AccountSchema, BankConnectionSchema, BankListSchema, PendingPageSchema, PendingTransactionSchema, TASK_STATUSES, TaskSchema,
  TransactionPageSchema, TransactionSchema,
  UserSchema, WebFormSchema, type Account, type BankConnection, type WebForm,
} from './schemas.js';
import { z } from 'zod';

export { finapiConsentState } from './consent.js';
export { accountTypeOf, mapAccount, mapPending, mapTransaction } from './mapping.js';

/** Real hosts (finapi.md header). Live hosts are [INF] in the notes: verify with finAPI. */
/** who a person asks to delete their connection: the name banks list the access under, and its website */
export const FINAPI_CONTACT = { legalName: 'finAPI GmbH', site: 'finapi.io' };
export const FINAPI_SANDBOX_URL = 'https://sandbox.finapi.io';
export const FINAPI_LIVE_URL = 'https://live.finapi.io';
const WEBFORM_HOSTS: Record<string, string> = {
  'sandbox.finapi.io': 'https://webform-sandbox.finapi.io',
  'live.finapi.io': 'https://webform-live.finapi.io',
};
/** Options a user may set (Settings). Tests and tuning may also pass pollIntervalMs (the longest wait between polls),
 * maxWaitMs and perPage. */
export const FINAPI_OPTION_NAMES = ['webFormBaseUrl'];

/** The waits between polls of an update: finAPI prescribes no interval and a short update is done within a second, so
 * the first wait is short and they grow to `maxMs` (the steady rate stays one poll per `maxMs`). */
function pollWaits(maxMs: number): () => number {
  let ms = Math.min(250, maxMs);
  return () => { const w = ms; ms = Math.min(maxMs, Math.round(ms * 1.6)); return w; };
}

/** The Web Form host: the `webFormBaseUrl` option, else finAPI's twin of the Access host, else the Access host itself (the emulator). */
export function webFormBaseUrlFor(config: Pick<ProviderConfig, 'baseUrl' | 'options'>): string {
  if (config.options.webFormBaseUrl) return config.options.webFormBaseUrl;
  const host = new URL(config.baseUrl).host;
  return WEBFORM_HOSTS[host] ?? config.baseUrl;
}

/** Where one finAPI user per app install is kept (the service backs it with the vault). */
export interface FinapiUserStore {
  load(): Promise<{ userId: string; userPassword: string } | null> | { userId: string; userPassword: string } | null;
  save(user: { userId: string; userPassword: string }): Promise<void> | void;
}

export interface FinapiDeps {
  fetch?: typeof fetch;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  userStore?: FinapiUserStore;
  /**
   * A generic per-provider secret slot (vault-backed) the service may hand every provider; used for the
   * install's finAPI user under the key `user` when no `userStore` is given.
   */
  installSecrets?: { get(key: string): string | undefined | null; set(key: string, value: string): void };
  /** PSU metadata sent when the user started a refresh; defaults from this machine */
  psu?: { ipAddress: string; deviceOs: string; userAgent: string };
}

/** What each Web Form `payload.errorCode` means for the user (issue 5: each gives a clear message). */
export const WEB_FORM_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  ENTITY_EXISTS: { code: 'validation', message: 'This bank login is already connected through finAPI.' },
  BANK_SERVER_REJECTION: { code: 'wrong_credentials', message: 'The bank rejected the login or the confirmation. Check your online-banking login and try again.' },
  INTERRUPTED: { code: 'link_expired', message: 'The finAPI web form was reloaded or reopened at a step that does not allow it. Start linking again.' },
  INVALID_TOKEN: { code: 'link_expired', message: 'The finAPI session ended while the web form was open. Start linking again.' },
  MANDATOR_MISCONFIGURATION: { code: 'not_configured', message: 'This finAPI client is not set up for Web Form 2.0. Ask finAPI support to check the mandator configuration.' },
  NO_ACCOUNTS_FOR_TYPE_LIST: { code: 'not_found', message: 'The bank reported no accounts of the kinds Multibank can show.' },
  UNDETERMINED_BANK: { code: 'not_found', message: 'finAPI could not tell which bank to use. Search for the bank again.' },
  UNEXPECTED_ACCESS_RESPONSE: { code: 'bank_unavailable', message: 'finAPI got an unexpected answer while connecting the bank. Try again later.' },
  UNSUPPORTED_FEATURE: { code: 'forbidden', message: 'The bank does not support what finAPI asked for.' },
  UNSUPPORTED_ORDER: { code: 'forbidden', message: 'The bank does not support this kind of order.' },
  INTERNAL_ERROR: { code: 'bank_unavailable', message: 'finAPI had an internal error while connecting the bank. Try again later.' },
};
export function webFormError(errorCode: string | null | undefined): ProviderError {
  const e = (errorCode && WEB_FORM_ERRORS[errorCode]) || { code: 'bank_unavailable' as ErrorCode, message: `The finAPI web form ended with an error${errorCode ? ` (${errorCode})` : ''}. Try again later.` };
  return new ProviderError(e.code, e.message, { providerCode: errorCode ?? null });
}

const defaultSleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) return reject(new ProviderError('cancelled', 'Cancelled.'));
  const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
  const onAbort = () => { clearTimeout(t); reject(new ProviderError('cancelled', 'Cancelled.')); };
  signal?.addEventListener('abort', onAbort, { once: true });
});

function defaultPsu(): { ipAddress: string; deviceOs: string; userAgent: string } {
  const ip = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? '127.0.0.1';
  return { ipAddress: ip, deviceOs: `${os.type()} ${os.release()}`, userAgent: `Multibank/0.1.0 (${os.platform()}; ${os.arch()})` };
}

/** The redirect URL we hand the web form: the app's redirect URI with our `state` (finAPI does not relay one). */
export function redirectWithState(redirectUri: string, state: string): string {
  const u = new URL(redirectUri);
  if (!u.searchParams.has('state')) u.searchParams.set('state', state);
  return u.toString();
}


const Empty = z.unknown();

/** The finAPI user in stored secrets; without its id or password the user is gone for Multibank: reconnect. */
function userOf(secrets: Record<string, string | undefined>): UserSecrets {
  if (!isUser(secrets)) throw new ProviderError('consent_revoked', 'The finAPI user of this connection is not in the vault any more. Reconnect the bank.');
  return secrets;
}
const isUser = (s: Record<string, string | undefined>): s is UserSecrets => !!s.userId && !!s.userPassword;

export class FinapiProvider implements Provider {
  readonly id = 'finapi' as const;
  readonly capabilities: ProviderCapabilities = {
    // The web form redirects the browser to whatever URL we append [INF]; the emulator accepts all three.
    redirects: ['loopback', 'custom_scheme', 'https'],
    institutionsListable: true,
    pendingTransactions: true,
    // /pendingTransactions has no booking-date filter: one listing serves a whole window
    undatedPendings: true,
    maxHistoryDays: 3 * 366,
    overlapDays: 10,
    dailyUnattendedBudget: 4,
  };
  readonly api: FinapiApi;
  private now: () => Date;
  private sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private pollMs: number;
  private maxWaitMs: number;
  private perPage: number;

  constructor(readonly config: ProviderConfig, private deps: FinapiDeps = {}) {
    const slot = deps.installSecrets;
    if (!deps.userStore && slot) {
      this.deps = { ...deps, userStore: {
        load: () => { const v = slot.get('user'); return v ? JSON.parse(v) as { userId: string; userPassword: string } : null; },
        save: (u) => slot.set('user', JSON.stringify(u)),
      } };
    }
    this.now = deps.now ?? (() => new Date());
    this.sleep = deps.sleep ?? defaultSleep;
    this.pollMs = Number(config.options.pollIntervalMs ?? 1000);
    this.maxWaitMs = Number(config.options.maxWaitMs ?? 180_000);
    this.perPage = Math.min(500, Number(config.options.perPage ?? 500));
    this.api = new FinapiApi({
      baseUrl: config.baseUrl, webFormBaseUrl: webFormBaseUrlFor(config), clientId: config.clientId, clientSecret: config.clientSecret,
      fetch: deps.fetch, now: this.now, sleep: this.sleep, lockedWaitMs: Math.max(this.pollMs, 250), lockedRetries: Math.ceil(30_000 / Math.max(this.pollMs, 250)),
    });
  }

  // ---------- helpers
  private session(secrets: Record<string, string | undefined>, save: (s: UserSecrets) => void = () => {}): UserSession {
    return new UserSession(this.api, userOf(secrets), save);
  }
  /** the session works on ctx.secrets itself (renewed tokens land there too), once they are known to parse */
  private ctxSession(ctx: ConnectionContext): UserSession {
    this.secrets(ctx);
    return this.session(ctx.secrets, (s) => ctx.saveSecrets(s as Record<string, string>));
  }
  private secrets(ctx: ConnectionContext): FinapiSecrets {
    return readStored(FinapiSecrets, ctx.secrets, 'finAPI user');
  }
  private connectionId(ctx: ConnectionContext): string {
    const id = readStored(FinapiRemote, ctx.remote, 'finAPI connection ids').bankConnectionId;
    if (!id) throw new ProviderError('not_found', 'This connection has no finAPI bank connection id.');
    return id;
  }
  private async getConnection(s: UserSession, id: string, signal?: AbortSignal): Promise<BankConnection> {
    try {
      return await this.api.asUser(s, BankConnectionSchema, 'access', `/api/v2/bankConnections/${encodeURIComponent(id)}`, { signal });
    } catch (e) {
      if (e instanceof ProviderError && e.code === 'not_found') {
        throw new ProviderError('consent_revoked', 'finAPI no longer has this bank connection (it was deleted). Reconnect the bank.', { providerCode: e.info.providerCode ?? 'UNKNOWN_ENTITY', status: 404 });
      }
      throw e;
    }
  }
  /** Poll a connection until updateStatus is READY, or until `budgetMs` passes (then returns the last state). */
  private async waitReady(s: UserSession, id: string, budgetMs: number, signal?: AbortSignal, onProgress?: (m: string) => void): Promise<BankConnection> {
    const until = Date.now() + budgetMs;
    const nextWait = pollWaits(this.pollMs);
    for (;;) {
      const c = await this.getConnection(s, id, signal);
      if (c.updateStatus === 'READY' || Date.now() >= until) return c;
      onProgress?.('finAPI is downloading data from the bank…');
      await this.sleep(nextWait(), signal);
    }
  }
  /** The install's finAPI user (from the user store, signed in to prove it still exists), else a new one. */
  private async installUser(): Promise<{ secrets: UserSecrets; ownUser: boolean }> {
    const stored = await this.deps.userStore?.load();
    if (stored) {
      const secrets: UserSecrets = { userId: stored.userId, userPassword: stored.userPassword };
      try {
        await this.session(secrets, () => {}).renew();
        return { secrets, ownUser: false };
      } catch (e) {
        if (!(e instanceof ProviderError && e.code === 'consent_revoked')) throw e; // deleted at finAPI: make a new one
      }
    }
    const password = randomPassword();
    const u = await this.api.asClient(UserSchema, 'access', '/api/v2/users', { method: 'POST', json: { password, isAutoUpdateEnabled: false } });
    const user = { userId: u.id, userPassword: u.password };
    if (this.deps.userStore) await this.deps.userStore.save(user);
    return { secrets: { ...user }, ownUser: !this.deps.userStore };
  }
  private linkedConnection(p: LinkPending, c: BankConnection): LinkedConnection {
    const { userId, userPassword, accessToken, refreshToken, accessTokenExpiresAt } = p.secrets;
    const secrets: Record<string, string> = { userId, userPassword };
    if (accessToken) secrets.accessToken = accessToken;
    if (refreshToken) secrets.refreshToken = refreshToken;
    if (accessTokenExpiresAt) secrets.accessTokenExpiresAt = accessTokenExpiresAt;
    if (p.ownUser) secrets.ownUser = '1';
    return {
      remote: { userId, bankConnectionId: c.id },
      secrets,
      institutionId: c.bank.id,
      institutionName: c.bank.name,
      consent: finapiConsentState(c, this.now()),
    };
  }
  private webFormStep(p: LinkPending, wf: WebForm, redirectUri: string, state: string): LinkStep {
    const url = new URL(wf.url);
    const back = redirectWithState(redirectUri, state);
    url.searchParams.set('redirectUrl', back);
    url.searchParams.set('errorRedirectUrl', back);
    return { kind: 'redirect', url: url.toString(), pending: { ...p, webFormId: wf.id } };
  }

  // ---------- Provider
  async checkConfig(): Promise<void> {
    await this.api.getClientToken(true);
    await this.api.asClient(BankListSchema, 'access', '/api/v2/banks', { query: { perPage: 1 } });
  }

  async listInstitutions(query: string): Promise<Institution[]> {
    const r = await this.api.asClient(BankListSchema, 'access', '/api/v2/banks', { query: { search: query.trim() || undefined, perPage: 100 } });
    return r.banks.map((b) => ({ id: b.id, name: b.name, country: b.location ?? undefined, methods: (b.interfaces ?? []).map((i) => i.bankingInterface) }));
  }

  async beginLink(opts: { institutionId?: string; redirectUri: string; state: string }): Promise<LinkStep> {
    const user = await this.installUser();
    const p: LinkPending = { provider: 'finapi', mode: 'import', webFormId: '', secrets: user.secrets, ownUser: user.ownUser };
    const s = this.session(p.secrets, (x) => { p.secrets = x; });
    const inst = opts.institutionId?.trim();
    const body: Record<string, unknown> = { skipPositionsDownload: true, loadOwnerData: false };
    if (inst) body.bank = /^\d+$/.test(inst) ? { id: Number(inst) } : { search: inst };
    const wf = await this.api.asUser(s, WebFormSchema, 'webform', '/api/webForms/bankConnectionImport', { method: 'POST', json: body });
    return this.webFormStep(p, wf, opts.redirectUri, opts.state);
  }

  async beginRenewal(ctx: ConnectionContext, opts: { redirectUri: string; state: string }): Promise<LinkStep> {
    const id = this.connectionId(ctx);
    const stored = this.secrets(ctx);
    const p: LinkPending = { provider: 'finapi', mode: 'renew', webFormId: '', secrets: { ...userOf(stored) }, ownUser: stored.ownUser === '1', bankConnectionId: id };
    const s = this.session(p.secrets, (x) => { p.secrets = x; ctx.saveSecrets(x as Record<string, string>); });
    // the web form a background update asked for, while nobody has opened it yet; else a new update web form
    const asked = stored.renewWebFormId
      ? await this.api.asUser(s, WebFormSchema, 'webform', `/api/webForms/${encodeURIComponent(stored.renewWebFormId)}`).catch(() => null)
      : null;
    const wf = asked?.status === 'NOT_YET_OPENED' ? asked : await this.api.asUser(s, WebFormSchema, 'webform', '/api/webForms/bankConnectionUpdate', {
      method: 'POST', json: { bank: { bankConnectionId: Number(id) }, importNewAccounts: false, skipPositionsDownload: true, loadOwnerData: false },
    });
    return this.webFormStep(p, wf, opts.redirectUri, opts.state);
  }

  async completeLink(pending: PendingLink, input: LinkInput): Promise<LinkStep> {
    const p = { ...readPending(LinkPending, pending, 'finAPI') };
    if (input.kind === 'form') throw new ProviderError('validation', 'finAPI links through its web form; there is no form to submit here.');
    p.secrets = { ...p.secrets };
    const s = this.session(p.secrets, (x) => { p.secrets = x; });
    const wait = (notice: MainMessage): LinkStep => ({ kind: 'wait', ...waitSays(notice), pending: p, pollAfterMs: this.pollMs });

    // 1. the web form's outcome (the redirect comes back on success and on errors alike)
    if (!p.formDone) {
      const wf = await this.api.asUser(s, WebFormSchema, 'webform', `/api/webForms/${encodeURIComponent(p.webFormId)}`);
      switch (wf.status) {
        case 'NOT_YET_OPENED':
        case 'IN_PROGRESS':
          return wait({ id: 'link.finapi.web_form' });
        case 'EXPIRED':
          throw new ProviderError('link_expired', 'The finAPI web form expired before it was finished. Start linking again.', { providerCode: 'EXPIRED' });
        case 'ABORTED':
          throw new ProviderError('cancelled', 'You cancelled in the finAPI web form.', { providerCode: 'ABORTED' });
        case 'COMPLETED_WITH_ERROR':
          throw webFormError(wf.payload?.errorCode);
        case 'COMPLETED': {
          const id = wf.payload?.bankConnectionId ?? p.bankConnectionId;
          if (!id) throw new ProviderError('bad_response', 'finAPI reported the web form completed without a bank connection. Nothing was changed.');
          p.bankConnectionId = id;
          p.formDone = true;
          break;
        }
        default:
          // a status finAPI added later: not finished as far as we know; keep waiting (the link expires as usual)
          return wait({ id: 'link.finapi.web_form_status', values: { status: wf.status } });
      }
    }
    // 2. the download finAPI runs after the form: wait a little inline, then hand back a wait step
    const c = await this.waitReady(s, p.bankConnectionId!, Math.min(3 * this.pollMs, 5000));
    if (c.updateStatus !== 'READY') return wait({ id: 'link.downloading', values: { provider: 'finAPI' } });
    return { kind: 'done', connection: this.linkedConnection(p, c) };
  }

  async refreshConnection(ctx: ConnectionContext, opts: RefreshOptions): Promise<ConsentInfo> {
    const s = this.ctxSession(ctx);
    const id = this.connectionId(ctx);
    const psu = opts.userPresent ? (this.deps.psu ?? defaultPsu()) : null;
    const headers: Record<string, string> = psu ? { 'PSU-IP-Address': psu.ipAddress, 'PSU-Device-OS': psu.deviceOs, 'PSU-User-Agent': psu.userAgent } : {};
    const body: Record<string, unknown> = { bankConnectionId: Number(id), importNewAccounts: false, skipPositionsDownload: true, loadOwnerData: false };
    if (psu) body.userMetadata = psu;
    opts.onProgress?.('Asking finAPI to update from the bank…');
    let task = await this.api.asUser(s, TaskSchema, 'webform', '/api/tasks/backgroundUpdate', { method: 'POST', json: body, headers, signal: opts.signal });
    const started = Date.now();
    const nextWait = pollWaits(this.pollMs);
    while (task.status === 'NOT_YET_STARTED' || task.status === 'IN_PROGRESS') {
      if (Date.now() - started > this.maxWaitMs) throw new ProviderError('timeout', 'finAPI did not finish updating from the bank in time. Nothing was changed.', { providerCode: task.status });
      opts.onProgress?.(task.status === 'IN_PROGRESS' ? 'finAPI is updating from the bank…' : 'finAPI has queued the update…');
      await this.sleep(nextWait(), opts.signal);
      task = await this.api.asUser(s, TaskSchema, 'webform', `/api/tasks/${encodeURIComponent(task.id)}`, { signal: opts.signal });
    }
    // a status finAPI added later counts as finished: what finAPI holds is read and the connection decides the consent
    if (!(TASK_STATUSES as readonly string[]).includes(task.status)) opts.onProgress?.(`finAPI reported the update as "${task.status}"; reading what it has.`);
    const form = task.status === 'WEB_FORM_REQUIRED' ? task.payload?.webForm : null;
    // keep the form finAPI asks for: Renew opens it (and so also finishes this task)
    if (form) ctx.saveSecrets({ ...ctx.secrets, renewWebFormId: form.id });
    const c = task.status === 'WEB_FORM_REQUIRED'
      ? await this.getConnection(s, id, opts.signal)
      : await this.waitReady(s, id, this.maxWaitMs, opts.signal, opts.onProgress);
    const consent = finapiConsentState(c, this.now(), task);
    // a consent that has ended stops the sync (no data is read); "renew needed" does not: finAPI still serves what it has
    if (consent.state === 'expired') throw new ProviderError('consent_expired', consent.message ?? { id: 'error.consent_expired' }, { providerCode: consent.providerCode });
    if (consent.state === 'revoked') throw new ProviderError('consent_revoked', consent.message ?? { id: 'error.consent_revoked' }, { providerCode: consent.providerCode });
    if (task.status === 'COMPLETED_WITH_ERROR') {
      // a refusal that leaves the user something to do is a consent state, not a failed sync
      if (consent.state !== 'active' && consent.state !== 'failing') return consent;
      const code = task.payload?.errorCode ?? null;
      const last = c.interfaces?.flatMap((i) => [i.lastAutoUpdate, i.lastManualUpdate]).filter(Boolean).map((u) => u!.errorMessage).find(Boolean);
      throw new ProviderError('bank_unavailable', `finAPI could not update from the bank${code ? ` (${code})` : ''}${last ? `: ${last}` : ''}. It will be retried.`, { providerCode: code });
    }
    return consent;
  }

  async listAccounts(ctx: ConnectionContext): Promise<RemoteAccount[]> {
    const s = this.ctxSession(ctx);
    const id = this.connectionId(ctx);
    const c = await this.getConnection(s, id);
    const r = await this.api.asUser(s, AccountListSchema, 'access', '/api/v2/accounts', { query: { bankConnectionIds: id } });
    const out: RemoteAccount[] = [];
    for (const a of r.accounts.filter((x) => x.bankConnectionId === id)) {
      const currency = await this.currencyOf(s, a);
      if (currency) out.push(mapAccountAlone(a, (x) => mapAccount(x, c.bank.name, currency), ['balance', 'availableFunds']));
    }
    return out;
  }

  /**
   * An account's currency. finAPI may send `accountCurrency: null` (V1 and V2 allow it); then it is the currency its
   * booked (else pending) rows name, since a row's `currency` is its booking currency. Never a guess: an account
   * with neither is left out of the list (none of its amounts can be shown) until finAPI reports a currency.
   */
  private async currencyOf(s: UserSession, a: Account, signal?: AbortSignal): Promise<string | null> {
    if (a.accountCurrency) return a.accountCurrency;
    const common = { accountIds: a.id, page: 1, perPage: this.perPage, order: 'id,asc' };
    const booked = await this.api.asUser(s, TransactionPageSchema, 'access', '/api/v2/transactions', { query: { view: 'bankView', ...common }, signal });
    const named = namedCurrency(booked.transactions);
    if (named) return named;
    const pending = await this.api.asUser(s, PendingPageSchema, 'access', '/api/v2/pendingTransactions', { query: common, signal });
    return namedCurrency(pending.pendingTransactions);
  }

  async fetchTransactions(ctx: ConnectionContext, accountRemoteId: string,
    window: { from: IsoDate; to: IsoDate; cursor: string | null; signal?: AbortSignal; pendingsFrom?: IsoDate | null }): Promise<TransactionPage> {
    const s = this.ctxSession(ctx);
    const m = /^(b|p):(\d+)$/.exec(window.cursor ?? 'b:1');
    if (!m) throw new ProviderError('validation', `Not a finAPI cursor: ${window.cursor}`);
    const phase = m[1], page = Number(m[2]);
    // rows without a currency are in the account's currency: read the account only when a page has such a row
    const fallbackCurrency = async (rows: unknown[]): Promise<string> => {
      if (rows.every((t) => (t as { currency?: unknown } | null)?.currency)) return '';
      const account = await this.api.asUser(s, AccountSchema, 'access', `/api/v2/accounts/${encodeURIComponent(accountRemoteId)}`, { signal: window.signal });
      const currency = await this.currencyOf(s, account, window.signal);
      if (!currency) throw new ProviderError('bad_response', 'finAPI names no currency for this account or its transactions, so their amounts cannot be read. Nothing was changed.');
      return currency;
    };
    const common = { accountIds: accountRemoteId, page, perPage: this.perPage, order: 'id,asc' };
    if (phase === 'b') {
      const r = await this.api.asUser(s, TransactionPageSchema, 'access', '/api/v2/transactions', {
        query: { view: 'bankView', minBankBookingDate: window.from, maxBankBookingDate: window.to, ...common }, signal: window.signal,
      });
      const currency = await fallbackCurrency(r.transactions);
      // a page of 500 rows takes several ms to read: in turns of the event loop of their own
      const { transactions, unreadable } = await readRowsInTurns(r.transactions, TransactionSchema, (t) => mapTransaction(t, currency));
      const more = r.paging.page < r.paging.pageCount;
      return { transactions, unreadable, nextCursor: more ? `b:${page + 1}` : window.pendingsFrom === null ? null : 'p:1' };
    }
    // pending rows have no booking-date filter: keep those dated from pendingsFrom (else the window's start) up to the
    // window's end (or after it, when it reaches today)
    const today = this.now().toISOString().slice(0, 10);
    const pendingsFrom = window.pendingsFrom ?? window.from;
    const r = await this.api.asUser(s, PendingPageSchema, 'access', '/api/v2/pendingTransactions', { query: common, signal: window.signal });
    const currency = await fallbackCurrency(r.pendingTransactions);
    const { transactions, unreadable } = readRows(r.pendingTransactions, PendingTransactionSchema, (t) => mapPending(t, currency, today), {
      idOf: (raw) => { const id = (raw as { id?: unknown } | null)?.id; return typeof id === 'string' && id ? `pending-${id}` : null; },
    });
    return {
      transactions: transactions.filter((t) => t.bookingDate >= pendingsFrom && (t.bookingDate <= window.to || window.to >= today)),
      unreadable, nextCursor: r.paging.page < r.paging.pageCount ? `p:${page + 1}` : null,
    };
  }

  async consent(ctx: ConnectionContext): Promise<ConsentInfo> {
    return finapiConsentState(await this.getConnection(this.ctxSession(ctx), this.connectionId(ctx)), this.now());
  }

  /** Delete the bank connection at finAPI (and its bank-side consent); a user made for this connection alone goes too. */
  async remove(ctx: ConnectionContext): Promise<void> {
    const s = this.ctxSession(ctx);
    const id = this.connectionId(ctx);
    try {
      await this.api.asUser(s, Empty, 'access', `/api/v2/bankConnections/${encodeURIComponent(id)}`, { method: 'DELETE', idempotent: true });
    } catch (e) {
      if (!(e instanceof ProviderError && (e.code === 'not_found' || e.code === 'consent_revoked'))) throw e;
      if (e.code === 'consent_revoked') return; // the user is gone already: nothing left at finAPI
    }
    if (this.secrets(ctx).ownUser === '1') await this.deleteUser(ctx);
  }

  /** Delete the finAPI user of this connection with everything it holds (the "also delete my finAPI user" choice). */
  async deleteUser(ctx: ConnectionContext): Promise<void> {
    const s = this.ctxSession(ctx);
    await this.api.asUser(s, Empty, 'access', '/api/v2/users', { method: 'DELETE', idempotent: true });
  }
}

function randomPassword(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString('base64url');
}

export function createFinapiProvider(config: ProviderConfig, deps: FinapiDeps = {}): FinapiProvider {
  return new FinapiProvider(config, deps);
}

/** the first currency code a page's rows name (rows are read one by one later, so here they are still raw) */
function namedCurrency(rows: unknown[]): string | null {
  const c = rows.map((t) => (t as { currency?: unknown } | null)?.currency).find((x) => typeof x === 'string' && /^[A-Z]{3}$/.test(x));
  return typeof c === 'string' ? c : null;
}
