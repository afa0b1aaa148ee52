// `npx tsx bench/import.ts [--rows 100000] [--format camt053]`: how long a statement file of that many rows takes to import (issue 21:
// 100,000 rows in under 10 s), for CSV, MT940 and CAMT.053; then the same file again (every row matched, nothing
// added). Parse + account + write path + commit, timed from the file's bytes in memory (wall and CPU time). Writes
// bench/import-results.json.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importStatement } from '../main/import/importer.js';
import { openDatabase } from '../main/store/db.js';
import { createRepositories } from '../main/store/repositories.js';
import { prng } from '../test/reliability/harness.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, format: { type: 'string' }, out: { type: 'string', default: fileURLToPath(new URL('import-results.json', import.meta.url)) } } });
const ROWS = Number(args.rows);
const IBAN = 'DE89370400440532013000';
const SHOPS = ['Edeka Süd', 'Rewe Markt', 'Stadtwerke', 'Deutsche Bahn', 'Apotheke am Markt', 'Buchhandlung Lindner', 'Tankstelle Nord', 'Bäckerei Schmidt'];

interface Row { date: string; amount: number; shop: string; text: string }
function rows(n: number): Row[] {
  const rnd = prng(21);
  const start = Date.parse('2016-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const shop = SHOPS[Math.floor(rnd() * SHOPS.length)];
    const amount = (rnd() < 0.1 ? 1 : -1) * (100 + Math.floor(rnd() * 50_000));
    return { date: new Date(start + Math.floor((i / n) * 3650) * 86_400_000).toISOString().slice(0, 10), amount, shop, text: `${shop} Beleg ${i}` };
  });
}
const dec = (minor: number, comma = false) => { const s = (Math.abs(minor) / 100).toFixed(2); return comma ? s.replace('.', ',') : s; };

function csv(list: Row[]): string {
  return 'Buchungstag;Empfänger;Verwendungszweck;Betrag\n' + list.map((r) => `${r.date.split('-').reverse().join('.')};${r.shop};${r.text};${r.amount < 0 ? '-' : ''}${dec(r.amount, true)}`).join('\n') + '\n';
}
function mt940(list: Row[]): string {
  const total = list.reduce((a, r) => a + r.amount, 0);
  const yymmdd = (d: string) => d.slice(2).replace(/-/g, '');
  return `:20:BENCH\n:25:${IBAN}\n:28C:1/1\n:60F:C${yymmdd(list[0].date)}EUR0,00\n`
    + list.map((r, i) => `:61:${yymmdd(r.date)}${r.amount < 0 ? 'D' : 'C'}${dec(r.amount, true)}NTRFNONREF//B${i}\n:86:?20${r.text}?32${r.shop}`).join('\n')
    + `\n:62F:${total < 0 ? 'D' : 'C'}${yymmdd(list[list.length - 1].date)}EUR${dec(total, true)}\n-\n`;
}
function camt(list: Row[]): string {
  const total = list.reduce((a, r) => a + r.amount, 0);
  const bal = (cd: string, m: number, d: string) => `<Bal><Tp><CdOrPrtry><Cd>${cd}</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">${dec(m)}</Amt><CdtDbtInd>${m < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${d}</Dt></Dt></Bal>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr><MsgId>B</MsgId><CreDtTm>2026-01-01T00:00:00</CreDtTm></GrpHdr><Stmt><Id>B</Id>`
    + `<Acct><Id><IBAN>${IBAN}</IBAN></Id><Ccy>EUR</Ccy></Acct>${bal('OPBD', 0, list[0].date)}${bal('CLBD', total, list[list.length - 1].date)}\n`
    + list.map((r, i) => `<Ntry><Amt Ccy="EUR">${dec(r.amount)}</Amt><CdtDbtInd>${r.amount < 0 ? 'DBIT' : 'CRDT'}</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>${r.date}</Dt></BookgDt>`
      + `<AcctSvcrRef>B${i}</AcctSvcrRef><NtryDtls><TxDtls><RltdPties><${r.amount < 0 ? 'Cdtr' : 'Dbtr'}><Nm>${r.shop}</Nm></${r.amount < 0 ? 'Cdtr' : 'Dbtr'}></RltdPties><RmtInf><Ustrd>${r.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`).join('\n')
    + '\n</Stmt></BkToCstmrStmt></Document>\n';
}

const list = rows(ROWS);
const files = { csv: csv(list), mt940: mt940(list), camt053: camt(list) };
const figures: Record<string, number> = { rows: ROWS };
for (const [format, text] of Object.entries(files).filter(([f]) => !args.format || f === args.format)) {
  const dir = mkdtempSync(join(os.tmpdir(), 'mb-bench-import-'));
  try {
    const db = openDatabase(join(dir, 'multibank.db'));
    const c = createRepositories(db).connections.create({ provider: 'powens', institutionName: 'Bench', remote: {} });
    db.prepare(`INSERT INTO accounts (connection_id, remote_id, iban, name, type, currency, created_at, updated_at) VALUES (?, 'a', ?, 'Bench', 'checking', 'EUR', '2026-01-01', '2026-01-01')`).run(c.id, IBAN);
    const bytes = new TextEncoder().encode(text);
    const mapping = { date: 'Buchungstag', amount: 'Betrag', counterparty: 'Empfänger', description: ['Verwendungszweck'], currency: 'EUR', dateFormat: 'DD.MM.YYYY' as const, decimal: ',' as const };
    // wall time, and this process's CPU time (which other load on the machine does not inflate)
    const once = () => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = importStatement(db, { fileName: `bench.${format}`, bytes, dryRun: false, ...(format === 'csv' ? { csvMapping: mapping, accountId: 1 } : {}) }, () => new Date());
      const c = process.cpuUsage(c0);
      return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, r };
    };
    const first = once();
    if (first.r.added !== ROWS) throw new Error(`${format}: added ${first.r.added} of ${ROWS}`);
    const second = once();
    if (second.r.added !== 0 || second.r.matched !== ROWS) throw new Error(`${format}: the second import added ${second.r.added}`);
    figures[`${format}_mb`] = Math.round(bytes.byteLength / 1048576 * 10) / 10;
    figures[`${format}_import_s`] = Math.round(first.ms / 10) / 100;
    figures[`${format}_reimport_s`] = Math.round(second.ms / 10) / 100;
    figures[`${format}_import_cpu_s`] = Math.round(first.cpuMs / 10) / 100;
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const machine = { cpu: os.cpus()[0]?.model ?? '?', cores: os.cpus().length, node: process.version, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) };
writeFileSync(args.out, JSON.stringify({ figures, target: { import_s: 10 }, machine }, null, 2) + '\n');
// the target is for a first import (the re-import is shown for comparison); CPU time is the figure other load on the
// machine does not inflate, wall time is what the person waits
const target = (k: string, v: number) => (/_import(_cpu)?_s$/.test(k) ? `  (target < 10 s: ${v < 10 ? 'met' : 'MISSED'})` : '');
for (const [k, v] of Object.entries(figures)) process.stdout.write(`${k.padEnd(20)} ${v}${target(k, v)}\n`);
process.stdout.write(`load average ${machine.loadavg.join(' ')} on ${machine.cores} cores (wall times grow with it)\n`);
