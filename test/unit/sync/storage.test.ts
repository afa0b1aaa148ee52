// The sync engine when the database cannot take its writes (a full disk, a read-only file), and the sync lease:
// taken over from a dead or expired owner, and a 'running' run without a live owner closed as interrupted.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { createSyncEngine } from '../../../main/sync/engine.js';
import type { Db } from '../../../main/store/db.js';
import { ScriptedProvider, cleanupDirs, ctxFor, day, freshDb, tx } from './scripted.js';

afterEach(cleanupDirs);

const TODAY = '2026-11-20';
const now = () => new Date(`${TODAY}T10:00:00.000Z`);
const engineFor = (db: Db, provider: ScriptedProvider, extra: Partial<Parameters<typeof createSyncEngine>[0]> = {}) =>
  createSyncEngine({ db, now, chunkDays: 30, resolve: (id) => ({ provider, ctx: ctxFor(id) }), ...extra });
const bank = (n: number) => Array.from({ length: n }, (_, i) => tx(`t${i}`, day(TODAY, -(i % 360)), -(i + 1), { description: `Card payment ${i} `.padEnd(400, 'x') }));
const runs = (db: Db) => db.prepare('select id, outcome, error_code from sync_runs order by id').all();

/** the pid of a process that has exited */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('sync engine on a database that cannot take the writes', () => {
  it('a full disk half-way: the run ends as disk_full (never left running), committed pages stay, the next sync completes', async () => {
    const { db, connectionId } = freshDb();
    const provider = new ScriptedProvider({ pageSize: 100 });
    provider.set('A1', bank(1200));
    const engine = engineFor(db, provider, {
      // after the third committed page the database may not grow: SQLITE_FULL on a later page
      onPageCommitted: ({ pages }) => { if (pages === 3) db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`); },
    });
    const r = await engine.sync(connectionId);
    expect(r).toMatchObject({ outcome: 'error', runId: 1, error: { code: 'disk_full', message: 'Multibank could not write to its database because the disk is full. Nothing was lost.' } });
    expect(runs(db)).toEqual([{ id: 1, outcome: 'error', error_code: 'disk_full' }]);
    expect(db.prepare('select last_error_code from connections').pluck().get()).toBe('disk_full');
    expect(db.prepare('select count(*) from sync_leases').pluck().get()).toBe(0);
    const kept = db.prepare('select count(*) from transactions').pluck().get() as number;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(1200);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    db.pragma('max_page_count = 1073741823');
    expect((await engineFor(db, provider).sync(connectionId)).outcome).toBe('ok');
    expect(db.prepare('select count(*) from transactions').pluck().get()).toBe(1200);
  });

  it('a read-only database: an error result saying so, no exception, nothing written', async () => {
    const { db, file, connectionId } = freshDb();
    db.close();
    const ro = new Database(file, { readonly: true });
    try {
      const provider = new ScriptedProvider();
      provider.set('A1', bank(10));
      const r = await engineFor(ro, provider).sync(connectionId);
      expect(r).toMatchObject({ outcome: 'error', runId: null, error: { code: 'database_read_only', message: expect.stringMatching(/^Multibank could not write to its database because the file or its folder is read-only/) } });
      expect(provider.calls).toEqual([]);
      expect(runs(ro)).toEqual([]);
    } finally {
      ro.close();
    }
  });
});

describe('sync lease', () => {
  const plant = (db: Db, o: { pid: number; expiresAt: string; runId: number | null; host?: string }) =>
    db.prepare(`INSERT INTO sync_leases (connection_id, owner, pid, host, run_id, expires_at) VALUES (1, 'someone-else', ?, ?, ?, ?)`)
      .run(o.pid, o.host ?? hostname(), o.runId, o.expiresAt);
  const running = (db: Db) => Number(db.prepare(`INSERT INTO sync_runs (connection_id, trigger, user_present, started_at) VALUES (1, 'user', 1, ?)`)
    .run(`${TODAY}T09:00:00.000Z`).lastInsertRowid);

  it('on open, a run whose owner process is dead is closed as interrupted; a run whose owner lives stays running', async () => {
    const { db } = freshDb();
    const dead = running(db);
    plant(db, { pid: deadPid(), expiresAt: '9999-01-01T00:00:00.000Z', runId: dead });
    const noLease = running(db);
    engineFor(db, new ScriptedProvider());
    expect(runs(db)).toEqual([
      { id: dead, outcome: 'interrupted', error_code: 'internal' },
      { id: noLease, outcome: 'interrupted', error_code: 'internal' },
    ]);

    db.prepare('delete from sync_leases').run();
    const live = running(db);
    plant(db, { pid: process.pid, expiresAt: '9999-01-01T00:00:00.000Z', runId: live });
    engineFor(db, new ScriptedProvider());
    expect(runs(db).at(-1)).toEqual({ id: live, outcome: 'running', error_code: null });
  });

  it('a live owner keeps the connection; a dead or expired one is taken over', async () => {
    const { db, connectionId } = freshDb();
    const provider = new ScriptedProvider();
    provider.set('A1', [tx('t1', TODAY, -1)]);
    const engine = engineFor(db, provider);

    plant(db, { pid: process.pid, expiresAt: '9999-01-01T00:00:00.000Z', runId: null });
    expect(await engine.sync(connectionId)).toMatchObject({ outcome: 'skipped', runId: null, error: { code: 'already_syncing' } });
    // on another machine (a shared folder) only the expiry tells: still live
    db.prepare('update sync_leases set pid = ?, host = ?').run(deadPid(), 'another-host');
    expect((await engine.sync(connectionId)).error?.code).toBe('already_syncing');
    expect(provider.calls).toEqual([]);

    db.prepare('update sync_leases set host = ?').run(hostname()); // its process is gone
    expect((await engine.sync(connectionId)).outcome).toBe('ok');
    plant(db, { pid: process.pid, expiresAt: '2000-01-01T00:00:00.000Z', runId: null }); // expired
    expect((await engine.sync(connectionId)).outcome).toBe('ok');
    expect(db.prepare('select count(*) from sync_leases').pluck().get()).toBe(0);
  });

  it('is renewed while a run lasts', async () => {
    const { db, connectionId } = freshDb();
    const provider = new ScriptedProvider({ pageSize: 1 });
    provider.delayMs = 20;
    provider.set('A1', Array.from({ length: 12 }, (_, i) => tx(`t${i}`, TODAY, -1 - i)));
    const expiries = new Set<string>();
    const engine = engineFor(db, provider, {
      // every 1-row page its own write step, so the commits spread over the run
      lease: { ttlMs: 200 }, batchRows: 1,
      onPageCommitted: () => { expiries.add(db.prepare('select expires_at from sync_leases').pluck().get() as string); },
    });
    expect((await engine.sync(connectionId)).outcome).toBe('ok');
    expect(expiries.size).toBeGreaterThan(1);
  });
});
