// The database key: 32 random bytes that encrypt the whole SQLite file (and its backups). It is never on disk in clear:
//  - in the app with a real OS keyring it is sealed by the SecretCipher (safeStorage), kept in electron-store;
//  - with a passphrase (the CLI, the dev bridge, the app without a keyring) it is wrapped (AES-256-GCM) under a key
//    scrypt derives from the passphrase, in <dataDir>/multibank.key. The passphrase is never stored; the GCM tag is the
//    verifier that refuses a wrong passphrase before anything is touched.
// Changing the passphrase re-wraps the same database key (one atomic file replace): the database and every backup stay
// readable with no rewrite, and a crash leaves the old or the new file, both complete.
import { createHmac, randomBytes, scrypt as scryptCb, type ScryptOptions } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from '../domain/errors.js';
import { writePrivateFile } from './ciphers.js';
import type { SecretCipher } from './types.js';
import { openAesGcm, sealAesGcm } from './vault.js';

export const KEY_FILE = 'multibank.key';
export const DATABASE_KEY_BYTES = 32;

export interface ScryptParams { N: number; r: number; p: number }
/** scrypt cost: N = 2^17, r = 8, p = 1 (128 MiB, about half a second here): the OWASP minimum for scrypt */
export const SCRYPT_DEFAULT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** wrong passphrases allowed before each further try must wait */
export const FREE_TRIES = 5;
/** the wait after the FREE_TRIES-th wrong passphrase; it doubles with every further one, up to an hour */
const FIRST_WAIT_MS = 30_000;
const MAX_WAIT_MS = 3_600_000;
/** the wrapped key's additional data: a blob from another purpose does not unwrap */
const AAD = Buffer.from('multibank database key v1');

const KeyFileSchema = z.object({
  version: z.literal(1),
  kdf: z.object({ name: z.literal('scrypt'), N: z.number().int(), r: z.number().int(), p: z.number().int(), salt: z.string() }),
  /** base64 of sealAesGcm(scrypt(passphrase), databaseKey) */
  wrapped: z.string(),
  /** wrong passphrases since the last right one, and when the last was entered (kept here so a restart does not reset it) */
  failures: z.number().int().nonnegative(),
  lastFailureAt: z.string().nullable(),
});
type KeyFile = z.infer<typeof KeyFileSchema>;

const keyFilePath = (dataDir: string) => join(dataDir, KEY_FILE);

/** Does this data dir keep its database key under a passphrase? */
export function hasPassphrase(dataDir: string): boolean {
  return existsSync(keyFilePath(dataDir));
}

function readKeyFile(dataDir: string): KeyFile {
  const file = keyFilePath(dataDir);
  let raw: unknown;
  try { raw = JSON.parse(readFileSync(file, 'utf8')); } catch { raw = undefined; }
  const parsed = KeyFileSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('database_key_damaged', { id: 'error.key_file_damaged', values: { file } });
  return parsed.data;
}

function scrypt(passphrase: string, salt: Buffer, p: ScryptParams): Promise<Buffer> {
  // maxmem: scrypt needs 128 * N * r bytes; Node's default cap (32 MiB) is below our N
  const opts: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r };
  return new Promise((res, rej) => scryptCb(passphrase.normalize('NFC'), salt, DATABASE_KEY_BYTES, opts, (e, k) => (e ? rej(e) : res(k))));
}

function checkPassphraseText(passphrase: string): void {
  if (passphrase.length < 8) throw new AppError('validation', { id: 'error.passphrase_too_short', values: { min: 8 } });
}

async function wrapped(passphrase: string, databaseKey: Buffer, params: ScryptParams): Promise<KeyFile> {
  const salt = randomBytes(16);
  const kek = await scrypt(passphrase, salt, params);
  return {
    version: 1, kdf: { name: 'scrypt', ...params, salt: salt.toString('base64') },
    wrapped: sealAesGcm(kek, databaseKey, AAD).toString('base64'), failures: 0, lastFailureAt: null,
  };
}

/** A new random database key, wrapped under the passphrase in the data dir's key file. */
export async function createPassphraseKey(dataDir: string, passphrase: string, params: ScryptParams = SCRYPT_DEFAULT): Promise<Buffer> {
  checkPassphraseText(passphrase);
  if (hasPassphrase(dataDir)) throw new AppError('validation', { id: 'error.key_file_exists', values: { file: keyFilePath(dataDir) } });
  const key = randomBytes(DATABASE_KEY_BYTES);
  writePrivateFile(keyFilePath(dataDir), JSON.stringify(await wrapped(passphrase, key, params)));
  return key;
}

/** When the next try is allowed after `failures` wrong passphrases, the last at `last` (null: now). */
export function nextTryAt(failures: number, last: string | null): Date | null {
  if (failures < FREE_TRIES || !last) return null;
  return new Date(Date.parse(last) + Math.min(MAX_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_TRIES)));
}

/**
 * The database key, when the passphrase is right. A wrong one is counted in the key file and refused with
 * `wrong_passphrase`; from the FREE_TRIES-th on, tries before the wait is over are refused with `too_many_tries`
 * without even running scrypt. Nothing else is changed either way.
 */
export async function unlockWithPassphrase(dataDir: string, passphrase: string, now: Date = new Date()): Promise<Buffer> {
  const file = readKeyFile(dataDir);
  const waitUntil = nextTryAt(file.failures, file.lastFailureAt);
  if (waitUntil && waitUntil > now) {
    const seconds = Math.ceil((waitUntil.getTime() - now.getTime()) / 1000);
    throw new AppError('too_many_tries', { id: 'error.too_many_tries_wait', values: { failures: file.failures, seconds } }, { retryAt: waitUntil.toISOString() });
  }
  const kek = await scrypt(passphrase, Buffer.from(file.kdf.salt, 'base64'), file.kdf);
  try {
    const key = openAesGcm(kek, Buffer.from(file.wrapped, 'base64'), AAD);
    if (file.failures > 0) writePrivateFile(keyFilePath(dataDir), JSON.stringify({ ...file, failures: 0, lastFailureAt: null }));
    return key;
  } catch {
    const failures = file.failures + 1;
    writePrivateFile(keyFilePath(dataDir), JSON.stringify({ ...file, failures, lastFailureAt: now.toISOString() }));
    const left = FREE_TRIES - failures;
    throw new AppError('wrong_passphrase', { id: 'error.wrong_passphrase_try', values: { slower: left > 0 ? 'no' : 'yes' } }, { failures });
  }
}

/** Wrap the same database key under a new passphrase (the old one must be right). */
export async function changePassphrase(dataDir: string, oldPassphrase: string, newPassphrase: string, now: Date = new Date(), params: ScryptParams = SCRYPT_DEFAULT): Promise<void> {
  checkPassphraseText(newPassphrase);
  const key = await unlockWithPassphrase(dataDir, oldPassphrase, now);
  writePrivateFile(keyFilePath(dataDir), JSON.stringify(await wrapped(newPassphrase, key, params)));
}

/** A database key sealed by a SecretCipher (safeStorage in the app), in a SealedKeyStore-like home. */
export function sealedDatabaseKey(cipher: SecretCipher, home: { load(): Buffer | undefined; save(sealed: Buffer): void }): Buffer {
  const sealed = home.load();
  if (sealed) {
    const key = cipher.decrypt(sealed);
    if (key.length !== DATABASE_KEY_BYTES) throw new AppError('database_key_damaged');
    return key;
  }
  const key = randomBytes(DATABASE_KEY_BYTES);
  home.save(cipher.encrypt(key));
  return key;
}

/**
 * Seals the vault's data key under a key derived from the database key (the CLI, the dev bridge, the app without a
 * keyring): nothing in the data dir opens it without the passphrase. It replaces the key file beside the database.
 */
export class DatabaseKeyCipher implements SecretCipher {
  private readonly key: Buffer;
  constructor(databaseKey: Buffer) {
    // a separate key per purpose (HMAC as the KDF: the input is already 256 random bits)
    this.key = createHmac('sha256', databaseKey).update('multibank vault seal').digest();
  }
  isAvailable(): boolean { return true; }
  isPlainText(): boolean { return false; }
  encrypt(plain: Buffer): Buffer { return sealAesGcm(this.key, plain); }
  decrypt(sealed: Buffer): Buffer { return openAesGcm(this.key, sealed); }
  /** zero the key in memory (the app lock); nothing opens with this cipher afterwards */
  forget(): void { this.key.fill(0); }
}

/**
 * Move the vault's sealed data key from one seal to another (a plain data dir becoming encrypted: from the key file or
 * a keyring-less safeStorage to the database key). Idempotent: a key already under `to` is left alone, so a crash
 * between the new seal and the cleanup after it loses nothing.
 */
export function resealVaultKey(home: { load(): Buffer | undefined; save(sealed: Buffer): void }, from: SecretCipher, to: SecretCipher): void {
  const sealed = home.load();
  if (!sealed) return;
  try { to.decrypt(sealed); return; } catch { /* still under the old seal */ }
  home.save(to.encrypt(from.decrypt(sealed)));
}
