// The CLI with a passphrase: the first command run with one converts a plain data dir (database, backups, the
// vault's key file) in place; later commands need the passphrase; a wrong one changes nothing; `passphrase change`
// re-wraps the key. Real runCli over real files (openLocalService), no aggregator needed.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSPHRASE_ENV, runCli } from '../../../main/cli/program.js';
import { isPlainDatabase, openDatabase } from '../../../main/store/db.js';
import { DatabaseKeyCipher, KEY_FILE, unlockWithPassphrase } from '../../../main/vault/dbkey.js';
import { FileSealedKeyStore, KeyFileCipher, Vault } from '../../../main/vault/index.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-cli-pass-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

async function cli(dataDir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough(); const stderr = new PassThrough();
  let out = ''; let err = '';
  stdout.on('data', (d) => { out += d; }); stderr.on('data', (d) => { err += d; });
  const code = await runCli(['--data-dir', dataDir, ...args], { out: { stdout, stderr }, env, stdin: new PassThrough() });
  return { code, out, err };
}
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const SECRET = 'sk-live-client-secret-7781';

describe('multibank with a passphrase', () => {
  it('encrypts a plain data dir in place on the first run with a passphrase, and needs it from then on', async () => {
    const dir = tempDir();
    // a plain data dir as the CLI made it before: a configured aggregator (its secret sealed by vault.key), a backup
    expect((await cli(dir, ['backup', 'create'])).code).toBe(0);
    const db = join(dir, 'multibank.db');
    const plain = openDatabase(db);
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

    // the secret survived, now sealed under the database key
    const key = await unlockWithPassphrase(dir, 'a long enough passphrase');
    const opened = openDatabase(db, key);
    const vault = new Vault({ db: opened, cipher: new DatabaseKeyCipher(key), keyStore: new FileSealedKeyStore(dir), allowPlainText: () => false });
    expect(vault.get('provider:powens:clientSecret')).toContain(SECRET);
    opened.close();

    const none = await cli(dir, ['accounts', 'list']);
    expect(none.code).not.toBe(0);
    expect(none.err).toMatch(/encrypted and needs its passphrase.*\[passphrase_required\]/);
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
});
