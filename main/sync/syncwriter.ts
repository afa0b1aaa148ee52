// The sync engine's writes (pages, retiring, the claims of a resumed run) behind one async interface. The engine's writes
// run in a worker thread on a connection of their own (write-worker.ts), so SQLite's write work leaves main's event loop;
// a database without a file (in memory) is written in process. Both run the same TransactionWriter.
import { setImmediate as turn } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../domain/errors.js';
import type { IsoDate } from '../domain/types.js';
import { ProviderError } from '../providers/provider.js';
import { connectionLimits, databaseKeyOf, type Db } from '../store/db.js';
import { startWorker } from '../store/worker.js';
import type { WireError, WriteAsk, WriteReply, WriteRequest } from './write-worker.js';
import { preparePage, TransactionWriter, type CursorMove, type PageAside, type RunContext, type WriteCounts, type WriterOptions } from './writer.js';

type Range = { from: IsoDate; to: IsoDate };

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
  /** close its connection (a later write opens it again) */
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
    writePageInSteps: async (accountId, input, run, stepRows, move, retire, aside) =>
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
/** the process's write worker: the connections opened in it and the runs it holds claims of */
interface Host { worker: Worker; pending: Map<number, Pending>; runs: Set<number>; died(why: string): void }

// One worker for the process, started at the first write: each engine has its own connection in it (the app has one
// engine; a test file has many, and a worker from source takes about half a second to start). An idle one does not keep
// the process alive.
let host: Host | null = null;
let nextId = 1;
let nextConnection = 1;
let nextRun = 1;
/** runs whose worker died, and why: their claims died with it */
const lost = new Map<number, Error>();

function startHost(): Host {
  const h: Host = { worker: startWorker('write-worker', null, import.meta.url), pending: new Map(), runs: new Set(), died };
  h.worker.unref();
  h.worker.on('message', (m: WriteReply) => {
    const p = h.pending.get(m.id);
    if (!p) return;
    h.pending.delete(m.id);
    if (!h.pending.size) h.worker.unref();
    if (m.ok) p.resolve(m.value);
    else p.reject(fromWire(m.error));
  });
  function died(why: string) {
    if (host === h) host = null;
    const e = new Error(`The sync's database writer stopped (${why}); what it had not committed is fetched again by the next sync.`);
    for (const key of h.runs) lost.set(key, e);
    h.runs.clear();
    for (const p of h.pending.values()) p.reject(e);
    h.pending.clear();
  }
  h.worker.on('error', (e) => died(e.message));
  h.worker.on('exit', (code) => died(`exit code ${code}`));
  return h;
}

/** End the write worker at once, as a crash would: its waiting writes fail, the runs it served fail, the next write starts a new one. */
export async function stopWriteWorker(): Promise<void> {
  const h = host;
  if (!h) return;
  // at once: a write asked for before the exit is reported must not reach a new worker without its run's claims
  h.died('stopped');
  await h.worker.terminate();
}

/**
 * The engine's connection in the write worker, opened at its first write and closed by close(). A worker that dies
 * (exit, an uncaught error) fails every request waiting on it and every later request of the runs it served (their
 * claims died with it): those syncs end as failed, nothing of an unfinished step is written, and the next sync's
 * writes start a new worker and open the connection again.
 */
export function workerSyncWriter(db: Db, options: WriterOptions = {}): SyncWriter {
  const conn = nextConnection++;
  /** the worker this connection is open in */
  let openIn: Host | null = null;
  const runKeys = new WeakMap<RunContext, number>();
  const keyOf = (run: RunContext): number => {
    let key = runKeys.get(run);
    if (key === undefined) { key = nextRun++; runKeys.set(run, key); }
    return key;
  };
  const send = <T>(h: Host, m: WriteAsk): Promise<T> => {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      h.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (h.pending.size === 1) h.worker.ref();
      h.worker.postMessage({ ...m, id, conn } as WriteRequest);
    });
  };
  const request = <T>(run: RunContext, m: (run: { key: number; at: string }) => WriteAsk): Promise<T> => {
    const key = keyOf(run);
    const gone = lost.get(key);
    if (gone) return Promise.reject(gone);
    const h = (host ??= startHost());
    if (openIn !== h) {
      const dbKey = databaseKeyOf(db);
      const secret = dbKey ? new Uint8Array(dbKey) : null;
      // its answer comes before the request's (one port, in order); a failure to open fails the request after it too
      void send(h, { op: 'open', open: { file: db.name, key: secret, options } }).catch(() => { if (openIn === h) openIn = null; });
      // postMessage has copied it
      secret?.fill(0);
      openIn = h;
    }
    h.runs.add(key);
    return send<T>(h, m({ key, at: run.at }));
  };
  const tell = (run: RunContext, accountId?: number) => {
    const key = runKeys.get(run);
    if (key !== undefined && openIn && openIn === host && openIn.runs.has(key)) void send(openIn, { op: 'forget', run: key, accountId }).catch(() => {});
  };

  return {
    writePageInSteps: async (accountId, input, run, stepRows, move, retire, aside) => {
      // read, deduplicated and hashed here: main's thread waits for the worker's writes, so the worker only writes
      const rows = preparePage(input);
      return request(run, (r) => ({ op: 'write', run: r, limits: connectionLimits(db), accountId, rows, stepRows, move, retire, aside }));
    },
    retire: (accountId, range, run, move) => request(run, (r) => ({ op: 'retire', run: r, limits: connectionLimits(db), accountId, range, move })),
    claimSeenSince: (accountId, run, since) => request(run, (r) => ({ op: 'claimSeenSince', run: r, accountId, since })),
    forget: (run, accountId) => tell(run, accountId),
    endRun(run) {
      tell(run);
      const key = runKeys.get(run);
      if (key === undefined) return;
      lost.delete(key);
      host?.runs.delete(key);
    },
    async close() {
      const h = openIn;
      openIn = null;
      if (h && h === host) await send(h, { op: 'close' }).catch(() => {});
    },
  };
}
