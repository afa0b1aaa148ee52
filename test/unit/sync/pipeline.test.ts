// The engine keeps one page request on its way while it writes (within a chunk, across chunks and across accounts), and
// writes small pages of a chunk together (batchRows), moving the cursor only with what it committed.
import { afterEach, expect, it } from 'vitest';
import { createRepositories } from '../../../main/store/repositories.js';
import { createSyncEngine } from '../../../main/sync/engine.js';
import { cleanupDirs, ctxFor, day, freshDb, ScriptedProvider, tx, visible } from './scripted.js';
import { testNow } from '../../helpers/clock.js';

afterEach(cleanupDirs);

const NOW = testNow('2026-11-20T10:00:00.000Z');
const TODAY = NOW.toISOString().slice(0, 10);
const now = () => NOW;

/** rows every day over the last `days` days (oldest first), ids `${account}-${n}` */
const daily = (account: string, days: number, perDay: number) =>
  Array.from({ length: days * perDay }, (_, i) => tx(`${account}-${String(i).padStart(4, '0')}`, day(TODAY, -days + 1 + Math.floor(i / perDay)), -100 - i));

const fetches = (p: ScriptedProvider) => p.calls.filter((c) => c.method === 'fetchTransactions');

it('asks for the next page before writing the current one, across chunks and accounts, each page once', async () => {
  const { db, connectionId } = freshDb();
  const p = new ScriptedProvider({ pageSize: 4 });
  p.capabilities.maxHistoryDays = 25;
  p.accounts = [...p.accounts, { remoteId: 'A2', name: 'Savings', type: 'savings', currency: 'EUR', iban: 'DE002' }];
  p.set('A1', daily('A1', 20, 1));
  p.set('A2', daily('A2', 20, 1));
  const fetchedAtCommit: number[] = [];
  const engine = createSyncEngine({ db, now, chunkDays: 10, batchRows: 1, resolve: (id) => ({ provider: p, ctx: ctxFor(id) }),
    onPageCommitted: () => { fetchedAtCommit.push(fetches(p).length); } });
  expect((await engine.sync(connectionId)).outcome).toBe('ok');
  const asked = fetches(p).map((c) => `${c.args[0]} ${c.args[1]} ${c.args[3]}`);
  // 26 days in 10-day chunks: 3 chunks per account, every request once
  expect(new Set(asked).size).toBe(asked.length);
  expect(new Set(fetches(p).map((c) => `${c.args[0]} ${c.args[1]}`)).size).toBe(6);
  // at every commit the request after it had gone out already (the last page has none after it)
  expect(fetchedAtCommit).toEqual(asked.map((_, i) => Math.min(i + 2, asked.length)));
  expect(visible(db, 1)).toHaveLength(20);
  expect(visible(db, 2)).toHaveLength(20);
  db.close();
});

it('writes a chunk\'s small pages together up to batchRows rows; the cursor moves with what was written', async () => {
  const { db, connectionId } = freshDb();
  const p = new ScriptedProvider({ pageSize: 10 });
  p.capabilities.maxHistoryDays = 60;
  p.set('A1', daily('A1', 19, 5));
  const rowsAtCommit: number[] = [];
  let commits = 0;
  const e1 = createSyncEngine({ db, now, batchRows: 30, resolve: (id) => ({ provider: p, ctx: ctxFor(id) }),
    onPageCommitted: () => { rowsAtCommit.push(visible(db).length); if (++commits === 3) e1.cancel(); } });
  expect((await e1.sync(connectionId)).outcome).toBe('cancelled');
  // three 10-row pages in one step: each of them reported once all 30 rows are in
  expect(rowsAtCommit).toEqual([30, 30, 30]);
  expect(JSON.parse(db.prepare('select resume_json from sync_cursors').pluck().get() as string)).toMatchObject({ pageCursor: '30', pages: 3 });

  p.calls = [];
  rowsAtCommit.length = 0;
  const e2 = createSyncEngine({ db, now, batchRows: 30, resolve: (id) => ({ provider: p, ctx: ctxFor(id) }),
    onPageCommitted: () => { rowsAtCommit.push(visible(db).length); } });
  expect((await e2.sync(connectionId)).outcome).toBe('ok');
  expect(fetches(p).map((c) => c.args[3])).toEqual(['30', '40', '50', '60', '70', '80', '90']);
  // 95 rows: 30 more, 30 more, then the chunk's last page (5 rows) on its own (it completes the chunk)
  expect(rowsAtCommit).toEqual([60, 60, 60, 90, 90, 90, 95]);
  expect(visible(db).map((r) => r.remote_id)).toEqual(daily('A1', 19, 5).map((t) => t.remoteId));
  db.close();
});

it('writes small pages of consecutive chunks together; a stop keeps the chunks written and the next sync goes on after them', async () => {
  const { db, connectionId } = freshDb();
  const p = new ScriptedProvider({ pageSize: 10 });
  p.capabilities.maxHistoryDays = 59;
  // 60 days in 10-day chunks of 5 rows each (one page per chunk)
  p.set('A1', daily('A1', 60, 1).filter((_, i) => i % 2 === 0));
  const rowsAtCommit: number[] = [];
  let commits = 0;
  const e1 = createSyncEngine({ db, now, chunkDays: 10, batchRows: 15, resolve: (id) => ({ provider: p, ctx: ctxFor(id) }),
    onPageCommitted: () => { rowsAtCommit.push(visible(db).length); if (++commits === 3) e1.cancel(); } });
  expect((await e1.sync(connectionId)).outcome).toBe('cancelled');
  // 5 + 5 + 5 rows reach 15: the first three chunks in one step
  expect(rowsAtCommit).toEqual([15, 15, 15]);
  const cursor = db.prepare('select committed_through, resume_json from sync_cursors').get() as { committed_through: string; resume_json: string };
  expect(cursor.committed_through).toBe(day(TODAY, -30));
  expect(JSON.parse(cursor.resume_json)).toMatchObject({ chunkFrom: day(TODAY, -29), pageCursor: null });
  p.calls = [];
  expect((await createSyncEngine({ db, now, chunkDays: 10, resolve: (id) => ({ provider: p, ctx: ctxFor(id) }) }).sync(connectionId)).outcome).toBe('ok');
  expect(fetches(p)[0].args[1]).toBe(day(TODAY, -29));
  expect(visible(db)).toHaveLength(30);
  db.close();
});

it('a page that cannot be read stops the sync after the pages before it are written; the next sync goes on from there', async () => {
  const { db, connectionId } = freshDb();
  const p = new ScriptedProvider({ pageSize: 10 });
  p.capabilities.maxHistoryDays = 60;
  p.set('A1', daily('A1', 19, 5));
  p.mutatePage = (page, n) => (n === 3 ? { transactions: 'nope', nextCursor: 3 } : page);
  const resolve = (id: number) => ({ provider: p, ctx: ctxFor(id) });
  expect((await createSyncEngine({ db, now, batchRows: 100, resolve }).sync(connectionId)).error?.code).toBe('bad_response');
  expect(visible(db)).toHaveLength(20);
  expect(JSON.parse(db.prepare('select resume_json from sync_cursors').pluck().get() as string)).toMatchObject({ pageCursor: '20' });
  p.mutatePage = undefined;
  p.calls = [];
  expect((await createSyncEngine({ db, now, batchRows: 100, resolve }).sync(connectionId)).outcome).toBe('ok');
  expect(fetches(p)[0].args[3]).toBe('20');
  expect(visible(db).map((r) => r.remote_id)).toEqual(daily('A1', 19, 5).map((t) => t.remoteId));
  db.close();
});

it('a sync waiting for the aggregator\'s refresh holds no slot: the one with its refresh done fetches meanwhile', async () => {
  const { db } = freshDb();
  const repos = createRepositories(db, { now });
  const second = repos.connections.create({ provider: 'powens', institutionName: 'B2', remote: {} });
  const slow = new ScriptedProvider();
  const fast = new ScriptedProvider();
  fast.set('A1', daily('A1', 5, 1));
  // the slow connection's refresh ends only once the fast one has fetched its transactions (with one slot)
  let fetched!: () => void;
  const fastFetched = new Promise<void>((r) => { fetched = r; });
  slow.refreshConnection = async () => { await fastFetched; return slow.consentInfo; };
  const fetch = fast.fetchTransactions.bind(fast);
  fast.fetchTransactions = async (...a) => { const page = await fetch(...a); fetched(); return page; };
  const engine = createSyncEngine({ db, now, concurrency: 1, resolve: (id) => ({ provider: id === second.id ? fast : slow, ctx: ctxFor(id) }) });
  const results = await Promise.all([engine.sync(1), engine.sync(second.id)]);
  expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok']);
  db.close();
});
