// ingest_ratio / ingest_tx_per_s: the sandbox generator's rows as finAPI transaction pages (in memory) written through the
// real sync write path (finAPI schema + mapping, TransactionWriter: dedup, upsert, FTS, cursor) versus a bare
// better-sqlite3 loop inserting the same rows into the same tables in one transaction. Both databases are fed page by
// page side by side; generating and shaping a page is not timed for either.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { isLosslessNumber } from 'lossless-json';
import type { RemoteAccount } from '../main/domain/types.js';
import { mapTransaction } from '../main/providers/finapi/index.js';
import { TransactionPageSchema, TransactionSchema } from '../main/providers/finapi/schemas.js';
import { openDatabase, type Db } from '../main/store/db.js';
import { createRepositories } from '../main/store/repositories.js';
import { fingerprintOf, RunContext, TransactionWriter } from '../main/sync/writer.js';
import { bulkAccounts, streamTransactions, type BulkOptions } from '../sandbox/data/bulk.js';
import { transactionJson } from '../sandbox/finapi/shapes.js';
import { Stopwatch, tempDir } from './stats.js';

export const ACCOUNTS = 20;
const PAGE_SIZE = 500; // finAPI's perPage as the client asks for it

/** What lossless-json hands the finAPI client for a body: every JSON number as its decimal text. */
function asParsed(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (isLosslessNumber(v)) return v.value;
  if (Array.isArray(v)) return v.map(asParsed);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = asParsed(x);
    return o;
  }
  return v;
}

/** A connection with the bulk accounts, as a link would leave it; returns local account ids by remote id. */
function seedAccounts(db: Db, accounts: RemoteAccount[]): Map<string, number> {
  const repos = createRepositories(db);
  const conn = repos.connections.create({ provider: 'finapi', institutionName: 'Demo Bulk Bank', remote: {} });
  return new Map(repos.accounts.upsertRemote(conn.id, accounts).map((a) => [a.remoteId, a.id]));
}

export interface IngestResult {
  transactions: number;
  write: Stopwatch;
  bare: Stopwatch;
  /** the data dir whose multibank.db holds what the write path wrote (for the query and UI figures) */
  dataDir: string;
  cleanup(): void;
}

/** databaseKey: both databases encrypted (the encrypted-store figures) */
export function runIngest(total: number, seed = 42, log: (s: string) => void = () => {}, databaseKey?: Buffer): IngestResult {
  const opts: BulkOptions = { seed, accounts: ACCOUNTS, total, pageSize: PAGE_SIZE };
  const today = new Date().toISOString().slice(0, 10);
  const remote: RemoteAccount[] = bulkAccounts(opts).map((a) => ({ remoteId: a.id, iban: a.iban, name: a.name, type: a.type, currency: a.currency }));
  const real = tempDir('mb-bench-ingest-');
  const bare = tempDir('mb-bench-bare-');
  const db = openDatabase(join(real.dir, 'multibank.db'), databaseKey);
  const bareDb = openDatabase(join(bare.dir, 'multibank.db'), databaseKey);
  const ids = seedAccounts(db, remote);
  const bareIds = seedAccounts(bareDb, remote);

  const writer = new TransactionWriter(db);
  const run = new RunContext(new Date().toISOString());
  const insert = bareDb.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, value_date, amount, currency, status, description,
    counterparty_name, counterparty_iban, raw_json, raw_hash, fingerprint, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const writeClock = new Stopwatch();
  const bareClock = new Stopwatch();
  const balances = new Map<string, number>();
  let nextId = 1;
  let n = 0;
  bareClock.time(() => bareDb.exec('BEGIN'));
  for (const page of streamTransactions(opts)) {
    // the page as the finAPI client receives it (amounts and ids as decimal text)
    const accInt = Number(page.account.id.slice(5));
    const body = asParsed({
      transactions: page.transactions.map((t) => transactionJson(nextId++, accInt, t)),
      paging: { page: page.page + 1, perPage: PAGE_SIZE, pageCount: 0, totalCount: 0 },
    });
    const accountId = ids.get(page.account.id)!;
    writeClock.time(() => {
      const parsed = TransactionPageSchema.parse(body);
      const rows = parsed.transactions.map((t) => mapTransaction(TransactionSchema.parse(t), page.account.currency));
      writer.writePage(accountId, rows, run, page.last
        ? { committedThrough: today, firstSyncDone: true, resume: null }
        : { resume: { windowFrom: '2000-01-01', chunkFrom: '2000-01-01', chunkTo: today, pageCursor: `b:${page.page + 2}`, pages: page.page + 1 } });
    });
    // the same rows, every column computed beforehand: only the inserts are timed
    const parsed = TransactionPageSchema.parse(body).transactions.map((t) => mapTransaction(TransactionSchema.parse(t), page.account.currency));
    const at = run.at;
    const cols = parsed.map((t) => {
      const raw = JSON.stringify(t.raw);
      return [bareIds.get(page.account.id)!, t.remoteId, t.bookingDate, t.valueDate ?? null, t.amount, t.currency, t.status, t.description,
        t.counterpartyName ?? null, t.counterpartyIban ?? null, raw, createHash('sha1').update(raw).digest('base64').slice(0, 22), fingerprintOf(t), at, at];
    });
    bareClock.time(() => { for (const c of cols) insert.run(...c); });
    for (const t of parsed) balances.set(page.account.id, (balances.get(page.account.id) ?? 0) + t.amount);
    n += page.transactions.length;
    if (n % 100_000 < PAGE_SIZE) log(`ingest: ${n.toLocaleString('en')} rows`);
  }
  bareClock.time(() => bareDb.exec('COMMIT'));
  // both end with everything in the database file (what is still in the WAL is copied back)
  writeClock.time(() => db.pragma('wal_checkpoint(TRUNCATE)'));
  bareClock.time(() => bareDb.pragma('wal_checkpoint(TRUNCATE)'));
  // balances for the overview (as the next account refresh would bring them)
  createRepositories(db).accounts.upsertRemote(db.prepare('SELECT id FROM connections').pluck().get() as number,
    remote.map((a) => ({ ...a, balanceCurrent: balances.get(a.remoteId) ?? 0, balanceCurrentDate: today })));
  db.close();
  bareDb.close();
  bare.cleanup();
  return { transactions: n, write: writeClock, bare: bareClock, dataDir: real.dir, cleanup: real.cleanup };
}
