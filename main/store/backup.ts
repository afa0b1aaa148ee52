// Backups of the database with VACUUM INTO (a consistent copy while the database is in use, under its key), in
// <dataDir>/backups: before every migration, once a day (the last 7 of each are kept), and when the user asks.
// Restoring keeps the replaced database (with its WAL and SHM) aside in backups/replaced-<time>/; nothing is deleted.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { BackupCopyJob, BackupCopyResult } from './backup-copy.js';
import { applyKey, checkDatabase, databaseKeyOf, makeDatabasePrivate, migrate, openDatabaseFile, schemaVersion, type Db, type DatabaseHealth } from './db.js';
import { startWorker } from './worker.js';
import { MIGRATIONS } from './migrations.js';

export const DATABASE_FILE = 'multibank.db';
export const BACKUP_DIR = 'backups';
export const BACKUP_KINDS = ['daily', 'pre-migration', 'manual'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];
/** automatic backups kept per kind; the user's own are never removed by us */
export const KEEP_AUTOMATIC = 7;

export interface BackupInfo { name: string; kind: BackupKind; createdAt: string; bytes: number }

// multibank-2026-12-03T07-18-02-123Z-daily.db (a second one in the same millisecond gets -2, -3 …)
const NAME = /^multibank-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-(daily|pre-migration|manual)(?:-(\d+))?\.db$/;

const backupDir = (dataDir: string) => join(dataDir, BACKUP_DIR);

function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try { chmodSync(dir, 0o700); } catch { /* a file system without modes */ }
}

/** The backups in the data dir, newest first. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupDir(dataDir);
  if (!existsSync(dir)) return [];
  const out: Array<BackupInfo & { n: number }> = [];
  for (const name of readdirSync(dir)) {
    const m = NAME.exec(name);
    if (!m) continue;
    out.push({ name, kind: m[6] as BackupKind, createdAt: `${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`, bytes: statSync(join(dir, name)).size, n: Number(m[7] ?? 1) });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.n - a.n).map(({ n: _n, ...b }) => b);
}

/** A free name for a new backup (the backups folder is made, owner-only, when missing). */
export function newBackupName(dataDir: string, kind: BackupKind, now: Date): string {
  const dir = backupDir(dataDir);
  ensurePrivateDir(dir);
  const stem = `multibank-${now.toISOString().replace(/[:.]/g, '-')}-${kind}`;
  let name = `${stem}.db`;
  for (let n = 2; existsSync(join(dir, name)); n++) name = `${stem}-${n}.db`;
  return name;
}

/**
 * VACUUM INTO `target` from a connection of its own in a worker thread (backup-copy.ts), under the same key. VACUUM
 * INTO, not the online backup API: it writes the copy encrypted under the database's own key (the backup API refuses an
 * encrypted source), and is one consistent read transaction either way.
 */
function copyInWorker(db: Db, target: string): Promise<void> {
  const job: BackupCopyJob = { source: db.name, target, key: databaseKeyOf(db) ?? null };
  const worker = startWorker('backup-copy', job);
  return new Promise((resolve, reject) => {
    worker.once('message', (r: BackupCopyResult) => {
      if (r.ok) resolve();
      else reject(Object.assign(new Error(r.message), r.code ? { code: r.code } : {}));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the backup worker stopped (exit code ${code})`)));
  });
}

/** Copy the open database into backups/; automatic kinds keep their newest KEEP_AUTOMATIC. */
export async function createBackup(db: Db, dataDir: string, kind: BackupKind, now: Date): Promise<BackupInfo> {
  const dir = backupDir(dataDir);
  const name = newBackupName(dataDir, kind, now);
  const partial = join(dir, `${name}.partial`);
  try {
    makeDatabasePrivate(partial);
    await copyInWorker(db, partial);
    renameSync(partial, join(dir, name));
  } finally {
    if (existsSync(partial)) unlinkSync(partial);
  }
  if (kind !== 'manual') pruneBackups(dataDir, kind);
  return listBackups(dataDir).find((b) => b.name === name)!;
}

function pruneBackups(dataDir: string, kind: BackupKind): void {
  for (const old of listBackups(dataDir).filter((b) => b.kind === kind).slice(KEEP_AUTOMATIC)) unlinkSync(join(backupDir(dataDir), old.name));
}

/** A daily backup, unless one was made on this (UTC) day already. */
export async function backUpDailyIfDue(db: Db, dataDir: string, now: Date): Promise<BackupInfo | null> {
  const today = now.toISOString().slice(0, 10);
  if (listBackups(dataDir).some((b) => b.kind === 'daily' && b.createdAt.startsWith(today))) return null;
  return createBackup(db, dataDir, 'daily', now);
}

/** The full integrity check of a backup file (read-only): a damaged backup is never restored. */
export function checkBackup(dataDir: string, name: string, key?: Buffer): DatabaseHealth {
  const db = new Database(join(backupDir(dataDir), name), { readonly: true, fileMustExist: true });
  try {
    if (key) applyKey(db, key);
    return checkDatabase(db, 'full');
  } finally {
    db.close();
  }
}

/**
 * Put a backup in place of the (closed) database: the current database, WAL and SHM move to backups/replaced-<time>/,
 * then the backup is copied in. Returns the folder the replaced files went to.
 */
export function restoreBackupFiles(dataDir: string, name: string, now: Date): string {
  const source = join(backupDir(dataDir), name);
  const aside = join(backupDir(dataDir), `replaced-${now.toISOString().replace(/[:.]/g, '-')}`);
  ensurePrivateDir(aside);
  const db = join(dataDir, DATABASE_FILE);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(db + suffix)) renameSync(db + suffix, join(aside, DATABASE_FILE + suffix));
  }
  const partial = `${db}.restoring`;
  copyFileSync(source, partial);
  chmodSync(partial, 0o600);
  renameSync(partial, db);
  return aside;
}

export interface OpenedDatabase { db: Db; health: DatabaseHealth; unclean: boolean }

/**
 * Open the database for the service: check it (quick, or full after an unclean shutdown), back it up before a
 * migration, migrate. A damaged database is opened query-only and not migrated: nothing is written into it.
 */
export async function openCheckedDatabase(
  dataDir: string,
  opts: { unclean: boolean; now: Date; migrations?: readonly string[]; open?: (file: string) => Db },
): Promise<OpenedDatabase> {
  const migrations = opts.migrations ?? MIGRATIONS;
  const db = (opts.open ?? openDatabaseFile)(join(dataDir, DATABASE_FILE));
  try {
    const health = checkDatabase(db, opts.unclean ? 'full' : 'quick');
    if (!health.ok) {
      db.pragma('query_only = ON');
      return { db, health, unclean: opts.unclean };
    }
    const version = schemaVersion(db);
    if (version > 0 && version < migrations.length) await createBackup(db, dataDir, 'pre-migration', opts.now);
    migrate(db, migrations);
    return { db, health, unclean: opts.unclean };
  } catch (e) {
    db.close();
    throw e;
  }
}
