// SecretCiphers and SealedKeyStores that need no Electron: the key-file cipher for the CLI and dev bridge,
// a test cipher, and file/memory homes for the sealed data key. The safeStorage cipher lives in main/electron.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CipherKeyMissingError, type SecretCipher } from './types.js';
import { openAesGcm, sealAesGcm, type SealedKeyStore } from './vault.js';

/** Write a file readable by its owner only, atomically (temp file + rename). */
export function writePrivateFile(file: string, data: Buffer | string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, file);
  try { chmodSync(file, 0o600); } catch { /* not supported on this file system */ }
}

/**
 * The CLI's and dev bridge's cipher: a random 32-byte key in a 0600 file in the data dir. The key sits next to the
 * data it protects, so this is honest about being plain text: isPlainText() is true and storing needs the user's opt-in.
 */
export class KeyFileCipher implements SecretCipher {
  readonly file: string;
  private key: Buffer | undefined;
  constructor(dataDir: string, fileName = 'vault.key') {
    this.file = join(dataDir, fileName);
  }
  isAvailable(): boolean { return true; }
  isPlainText(): boolean { return true; }
  encrypt(plain: Buffer): Buffer { return sealAesGcm(this.loadKey(true), plain); }
  decrypt(sealed: Buffer): Buffer { return openAesGcm(this.loadKey(false), sealed); }
  private loadKey(create: boolean): Buffer {
    if (this.key) return this.key;
    if (existsSync(this.file)) {
      const key = readFileSync(this.file);
      if (key.length !== 32) throw new Error(`the key file ${this.file} is damaged`);
      return (this.key = key);
    }
    if (!create) throw new CipherKeyMissingError(this.file);
    const key = randomBytes(32);
    writePrivateFile(this.file, key);
    return (this.key = key);
  }
}

/** For tests: a real AES-GCM seal under an in-memory key, with switchable availability and plain-text flags. */
export class TestCipher implements SecretCipher {
  available: boolean;
  plainText: boolean;
  /** every plaintext handed to encrypt() (the data keys), so tests can search files for them */
  readonly sealedPlaintexts: Buffer[] = [];
  constructor(opts: { key?: Buffer; available?: boolean; plainText?: boolean } = {}) {
    this.key = opts.key ?? randomBytes(32);
    this.available = opts.available ?? true;
    this.plainText = opts.plainText ?? false;
  }
  private readonly key: Buffer;
  isAvailable(): boolean { return this.available; }
  isPlainText(): boolean { return this.plainText; }
  encrypt(plain: Buffer): Buffer {
    if (!this.available) throw new Error('encryption is not available');
    this.sealedPlaintexts.push(Buffer.from(plain));
    return sealAesGcm(this.key, plain);
  }
  decrypt(sealed: Buffer): Buffer {
    if (!this.available) throw new Error('encryption is not available');
    return openAesGcm(this.key, sealed);
  }
}

/** The sealed data key in a 0600 file (CLI and dev bridge). */
export class FileSealedKeyStore implements SealedKeyStore {
  readonly file: string;
  constructor(dataDir: string, fileName = 'vault-key.sealed') {
    this.file = join(dataDir, fileName);
  }
  get location(): string { return this.file; }
  load(): Buffer | undefined {
    return existsSync(this.file) ? readFileSync(this.file) : undefined;
  }
  save(sealed: Buffer): void {
    writePrivateFile(this.file, sealed);
  }
}

export class MemorySealedKeyStore implements SealedKeyStore {
  value: Buffer | undefined;
  load(): Buffer | undefined { return this.value; }
  save(sealed: Buffer): void { this.value = Buffer.from(sealed); }
}
