// The encrypted store's figures beside the plain ones (issue 22): the same ingest and queries with the database
// encrypted (SQLCipher 4 format through better-sqlite3-multiple-ciphers), printed as their own labelled block.
import { randomBytes } from 'node:crypto';
import { runIngest } from './ingest.js';
import { runQueries } from './queries.js';
import { round } from './stats.js';

const QUERIES = ['query_page_p95_ms', 'query_filter_p95_ms', 'query_search_p95_ms', 'query_overview_ms', 'query_monthly_ms'] as const;

/** Ingest + queries encrypted: the `encrypted_*` figures for the results file, and print() for the block plain | encrypted | cost. */
export async function runEncrypted(size: number, iterations: number, log: (s: string) => void): Promise<{ figures: Record<string, number>; print(plain: Record<string, number>): void }> {
  log(`encrypted store: ${size.toLocaleString('en')} transactions, the same ingest and queries`);
  const key = randomBytes(32);
  const ingest = runIngest(size, 42, log, key);
  const out: Record<string, number> = {};
  try {
    out.encrypted_ingest_tx_per_s = Math.round(ingest.transactions / (ingest.write.ms / 1000));
    out.encrypted_ingest_write_ms = Math.round(ingest.write.ms);
    const queries = await runQueries(ingest.dataDir, iterations, key);
    for (const q of QUERIES) out[`encrypted_${q}`] = queries.figures[q];
    // the medians too: on a shared machine they compare better than a p95 of sub-millisecond calls
    for (const [k, v] of Object.entries(queries.medians)) out[`encrypted_${k}`] = v;
  } finally {
    ingest.cleanup();
  }
  return {
    figures: out,
    print(plain) {
      console.log('\nEncrypted store (issue 22)       plain  encrypted  encrypted/plain');
      const medians = Object.keys(out).filter((k) => k.endsWith('_p50_ms')).map((k) => k.slice('encrypted_'.length));
      for (const k of ['ingest_tx_per_s', 'ingest_write_ms', ...QUERIES, ...medians]) {
        const p = plain[k]; const e = out[`encrypted_${k}`];
        console.log(`${k.padEnd(24)} ${String(p ?? '-').padStart(10)} ${String(e).padStart(10)} ${p ? `${round(e / p)}×`.padStart(16) : ''}`);
      }
    },
  };
}
