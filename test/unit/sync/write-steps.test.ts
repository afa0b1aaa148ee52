// A large page written in steps (writePageInSteps, as the sync engine writes every page): the same rows and counts as
// one writePage, the cursor and the kept-aside rows move with the last step only, and a malformed row anywhere in the
// page still changes nothing.
import { afterEach, expect, it } from 'vitest';
import type { RemoteTransaction } from '../../../main/domain/types.js';
import { ProviderError } from '../../../main/providers/provider.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { RunContext, TransactionWriter, type CursorMove, type PageAside } from '../../../main/sync/writer.js';
import { testNow } from '../../helpers/clock.js';
import { cleanupDirs, day, freshDb, tx } from './scripted.js';

afterEach(cleanupDirs);
const NOW = testNow('2026-11-20T10:00:00.000Z').toISOString();
const TODAY = NOW.slice(0, 10);

function account() {
  const { db, connectionId } = freshDb();
  const [acc] = createRepositories(db).accounts.upsertRemote(connectionId, [{ remoteId: 'A1', name: 'Main', type: 'current', currency: 'EUR' }]);
  return { db, accountId: acc.id, writer: new TransactionWriter(db) };
}
const rowsOf = (db: ReturnType<typeof account>['db']) =>
  db.prepare('select remote_id, booking_date, amount, description, status, raw_hash, fingerprint from transactions order by remote_id').all();
// 25 rows, one reported twice (the later report wins), split into steps of 7
const PAGE: RemoteTransaction[] = [
  ...Array.from({ length: 24 }, (_, i) => tx(`t${String(i).padStart(2, '0')}`, day(TODAY, -(i % 5)), -100 - i)),
  tx('t03', day(TODAY, -3), -999, { description: 'Corrected' }),
];
const MOVE: CursorMove = { resume: { windowFrom: day(TODAY, -90), chunkFrom: day(TODAY, -90), chunkTo: TODAY, pageCursor: 'next', pages: 1 } };

it('writes the same rows and counts as one step, moves the cursor with the last step, and takes kept-aside rows it reads', async () => {
  const whole = account();
  const wholeCounts = whole.writer.writePage(whole.accountId, PAGE, new RunContext(NOW), MOVE);

  const stepped = account();
  // a row kept aside earlier that this page reads fine (in its first step) leaves that table
  stepped.db.prepare(`insert into unreadable_transactions (account_id, row_key, remote_id, reason, raw_json, seen_from, first_seen_at, last_seen_at)
    values (?, 't01', 't01', 'amount: not a number', '{}', ?, ?, ?)`).run(stepped.accountId, day(TODAY, -90), NOW, NOW);
  const aside: PageAside = { rows: [{ key: 'x9', remoteId: 'x9', reason: 'date: missing', redacted: { id: 'x9' } }], seenFrom: day(TODAY, -90) };
  const cursors: Array<string | null> = [];
  const counts = await stepped.writer.writePageInSteps(stepped.accountId, PAGE, new RunContext(NOW), {
    stepRows: 7,
    pause: async () => { cursors.push(stepped.writer.cursor(stepped.accountId).resume?.pageCursor ?? null); },
  }, MOVE, undefined, aside);

  expect(counts).toEqual(wholeCounts);
  expect(counts).toMatchObject({ new: 24, updated: 0 });
  expect(rowsOf(stepped.db)).toEqual(rowsOf(whole.db));
  expect(rowsOf(stepped.db)).toContainEqual(expect.objectContaining({ remote_id: 't03', amount: -999, description: 'Corrected' }));
  // 24 distinct rows in steps of 7: three pauses, the cursor unmoved until the last step
  expect(cursors).toEqual([null, null, null]);
  expect(stepped.writer.cursor(stepped.accountId).resume?.pageCursor).toBe('next');
  expect(stepped.db.prepare('select row_key from unreadable_transactions order by 1').pluck().all()).toEqual(['x9']);
  // each step packed its raws in a page of its own; every raw is there
  expect(stepped.db.prepare('select count(*), sum(live) from raw_pages').raw().get()).toEqual([4, 24]);
});

it('a malformed row in a later step: nothing is written', async () => {
  const a = account();
  const bad = [...PAGE.slice(0, 20), { ...tx('t99', TODAY, -1), amount: 1.5 }];
  const err = await a.writer.writePageInSteps(a.accountId, bad, new RunContext(NOW), { stepRows: 7, pause: async () => {} }, MOVE).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ProviderError);
  expect((err as ProviderError).code).toBe('bad_response');
  expect(rowsOf(a.db)).toEqual([]);
  expect(a.writer.cursor(a.accountId).resume).toBeNull();
});
