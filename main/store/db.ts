import { chmodSync, closeSync, existsSync, openSync, readdirSync, readSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../domain/errors.js';
import { MIGRATIONS } from './migrations.js';
import { registerMigrationFunctions } from './rawpages.js';
import { setKey } from './sqlcipher.js';

export type Db = Database.Database;

export class DatabaseTooNewError extends Error {
  readonly code = 'database_too_new';
  constructor(found: number, known: number) {
    super(`This database has schema version ${found}, but this Multibank knows only up to ${known}. Update Multibank to open it.`);
  }
}

/** Open (creating if needed) the database file, set pragmas and bring the schema up to date. */
export function openDatabase(file: string, key?: Buffer): Db {
  const db = openDatabaseFile(file, key);
  try {
    migrate(db);
    vacuumIfDue(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Make the database and its WAL/SHM files readable by their owner only. SQLite gives the WAL and SHM files it creates
 *  the database file's mode, so the database file is created 0600 before SQLite opens it. */
export function makeDatabasePrivate(file: string): void {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try { chmodSync(f, 0o600); } catch { /* absent, or a file system without modes */ }
  }
}

/** The first 16 bytes of every unencrypted SQLite file; an encrypted file starts with its random salt instead. */
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Is this an unencrypted SQLite database (false for an encrypted one, an empty or a missing file)? */
export function isPlainDatabase(file: string): boolean {
  let fd: number;
  try { fd = openSync(file, 'r'); } catch { return false; }
  try {
    const head = Buffer.alloc(PLAIN_HEADER.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(PLAIN_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** Set the key (sqlcipher.ts), before anything else touches the file. A wrong key is refused here, not at the first query. */
export function applyKey(db: Db, key: Buffer): void {
  setKey(db, key);
  try {
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (e) {
    // a key that does not fit reads as "not a database"; anything else (a read-only folder, a full disk) is itself
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw new AppError('database_key_damaged');
    throw e;
  }
}

/** the key each open database was opened with: its backups are written and checked under the same key */
const openedWithKey = new WeakMap<Db, Buffer>();
export function databaseKeyOf(db: Db): Buffer | undefined {
  return openedWithKey.get(db);
}

/** Open the database file with our pragmas, without touching its schema (a damaged file is not migrated). With a
 *  key, the file is encrypted (a new file is created encrypted). */
export function openDatabaseFile(file: string, key?: Buffer): Db {
  makeDatabasePrivate(file);
  const db = new Database(file);
  try {
    if (key) {
      applyKey(db, key);
      openedWithKey.set(db, key);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 32 MiB page cache (the default 2 MiB thrashes on a million-row database); temp b-trees in memory
    db.pragma('cache_size = -32768');
    db.pragma('temp_store = MEMORY');
    // checkpoint every 32 MiB of WAL, not every 4 MiB: a sync step dirties index pages all over the file, and a page
    // rewritten by several steps is then copied back once (100,000 rows in 500-row steps: commits 1.8 s -> 1.2-1.4 s)
    db.pragma('wal_autocheckpoint = 8192');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** What a second connection to the same file (the sync's write worker) takes over from main's: a database opened
 *  read-only or query-only (damaged: nothing may be written) and a size limit set on main's connection. */
export interface ConnectionLimits { queryOnly: boolean; maxPageCount: number }
export function connectionLimits(db: Db): ConnectionLimits {
  return { queryOnly: db.readonly || db.pragma('query_only', { simple: true }) === 1, maxPageCount: db.pragma('max_page_count', { simple: true }) as number };
}
export function applyConnectionLimits(db: Db, limits: ConnectionLimits): void {
  db.pragma(`query_only = ${limits.queryOnly ? 'ON' : 'OFF'}`);
  db.pragma(`max_page_count = ${Math.trunc(limits.maxPageCount)}`);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Apply each pending migration in its own transaction; refuse a database from a newer version. */
export function migrate(db: Db, migrations: readonly string[] = MIGRATIONS): void {
  const current = schemaVersion(db);
  if (current > migrations.length) throw new DatabaseTooNewError(current, migrations.length);
  if (current < migrations.length) registerMigrationFunctions(db);
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** A migration that freed much space asks for one VACUUM (its own transaction: a crash during it leaves the key, and
 *  the next open vacuums again). VACUUM needs room for a copy of the database: when it fails (a full disk, a read-only
 *  file) the database is as it was, the space stays unreturned and a later open tries again. */
export function vacuumIfDue(db: Db): void {
  if (!db.prepare("SELECT 1 FROM app_meta WHERE key = 'vacuum.due'").get()) return;
  try {
    db.exec('VACUUM');
  } catch {
    return;
  }
  db.prepare("DELETE FROM app_meta WHERE key = 'vacuum.due'").run();
}

/** What an integrity check found: ok, or SQLite's first complaints. */
export interface DatabaseHealth {
  ok: boolean;
  check: 'quick' | 'full';
  /** SQLite's own words, at most 10 lines */
  problems: string[];
}

/** PRAGMA quick_check (cheap: O(size) without index cross-checks) or the full integrity_check. A database SQLite cannot
 *  even read is damaged too. */
export function checkDatabase(db: Db, check: 'quick' | 'full'): DatabaseHealth {
  try {
    const rows = db.pragma(`${check === 'full' ? 'integrity_check' : 'quick_check'}(10)`, { simple: false }) as Array<Record<string, string>>;
    const lines = rows.map((r) => String(Object.values(r)[0]));
    const ok = lines.length === 1 && lines[0] === 'ok';
    return { ok, check, problems: ok ? [] : lines };
  } catch (e) {
    return { ok: false, check, problems: [e instanceof Error ? e.message : String(e)] };
  }
}

/**
 * Mark that this process uses the database (`<file>.open-<pid>`, removed on a clean close). A marker of a process that
 * is gone means the database was not closed cleanly (a crash, a kill, a power cut): `unclean` is then true.
 */
export function markDatabaseInUse(file: string): { unclean: boolean; release(): void } {
  const prefix = `${basename(file)}.open-`;
  let unclean = false;
  for (const name of readdirSync(dirname(file)).filter((n) => n.startsWith(prefix))) {
    const pid = Number(name.slice(prefix.length));
    if (pid === process.pid || isAlive(pid)) continue;
    unclean = true;
    try { unlinkSync(join(dirname(file), name)); } catch { /* another process cleaned it up */ }
  }
  const mine = `${file}.open-${process.pid}`;
  try {
    writeFileSync(mine, '', { mode: 0o600 });
  } catch (e) {
    // a read-only or full data dir can still be read; its first write fails with a plain storage error
    if (['EACCES', 'EPERM', 'EROFS', 'ENOSPC'].includes((e as NodeJS.ErrnoException).code ?? '')) return { unclean, release: () => {} };
    throw e;
  }
  return { unclean, release: () => { try { unlinkSync(mine); } catch { /* already gone */ } } };
}

/** The other live processes that have the database open (their markers from markDatabaseInUse). */
export function liveUsers(file: string): number[] {
  const prefix = `${basename(file)}.open-`;
  return readdirSync(dirname(file)).filter((n) => n.startsWith(prefix)).map((n) => Number(n.slice(prefix.length)))
    .filter((pid) => pid !== process.pid && isAlive(pid));
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
