// 8. Load: 50 connections (2 accounts each) and 200,000 transactions (MULTIBANK_RELIABILITY=full: 2,000,000) from the
// sandbox generator's streaming mode, as finAPI pages parsed the way the client parses them (lossless JSON + its zod
// schema + its mapping), written through the real sync writer into a real database file (bench/ingest.ts's approach).
// Then, through the service as the UI calls it (the IPC dispatcher): the first page, a filter and a full-text search
// answer correctly, with bench/queries.ts's latencies recorded as figures (a test never asserts a time: a loaded machine
// would fail it; `npm run bench` sets them beside their targets); and paging through the whole list with keyset cursors
// keeps the process RSS growth under a bound, seeing every row exactly once.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'lossless-json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQueries } from '../../bench/queries.js';
import type { RemoteAccount } from '../../main/domain/types.js';
import { createDispatcher } from '../../main/ipc/dispatch.js';
import { silentLogger } from '../../main/log/index.js';
import { mapTransaction } from '../../main/providers/finapi/index.js';
import { parseLossless } from '../../main/providers/json.js';
import { TransactionPageSchema, TransactionSchema } from '../../main/providers/finapi/schemas.js';
import { createMemoryPrefsStore, createService } from '../../main/service/index.js';
import { openDatabase } from '../../main/store/db.js';
import { createRepositories } from '../../main/store/repositories.js';
import { RunContext, TransactionWriter } from '../../main/sync/writer.js';
import { MemorySealedKeyStore, TestCipher } from '../../main/vault/index.js';
import { bulkAccounts, streamTransactions, type BulkOptions } from '../../sandbox/data/bulk.js';
import { transactionJson } from '../../sandbox/finapi/shapes.js';
import { recordFigures } from './figures.js';
import { FULL, tempDir } from './harness.js';
import { testToday } from '../helpers/clock.js';

const CONNECTIONS = 50;
const ACCOUNTS_PER_CONNECTION = 2;
const TOTAL = FULL ? 2_000_000 : 200_000;
const PAGE_SIZE = 500; // finAPI's perPage as the client asks for it
const QUERY_ITERATIONS = FULL ? 500 : 200;
/** a guard against a hang, not a time limit: on a loaded 2-core machine the ingest alone has taken three minutes */
const HANG_GUARD_MS = FULL ? 3_600_000 : 1_200_000;
/** the day the rows are written as of (the generator dates rows back from it) */
const TODAY = testToday('2026-06-15T12:00:00Z');
/** RSS growth allowed while paging through every row (the rows themselves would be hundreds of MB at 2,000,000) */
const RSS_BOUND_MB = 200;

const figures: Record<string, number | string> = { connections: CONNECTIONS, transactions: TOTAL };
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/** 50 connections as links leave them, the bulk rows written page by page through the sync writer. */
function ingest(dataDir: string): number {
  const opts: BulkOptions = { seed: 812, accounts: CONNECTIONS * ACCOUNTS_PER_CONNECTION, total: TOTAL, pageSize: PAGE_SIZE };
  const today = TODAY;
  const db = openDatabase(join(dataDir, 'multibank.db'));
  try {
    const repos = createRepositories(db);
    const bulk = bulkAccounts(opts);
    const ids = new Map<string, number>();
    for (let c = 0; c < CONNECTIONS; c++) {
      const conn = repos.connections.create({ provider: 'finapi', institutionName: `Demo Bulk Bank ${c + 1}`, remote: {} });
      const mine: RemoteAccount[] = bulk.slice(c * ACCOUNTS_PER_CONNECTION, (c + 1) * ACCOUNTS_PER_CONNECTION)
        .map((a) => ({ remoteId: a.id, iban: a.iban, name: a.name, type: a.type, currency: a.currency }));
      for (const a of repos.accounts.upsertRemote(conn.id, mine)) ids.set(a.remoteId, a.id);
    }
    const writer = new TransactionWriter(db);
    const run = new RunContext(`${TODAY}T12:00:00.000Z`);
    let nextId = 1;
    let written = 0;
    for (const page of streamTransactions(opts)) {
      const accInt = Number(page.account.id.slice(5));
      // the body as the emulator sends it (lossless-json, exact decimals) and the client parses it
      const text = stringify({
        transactions: page.transactions.map((t) => transactionJson(nextId++, accInt, t)),
        paging: { page: page.page + 1, perPage: PAGE_SIZE, pageCount: 0, totalCount: 0 },
      }) ?? '';
      const rows = TransactionPageSchema.parse(parseLossless(text)).transactions.map((t) => mapTransaction(TransactionSchema.parse(t), page.account.currency));
      writer.writePage(ids.get(page.account.id)!, rows, run, page.last
        ? { committedThrough: today, firstSyncDone: true, resume: null }
        : { resume: { windowFrom: '2000-01-01', chunkFrom: '2000-01-01', chunkTo: today, pageCursor: `b:${page.page + 2}`, pages: page.page + 1 } });
      written += rows.length;
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    return written;
  } finally {
    db.close();
  }
}

describe(`load: ${CONNECTIONS} connections, ${TOTAL.toLocaleString('en')} transactions`, () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = tempDir('load');
    const t0 = performance.now();
    const written = ingest(dataDir);
    const s = (performance.now() - t0) / 1000;
    expect(written).toBe(TOTAL);
    figures.ingest_s = Math.round(s * 10) / 10;
    figures.ingest_tx_per_s = Math.round(written / s);
  }, HANG_GUARD_MS);
  afterAll(() => {
    recordFigures('load', figures);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('first page, filter and full-text search answer correctly from every row; their latencies are figures', async () => {
    const { figures: q } = await runQueries(dataDir, QUERY_ITERATIONS);
    Object.assign(figures, q);
    const service = await createService({
      dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
      logger: silentLogger, background: false,
    });
    const dispatch = createDispatcher<null>(service, { isTrustedSender: () => true });
    type Row = { bookingDate: string; amount: number; accountId: number; description: string | null; counterpartyName: string | null };
    const list = async (req: object) => {
      const r = await dispatch(null, 'transactions.list', { sort: 'date_desc', limit: 50, ...req });
      if (!r.ok) throw new Error(`transactions.list: ${r.error.code} ${r.error.message}`);
      return (r.value as { rows: Row[] }).rows;
    };
    try {
      const first = await list({});
      expect(first).toHaveLength(50);
      expect(first.map((r) => r.bookingDate)).toEqual([...first.map((r) => r.bookingDate)].sort().reverse());
      const account = first[0].accountId;
      const inAccount = await list({ accountIds: [account] });
      expect(inAccount.length).toBeGreaterThan(0);
      expect(inAccount.every((r) => r.accountId === account)).toBe(true);
      const found = await list({ search: 'transfer' });
      expect(found.length).toBeGreaterThan(0);
      for (const r of found) expect(`${r.description ?? ''} ${r.counterpartyName ?? ''}`.toLowerCase()).toContain('transfer');
    } finally {
      await service.close();
    }
  }, HANG_GUARD_MS);

  it(`paging through the whole list with keyset cursors sees every row once, RSS growth < ${RSS_BOUND_MB} MB`, async () => {
    const service = await createService({
      dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
      logger: silentLogger, background: false,
    });
    const dispatch = createDispatcher<null>(service, { isTrustedSender: () => true });
    try {
      const seen = new Uint8Array(TOTAL * 2 + 1); // row ids start at 1 and are dense; allocated before the baseline
      const list = async (cursor?: string) => {
        const r = await dispatch(null, 'transactions.list', { sort: 'date_desc', limit: 500, ...(cursor ? { cursor } : {}) });
        if (!r.ok) throw new Error(`transactions.list: ${r.error.code} ${r.error.message}`);
        return r.value as { rows: Array<{ id: number }>; nextCursor: string | null };
      };
      await list(); // warm: statements prepared, the first pages cached
      global.gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      let rows = 0;
      let repeats = 0;
      let pages = 0;
      let cursor: string | undefined;
      do {
        const page = await list(cursor);
        for (const r of page.rows) {
          if (r.id >= seen.length) throw new Error(`row id ${r.id} beyond the ${TOTAL} written`);
          if (seen[r.id]) repeats++;
          seen[r.id] = 1;
        }
        rows += page.rows.length;
        pages++;
        cursor = page.nextCursor ?? undefined;
        if (pages % 20 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      } while (cursor);
      peak = Math.max(peak, process.memoryUsage().rss);
      Object.assign(figures, { paged_rows: rows, paged_pages: pages, rss_baseline_mb: mb(baseline), rss_growth_mb: mb(peak - baseline) });
      expect(repeats).toBe(0);
      expect(rows).toBe(TOTAL);
      expect(mb(peak - baseline)).toBeLessThan(RSS_BOUND_MB);
    } finally {
      await service.close();
    }
  }, HANG_GUARD_MS);
});
