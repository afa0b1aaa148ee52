import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, english } from '../../../main/domain/errors.js';
import { openDatabase, type Db } from '../../../main/store/db.js';
import {
  assertCanStoreSecrets, FileSealedKeyStore, KeyFileCipher, MemorySealedKeyStore, secretStoragePolicy, TestCipher, Vault, VaultIntegrityError,
} from '../../../main/vault/index.js';

const dirs: string[] = [];
const dbs: Db[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-vault-')); dirs.push(d); return d; };
const open = (dir: string) => { const db = openDatabase(join(dir, 'multibank.db')); dbs.push(db); return db; };
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** every file under dir, recursively */
function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/** the forms a secret could take in a file */
function encodings(secret: string | Buffer): Buffer[] {
  const b = Buffer.isBuffer(secret) ? secret : Buffer.from(secret, 'utf8');
  const out = [b, Buffer.from(b.toString('base64')), Buffer.from(b.toString('hex')), Buffer.from(b.toString('base64url'))];
  if (!Buffer.isBuffer(secret)) out.push(Buffer.from(secret, 'utf16le'));
  return out;
}

function findLeaks(dir: string, secrets: Array<string | Buffer>): string[] {
  const leaks: string[] = [];
  for (const file of allFiles(dir)) {
    const bytes = readFileSync(file);
    for (const s of secrets) for (const form of encodings(s)) if (bytes.includes(form)) leaks.push(`${file} contains ${String(s)}`);
  }
  return leaks;
}

describe('Vault', () => {
  it('round-trips secrets, overwrites, deletes and deletes by prefix', () => {
    const db = open(tempDir());
    const vault = new Vault({ db, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore() });
    expect(vault.get('missing')).toBeUndefined();
    vault.set('provider:powens:clientSecret', 'cs-1');
    vault.set('connection:1:accessToken', 'ünïcødé ✓ token');
    vault.set('connection:1:refreshToken', 'rt');
    vault.set('connection:10:refreshToken', 'rt10');
    vault.set('connection_1:x', 'underscore');
    expect(vault.get('provider:powens:clientSecret')).toBe('cs-1');
    expect(vault.get('connection:1:accessToken')).toBe('ünïcødé ✓ token');
    vault.set('provider:powens:clientSecret', 'cs-2');
    expect(vault.get('provider:powens:clientSecret')).toBe('cs-2');
    vault.deletePrefix('connection:1:');
    expect(vault.names()).toEqual(['connection:10:refreshToken', 'connection_1:x', 'provider:powens:clientSecret']);
    vault.delete('provider:powens:clientSecret');
    expect(vault.get('provider:powens:clientSecret')).toBeUndefined();
  });

  it('reopens with the same cipher and sealed key', () => {
    const dir = tempDir();
    const cipher = new TestCipher();
    const keyStore = new FileSealedKeyStore(dir);
    const db = open(dir);
    new Vault({ db, cipher, keyStore }).set('a', 'value-a');
    db.close();
    const again = new Vault({ db: open(dir), cipher, keyStore: new FileSealedKeyStore(dir) });
    expect(again.get('a')).toBe('value-a');
    expect(statSync(keyStore.file).mode & 0o777).toBe(0o600);
  });

  it('detects tampering with a stored secret', () => {
    const db = open(tempDir());
    const vault = new Vault({ db, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore() });
    vault.set('a', 'secret-a');
    vault.set('b', 'secret-b');
    const blob = db.prepare("select blob from vault_secrets where name = 'a'").pluck().get() as Buffer;
    for (const i of [0, 5, 20, blob.length - 1]) {
      const bad = Buffer.from(blob); bad[i] ^= 0x01;
      db.prepare("update vault_secrets set blob = ? where name = 'a'").run(bad);
      expect(() => vault.get('a')).toThrow(VaultIntegrityError);
    }
    db.prepare("update vault_secrets set blob = ? where name = 'a'").run(blob.subarray(0, 10));
    expect(() => vault.get('a')).toThrow(VaultIntegrityError);
    // a valid blob moved to another name is refused too (the name is authenticated)
    const blobB = db.prepare("select blob from vault_secrets where name = 'b'").pluck().get() as Buffer;
    db.prepare("update vault_secrets set blob = ? where name = 'a'").run(blobB);
    expect(() => vault.get('a')).toThrow(VaultIntegrityError);
    expect(vault.get('b')).toBe('secret-b');
  });

  it('refuses to open secrets with the wrong key', () => {
    const dir = tempDir();
    const db = open(dir);
    const keyStore = new MemorySealedKeyStore();
    new Vault({ db, cipher: new TestCipher(), keyStore }).set('a', 'secret-a');
    const other = new Vault({ db, cipher: new TestCipher(), keyStore });
    const err = (() => { try { other.get('a'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('secret_storage_unavailable');
    expect(String((err as Error).message)).not.toContain('secret-a');
    // a lost sealed key: the rows cannot be read
    const lost = new Vault({ db, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore() });
    expect(() => lost.get('a')).toThrow(expect.objectContaining({ code: 'vault_key_missing' }));
  });

  it('never replaces a missing sealed key while secrets exist; resets only on request', () => {
    const db = open(tempDir());
    const cipher = new TestCipher();
    new Vault({ db, cipher, keyStore: new MemorySealedKeyStore() }).set('a', 'secret-a');
    const lostStore = new MemorySealedKeyStore();
    const vault = new Vault({ db, cipher, keyStore: lostStore });
    expect(() => vault.set('b', 'secret-b')).toThrow(expect.objectContaining({ code: 'vault_key_missing' }));
    expect(lostStore.value).toBeUndefined();
    expect(vault.names()).toEqual(['a']);
    expect(english(vault.locked()!)).toMatch(/key that unlocks your saved secrets is missing/);

    vault.reset();
    expect(vault.names()).toEqual([]);
    expect(vault.locked()).toBeNull();
    vault.set('b', 'secret-b');
    expect(lostStore.value).toBeDefined();
    expect(new Vault({ db, cipher, keyStore: lostStore }).get('b')).toBe('secret-b');
  });

  it('after a reset, a stale sealed key that protects nothing is replaced', () => {
    const db = open(tempDir());
    const keyStore = new MemorySealedKeyStore();
    new Vault({ db, cipher: new TestCipher(), keyStore }).set('a', 'secret-a');
    const other = new Vault({ db, cipher: new TestCipher(), keyStore });
    expect(english(other.locked()!)).toMatch(/different system key/);
    expect(() => other.set('b', 'x')).toThrow(expect.objectContaining({ code: 'secret_storage_unavailable' }));
    other.reset();
    other.set('b', 'x');
    expect(other.get('b')).toBe('x');
  });

  it('says the key file is missing (not "a different system key") when vault.key is gone', () => {
    const dir = tempDir();
    const db = open(dir);
    const opts = () => ({ db, cipher: new KeyFileCipher(dir), keyStore: new FileSealedKeyStore(dir), allowPlainText: () => true });
    new Vault(opts()).set('a', 'secret-a');
    rmSync(join(dir, 'vault.key'));
    const vault = new Vault(opts());
    const err = (() => { try { vault.get('a'); } catch (e) { return e as AppError; } })();
    expect(err?.code).toBe('vault_key_missing');
    expect(err?.message).toContain(`The key file ${join(dir, 'vault.key')} is missing`);
    expect(err?.message).not.toMatch(/different system key/);
    // and no new key file is made behind the user's back
    expect(() => vault.set('b', 'x')).toThrow(expect.objectContaining({ code: 'vault_key_missing' }));
    expect(existsSync(join(dir, 'vault.key'))).toBe(false);
  });

  it('applies the storage policy: never without encryption, plain text only after opt-in', () => {
    expect(secretStoragePolicy({ cipher: new TestCipher({ available: false }), allowPlainText: true })).toEqual({ ok: false, reason: 'unavailable' });
    expect(secretStoragePolicy({ cipher: new TestCipher({ plainText: true }), allowPlainText: false })).toEqual({ ok: false, reason: 'plain_text_not_allowed' });
    expect(secretStoragePolicy({ cipher: new TestCipher({ plainText: true }), allowPlainText: true })).toEqual({ ok: true, plainText: true });
    expect(secretStoragePolicy({ cipher: new TestCipher(), allowPlainText: false })).toEqual({ ok: true, plainText: false });
    expect(() => assertCanStoreSecrets({ cipher: new TestCipher({ available: false }), allowPlainText: false })).toThrow(
      expect.objectContaining({ code: 'secret_storage_unavailable' }),
    );

    const db = open(tempDir());
    let optedIn = false;
    const cipher = new TestCipher({ plainText: true });
    const vault = new Vault({ db, cipher, keyStore: new MemorySealedKeyStore(), allowPlainText: () => optedIn });
    expect(vault.canStore()).toBe(false);
    expect(vault.status()).toEqual({ available: true, plainText: true, optedIn: false });
    expect(() => vault.set('a', 'x')).toThrow(expect.objectContaining({ code: 'secret_storage_unavailable' }));
    expect(db.prepare('select count(*) from vault_secrets').pluck().get()).toBe(0);
    optedIn = true;
    vault.set('a', 'x');
    expect(vault.get('a')).toBe('x');

    const none = new Vault({ db: open(tempDir()), cipher: new TestCipher({ available: false }), keyStore: new MemorySealedKeyStore(), allowPlainText: () => true });
    expect(() => none.set('a', 'x')).toThrow(expect.objectContaining({ code: 'secret_storage_unavailable' }));
  });

  it('KeyFileCipher keeps its key in a 0600 file, says it is plain text, and seals across instances', () => {
    const dir = tempDir();
    const c1 = new KeyFileCipher(dir);
    expect(c1.isAvailable()).toBe(true);
    expect(c1.isPlainText()).toBe(true);
    expect(() => c1.decrypt(Buffer.alloc(40))).toThrow();
    const sealed = c1.encrypt(Buffer.from('data-key-bytes'));
    expect(statSync(c1.file).mode & 0o777).toBe(0o600);
    expect(new KeyFileCipher(dir).decrypt(sealed).toString()).toBe('data-key-bytes');
    expect(() => new KeyFileCipher(tempDir()).decrypt(sealed)).toThrow();
  });

  for (const kind of ['test cipher', 'key file cipher'] as const) {
    it(`leaves no secret in clear in the SQLite file, its WAL or the key files (${kind})`, () => {
      const dir = tempDir();
      const db = open(dir);
      db.pragma('wal_autocheckpoint = 0'); // keep everything in the -wal file while we look
      const testCipher = new TestCipher();
      const cipher = kind === 'test cipher' ? testCipher : new KeyFileCipher(dir);
      const vault = new Vault({ db, cipher, keyStore: new FileSealedKeyStore(dir), allowPlainText: () => true });
      const secrets = Array.from({ length: 6 }, (_, i) => `known-secret-${i}-${randomBytes(12).toString('hex')}`);
      secrets.forEach((s, i) => vault.set(`connection:${i}:accessToken`, s));
      vault.set('connection:0:accessToken', secrets[0] + '-rotated');
      secrets.push(secrets[0] + '-rotated');
      expect(vault.get('connection:3:accessToken')).toBe(secrets[3]);
      expect(existsSync(join(dir, 'multibank.db-wal'))).toBe(true);
      expect(statSync(join(dir, 'multibank.db-wal')).size).toBeGreaterThan(0);
      const keys = kind === 'test cipher' ? testCipher.sealedPlaintexts : [];
      expect(findLeaks(dir, [...secrets, ...keys])).toEqual([]);
      // and after a checkpoint moved the pages into the main file
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      expect(findLeaks(dir, [...secrets, ...keys])).toEqual([]);
      // the search itself works: a plain insert of a secret is found
      const db2 = open(dir);
      db2.prepare('insert into vault_secrets (name, blob) values (?, ?)').run('plain', Buffer.from(secrets[1]));
      expect(findLeaks(dir, [secrets[1]]).length).toBeGreaterThan(0);
    });
  }
});
