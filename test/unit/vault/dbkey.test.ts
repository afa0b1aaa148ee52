// The database key under a passphrase: scrypt, the wrapped key as verifier, the persisted count of wrong tries, and
// a passphrase change that keeps every row readable. Real files in temp dirs.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/store/db.js';
import { changePassphrase, createPassphraseKey, DatabaseKeyCipher, FREE_TRIES, KEY_FILE, SCRYPT_DEFAULT, unlockWithPassphrase } from '../../../main/vault/dbkey.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-dbkey-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** cheaper than the default so the many unlocks below stay quick; the stored parameters are what unlock uses */
const FAST = { N: 2 ** 12, r: 8, p: 1 };
const T0 = new Date('2026-11-20T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code);

describe('database key under a passphrase', () => {
  it('stores scrypt parameters and salt, never the passphrase or the key, in an owner-only file', async () => {
    const dir = tempDir();
    const key = await createPassphraseKey(dir, 'correct horse battery', SCRYPT_DEFAULT);
    const text = readFileSync(join(dir, KEY_FILE), 'utf8');
    const file = JSON.parse(text) as { kdf: { N: number; r: number; p: number; salt: string } };
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
    expect(Buffer.from(file.kdf.salt, 'base64')).toHaveLength(16);
    expect(text).not.toContain('correct horse');
    expect(text).not.toContain(key.toString('hex'));
    expect(text).not.toContain(key.toString('base64'));
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect((await unlockWithPassphrase(dir, 'correct horse battery', T0)).equals(key)).toBe(true);
  });

  it('refuses a wrong passphrase with nothing changed but the count, and slows down after five', async () => {
    const dir = tempDir();
    const key = await createPassphraseKey(dir, 'right passphrase', FAST);
    const wrappedBefore = (JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as { wrapped: string }).wrapped;
    for (let i = 0; i < FREE_TRIES; i++) expect(await code(unlockWithPassphrase(dir, 'wrong one', at(i)))).toBe('wrong_passphrase');
    // the count is in the file: a "restart" (every call reads it afresh) does not reset it, and even the right
    // passphrase waits until the 30 s are over
    expect(await code(unlockWithPassphrase(dir, 'right passphrase', at(FREE_TRIES)))).toBe('too_many_tries');
    expect(await code(unlockWithPassphrase(dir, 'wrong one', at(29_000)))).toBe('too_many_tries');
    expect(await code(unlockWithPassphrase(dir, 'wrong one', at(4 + 30_000)))).toBe('wrong_passphrase');
    // the 6th wrong try doubles the wait to 60 s
    expect(await code(unlockWithPassphrase(dir, 'right passphrase', at(4 + 30_000 + 59_000)))).toBe('too_many_tries');
    const after = JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as { wrapped: string; failures: number };
    expect(after).toMatchObject({ wrapped: wrappedBefore, failures: FREE_TRIES + 1 });
    expect((await unlockWithPassphrase(dir, 'right passphrase', at(4 + 30_000 + 60_000))).equals(key)).toBe(true);
    expect((JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as { failures: number }).failures).toBe(0);
  });

  it('a damaged key file is refused in plain words', async () => {
    const dir = tempDir();
    await createPassphraseKey(dir, 'right passphrase', FAST);
    const file = join(dir, KEY_FILE);
    writeFileSync(file, '{"version":1');
    await expect(unlockWithPassphrase(dir, 'right passphrase', T0)).rejects.toMatchObject({ code: 'database_key_damaged', message: expect.stringContaining(file) });
  });

  it('changing the passphrase keeps the encrypted database and its rows; the old passphrase stops working', async () => {
    const dir = tempDir();
    const key = await createPassphraseKey(dir, 'first passphrase', FAST);
    const dbFile = join(dir, 'multibank.db');
    const db = openDatabase(dbFile, key);
    db.prepare("INSERT INTO app_meta (key, value) VALUES ('probe', 'still here')").run();
    db.close();
    expect(await code(changePassphrase(dir, 'not the first', 'second passphrase', T0, FAST))).toBe('wrong_passphrase');
    await changePassphrase(dir, 'first passphrase', 'second passphrase', T0, FAST);
    expect(await code(unlockWithPassphrase(dir, 'first passphrase', T0))).toBe('wrong_passphrase');
    const again = openDatabase(dbFile, await unlockWithPassphrase(dir, 'second passphrase', T0));
    expect(again.prepare("SELECT value FROM app_meta WHERE key = 'probe'").pluck().get()).toBe('still here');
    again.close();
    expect(await code(changePassphrase(dir, 'second passphrase', 'short', T0, FAST))).toBe('validation');
  });

  it('the vault seal derived from the database key opens only under that key', () => {
    const a = new DatabaseKeyCipher(Buffer.alloc(32, 1));
    const sealed = a.encrypt(Buffer.from('vault data key'));
    expect(new DatabaseKeyCipher(Buffer.alloc(32, 1)).decrypt(sealed).toString()).toBe('vault data key');
    expect(() => new DatabaseKeyCipher(Buffer.alloc(32, 2)).decrypt(sealed)).toThrow();
    expect(a.isPlainText()).toBe(false);
  });
});
