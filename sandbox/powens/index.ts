// Powens (formerly Budget Insight) emulator: API v2.0 as described by the OpenAPI files in ./openapi and
// ../shared/providers/powens.md, serving the demo banks of the Ledger. Routes are mounted at the server root
// (the real base URL is https://{domain}.biapi.pro/2.0; the client takes whatever base URL it is given).
import { randomBytes } from 'node:crypto';
import type { Ledger, DemoLogin } from '../core/bank.js';
import { html, json, noContent, redirect, Router, type Emulator, type SandboxRequest, type SandboxResponse } from '../core/http.js';
import { refill } from '../core/persist.js';
import type { World } from '../core/world.js';
import { openCredentials, publicKeyText } from './e2ee.js';
import { consentPage, decision, DEMO_SCA_CODE, errorPage, loginPage, PAGE_ERRORS, scaExpired, scaPage, withParams } from '../core/pages.js';
import {
  accountJson, CONNECTION_STATES, connectorFields, connectorJson, demoConnectors, OTP_FIELD, serviceError, sqlDateTime,
  TRANSIENT_STATES, transactionJson, type AccountRow, type ConnectionState, type DemoConnectorDef, type DemoSourceDef,
} from './shapes.js';

export const POWENS_CLIENT_ID = '71530289';
export const POWENS_CLIENT_SECRET = 'powens-sandbox-secret-7Qm2';
const DAY = 86_400_000;
const TEMP_TOKEN_MS = 30 * 60_000;
/** user-action states the user must clear; a sync leaves them as they are */
const WAITING: ReadonlySet<string> = new Set(CONNECTION_STATES.filter((s) => !TRANSIENT_STATES.has(s)));

interface TokenRow { userId: number; kind: 'permanent' | 'temporary' | 'code'; single: boolean; expiresAt: number | null }
interface UserRow { id: number; signin: Date }
interface SourceRow { id: number; def: DemoSourceDef; created: Date; lastUpdate: Date | null; state: ConnectionState | null; accessExpire: Date | null }
interface ConnectionRow {
  id: number; userId: number; connector: DemoConnectorDef; login: DemoLogin; created: Date; lastUpdate: Date | null;
  state: ConnectionState | null; errorMessage: string | null; fields: unknown[] | null;
  sources: SourceRow[]; syncs: number; transientLeft: number; decoupledSince: number | null; decoupledApproved: boolean;
}
interface WebauthSession {
  id: string; userId: number; connector: DemoConnectorDef; source: DemoSourceDef; connectionId: number | null;
  redirectUri: string; state: string | null; done: boolean;
  step: 'login' | 'consent' | 'sca'; login: DemoLogin | null; startedAt: number;
}

export interface PowensEmulatorOptions {
  /** how /auth/token/access spells the token: the spec's `access_token`, the seed's `token`, or both */
  tokenSpelling?: 'access_token' | 'token' | 'both';
  /** a decoupled approval happens by itself after this long (world clock); also POST .../approve */
  decoupledAfterMs?: number;
}

export function createPowensEmulator(world: World, ledger: Ledger, options: PowensEmulatorOptions = {}): Emulator {
  const opts = { tokenSpelling: 'access_token' as 'access_token' | 'token' | 'both', decoupledAfterMs: 5_000, ...options };
  const now = () => world.clock.now();
  const ids = { user: 1000, connection: 5000, source: 7000, account: 20000, tx: 3_000_000 };
  const users = new Map<number, UserRow>();
  const tokens = new Map<string, TokenRow>();
  const connections = new Map<number, ConnectionRow>();
  const accounts = new Map<number, AccountRow>();
  const txIds = new Map<string, number>();
  const sessions = new Map<string, WebauthSession>();

  const connectors = () => demoConnectors(ledger.banks());
  const findConnector = (key: string | number | undefined | null) =>
    key === undefined || key === null ? undefined : connectors().find((c) => c.uuid === String(key) || String(c.id) === String(key));
  const newToken = (userId: number, kind: TokenRow['kind'], single = false) => {
    const t = randomBytes(24).toString('base64url');
    tokens.set(t, { userId, kind, single, expiresAt: kind === 'permanent' ? null : now().getTime() + TEMP_TOKEN_MS });
    return t;
  };

  // ---------- errors and auth ----------
  const err = (status: number, code: string, description: string, message: string | null = null) => json(status, serviceError(code, description, message));
  const notFound = (what: string) => err(404, 'notFound', `${what} not found`); // INF: code not in the spec's ServiceErrorCode

  /** the user behind a Bearer token, or a 401 response (INF: code `invalidToken`) */
  function authUser(req: SandboxRequest): UserRow | SandboxResponse {
    const m = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''));
    const row = m ? tokens.get(m[1].trim()) : undefined;
    const expired = row?.expiresAt !== null && row?.expiresAt !== undefined && row.expiresAt <= now().getTime();
    if (!row || expired || row.single || !users.has(row.userId)) return err(401, 'invalidToken', 'The access token is missing, invalid, expired or revoked.');
    if (req.params.uid !== undefined && req.params.uid !== 'me' && req.params.uid !== String(row.userId)) return err(403, 'forbidden', 'This token belongs to another user.');
    return users.get(row.userId)!;
  }
  const isResponse = (x: unknown): x is SandboxResponse => typeof x === 'object' && x !== null && 'status' in x && !('signin' in x);
  const withUser = (h: (req: SandboxRequest, u: UserRow) => SandboxResponse | Promise<SandboxResponse>) => (req: SandboxRequest) => {
    const u = authUser(req);
    return isResponse(u) ? u : h(req, u);
  };
  const clientOk = (b: any) => b && String(b.client_id) === POWENS_CLIENT_ID && b.client_secret === POWENS_CLIENT_SECRET;

  // ---------- model helpers ----------
  const expandOf = (req: SandboxRequest) => new Set(req.query.getAll('expand').flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean));
  const flag = (req: SandboxRequest, name: string) => req.query.has(name) && !['false', '0'].includes(req.query.get(name) ?? '');
  const ownConnection = (u: UserRow, id: string) => {
    const c = connections.get(Number(id));
    return c && c.userId === u.id ? c : undefined;
  };
  const accountsOf = (c: ConnectionRow) => [...accounts.values()].filter((a) => a.idConnection === c.id);
  /** what Powens holds of an account: the bank as its last successful sync saw it (a lapsed consent leaves that copy) */
  const copyOf = (a: AccountRow) => a.lastUpdate && ledger.asOf
    ? ledger.asOf(a.ledger.id, a.lastUpdate)
    : { transactions: ledger.transactions(a.ledger.id), balance: ledger.balance(a.ledger.id), availableBalance: ledger.availableBalance(a.ledger.id) };
  const accountBody = (a: AccountRow) => { const c = copyOf(a); return accountJson(a, c.balance, c.availableBalance); };
  const connectionExpire = (c: ConnectionRow) => {
    const t = c.sources.map((s) => s.accessExpire?.getTime() ?? 0).reduce((a, b) => Math.max(a, b), 0);
    return t ? new Date(t) : null;
  };

  function connectionBody(c: ConnectionRow, expand: Set<string>) {
    const nextTry = c.lastUpdate ? new Date(c.lastUpdate.getTime() + DAY) : null;
    const own = accountsOf(c);
    return {
      id: c.id, id_user: c.userId, id_connector: c.connector.id, state: c.state, error: c.state, error_message: c.errorMessage,
      fields: c.fields, last_update: sqlDateTime(c.lastUpdate), created: sqlDateTime(c.created)!, active: true, last_push: null,
      expire: sqlDateTime(connectionExpire(c)), connector_uuid: c.connector.uuid, next_try: sqlDateTime(nextTry),
      ...(expand.has('connector') ? { connector: connectorJson(c.connector, new Set(['sources'])) } : {}),
      ...(expand.has('sources') ? {
        sources: c.sources.map((s) => ({
          id: s.id, id_connection: c.id, id_connector_source: s.def.id, name: s.def.name, state: s.state,
          last_update: sqlDateTime(s.lastUpdate), disabled: null, created: sqlDateTime(s.created)!, next_try: sqlDateTime(nextTry),
          access_expire: sqlDateTime(s.accessExpire),
        })),
      } : {}),
      ...(expand.has('accounts') ? { accounts: own.filter((a) => !a.disabled).map(accountBody) } : {}),
      ...(expand.has('all_accounts') ? { all_accounts: own.map(accountBody) } : {}),
    };
  }

  function addSource(c: ConnectionRow, def: DemoSourceDef) {
    const t = now();
    c.sources.push({ id: ++ids.source, def, created: t, lastUpdate: null, state: null, accessExpire: new Date(t.getTime() + c.connector.consentDays * DAY) });
    const sourceId = c.sources[c.sources.length - 1].id;
    for (const la of ledger.accounts({ bankId: c.login.bankId, username: c.login.username })) {
      if (!def.accountTypes.includes(la.type)) continue;
      if (accountsOf(c).some((a) => a.ledger.id === la.id)) continue;
      const id = ++ids.account;
      // new accounts arrive disabled (GDPR: the user activates each one) [SEED]
      accounts.set(id, { id, idConnection: c.id, idUser: c.userId, idSource: sourceId, ledger: la, disabled: t, lastUpdate: null });
    }
  }

  function setState(c: ConnectionRow, state: ConnectionState | null, message: string | null, sourceName?: string) {
    c.state = state;
    c.errorMessage = message;
    c.fields = state === 'additionalInformationNeeded' ? [OTP_FIELD]
      : state === 'wrongpass' || state === 'passwordExpired' ? connectorFields(c.connector).filter((f) => state === 'wrongpass' || f.name === 'password')
        : null;
    for (const s of c.sources) if (!sourceName || s.def.name === sourceName) s.state = state;
    c.decoupledSince = state === 'decoupled' ? now().getTime() : null;
    c.decoupledApproved = false;
  }

  /** One synchronisation with the bank: ends with state null (data moves on) or a state the user or time must clear. */
  function sync(c: ConnectionRow) {
    if (c.state && WAITING.has(c.state)) return;
    if (c.state && c.transientLeft > 0) { c.transientLeft--; return; }
    c.syncs++; // syncs that reach the bank: every `scaEvery`-th of them asks for SCA
    const t = now();
    const lapsed = c.sources.find((s) => s.accessExpire && s.accessExpire.getTime() <= t.getTime());
    if (lapsed) {
      setState(c, lapsed.def.auth_mechanism === 'webauth' ? 'webauthRequired' : 'SCARequired',
        'Your consent for this bank has expired. Please renew it.', lapsed.def.name);
      return;
    }
    if (c.connector.scaEvery && c.syncs % c.connector.scaEvery === 0) {
      setState(c, 'SCARequired', 'Your bank asks you to confirm your identity (strong customer authentication).');
      return;
    }
    setState(c, null, null);
    c.lastUpdate = t;
    for (const s of c.sources) s.lastUpdate = t;
    for (const a of accountsOf(c)) if (!a.disabled) a.lastUpdate = t;
  }

  /** After SCA / webauth / reconnect: the consent runs again from now. */
  function renewConsent(c: ConnectionRow, sourceName?: string) {
    const t = now().getTime();
    for (const s of c.sources) if (!sourceName || s.def.name === sourceName || s.accessExpire!.getTime() <= t) s.accessExpire = new Date(t + c.connector.renewedConsentDays * DAY);
    setState(c, null, null);
    sync(c);
  }

  const checkLogin = (c: DemoConnectorDef, username: unknown, password: unknown) => {
    const l = typeof username === 'string' ? ledger.findLogin(c.bank.id, username.trim()) : undefined;
    return l && typeof password === 'string' && l.password === password ? l : undefined;
  };
  const wrongpass = () => err(400, 'wrongpass', 'The bank refused the login details.', 'Wrong username or password.');

  // ---------- routes ----------
  const r = new Router();

  r.post('/auth/init', (req) => {
    const b = req.body ?? {};
    if (b.client_secret !== undefined && !clientOk(b)) return err(401, 'invalidClient', 'Unknown client_id or wrong client_secret.');
    const user: UserRow = { id: ++ids.user, signin: now() };
    users.set(user.id, user);
    const permanent = clientOk(b);
    const token = newToken(user.id, permanent ? 'permanent' : 'temporary');
    return json(200, { auth_token: token, type: permanent ? 'permanent' : 'temporary', id_user: user.id, expires_in: permanent ? null : TEMP_TOKEN_MS / 1000 });
  });

  r.get('/auth/token/code', withUser((req, u) => {
    const type = req.query.get('type') ?? 'requestAccess';
    if (!['requestAccess', 'singleAccess'].includes(type)) return err(400, 'invalidValue', 'type must be requestAccess or singleAccess');
    const code = newToken(u.id, 'code', type === 'singleAccess');
    return json(200, { code, type: 'temporary', access: type === 'singleAccess' ? 'single' : 'standard', expires_in: TEMP_TOKEN_MS / 1000 });
  }));

  r.post('/auth/token/access', (req) => {
    const b = req.body ?? {};
    if (!clientOk(b)) return err(401, 'invalidClient', 'Unknown client_id or wrong client_secret.');
    if (b.grant_type !== undefined && b.grant_type !== 'authorization_code') return err(400, 'invalidValue', 'grant_type must be authorization_code');
    const row = typeof b.code === 'string' ? tokens.get(b.code) : undefined;
    if (!row || row.kind === 'permanent' || (row.expiresAt !== null && row.expiresAt <= now().getTime())) return err(400, 'invalidValue', 'Unknown or expired code.');
    tokens.delete(b.code);
    const token = newToken(row.userId, 'permanent');
    const body: Record<string, string> = { token_type: 'Bearer' };
    if (opts.tokenSpelling !== 'token') body.access_token = token;
    if (opts.tokenSpelling !== 'access_token') body.token = token;
    return json(200, body);
  });

  r.post('/auth/renew', (req) => {
    const b = req.body ?? {};
    if (!clientOk(b)) return err(401, 'invalidClient', 'Unknown client_id or wrong client_secret.');
    if (b.grant_type !== 'client_credentials') return err(400, 'invalidValue', 'grant_type must be client_credentials');
    let userId = Number(b.id_user);
    if (b.id_user === undefined) { userId = ++ids.user; users.set(userId, { id: userId, signin: now() }); }
    if (!users.has(userId)) return notFound('User');
    if (b.revoke_previous === true) for (const [t, row] of tokens) if (row.userId === userId && row.kind === 'permanent') tokens.delete(t);
    return json(200, { access_token: newToken(userId, 'permanent'), token_type: 'Bearer' });
  });

  r.delete('/auth/token', (req) => {
    const u = authUser(req);
    if (isResponse(u)) return u;
    tokens.delete(/^Bearer\s+(.+)$/i.exec(String(req.headers.authorization))![1].trim());
    return noContent();
  });

  r.get('/users/:uid', withUser((_req, u) => json(200, { id: u.id, signin: sqlDateTime(u.signin) })));
  r.delete('/users/:uid', withUser((_req, u) => {
    for (const c of [...connections.values()]) if (c.userId === u.id) deleteConnection(c);
    for (const [t, row] of tokens) if (row.userId === u.id) tokens.delete(t);
    users.delete(u.id);
    return noContent();
  }));

  // connectors: public for the domain
  const listConnectors = (req: SandboxRequest) => json(200, { connectors: connectors().map((c) => connectorJson(c, expandOf(req))) });
  r.get('/connectors', listConnectors);
  r.get('/connectors/:id/fields', (req) => {
    const c = findConnector(req.params.id);
    return c ? json(200, { fields: connectorFields(c) }) : notFound('Connector');
  });
  r.get('/connectors/:id/sources', (req) => {
    const c = findConnector(req.params.id);
    return c ? json(200, { sources: connectorJson(c, new Set(['sources'])).sources }) : notFound('Connector');
  });
  r.get('/connectors/:id', (req) => {
    const c = findConnector(req.params.id);
    return c ? json(200, connectorJson(c, expandOf(req))) : notFound('Connector');
  });

  // connections
  r.get('/users/:uid/connections', withUser((req, u) =>
    json(200, { connections: [...connections.values()].filter((c) => c.userId === u.id).map((c) => connectionBody(c, expandOf(req))) })));

  r.post('/users/:uid/connections', withUser(async (req, u) => {
    const opened = await openCredentials(req.body ?? {});
    if ('refused' in opened) return err(400, 'invalidValue', opened.refused);
    const b = opened.body;
    const key = b.connector_uuid ?? b.id_connector;
    if (key === undefined) return err(400, 'missingParameter', 'connector_uuid is required');
    const connector = findConnector(key);
    if (!connector) return notFound('Connector');
    const sourceName = req.query.get('source');
    const first = connector.sources[0];
    const def = sourceName ? connector.sources.find((s) => s.name === sourceName) : first;
    if (!def) return err(400, 'invalidValue', `Unknown source ${sourceName}`);
    if (def !== first) return err(400, 'invalidValue', `Sources must be added in priority order: add ${first.name} first.`);
    if (def.auth_mechanism !== 'credentials') return err(400, 'invalidValue', `Source ${def.name} uses webauth: open /webauth instead.`);
    for (const f of connectorFields(connector)) if (f.required && (typeof b[f.name] !== 'string' || b[f.name] === '')) return err(400, 'missingParameter', `${f.name} is required`);
    const login = checkLogin(connector, b.login, b.password);
    if (!login) return wrongpass(); // a connection refused by the bank is deleted at once: nothing is kept
    const c = createConnection(u.id, connector, login);
    addSource(c, def);
    sync(c);
    return json(200, connectionBody(c, expandOf(req)));
  }));

  function createConnection(userId: number, connector: DemoConnectorDef, login: DemoLogin): ConnectionRow {
    const c: ConnectionRow = {
      id: ++ids.connection, userId, connector, login, created: now(), lastUpdate: null, state: null, errorMessage: null, fields: null,
      sources: [], syncs: 0, transientLeft: 0, decoupledSince: null, decoupledApproved: false,
    };
    connections.set(c.id, c);
    return c;
  }
  function deleteConnection(c: ConnectionRow) {
    for (const a of accountsOf(c)) accounts.delete(a.id);
    connections.delete(c.id);
  }

  r.get('/users/:uid/connections/:id', withUser((req, u) => {
    const c = ownConnection(u, req.params.id);
    return c ? json(200, connectionBody(c, expandOf(req))) : notFound('Connection');
  }));

  r.delete('/users/:uid/connections/:id', withUser((req, u) => {
    const c = ownConnection(u, req.params.id);
    if (!c) return notFound('Connection');
    deleteConnection(c);
    return noContent();
  }));

  // update and/or sync; resume decoupled; answer additional information; new credentials; add a source
  r.post('/users/:uid/connections/:id', withUser(async (req, u) => {
    const c = ownConnection(u, req.params.id);
    if (!c) return notFound('Connection');
    const opened = await openCredentials(req.body ?? {});
    if ('refused' in opened) return err(400, 'invalidValue', opened.refused);
    const b = opened.body;
    const out = () => json(200, connectionBody(c, expandOf(req)));
    const sourceName = req.query.get('source');
    if (sourceName && !c.sources.some((s) => s.def.name === sourceName)) {
      const def = c.connector.sources.find((s) => s.name === sourceName);
      if (!def) return err(400, 'invalidValue', `Unknown source ${sourceName}`);
      const missing = c.connector.sources.find((s) => s.priority < def.priority && !c.sources.some((x) => x.def.id === s.id));
      if (missing) return err(400, 'invalidValue', `Sources must be added in priority order: add ${missing.name} first.`);
      if (def.auth_mechanism !== 'credentials') return err(400, 'invalidValue', `Source ${def.name} uses webauth: open /webauth with id_connection.`);
      const login = checkLogin(c.connector, b.login ?? c.login.username, b.password);
      if (!login || login.username !== c.login.username) return wrongpass();
      addSource(c, def);
      sync(c);
      return out();
    }
    if (b.resume === true || b.resume === 'true') {
      if (c.state === 'decoupled') {
        const approved = c.decoupledApproved || (c.decoupledSince !== null && now().getTime() - c.decoupledSince >= opts.decoupledAfterMs);
        if (!approved) return out();
        setState(c, null, null);
      }
      sync(c);
      return out();
    }
    if (c.state === 'additionalInformationNeeded' && b.otp !== undefined) {
      if (String(b.otp).trim() !== DEMO_SCA_CODE) {
        c.errorMessage = 'That code is not valid. Enter the 6-digit code your bank sent you.';
        return out();
      }
      setState(c, null, null);
      sync(c);
      return out();
    }
    if ((c.state === 'wrongpass' || c.state === 'passwordExpired') && b.password !== undefined) {
      const login = checkLogin(c.connector, b.login ?? c.login.username, b.password);
      if (!login || login.username !== c.login.username) return wrongpass();
      setState(c, null, null);
      sync(c);
      return out();
    }
    sync(c);
    return out();
  }));

  // accounts
  function accountsList(list: AccountRow[], req: SandboxRequest) {
    const all = flag(req, 'all');
    const shown = list.filter((a) => all || !a.disabled);
    if (shown.length === 0) return err(400, 'noAccount', 'No bank account is available.');
    const balances: Record<string, number> = {};
    const bodies = shown.map(accountBody);
    for (const a of bodies) balances[a.currency.id] = Number(((balances[a.currency.id] ?? 0) + (a.balance ?? 0)).toFixed(a.currency.precision));
    return json(200, { accounts: bodies, balances });
  }
  const userAccounts = (u: UserRow) => [...accounts.values()].filter((a) => a.idUser === u.id);
  const findAccount = (u: UserRow, id: string, all: boolean) => {
    const a = accounts.get(Number(id));
    return a && a.idUser === u.id && (all || !a.disabled) ? a : undefined;
  };

  r.get('/users/:uid/accounts', withUser((req, u) => accountsList(userAccounts(u), req)));
  r.get('/users/:uid/connections/:id/accounts', withUser((req, u) => {
    const c = ownConnection(u, req.params.id);
    return c ? accountsList(accountsOf(c), req) : notFound('Connection');
  }));
  r.get('/users/:uid/accounts/:aid', withUser((req, u) => {
    const a = findAccount(u, req.params.aid, flag(req, 'all'));
    return a ? json(200, accountBody(a)) : notFound('Account');
  }));
  r.post('/users/:uid/accounts/:aid', withUser((req, u) => {
    const a = findAccount(u, req.params.aid, flag(req, 'all'));
    if (!a) return notFound('Account');
    if (req.body?.disabled !== undefined) setDisabled([a], req.body.disabled);
    return json(200, accountBody(a));
  }));
  function setDisabled(list: AccountRow[], disabled: unknown) {
    const t = now();
    const off = disabled === true || disabled === 'true' || disabled === 1;
    for (const a of list) {
      if (off) a.disabled = a.disabled ?? t;
      else if (a.disabled) { a.disabled = null; a.lastUpdate = connections.get(a.idConnection)?.lastUpdate ?? null; }
    }
  }
  // the seed's activation PUT: one call for several accounts, or (no ids) for all of the connection's accounts
  const putAccounts = withUser((req, u) => {
    const c = ownConnection(u, req.params.id);
    if (!c) return notFound('Connection');
    const all = flag(req, 'all');
    let list = accountsOf(c).filter((a) => all || !a.disabled);
    if (req.params.aids !== undefined) {
      const wanted = req.params.aids.split(',').map((s) => Number(s.trim()));
      const missing = wanted.find((id) => !list.some((a) => a.id === id));
      if (missing !== undefined) return notFound(`Account ${missing}`);
      list = list.filter((a) => wanted.includes(a.id));
    }
    if (req.body?.disabled === undefined) return err(400, 'missingParameter', 'disabled is required');
    setDisabled(list, req.body.disabled);
    return json(200, { accounts: list.map(accountBody) });
  });
  r.put('/users/:uid/connections/:id/accounts/:aids', putAccounts);
  r.put('/users/:uid/connections/:id/accounts', putAccounts);

  // transactions
  const CAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
  function bound(v: string | null, end: boolean): string | null | false {
    if (v === null || v === '') return null;
    const m = CAL.exec(v);
    if (!m) return false;
    const [, y, mo, d] = m;
    if (d) return v;
    if (mo) return end ? new Date(Date.UTC(Number(y), Number(mo), 0)).toISOString().slice(0, 10) : `${y}-${mo}-01`;
    return end ? `${y}-12-31` : `${y}-01-01`;
  }
  function transactionsList(req: SandboxRequest, list: AccountRow[]) {
    const min = bound(req.query.get('min_date'), false);
    const max = bound(req.query.get('max_date'), true);
    if (min === false || max === false) return err(400, 'invalidValue', 'min_date / max_date must be YYYY-MM-DD, YYYY-MM or YYYY');
    const limitText = req.query.get('limit') ?? '1000';
    const offsetText = req.query.get('offset') ?? '0';
    if (!/^\d+$/.test(limitText) || !/^\d+$/.test(offsetText) || Number(limitText) < 1) return err(400, 'invalidValue', 'limit and offset must be whole numbers, limit at least 1');
    const limit = Math.min(1000, Number(limitText));
    const offset = Number(offsetText);
    const lastUpdate = req.query.get('last_update');
    const enabled = list.filter((a) => !a.disabled && a.lastUpdate);
    const seen = enabled.flatMap((a) => copyOf(a).transactions.map((t) => ({ a, t })));
    const inRange = seen.filter(({ t }) => (!min || t.bookingDate >= min) && (!max || t.bookingDate <= max)
      && (!lastUpdate || sqlDateTime(t.updatedAt)! > lastUpdate));
    inRange.sort((x, y) => (x.t.bookingDate < y.t.bookingDate ? 1 : x.t.bookingDate > y.t.bookingDate ? -1 : txId(x.a, x.t.id) - txId(y.a, y.t.id)));
    const page = inRange.slice(offset, offset + limit);
    const today = world.clock.today();
    const dates = seen.map(({ t }) => t.bookingDate).sort();
    const pageDates = page.map(({ t }) => t.bookingDate).sort();
    const link = (o: number) => {
      const u = new URL(req.path, req.baseUrl);
      for (const [k, v] of req.query) if (k !== 'offset' && k !== 'limit') u.searchParams.append(k, v);
      u.searchParams.set('limit', String(limit));
      u.searchParams.set('offset', String(o));
      return { href: u.toString() };
    };
    return json(200, {
      transactions: page.map(({ a, t }) => transactionJson(txId(a, t.id), a.id, t)),
      first_date: dates[0] ?? min ?? today, last_date: dates[dates.length - 1] ?? max ?? today,
      result_min_date: pageDates[0] ?? min ?? today, result_max_date: pageDates[pageDates.length - 1] ?? max ?? today,
      _links: {
        self: link(offset),
        prev: offset > 0 ? link(Math.max(0, offset - limit)) : null,
        next: offset + limit < inRange.length ? link(offset + limit) : null,
      },
    });
  }
  function txId(a: AccountRow, ledgerId: string) {
    const key = `${a.id}:${ledgerId}`;
    let id = txIds.get(key);
    if (id === undefined) { id = ++ids.tx; txIds.set(key, id); }
    return id;
  }
  r.get('/users/:uid/transactions', withUser((req, u) => transactionsList(req, userAccounts(u))));

  // ---------- webauth: the browser step ----------
  // /webauth -> 302 to the bank's pages: log in, then approve access (new connection or source) or enter the
  // one-time code (reconnect / SCA), then 302 back to redirect_uri with id_connection (or error) and state.
  r.get('/webauth', (req) => {
    const q = req.query;
    const fail = (m: string) => ({ status: 400, headers: { 'content-type': 'text/html; charset=utf-8' }, body: errorPage({ bankName: 'Powens', via: 'Powens sandbox', title: 'This link cannot be used', message: m }) });
    if (q.get('client_id') !== POWENS_CLIENT_ID) return fail('Unknown client_id.');
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri || redirectUri.includes('?') || !/^[a-z][a-z0-9+.-]*:/i.test(redirectUri)) return fail('redirect_uri must be an absolute URL without query parameters.');
    const code = tokens.get(q.get('token') ?? '');
    if (!code || code.kind !== 'code' || (code.expiresAt !== null && code.expiresAt <= now().getTime())) return fail('The temporary code is missing, used or expired.');
    if (code.single) tokens.delete(q.get('token')!);
    const idConnection = q.get('id_connection');
    let connector: DemoConnectorDef | undefined;
    let connectionId: number | null = null;
    if (idConnection) {
      const c = connections.get(Number(idConnection));
      if (!c || c.userId !== code.userId) return fail('Unknown connection.');
      connector = c.connector;
      connectionId = c.id;
    } else {
      connector = findConnector(q.get('connector_uuid') ?? q.get('id_connector'));
      if (!connector) return fail('Unknown connector.');
    }
    const sourceName = q.get('source');
    const source = sourceName ? connector.sources.find((x) => x.name === sourceName) : connector.sources[0];
    if (!source) return fail(`Unknown source ${sourceName}.`);
    const session: WebauthSession = {
      id: randomBytes(12).toString('base64url'), userId: code.userId, connector, source, connectionId,
      redirectUri, state: q.get('state'), done: false, step: 'login', login: null, startedAt: now().getTime(),
    };
    sessions.set(session.id, session);
    return redirect(`${req.baseUrl}/webauth/bank/${session.id}`);
  });

  const back = (s: WebauthSession, params: Record<string, string>) => {
    s.done = true;
    // without a state of ours Powens writes the text `null` [SEED 004]
    return redirect(withParams(s.redirectUri, { ...params, state: s.state ?? 'null' }));
  };
  /** a reconnect of an existing source asks for the one-time code; a new connection or source asks for consent */
  const isReconnect = (s: WebauthSession) => {
    const c = s.connectionId ? connections.get(s.connectionId) : undefined;
    return !!c && c.sources.some((x) => x.def.id === s.source.id);
  };
  function bankPage(s: WebauthSession, error?: string, username?: string): string {
    const common = { bankName: s.connector.bank.name, action: `/webauth/bank/${s.id}`, via: 'via Powens', error };
    if (s.step === 'login') {
      const c = s.connectionId ? connections.get(s.connectionId) : undefined;
      const demoLogins = ledger.logins().filter((l) => l.bankId === s.connector.bank.id).slice(0, 3).map((l) => ({ username: l.username, password: l.password }));
      return loginPage({ ...common, username: username ?? c?.login.username, demoLogins });
    }
    if (s.step === 'sca') return scaPage({ ...common, method: 'app' });
    const accounts = ledger.accounts({ bankId: s.connector.bank.id, username: s.login!.username })
      .filter((a) => s.source.accountTypes.includes(a.type)).map((a) => ({ id: a.id, name: a.name, iban: a.iban, currency: a.currency }));
    const days = s.connectionId ? s.connector.renewedConsentDays : s.connector.consentDays;
    return consentPage({ ...common, appName: 'Multibank', accounts, validUntil: new Date(now().getTime() + days * DAY).toISOString() });
  }

  r.get('/webauth/bank/:sid', (req) => {
    const s = sessions.get(req.params.sid);
    if (!s || s.done) return { status: 410, headers: { 'content-type': 'text/html; charset=utf-8' }, body: errorPage({ bankName: 'Powens', message: 'This sign-in page has expired. Start again from the app.' }) };
    return html(bankPage(s));
  });

  r.post('/webauth/bank/:sid', (req) => {
    const s = sessions.get(req.params.sid);
    if (!s || s.done) return { status: 410, headers: { 'content-type': 'text/html; charset=utf-8' }, body: errorPage({ bankName: 'Powens', message: 'This sign-in page has expired. Start again from the app.' }) };
    const b = req.body ?? {};
    const d = decision(req);
    // INF: /webauth types `error` as a ServiceErrorCode, which has no "cancelled"; the hosted webview says access_denied
    if (d === 'cancel') return back(s, { error: 'access_denied', error_description: PAGE_ERRORS.cancelled });
    if (d === 'deny') return back(s, { error: 'access_denied', error_description: PAGE_ERRORS.denied });
    const existing = s.connectionId ? connections.get(s.connectionId) : undefined;
    if (s.connectionId && !existing) return back(s, { error: 'bug', error_description: 'The connection no longer exists.' });
    if (s.step === 'login') {
      const login = checkLogin(s.connector, b.username, b.password);
      if (!login) return html(bankPage(s, PAGE_ERRORS.wrongPassword, String(b.username ?? '')));
      if (existing && login.username !== existing.login.username) return html(bankPage(s, `This connection belongs to another ${s.connector.bank.name} customer.`, String(b.username ?? '')));
      s.login = login;
      s.step = isReconnect(s) ? 'sca' : 'consent';
      s.startedAt = now().getTime();
      return html(bankPage(s));
    }
    if (scaExpired(s.startedAt, now().getTime())) return back(s, { error: 'actionNeeded', error_description: PAGE_ERRORS.scaTimeout });
    if (s.step === 'sca') {
      if (String(b.otp ?? '').trim() !== DEMO_SCA_CODE) return html(bankPage(s, PAGE_ERRORS.wrongCode));
      renewConsent(existing!);
      return back(s, { id_connection: String(existing!.id) });
    }
    // consent approved
    let c = existing;
    if (!c) {
      if (!users.has(s.userId)) return back(s, { error: 'bug', error_description: 'The user no longer exists.' });
      c = createConnection(s.userId, s.connector, s.login!);
    } else {
      const missing = c.connector.sources.find((x) => x.priority < s.source.priority && !c!.sources.some((y) => y.def.id === x.id));
      if (missing) return back(s, { error: 'invalidValue', error_description: `Add the ${missing.name} source first.` });
    }
    addSource(c, s.source);
    sync(c);
    return back(s, { id_connection: String(c.id) });
  });

  const notFoundHandler = (req: SandboxRequest) => err(404, 'notFound', `No route ${req.method} ${req.path}`);

  // ---------- control hooks (POST /providers/powens/<action>) ----------
  const ctlConnection = (b: any) => {
    const c = connections.get(Number(b?.connection));
    if (!c) throw new Error(`Unknown Powens connection ${b?.connection}`);
    return c;
  };
  const summary = (c: ConnectionRow) => ({
    id: c.id, user: c.userId, connector: c.connector.name, state: c.state, expire: connectionExpire(c)?.toISOString() ?? null,
    syncs: c.syncs, sources: c.sources.map((s) => s.def.name), accounts: accountsOf(c).map((a) => ({ id: a.id, name: a.ledger.name, disabled: !!a.disabled })),
  });
  const control: Record<string, (b: any) => unknown> = {
    connections: () => [...connections.values()].map(summary),
    /** {connection, state (null clears), source?, message?, count?}: count = how many more syncs keep a transient state */
    state: (b) => {
      const c = ctlConnection(b);
      const state = b.state ?? null;
      if (state !== null && !(CONNECTION_STATES as readonly string[]).includes(state)) throw new Error(`Unknown state ${state}`);
      setState(c, state, b.message ?? (state ? `Sandbox: connection put into ${state}.` : null), b.source);
      c.transientLeft = Number(b.count ?? 0);
      return summary(c);
    },
    /** {connection, at? (ISO, default: one minute ago), source?}: move access_expire (and so `expire`) */
    expire: (b) => {
      const c = ctlConnection(b);
      const at = b.at ? new Date(b.at) : new Date(now().getTime() - 60_000);
      for (const s of c.sources) if (!b.source || s.def.name === b.source) s.accessExpire = at;
      return summary(c);
    },
    /** {connection}: the user approves the decoupled request in the bank app */
    approve: (b) => { const c = ctlConnection(b); c.decoupledApproved = true; return summary(c); },
    /** {user?}: every permanent token (of that user) stops working, as after a revocation */
    revokeTokens: (b) => {
      let n = 0;
      for (const [t, row] of tokens) if (row.kind === 'permanent' && (b?.user === undefined || row.userId === Number(b.user))) { tokens.delete(t); n++; }
      return { revoked: n };
    },
    /** {spelling: 'access_token' | 'token' | 'both'} for /auth/token/access */
    tokenSpelling: (b) => {
      if (!['access_token', 'token', 'both'].includes(b?.spelling)) throw new Error('spelling must be access_token, token or both');
      opts.tokenSpelling = b.spelling;
      return { spelling: opts.tokenSpelling };
    },
    reset: () => {
      users.clear(); tokens.clear(); connections.clear(); accounts.clear(); txIds.clear(); sessions.clear();
      return { ok: true };
    },
  };

  return {
    name: 'powens',
    router: r,
    state: {
      save: () => ({ ids, users, tokens, connections, accounts, txIds, sessions, tokenSpelling: opts.tokenSpelling }),
      load(saved) {
        const v = saved as Record<string, any>;
        Object.assign(ids, v.ids);
        refill(users, v.users); refill(tokens, v.tokens); refill(connections, v.connections);
        refill(accounts, v.accounts); refill(txIds, v.txIds); refill(sessions, v.sessions);
        opts.tokenSpelling = v.tokenSpelling ?? opts.tokenSpelling;
      },
    },
    notFound: notFoundHandler,
    control,
    describe: () => ({
      clientId: POWENS_CLIENT_ID,
      clientSecret: POWENS_CLIENT_SECRET,
      // the end-to-end encryption key of this emulated API domain (main/providers/powens/e2ee.ts)
      options: { domain: 'sandbox', credentialsKey: publicKeyText() },
      connectors: connectors().map((c) => ({ uuid: c.uuid, name: c.name, sources: c.sources.map((s) => `${s.name} (${s.auth_mechanism})`) })),
      logins: connectors().flatMap((c) => ledger.logins().filter((l) => l.bankId === c.bank.id).map((l) => ({ bank: c.name, username: l.username, password: l.password }))),
      notes: `Webauth: the shared bank pages (login "Username"/"Password" + "Log in"; new access: "Approve"/"Deny"; reconnect/SCA: "One-time code" ${DEMO_SCA_CODE} + "Confirm"; "Cancel" everywhere). Additional-information code: ${DEMO_SCA_CODE}. Decoupled approval after ${opts.decoupledAfterMs / 1000} s or POST /providers/powens/approve.`,
    }),
  };
}
