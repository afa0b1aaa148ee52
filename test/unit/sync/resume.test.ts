import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/store/db.js';
import { createSyncEngine } from '../../../main/sync/engine.js';
import { bankSet, cleanupDirs, ctxFor, day, freshDb, ScriptedProvider, tempDir, tx } from './scripted.js';

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

describe('resume keeps genuine identical payments apart', () => {
  // Two coffees of 3.20 at the same shop on one day are two rows at the bank. A resumed sync no longer has the stopped
  // run's memory of the rows it wrote; it must still not take a row on a page after the cursor for a row written before it.
  const coffees = (from: number, n: number, date: string) => Array.from({ length: n }, (_, i) =>
    tx(`C-${String(from + i).padStart(4, '0')}`, date, -320 - ((from + i) % 7), { description: 'Card payment Cafe Mitte', counterpartyName: 'Cafe Mitte', raw: { n: from + i } }));
  const stopAfter = (pages: number) => {
    let n = 0;
    return (stop: () => void) => () => { if (++n === pages) stop(); };
  };
  const remoteIds = (db: ReturnType<typeof openDatabase>) =>
    db.prepare('select remote_id from transactions where retired_at is null and deleted_at is null order by 1').pluck().all();

  it('a later sync stopped after its first page and resumed ends with every one of 300 identical-looking payments', async () => {
    const { db, connectionId } = freshDb();
    const p = new ScriptedProvider({ pageSize: 50 });
    const history = bankSet('A1', 120, TODAY).filter((t) => t.status === 'booked');
    p.set('A1', history);
    let clock = Date.parse(`${TODAY}T08:00:00Z`);
    const now = () => new Date(clock);
    const resolve = (id: number) => ({ provider: p, ctx: ctxFor(id) });
    expect((await createSyncEngine({ db, now, resolve }).sync(connectionId)).outcome).toBe('ok');

    // 300 card payments at one café today: 7 distinct amounts, so every payment has dozens of identical twins
    const added = coffees(0, 300, TODAY);
    p.set('A1', [...history, ...added]);
    clock += 3_600_000;
    const stop = stopAfter(2);
    const e1 = createSyncEngine({ db, now, resolve, onPageCommitted: stop(() => e1.cancel()) });
    expect((await e1.sync(connectionId)).outcome).toBe('cancelled');
    expect(JSON.parse(db.prepare('select resume_json from sync_cursors').pluck().get() as string)).toMatchObject({ pageCursor: '100' });

    clock += 60_000;
    expect((await createSyncEngine({ db, now, resolve }).sync(connectionId)).outcome).toBe('ok');
    expect(remoteIds(db)).toEqual([...history, ...added].map((t) => t.remoteId).sort());
  });

  // each run's clock: moving on, or set back between the runs (the rows of every stopped run stay claimed)
  it.each([
    ['moving on', [0, 1, 2, 3]],
    ['set back', [0, -120, -60, -30]],
  ])('a first sync stopped at a page and at a chunk boundary keeps identical payments on both sides of the cut (clock %s)', async (_, minutes) => {
    const { db, connectionId } = freshDb();
    const p = new ScriptedProvider({ pageSize: 20 });
    // 30-day chunks from the oldest day served (today - 400): the 13th starts at today - 10; 12 empty chunks come first.
    // Identical payments on the last day of the 12th chunk and the first two days of the 13th.
    const edge = day(TODAY, -10);
    const all = [...coffees(0, 45, day(edge, -1)), ...coffees(45, 45, edge), ...coffees(90, 45, day(edge, 1))];
    p.set('A1', all);
    let clock = 0;
    const now = () => new Date(Date.parse(`${TODAY}T08:00:00Z`) + clock * 60_000);
    const resolve = (id: number) => ({ provider: p, ctx: ctxFor(id) });
    // stop in the 12th chunk after 2 of its 3 pages, then when it completes, then after 2 pages of the 13th
    for (const [run, pages] of [12 + 2, 1, 2].entries()) {
      clock = minutes[run];
      const stop = stopAfter(pages);
      // (batchRows 1: every 20-row page is written alone, so a stop can fall after any page)
      const e = createSyncEngine({ db, now, resolve, chunkDays: 30, batchRows: 1, onPageCommitted: stop(() => e.cancel()) });
      expect((await e.sync(connectionId)).outcome).toBe('cancelled');
    }
    clock = minutes[3];
    expect((await createSyncEngine({ db, now, resolve, chunkDays: 30 }).sync(connectionId)).outcome).toBe('ok');
    expect(remoteIds(db)).toEqual(all.map((t) => t.remoteId).sort());
  });
});
