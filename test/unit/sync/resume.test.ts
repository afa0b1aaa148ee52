import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/store/db.js';
import { createSyncEngine } from '../../../main/sync/engine.js';
import { bankSet, cleanupDirs, ctxFor, freshDb, ScriptedProvider, tempDir } from './scripted.js';

afterEach(cleanupDirs);
const TODAY = '2026-11-20';
const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../../..');

function bank() {
  const p = new ScriptedProvider({ pageSize: 25 });
  p.accounts = [
    { remoteId: 'A1', name: 'One', type: 'current', currency: 'EUR', iban: 'DE001' },
    { remoteId: 'A2', name: 'Two', type: 'current', currency: 'EUR', iban: 'DE002' },
  ];
  return p;
}
const exactSet = (db: ReturnType<typeof openDatabase>) =>
  db.prepare("select a.remote_id || '/' || t.remote_id || '/' || t.amount || '/' || t.status from transactions t join accounts a on a.id = t.account_id where t.retired_at is null order by 1").pluck().all();
const expectedSet = (n: number) => ['A1', 'A2'].flatMap((a) => bankSet(a, n, TODAY).map((t) => `${a}/${t.remoteId}/${t.amount}/${t.status}`)).sort();

describe('resumable first sync', () => {
  it('stops after k chunks, restarts in a new engine and finishes with exactly the bank set, fetching no committed chunk again', async () => {
    const { db, file, connectionId } = freshDb();
    const p = bank();
    p.set('A1', bankSet('A1', 300, TODAY));
    p.set('A2', bankSet('A2', 300, TODAY));
    let pages = 0;
    const e1 = createSyncEngine({ db, now: () => new Date(`${TODAY}T12:00:00Z`), chunkDays: 30, resolve: (id) => ({ provider: p, ctx: ctxFor(id) }),
      onPageCommitted: () => { if (++pages === 9) e1.cancel(); } });
    expect((await e1.sync(connectionId)).outcome).toBe('cancelled');
    const partial = db.prepare('select count(*) from transactions').pluck().get() as number;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(600);
    const cursorBefore = db.prepare('select committed_through, first_sync_done, resume_json from sync_cursors where account_id = 1').get() as { committed_through: string; first_sync_done: number; resume_json: string };
    expect(cursorBefore.first_sync_done).toBe(0);
    db.close();
    // "restart": a new database handle and engine
    const db2 = openDatabase(file);
    p.calls = [];
    const e2 = createSyncEngine({ db: db2, now: () => new Date(`${TODAY}T12:00:00Z`), chunkDays: 30, resolve: (id) => ({ provider: p, ctx: ctxFor(id) }) });
    const r = await e2.sync(connectionId);
    expect(r.outcome).toBe('ok');
    expect(exactSet(db2)).toEqual(expectedSet(300));
    const froms = p.calls.filter((c) => c.method === 'fetchTransactions' && c.args[0] === 'A1').map((c) => c.args[1] as string);
    expect(Math.min(...froms.map((f) => Date.parse(f)))).toBeGreaterThan(Date.parse(cursorBefore.committed_through ?? '2000-01-01') - 1);
    expect(db2.prepare('select count(*) from sync_cursors where first_sync_done = 1').pluck().get()).toBe(2);
    db2.close();
  });
});

function runChild(file: string, size: number, killAfterPages: number | null): Promise<{ killed: boolean; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures/sync-child.ts'), file, String(size), TODAY], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const n = (out.match(/^page /gm) ?? []).length;
      if (killAfterPages !== null && !killed && n >= killAfterPages) { killed = true; child.kill('SIGKILL'); }
    });
    child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ killed: signal === 'SIGKILL', out });
      else reject(new Error(`child exited ${code}: ${err}`));
    });
  });
}

describe('kill -9 during sync', () => {
  it('leaves a consistent database each time, and the next sync ends with exactly the bank set', async () => {
    const file = join(tempDir(), 'kill.db');
    freshDb(file).db.close();
    const SIZE = 400;
    let seed = 11;
    const rnd = () => { seed = (seed * 48271) % 2147483647; return seed / 2147483647; };
    let kills = 0;
    let lastCount = 0;
    for (let round = 0; round < 4; round++) {
      const r = await runChild(file, SIZE, 1 + Math.floor(rnd() * 6));
      if (r.killed) kills++;
      const db = openDatabase(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('select count(*) from (select account_id, remote_id from transactions group by 1, 2 having count(*) > 1)').pluck().get()).toBe(0);
      // FTS in step with the table
      expect(db.prepare("select count(*) from transactions_fts where transactions_fts match 'purchase'").pluck().get()).toBe(db.prepare('select count(*) from transactions').pluck().get());
      const count = db.prepare('select count(*) from transactions').pluck().get() as number;
      expect(count).toBeGreaterThanOrEqual(lastCount); // no committed row lost
      lastCount = count;
      db.close();
    }
    expect(kills).toBeGreaterThan(0);
    const final = await runChild(file, SIZE, null);
    expect(final.out).toMatch(/done ok/);
    const db = openDatabase(file);
    // the killed runs are in the log as interrupted, not running forever
    expect(db.prepare("select count(*) from sync_runs where outcome = 'running'").pluck().get()).toBe(0);
    expect(db.prepare("select count(*) from sync_runs where outcome = 'interrupted'").pluck().get()).toBe(kills);
    expect(exactSet(db)).toEqual(expectedSet(SIZE));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  }, 120_000);
});
