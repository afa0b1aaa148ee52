// The key pragmas, in a module of their own so that the backup worker (backup-copy.ts) loads only these.
import type Database from 'better-sqlite3-multiple-ciphers';

/**
 * SQLCipher 4's format (AES-256-CBC pages, HMAC-SHA512 per page), so the file opens with the sqlcipher tool too. The
 * key is 32 random bytes given raw (x'…'): no per-open PBKDF2, a passphrase went through scrypt already.
 */
export function setKey(db: Database.Database, key: Buffer): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}
