import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, migrate, openDatabase, schemaVersion } from '../../../main/store/db.js';
import { MIGRATIONS } from '../../../main/store/migrations.js';

const dirs: string[] = [];
const tempFile = () => { const d = mkdtempSync(join(tmpdir(), 'mb-db-')); dirs.push(d); return join(d, 'multibank.db'); };
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('openDatabase', () => {
  it('creates the schema with WAL and foreign keys', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const tables = db.prepare("select name from sqlite_master where type='table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['connections', 'accounts', 'transactions', 'balances', 'sync_runs', 'provider_configs', 'transactions_fts']));
    db.close();
  });

  it('keeps the FTS index in step with the transactions table', () => {
    const db = openDatabase(tempFile());
    const now = new Date().toISOString();
    db.prepare("insert into connections (provider, institution_name, created_at) values ('powens', 'Bank', ?)").run(now);
    db.prepare("insert into accounts (connection_id, remote_id, name, type, currency, created_at, updated_at) values (1, 'a', 'A', 'current', 'EUR', ?, ?)").run(now, now);
    const ins = db.prepare("insert into transactions (account_id, remote_id, booking_date, amount, currency, status, description, counterparty_name, first_seen_at, last_seen_at) values (1, ?, '2026-01-01', -100, 'EUR', 'booked', ?, ?, ?, ?)");
    ins.run('t1', 'Café Müller card payment', 'Müller GmbH', now, now);
    ins.run('t2', 'Rent November', 'Landlord', now, now);
    // the FTS rowid encodes (date, id) (migration 7); its low 32 bits are 2^32 - 1 - the transaction id
    const search = (q: string) => db.prepare('select 4294967295 - (rowid & 4294967295) from transactions_fts where transactions_fts match ?').pluck().all(q);
    expect(search('cafe')).toEqual([1]);
    db.prepare("update transactions set description = 'Coffee' where id = 1").run();
    expect(search('cafe')).toEqual([]);
    db.prepare('delete from transactions where id = 2').run();
    expect(search('rent')).toEqual([]);
    db.close();
  });

  it('refuses a database written by a newer version and leaves it untouched', () => {
    const file = tempFile();
    const db = openDatabase(file);
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer|Update Multibank/);
  });

  it('rolls back a failing migration as a whole', () => {
    const db = openDatabase(tempFile());
    const v = schemaVersion(db);
    expect(() => migrate(db, [...MIGRATIONS, 'create table ok_table (x); create table broken ((;'])).toThrow();
    expect(schemaVersion(db)).toBe(v);
    expect(db.prepare("select count(*) from sqlite_master where name='ok_table'").pluck().get()).toBe(0);
    db.close();
  });
});
