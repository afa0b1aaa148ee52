// Banqware PSD2 API Hub emulator: tenant URLs, users, consents (with the bank's authorization pages), updates that move
// pending → inProgress → completed|failed on the world clock (first slow, later incremental), optional update callbacks,
// account information, KYC, and deletion. Seed-known paths and the invented ones live in ./invented.ts.
import crypto from 'node:crypto';
import { formatMinor } from '../../preload/contract/currency.js';
import type { Emulator, SandboxRequest, SandboxResponse } from '../core/http.js';
import { refill } from '../core/persist.js';
import { Router, html, json, noContent, redirect } from '../core/http.js';
import type { Ledger } from '../core/bank.js';
import type { World } from '../core/world.js';
import {
  DEMO_SCA_CODE, PAGE_ERRORS, accountChoicePage, consentPage, decision, errorPage, formValues, loginPage, scaExpired, scaPage, withParams,
} from '../core/pages.js';
import {
  AUTH_HEADERS, PATHS as P, accountRow, bankRow, consentBody, errorBody, kycBody, pageBody, transactionRow, updateBody,
  type ConsentRecord, type UpdateRecord,
} from './invented.js';

export const BANQWARE_DEFAULTS = { clientId: 'multibank-sandbox', clientSecret: 'banqware-sandbox-secret', bankIdType: 'id' };

export interface BanqwareSettings {
  /** world-clock duration of the first update of a consent (full history) */
  firstUpdateMs: number;
  /** later, incremental updates */
  laterUpdateMs: number;
  /** fewer seconds than this between two updates of one consent → 429 with Retry-After */
  minUpdateIntervalSec: number;
  consentDays: number;
}

interface Session { username: string | null; scaStartedAt: number | null; accounts: string[] }
interface Timing { startsAt: number; finishAt: number; failWith: string | null }

export function createBanqwareEmulator(world: World, ledger: Ledger, overrides: Partial<BanqwareSettings> = {}): Emulator {
  const s: BanqwareSettings = { firstUpdateMs: 1500, laterUpdateMs: 300, minUpdateIntervalSec: 5, consentDays: 90, ...overrides };
  const tenant = { clientId: BANQWARE_DEFAULTS.clientId, clientSecret: BANQWARE_DEFAULTS.clientSecret, redirectUrls: [] as string[], updateCallbackUrls: [] as string[] };
  const users = new Map<string, { id: string; clientId: string | null }>();
  const consents = new Map<string, ConsentRecord>();
  const sessions = new Map<string, Session>();
  let hideIbans = false;
  const updates = new Map<string, UpdateRecord>();
  const timings = new Map<string, Timing>();
  /** consentId → world time of the last completed update (data visible up to then) */
  const dataAsOf = new Map<string, number>();
  const lastUpdateStart = new Map<string, number>();
  const failNext: string[] = [];
  const now = () => world.clock.now().getTime();
  const iso = (t: number) => new Date(t).toISOString();
  const newId = () => crypto.randomUUID();
  const remoteAccountId = (consentId: string, accountId: string) => 'acc-' + crypto.createHash('sha256').update(`${consentId}|${accountId}`).digest('hex').slice(0, 16);

  // ---------------------------------------------------------------- state helpers
  const consentNow = (c: ConsentRecord): ConsentRecord => {
    if (c.status === 'given' && c.validTo && Date.parse(c.validTo) <= now()) c.status = 'expired';
    return c;
  };
  const updateNow = (u: UpdateRecord): UpdateRecord => {
    const t = timings.get(u.id);
    if (!t || u.status === 'completed' || u.status === 'failed') return u;
    const c = consents.get(u.consentId);
    const at = now();
    if (!c || consentNow(c).status !== 'given') {
      u.status = 'failed';
      u.error = !c ? 'CONSENT_DELETED' : c.status === 'revoked' ? 'CONSENT_REVOKED' : 'CONSENT_EXPIRED';
      u.finishedAt = iso(at);
      return u;
    }
    if (at >= t.finishAt) {
      u.finishedAt = iso(t.finishAt);
      if (t.failWith) { u.status = 'failed'; u.error = t.failWith; } else { u.status = 'completed'; dataAsOf.set(u.consentId, t.finishAt); }
    } else if (at >= t.startsAt) u.status = 'inProgress';
    return u;
  };
  /** Banqware matches redirect URLs exactly: no added query, no other loopback port */
  const redirectAllowed = (url: string, list: string[]) => list.includes(url);

  // ---------------------------------------------------------------- API (tenant-authenticated)
  const router = new Router();
  const api = (h: (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>) => (req: SandboxRequest) => {
    const id = req.headers[AUTH_HEADERS.clientId];
    const secret = req.headers[AUTH_HEADERS.clientSecret];
    if (id !== tenant.clientId || secret !== tenant.clientSecret) return json(401, errorBody('UNAUTHORIZED', 'Unknown client or wrong secret.'));
    return h(req);
  };
  const userOr404 = (req: SandboxRequest) => users.get(req.params.userId);
  const consentOr404 = (req: SandboxRequest) => {
    const c = consents.get(req.params.consentId);
    return c && c.userId === req.params.userId ? consentNow(c) : undefined;
  };

  router.put(P.tenantUrls, api((req) => {
    const b = req.body ?? {};
    const ok = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string' && URL.canParse(x));
    if (!ok(b.redirectUrls) || (b.updateCallbackUrls !== undefined && !ok(b.updateCallbackUrls))) {
      return json(400, errorBody('VALIDATION_ERROR', 'redirectUrls (required) and updateCallbackUrls must be lists of URLs.'));
    }
    tenant.redirectUrls = [...b.redirectUrls];
    tenant.updateCallbackUrls = [...(b.updateCallbackUrls ?? [])];
    return json(200, { redirectUrls: tenant.redirectUrls, updateCallbackUrls: tenant.updateCallbackUrls });
  }));
  router.get(P.tenantUrls, api(() => json(200, { redirectUrls: tenant.redirectUrls, updateCallbackUrls: tenant.updateCallbackUrls })));

  router.post(P.users, api((req) => {
    const clientId = typeof req.body?.clientId === 'string' ? req.body.clientId : null;
    const existing = clientId ? [...users.values()].find((u) => u.clientId === clientId) : undefined;
    if (existing) return json(200, existing);
    const u = { id: newId(), clientId };
    users.set(u.id, u);
    return json(201, u);
  }));
  router.get(P.user, api((req) => { const u = userOr404(req); return u ? json(200, u) : json(404, errorBody('USER_NOT_FOUND', `User with Id = ${req.params.userId} does not exist.`)); }));

  router.get(P.banks, api((req) => {
    const country = req.query.get('country');
    return json(200, ledger.banks().filter((b) => !country || b.country === country.toUpperCase()).map(bankRow));
  }));

  router.post(P.consents, api((req) => {
    if (!userOr404(req)) return json(404, errorBody('USER_NOT_FOUND', `User with Id = ${req.params.userId} does not exist.`));
    const b = req.body ?? {};
    const bankIdType = String(b.bankIdType ?? 'id').toLowerCase();
    const bank = ledger.banks().find((x) => (bankIdType === 'bic' ? x.bic === b.bankId : x.id === b.bankId));
    if (!bank) return json(404, errorBody('BANK_NOT_FOUND', `Bank with ${bankIdType} = ${b.bankId} does not exist.`));
    if (typeof b.redirectUrl !== 'string' || !redirectAllowed(b.redirectUrl, tenant.redirectUrls)) {
      return json(400, errorBody('REDIRECT_URL_NOT_REGISTERED', 'The redirectUrl is not one of the registered redirect URLs (PUT /management-resources/api/tenant/urls).'));
    }
    const id = newId();
    const c: ConsentRecord = {
      id, userId: req.params.userId, bankId: bank.id, bankIdType, status: 'requested', redirectUrl: b.redirectUrl,
      authorizationUrl: `${req.baseUrl}${P.authorize.replace(':consentId', id)}`, validTo: null, createdAt: iso(now()), username: null, accountIds: [],
    };
    consents.set(id, c);
    sessions.set(id, { username: null, scaStartedAt: null, accounts: [] });
    return json(201, consentBody(c));
  }));
  router.get(P.consents, api((req) => {
    if (!userOr404(req)) return json(404, errorBody('USER_NOT_FOUND', `User with Id = ${req.params.userId} does not exist.`));
    return json(200, [...consents.values()].filter((c) => c.userId === req.params.userId).map((c) => consentBody(consentNow(c))));
  }));
  router.get(P.consent, api((req) => {
    const c = consentOr404(req);
    return c ? json(200, consentBody(c)) : json(404, errorBody('CONSENT_NOT_FOUND', `Consent with Id = ${req.params.consentId} does not exist.`));
  }));
  router.delete(P.consent, api((req) => {
    const c = consentOr404(req);
    if (!c) return json(404, errorBody('CONSENT_NOT_FOUND', `Consent with Id = ${req.params.consentId} does not exist.`));
    consents.delete(c.id); sessions.delete(c.id); dataAsOf.delete(c.id); lastUpdateStart.delete(c.id);
    for (const [id, u] of updates) if (u.consentId === c.id) { updates.delete(id); timings.delete(id); }
    return noContent();
  }));

  router.post(P.startUpdate, api((req) => {
    const c = consentOr404(req);
    if (!c) return json(404, errorBody('CONSENT_NOT_FOUND', `Consent with Id = ${req.params.consentId} does not exist.`));
    if (c.status !== 'given') return json(409, errorBody(`CONSENT_${c.status.toUpperCase()}`, `The consent is ${c.status}; an update needs a given consent.`));
    const callbackUrl = req.body?.callbackUrl;
    if (callbackUrl !== undefined && callbackUrl !== null && (typeof callbackUrl !== 'string' || !tenant.updateCallbackUrls.includes(callbackUrl))) {
      return json(400, errorBody('CALLBACK_URL_NOT_REGISTERED', 'The callbackUrl is not one of the registered update callback URLs.'));
    }
    const at = now();
    const last = lastUpdateStart.get(c.id);
    if (last !== undefined && at - last < s.minUpdateIntervalSec * 1000) {
      const wait = Math.ceil((last + s.minUpdateIntervalSec * 1000 - at) / 1000);
      return json(429, { message: `API calls quota exceeded! Maximum admitted 1 per ${s.minUpdateIntervalSec}s` }, { 'retry-after': String(Math.max(1, wait)) });
    }
    lastUpdateStart.set(c.id, at);
    const incremental = dataAsOf.has(c.id);
    const duration = incremental ? s.laterUpdateMs : s.firstUpdateMs;
    const u: UpdateRecord = { id: newId(), userId: c.userId, consentId: c.id, status: 'pending', error: null, createdAt: iso(at), finishedAt: null, incremental };
    updates.set(u.id, u);
    timings.set(u.id, { startsAt: at + Math.min(100, duration / 4), finishAt: at + duration, failWith: failNext.shift() ?? null });
    if (typeof callbackUrl === 'string') scheduleCallbacks(u, callbackUrl, duration);
    return json(201, updateBody(u));
  }));
  const getUpdate = api((req) => {
    const u = updates.get(req.params.updateId);
    if (!u || u.userId !== req.params.userId || (req.params.consentId && u.consentId !== req.params.consentId)) {
      return json(404, errorBody('UPDATE_NOT_FOUND', `Update with Id = ${req.params.updateId} does not exist.`));
    }
    return json(200, updateBody(updateNow(u)));
  });
  router.get(P.update, getUpdate);
  router.get(P.consentUpdate, getUpdate);

  /** status-change POSTs to the tenant's callback URL (fire and forget) */
  function scheduleCallbacks(u: UpdateRecord, url: string, duration: number) {
    let last = u.status;
    const post = () => {
      const cur = updateNow(u).status;
      if (cur === last) return;
      last = cur;
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ updateId: u.id, consentId: u.consentId, userId: u.userId, status: cur }) }).catch(() => undefined);
    };
    for (const ms of [Math.min(100, duration / 4) + 5, duration + 5]) setTimeout(post, ms).unref();
  }

  // ---------------------------------------------------------------- account information + KYC
  const dataFor = (req: SandboxRequest): { consents: ConsentRecord[] } | SandboxResponse => {
    if (!userOr404(req)) return json(404, errorBody('USER_NOT_FOUND', `User with Id = ${req.params.userId} does not exist.`));
    const only = req.query.get('consentId');
    const list = [...consents.values()].filter((c) => c.userId === req.params.userId && (!only || c.id === only)).map(consentNow);
    if (only && list.length === 0) return json(404, errorBody('CONSENT_NOT_FOUND', `Consent with Id = ${only} does not exist.`));
    return { consents: list.filter((c) => dataAsOf.has(c.id)) };
  };
  const ownerOf = (c: ConsentRecord) => (c.username ? ledger.findLogin(c.bankId, c.username)?.ownerName ?? '' : '');

  router.get(P.accounts, api((req) => {
    const d = dataFor(req);
    if ('status' in d) return d;
    const rows = d.consents.flatMap((c) => c.accountIds.map((id) => {
      const a = ledger.account(id)!;
      const row = accountRow(a, remoteAccountId(c.id, id), c.id, ownerOf(c), formatMinor(ledger.balance(id), a.currency), formatMinor(ledger.availableBalance(id), a.currency), iso(dataAsOf.get(c.id)!));
      return hideIbans ? { ...row, iban: null } : row;
    }));
    return json(200, rows);
  }));
  router.get(P.transactions, api((req) => {
    const d = dataFor(req);
    if ('status' in d) return d;
    let found: { c: ConsentRecord; ledgerId: string } | undefined;
    for (const c of d.consents) for (const id of c.accountIds) if (remoteAccountId(c.id, id) === req.params.accountId) found = { c, ledgerId: id };
    if (!found) return json(404, errorBody('ACCOUNT_NOT_FOUND', `Account with Id = ${req.params.accountId} does not exist.`));
    const from = req.query.get('dateFrom') ?? undefined;
    const to = req.query.get('dateTo') ?? undefined;
    for (const v of [from, to]) if (v !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(v)) return json(400, errorBody('VALIDATION_ERROR', 'dateFrom/dateTo must be YYYY-MM-DD.'));
    const page = Number(req.query.get('page') ?? '0');
    const size = Number(req.query.get('size') ?? '100');
    if (!Number.isInteger(page) || page < 0 || !Number.isInteger(size) || size < 1 || size > 500) return json(400, errorBody('VALIDATION_ERROR', 'page >= 0 and 1 <= size <= 500.'));
    const asOf = dataAsOf.get(found.c.id)!;
    const account = ledger.account(found.ledgerId)!;
    const rows = ledger.transactions(found.ledgerId, { from, to }).filter((t) => Date.parse(t.createdAt) <= asOf);
    return json(200, pageBody(rows.slice(page * size, (page + 1) * size).map((t) => transactionRow(t, account.iban)), page, size, rows.length));
  }));
  router.get(P.kyc, api((req) => {
    const c = consentOr404(req);
    if (!c) return json(404, errorBody('CONSENT_NOT_FOUND', `Consent with Id = ${req.params.consentId} does not exist.`));
    const login = c.username ? ledger.findLogin(c.bankId, c.username) : undefined;
    if (!login) return json(409, errorBody('NO_KYC_DATA', 'The consent has not been authorized yet.'));
    return json(200, kycBody(login));
  }));

  // ---------------------------------------------------------------- the bank's authorization pages (browser)
  const finish = (c: ConsentRecord, outcome: 'given' | 'rejected', error?: string): SandboxResponse => {
    c.status = outcome;
    if (outcome === 'given') c.validTo = iso(now() + s.consentDays * 86400_000);
    sessions.delete(c.id);
    return redirect(withParams(c.redirectUrl, { consentId: c.id, status: outcome, error }));
  };
  const pageCtx = (c: ConsentRecord, step: string) => ({ bankName: ledger.banks().find((b) => b.id === c.bankId)?.name ?? c.bankId, action: `${P.authorize.replace(':consentId', c.id)}/${step}`, via: 'via Banqware PSD2 API Hub' });
  const pending = (req: SandboxRequest): { c: ConsentRecord; sess: Session } | SandboxResponse => {
    const c = consents.get(req.params.consentId);
    const sess = c && sessions.get(c.id);
    if (!c || !sess || c.status !== 'requested') return html(errorPage({ bankName: 'Banqware', message: 'This authorization link is no longer valid. Go back to the app and start again.' }), 400);
    return { c, sess };
  };
  const demoLogins = (bankId: string) => ledger.logins().filter((l) => l.bankId === bankId).map((l) => ({ username: l.username, password: l.password }));

  router.get(P.authorize, (req) => {
    const p = pending(req);
    if ('status' in p) return p;
    return html(loginPage({ ...pageCtx(p.c, 'login'), demoLogins: demoLogins(p.c.bankId) }));
  });
  router.post(`${P.authorize}/login`, (req) => {
    const p = pending(req);
    if ('status' in p) return p;
    if (decision(req) === 'cancel') return finish(p.c, 'rejected', 'access_denied');
    const login = ledger.findLogin(p.c.bankId, String(req.body?.username ?? ''));
    if (!login || login.password !== req.body?.password) {
      return html(loginPage({ ...pageCtx(p.c, 'login'), error: PAGE_ERRORS.wrongPassword, username: req.body?.username, demoLogins: demoLogins(p.c.bankId) }));
    }
    p.sess.username = login.username;
    p.sess.scaStartedAt = now();
    return html(scaPage({ ...pageCtx(p.c, 'sca') }));
  });
  router.post(`${P.authorize}/sca`, (req) => {
    const p = pending(req);
    if ('status' in p) return p;
    if (decision(req) === 'cancel') return finish(p.c, 'rejected', 'access_denied');
    if (!p.sess.username || p.sess.scaStartedAt === null) return html(loginPage({ ...pageCtx(p.c, 'login'), demoLogins: demoLogins(p.c.bankId) }));
    if (scaExpired(p.sess.scaStartedAt, now())) {
      const back = withParams(p.c.redirectUrl, { consentId: p.c.id, status: 'rejected', error: 'sca_timeout' });
      p.c.status = 'rejected';
      sessions.delete(p.c.id);
      return html(errorPage({ bankName: pageCtx(p.c, '').bankName, message: PAGE_ERRORS.scaTimeout, backUrl: back }), 400);
    }
    if (String(req.body?.otp ?? '').trim() !== DEMO_SCA_CODE) return html(scaPage({ ...pageCtx(p.c, 'sca'), error: PAGE_ERRORS.wrongCode }));
    const accounts = ledger.accounts({ bankId: p.c.bankId, username: p.sess.username });
    return html(accountChoicePage({ ...pageCtx(p.c, 'accounts'), accounts: accounts.map((a) => ({ id: a.id, name: a.name, iban: a.iban, currency: a.currency })) }));
  });
  router.post(`${P.authorize}/accounts`, (req) => {
    const p = pending(req);
    if ('status' in p) return p;
    if (decision(req) === 'cancel') return finish(p.c, 'rejected', 'access_denied');
    const own = new Set(ledger.accounts({ bankId: p.c.bankId, username: p.sess.username ?? '' }).map((a) => a.id));
    const chosen = formValues(req, 'accounts').filter((id) => own.has(id));
    const all = ledger.accounts({ bankId: p.c.bankId, username: p.sess.username ?? '' });
    if (!chosen.length) return html(accountChoicePage({ ...pageCtx(p.c, 'accounts'), error: PAGE_ERRORS.noAccounts, accounts: all.map((a) => ({ id: a.id, name: a.name, iban: a.iban, currency: a.currency, checked: false })) }));
    p.sess.accounts = chosen;
    return html(consentPage({
      ...pageCtx(p.c, 'consent'), validUntil: iso(now() + s.consentDays * 86400_000),
      accounts: all.filter((a) => chosen.includes(a.id)).map((a) => ({ id: a.id, name: a.name, iban: a.iban, currency: a.currency })),
    }));
  });
  router.post(`${P.authorize}/consent`, (req) => {
    const p = pending(req);
    if ('status' in p) return p;
    const d = decision(req);
    if (d === 'deny' || d === 'cancel') return finish(p.c, 'rejected', 'access_denied');
    if (!p.sess.username || !p.sess.accounts.length) return html(loginPage({ ...pageCtx(p.c, 'login'), demoLogins: demoLogins(p.c.bankId) }));
    p.c.username = p.sess.username;
    p.c.accountIds = p.sess.accounts;
    return finish(p.c, 'given');
  });

  // ---------------------------------------------------------------- control hooks for tests
  const pick = (b: { consentId?: string } | undefined) => [...consents.values()].filter((c) => !b?.consentId || c.id === b.consentId);
  const control: Emulator['control'] = {
    expire: (b: { consentId?: string } = {}) => {
      let n = 0;
      for (const c of pick(b)) if (c.status === 'given') { c.validTo = iso(now() - 1000); c.status = 'expired'; n++; }
      return { expired: n };
    },
    revoke: (b: { consentId?: string } = {}) => { let n = 0; for (const c of pick(b)) if (c.status === 'given') { c.status = 'revoked'; n++; } return { revoked: n }; },
    'fail-next-update': (b: { error?: string } = {}) => { failNext.push(b?.error ?? 'BANK_ERROR'); return { queued: failNext.length }; },
    /** accounts listed without IBAN (as some banks list cards), so a renewal's new account ids cannot be matched by IBAN */
    'hide-ibans': (b: { on?: boolean } = {}) => { hideIbans = b?.on !== false; return { hideIbans }; },
    settings: (b: Partial<BanqwareSettings> = {}) => { for (const k of Object.keys(s) as Array<keyof BanqwareSettings>) if (typeof b?.[k] === 'number') s[k] = b[k]!; return { ...s }; },
    state: () => ({ tenant: { redirectUrls: tenant.redirectUrls, updateCallbackUrls: tenant.updateCallbackUrls }, users: users.size, consents: [...consents.values()].map((c) => consentBody(consentNow(c))) }),
  };

  return {
    name: 'banqware',
    router,
    state: {
      save: () => ({ settings: s, tenant, users, consents, sessions, hideIbans, updates, timings, dataAsOf, lastUpdateStart, failNext }),
      load(saved) {
        const v = saved as Record<string, any>;
        Object.assign(s, v.settings); Object.assign(tenant, v.tenant);
        refill(users, v.users); refill(consents, v.consents); refill(sessions, v.sessions); refill(updates, v.updates);
        refill(timings, v.timings); refill(dataAsOf, v.dataAsOf); refill(lastUpdateStart, v.lastUpdateStart);
        hideIbans = Boolean(v.hideIbans);
        failNext.splice(0, failNext.length, ...(v.failNext ?? []));
      },
    },
    notFound: (req) => json(404, errorBody('NOT_FOUND', `No resource at ${req.path}.`)),
    control,
    describe: () => ({
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
      options: { bankIdType: BANQWARE_DEFAULTS.bankIdType },
      scaCode: DEMO_SCA_CODE,
      logins: ledger.logins().map((l) => ({ bank: ledger.banks().find((b) => b.id === l.bankId)?.name ?? l.bankId, bankId: l.bankId, username: l.username, password: l.password })),
    }),
  };
}
