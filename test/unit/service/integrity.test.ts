// The service over a damaged database, an unclean shutdown, file modes, a damaged preferences file and a lost vault key.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/log/index.js';
import { english } from '../../../main/domain/errors.js';
import { createJsonPrefsStore, createMemoryPrefsStore, createService, type MultibankService, type ServiceOptions } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher, Vault } from '../../../main/vault/index.js';
import { damageMiddle } from '../../helpers/damage.js';

const dirs: string[] = [];
const services: MultibankService[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-integrity-')); dirs.push(d); return d; };
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = new Date('2026-03-29T01:30:00.000Z');
async function open(dataDir: string, opts: Partial<ServiceOptions> = {}) {
  const s = await createService({
    dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
    background: false, logger: silentLogger, now: () => NOW, ...opts,
  });
  services.push(s);
  return s;
}
const close = async (s: MultibankService) => { await s.close(); services.splice(services.indexOf(s), 1); };
const mode = (f: string) => statSync(f).mode & 0o777;
/** rows a sync would have written, straight into the file (the service has no write that needs no aggregator) */
function addBank(dataDir: string, name: string, fillerKiB = 0) {
  const db = new Database(join(dataDir, 'multibank.db'));
  db.prepare("insert into connections (provider, institution_name, created_at) values ('powens', ?, '2026-01-01T00:00:00Z')").run(name);
  if (fillerKiB) db.exec(`create table if not exists filler (x); insert into filler select randomblob(1024) from (with recursive n(i) as (select 1 union all select i + 1 from n where i < ${fillerKiB}) select i from n);`);
  db.close();
}
const caught = async (p: Promise<unknown>) => { try { await p; } catch (e) { return e as { code: string; message: string }; } throw new Error('did not throw'); };

describe('database integrity in the service', () => {
  it('a damaged database: reported in app.info, every write refused, restored from a backup, writable again', async () => {
    const dir = tempDir();
    await close(await open(dir));
    addBank(dir, 'Kept Bank', 1024);
    const s1 = await open(dir);
    const backup = await s1.call('backup.create', undefined);
    await close(s1);
    damageMiddle(join(dir, 'multibank.db'));
    const before = readFileSync(join(dir, 'multibank.db'));

    const s = await open(dir);
    const info = await s.call('app.info', undefined);
    expect(info.database).toMatchObject({ ok: false, check: 'quick' });
    expect(info.database!.problems.length).toBeGreaterThan(0);
    for (const [channel, req] of [['sync.run', {}], ['transactions.update', { id: 1, note: 'x' }], ['backup.create', undefined], ['vault.reset', undefined]] as const) {
      const e = await caught(s.call(channel as 'sync.run', req as never));
      expect(e, channel).toMatchObject({ code: 'database_damaged', message: expect.stringMatching(/damaged.*will not write/) });
    }
    expect((await s.call('backup.list', undefined)).map((b) => b.name)).toContain(backup.name);
    expect(readFileSync(join(dir, 'multibank.db')).equals(before)).toBe(true);

    const changed: unknown[] = [];
    s.on('connections.changed', (p) => changed.push(p));
    const r = await s.call('backup.restore', { name: backup.name });
    expect(r.restored.name).toBe(backup.name);
    expect(readFileSync(join(r.keptAside, 'multibank.db')).equals(before)).toBe(true);
    expect(changed).toEqual([{ connectionId: null }]);
    expect((await s.call('app.info', undefined)).database).toEqual({ ok: true, check: 'quick', problems: [] });
    expect((await s.call('connections.list', undefined)).map((c) => c.institutionName)).toEqual(['Kept Bank']);
    expect(await s.call('sync.run', {})).toEqual({ started: [1] });
    await s.idle();
    expect(await s.call('db.check', undefined)).toEqual({ ok: true, check: 'full', problems: [] });
  });

  it('the daily backup: one copy when start-up and the hourly check meet, and closing waits for a copy under way', async () => {
    const dir = tempDir();
    await close(await open(dir)); // created now: nothing to back up yet
    let clock = NOW;
    const s = await open(dir, { now: () => clock }); // an existing database: today's copy is made at start-up
    expect(readdirSync(join(dir, 'backups'))).toHaveLength(1);
    clock = new Date(NOW.getTime() + 86_400_000);
    const both = Promise.all([s.backUpIfDue(), s.backUpIfDue()]);
    await close(s);
    // when close() is done the copy is finished: two daily copies, no partial file
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual([
      'multibank-2026-03-29T01-30-00-000Z-daily.db', 'multibank-2026-03-30T01-30-00-000Z-daily.db']);
    const [a, b] = await both;
    expect(a).toMatchObject({ kind: 'daily', createdAt: clock.toISOString() });
    expect(b).toEqual(a);
  });

  it('a file that is not a database at all: refuses to start, names the backups folder, changes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'multibank.db'), Buffer.alloc(8192, 0x5a));
    const e = await caught(open(dir));
    expect(e).toMatchObject({ code: 'database_damaged' });
    expect(e.message).toBe(`The database file ${join(dir, 'multibank.db')} cannot be read at all; nothing was changed. Your backups are in ${join(dir, 'backups')}: restore one with \`multibank backup restore <name>\`.`);
    expect(readFileSync(join(dir, 'multibank.db')).equals(Buffer.alloc(8192, 0x5a))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.open-'))).toEqual([]);
  });

  it('refuses to restore what is not a backup, or a damaged backup', async () => {
    const dir = tempDir();
    await close(await open(dir));
    addBank(dir, 'Bank', 1024);
    const s = await open(dir);
    expect(await caught(s.call('backup.restore', { name: 'multibank-2026-01-01T00-00-00-000Z-manual.db' }))).toMatchObject({ code: 'not_found' });
    const b = await s.call('backup.create', undefined);
    damageMiddle(join(dir, 'backups', b.name));
    expect(await caught(s.call('backup.restore', { name: b.name }))).toMatchObject({ code: 'database_damaged', message: expect.stringContaining('choose an older one') });
    expect((await s.call('connections.list', undefined)).map((c) => c.institutionName)).toEqual(['Bank']);
  });

  it('runs the full integrity check after an unclean shutdown, the quick one otherwise', async () => {
    const dir = tempDir();
    await close(await open(dir));
    const clean = await open(dir);
    expect((await clean.call('app.info', undefined)).database?.check).toBe('quick');
    await close(clean);
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(dir, `multibank.db.open-${gone}`), '');
    expect((await (await open(dir)).call('app.info', undefined)).database?.check).toBe('full');
  });

  it('makes the database, WAL and SHM 0600 and the data dir 0700, an existing one too', async () => {
    const dir = join(tempDir(), 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const s = await open(dir);
    await s.call('prefs.set', { theme: 'dark' });
    expect(mode(dir)).toBe(0o700);
    const files = readdirSync(dir).filter((f) => f.startsWith('multibank.db') && !f.includes('.open-'));
    expect(files.sort()).toEqual(['multibank.db', 'multibank.db-shm', 'multibank.db-wal']);
    for (const f of files) expect(mode(join(dir, f)), f).toBe(0o600);
    const backup = await s.call('backup.create', undefined);
    expect(mode(join(dir, 'backups'))).toBe(0o700);
    expect(mode(join(dir, 'backups', backup.name))).toBe(0o600);
    await close(s);
    // an existing database file left 0644 by an older version
    chmodSync(join(dir, 'multibank.db'), 0o644);
    writeFileSync(join(dir, 'multibank.log'), 'an older log line\n', { mode: 0o644 });
    chmodSync(join(dir, 'multibank.log'), 0o644);
    chmodSync(dir, 0o755);
    await open(dir);
    for (const f of ['multibank.db', 'multibank.log']) expect(mode(join(dir, f)), f).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
  });
});

describe('a damaged preferences file', () => {
  it('is kept aside with a timestamp, the defaults are used, and the user is told', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'prefs.json'), '{"theme": "dark", "syncEveryH');
    const s = await open(dir, { prefs: createJsonPrefsStore(join(dir, 'prefs.json'), () => NOW) });
    const aside = join(dir, 'prefs.broken-2026-03-29T01-30-00-000Z.json');
    expect(readFileSync(aside, 'utf8')).toBe('{"theme": "dark", "syncEveryH');
    expect(existsSync(join(dir, 'prefs.json'))).toBe(false);
    const info = await s.call('app.info', undefined);
    expect(info.notices).toEqual([{ id: 'prefs.damaged', values: { file: aside } }]);
    expect(await s.call('prefs.get', undefined)).toMatchObject({ theme: 'system' });
    await s.call('prefs.set', { theme: 'light' });
    expect(JSON.parse(readFileSync(join(dir, 'prefs.json'), 'utf8'))).toMatchObject({ theme: 'light' });
    expect(readFileSync(aside, 'utf8')).toBe('{"theme": "dark", "syncEveryH');
  });
});

describe('a lost vault key', () => {
  it('is reported, never replaced; resetting on request keeps connections and history and asks for a new sign-in', async () => {
    const dir = tempDir();
    const cipher = new TestCipher();
    const first = await open(dir, { cipher, keyStore: new MemorySealedKeyStore() });
    await close(first);
    addBank(dir, 'Token Bank');
    // a token saved under the first key
    const keyStore = new MemorySealedKeyStore();
    const withKey = await open(dir, { cipher, keyStore });
    await close(withKey);
    const raw = new Database(join(dir, 'multibank.db'));
    new Vault({ db: raw, cipher, keyStore }).set('connection:1:accessToken', 'tok-secret-1');
    new Vault({ db: raw, cipher, keyStore }).set('provider:powens:clientSecret', 'client-secret-1');
    raw.prepare("insert into provider_configs (provider, base_url, client_id, updated_at) values ('powens', 'https://aggregator.example', 'me', '2026-01-01T00:00:00Z')").run();
    raw.close();

    const s = await open(dir, { cipher, keyStore: new MemorySealedKeyStore() });
    expect(english((await s.call('app.info', undefined)).vaultLocked!)).toMatch(/key that unlocks your saved secrets is missing/);
    await s.call('vault.reset', undefined);
    expect((await s.call('app.info', undefined)).vaultLocked).toBeNull();
    // the aggregator asks for its secret again, the connection for a new sign-in
    expect((await s.call('providers.list', undefined)).find((p) => p.id === 'powens')).toMatchObject({ configured: false, clientId: 'me' });
    const [conn] = await s.call('connections.list', undefined);
    expect(conn).toMatchObject({ institutionName: 'Token Bank', state: 'needs_user', message: 'Saved secrets were reset: sign in again to keep syncing.' });
  });
});
