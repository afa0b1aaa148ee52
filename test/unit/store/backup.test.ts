import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { backUpDailyIfDue, checkBackup, createBackup, KEEP_AUTOMATIC, listBackups, openCheckedDatabase } from '../../../main/store/backup.js';
import { markDatabaseInUse, migrate, openDatabase, openDatabaseFile, schemaVersion } from '../../../main/store/db.js';
import { MIGRATIONS } from '../../../main/store/migrations.js';
import { damageMiddle } from '../../helpers/damage.js';

const dirs: string[] = [];
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-backup-')); dirs.push(d); return d; };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

const T0 = new Date('2026-02-27T23:30:00.000Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const addConnection = (db: Database.Database, name: string) =>
  db.prepare("insert into connections (provider, institution_name, created_at) values ('powens', ?, '2026-01-01T00:00:00Z')").run(name);
const readBackup = (dir: string, name: string) => {
  const db = new Database(join(dir, 'backups', name), { readonly: true });
  try { return { version: schemaVersion(db), banks: db.prepare('select institution_name from connections').pluck().all() }; } finally { db.close(); }
};

describe('backups', () => {
  it('backs up before a migration, with the schema and data as they were', async () => {
    const dir = tempDir();
    const old = openDatabaseFile(join(dir, 'multibank.db'));
    migrate(old, MIGRATIONS.slice(0, -1));
    addConnection(old, 'Before the migration');
    old.close();

    const { db, health } = await openCheckedDatabase(dir, { unclean: false, now: T0 });
    expect(health).toEqual({ ok: true, check: 'quick', problems: [] });
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    db.close();
    const [backup, ...more] = listBackups(dir);
    expect(more).toEqual([]);
    expect(backup).toMatchObject({ kind: 'pre-migration', createdAt: T0.toISOString(), name: 'multibank-2026-02-27T23-30-00-000Z-pre-migration.db' });
    expect(readBackup(dir, backup.name)).toEqual({ version: MIGRATIONS.length - 1, banks: ['Before the migration'] });

    // up to date (or brand new): nothing to back up
    (await openCheckedDatabase(dir, { unclean: false, now: day(1) })).db.close();
    (await openCheckedDatabase(tempDir(), { unclean: false, now: day(1) })).db.close();
    expect(listBackups(dir)).toHaveLength(1);
  });

  it('makes one daily backup per UTC day and keeps the last 7; the user\'s own are never pruned', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'multibank.db'));
    addConnection(db, 'Bank');
    const manual = await createBackup(db, dir, 'manual', day(0));
    const again = await createBackup(db, dir, 'manual', day(0));
    expect(again.name).toBe(manual.name.replace('.db', '-2.db'));
    for (let n = 0; n < 10; n++) {
      expect(await backUpDailyIfDue(db, dir, day(n))).toMatchObject({ kind: 'daily', createdAt: day(n).toISOString() });
      expect(await backUpDailyIfDue(db, dir, new Date(day(n).getTime() + 20 * 60_000))).toBeNull(); // 23:50 the same day
    }
    db.close();
    const daily = listBackups(dir).filter((b) => b.kind === 'daily');
    expect(daily.map((b) => b.createdAt)).toEqual([9, 8, 7, 6, 5, 4, 3].map((n) => day(n).toISOString()));
    expect(daily).toHaveLength(KEEP_AUTOMATIC);
    expect(listBackups(dir).filter((b) => b.kind === 'manual').map((b) => b.name)).toEqual([again.name, manual.name]);
    // nothing but the backups themselves: no partial copies, no -wal/-shm files left by reading one
    expect(checkBackup(dir, manual.name).ok).toBe(true);
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(listBackups(dir).map((b) => b.name).sort());
  });

  it('copies in a worker thread: main keeps turning while the copy is made, and writes meanwhile do not spoil it', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'multibank.db'));
    addConnection(db, 'Copied');
    const pending = createBackup(db, dir, 'manual', day(0));
    // the copy is not made on main's stack: nothing is there yet when createBackup returns
    expect(readdirSync(join(dir, 'backups')).filter((f) => f.endsWith('.db'))).toEqual([]);
    let turned = false;
    setImmediate(() => { turned = true; });
    addConnection(db, 'Written during the copy');
    const made = await pending;
    expect(turned).toBe(true);
    const banks = readBackup(dir, made.name).banks;
    // one consistent snapshot: the first row always, the second only if its transaction was before the copy's read
    expect(banks[0]).toBe('Copied');
    expect(banks.length).toBeLessThanOrEqual(2);
    expect(checkBackup(dir, made.name).ok).toBe(true);
    db.close();
  });

  it('a copy that fails in the worker rejects with its error and leaves no partial file', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'multibank.db'));
    addConnection(db, 'Bank');
    unlinkSync(join(dir, 'multibank.db')); // the worker's own connection finds no database to read
    await expect(createBackup(db, dir, 'manual', day(0))).rejects.toMatchObject({ code: 'SQLITE_CANTOPEN' });
    expect(readdirSync(join(dir, 'backups'))).toEqual([]);
    db.close();
  });

  it('opens a damaged database query-only and does not migrate it', async () => {
    const dir = tempDir();
    const db = openDatabase(join(dir, 'multibank.db'));
    addConnection(db, 'Bank');
    db.exec(`create table filler (x); insert into filler select randomblob(1000) from (with recursive n(i) as (select 1 union all select i + 1 from n where i < 1000) select i from n);`);
    db.close();
    damageMiddle(join(dir, 'multibank.db'));
    const opened = await openCheckedDatabase(dir, { unclean: false, now: T0 });
    expect(opened.health.ok).toBe(false);
    expect(opened.health.problems.length).toBeGreaterThan(0);
    expect(() => addConnection(opened.db, 'More')).toThrow(/readonly/i);
    opened.db.close();
    expect(listBackups(dir)).toEqual([]);
  });

  it('tells an unclean shutdown (a marker of a process that is gone) from a clean one', () => {
    const dir = tempDir();
    const file = join(dir, 'multibank.db');
    const first = markDatabaseInUse(file);
    expect(first.unclean).toBe(false);
    first.release();
    expect(markDatabaseInUse(file).unclean).toBe(false); // our own marker: still in use by us, not a crash
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(`${file}.open-${gone}`, '');
    expect(markDatabaseInUse(file).unclean).toBe(true);
    expect(markDatabaseInUse(file).unclean).toBe(false); // the dead marker was cleared
  });
});
