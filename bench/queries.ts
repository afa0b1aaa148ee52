// Query figures on the ingested database, through the service as the UI calls it: the IPC dispatcher
// (contract validation, then the service), the same path Electron's ipcMain and the dev bridge take.
import { silentLogger } from '../main/log/index.js';
import { createDispatcher } from '../main/ipc/dispatch.js';
import { createMemoryPrefsStore, createService } from '../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../main/vault/index.js';
import { MERCHANTS } from '../sandbox/data/catalog.js';
import { Rng } from '../sandbox/data/rng.js';
import { percentile, round } from './stats.js';

export interface QueryFigures {
  query_page_p95_ms: number;
  query_filter_p95_ms: number;
  query_search_p95_ms: number;
  query_overview_ms: number;
  query_monthly_ms: number;
}

/** Search words as a person types them: the first word of the generator's merchant names and payees. */
const WORDS = [...new Set([...MERCHANTS.DE, ...MERCHANTS.FR, ...MERCHANTS.SK].map((m) => m.name.split(/[\s.]+/)[0].toLowerCase())
  .concat(['transfer', 'gehalt', 'müller', 'zieliński']).filter((w) => w.length >= 3))];

/** The figures (p95 of each) and, as context, the medians (`query_page_p50_ms`, ...): on a shared machine a p95 of
 *  sub-millisecond calls mostly measures other processes' CPU use. */
export async function runQueries(dataDir: string, iterations: number, databaseKey?: Buffer): Promise<{ figures: QueryFigures; medians: Record<string, number> }> {
  const service = await createService({
    dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
    logger: silentLogger, background: false, ...(databaseKey ? { databaseKey } : {}),
  });
  const dispatch = createDispatcher<null>(service, { isTrustedSender: () => true });
  const call = async (channel: string, payload?: unknown) => {
    const r = await dispatch(null, channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  const rng = new Rng(7);
  try {
    const accounts = (await call('accounts.list')) as Array<{ id: number }>;
    const today = new Date();
    const day = (daysAgo: number) => new Date(today.getTime() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const medians: Record<string, number> = {};
    /** p95 of `iterations` timed calls after a few untimed warm-up calls (the median goes to `medians`) */
    const measure = async (name: string, make: () => Array<[string, unknown?]>): Promise<number> => {
      for (let i = 0; i < 5; i++) for (const [c, p] of make()) await call(c, p);
      const times: number[] = [];
      for (let i = 0; i < iterations; i++) {
        const calls = make();
        const t0 = performance.now();
        for (const [c, p] of calls) await call(c, p);
        times.push(performance.now() - t0);
      }
      medians[name] = round(percentile(times, 50), 3);
      return round(percentile(times, 95), 3);
    };
    const figures: QueryFigures = {
      query_page_p95_ms: await measure('query_page_p50_ms', () => [['transactions.list', { sort: 'date_desc', limit: 50 }]]),
      query_filter_p95_ms: await measure('query_filter_p50_ms', () => {
        const from = rng.int(30, 1000);
        const lo = rng.int(1, 200) * 100;
        return [['transactions.list', {
          accountIds: [accounts[rng.int(0, accounts.length - 1)].id], from: day(from), to: day(from - rng.int(30, 180)),
          minSize: String(lo / 100), maxSize: String(lo / 100 + rng.int(10, 100)), direction: 'out', sort: 'date_desc', limit: 50,
        }]];
      }),
      query_search_p95_ms: await measure('query_search_p50_ms', () => [['transactions.list', { search: WORDS[rng.int(0, WORDS.length - 1)], sort: 'date_desc', limit: 50 }]]),
      // what the overview screen asks for: the accounts with balances, and the totals per currency
      query_overview_ms: await measure('query_overview_p50_ms', () => [['accounts.list'], ['overview.totals']]),
      query_monthly_ms: await measure('query_monthly_p50_ms', () => [['accounts.monthly', { accountId: accounts[rng.int(0, accounts.length - 1)].id, months: 12 }]]),
    };
    return { figures, medians };
  } finally {
    await service.close();
  }
}
