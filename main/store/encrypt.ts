// Converting an unencrypted database, and the backups beside it, to the encrypted format in place. Safe across a crash
// at any point: a plain file is only ever replaced by one atomic rename of a complete, synced, checked encrypted copy,
// so every start finds either the plain file (and converts again from scratch) or the encrypted one.
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { AppError } from '../domain/errors.js';
import { BACKUP_DIR, DATABASE_FILE, newBackupName } from './backup.js';
import { applyKey, checkDatabase, isPlainDatabase, liveUsers, makeDatabasePrivate } from './db.js';

/** Where a conversion is; the kill tests stop the process at each. */
export type ConversionStep = 'merged' | 'copied' | 'encrypted' | 'backed-up' | 'replaced' | 'backup-converted';

const LEFTOVER = /\.(encrypting|partial)(-journal|-wal|-shm)?$/;

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

function removeWithCompanions(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/** An encrypted, synced, checked copy of the plain database `source` at `target` (a leftover there is removed first). */
function encryptedCopy(source: string, target: string, key: Buffer, onStep: (s: ConversionStep) => void): void {
  removeWithCompanions(target);
  const plain = new Database(source);
  try {
    // rollback-journal mode merges the WAL into the file and removes it: the copy holds every committed row, and
    // nothing plain is left beside the file once it is replaced
    plain.pragma('journal_mode = DELETE');
    onStep('merged');
    makeDatabasePrivate(target);
    plain.prepare('VACUUM INTO ?').run(target);
  } finally {
    plain.close();
  }
  onStep('copied');
  const copy = new Database(target);
  try {
    copy.pragma("cipher = 'sqlcipher'");
    copy.pragma('legacy = 4');
    copy.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    copy.close();
  }
  const check = new Database(target, { readonly: true });
  try {
    applyKey(check, key);
    const health = checkDatabase(check, 'quick');
    if (!health.ok) throw new Error(`the encrypted copy failed its check: ${health.problems.join('; ')}`);
  } finally {
    check.close();
  }
  fsyncPath(target);
  onStep('encrypted');
}

/** Plain SQLite files under backups/ (the daily ones, and databases a restore put aside), and leftovers of a crash. */
function backupFiles(dir: string): { plain: string[]; leftovers: string[] } {
  const out = { plain: [] as string[], leftovers: [] as string[] };
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const inner = backupFiles(path);
      out.plain.push(...inner.plain); out.leftovers.push(...inner.leftovers);
    } else if (LEFTOVER.test(name)) out.leftovers.push(path);
    else if (isPlainDatabase(path)) out.plain.push(path);
  }
  return out;
}

/**
 * Encrypt dataDir's database and backups under `key`, if any of them is still plain: the database first (an encrypted
 * backup of it is made before it is replaced), then each plain backup. Returns whether the database was converted.
 * Refused while another live process has the database open. `onStep` observes progress (tests kill there).
 */
export function encryptDataDir(dataDir: string, key: Buffer, now: Date, onStep: (s: ConversionStep) => void = () => {}): boolean {
  const file = join(dataDir, DATABASE_FILE);
  const tmp = `${file}.encrypting`;
  let converted = false;
  if (isPlainDatabase(file)) {
    if (liveUsers(file).length > 0) {
      throw new AppError('validation', { id: 'error.encrypt_busy' });
    }
    encryptedCopy(file, tmp, key, onStep);
    // the backup first, encrypted like every backup: the database as it was before the conversion
    const backups = join(dataDir, BACKUP_DIR);
    const name = newBackupName(dataDir, 'pre-migration', now);
    const partial = join(backups, `${name}.partial`);
    copyFileSync(tmp, partial);
    chmodSync(partial, 0o600);
    fsyncPath(partial);
    renameSync(partial, join(backups, name));
    fsyncPath(backups);
    onStep('backed-up');
    renameSync(tmp, file);
    fsyncPath(dataDir);
    onStep('replaced');
    converted = true;
  }
  removeWithCompanions(tmp);
  const { plain, leftovers } = backupFiles(join(dataDir, BACKUP_DIR));
  for (const f of leftovers) rmSync(f, { force: true });
  for (const f of plain) {
    encryptedCopy(f, `${f}.encrypting`, key, onStep);
    renameSync(`${f}.encrypting`, f);
    fsyncPath(dirname(f));
    onStep('backup-converted');
  }
  return converted;
}
