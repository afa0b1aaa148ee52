// A scripted in-test Provider: the "bank" is a list of transactions per account; pages are served from it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsentInfo, RemoteAccount, RemoteTransaction } from '../../../main/domain/types.js';
import type { ConnectionContext, Provider, ProviderCapabilities, TransactionPage } from '../../../main/providers/provider.js';
import { openDatabase, type Db } from '../../../main/store/db.js';
import { createRepositories } from '../../../main/store/repositories.js';

export interface Call { method: string; args: unknown[] }

export class ScriptedProvider implements Provider {
  readonly id = 'powens' as const;
  capabilities: ProviderCapabilities = {
    redirects: ['loopback'], institutionsListable: true, pendingTransactions: true,
    maxHistoryDays: 400, overlapDays: 10, dailyUnattendedBudget: 4,
  };
  accounts: RemoteAccount[] = [{ remoteId: 'A1', name: 'Current', type: 'current', currency: 'EUR', iban: 'DE001' }];
  /** the bank's current set per remote account id */
  txs = new Map<string, RemoteTransaction[]>();
  pageSize = 50;
  consentInfo: ConsentInfo = { state: 'active', expiresAt: '2027-06-01T00:00:00.000Z' };
  calls: Call[] = [];
  /** errors (or functions) thrown on the next calls of a method, in order */
  failures = new Map<string, Array<Error | (() => never)>>();
  /** replace a page before it is returned */
  mutatePage?: (page: TransactionPage, n: number) => unknown;
  /** delay each call (ms) */
  delayMs = 0;
  active = 0;
  maxActive = 0;
  pagesServed = 0;

  constructor(init?: Partial<Pick<ScriptedProvider, 'capabilities' | 'pageSize' | 'accounts'>>) { Object.assign(this, init); }

  private async enter(method: string, args: unknown[], signal?: AbortSignal): Promise<void> {
    this.calls.push({ method, args });
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      if (this.delayMs) await new Promise<void>((r, j) => {
        const t = setTimeout(r, this.delayMs);
        signal?.addEventListener('abort', () => { clearTimeout(t); j(new Error('aborted')); }, { once: true });
      });
      const q = this.failures.get(method);
      const f = q?.shift();
      if (f) { if (typeof f === 'function') f(); else throw f; }
    } finally {
      this.active--;
    }
  }

  set(accountRemoteId: string, txs: RemoteTransaction[]): void { this.txs.set(accountRemoteId, txs); }
  fail(method: string, ...errors: Error[]): void { this.failures.set(method, [...(this.failures.get(method) ?? []), ...errors]); }

  async checkConfig(): Promise<void> {}
  async listInstitutions() { return []; }
  async beginLink(): Promise<never> { throw new Error('not scripted'); }
  async completeLink(): Promise<never> { throw new Error('not scripted'); }
  async refreshConnection(_ctx: ConnectionContext, o: { userPresent: boolean; signal?: AbortSignal }): Promise<ConsentInfo> {
    await this.enter('refreshConnection', [o.userPresent], o.signal);
    return this.consentInfo;
  }
  async listAccounts(): Promise<RemoteAccount[]> {
    await this.enter('listAccounts', []);
    return this.accounts.map((a) => ({ ...a }));
  }
  async fetchTransactions(_ctx: ConnectionContext, acc: string, w: { from: string; to: string; cursor: string | null; signal?: AbortSignal }): Promise<TransactionPage> {
    await this.enter('fetchTransactions', [acc, w.from, w.to, w.cursor], w.signal);
    const all = (this.txs.get(acc) ?? []).filter((t) => t.bookingDate >= w.from && t.bookingDate <= w.to)
      .sort((a, b) => (a.bookingDate < b.bookingDate ? -1 : a.bookingDate > b.bookingDate ? 1 : a.remoteId < b.remoteId ? -1 : 1));
    const off = w.cursor ? Number(w.cursor) : 0;
    const slice = all.slice(off, off + this.pageSize);
    const next = off + this.pageSize < all.length ? String(off + this.pageSize) : null;
    const page: TransactionPage = { transactions: slice.map((t) => ({ ...t })), nextCursor: next };
    this.pagesServed++;
    return (this.mutatePage ? this.mutatePage(page, this.pagesServed) : page) as TransactionPage;
  }
  async consent(): Promise<ConsentInfo> { return this.consentInfo; }
  async beginRenewal(): Promise<never> { throw new Error('not scripted'); }
  async remove(): Promise<void> {}
}

export function tx(remoteId: string, bookingDate: string, amount: number, extra: Partial<RemoteTransaction> = {}): RemoteTransaction {
  return {
    remoteId, bookingDate, valueDate: bookingDate, amount, currency: 'EUR', status: 'booked',
    description: extra.description ?? `Payment ${remoteId}`, counterpartyName: extra.counterpartyName ?? `Shop ${remoteId}`,
    counterpartyIban: null, raw: { id: remoteId, amount }, ...extra,
  };
}

/** A deterministic bank history: `n` transactions over the last ~300 days, a few of them pending. */
export function bankSet(account: string, n: number, today: string): RemoteTransaction[] {
  let seed = 7;
  for (const ch of account) seed = (seed * 31 + ch.charCodeAt(0)) % 2147483647;
  const rnd = () => { seed = (seed * 48271) % 2147483647; return seed / 2147483647; };
  return Array.from({ length: n }, (_, i) => {
    const d = day(today, -Math.floor(rnd() * 300));
    return tx(`${account}-${i}`, d, -Math.floor(rnd() * 10000) - 1, { status: d > day(today, -5) && i % 3 === 0 ? 'pending' : 'booked', description: `Purchase ${i} at shop ${Math.floor(rnd() * 50)}` });
  });
}

/** A day offset from a fixed "today" as YYYY-MM-DD. */
export function day(today: string, offset: number): string {
  return new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

const dirs: string[] = [];
export function tempDir(prefix = 'mb-sync-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function cleanupDirs(): void { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); }

/** A fresh database file with one connection (id 1). */
export function freshDb(file?: string): { db: Db; file: string; connectionId: number } {
  const f = file ?? join(tempDir(), 'multibank.db');
  const db = openDatabase(f);
  const repos = createRepositories(db);
  const c = repos.connections.list()[0] ?? repos.connections.create({ provider: 'powens', institutionName: 'Test Bank', remote: { user: 'u1' } });
  return { db, file: f, connectionId: c.id };
}

export const ctxFor = (connectionId: number): ConnectionContext => ({ connectionId, remote: {}, secrets: {}, saveSecrets() {} });

/** Rows of an account as the user sees them (not deleted, not retired), sorted by remote id. */
export function visible(db: Db, accountId = 1): Array<{ remote_id: string; status: string; amount: number; booking_date: string }> {
  return db.prepare(`SELECT remote_id, status, amount, booking_date FROM transactions WHERE account_id = ? AND deleted_at IS NULL
    AND retired_at IS NULL ORDER BY remote_id`).all(accountId) as Array<{ remote_id: string; status: string; amount: number; booking_date: string }>;
}
