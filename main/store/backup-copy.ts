// Worker thread of createBackup (backup.ts): VACUUM INTO reads the whole database, seconds on a large one, so it runs
// on its own connection here while main's event loop (the window, syncs) goes on. WAL mode lets it read one
// consistent snapshot while main writes.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3-multiple-ciphers';
import { setKey } from './sqlcipher.js';

export interface BackupCopyJob { source: string; target: string; key: Uint8Array | null }
export type BackupCopyResult = { ok: true } | { ok: false; message: string; code?: string };

const job = workerData as BackupCopyJob;
const key = job.key ? Buffer.from(job.key.buffer, job.key.byteOffset, job.key.byteLength) : null;
let result: BackupCopyResult;
try {
  const db = new Database(job.source, { fileMustExist: true });
  try {
    if (key) setKey(db, key);
    db.prepare('VACUUM INTO ?').run(job.target);
  } finally { db.close(); }
  // a self-contained file: without WAL mode, reading it (checks, restore) leaves no -wal/-shm files beside it
  const copy = new Database(job.target);
  try {
    if (key) setKey(copy, key);
    copy.pragma('journal_mode = DELETE');
  } finally { copy.close(); }
  result = { ok: true };
} catch (e) {
  const code = (e as { code?: unknown }).code;
  result = { ok: false, message: (e as Error).message, ...(typeof code === 'string' ? { code } : {}) };
} finally {
  key?.fill(0);
}
parentPort!.postMessage(result);
