// Everifin emulator: the Keycloak-style identity provider (./idp.ts, a real oidc-provider) plus the BankConnect data API
// over the sandbox Ledger. The user's banks are "already connected inside Everifin" (as in reality: the user does that
// in Everifin's web app), one Everifin user per demo login username, with every bank that username has accounts at.
import { formatMinor } from '../../preload/contract/currency.js';
import type { Emulator, SandboxRequest, SandboxResponse } from '../core/http.js';
import { Router, json, noContent } from '../core/http.js';
import { refill } from '../core/persist.js';
import type { DemoTransaction, Ledger } from '../core/bank.js';
import type { World } from '../core/world.js';
import { EverifinIdp, type EverifinUser, type IdpSettings } from './idp.js';
import { BANKCONNECT_PATHS as P, TX_QUERY as Q, SORTABLE, bankAccountRow, transactionRow, type AccountView, type BankConnectionStatus } from './invented.js';

export const EVERIFIN_COUNTRIES = ['SK', 'CZ'];

export const EVERIFIN_DEFAULTS = {
  realm: 'everifin_app',
  clientId: 'multibank-sandbox',
  clientSecret: 'everifin-sandbox-secret',
  scope: 'ais',
};

/** one bank connected inside Everifin for one user */
interface BankConnection {
  connectedAt: number;
  validTo: number;
  lapsedAt: number | null;
  /** balances as they were when the bank's consent lapsed (data stops updating) */
  frozen: Map<string, { balance: number; available: number }> | null;
  lastSynchronization: number;
}

export function createEverifinEmulator(world: World, ledger: Ledger, settings: Partial<IdpSettings> = {}): Emulator {
  const s: IdpSettings = {
    realm: EVERIFIN_DEFAULTS.realm, clientId: EVERIFIN_DEFAULTS.clientId, clientSecret: EVERIFIN_DEFAULTS.clientSecret,
    refreshTokenLifetimeSec: 30 * 24 * 3600, rotateRefreshTokens: true, pkceRequired: false, accessTokenLifetimeSec: 300,
    ...settings,
  };
  // Everifin serves the Slovak and Czech market: its demo user "X" has connected every SK/CZ demo bank where X has a login.
  const marketBanks = () => new Set(ledger.banks().filter((b) => EVERIFIN_COUNTRIES.includes(b.country)).map((b) => b.id));
  const users = (): EverifinUser[] => {
    const byName = new Map<string, EverifinUser>();
    const banks = marketBanks();
    for (const l of ledger.logins()) if (banks.has(l.bankId) && !byName.has(l.username)) byName.set(l.username, { username: l.username, password: l.password, name: l.ownerName });
    return [...byName.values()];
  };
  const userAccounts = (username: string) => { const banks = marketBanks(); return ledger.accounts({ username }).filter((a) => banks.has(a.bankId)); };
  const idp = new EverifinIdp(world, s, users);
  const connections = new Map<string, BankConnection>();
  const now = () => world.clock.now().getTime();

  const connection = (username: string, bankId: string): BankConnection => {
    const key = `${username}|${bankId}`;
    let c = connections.get(key);
    if (!c) {
      const at = now() - 3600_000;
      c = { connectedAt: at, validTo: at + 180 * 86400_000, lapsedAt: null, frozen: null, lastSynchronization: at };
      connections.set(key, c);
    }
    if (c.lapsedAt === null && now() > c.validTo) lapse(username, bankId, c, c.validTo);
    return c;
  };
  const lapse = (username: string, bankId: string, c: BankConnection, at: number) => {
    c.lapsedAt = at;
    c.frozen = new Map(ledger.accounts({ username, bankId }).map((a) => [a.id, { balance: ledger.balance(a.id), available: ledger.availableBalance(a.id) }]));
  };
  const status = (c: BankConnection): BankConnectionStatus => (c.lapsedAt === null ? 'ACTIVE' : 'CONSENT_EXPIRED');

  const view = (username: string, accountId: string): AccountView | undefined => {
    const account = ledger.account(accountId);
    if (!account || account.username !== username || !marketBanks().has(account.bankId)) return undefined;
    const c = connection(username, account.bankId);
    const bal = c.frozen?.get(account.id) ?? { balance: ledger.balance(account.id), available: ledger.availableBalance(account.id) };
    return {
      account, bank: ledger.banks().find((b) => b.id === account.bankId), status: status(c),
      consentValidTo: new Date(c.validTo).toISOString(), lastSynchronization: new Date(c.lastSynchronization).toISOString(),
      balance: formatMinor(bal.balance, account.currency), availableBalance: formatMinor(bal.available, account.currency),
    };
  };

  /** Everifin's own timestamps: history stored newest-first at connection time, so older rows carry later stamps. */
  const txViews = (username: string, accountId: string) => {
    const account = ledger.account(accountId)!;
    const c = connection(username, account.bankId);
    const txs = ledger.transactions(accountId);
    return txs.map((tx: DemoTransaction, i: number) => {
      const ledgerCreated = Date.parse(tx.createdAt);
      const ledgerUpdated = Date.parse(tx.updatedAt);
      const created = ledgerCreated <= c.connectedAt ? c.connectedAt + i : ledgerCreated;
      const updated = Math.max(created, ledgerUpdated <= c.connectedAt ? 0 : ledgerUpdated);
      return { tx, created, updated };
    }).filter((v) => c.lapsedAt === null || v.created <= c.lapsedAt)
      .map((v) => ({ tx: v.tx, createdAt: new Date(v.created).toISOString(), lastUpdated: new Date(v.updated).toISOString() }));
  };

  const router = new Router();
  const authed = (h: (req: SandboxRequest, username: string) => SandboxResponse | Promise<SandboxResponse>) => async (req: SandboxRequest) => {
    const a = await idp.authenticate(req.baseUrl, req.headers.authorization);
    if ('error' in a) return err(401, 'UNAUTHORIZED', 'Unauthorized', a.error, { 'www-authenticate': `Bearer error="invalid_token", error_description="${a.error}"` });
    return h(req, a.accountId);
  };

  router.get(P.bankAccounts, authed((req, username) => {
    const ids = userAccounts(username).map((a) => a.id);
    const rows = ids.map((id) => bankAccountRow(view(username, id)!));
    return paged(req, rows);
  }));
  router.get(P.bankAccount, authed((req, username) => {
    const v = view(username, req.params.accountId);
    return v ? ok(bankAccountRow(v)) : err(404, 'NOT_FOUND', 'Bank account not found');
  }));
  router.post(P.refresh, authed((_req, username) => {
    const banks = new Set(userAccounts(username).map((a) => a.bankId));
    let refreshed = 0;
    for (const b of banks) {
      const c = connection(username, b);
      if (c.lapsedAt === null) { c.lastSynchronization = now(); refreshed++; }
    }
    return ok({ started: true, refreshedBankConnections: refreshed, skippedBankConnections: banks.size - refreshed });
  }));
  router.get(P.accountTransactions, authed((req, username) => {
    const v = view(username, req.params.accountId);
    if (!v) return err(404, 'NOT_FOUND', 'Bank account not found');
    const updatedFrom = parseInstant(req.query.get(Q.updatedFrom));
    const createdFrom = parseInstant(req.query.get(Q.createdFrom));
    if (updatedFrom === 'bad' || createdFrom === 'bad') return err(422, 'VALIDATION_ERROR', 'Invalid timestamp', `${Q.updatedFrom}/${Q.createdFrom} must be an ISO timestamp or epoch milliseconds`);
    let rows = txViews(username, v.account.id).map(transactionRow);
    if (updatedFrom !== null) rows = rows.filter((r) => Date.parse(r.lastUpdated) >= updatedFrom);
    if (createdFrom !== null) rows = rows.filter((r) => Date.parse(r.createdAt) >= createdFrom);
    const sort = req.query.get(Q.sort) ?? 'bookingDate:desc';
    const [field, dir = 'asc'] = sort.split(':');
    const key = SORTABLE[field];
    if (!key || (dir !== 'asc' && dir !== 'desc')) return err(422, 'VALIDATION_ERROR', 'Invalid sort', `sort must be one of ${Object.keys(SORTABLE).join(', ')} with :asc or :desc`);
    rows = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1) * (dir === 'desc' ? -1 : 1));
    return paged(req, rows);
  }));
  router.get(P.transaction, authed((req, username) => {
    for (const a of userAccounts(username)) {
      const hit = txViews(username, a.id).find((t) => t.tx.id === req.params.transactionId);
      if (hit) return ok(transactionRow(hit));
    }
    return err(404, 'NOT_FOUND', 'Transaction not found');
  }));

  const control: Emulator['control'] = {
    'expire-refresh': (b: { username?: string } = {}) => ({ expired: idp.expireRefreshTokens(b?.username) }),
    'expire-access': () => { idp.expireAccessTokens(); return { ok: true }; },
    revoke: (b: { username?: string } = {}) => { idp.revoke(b?.username); return { ok: true }; },
    'lapse-bank': (b: { username?: string; bankId?: string } = {}) => {
      const targets = users().filter((u) => !b?.username || u.username === b.username);
      let n = 0;
      for (const u of targets) {
        for (const bankId of new Set(userAccounts(u.username).map((a) => a.bankId))) {
          if (b?.bankId && b.bankId !== bankId) continue;
          const c = connection(u.username, bankId);
          if (c.lapsedAt === null) { lapse(u.username, bankId, c, now()); n++; }
        }
      }
      return { lapsed: n };
    },
    'restore-bank': (b: { username?: string; bankId?: string } = {}) => {
      let n = 0;
      for (const [key, c] of connections) {
        const [u, bankId] = key.split('|');
        if ((b?.username && b.username !== u) || (b?.bankId && b.bankId !== bankId)) continue;
        c.lapsedAt = null; c.frozen = null; c.validTo = now() + 180 * 86400_000; c.lastSynchronization = now(); n++;
      }
      return { restored: n };
    },
    settings: (b: Partial<IdpSettings> = {}) => {
      for (const k of ['refreshTokenLifetimeSec', 'rotateRefreshTokens', 'pkceRequired', 'accessTokenLifetimeSec'] as const) {
        if (b?.[k] !== undefined) (s as unknown as Record<string, unknown>)[k] = b[k];
      }
      return { ...s, clientSecret: undefined };
    },
    state: () => ({ signIns: idp.activeSignIns(), connections: Object.fromEntries([...connections].map(([k, c]) => [k, { status: status(c), validTo: new Date(c.validTo).toISOString() }])) }),
  };

  return {
    name: 'everifin',
    router,
    raw: (req, res, ctx) => idp.handle(req, res, ctx.baseUrl, ctx.path),
    state: {
      save: () => ({ settings: s, idp: idp.save(), connections }),
      load(saved) {
        const v = saved as { settings: IdpSettings; idp: unknown; connections: Map<string, BankConnection> };
        Object.assign(s, v.settings);
        idp.load(v.idp);
        refill(connections, v.connections);
      },
    },
    notFound: () => err(404, 'NOT_FOUND', 'Resource not found'),
    control,
    describe: (baseUrl: string) => ({
      clientId: s.clientId,
      clientSecret: s.clientSecret,
      options: { realm: s.realm, scope: EVERIFIN_DEFAULTS.scope, idpUrl: baseUrl },
      issuer: idp.issuer(baseUrl),
      logins: users().map((u) => ({ bank: 'Everifin (all banks connected in Everifin)', username: u.username, password: u.password })),
    }),
  };
}

const ok = (data: unknown): SandboxResponse => json(200, { data, meta: { status: 'SUCCESS' } });
function err(status: number, code: string, title: string, detail?: string, headers: Record<string, string> = {}): SandboxResponse {
  return json(status, { errors: [{ code, title, ...(detail ? { detail } : {}) }], meta: { status: 'ERROR' } }, headers);
}

function paged(req: SandboxRequest, rows: unknown[]): SandboxResponse {
  const page = Number(req.query.get(Q.page) ?? '1');
  const per = Number(req.query.get(Q.perPage) ?? '50');
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(per) || per < 1 || per > 500) {
    return err(422, 'VALIDATION_ERROR', 'Invalid paging', `${Q.page} >= 1 and 1 <= ${Q.perPage} <= 500`);
  }
  const data = rows.slice((page - 1) * per, page * per);
  // the API guide: 204 when there is no content to return
  if (data.length === 0) return noContent();
  const last = Math.max(1, Math.ceil(rows.length / per));
  const url = (p: number) => { const u = new URL(req.path, req.baseUrl); req.query.forEach((v, k) => u.searchParams.set(k, v)); u.searchParams.set(Q.page, String(p)); u.searchParams.set(Q.perPage, String(per)); return u.href; };
  return json(200, {
    data,
    meta: {
      status: 'SUCCESS',
      pagination: {
        page, count_per_page: per, count_total: rows.length, first: 1, last,
        first_page_url: url(1), last_page_url: url(last),
        next_page_url: page < last ? url(page + 1) : null, previous_page_url: page > 1 ? url(page - 1) : null,
      },
    },
  });
}

function parseInstant(v: string | null): number | null | 'bad' {
  if (v === null || v === '') return null;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? 'bad' : t;
}
