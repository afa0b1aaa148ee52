// The sync engine's writes (pages, retiring, the claims of a resumed run) behind one async interface. The engine's writer
// runs in a worker thread on its own connection (write-worker.ts), so SQLite's write work leaves main's event loop; a
// database without a file (in memory) is written in process. Both run the same TransactionWriter.
import { setImmediate as turn } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../domain/errors.js';
import type { IsoDate } from '../domain/types.js';
import { ProviderError } from '../providers/provider.js';
import { connectionLimits, databaseKeyOf, type Db } from '../store/db.js';
import { startWorker } from '../store/worker.js';
import type { WireError, WriteReply, WriteRequest, WriteWorkerData } from './write-worker.js';
import { TransactionWriter, type CursorMove, type PageAside, type RunContext, type WriteCounts, type WriterOptions } from './writer.js';

type Range = { from: IsoDate; to: IsoDate };
/** a request as the writer's methods build it (the id and the run's reference are added on sending) */
type Ask = Extract<WriteRequest, { id: number }> extends infer R ? R extends unknown ? Omit<R, 'id' | 'run'> : never : never;

export interface SyncWriter {
  /** TransactionWriter.writePageInSteps: each step of at most `stepRows` rows one transaction, the cursor with the last */
  writePageInSteps(accountId: number, input: unknown, run: RunContext, stepRows: number, move?: CursorMove, retire?: Range, aside?: PageAside): Promise<WriteCounts>;
  /** TransactionWriter.retire */
  retire(accountId: number, range: Range | null, run: RunContext, move?: CursorMove): Promise<number>;
  /** TransactionWriter.claimSeenSince */
  claimSeenSince(accountId: number, run: RunContext, since: string): Promise<void>;
  /** the run is done with this account: its claims go */
  forget(run: RunContext, accountId: number): void;
  /** the run is over */
  endRun(run: RunContext): void;
  /** stop the worker (a later write starts a new one) */
  close(): Promise<void>;
}

/** The engine's writer: in a worker thread for a database file, in process for one in memory. */
export function createSyncWriter(db: Db, options: WriterOptions = {}): SyncWriter {
  return db.memory ? inProcessSyncWriter(db, options) : workerSyncWriter(db, options);
}

export function inProcessSyncWriter(db: Db, options: WriterOptions = {}): SyncWriter {
  const writer = new TransactionWriter(db, options);
  const pause = () => turn();
  return {
    writePageInSteps: (accountId, input, run, stepRows, move, retire, aside) =>
      writer.writePageInSteps(accountId, input, run, { stepRows, pause }, move, retire, aside),
    retire: async (accountId, range, run, move) => writer.retire(accountId, range, run, move),
    claimSeenSince: async (accountId, run, since) => writer.claimSeenSince(accountId, run, since),
    forget: (run, accountId) => run.forget(accountId),
    endRun: () => {},
    close: async () => {},
  };
}

function fromWire(e: WireError): Error {
  if (e.kind === 'provider') return new ProviderError(e.code, e.msg, e.info);
  if (e.kind === 'app') return new AppError(e.code, e.msg);
  return Object.assign(new Error(e.message), { name: e.name }, e.code ? { code: e.code } : {});
}

interface Pending { resolve(value: unknown): void; reject(e: Error): void }
interface Running { worker: Worker; pending: Map<number, Pending>; runs: Set<number> }

/**
 * One worker for the engine, started at the first write and stopped by close(). The runs' claims live in the worker;
 * a worker that dies (exit, an uncaught error) fails every request waiting on it and every later request of the runs it
 * served, since their claims died with it: those syncs end as failed, nothing of an unfinished step is written, and
 * the next sync starts a new worker.
 */
export function workerSyncWriter(db: Db, options: WriterOptions = {}): SyncWriter {
  let current: Running | null = null;
  let nextId = 1;
  let nextRun = 1;
  const runKeys = new WeakMap<RunContext, number>();
  /** runs whose worker died: why */
  const lost = new Map<number, Error>();
  const keyOf = (run: RunContext): number => {
    let key = runKeys.get(run);
    if (key === undefined) { key = nextRun++; runKeys.set(run, key); }
    return key;
  };

  const start = (): Running => {
    const key = databaseKeyOf(db);
    const data: WriteWorkerData = { file: db.name, key: key ? new Uint8Array(key) : null, options };
    const r: Running = { worker: startWorker('write-worker', data, import.meta.url), pending: new Map(), runs: new Set() };
    // held only while a request waits (an idle writer does not keep the process alive)
    r.worker.unref();
    r.worker.on('message', (m: WriteReply) => {
      const p = r.pending.get(m.id);
      if (!p) return;
      r.pending.delete(m.id);
      if (!r.pending.size) r.worker.unref();
      if (m.ok) p.resolve(m.value);
      else p.reject(fromWire(m.error));
    });
    const died = (why: string) => {
      if (current === r) current = null;
      const e = new Error(`The sync's database writer stopped (${why}); the step it was writing was not committed.`);
      for (const key of r.runs) lost.set(key, e);
      r.runs.clear();
      for (const p of r.pending.values()) p.reject(e);
      r.pending.clear();
    };
    r.worker.on('error', (e) => died(e.message));
    r.worker.on('exit', (code) => died(`exit code ${code}`));
    return r;
  };

  const request = <T>(run: RunContext, m: Ask): Promise<T> => {
    const key = keyOf(run);
    const gone = lost.get(key);
    if (gone) return Promise.reject(gone);
    const r = (current ??= start());
    r.runs.add(key);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      r.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (r.pending.size === 1) r.worker.ref();
      r.worker.postMessage({ ...m, id, run: { key, at: run.at } } as WriteRequest);
    });
  };
  const tell = (run: RunContext, accountId?: number) => {
    const key = runKeys.get(run);
    if (key !== undefined && current?.runs.has(key)) current.worker.postMessage({ op: 'forget', run: key, accountId } satisfies WriteRequest);
  };

  return {
    writePageInSteps: (accountId, input, run, stepRows, move, retire, aside) =>
      request(run, { op: 'write', limits: connectionLimits(db), accountId, input, stepRows, move, retire, aside }),
    retire: (accountId, range, run, move) => request(run, { op: 'retire', limits: connectionLimits(db), accountId, range, move }),
    claimSeenSince: (accountId, run, since) => request(run, { op: 'claimSeenSince', accountId, since }),
    forget: (run, accountId) => tell(run, accountId),
    endRun(run) {
      tell(run);
      const key = runKeys.get(run);
      if (key === undefined) return;
      lost.delete(key);
      current?.runs.delete(key);
    },
    async close() {
      const r = current;
      current = null;
      if (r) await r.worker.terminate();
    },
  };
}
