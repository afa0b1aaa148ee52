// Worker thread of the sync's writes (syncwriter.ts): the engines' page writes run the same TransactionWriter here, each
// engine on a connection of its own to its database file (same key and pragmas), so main's event loop goes on (the window,
// the next page's fetch and parse) while SQLite writes. Each step is still one transaction.
import { setImmediate as turn } from 'node:timers/promises';
import { parentPort } from 'node:worker_threads';
import type { ErrorCode } from '../../preload/contract/errors.js';
import { AppError, type MainMessage } from '../domain/errors.js';
import type { IsoDate } from '../domain/types.js';
import { ProviderError } from '../providers/provider.js';
import { applyConnectionLimits, openDatabaseFile, type ConnectionLimits, type Db } from '../store/db.js';
import { RunContext, TransactionWriter, type CursorMove, type PageAside, type PreparedRow, type WriterOptions } from './writer.js';

/** a connection of the worker: one per engine (its database file, key and writer options) */
export interface OpenConnection { file: string; key: Uint8Array | null; options: WriterOptions }
/** a sync run as the worker knows it: its claims (RunContext) live here, under this key */
export interface RunRef { key: number; at: string }
type Range = { from: IsoDate; to: IsoDate };
/** what the engine's connection asks the worker */
export type WriteAsk =
  | { op: 'open'; open: OpenConnection }
  | { op: 'close' }
  | { op: 'write'; run: RunRef; limits: ConnectionLimits; accountId: number; rows: PreparedRow[]; stepRows: number; move?: CursorMove; retire?: Range; aside?: PageAside }
  | { op: 'retire'; run: RunRef; limits: ConnectionLimits; accountId: number; range: Range | null; move?: CursorMove }
  | { op: 'claimSeenSince'; run: RunRef; accountId: number; since: string }
  /** the run is done with an account (its claims go), or with everything when accountId is absent */
  | { op: 'forget'; run: number; accountId?: number };
export type WriteRequest = WriteAsk & { id: number; conn: number };
/** an error as it crosses postMessage: its kind and code survive (storageError reads `code`, the engine the error class) */
export type WireError =
  | { kind: 'provider'; code: ErrorCode; msg: MainMessage; info: ProviderError['info'] }
  | { kind: 'app'; code: ErrorCode; msg: MainMessage }
  | { kind: 'other'; name: string; message: string; code?: string };
export type WriteReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

function toWire(e: unknown): WireError {
  if (e instanceof ProviderError) return { kind: 'provider', code: e.code, msg: e.msg, info: { ...e.info } };
  if (e instanceof AppError) return { kind: 'app', code: e.code, msg: e.msg };
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (e as { code?: unknown } | null)?.code;
  return { kind: 'other', name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
}

const port = parentPort!;
interface Connection { db: Db; writer: TransactionWriter; limits: string }
const connections = new Map<number, Connection>();
/** why a connection could not be opened (a key that does not fit, a missing file): its requests fail with it */
const openFailures = new Map<number, unknown>();
const runs = new Map<number, RunContext>();
const runOf = (r: RunRef): RunContext => {
  let run = runs.get(r.key);
  if (!run) { run = new RunContext(r.at); runs.set(r.key, run); }
  return run;
};
const connection = (id: number): Connection => {
  const c = connections.get(id);
  if (!c) throw openFailures.get(id) ?? new Error(`no write connection ${id}`);
  return c;
};
const withLimits = (c: Connection, limits: ConnectionLimits): TransactionWriter => {
  const text = JSON.stringify(limits);
  if (text !== c.limits) { applyConnectionLimits(c.db, limits); c.limits = text; }
  return c.writer;
};

async function handle(m: WriteRequest): Promise<unknown> {
  switch (m.op) {
    case 'open': {
      // never migrated here: main has brought the schema up to date before any sync
      openFailures.delete(m.conn);
      let db: Db;
      // the key's copies here are zeroed once the connection has it (as main zeroes its own when the app locks)
      const key = m.open.key ? Buffer.from(m.open.key) : undefined;
      try {
        db = openDatabaseFile(m.open.file, key);
      } catch (e) {
        openFailures.set(m.conn, e);
        throw e;
      } finally {
        key?.fill(0);
        m.open.key?.fill(0);
      }
      connections.set(m.conn, { db, writer: new TransactionWriter(db, m.open.options), limits: '' });
      return null;
    }
    case 'close':
      connections.get(m.conn)?.db.close();
      connections.delete(m.conn);
      openFailures.delete(m.conn);
      return null;
    case 'write':
      // a turn between steps: another run's request (four syncs at once) waits for one step, not a whole page
      return withLimits(connection(m.conn), m.limits)
        .writePreparedInSteps(m.accountId, m.rows, runOf(m.run), { stepRows: m.stepRows, pause: () => turn() }, m.move, m.retire, m.aside);
    case 'retire':
      return withLimits(connection(m.conn), m.limits).retire(m.accountId, m.range, runOf(m.run), m.move);
    case 'claimSeenSince':
      connection(m.conn).writer.claimSeenSince(m.accountId, runOf(m.run), m.since);
      return null;
    case 'forget':
      if (m.accountId === undefined) runs.delete(m.run);
      else runs.get(m.run)?.forget(m.accountId);
      return null;
  }
}

port.on('message', (m: WriteRequest) => {
  handle(m).then(
    (value) => port.postMessage({ id: m.id, ok: true, value } satisfies WriteReply),
    (e: unknown) => port.postMessage({ id: m.id, ok: false, error: toWire(e) } satisfies WriteReply),
  );
});
