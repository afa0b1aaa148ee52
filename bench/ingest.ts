// ingest_ratio / ingest_tx_per_s / ingest_vs_lean / db_bytes_per_tx: the sandbox generator's rows as finAPI transaction
// pages (in memory) written through the real sync write path (finAPI schema + mapping, TransactionWriter: dedup, upsert,
// FTS, cursor) versus (bare) a better-sqlite3 loop inserting the same rows into the same tables in one transaction, and
// (lean) the limit: a lean table with one unique and one date index + FTS5 external content, one transaction per page.
// The three databases are fed page by page side by side; generating and shaping a page is not timed for any.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { isLosslessNumber } from 'lossless-json';
import type { RemoteAccount, RemoteTransaction } from '../main/domain/types.js';
import { mapTransaction } from '../main/providers/finapi/index.js';
import { TransactionPageSchema, TransactionSchema } from '../main/providers/finapi/schemas.js';
import { openDatabase, openDatabaseFile, type Db } from '../main/store/db.js';
import { createRepositories } from '../main/store/repositories.js';
import { fingerprintOf, hash48, RunContext, TransactionWriter } from '../main/sync/writer.js';
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

/** The lean limit (issue 23): the columns a list shows, one unique and one date index, FTS5 over the table's own text. */
const LEAN_SCHEMA = `
  CREATE TABLE tx (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, remote_id TEXT NOT NULL, booking_date TEXT NOT NULL,
    amount INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, description TEXT NOT NULL, counterparty TEXT,
    UNIQUE (account_id, remote_id));
  CREATE INDEX tx_by_date ON tx (booking_date);
  CREATE VIRTUAL TABLE tx_fts USING fts5(description, counterparty, content='tx', content_rowid='id');`;

export interface IngestResult {
  transactions: number;
  /** the finAPI schema + mapping of each page (before the write path) */
  parse: Stopwatch;
  /** TransactionWriter.writePage */
  write: Stopwatch;
  bare: Stopwatch;
  lean: Stopwatch;
  /** the written database's size (WAL checkpointed, FTS included) */
  dbBytes: number;
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
  // the same pragmas as ours (WAL, synchronous NORMAL, cache)
  const leanDb = openDatabaseFile(join(bare.dir, 'lean.db'), databaseKey);
  leanDb.exec(LEAN_SCHEMA);
  const leanInsert = leanDb.prepare('INSERT INTO tx (account_id, remote_id, booking_date, amount, currency, status, description, counterparty) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const leanFts = leanDb.prepare('INSERT INTO tx_fts (rowid, description, counterparty) VALUES (?, ?, ?)');
  const leanPage = leanDb.transaction((rows: RemoteTransaction[], accountId: number) => {
    for (const t of rows) {
      const id = leanInsert.run(accountId, t.remoteId, t.bookingDate, t.amount, t.currency, t.status, t.description, t.counterpartyName ?? null).lastInsertRowid;
      leanFts.run(id, t.description, t.counterpartyName ?? null);
    }
  });
  const ids = seedAccounts(db, remote);
  const bareIds = seedAccounts(bareDb, remote);

  const writer = new TransactionWriter(db);
  const run = new RunContext(new Date().toISOString());
  const insert = bareDb.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, value_date, amount, currency, status, description,
    counterparty_name, counterparty_iban, raw_hash, fingerprint, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const parseClock = new Stopwatch();
  const writeClock = new Stopwatch();
  const bareClock = new Stopwatch();
  const leanClock = new Stopwatch();
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
    const parsed = parseClock.time(() => TransactionPageSchema.parse(body).transactions.map((t) => mapTransaction(TransactionSchema.parse(t), page.account.currency)));
    writeClock.time(() => {
      writer.writePage(accountId, parsed, run, page.last
        ? { committedThrough: today, firstSyncDone: true, resume: null }
        : { resume: { windowFrom: '2000-01-01', chunkFrom: '2000-01-01', chunkTo: today, pageCursor: `b:${page.page + 2}`, pages: page.page + 1 } });
    });
    // the same rows, every column computed beforehand: only the inserts are timed
    const at = run.at;
    const cols = parsed.map((t) => {
      const raw = JSON.stringify(t.raw);
      return [bareIds.get(page.account.id)!, t.remoteId, t.bookingDate, t.valueDate ?? null, t.amount, t.currency, t.status, t.description,
        t.counterpartyName ?? null, t.counterpartyIban ?? null, hash48(raw), fingerprintOf(t), at, at];
    });
    bareClock.time(() => { for (const c of cols) insert.run(...c); });
    leanClock.time(() => leanPage(parsed, accInt));
    for (const t of parsed) balances.set(page.account.id, (balances.get(page.account.id) ?? 0) + t.amount);
    n += page.transactions.length;
    if (n % 100_000 < PAGE_SIZE) log(`ingest: ${n.toLocaleString('en')} rows`);
  }
  bareClock.time(() => bareDb.exec('COMMIT'));
  // both end with everything in the database file (what is still in the WAL is copied back)
  writeClock.time(() => db.pragma('wal_checkpoint(TRUNCATE)'));
  bareClock.time(() => bareDb.pragma('wal_checkpoint(TRUNCATE)'));
  leanClock.time(() => leanDb.pragma('wal_checkpoint(TRUNCATE)'));
  const dbBytes = statSync(join(real.dir, 'multibank.db')).size;
  // balances for the overview (as the next account refresh would bring them)
  createRepositories(db).accounts.upsertRemote(db.prepare('SELECT id FROM connections').pluck().get() as number,
    remote.map((a) => ({ ...a, balanceCurrent: balances.get(a.remoteId) ?? 0, balanceCurrentDate: today })));
  db.close();
  bareDb.close();
  leanDb.close();
  bare.cleanup();
  return { transactions: n, parse: parseClock, write: writeClock, bare: bareClock, lean: leanClock, dbBytes, dataDir: real.dir, cleanup: real.cleanup };
}
