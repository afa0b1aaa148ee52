// Repositories over the store: connections, accounts, provider configs, app meta and the user's own transaction edits.
// All SQL for these tables lives here (and in queries.ts / main/sync); callers never write their own.
// Statements are prepared once per database and cached.
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { fromStored, verbatim } from '../domain/errors.js';
import type { MainMessage } from '../domain/errors.js';
import { normIban, normNumber } from '../domain/identifiers.js';
import type { Message } from '../../preload/contract/message.js';
import type { ConsentInfo, ConsentState, IsoInstant, ProviderId, RemoteAccount } from '../domain/types.js';
import { setCategoryByHand } from './categories.js';
import type { Db } from './db.js';

const nowIso = () => new Date().toISOString();

/** Prepared-statement cache per database: `stmt(db, sql)` prepares once and reuses. */
const caches = new WeakMap<Db, Map<string, Statement>>();
export function stmt(db: Db, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) { cache = new Map(); caches.set(db, cache); }
  let s = cache.get(sql);
  if (!s) { s = db.prepare(sql); cache.set(sql, s); }
  return s;
}

// ---------------------------------------------------------------- provider configs

/** A stored provider configuration. The client secret is NOT here: it lives in the vault. */
export interface ProviderConfigRow {
  provider: ProviderId;
  baseUrl: string;
  clientId: string;
  options: Record<string, string>;
  updatedAt: IsoInstant;
}

interface ProviderConfigRaw { provider: string; base_url: string; client_id: string; options_json: string; updated_at: string }
const toProviderConfig = (r: ProviderConfigRaw): ProviderConfigRow => ({
  provider: r.provider as ProviderId, baseUrl: r.base_url, clientId: r.client_id,
  options: JSON.parse(r.options_json) as Record<string, string>, updatedAt: r.updated_at,
});

export class ProviderConfigRepo {
  constructor(private db: Db, private now: () => Date = () => new Date()) {}
  get(provider: ProviderId): ProviderConfigRow | undefined {
    const r = stmt(this.db, 'SELECT * FROM provider_configs WHERE provider = ?').get(provider) as ProviderConfigRaw | undefined;
    return r && toProviderConfig(r);
  }
  list(): ProviderConfigRow[] {
    return (stmt(this.db, 'SELECT * FROM provider_configs ORDER BY provider').all() as ProviderConfigRaw[]).map(toProviderConfig);
  }
  upsert(c: { provider: ProviderId; baseUrl: string; clientId: string; options?: Record<string, string> }): ProviderConfigRow {
    stmt(this.db, `INSERT INTO provider_configs (provider, base_url, client_id, options_json, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(provider) DO UPDATE SET base_url = excluded.base_url, client_id = excluded.client_id,
        options_json = excluded.options_json, updated_at = excluded.updated_at`)
      .run(c.provider, c.baseUrl, c.clientId, JSON.stringify(c.options ?? {}), this.now().toISOString());
    return this.get(c.provider)!;
  }
  delete(provider: ProviderId): void {
    stmt(this.db, 'DELETE FROM provider_configs WHERE provider = ?').run(provider);
  }
}

// ---------------------------------------------------------------- connections

export interface ConnectionRow {
  id: number;
  provider: ProviderId;
  institutionId: string | null;
  institutionName: string;
  /** the aggregator's ids (user id, connection id, consent id ...); secrets are in the vault */
  remote: Record<string, string>;
  state: ConsentState;
  consentExpiresAt: IsoInstant | null;
  /** the consent's message in English, and as a catalogue message */
  stateMessage: string | null;
  stateMsg: Message | null;
  providerCode: string | null;
  createdAt: IsoInstant;
  lastAttemptAt: IsoInstant | null;
  lastSuccessAt: IsoInstant | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  /** the same as a catalogue message */
  lastError: Message | null;
  /** a deferred sync may not run before this */
  nextAttemptAt: IsoInstant | null;
  /** why: an error code such as 'rate_limited' or 'budget_exhausted' */
  nextAttemptReason: string | null;
  /** set when the user removed the connection but kept its data (read-only; never synced) */
  removedAt: IsoInstant | null;
  /** consent-centre notices already given (key → when) */
  notices: Record<string, string>;
  /** number of local accounts */
  accountCount: number;
}

interface ConnectionRaw {
  id: number; provider: string; institution_id: string | null; institution_name: string; remote_json: string; state: string;
  consent_expires_at: string | null; state_message: string | null; provider_code: string | null; created_at: string;
  last_attempt_at: string | null; last_success_at: string | null; last_error_code: string | null; last_error_message: string | null;
  next_attempt_at: string | null; next_attempt_reason: string | null; removed_at: string | null; notices_json: string; account_count: number;
}
const toConnection = (r: ConnectionRaw): ConnectionRow => ({
  id: r.id, provider: r.provider as ProviderId, institutionId: r.institution_id, institutionName: r.institution_name,
  remote: JSON.parse(r.remote_json) as Record<string, string>, state: r.state as ConsentState,
  consentExpiresAt: r.consent_expires_at, stateMessage: fromStored(r.state_message).english, stateMsg: fromStored(r.state_message).msg, providerCode: r.provider_code, createdAt: r.created_at,
  lastAttemptAt: r.last_attempt_at, lastSuccessAt: r.last_success_at, lastErrorCode: r.last_error_code,
  lastErrorMessage: fromStored(r.last_error_message).english, lastError: fromStored(r.last_error_message).msg, nextAttemptAt: r.next_attempt_at,
  nextAttemptReason: r.next_attempt_reason, removedAt: r.removed_at,
  notices: JSON.parse(r.notices_json || '{}') as Record<string, string>, accountCount: r.account_count,
});

/** the provider of the connection that holds manual accounts (banks no aggregator covers; see main/import) */
export const MANUAL_PROVIDER = 'manual';

const CONNECTION_SELECT = `SELECT c.*, (SELECT count(*) FROM accounts a WHERE a.connection_id = c.id) AS account_count FROM connections c`;

/** ProviderError code → the consent state a connection is put in. */
export function stateForErrorCode(code: string): ConsentState | null {
  switch (code) {
    case 'consent_expired': return 'expired';
    case 'consent_revoked': return 'revoked';
    case 'needs_user': return 'needs_user';
    case 'action_at_bank': return 'action_at_bank';
    case 'rate_limited': case 'bank_unavailable': case 'timeout': case 'network': case 'demo_not_running': case 'bad_response': case 'auth_failed':
    case 'internal':
      return 'failing';
    default: return null;
  }
}

/** a message column as written: JSON {id, values}; the aggregator's own words are kept as a verbatim message */
const toStored = (m: string | MainMessage | null | undefined): string | null =>
  m == null ? null : JSON.stringify(typeof m === 'string' ? verbatim(m) : m);

export class ConnectionRepo {
  constructor(private db: Db, private now: () => Date = () => new Date()) {}

  create(c: { provider: ProviderId; institutionId?: string | null; institutionName: string; remote: Record<string, string>; consent?: ConsentInfo }): ConnectionRow {
    const at = this.now().toISOString();
    const info = stmt(this.db, `INSERT INTO connections (provider, institution_id, institution_name, remote_json, state, consent_expires_at,
        state_message, provider_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(c.provider, c.institutionId ?? null, c.institutionName, JSON.stringify(c.remote), c.consent?.state ?? 'active',
        c.consent?.expiresAt ?? null, toStored(c.consent?.message), c.consent?.providerCode ?? null, at);
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): ConnectionRow | undefined {
    const r = stmt(this.db, `${CONNECTION_SELECT} WHERE c.id = ?`).get(id) as ConnectionRaw | undefined;
    return r && toConnection(r);
  }

  /** All connections, oldest first; removed ones only when asked. */
  list(opts: { includeRemoved?: boolean; provider?: ProviderId } = {}): ConnectionRow[] {
    const rows = (stmt(this.db, `${CONNECTION_SELECT} ORDER BY c.id`).all() as ConnectionRaw[]).map(toConnection);
    // a 'manual' connection only holds accounts made from statement files (main/import): never synced, never listed
    return rows.filter((c) => (c.provider as string) !== MANUAL_PROVIDER && (opts.includeRemoved || !c.removedAt) && (!opts.provider || c.provider === opts.provider));
  }

  /** New remote ids (after renewal) and, optionally, institution details. */
  updateRemote(id: number, remote: Record<string, string>, institution?: { id?: string | null; name?: string }): void {
    stmt(this.db, `UPDATE connections SET remote_json = ?, institution_id = coalesce(?, institution_id),
        institution_name = coalesce(?, institution_name) WHERE id = ?`)
      .run(JSON.stringify(remote), institution?.id ?? null, institution?.name ?? null, id);
  }

  /** A new title: a connection that spans several banks is titled after the banks its accounts are held at. */
  rename(id: number, institutionName: string): void {
    stmt(this.db, 'UPDATE connections SET institution_name = ? WHERE id = ?').run(institutionName, id);
  }

  /** Write the consent the provider reported (state, expiry, message, provider code). */
  setConsent(id: number, consent: ConsentInfo): void {
    stmt(this.db, `UPDATE connections SET state = ?, consent_expires_at = ?, state_message = ?, provider_code = ? WHERE id = ?`)
      .run(consent.state, consent.expiresAt ?? null, toStored(consent.message), consent.providerCode ?? null, id);
  }

  /** Change only the state (and optionally its message), keeping expiry and provider code. */
  setState(id: number, state: ConsentState, message?: MainMessage | null): void {
    stmt(this.db, 'UPDATE connections SET state = ?, state_message = coalesce(?, state_message) WHERE id = ?').run(state, toStored(message), id);
  }

  markAttempt(id: number, at: IsoInstant = this.now().toISOString()): void {
    stmt(this.db, 'UPDATE connections SET last_attempt_at = ? WHERE id = ?').run(at, id);
  }

  /** A successful refresh: consent written, error cleared, last_success_at set, deferral cleared. */
  recordSuccess(id: number, consent: ConsentInfo, at: IsoInstant = this.now().toISOString()): void {
    stmt(this.db, `UPDATE connections SET state = ?, consent_expires_at = coalesce(?, consent_expires_at), state_message = ?, provider_code = ?,
        last_success_at = ?, last_attempt_at = ?, last_error_code = NULL, last_error_message = NULL, next_attempt_at = NULL,
        next_attempt_reason = NULL WHERE id = ?`)
      .run(consent.state, consent.expiresAt ?? null, toStored(consent.message), consent.providerCode ?? null, at, at, id);
  }

  /** A failed attempt: error code/message, the matching state (when the code maps to one), provider code. */
  recordError(id: number, e: { code: string; message: MainMessage; providerCode?: string | null; state?: ConsentState | null }, at: IsoInstant = this.now().toISOString()): void {
    const state = e.state === undefined ? stateForErrorCode(e.code) : e.state;
    stmt(this.db, `UPDATE connections SET last_error_code = ?, last_error_message = ?, last_attempt_at = ?,
        state = coalesce(?, state), provider_code = coalesce(?, provider_code) WHERE id = ?`)
      .run(e.code, JSON.stringify(e.message), at, state, e.providerCode ?? null, id);
  }

  clearError(id: number): void {
    stmt(this.db, 'UPDATE connections SET last_error_code = NULL, last_error_message = NULL WHERE id = ?').run(id);
  }

  setNextAttempt(id: number, at: IsoInstant | null, reason: string | null = null): void {
    stmt(this.db, 'UPDATE connections SET next_attempt_at = ?, next_attempt_reason = ? WHERE id = ?').run(at, at ? reason : null, id);
  }

  setNotices(id: number, notices: Record<string, string>): void {
    stmt(this.db, 'UPDATE connections SET notices_json = ? WHERE id = ?').run(JSON.stringify(notices), id);
  }

  /** Keep the data read-only: the connection is never synced again and is listed only with includeRemoved. */
  markRemoved(id: number, at: IsoInstant = this.now().toISOString()): void {
    stmt(this.db, 'UPDATE connections SET removed_at = ?, next_attempt_at = NULL, next_attempt_reason = NULL WHERE id = ?').run(at, id);
  }

  /** Delete the connection with its accounts, transactions, balances and cursors (sync runs keep a null connection). */
  delete(id: number): void {
    this.db.transaction(() => {
      // delete transactions first in bulk (the FTS delete trigger runs for each), then the rest cascades
      stmt(this.db, 'DELETE FROM transaction_remote_ids WHERE account_id IN (SELECT id FROM accounts WHERE connection_id = ?)').run(id);
      stmt(this.db, 'DELETE FROM transactions WHERE account_id IN (SELECT id FROM accounts WHERE connection_id = ?)').run(id);
      stmt(this.db, 'DELETE FROM connections WHERE id = ?').run(id);
    })();
  }
}

// ---------------------------------------------------------------- accounts

export interface AccountRow {
  id: number;
  connectionId: number;
  remoteId: string;
  iban: string | null;
  number: string | null;
  name: string;
  type: string;
  currency: string;
  balanceCurrent: number | null;
  balanceCurrentDate: string | null;
  balanceAvailable: number | null;
  balanceAvailableDate: string | null;
  /** the bank the aggregator names for this account; null: the connection's bank */
  bankName: string | null;
  selected: boolean;
  createdAt: IsoInstant;
  updatedAt: IsoInstant;
}

interface AccountRaw {
  id: number; connection_id: number; remote_id: string; iban: string | null; number: string | null; name: string; type: string;
  currency: string; balance_current: number | null; balance_current_date: string | null; balance_available: number | null;
  balance_available_date: string | null; bank_name: string | null; selected: number; created_at: string; updated_at: string;
}
const toAccount = (r: AccountRaw): AccountRow => ({
  id: r.id, connectionId: r.connection_id, remoteId: r.remote_id, iban: r.iban, number: r.number, name: r.name, type: r.type,
  currency: r.currency, balanceCurrent: r.balance_current, balanceCurrentDate: r.balance_current_date,
  balanceAvailable: r.balance_available, balanceAvailableDate: r.balance_available_date, bankName: r.bank_name ?? null,
  selected: r.selected === 1, createdAt: r.created_at, updatedAt: r.updated_at,
});

export class AccountRepo {
  constructor(private db: Db, private now: () => Date = () => new Date()) {}

  get(id: number): AccountRow | undefined {
    const r = stmt(this.db, 'SELECT * FROM accounts WHERE id = ?').get(id) as AccountRaw | undefined;
    return r && toAccount(r);
  }

  getByRemoteId(connectionId: number, remoteId: string): AccountRow | undefined {
    const r = stmt(this.db, 'SELECT * FROM accounts WHERE connection_id = ? AND remote_id = ?').get(connectionId, remoteId) as AccountRaw | undefined;
    return r && toAccount(r);
  }

  /** Renewal: the local account continues under a new remote id (upsertRemote then finds it by that id). */
  reattach(accountId: number, remoteId: string): void {
    stmt(this.db, 'UPDATE accounts SET remote_id = ?, updated_at = ? WHERE id = ?').run(remoteId, this.now().toISOString(), accountId);
  }

  listByConnection(connectionId: number, opts: { selectedOnly?: boolean } = {}): AccountRow[] {
    const rows = (stmt(this.db, 'SELECT * FROM accounts WHERE connection_id = ? ORDER BY id').all(connectionId) as AccountRaw[]).map(toAccount);
    return opts.selectedOnly ? rows.filter((a) => a.selected) : rows;
  }

  list(opts: { selectedOnly?: boolean } = {}): AccountRow[] {
    const rows = (stmt(this.db, 'SELECT * FROM accounts ORDER BY connection_id, id').all() as AccountRaw[]).map(toAccount);
    return opts.selectedOnly ? rows.filter((a) => a.selected) : rows;
  }

  /**
   * Upsert what the provider reported for one connection, in one transaction. Local ids are kept for life:
   * a remote account matches an existing local account by remote id; otherwise (renewal gave new ids) by IBAN + currency,
   * then by account number + currency, among the connection's accounts not claimed by another reported remote id.
   * New accounts start selected (`selectNew`, default true). Balances are written to the account and as daily snapshots.
   * Returns the local rows in the order given.
   */
  upsertRemote(connectionId: number, remote: RemoteAccount[], opts: { selectNew?: boolean } = {}): AccountRow[] {
    const at = this.now().toISOString();
    return this.db.transaction(() => {
      const existing = this.listByConnection(connectionId);
      const byRemote = new Map(existing.map((a) => [a.remoteId, a]));
      const reportedIds = new Set(remote.map((r) => r.remoteId));
      const claimed = new Set<number>();
      // first pass: exact remote-id matches claim their local account
      for (const r of remote) { const a = byRemote.get(r.remoteId); if (a) claimed.add(a.id); }
      const free = () => existing.filter((a) => !claimed.has(a.id) && !reportedIds.has(a.remoteId));
      const out: AccountRow[] = [];
      for (const r of remote) {
        let local = byRemote.get(r.remoteId);
        if (!local) {
          const iban = normIban(r.iban);
          const num = normNumber(r.number);
          local = (iban && free().find((a) => normIban(a.iban) === iban && a.currency === r.currency))
            || (num && free().find((a) => normNumber(a.number) === num && a.currency === r.currency))
            || undefined;
          if (local) claimed.add(local.id);
        }
        let id: number;
        if (local) {
          id = local.id;
          const l = local;
          const changed = l.remoteId !== r.remoteId || (r.iban != null && r.iban !== l.iban) || (r.number != null && r.number !== l.number)
            || l.name !== r.name || l.type !== r.type || l.currency !== r.currency || (r.institutionName != null && r.institutionName !== l.bankName)
            || (r.balanceCurrent != null && (r.balanceCurrent !== l.balanceCurrent || (r.balanceCurrentDate != null && r.balanceCurrentDate !== l.balanceCurrentDate)))
            || (r.balanceAvailable != null && (r.balanceAvailable !== l.balanceAvailable || (r.balanceAvailableDate != null && r.balanceAvailableDate !== l.balanceAvailableDate)));
          // nothing written when nothing changed (a failed sync that only listed accounts leaves them untouched)
          if (changed) stmt(this.db, `UPDATE accounts SET remote_id = ?, iban = coalesce(?, iban), number = coalesce(?, number), name = ?, type = ?,
              currency = ?, balance_current = coalesce(?, balance_current), balance_current_date = coalesce(?, balance_current_date),
              balance_available = coalesce(?, balance_available), balance_available_date = coalesce(?, balance_available_date),
              bank_name = coalesce(?, bank_name), updated_at = ? WHERE id = ?`)
            .run(r.remoteId, r.iban ?? null, r.number ?? null, r.name, r.type, r.currency, r.balanceCurrent ?? null,
              r.balanceCurrentDate ?? null, r.balanceAvailable ?? null, r.balanceAvailableDate ?? null, r.institutionName ?? null, at, id);
        } else {
          const info = stmt(this.db, `INSERT INTO accounts (connection_id, remote_id, iban, number, name, type, currency, balance_current,
              balance_current_date, balance_available, balance_available_date, bank_name, selected, created_at, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
            .run(connectionId, r.remoteId, r.iban ?? null, r.number ?? null, r.name, r.type, r.currency, r.balanceCurrent ?? null,
              r.balanceCurrentDate ?? null, r.balanceAvailable ?? null, r.balanceAvailableDate ?? null, r.institutionName ?? null,
              opts.selectNew === false ? 0 : 1, at, at);
          id = Number(info.lastInsertRowid);
        }
        const today = at.slice(0, 10);
        if (r.balanceCurrent != null) this.saveBalance(id, r.balanceCurrentDate ?? today, 'booked', r.balanceCurrent);
        if (r.balanceAvailable != null) this.saveBalance(id, r.balanceAvailableDate ?? today, 'available', r.balanceAvailable);
        out.push(this.get(id)!);
      }
      return out;
    }).immediate();
  }

  saveBalance(accountId: number, date: string, kind: 'booked' | 'available' | 'other', amount: number): void {
    stmt(this.db, `INSERT INTO balances (account_id, date, kind, amount) VALUES (?, ?, ?, ?)
      ON CONFLICT(account_id, date, kind) DO UPDATE SET amount = excluded.amount`).run(accountId, date.slice(0, 10), kind, amount);
  }

  /** Exactly these accounts of the connection are selected for sync and display; the others are not. */
  setSelected(connectionId: number, accountIds: number[]): AccountRow[] {
    const ids = new Set(accountIds);
    const at = this.now().toISOString();
    this.db.transaction(() => {
      for (const a of this.listByConnection(connectionId)) {
        const sel = ids.has(a.id) ? 1 : 0;
        if ((a.selected ? 1 : 0) !== sel) stmt(this.db, 'UPDATE accounts SET selected = ?, updated_at = ? WHERE id = ?').run(sel, at, a.id);
      }
    })();
    return this.listByConnection(connectionId);
  }

  delete(id: number): void {
    this.db.transaction(() => {
      stmt(this.db, 'DELETE FROM transaction_remote_ids WHERE account_id = ?').run(id);
      stmt(this.db, 'DELETE FROM transactions WHERE account_id = ?').run(id);
      stmt(this.db, 'DELETE FROM accounts WHERE id = ?').run(id);
    })();
  }
}

// ---------------------------------------------------------------- user edits of transactions

export interface UserEdit { category?: string | null; note?: string | null; hidden?: boolean }

export class TransactionEditRepo {
  constructor(private db: Db, private now: () => Date = () => new Date()) {}
  /** The user's own fields; the sync engine never writes them. Returns false when there is no such (undeleted) row. */
  update(id: number, edit: UserEdit): boolean {
    const row = stmt(this.db, 'SELECT id FROM transactions WHERE id = ? AND deleted_at IS NULL').get(id);
    if (!row) return false;
    this.db.transaction(() => {
      if (edit.category !== undefined) setCategoryByHand(this.db, id, edit.category);
      if (edit.note !== undefined) stmt(this.db, 'UPDATE transactions SET note = ? WHERE id = ?').run(edit.note, id);
      if (edit.hidden !== undefined) stmt(this.db, 'UPDATE transactions SET hidden = ? WHERE id = ?').run(edit.hidden ? 1 : 0, id);
    })();
    return true;
  }
  /** Delete as the user: the row is kept as a tombstone (deleted_at) so a re-sync never brings it back. */
  deleteByUser(id: number): boolean {
    return stmt(this.db, 'UPDATE transactions SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(this.now().toISOString(), id).changes > 0;
  }
}

// ---------------------------------------------------------------- app meta (small key-value settings owned by main)

export class MetaRepo {
  constructor(private db: Db) {}
  get(key: string): string | undefined {
    return stmt(this.db, 'SELECT value FROM app_meta WHERE key = ?').pluck().get(key) as string | undefined;
  }
  set(key: string, value: string): void {
    stmt(this.db, 'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
  delete(key: string): void { stmt(this.db, 'DELETE FROM app_meta WHERE key = ?').run(key); }
}

// ---------------------------------------------------------------- everything together

export interface Repositories {
  db: Db;
  providerConfigs: ProviderConfigRepo;
  connections: ConnectionRepo;
  accounts: AccountRepo;
  transactions: TransactionEditRepo;
  meta: MetaRepo;
}

export function createRepositories(db: Db, opts: { now?: () => Date } = {}): Repositories {
  const now = opts.now ?? (() => new Date());
  return {
    db,
    providerConfigs: new ProviderConfigRepo(db, now),
    connections: new ConnectionRepo(db, now),
    accounts: new AccountRepo(db, now),
    transactions: new TransactionEditRepo(db, now),
    meta: new MetaRepo(db),
  };
}

export { nowIso };
