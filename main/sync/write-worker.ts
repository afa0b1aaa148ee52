// Worker thread of the sync's writes (syncwriter.ts): the engine's page writes run the same TransactionWriter here, on a
// connection of its own to the same file (same key and pragmas; never migrated, main has done that), so main's event loop
// goes on (the window, the next page's fetch and parse) while SQLite writes. Each step is still one transaction.
import { setImmediate as turn } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import type { ErrorCode } from '../../preload/contract/errors.js';
import { AppError, type MainMessage } from '../domain/errors.js';
import type { IsoDate } from '../domain/types.js';
import { ProviderError } from '../providers/provider.js';
import { applyConnectionLimits, openDatabaseFile, type ConnectionLimits } from '../store/db.js';
import { RunContext, TransactionWriter, type CursorMove, type PageAside, type WriterOptions } from './writer.js';

export interface WriteWorkerData { file: string; key: Uint8Array | null; options: WriterOptions }
/** a sync run as the worker knows it: its claims (RunContext) live here, under this key */
export interface RunRef { key: number; at: string }
type Range = { from: IsoDate; to: IsoDate };
export type WriteRequest =
  | { id: number; op: 'write'; run: RunRef; limits: ConnectionLimits; accountId: number; input: unknown; stepRows: number; move?: CursorMove; retire?: Range; aside?: PageAside }
  | { id: number; op: 'retire'; run: RunRef; limits: ConnectionLimits; accountId: number; range: Range | null; move?: CursorMove }
  | { id: number; op: 'claimSeenSince'; run: RunRef; accountId: number; since: string }
  /** no answer: the run is done with an account (its claims go), or with everything when accountId is absent */
  | { op: 'forget'; run: number; accountId?: number };
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
const data = workerData as WriteWorkerData;
try {
  const db = openDatabaseFile(data.file, data.key ? Buffer.from(data.key) : undefined);
  let limitsSet = '';
  runWorker(new TransactionWriter(db, data.options), (limits) => {
    const text = JSON.stringify(limits);
    if (text !== limitsSet) { applyConnectionLimits(db, limits); limitsSet = text; }
  });
} catch (e) {
  // every request gets the reason the connection could not be opened (a key that does not fit, a missing file...)
  port.on('message', (m: WriteRequest) => { if ('id' in m) port.postMessage({ id: m.id, ok: false, error: toWire(e) } satisfies WriteReply); });
}

function runWorker(writer: TransactionWriter, applyLimits: (l: ConnectionLimits) => void): void {
  const runs = new Map<number, RunContext>();
  const runOf = (r: RunRef): RunContext => {
    let run = runs.get(r.key);
    if (!run) { run = new RunContext(r.at); runs.set(r.key, run); }
    return run;
  };
  const handle = async (m: WriteRequest): Promise<unknown> => {
    switch (m.op) {
      case 'write':
        applyLimits(m.limits);
        // a turn between steps: another run's request (four syncs at once) waits for one step, not a whole page
        return writer.writePageInSteps(m.accountId, m.input, runOf(m.run), { stepRows: m.stepRows, pause: () => turn() }, m.move, m.retire, m.aside);
      case 'retire':
        applyLimits(m.limits);
        return writer.retire(m.accountId, m.range, runOf(m.run), m.move);
      case 'claimSeenSince':
        writer.claimSeenSince(m.accountId, runOf(m.run), m.since);
        return null;
      case 'forget':
        if (m.accountId === undefined) runs.delete(m.run);
        else runs.get(m.run)?.forget(m.accountId);
        return null;
    }
  };
  port.on('message', (m: WriteRequest) => {
    handle(m).then(
      (value) => { if ('id' in m) port.postMessage({ id: m.id, ok: true, value } satisfies WriteReply); },
      (e: unknown) => { if ('id' in m) port.postMessage({ id: m.id, ok: false, error: toWire(e) } satisfies WriteReply); },
    );
  });
}
