// The token vault: named secrets, each encrypted with AES-256-GCM (random 96-bit IV, 128-bit tag, the secret's name as
// additional data) under a 32-byte data key, kept as blobs in the vault_secrets table (main/store/secrets.ts). The data
// key itself is stored only sealed by a SecretCipher (Electron safeStorage in the app, a key file for the CLI and dev
// bridge, a test cipher in tests).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.js';
import { createSealedSecrets, type SealedSecrets } from '../store/secrets.js';
import { AppError, type MainMessage } from '../domain/errors.js';
import { registerSecret } from '../log/logger.js';
import { CipherKeyMissingError, type SecretCipher, type SecretStore } from './types.js';

/** Where the sealed data key lives: electron-store in the app, a file in the data dir for the CLI and dev bridge. */
export interface SealedKeyStore {
  load(): Buffer | undefined;
  save(sealed: Buffer): void;
  /** where the sealed key is kept, for messages */
  readonly location?: string;
}

export interface SecretPolicyInput {
  cipher: SecretCipher;
  /** the user allowed secrets to be kept with a plain-text cipher (prefs.allowPlainTextSecrets) */
  allowPlainText: boolean;
}

export type SecretPolicy =
  | { ok: true; plainText: boolean }
  | { ok: false; reason: 'unavailable' | 'plain_text_not_allowed' };

/** May a secret be stored now? Never without encryption, and with a plain-text backend only after the user opted in. */
export function secretStoragePolicy({ cipher, allowPlainText }: SecretPolicyInput): SecretPolicy {
  if (!cipher.isAvailable()) return { ok: false, reason: 'unavailable' };
  const plainText = cipher.isPlainText();
  if (plainText && !allowPlainText) return { ok: false, reason: 'plain_text_not_allowed' };
  return { ok: true, plainText };
}

/** Throws AppError('secret_storage_unavailable') unless secretStoragePolicy allows storing. */
export function assertCanStoreSecrets(input: SecretPolicyInput): void {
  const p = secretStoragePolicy(input);
  if (p.ok) return;
  throw new AppError(
    'secret_storage_unavailable',
    { id: p.reason === 'unavailable' ? 'error.secrets_no_encryption' : 'error.secrets_plain_text_only' },
  );
}

const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** AES-256-GCM: iv(12) | tag(16) | ciphertext, with optional additional authenticated data. */
export function sealAesGcm(key: Buffer, plain: Buffer, aad?: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  if (aad) c.setAAD(aad);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

/** The inverse of sealAesGcm; throws when the data, the tag, the AAD or the key do not match. */
export function openAesGcm(key: Buffer, sealed: Buffer, aad?: Buffer): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('sealed value too short');
  const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  if (aad) d.setAAD(aad);
  d.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([d.update(sealed.subarray(IV_BYTES + TAG_BYTES)), d.final()]);
}

/** A stored secret: version(1) | iv(12) | tag(16) | ciphertext, the secret's name as AAD (a blob moved to another name fails). */
export function encryptSecret(key: Buffer, name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([FORMAT_VERSION]), sealAesGcm(key, Buffer.from(value, 'utf8'), Buffer.from(name, 'utf8'))]);
}

export function decryptSecret(key: Buffer, name: string, blob: Buffer): string {
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_VERSION) throw new VaultIntegrityError(name);
  try {
    return openAesGcm(key, blob.subarray(1), Buffer.from(name, 'utf8')).toString('utf8');
  } catch {
    throw new VaultIntegrityError(name);
  }
}

/** A stored secret failed its authentication check: it was altered, moved to another name, or the key is wrong. */
export class VaultIntegrityError extends AppError {
  constructor(readonly secretName: string) {
    super('internal', { id: 'error.vault_altered' }, { secretName });
    this.name = 'VaultIntegrityError';
  }
}

export interface VaultOptions {
  db: Db;
  cipher: SecretCipher;
  keyStore: SealedKeyStore;
  /** asked before every write; default false */
  allowPlainText?: () => boolean;
}

export class Vault implements SecretStore {
  private key: Buffer | undefined;
  private readonly rows: SealedSecrets;
  private readonly cipher: SecretCipher;
  private readonly keyStore: SealedKeyStore;
  private readonly allowPlainText: () => boolean;

  constructor(opts: VaultOptions) {
    this.rows = createSealedSecrets(opts.db);
    this.cipher = opts.cipher;
    this.keyStore = opts.keyStore;
    this.allowPlainText = opts.allowPlainText ?? (() => false);
  }

  /** What the UI shows about secret storage. */
  status(): { available: boolean; plainText: boolean; optedIn: boolean } {
    const available = this.cipher.isAvailable();
    return { available, plainText: available && this.cipher.isPlainText(), optedIn: this.allowPlainText() };
  }

  /** true when a secret may be stored now (see secretStoragePolicy) */
  canStore(): boolean {
    return secretStoragePolicy({ cipher: this.cipher, allowPlainText: this.allowPlainText() }).ok;
  }

  get(name: string): string | undefined {
    const blob = this.rows.get(name);
    if (!blob) return undefined;
    const key = this.dataKey(false);
    if (!key) throw this.keyMissing();
    const value = decryptSecret(key, name, blob);
    registerSecret(value);
    return value;
  }

  set(name: string, value: string): void {
    assertCanStoreSecrets({ cipher: this.cipher, allowPlainText: this.allowPlainText() });
    const key = this.dataKey(true)!;
    registerSecret(value);
    this.rows.put(name, encryptSecret(key, name, value));
  }

  delete(name: string): void {
    this.rows.delete(name);
  }

  deletePrefix(prefix: string): void {
    this.rows.deletePrefix(prefix);
  }

  /** Why saved secrets cannot be read now (their key is missing or cannot be opened), or null when they can. */
  locked(): MainMessage | null {
    if (!this.rows.any()) return null;
    try {
      return this.dataKey(false) ? null : this.keyMissing().msg;
    } catch (e) {
      if (e instanceof AppError) return e.msg;
      throw e;
    }
  }

  /** Drop the unsealed data key from memory (zeroed): the service closed its database (a lock, a restore, the end). */
  forget(): void {
    this.key?.fill(0);
    this.key = undefined;
  }

  /** Forget every saved secret, on the user's request when their key is lost; the next secret stored gets a new key. */
  reset(): void {
    this.rows.deleteAll();
    this.key = undefined;
  }

  private keyMissing(): AppError {
    const location = this.keyStore.location;
    return new AppError('vault_key_missing', location ? { id: 'error.vault_key_missing_at', values: { location } } : undefined);
  }

  /** names only, never values */
  names(): string[] {
    return this.rows.names();
  }

  /**
   * The unsealed data key; created and sealed on first write. A key is only ever replaced when it protects nothing:
   * with saved secrets, a missing or unopenable key is an error the user decides about (vault.reset), never a new key.
   */
  private dataKey(create: boolean): Buffer | undefined {
    if (this.key) return this.key;
    const sealed = this.keyStore.load();
    if (sealed) {
      try {
        return (this.key = this.unseal(sealed));
      } catch (e) {
        if (!create || this.rows.any()) throw e;
      }
    } else if (this.rows.any()) {
      throw this.keyMissing();
    }
    if (!create) return undefined;
    const key = randomBytes(KEY_BYTES);
    this.keyStore.save(this.cipher.encrypt(key));
    this.key = key;
    return key;
  }

  private unseal(sealed: Buffer): Buffer {
    if (!this.cipher.isAvailable()) {
      throw new AppError('secret_storage_unavailable', { id: 'error.key_store_unavailable' });
    }
    let key: Buffer;
    try { key = this.cipher.decrypt(sealed); } catch (e) {
      if (e instanceof CipherKeyMissingError) {
        throw new AppError('vault_key_missing', { id: 'error.vault_key_file_missing', values: { file: e.where } });
      }
      throw new AppError('secret_storage_unavailable', { id: 'error.vault_other_system_key' });
    }
    if (key.length !== KEY_BYTES) throw new AppError('secret_storage_unavailable', { id: 'error.vault_key_damaged' });
    return key;
  }
}
