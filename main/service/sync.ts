// The service's side of syncing: the sync engine (main/sync) with its scheduler, runs started by the service
// (so the CLI can wait for them), and export over the store's streamed rows.
import type { EventOf, ParsedRequestOf, PrefsDto, Results, SyncStatusDto } from '../../preload/contract/channels.js';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../log/index.js';
import type { Trace } from '../providers/trace.js';
import type { Db } from '../store/db.js';
import * as q from '../store/queries.js';
import type { Repositories } from '../store/repositories.js';
import { storageError } from '../store/errors.js';
import { createSyncEngine, INTERNAL_FAILURE, syncError, type SyncEngine, type SyncResult } from '../sync/engine.js';
import { zeroCounts } from '../sync/writer.js';
import { exportTransactions } from './export.js';
import type { ProviderHub } from '../providers/hub.js';

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
  /** `fresh`: after a run already going (see SyncEngine.sync), not joined to it */
  start(connectionIds: number[], trigger: 'user' | 'schedule' | 'startup', opts?: { fresh?: boolean }): number[];
  /** how the last run this process started for a connection ended (undefined while it runs): the CLI reports its own runs
   *  from here, never another process's run of the same connection */
  lastResult(connectionId: number): SyncResult | undefined;
  runnable(): number[];
  cancel(connectionId?: number): Promise<void>;
  status(): SyncStatusDto;
  nextScheduledAt(): string | null;
  reschedule(): void;
  startScheduler(): void;
  idle(): Promise<void>;
  close(): Promise<void>;
  exportRows(req: ParsedRequestOf<'export.run'>): Results['export.run'];
  /** what a recent run asked the aggregator, for a problem report (null when no longer in memory) */
  trace(runId: number): Trace | null;
}


export function createSync(deps: SyncDeps): SyncFacade {
  const { db } = deps;
  /** running syncs started by the service, with their connection */
  const inFlight = new Map<Promise<unknown>, number>();
  const results = new Map<number, SyncResult>();
  const engine: SyncEngine = createSyncEngine({
    db: deps.db,
    now: deps.now,
    prefs: deps.prefs,
    emit: (p) => {
      deps.emit('sync.progress', p);
      if (p.phase === 'done' || p.phase === 'error') deps.onFinished(p.connectionId);
    },
    resolve: (connectionId) => {
      const conn = deps.repos.connections.get(connectionId);
      if (!conn || conn.removedAt) throw new AppError('not_found', { id: 'error.connection_gone' });
      return { provider: deps.hub.get(conn.provider), ctx: deps.hub.context(conn) };
    },
  });
  const track = (connectionId: number, p: Promise<unknown>) => {
    const t = p.catch((e: unknown) => deps.log.warn('sync failed', { connectionId, error: String(e) })).finally(() => inFlight.delete(t));
    inFlight.set(t, connectionId);
  };
  let scheduler = false;
  return {
    start(ids, trigger, opts = {}) {
      for (const id of ids) {
        results.delete(id);
        track(id, engine.sync(id, { trigger, fresh: opts.fresh }).then((r) => {
          results.set(id, r);
          if (r.outcome !== 'ok') deps.onFinished(id); // skipped/deferred runs emit no 'done'
          return r;
        }, (e: unknown) => {
          const stored = storageError(e);
          if (!stored) deps.log.error('sync failed', { connectionId: id, error: e instanceof Error ? e.stack ?? e.message : String(e) });
          const error = stored ? syncError(stored.code, stored.msg) : syncError('internal', INTERNAL_FAILURE);
          results.set(id, { connectionId: id, runId: null, outcome: 'error', counts: zeroCounts(), error });
          throw e;
        }));
      }
      return ids;
    },
    lastResult: (id) => results.get(id),
    runnable: () => engine.eligible('user'),
    async cancel(connectionId) {
      engine.cancel(connectionId);
      await Promise.allSettled([...inFlight].filter(([, id]) => connectionId === undefined || id === connectionId).map(([p]) => p));
    },
    status: () => engine.status(),
    nextScheduledAt: () => engine.nextRunAt(),
    reschedule() {
      if (!scheduler) return;
      engine.stopScheduler();
      engine.startScheduler();
    },
    startScheduler() {
      scheduler = true;
      engine.startScheduler();
    },
    async idle() {
      while (inFlight.size) await Promise.allSettled([...inFlight.keys()]);
    },
    close: () => engine.close(),
    trace: (runId) => engine.trace(runId),
    exportRows: ({ format, ...filter }) => exportTransactions(format, q.exportRows(db, filter), deps.now()),
  };
}
