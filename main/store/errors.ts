// SQLite failures the user can do something about (a full disk, a read-only file or folder, a damaged file), as
// AppErrors with stable codes and plain messages instead of `[internal]`.
import type { ErrorCode } from '../../preload/contract/errors.js';
import { AppError } from '../domain/errors.js';

/** better-sqlite3's SqliteError codes (extended codes start with the primary one, e.g. SQLITE_READONLY_DIRECTORY) */
const BY_PRIMARY: Array<[prefix: string, code: ErrorCode]> = [
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_READONLY', 'database_read_only'],
  ['SQLITE_CORRUPT', 'database_damaged'],
  ['SQLITE_NOTADB', 'database_damaged'],
];

/** The same failures from the file system (Node's errno codes), for the files of the database itself */
const BY_ERRNO: Array<[prefix: string, code: ErrorCode]> = [
  ['ENOSPC', 'disk_full'],
  ['EROFS', 'database_read_only'],
  ['EACCES', 'database_read_only'],
  ['EPERM', 'database_read_only'],
];

/**
 * The AppError for a storage failure the user can fix, or null when `e` is something else. `files`: `e` came from
 * opening the database's own files, so file-system errors count too (elsewhere they concern other files).
 */
export function storageError(e: unknown, opts: { files?: boolean } = {}): AppError | null {
  if (e instanceof AppError) return ['disk_full', 'database_read_only', 'database_damaged'].includes(e.code) ? e : null;
  const sqlite = typeof e === 'object' && e !== null && (e as { code?: unknown }).code;
  if (typeof sqlite !== 'string') return null;
  const hit = [...BY_PRIMARY, ...(opts.files ? BY_ERRNO : [])].find(([p]) => sqlite === p || sqlite.startsWith(`${p}_`));
  return hit ? new AppError(hit[1], undefined, { sqlite }) : null;
}
