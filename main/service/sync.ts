// The service's side of syncing and reading: the sync engine (main/sync) with its scheduler, the read queries
// (main/store) and export. PLACEHOLDER until main/sync's engine and main/store's queries land.
import type { EventOf, ParsedRequestOf, PrefsDto, Results, SyncStatusDto } from '../../preload/contract/channels.js';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../log/index.js';
import type { Db } from '../store/db.js';
import type { Repositories } from '../store/repositories.js';
import type { ProviderHub } from './providers.js';

export interface SyncDeps {
  db: Db;
  repos: Repositories;
  hub: ProviderHub;
  now: () => Date;
  prefs: { get(): PrefsDto };
  emit(event: 'sync.progress', payload: EventOf<'sync.progress'>): void;
  log: Logger;
  onFinished(connectionId: number): void;
}

export interface SyncFacade {
  start(connectionIds: number[], trigger: 'user' | 'schedule' | 'startup'): number[];
  runnable(): number[];
  cancel(connectionId?: number): Promise<void>;
  status(): SyncStatusDto;
  nextScheduledAt(): string | null;
  reschedule(): void;
  startScheduler(): void;
  idle(): Promise<void>;
  close(): Promise<void>;
  exportRows(req: ParsedRequestOf<'export.run'>): Results['export.run'];
  queries: {
    balanceHistory(req: ParsedRequestOf<'accounts.balanceHistory'>): Results['accounts.balanceHistory'];
    monthly(req: ParsedRequestOf<'accounts.monthly'>): Results['accounts.monthly'];
    topCounterparties(req: ParsedRequestOf<'accounts.topCounterparties'>): Results['accounts.topCounterparties'];
    totals(): Results['overview.totals'];
    transactions(req: ParsedRequestOf<'transactions.list'>): Results['transactions.list'];
    transaction(id: number): Results['transactions.get'];
    syncLog(req: ParsedRequestOf<'sync.log'>): Results['sync.log'];
  };
}

const notYet = (): never => { throw new AppError('internal', 'Not available yet.'); };

export function createSync(deps: SyncDeps): SyncFacade {
  void deps;
  return {
    start: (ids) => ids,
    runnable: () => deps.repos.connections.list().map((c) => c.id),
    cancel: async () => {},
    status: () => ({ running: [], nextScheduledAt: null, deferred: [] }),
    nextScheduledAt: () => null,
    reschedule: () => {},
    startScheduler: () => {},
    idle: async () => {},
    close: async () => {},
    exportRows: notYet,
    queries: { balanceHistory: notYet, monthly: notYet, topCounterparties: notYet, totals: notYet, transactions: notYet, transaction: notYet, syncLog: notYet },
  };
}
