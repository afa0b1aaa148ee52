// Measure the read queries on a generated database (not a test): `npx tsx test/unit/store/measure-queries.ts [rows] [file]`
import { existsSync } from 'node:fs';
import { openDatabase } from '../../../main/store/db.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { balanceHistory, listTransactions, monthlyInOut, overviewTotals, topCounterparties } from '../../../main/store/queries.js';
import type { RemoteTransaction } from '../../../main/domain/types.js';

const N = Number(process.argv[2] ?? 1_000_000);
const file = process.argv[3] ?? `.tmp/q-${N}.db`;
const ACCOUNTS = 20;
const shops = ['REWE', 'Amazon Marketplace', 'Miete Hausverwaltung', 'Gehalt ACME GmbH', 'Lidl', 'Spotify', 'Netflix', 'Deutsche Bahn', 'Shell Tankstelle', 'Apotheke am Markt', 'Café Müller', 'Edeka', 'IKEA', 'Zalando', 'Stadtwerke', 'Vodafone', 'Allianz', 'dm-drogerie', 'Rossmann', 'Saturn'];
const fresh = !existsSync(file);
const db = openDatabase(file);
db.pragma('cache_size = -32768');
if (fresh) {
  const r = createRepositories(db);
  const c = r.connections.create({ provider: 'powens', institutionName: 'B', remote: {} });
  r.accounts.upsertRemote(c.id, Array.from({ length: ACCOUNTS }, (_, i) => ({ remoteId: `acc${i}`, name: `A${i}`, type: 'current' as const, currency: i % 5 === 0 ? 'USD' : 'EUR', balanceCurrent: 100000 + i, balanceCurrentDate: '2026-11-20' })));
  const w = new TransactionWriter(db);
  const run = new RunContext(new Date().toISOString());
  const per = N / ACCOUNTS;
  let seed = 1;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  const t0 = performance.now();
  for (let a = 0; a < ACCOUNTS; a++) {
    let page: RemoteTransaction[] = [];
    for (let i = 0; i < per; i++) {
      const d = new Date(Date.UTC(2020, 10, 21) + Math.floor((i / per) * 6 * 365) * 86400000).toISOString().slice(0, 10);
      const shop = shops[Math.floor(rnd() * shops.length)];
      const amount = shop.startsWith('Gehalt') ? 350000 : -Math.floor(rnd() * 20000) - 1;
      page.push({ remoteId: `a${a}-${i}`, bookingDate: d, amount, currency: 'EUR', status: 'booked', description: `${shop} ${['Kartenzahlung', 'Lastschrift', 'Überweisung'][i % 3]} ${Math.floor(rnd() * 1e6)}`, counterpartyName: shop, raw: { i } });
      if (page.length === 1000) { w.writePage(a + 1, page, run); page = []; }
    }
    if (page.length) w.writePage(a + 1, page, run);
  }
  console.log('built', N, 'rows in', Math.round(performance.now() - t0), 'ms');
  db.exec('ANALYZE');
}
function p95(fn: (i: number) => unknown, n = 60): number {
  for (let i = 0; i < 5; i++) fn(i);
  const ts: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); fn(i); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  return +ts[Math.floor(n * 0.95)].toFixed(2);
}
const out: Record<string, number> = {};
out.page_date_desc = p95(() => listTransactions(db, { sort: 'date_desc', limit: 50 }));
out.page_amount_asc = p95(() => listTransactions(db, { sort: 'amount_asc', limit: 50 }));
out.page_2nd = p95(() => { const p = listTransactions(db, { limit: 50 }); listTransactions(db, { limit: 50, cursor: p.nextCursor! }); });
out.filter = p95((i) => listTransactions(db, { accountIds: [(i % 20) + 1], from: '2024-01-01', to: '2024-12-31', minSize: '10', maxSize: '50', direction: 'out', limit: 50 }));
out.filter_multi = p95((i) => listTransactions(db, { accountIds: [(i % 20) + 1, ((i + 3) % 20) + 1], from: '2024-01-01', to: '2024-06-30', direction: 'out', limit: 50 }));
out.search_word = p95((i) => listTransactions(db, { search: ['rewe', 'netflix', 'cafe', 'lastschrift', 'ikea'][i % 5], limit: 50 }));
out.search_rare = p95((i) => listTransactions(db, { search: `${123400 + i}`, limit: 50 }));
out.search_prefix = p95((i) => listTransactions(db, { search: ['zal', 'stadtw', 'ross'][i % 3], limit: 50 }));
out.overview = p95(() => overviewTotals(db));
out.monthly = p95((i) => monthlyInOut(db, (i % 20) + 1, 12, '2026-11-20'));
out.top = p95((i) => topCounterparties(db, (i % 20) + 1, 10, { today: '2026-11-20' }));
out.balance = p95((i) => balanceHistory(db, (i % 20) + 1, { today: '2026-11-20' }));
console.log(JSON.stringify(out));
