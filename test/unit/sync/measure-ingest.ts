// Quick side-by-side measurement of the write path vs a bare insert loop (not a test; `npx tsx test/unit/sync/measure-ingest.ts [N]`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../main/store/db.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import type { RemoteTransaction } from '../../../main/domain/types.js';

const N = Number(process.argv[2] ?? 200_000);
const ACCOUNTS = 20;
const PAGE = 500;
const words = ['REWE', 'Amazon', 'Miete', 'Gehalt', 'Lidl', 'Spotify', 'Netflix', 'Deutsche Bahn', 'Shell', 'Apotheke', 'Café Müller', 'Edeka'];

function gen(): RemoteTransaction[][] {
  const per = Math.ceil(N / ACCOUNTS);
  const out: RemoteTransaction[][] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const txs: RemoteTransaction[] = [];
    for (let i = 0; i < per; i++) {
      const d = new Date(Date.UTC(2020, 0, 1) + Math.floor((i / per) * 6 * 365) * 86400000).toISOString().slice(0, 10);
      const w = words[(i * 7 + a) % words.length];
      txs.push({ remoteId: `a${a}-t${i}`, bookingDate: d, valueDate: d, amount: -((i * 37) % 50000) - 1, currency: 'EUR', status: 'booked',
        description: `${w} card payment ${i % 1000} ref ${a}${i}`, counterpartyName: `${w} GmbH`, counterpartyIban: null,
        raw: { id: `a${a}-t${i}`, date: d, value: (-(i * 37) % 50000) / 100, wording: `${w} card payment`, type: 'card' } });
    }
    out.push(txs);
  }
  return out;
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'mb-ingest-'));
  const db = openDatabase(join(dir, 'm.db'));
  for (const pr of (process.env.PRAGMAS ?? '').split(',').filter(Boolean)) db.pragma(pr);
  for (const ix of (process.env.DROP ?? '').split(',').filter(Boolean)) db.exec(`DROP INDEX ${ix}`);
  const r = createRepositories(db);
  const c = r.connections.create({ provider: 'powens', institutionName: 'B', remote: {} });
  r.accounts.upsertRemote(c.id, Array.from({ length: ACCOUNTS }, (_, i) => ({ remoteId: `acc${i}`, name: `A${i}`, type: 'current' as const, currency: 'EUR' })));
  return { dir, db };
}

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const data = gen();
// bare loop
{
  const { dir, db } = setup();
  const ins = db.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, value_date, amount, currency, status, description,
        counterparty_name, counterparty_iban, raw_json, raw_hash, fingerprint, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const at = new Date().toISOString();
  db.transaction(() => {
    data.forEach((txs, a) => { for (const t of txs) ins.run(a + 1, t.remoteId, t.bookingDate, t.valueDate, t.amount, t.currency, t.status, t.description, t.counterpartyName, null, JSON.stringify(t.raw), 'h', 'f', at, at); });
  })();
  const bare = performance.now() - t0;
  const bareCpu = cpuMs(process.cpuUsage(c0));
  db.close(); rmSync(dir, { recursive: true, force: true });
  // write path
  const s = setup();
  const w = new TransactionWriter(s.db);
  const run = new RunContext(new Date().toISOString());
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  data.forEach((txs, a) => {
    for (let i = 0; i < txs.length; i += PAGE) w.writePage(a + 1, txs.slice(i, i + PAGE), run, { resume: null });
  });
  const real = performance.now() - t1;
  const realCpu = cpuMs(process.cpuUsage(c1));
  const n = data.reduce((x, y) => x + y.length, 0);
  console.log(JSON.stringify({ n, bare_ms: Math.round(bare), write_ms: Math.round(real), ratio: +(real / bare).toFixed(2), tx_per_s: Math.round(n / (real / 1000)),
    bare_cpu_ms: Math.round(bareCpu), write_cpu_ms: Math.round(realCpu), cpu_ratio: +(realCpu / bareCpu).toFixed(2) }));
  s.db.close(); rmSync(s.dir, { recursive: true, force: true });
}
