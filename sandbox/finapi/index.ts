// finAPI emulator: Access V2 (/api/v2/...) and Web Form 2.0 (/api/webForms, /api/tasks, the /wf/{id} pages) on one server.
// The real service splits them over two hosts (sandbox.finapi.io, webform-sandbox.finapi.io); the client takes the
// web form host from its `webFormBaseUrl` option and otherwise uses the Access base URL, which is what this emulator serves.
import type { Ledger, DemoTransaction } from '../core/bank.js';
import { Router, html, redirect, type Emulator, type SandboxRequest, type SandboxResponse } from '../core/http.js';
import type { World } from '../core/world.js';
import { formatMinor } from '../../preload/contract/currency.js';
import {
  accessError, accountJson, bankJson, finJson, oauthError, pendingTransactionJson, transactionJson, amount,
  WEBFORM_ACCOUNT_TYPE, ownerJson, webFormError, webFormTs, webFormValidation, accessTs,
} from './shapes.js';
import { DEMO_CLIENT, DEMO_SCA_CODE, FinapiState, type ConnectionRec, type ForcedUpdate, type TaskRec, type WebFormRec } from './state.js';
import { decision, formValues, PAGE_ERRORS } from '../core/pages.js';
import { accountsPage, bankSearchPage, finalPage, loginPage, scaPage } from './webform.js';

const WEBFORM_ACCOUNT_TYPES = ['BAUSPAREN', 'CHECKING', 'CREDIT_CARD', 'LOAN', 'MEMBERSHIP', 'SAVINGS', 'SECURITY'];
const MAX_WRONG_PASSWORDS = 3;


export function createFinapiEmulator(world: World, ledger: Ledger): Emulator {
  const st = new FinapiState(world, ledger);
  const router = new Router();
  const now = () => new Date(st.now());
  const endpoint = (req: SandboxRequest) => `${req.method} ${req.path}`;

  // ---------- auth helpers
  const bearer = (req: SandboxRequest) => /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1]?.trim();
  const invalidToken = () => oauthError(401, 'invalid_token', 'Invalid access token: the token is unknown or has expired.');
  type Authed = { userId: string };
  /** Access routes: a valid user token, else finAPI's OAuth-style 401. */
  function user(req: SandboxRequest): Authed | SandboxResponse {
    const t = st.token(bearer(req));
    if (!t) return invalidToken();
    if (t.kind !== 'user') return accessError(403, 'FORBIDDEN', 'This service needs a user access token.', endpoint(req));
    return { userId: t.userId! };
  }
  /** Web Form 2.0 routes: the same user token; failures use the Web Form `Error` body [SPEC]. */
  function wfUser(req: SandboxRequest): Authed | SandboxResponse {
    const t = st.token(bearer(req));
    if (!t) return webFormError(401, 'UNAUTHORIZED', 'Either there is no access token within the request, or it is invalid.', endpoint(req), now());
    if (t.kind !== 'user') return webFormError(403, 'FORBIDDEN', 'This service needs a user access token.', endpoint(req), now());
    return { userId: t.userId! };
  }
  const isResp = (x: unknown): x is SandboxResponse => typeof (x as SandboxResponse).status === 'number';
  /** Echo X-Request-Id as finAPI does. */
  const withRequestId = (h: (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>) => async (req: SandboxRequest) => {
    const out = await h(req);
    const id = req.headers['x-request-id'];
    return id ? { ...out, headers: { ...out.headers, 'x-request-id': String(id) } } : out;
  };
  const get = (p: string, h: (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>) => router.get(p, withRequestId(h));
  const post = (p: string, h: (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>) => router.post(p, withRequestId(h));
  const del = (p: string, h: (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>) => router.delete(p, withRequestId(h));

  function clientAuth(req: SandboxRequest): boolean {
    let id = req.body?.client_id, secret = req.body?.client_secret;
    const basic = /^Basic\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
    if (basic) [id, secret] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    return id === DEMO_CLIENT.clientId && secret === DEMO_CLIENT.clientSecret;
  }

  // ---------- OAuth
  post('/api/v2/oauth/token', (req) => {
    if (!clientAuth(req)) return oauthError(401, 'invalid_client', 'Bad client credentials');
    const grant = req.body?.grant_type;
    if (grant === 'client_credentials') return finJson(200, st.issueToken('client'));
    if (grant === 'password') {
      const u = st.users.get(String(req.body?.username ?? ''));
      if (!u || u.password !== req.body?.password) return oauthError(400, 'invalid_grant', 'Bad user credentials');
      return finJson(200, st.issueToken('user', u.id));
    }
    if (grant === 'refresh_token') {
      const r = st.refreshTokens.get(String(req.body?.refresh_token ?? ''));
      if (!r || !st.users.has(r.userId)) return oauthError(400, 'invalid_grant', 'Invalid refresh token');
      st.refreshTokens.delete(String(req.body.refresh_token)); // rotation: a refresh token works once
      return finJson(200, st.issueToken('user', r.userId));
    }
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`);
  });
  post('/api/v2/oauth/revoke', (req) => {
    if (!clientAuth(req)) return oauthError(401, 'invalid_client', 'Bad client credentials');
    const token = String(req.body?.token ?? '');
    const hint = req.body?.token_type_hint;
    if (hint !== 'refresh_token') {
      const t = st.tokens.get(token);
      st.tokens.delete(token);
      // revoking a user's access token also revokes its refresh tokens (finAPI: token_type_hint access_token revokes both)
      if (t?.kind === 'user' && hint === undefined) for (const [k, r] of st.refreshTokens) if (r.userId === t.userId) st.refreshTokens.delete(k);
    }
    st.refreshTokens.delete(token);
    return { status: 200 };
  });

  // ---------- users
  const userJson = (u: { id: string; password: string; email: string | null; phone: string | null; isAutoUpdateEnabled: boolean }) =>
    ({ id: u.id, password: u.password, email: u.email, phone: u.phone, isAutoUpdateEnabled: u.isAutoUpdateEnabled });
  post('/api/v2/users', (req) => {
    const t = st.token(bearer(req));
    if (!t) return invalidToken();
    if (t.kind !== 'client') return accessError(403, 'FORBIDDEN', 'Users are created with a client access token.', endpoint(req));
    const b = req.body ?? {};
    if (b.id !== undefined && (typeof b.id !== 'string' || !/^[0-9A-Za-z\-_.+@]{1,36}$/.test(b.id)))
      return accessError(400, 'ILLEGAL_FIELD_VALUE', "Field 'id' must be 1-36 characters of [0-9A-Za-z-_.+@].", endpoint(req));
    if (b.password !== undefined && (typeof b.password !== 'string' || b.password.length < 6 || b.password.length > 128))
      return accessError(400, 'ILLEGAL_FIELD_VALUE', "Field 'password' must be 6-128 characters.", endpoint(req));
    if (b.id && st.users.has(b.id)) return accessError(422, 'ENTITY_EXISTS', `A user with id '${b.id}' already exists.`, endpoint(req));
    return finJson(201, userJson(st.createUser(b)));
  });
  get('/api/v2/users', (req) => {
    const a = user(req); if (isResp(a)) return a;
    return finJson(200, userJson(st.users.get(a.userId)!));
  });
  del('/api/v2/users', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const busy = [...st.connections.values()].some((c) => c.userId === a.userId && st.tick(c).updateStatus === 'IN_PROGRESS');
    if (busy) return accessError(423, 'LOCKED', 'A bank connection of this user is being updated.', endpoint(req));
    st.deleteUser(a.userId);
    return { status: 200 };
  });

  // ---------- banks
  function anyToken(req: SandboxRequest): SandboxResponse | null { return st.token(bearer(req)) ? null : invalidToken(); }
  const allBanks = () => ledger.banks().map((b) => ({ id: st.bankIds.get(b.id)!, bank: b }));
  function searchBanks(q: string) {
    const s = q.trim().toLowerCase();
    return allBanks().filter(({ id, bank }) => !s || bank.name.toLowerCase().includes(s) || bank.bic.toLowerCase() === s || String(id) === s || bank.country.toLowerCase() === s);
  }
  function paging(req: SandboxRequest): { page: number; perPage: number } | SandboxResponse {
    const page = Number(req.query.get('page') ?? 1), perPage = Number(req.query.get('perPage') ?? 20);
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 500) return accessError(400, 'ILLEGAL_PAGE_SIZE', 'perPage must be between 1 and 500.', endpoint(req));
    if (!Number.isInteger(page) || page < 1) return accessError(400, 'BAD_REQUEST', 'page must be 1 or more.', endpoint(req));
    return { page, perPage };
  }
  const pagingJson = (page: number, perPage: number, total: number) => ({ page, perPage, pageCount: Math.ceil(total / perPage), totalCount: total });
  get('/api/v2/banks', (req) => {
    const bad = anyToken(req); if (bad) return bad;
    let list = searchBanks(req.query.get('search') ?? '');
    const testBank = req.query.get('isTestBank');
    if (testBank !== null) list = list.filter(() => testBank === 'true');
    const location = req.query.get('location');
    if (location) { const ls = location.split(',').map((x) => x.trim().toUpperCase()); list = list.filter(({ bank }) => ls.includes(bank.country)); }
    const p = paging(req); if (isResp(p)) return p;
    const rows = list.slice((p.page - 1) * p.perPage, p.page * p.perPage);
    return finJson(200, { banks: rows.map(({ id, bank }) => bankJson(id, bank)), paging: pagingJson(p.page, p.perPage, list.length) });
  });
  get('/api/v2/banks/:id', (req) => {
    const bad = anyToken(req); if (bad) return bad;
    const ledgerId = st.bankById.get(Number(req.params.id));
    const bank = ledger.banks().find((b) => b.id === ledgerId);
    if (!bank) return accessError(404, 'UNKNOWN_ENTITY', `Bank ${req.params.id} not found.`, endpoint(req));
    return finJson(200, bankJson(Number(req.params.id), bank));
  });

  // ---------- bank connections
  function connectionJson(c: ConnectionRec) {
    const bank = ledger.banks().find((b) => b.id === c.bankId)!;
    const visible = c.firstDataAt !== null;
    return {
      id: c.id,
      name: c.name,
      updateStatus: c.updateStatus,
      categorizationStatus: visible ? 'READY' : 'PENDING',
      interfaces: [{
        bankingInterface: 'XS2A',
        loginCredentials: [{ label: 'Onlinebanking-ID', value: c.login.username }, { label: 'PIN', value: null }],
        defaultTwoStepProcedureId: 'demo-app',
        twoStepProcedures: [{ procedureId: 'demo-app', procedureName: 'Demo app TAN', procedureChallengeType: 'TEXT', implicitExecute: false }],
        aisConsent: { status: c.consentStatus, expiresAt: c.consentExpiresAt === null ? null : accessTs(new Date(c.consentExpiresAt)) },
        lastManualUpdate: c.lastManualUpdate,
        lastAutoUpdate: c.lastAutoUpdate,
        userActionRequired: c.userActionRequired,
        maxDaysForDownload: 0,
      }],
      accountIds: visible ? c.accountIds.map((id) => st.intId(`acc:${id}`)) : [],
      owners: [ownerJson(c.login.ownerName)],
      bank: bankJson(st.bankIds.get(c.bankId)!, bank),
    };
  }
  const userConnections = (userId: string) => [...st.connections.values()].filter((c) => c.userId === userId).map((c) => st.tick(c));
  get('/api/v2/bankConnections', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const ids = req.query.get('ids')?.split(',').map(Number);
    const list = userConnections(a.userId).filter((c) => !ids || ids.includes(c.id));
    return finJson(200, { connections: list.map(connectionJson) });
  });
  get('/api/v2/bankConnections/:id', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const c = st.userConnection(a.userId, Number(req.params.id));
    if (!c) return accessError(404, 'UNKNOWN_ENTITY', `Bank connection ${req.params.id} not found.`, endpoint(req));
    return finJson(200, connectionJson(c));
  });
  function deleteConnection(req: SandboxRequest, c: ConnectionRec): SandboxResponse | null {
    if (c.updateStatus === 'IN_PROGRESS')
      return accessError(423, 'LOCKED', 'The bank connection is currently being imported or updated. Try again later.', endpoint(req), 'BUSINESS', { 'retry-after': '1' });
    st.connections.delete(c.id);
    return null;
  }
  del('/api/v2/bankConnections/:id', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const c = st.userConnection(a.userId, Number(req.params.id));
    if (!c) return accessError(404, 'UNKNOWN_ENTITY', `Bank connection ${req.params.id} not found.`, endpoint(req));
    return deleteConnection(req, c) ?? { status: 200 };
  });
  del('/api/v2/bankConnections', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const list = userConnections(a.userId);
    if (list.some((c) => c.updateStatus === 'IN_PROGRESS')) return accessError(423, 'LOCKED', 'A bank connection is being updated.', endpoint(req));
    for (const c of list) st.connections.delete(c.id);
    return finJson(200, { identifiers: list.map((c) => c.id) });
  });

  // ---------- accounts
  /** Accounts the user can see: those of connections whose first download finished. */
  function userAccounts(userId: string) {
    return userConnections(userId).filter((c) => c.firstDataAt !== null).flatMap((c) =>
      c.accountIds.map((id) => ({ conn: c, acc: ledger.account(id)! })).filter((x) => x.acc));
  }
  function accountOut({ conn, acc }: { conn: ConnectionRec; acc: NonNullable<ReturnType<Ledger['account']>> }) {
    const lastOk = [conn.lastManualUpdate, conn.lastAutoUpdate].filter((u) => u?.result === 'OK').map((u) => Date.parse(u!.timestamp)).sort().pop();
    return accountJson(st.accountIntId(acc), conn.id, acc, conn.login.ownerName,
      formatMinor(ledger.balance(acc.id), acc.currency), formatMinor(ledger.availableBalance(acc.id), acc.currency),
      lastOk ? new Date(lastOk) : null);
  }
  get('/api/v2/accounts', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const ids = req.query.get('ids')?.split(',').map(Number);
    const conns = req.query.get('bankConnectionIds')?.split(',').map(Number);
    const list = userAccounts(a.userId).filter((x) => (!ids || ids.includes(st.accountIntId(x.acc))) && (!conns || conns.includes(x.conn.id)));
    return finJson(200, { accounts: list.map(accountOut) });
  });
  get('/api/v2/accounts/:id', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const x = userAccounts(a.userId).find((y) => st.accountIntId(y.acc) === Number(req.params.id));
    if (!x) return accessError(404, 'UNKNOWN_ENTITY', `Account ${req.params.id} not found.`, endpoint(req));
    return finJson(200, accountOut(x));
  });

  // ---------- transactions
  const DATE = /^\d{4}-\d{2}-\d{2}$/;
  type Row = { intId: number; accInt: number; t: DemoTransaction };
  /** The rows of the requested accounts (all of the user's when none given), or an error response. */
  function txRows(req: SandboxRequest, userId: string, status: 'booked' | 'pending'): Row[] | SandboxResponse {
    const mine = userAccounts(userId);
    const wanted = req.query.get('accountIds')?.split(',').map(Number);
    if (wanted?.some((id) => !mine.some((x) => st.accountIntId(x.acc) === id)))
      return accessError(404, 'UNKNOWN_ENTITY', 'At least one of the given accounts does not exist.', endpoint(req));
    const from = req.query.get('minBankBookingDate') ?? undefined, to = req.query.get('maxBankBookingDate') ?? undefined;
    for (const d of [from, to]) if (d !== undefined && !DATE.test(d)) return accessError(400, 'BAD_REQUEST', `Illegal date '${d}', expected YYYY-MM-DD.`, endpoint(req));
    const rows: Row[] = [];
    for (const x of mine) {
      const accInt = st.accountIntId(x.acc);
      if (wanted && !wanted.includes(accInt)) continue;
      const range = status === 'booked' ? { from, to } : undefined;
      for (const t of ledger.transactions(x.acc.id, range)) if (t.status === status) rows.push({ intId: st.intId(`${status}:${t.id}`), accInt, t });
    }
    return rows;
  }
  const ORDER_FIELDS: Record<string, (r: Row) => string | number> = {
    id: (r) => r.intId, bankBookingDate: (r) => r.t.bookingDate, finapiBookingDate: (r) => r.t.bookingDate,
    valueDate: (r) => r.t.valueDate, amount: (r) => r.t.amountMinor, purpose: (r) => r.t.description,
    counterpartName: (r) => r.t.counterpartyName ?? '', counterpartyName: (r) => r.t.counterpartyName ?? '',
  };
  function ordered(req: SandboxRequest, rows: Row[]): Row[] | SandboxResponse {
    const orders = req.query.getAll('order').flatMap((o) => o.split(/(?<=,(?:asc|desc))\s*,/i)).filter(Boolean);
    const keys: Array<{ f: (r: Row) => string | number; dir: number }> = [];
    for (const o of orders.length ? orders : ['id,asc']) {
      const [field, dir = 'asc'] = o.split(',').map((x) => x.trim());
      if (!ORDER_FIELDS[field] || !/^(asc|desc)$/i.test(dir)) return accessError(400, 'BAD_REQUEST', `Illegal order '${o}'.`, endpoint(req));
      keys.push({ f: ORDER_FIELDS[field], dir: dir.toLowerCase() === 'desc' ? -1 : 1 });
    }
    if (!keys.some((k) => k.f === ORDER_FIELDS.id)) keys.push({ f: ORDER_FIELDS.id, dir: 1 });
    return [...rows].sort((a, b) => {
      for (const k of keys) { const x = k.f(a), y = k.f(b); if (x < y) return -k.dir; if (x > y) return k.dir; }
      return 0;
    });
  }
  get('/api/v2/transactions', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const view = req.query.get('view');
    if (view !== 'bankView' && view !== 'userView') return accessError(400, 'BAD_REQUEST', "Required parameter 'view' must be 'bankView' or 'userView'.", endpoint(req));
    const rows = txRows(req, a.userId, 'booked'); if (isResp(rows)) return rows;
    const sorted = ordered(req, rows); if (isResp(sorted)) return sorted;
    const p = paging(req); if (isResp(p)) return p;
    const pageRows = sorted.slice((p.page - 1) * p.perPage, p.page * p.perPage);
    // totals over the whole filtered set, in the first row's currency
    const currency = sorted[0]?.t.currency ?? 'EUR';
    const income = sorted.reduce((s, r) => s + Math.max(0, r.t.amountMinor), 0);
    const spending = sorted.reduce((s, r) => s + Math.min(0, r.t.amountMinor), 0);
    return finJson(200, {
      transactions: pageRows.map((r) => transactionJson(r.intId, r.accInt, r.t)),
      paging: pagingJson(p.page, p.perPage, sorted.length),
      income: amount(formatMinor(income, currency)), spending: amount(formatMinor(spending, currency)), balance: amount(formatMinor(income + spending, currency)),
    });
  });
  get('/api/v2/pendingTransactions', (req) => {
    const a = user(req); if (isResp(a)) return a;
    const rows = txRows(req, a.userId, 'pending'); if (isResp(rows)) return rows;
    const sorted = ordered(req, rows); if (isResp(sorted)) return sorted;
    const p = paging(req); if (isResp(p)) return p;
    return finJson(200, {
      pendingTransactions: sorted.slice((p.page - 1) * p.perPage, p.page * p.perPage).map((r) => pendingTransactionJson(r.intId, r.accInt, r.t)),
      paging: pagingJson(p.page, p.perPage, sorted.length),
    });
  });

  // ---------- Web Form 2.0 API
  function webFormJson(wf: WebFormRec, baseUrl: string) {
    st.tickWebForm(wf);
    const final = wf.status !== 'NOT_YET_OPENED' && wf.status !== 'IN_PROGRESS';
    return {
      id: wf.id,
      url: `${baseUrl}/wf/${wf.id}`,
      createdAt: webFormTs(new Date(wf.createdAt)),
      expiresAt: webFormTs(new Date(wf.expiresAt)),
      type: wf.type,
      status: wf.status,
      payload: {
        bankConnectionId: final && wf.bankConnectionId !== null && st.connections.has(wf.bankConnectionId) ? wf.bankConnectionId : null,
        paymentId: null,
        standingOrderId: null,
        errorCode: wf.status === 'COMPLETED_WITH_ERROR' ? wf.errorCode : null,
      },
    };
  }
  /** `advance: false` shows a task as created (NOT_YET_STARTED); reads move it along first. */
  function taskJson(t: TaskRec, baseUrl: string, advance = true) {
    if (advance) st.tickTask(t);
    const wf = t.webFormId ? st.webForms.get(t.webFormId) : undefined;
    if (wf) st.tickWebForm(wf);
    return {
      id: t.id,
      createdAt: webFormTs(new Date(t.createdAt)),
      type: 'BANK_CONNECTION_UPDATE',
      status: t.status,
      payload: {
        bankConnectionId: t.bankConnectionId,
        webForm: wf ? { id: wf.id, url: `${baseUrl}/wf/${wf.id}`, status: wf.status } : null,
        errorCode: t.status === 'COMPLETED_WITH_ERROR' ? t.errorCode : null,
      },
    };
  }
  /** Validation shared by the three creating services; returns the field errors. */
  function commonChecks(b: any): Array<{ field: string; message: string }> {
    const errors: Array<{ field: string; message: string }> = [];
    if (b.accountTypes !== undefined && b.accountTypes !== null
      && (!Array.isArray(b.accountTypes) || b.accountTypes.some((t: unknown) => !WEBFORM_ACCOUNT_TYPES.includes(t as string))))
      errors.push({ field: 'accountTypes', message: `must be a list of ${WEBFORM_ACCOUNT_TYPES.join(', ')}` });
    if (b.profileId != null && (typeof b.profileId !== 'string' || b.profileId.length !== 36)) errors.push({ field: 'profileId', message: 'length must be 36' });
    return errors;
  }
  post('/api/webForms/bankConnectionImport', (req) => {
    const a = wfUser(req); if (isResp(a)) return a;
    const b = req.body;
    if (!b || typeof b !== 'object') return webFormValidation([{ field: 'body', message: 'must be a JSON object' }], endpoint(req), now());
    const errors = commonChecks(b);
    const bank = b.bank ?? null;
    if (bank && bank.id != null && bank.search != null) errors.push({ field: 'bank', message: 'id and search are mutually exclusive' });
    if (bank?.id != null && !Number.isInteger(bank.id)) errors.push({ field: 'bank.id', message: 'must be an integer' });
    if (b.bankConnectionName != null && (typeof b.bankConnectionName !== 'string' || !b.bankConnectionName.length || b.bankConnectionName.length > 64))
      errors.push({ field: 'bankConnectionName', message: 'size must be between 1 and 64' });
    if (errors.length) return webFormValidation(errors, endpoint(req), now());
    if (b.redirectUrl != null)
      return webFormError(422, 'INVALID_REDIRECT_URL', 'redirectUrl may not be passed by a mandator without an AIS licence; append it to the web form URL instead.', endpoint(req), now());
    let bankId: string | null = null;
    if (bank?.id != null) {
      bankId = st.bankById.get(bank.id) ?? null;
      if (!bankId) return webFormError(422, 'BANK_NOT_SUPPORTED', `Bank ${bank.id} is not supported.`, endpoint(req), now());
    } else if (bank?.search != null) {
      const found = searchBanks(String(bank.search));
      if (!found.length) return webFormError(422, 'BANK_NOT_SUPPORTED', `No supported bank matches '${bank.search}'.`, endpoint(req), now());
      if (found.length > 1) return webFormError(422, 'BANK_NOT_UNIQUE', `'${bank.search}' matches ${found.length} banks.`, endpoint(req), now());
      bankId = found[0].bank.id;
    }
    const wf = st.createWebForm(a.userId, 'BANK_CONNECTION_IMPORT', { bankId, bankConnectionName: b.bankConnectionName ?? null, accountTypes: b.accountTypes ?? null });
    return finJson(201, webFormJson(wf, req.baseUrl));
  });
  post('/api/webForms/bankConnectionUpdate', (req) => {
    const a = wfUser(req); if (isResp(a)) return a;
    const b = req.body;
    const id = b?.bank?.bankConnectionId;
    const errors = b && typeof b === 'object' ? commonChecks(b) : [];
    if (!Number.isInteger(id)) errors.push({ field: 'bank.bankConnectionId', message: 'must not be null' });
    if (errors.length) return webFormValidation(errors, endpoint(req), now());
    const c = st.userConnection(a.userId, id);
    if (!c) return webFormError(404, 'NOT_FOUND', `Bank connection ${id} not found.`, endpoint(req), now());
    if (b.redirectUrl != null) return webFormError(422, 'INVALID_REDIRECT_URL', 'redirectUrl may not be passed by a mandator without an AIS licence.', endpoint(req), now());
    const wf = st.createWebForm(a.userId, 'BANK_CONNECTION_UPDATE', { bankConnectionId: c.id, bankId: c.bankId });
    return finJson(201, webFormJson(wf, req.baseUrl));
  });
  get('/api/webForms/:id', (req) => {
    const a = wfUser(req); if (isResp(a)) return a;
    const wf = st.webForms.get(req.params.id);
    if (!wf || wf.userId !== a.userId) return webFormError(404, 'NOT_FOUND', 'Web form not found.', endpoint(req), now());
    return finJson(200, webFormJson(wf, req.baseUrl));
  });
  del('/api/webForms/:id', (req) => {
    const a = wfUser(req); if (isResp(a)) return a;
    const wf = st.webForms.get(req.params.id);
    if (!wf || wf.userId !== a.userId) return webFormError(404, 'NOT_FOUND', 'Web form not found.', endpoint(req), now());
    st.webForms.delete(wf.id);
    return { status: 200 };
  });
  post('/api/tasks/backgroundUpdate', (req) => {
    const a = wfUser(req); if (isResp(a)) return a;
    const b = req.body;
    const errors = b && typeof b === 'object' ? commonChecks(b) : [];
    if (!Number.isInteger(b?.bankConnectionId)) errors.push({ field: 'bankConnectionId', message: 'must not be null' });
    const md = b?.userMetadata;
    if (md != null && (typeof md.ipAddress !== 'string' || typeof md.deviceOs !== 'string' || typeof md.userAgent !== 'string'))
      errors.push({ field: 'userMetadata', message: 'ipAddress, deviceOs and userAgent are required' });
    if (errors.length) return webFormValidation(errors, endpoint(req), now());
    const c = st.userConnection(a.userId, b.bankConnectionId);
    if (!c) return webFormError(404, 'NOT_FOUND', `Bank connection ${b.bankConnectionId} not found.`, endpoint(req), now());
    if (c.updateStatus === 'IN_PROGRESS') return webFormError(423, 'LOCKED', 'The bank connection is currently being imported or updated.', endpoint(req), now());
    const h = req.headers;
    const psu = md ?? (h['psu-ip-address'] ? { ipAddress: String(h['psu-ip-address']), deviceOs: String(h['psu-device-os'] ?? ''), userAgent: String(h['psu-user-agent'] ?? '') } : null);
    const t = st.createTask(a.userId, c, psu);
    return finJson(201, taskJson(t, req.baseUrl, false));
  });
  get('/api/tasks/:id', (req) => {
    const a = wfUser(req); if (isResp(a)) return a;
    const t = st.tasks.get(req.params.id);
    if (!t || t.userId !== a.userId) return webFormError(404, 'NOT_FOUND', 'Task not found.', endpoint(req), now());
    return finJson(200, taskJson(t, req.baseUrl));
  });

  // ---------- the web form pages
  const isFinal = (wf: WebFormRec) => !['NOT_YET_OPENED', 'IN_PROGRESS'].includes(wf.status);
  const bankName = (wf: WebFormRec) => ledger.banks().find((b) => b.id === wf.bankId)?.name ?? 'your bank';
  const FINAL_TEXT: Record<string, string> = {
    COMPLETED: 'Your bank is connected.', ABORTED: 'You cancelled.', EXPIRED: 'This web form has expired.',
    COMPLETED_WITH_ERROR: 'The bank connection could not be completed.',
  };
  /** After a final status: back to the app's redirect URL (errors prefer errorRedirectUrl), else a closing page. */
  function leave(wf: WebFormRec): SandboxResponse {
    const target = wf.status === 'COMPLETED' ? wf.redirectUrl : (wf.errorRedirectUrl ?? wf.redirectUrl);
    if (target) return redirect(target);
    return html(finalPage(wf.id, wf.status, FINAL_TEXT[wf.status] + (wf.errorCode ? ` (${wf.errorCode})` : '')));
  }
  /** The one step a form is on, derived from what has been filled in. */
  function page(wf: WebFormRec, req: SandboxRequest, error?: string | null, status = 200): SandboxResponse {
    if (!wf.bankId) {
      const search = req.query.get('search') ?? '';
      return html(bankSearchPage(wf.id, search, search ? searchBanks(search) : []), status);
    }
    if (!wf.login) {
      const conn = wf.bankConnectionId !== null ? st.connections.get(wf.bankConnectionId) : undefined;
      const demoLogins = ledger.logins().filter((l) => l.bankId === wf.bankId && (!conn || conn.login.username === l.username));
      return html(loginPage(wf.id, bankName(wf), { error, update: wf.type === 'BANK_CONNECTION_UPDATE', username: conn?.login.username, demoLogins }), status);
    }
    if (!wf.scaDone) return html(scaPage(wf.id, bankName(wf), DEMO_SCA_CODE, error), status);
    return html(accountsPage(wf.id, bankName(wf), selectable(wf), error), status);
  }
  const selectable = (wf: WebFormRec) => st.loginAccounts(wf.login!).filter((acc) => !wf.accountTypes || wf.accountTypes.includes(WEBFORM_ACCOUNT_TYPE[acc.type]));
  /** Load a form for a page request: unknown -> 404 page, final -> leave. */
  function open(req: SandboxRequest): WebFormRec | SandboxResponse {
    const wf = st.webForms.get(req.params.id);
    if (!wf) return html(finalPage(req.params.id, 'NOT_FOUND', 'This web form does not exist.'), 404);
    st.tickWebForm(wf);
    if (isFinal(wf)) return leave(wf);
    return wf;
  }
  const back = (wf: WebFormRec) => ({ status: 303, headers: { location: `/wf/${wf.id}` } });
  /** End the flow: a queued error wins, else the form's own success. */
  function complete(wf: WebFormRec, onSuccess: () => number): SandboxResponse {
    const forced = st.forcedWebFormErrors.shift();
    if (forced) st.finishWebForm(wf, 'COMPLETED_WITH_ERROR', forced);
    else { wf.bankConnectionId = onSuccess(); st.finishWebForm(wf, 'COMPLETED'); }
    return leave(wf);
  }

  router.get('/wf/:id', (req) => {
    const wf = open(req); if (isResp(wf)) return wf;
    if (wf.status === 'NOT_YET_OPENED') {
      wf.status = 'IN_PROGRESS';
      wf.redirectUrl = req.query.get('redirectUrl');
      wf.errorRedirectUrl = req.query.get('errorRedirectUrl');
    }
    return page(wf, req);
  });
  /** The shared pages' Cancel button: ABORTED (nothing ran yet, so not COMPLETED [SPEC]). */
  function cancel(wf: WebFormRec): SandboxResponse {
    st.finishWebForm(wf, 'ABORTED');
    return leave(wf);
  }
  router.post('/wf/:id/bank', (req) => {
    const wf = open(req); if (isResp(wf)) return wf;
    if (decision(req) === 'cancel') return cancel(wf);
    const id = st.bankById.get(Number(req.body?.bankId));
    if (!wf.bankId && id) wf.bankId = id;
    return back(wf);
  });
  router.post('/wf/:id/login', (req) => {
    const wf = open(req); if (isResp(wf)) return wf;
    if (decision(req) === 'cancel') return cancel(wf);
    if (!wf.bankId || wf.login) return back(wf);
    const login = ledger.findLogin(wf.bankId, String(req.body?.username ?? ''));
    const conn = wf.bankConnectionId !== null ? st.connections.get(wf.bankConnectionId) : undefined;
    if (!login || login.password !== req.body?.password) {
      wf.wrongPasswords += 1;
      if (wf.wrongPasswords >= MAX_WRONG_PASSWORDS) {
        st.finishWebForm(wf, 'COMPLETED_WITH_ERROR', 'BANK_SERVER_REJECTION');
        return leave(wf);
      }
      return page(wf, req, `${PAGE_ERRORS.wrongPassword} (Attempt ${wf.wrongPasswords} of ${MAX_WRONG_PASSWORDS}.)`, 200);
    }
    if (conn && conn.login.username !== login.username) return page(wf, req, 'This is not the login this bank connection was made with.', 200);
    if (!conn && [...st.connections.values()].some((c) => c.userId === wf.userId && c.bankId === wf.bankId && c.login.username === login.username)) {
      st.finishWebForm(wf, 'COMPLETED_WITH_ERROR', 'ENTITY_EXISTS');
      return leave(wf);
    }
    wf.login = login;
    return back(wf);
  });
  router.post('/wf/:id/sca', (req) => {
    const wf = open(req); if (isResp(wf)) return wf;
    if (decision(req) === 'cancel') return cancel(wf);
    if (!wf.login || wf.scaDone) return back(wf);
    if (String(req.body?.otp ?? '').trim() !== DEMO_SCA_CODE) return page(wf, req, PAGE_ERRORS.wrongCode);
    wf.scaDone = true;
    if (wf.type === 'BANK_CONNECTION_UPDATE') {
      return complete(wf, () => {
        const c = st.connections.get(wf.bankConnectionId!)!;
        st.tick(c);
        st.renewConsent(c);
        st.startUpdate(c, true);
        return c.id;
      });
    }
    if (!selectable(wf).length) {
      st.finishWebForm(wf, 'COMPLETED_WITH_ERROR', 'NO_ACCOUNTS_FOR_TYPE_LIST');
      return leave(wf);
    }
    return back(wf);
  });
  router.post('/wf/:id/accounts', (req) => {
    const wf = open(req); if (isResp(wf)) return wf;
    if (decision(req) === 'cancel') return cancel(wf);
    if (!wf.scaDone || wf.type !== 'BANK_CONNECTION_IMPORT') return back(wf);
    const chosen = formValues(req, 'accounts');
    const accounts = selectable(wf).filter((acc) => chosen.includes(acc.id));
    if (!accounts.length) return page(wf, req, PAGE_ERRORS.noAccounts);
    return complete(wf, () => st.createConnection(wf.userId, wf.bankId!, wf.login!, accounts.map((acc) => acc.id), wf.bankConnectionName).id);
  });
  router.post('/wf/:id/cancel', (req) => {
    const wf = open(req); if (isResp(wf)) return wf;
    return cancel(wf);
  });

  // ---------- control hooks (POST /providers/finapi/<action>)
  const pick = (body: any): ConnectionRec[] => {
    const all = [...st.connections.values()].map((c) => st.tick(c));
    return body?.bankConnectionId !== undefined ? all.filter((c) => c.id === Number(body.bankConnectionId)) : all;
  };
  const control: Emulator['control'] = {
    /** consent end reached: aisConsent.expiresAt = now (all connections unless bankConnectionId) */
    expireConsent: (b) => pick(b).map((c) => { c.consentExpiresAt = st.now() - 1000; return c.id; }),
    /** set aisConsent.expiresAt to an ISO instant */
    setConsentExpiry: (b) => pick(b).map((c) => { c.consentExpiresAt = Date.parse(b.expiresAt); return c.id; }),
    /** consent withdrawn at the bank: NOT_PRESENT and userActionRequired */
    revokeConsent: (b) => pick(b).map((c) => { c.consentStatus = 'NOT_PRESENT'; c.userActionRequired = true; return c.id; }),
    userActionRequired: (b) => pick(b).map((c) => { c.userActionRequired = b?.value !== false; return c.id; }),
    /** every issued access token expires now (refresh tokens stay valid) */
    expireTokens: () => ({ expired: st.expireAllTokens() }),
    tokenLifetime: (b) => {
      if (b?.userSeconds !== undefined) st.userTokenLifetimeSec = Number(b.userSeconds);
      if (b?.clientSeconds !== undefined) st.clientTokenLifetimeSec = Number(b.clientSeconds);
      return { user: st.userTokenLifetimeSec, client: st.clientTokenLifetimeSec };
    },
    /** world ms an import/update stays IN_PROGRESS */
    updateDuration: (b) => { st.updateDurationMs = Number(b?.ms ?? 0); return { ms: st.updateDurationMs }; },
    /** the next background update task(s) end this way: web_form_required | bank_server_rejection | internal_error */
    forceUpdate: (b) => { st.forcedUpdates.push(...Array(Number(b?.count ?? 1)).fill(b.outcome as ForcedUpdate)); return { queued: st.forcedUpdates.length }; },
    /** the next web form to finish ends COMPLETED_WITH_ERROR with this payload.errorCode */
    forceWebFormError: (b) => { st.forcedWebFormErrors.push(String(b.errorCode)); return { queued: st.forcedWebFormErrors.length }; },
    /** put a connection into a running update for `ms` world ms (DELETE / backgroundUpdate answer 423 meanwhile) */
    lock: (b) => pick(b).map((c) => { st.startUpdate(c, false); c.updateDoneAt = st.now() + Number(b?.ms ?? 1000); return c.id; }),
    /** a web form expires now */
    expireWebForms: () => { let n = 0; for (const wf of st.webForms.values()) if (!isFinal(wf)) { wf.expiresAt = st.now() - 1; n++; } return { expired: n }; },
    state: () => ({
      users: [...st.users.keys()],
      connections: [...st.connections.values()].map((c) => ({ id: c.id, userId: c.userId, bankId: c.bankId, updateStatus: st.tick(c).updateStatus, userActionRequired: c.userActionRequired, consentStatus: c.consentStatus, consentExpiresAt: c.consentExpiresAt && new Date(c.consentExpiresAt).toISOString() })),
      webForms: [...st.webForms.values()].map((w) => ({ id: w.id, type: w.type, status: st.tickWebForm(w).status, errorCode: w.errorCode })),
      tasks: [...st.tasks.values()].map((t) => ({ id: t.id, status: t.status === 'NOT_YET_STARTED' ? t.status : st.tickTask(t).status, userPresent: t.userPresent, psu: t.psu, errorCode: t.errorCode, webFormId: t.webFormId })),
    }),
  };

  return {
    name: 'finapi',
    router,
    state: { save: () => st.save(), load: (saved) => st.load(saved as Record<string, unknown>) },
    notFound: (req) => (req.path.startsWith('/api/webForms') || req.path.startsWith('/api/tasks')
      ? webFormError(404, 'NOT_FOUND', `No service at ${req.path}.`, endpoint(req), now())
      : accessError(404, 'UNKNOWN_ENTITY', `No service at ${req.path}.`, endpoint(req))),
    control,
    describe: (baseUrl) => ({
      clientId: DEMO_CLIENT.clientId,
      clientSecret: DEMO_CLIENT.clientSecret,
      options: { webFormBaseUrl: baseUrl },
      logins: ledger.logins().map((l) => ({ bank: ledger.banks().find((b) => b.id === l.bankId)?.name ?? l.bankId, username: l.username, password: l.password })),
      scaCode: DEMO_SCA_CODE,
      notes: 'Web form at /wf/{id}: bank search (label "Bank name or BIC", button "Search", then "Choose <bank>"), then the shared bank pages: login ("Username", "Password", "Log in"), SCA ("One-time code", "Confirm"), accounts (checkboxes, "Continue"); "Cancel" everywhere.',
    }),
  };
}
