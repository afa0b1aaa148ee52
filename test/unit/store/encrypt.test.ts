// Converting a plain data dir to the encrypted format: a child process is killed at every step of the conversion
// (and a plain WAL and backup are part of it); the next start finishes the job with every row there and no plain
// file left. Real SQLite files in temp dirs, real child processes (each with a timeout).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPlainDatabase, openDatabase, openDatabaseFile } from '../../../main/store/db.js';
import type { ConversionStep } from '../../../main/store/encrypt.js';

const root = join(import.meta.dirname, '..', '..', '..');
const child = join(import.meta.dirname, 'fixtures', 'encrypt-child.ts');
const KEY = Buffer.alloc(32, 0x5a);
const ROWS = 2000;
let base: string;
let seeded: string;

function run(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', child, ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
}
function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? allFiles(join(dir, n)) : [join(dir, n)]));
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mb-encrypt-'));
  seeded = join(base, 'seeded');
  const seed = run(['seed', seeded, String(ROWS)]);
  expect(seed.signal, seed.stderr).toBe('SIGKILL');
  expect(existsSync(join(seeded, 'multibank.db-wal'))).toBe(true);
}, 90_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

const STEPS: Array<[ConversionStep, number]> = [['merged', 1], ['copied', 1], ['encrypted', 1], ['backed-up', 1], ['replaced', 1], ['merged', 2], ['encrypted', 2]];

describe('encrypting a plain data dir in place', () => {
  it.each(STEPS)('killed at "%s" (#%i): the next start finishes, nothing is lost, nothing plain is left', (step, nth) => {
    const dir = join(base, `${step}-${nth}`);
    cpSync(seeded, dir, { recursive: true });
    const killed = run(['convert', dir, KEY.toString('hex'), step, String(nth)]);
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    // whatever the kill left, the database is whole: plain with every row, or encrypted with every row
    const file = join(dir, 'multibank.db');
    const after = isPlainDatabase(file) ? openDatabase(file) : openDatabase(file, KEY);
    expect(after.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(ROWS);
    after.close();

    const again = run(['convert', dir, KEY.toString('hex')]);
    expect(again.status, again.stderr).toBe(0);
    const db = openDatabase(file, KEY);
    expect(db.prepare('SELECT count(*) FROM transactions').pluck().get()).toBe(ROWS);
    expect(db.prepare("SELECT count(*) FROM transactions_fts WHERE transactions_fts MATCH 'sonnenschein'").pluck().get()).toBe(ROWS);
    db.close();
    for (const f of allFiles(dir)) {
      expect(relative(dir, f)).not.toMatch(/\.(encrypting|partial)/);
      const bytes = readFileSync(f);
      for (const clear of ['Sonnenschein', 'DE89370400440532013000', 'Girokonto Kill', 'Rechnung']) expect(bytes.includes(clear), `${relative(dir, f)} holds ${clear}`).toBe(false);
    }
    // the backups open under the key: the old daily one, and the one made before the conversion
    const backups = readdirSync(join(dir, 'backups'));
    expect(backups.some((b) => b.endsWith('-pre-migration.db'))).toBe(true);
    for (const b of backups) {
      const copy = openDatabaseFile(join(dir, 'backups', b), KEY);
      expect(copy.prepare('SELECT count(*) FROM transactions').pluck().get()).toBeGreaterThanOrEqual(ROWS / 2);
      copy.close();
    }
  }, 120_000);

  it('files are owner-only, in a data dir that already existed with wider modes', () => {
    const dir = join(base, 'modes');
    cpSync(seeded, dir, { recursive: true });
    for (const f of allFiles(dir)) chmodSync(f, 0o644);
    const done = run(['convert', dir, KEY.toString('hex')]);
    expect(done.status, done.stderr).toBe(0);
    for (const f of allFiles(dir)) if (/\.db$/.test(f)) expect(statSync(f).mode & 0o777, f).toBe(0o600);
  }, 60_000);
});
