// The CLI always encrypts: a new data dir is created under the passphrase (asked twice on a terminal); a plain one (an
// older version's) is converted in place on its first command (database, backups, the vault's key file); no passphrase
// and no terminal stops before anything is written; a wrong one changes nothing; `passphrase change` re-wraps the key;
// a database the app encrypted under the OS keyring is refused in plain words. Real runCli over real files.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSPHRASE_ENV, runCli } from '../../../main/cli/program.js';
import { createBackup } from '../../../main/store/backup.js';
import { isPlainDatabase, openDatabase } from '../../../main/store/db.js';
import { DatabaseKeyCipher, KEY_FILE, SCRYPT_DEFAULT, unlockWithPassphrase } from '../../../main/vault/dbkey.js';
import { FileSealedKeyStore, KeyFileCipher, Vault } from '../../../main/vault/index.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-cli-pass-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** answers: typed into a terminal, one per prompt (none: stdin is a pipe, not a terminal) */
async function cli(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}, answers?: string[]) {
  const stdout = new PassThrough(); const stderr = new PassThrough();
  const stdin = answers ? Object.assign(new PassThrough(), { isTTY: true }) : new PassThrough();
  let out = ''; let err = '';
  stdout.on('data', (d) => { out += d; });
  // every prompt ends with ": " (the input is hidden, so nothing else is echoed)
  stderr.on('data', (d) => { err += d; if (answers && String(d).endsWith(': ')) stdin.write(`${answers.shift() ?? ''}\n`); });
  const code = await runCli(['--data-dir', dataDir, ...args], { out: { stdout, stderr }, env, stdin });
  return { code, out, err };
}
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const SECRET = 'sk-live-client-secret-7781';

describe('multibank with a passphrase', () => {
  it('encrypts a plain data dir in place on the first run with a passphrase, and needs it from then on', async () => {
    const dir = tempDir();
    // a plain data dir as the CLI made it before: a configured aggregator (its secret sealed by vault.key), a backup
    const db = join(dir, 'multibank.db');
    const plain = openDatabase(db);
    await createBackup(plain, dir, 'manual', new Date('2026-11-20T10:00:00.000Z'));
    new Vault({ db: plain, cipher: new KeyFileCipher(dir), keyStore: new FileSealedKeyStore(dir), allowPlainText: () => true }).set('provider:powens:clientSecret', SECRET);
    plain.close();
    expect(isPlainDatabase(db)).toBe(true);
    expect(existsSync(join(dir, 'vault.key'))).toBe(true);

    const passFile = join(dir, '..', `${dir.split('/').pop()}.pass`);
    writeFileSync(passFile, 'a long enough passphrase\n');
    dirs.push(passFile);
    const first = await cli(dir, ['--passphrase-file', passFile, 'backup', 'list', '--json']);
    expect(first.code, first.err).toBe(0);
    expect(isPlainDatabase(db)).toBe(false);
    expect(existsSync(join(dir, 'vault.key'))).toBe(false);
    for (const f of readdirSync(join(dir, 'backups'))) expect(isPlainDatabase(join(dir, 'backups', f))).toBe(false);
    // the pre-conversion backup was made, encrypted
    expect((JSON.parse(first.out) as Array<{ kind: string }>).map((b) => b.kind)).toEqual(expect.arrayContaining(['manual', 'pre-migration']));
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    // the app writes the stated scrypt cost, never less (tests make cheaper key files only through test/helpers/dbkey.ts)
    expect((JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as { kdf: unknown }).kdf).toMatchObject({ name: 'scrypt', ...SCRYPT_DEFAULT });
    expect(SCRYPT_DEFAULT).toEqual({ N: 2 ** 17, r: 8, p: 1 });

    // the secret survived, now sealed under the database key
    const key = await unlockWithPassphrase(dir, 'a long enough passphrase');
    const opened = openDatabase(db, key);
    const vault = new Vault({ db: opened, cipher: new DatabaseKeyCipher(key), keyStore: new FileSealedKeyStore(dir), allowPlainText: () => false });
    expect(vault.get('provider:powens:clientSecret')).toContain(SECRET);
    opened.close();

    const none = await cli(dir, ['accounts', 'list']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/kept encrypted under a passphrase, and none was given.*MULTIBANK_PASSPHRASE.*\[passphrase_required\]/);
    const before = sha(db);
    const wrong = await cli(dir, ['accounts', 'list'], { [PASSPHRASE_ENV]: 'not the passphrase' });
    expect(wrong.err).toMatch(/passphrase is wrong; nothing was changed.*\[wrong_passphrase\]/);
    expect(sha(db)).toBe(before);
    const right = await cli(dir, ['accounts', 'list', '--json'], { [PASSPHRASE_ENV]: 'a long enough passphrase' });
    expect(right.code, right.err).toBe(0);
  }, 60_000);

  it('`passphrase change` re-wraps the key: the new passphrase opens the same data, the old one does not', async () => {
    const dir = tempDir();
    const env = { [PASSPHRASE_ENV]: 'the first passphrase' };
    expect((await cli(dir, ['backup', 'create'], env)).code).toBe(0);
    const newFile = join(dir, 'new.pass');
    writeFileSync(newFile, 'the second passphrase\n');
    const changed = await cli(dir, ['passphrase', 'change', '--new-passphrase-file', newFile], env);
    expect(changed.code, changed.err).toBe(0);
    rmSync(newFile);
    expect((await cli(dir, ['backup', 'list'], env)).err).toMatch(/\[wrong_passphrase\]/);
    const listed = await cli(dir, ['backup', 'list', '--json'], { [PASSPHRASE_ENV]: 'the second passphrase' });
    expect(listed.code, listed.err).toBe(0);
    const manual = (JSON.parse(listed.out) as Array<{ name: string; kind: string }>).find((b) => b.kind === 'manual')!;
    expect(isPlainDatabase(join(dir, 'backups', manual.name))).toBe(false);
    // an encrypted backup passes its check and is restored under the same key
    const restored = await cli(dir, ['backup', 'restore', manual.name, '--yes'], { [PASSPHRASE_ENV]: 'the second passphrase' });
    expect(restored.code, restored.err).toBe(0);
    expect(isPlainDatabase(join(dir, 'multibank.db'))).toBe(false);
    expect((await cli(dir, ['check'], { [PASSPHRASE_ENV]: 'the second passphrase' })).out).toBe('The database passed its full integrity check.\n');
  }, 60_000);

  it('a new data dir: with no passphrase and no terminal nothing is written; on a terminal it is chosen, typed twice', async () => {
    const dir = join(tempDir(), 'new');
    const none = await cli(dir, ['accounts', 'list']);
    expect(none.code).toBe(2);
    expect(none.err).toBe(`multibank: The data in ${dir} is kept encrypted under a passphrase, and none was given (there is no terminal to ask on). Nothing was changed. `
      + 'Give it with --passphrase-file or the MULTIBANK_PASSPHRASE environment variable; a new data folder takes it as its passphrase. [passphrase_required]\n');
    expect(existsSync(dir)).toBe(false);

    const differ = await cli(dir, ['accounts', 'list'], {}, ['a long enough passphrase', 'a long enough passphrasf']);
    expect(differ.code).toBe(2);
    expect(differ.err).toContain('The two passphrases differ. Nothing was changed.');
    expect(existsSync(dir)).toBe(false);

    const chosen = await cli(dir, ['accounts', 'list', '--json'], {}, ['a long enough passphrase', 'a long enough passphrase']);
    expect(chosen.code, chosen.err).toBe(0);
    expect(chosen.err).toContain(`Choose a passphrase for the data in ${dir}`);
    expect(chosen.err).toContain('Type the same passphrase again: ');
    expect(chosen.err).not.toContain('a long enough');
    expect(isPlainDatabase(join(dir, 'multibank.db'))).toBe(false);
    expect((JSON.parse(readFileSync(join(dir, KEY_FILE), 'utf8')) as { kdf: unknown }).kdf).toMatchObject(SCRYPT_DEFAULT);
    // from now on it is asked once
    const again = await cli(dir, ['accounts', 'list', '--json'], {}, ['a long enough passphrase']);
    expect(again.code, again.err).toBe(0);
    expect(again.err).toContain('Passphrase (input hidden): ');
    expect(again.err).not.toContain('Choose');
  }, 60_000);

  it("refuses a data dir the app encrypted under the OS keyring, and writes no key file into it", async () => {
    const dir = tempDir();
    // the app's database: encrypted under a key sealed by safeStorage (kept in the app's own preferences, not here)
    openDatabase(join(dir, 'multibank.db'), Buffer.alloc(32, 7)).close();
    for (const env of [{}, { [PASSPHRASE_ENV]: 'a long enough passphrase' }]) {
      const r = await cli(dir, ['accounts', 'list'], env);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/encrypted under a key the Multibank app keeps in the system's keyring; the command line cannot open it.*\[validation\]/);
      expect(existsSync(join(dir, KEY_FILE))).toBe(false);
    }
  }, 60_000);
});
