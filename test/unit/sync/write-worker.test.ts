// The sync's writes in a worker thread (main/sync/syncwriter.ts, write-worker.ts): real SQLite files, a real worker. The
// writes leave main's thread, errors keep their kind across the thread, a worker that dies fails its sync and nothing is
// lost, and an encrypted database is written under its key.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../main/providers/provider.js';
import { isPlainDatabase, openDatabase } from '../../../main/store/db.js';
import { storageError } from '../../../main/store/errors.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { createSyncEngine } from '../../../main/sync/engine.js';
import { stopWriteWorker, workerSyncWriter } from '../../../main/sync/syncwriter.js';
import { RunContext } from '../../../main/sync/writer.js';
import { ScriptedProvider, cleanupDirs, ctxFor, day, freshDb, tempDir, tx } from './scripted.js';

afterEach(cleanupDirs);

const TODAY = '2026-11-20';
const NOW = `${TODAY}T10:00:00.000Z`;
const now = () => new Date(NOW);
const bank = (n: number) => Array.from({ length: n }, (_, i) => tx(`t${i}`, day(TODAY, -(i % 300)), -(i + 1), { description: `Card payment ${i}` }));

function account() {
  const { db, connectionId } = freshDb();
  const [acc] = createRepositories(db).accounts.upsertRemote(connectionId, [{ remoteId: 'A1', name: 'Main', type: 'current', currency: 'EUR' }]);
  return { db, connectionId, accountId: acc.id };
}

describe('the sync write worker', () => {
  it('writes off main\'s thread: main\'s event loop turns while the worker waits to write, and sees the page once committed', async () => {
    const { db, accountId } = account();
    const writer = workerSyncWriter(db);
    try {
      // main holds the write lock: the worker's transaction waits for it (busy_timeout). Were the write on main's
      // thread, main could not turn until it was done.
      db.exec('BEGIN IMMEDIATE');
      let turns = 0;
      let written = false;
      const write = writer.writePageInSteps(accountId, bank(2000), new RunContext(NOW), 2000).finally(() => { written = true; });
      while (turns < 3) { await new Promise((r) => setImmediate(r)); turns++; }
      expect(written).toBe(false);
      expect(db.prepare('select count(*) from transactions').pluck().get()).toBe(0);
      db.exec('COMMIT');
      expect(await write).toMatchObject({ new: 2000 });
      // main's connection sees the worker's commit (WAL)
      expect(db.prepare('select count(*) from transactions').pluck().get()).toBe(2000);
    } finally {
      if (db.inTransaction) db.exec('ROLLBACK');
      await writer.close();
    }
  });

  it('errors keep their kind across the thread: a malformed page is bad_response, a full database disk_full, a query-only one read-only', async () => {
    const { db, accountId } = account();
    const writer = workerSyncWriter(db);
    try {
      const malformed = await writer.writePageInSteps(accountId, [...bank(5), { ...tx('x', TODAY, -1), amount: 1.5 }], new RunContext(NOW), 100).catch((e: unknown) => e);
      expect(malformed).toBeInstanceOf(ProviderError);
      expect(malformed).toMatchObject({ code: 'bad_response', message: expect.stringContaining('item 6: amount') });

      // the database may not grow (main's connection's limit; the worker's connection follows it)
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const full = await writer.writePageInSteps(accountId, bank(3000), new RunContext(NOW), 100).catch((e: unknown) => e);
      expect((full as { code?: string }).code).toMatch(/^SQLITE_FULL/);
      expect(storageError(full)).toMatchObject({ code: 'disk_full' });
      db.pragma('max_page_count = 1073741823');
      // a database main opened query-only (a damaged one) is not written by the worker either
      const count = () => db.prepare('select count(*) from transactions').pluck().get();
      const before = count();
      db.pragma('query_only = ON');
      const readOnly = await writer.writePageInSteps(accountId, bank(5), new RunContext(NOW), 100).catch((e: unknown) => e);
      expect(storageError(readOnly)).toMatchObject({ code: 'database_read_only' });
      db.pragma('query_only = OFF');
      expect(count()).toBe(before);
      // the page did not complete: its cursor did not move
      expect(db.prepare('select count(*) from sync_cursors').pluck().get()).toBe(0);
    } finally {
      await writer.close();
    }
  });

  it('a worker killed mid-sync fails that sync; the next sync completes with every row once', async () => {
    const { db, connectionId } = freshDb();
    const provider = new ScriptedProvider({ pageSize: 100 });
    provider.set('A1', bank(1200));
    let killed = false;
    const engine = createSyncEngine({
      db, now, chunkDays: 30, resolve: (id) => ({ provider, ctx: ctxFor(id) }),
      onPageCommitted: ({ pages }) => { if (pages === 3 && !killed) { killed = true; void stopWriteWorker(); } },
    });
    try {
      const first = await engine.sync(connectionId);
      expect(first).toMatchObject({ outcome: 'error', error: { code: 'internal' } });
      expect(db.prepare('select outcome from sync_runs').pluck().all()).toEqual(['error']);
      const kept = db.prepare('select count(*) from transactions').pluck().get() as number;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(1200);

      expect(await engine.sync(connectionId)).toMatchObject({ outcome: 'ok' });
      expect(db.prepare('select count(*), count(distinct remote_id) from transactions').raw().get()).toEqual([1200, 1200]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await engine.close();
    }
  });

  it('writes an encrypted database under its key', async () => {
    const file = join(tempDir(), 'multibank.db');
    const key = randomBytes(32);
    const db = openDatabase(file, key);
    const connectionId = createRepositories(db).connections.create({ provider: 'powens', institutionName: 'Test Bank', remote: { user: 'u1' } }).id;
    const provider = new ScriptedProvider({ pageSize: 100 });
    provider.set('A1', bank(300));
    const engine = createSyncEngine({ db, now, chunkDays: 30, resolve: (id) => ({ provider, ctx: ctxFor(id) }) });
    try {
      expect(await engine.sync(connectionId)).toMatchObject({ outcome: 'ok', counts: { new: 300 } });
      expect(db.prepare('select count(*) from transactions').pluck().get()).toBe(300);
      expect(isPlainDatabase(file)).toBe(false);
    } finally {
      await engine.close();
      db.close();
    }
  });
});
