// `npm run bench`: Multibank's performance figures (issue 11), printed as a table and written to bench/results.json.
//   npm run bench                      1,000,000 transactions (a few minutes)
//   npm run bench -- --quick           50,000 transactions, for everyday use (within two minutes)
//   npm run bench -- --size 250000     any size
//   --skip-ui / --skip-http / --skip-encrypted   leave those stages out (their figures are then absent)
// Benchmarks are not tests: nothing fails when a target is missed; the table says which are met.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runEncrypted } from './encrypted.js';
import { runIngest } from './ingest.js';
import { runQueries } from './queries.js';
import { round } from './stats.js';
import { runHttpSync, runParallelSync } from './sync.js';
import { runUi } from './ui.js';

/** Every figure with its target, as in issues 11 and 23 (neither bound: printed without a target). */
const TARGETS: Record<string, { max?: number; min?: number; unit: string }> = {
  ingest_ratio: { max: 1.5, unit: '×' },
  ingest_tx_per_s: { min: 150_000, unit: 'tx/s' },
  ingest_vs_lean: { max: 1.5, unit: '×' },
  db_bytes_per_tx: { max: 400, unit: 'B' },
  parse_us_per_row: { unit: 'µs' },
  sync_http_ratio: { max: 2, unit: '×' },
  sync_parse_us_per_row: { unit: 'µs' },
  parallel_sync_vs_cpu: { max: 1.3, unit: '×' },
  parallel_sync_vs_bound: { max: 1, unit: '×' },
  main_loop_delay_p99_ms: { max: 20, unit: 'ms' },
  main_loop_delay_max_ms: { max: 100, unit: 'ms' },
  query_page_p95_ms: { max: 2, unit: 'ms' },
  query_filter_p95_ms: { max: 5, unit: 'ms' },
  query_search_p95_ms: { max: 20, unit: 'ms' },
  query_overview_ms: { max: 5, unit: 'ms' },
  query_monthly_ms: { max: 50, unit: 'ms' },
  ui_first_rows_ms: { max: 800, unit: 'ms' },
  ui_scroll_fps: { min: 55, unit: 'fps' },
  ui_long_tasks: { max: 0, unit: 'tasks' },
  ui_search_ms: { max: 150, unit: 'ms' },
  main_rss_mb: { max: 300, unit: 'MB' },
  renderer_heap_mb: { max: 150, unit: 'MB' },
};

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    size: { type: 'string' },
    'skip-ui': { type: 'boolean', default: false },
    'skip-http': { type: 'boolean', default: false },
    'skip-encrypted': { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('results.json', import.meta.url)) },
  },
});
const size = Number(args.size ?? (args.quick ? 50_000 : 1_000_000));
if (!Number.isInteger(size) || size < 1000) throw new Error('--size must be an integer of at least 1000');
// the HTTP sync is 100,000 transactions for the full run (as the issue asks), a tenth of the size below that
const httpSize = Math.min(100_000, Math.max(1000, Math.round(size / 10)));
const quick = size < 1_000_000;

/** the sync engine's default number of connections synced at once (main/sync/engine.ts) */
const SYNC_BOUND = 4;
const started = Date.now();
const log = (s: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);
const figures: Record<string, number> = {};
/** figures that explain the others (not targets) */
const context: Record<string, number> = { transactions: size };

log(`ingest: ${size.toLocaleString('en')} transactions, write path, bare loop and lean loop side by side`);
const ingest = runIngest(size, 42, log);
try {
  // ingest_ratio and ingest_tx_per_s as in issue 11: parsing + mapping + the write path; ingest_vs_lean: the write path alone
  const full = { ms: ingest.parse.ms + ingest.write.ms, cpuMs: ingest.parse.cpuMs + ingest.write.cpuMs };
  figures.ingest_ratio = round(full.ms / ingest.bare.ms);
  figures.ingest_tx_per_s = Math.round(ingest.transactions / (full.ms / 1000));
  figures.ingest_vs_lean = round(ingest.write.ms / ingest.lean.ms);
  figures.db_bytes_per_tx = Math.round(ingest.dbBytes / ingest.transactions);
  figures.parse_us_per_row = round((ingest.parse.ms * 1000) / ingest.transactions, 1);
  Object.assign(context, {
    ingest_parse_ms: Math.round(ingest.parse.ms), ingest_write_ms: Math.round(ingest.write.ms), ingest_bare_ms: Math.round(ingest.bare.ms),
    ingest_lean_ms: Math.round(ingest.lean.ms), ingest_ratio_cpu: round(full.cpuMs / ingest.bare.cpuMs),
    ingest_vs_lean_cpu: round(ingest.write.cpuMs / ingest.lean.cpuMs), ingest_vs_lean_with_parse: round(full.ms / ingest.lean.ms),
    ingest_tx_per_s_cpu: Math.round(ingest.transactions / (full.cpuMs / 1000)), db_bytes: ingest.dbBytes,
    // the floor under ingest_vs_lean: the same rows' bare inserts into our schema (its indexes, FTS and triggers), per lean
    ingest_floor_vs_lean: round(ingest.bare.ms / ingest.lean.ms),
  });
  log('queries through the service');
  const queries = await runQueries(ingest.dataDir, quick ? 100 : 200);
  Object.assign(figures, queries.figures);
  Object.assign(context, queries.medians);
  if (!args['skip-ui']) {
    log('renderer in Chromium through the dev bridge');
    // no browser here (or it failed): the other figures still count; the UI ones are then absent
    try { Object.assign(figures, await runUi(ingest.dataDir, log, quick ? 2000 : 10_000)); } catch (e) { log(`ui figures skipped: ${(e as Error).message.split('\n')[0]}`); }
  }
} finally {
  ingest.cleanup();
}

if (!args['skip-http']) {
  log(`sync over HTTP: ${httpSize.toLocaleString('en')} transactions`);
  const http = await runHttpSync(httpSize, log);
  figures.sync_http_ratio = round(http.syncMs / http.fetchMs);
  figures.sync_parse_us_per_row = round(http.parseUsPerRow, 1);
  figures.main_loop_delay_p99_ms = round(http.loopDelayP99Ms, 1);
  figures.main_loop_delay_max_ms = round(http.loopDelayMaxMs, 1);
  Object.assign(context, { sync_http_transactions: http.synced, sync_http_ms: Math.round(http.syncMs), sync_http_fetch_ms: Math.round(http.fetchMs), sync_http_pages: http.pages,
    sync_http_get_requests: http.requests, sync_http_all_gets_fetch_ms: Math.round(http.allGetsMs), sync_http_refresh_ms: Math.round(http.refreshMs),
    sync_http_cpu_ms: Math.round(http.cpuMs), sync_http_whole_ms: Math.round(http.wholeMs), sync_http_with_renderer_ms: http.withRendererMs });
  log('parallel sync: 10 connections');
  // --quick syncs one connection alone (they are all shaped alike) to stay within two minutes; the full run all ten
  const par = await runParallelSync(quick ? 200 : 1000, 10, quick ? 1 : 10, log);
  // the emulator's CPU is counted with the client's: it runs on the same cores while they sync together
  figures.parallel_sync_vs_cpu = round(par.togetherMs / ((par.sumClientCpuMs + par.sumEmulatorCpuMs) / os.cpus().length));
  figures.parallel_sync_vs_bound = round(par.togetherMs / (par.slowestAloneMs * Math.ceil(10 / SYNC_BOUND)));
  Object.assign(context, { parallel_together_ms: Math.round(par.togetherMs), parallel_slowest_alone_ms: Math.round(par.slowestAloneMs),
    parallel_sum_cpu_alone_ms: Math.round(par.sumClientCpuMs), parallel_sum_emulator_cpu_alone_ms: Math.round(par.sumEmulatorCpuMs),
    parallel_sync_vs_client_cpu: round(par.togetherMs / (par.sumClientCpuMs / os.cpus().length)) });
}

// the encrypted store beside the plain one (issue 22), its own labelled block below the table
const encrypted = args['skip-encrypted'] ? null : await runEncrypted(size, quick ? 100 : 200, log);
if (encrypted) Object.assign(context, encrypted.figures);

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memory_gb: round(os.totalmem() / 2 ** 30, 1),
  node: process.version, platform: `${os.platform()} ${os.release()}`, load_average: os.loadavg().map((l) => round(l, 1)),
};
writeFileSync(args.out, JSON.stringify({ ...figures, ...context, machine }, null, 2) + '\n');

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en') : String(n));
const rows = Object.entries(TARGETS).filter(([k]) => k in figures).map(([k, t]) => {
  const v = figures[k];
  const met = (t.max === undefined || v <= t.max) && (t.min === undefined || v >= t.min);
  if (t.max === undefined && t.min === undefined) return [k, fmt(v), t.unit, '–'];
  return [k, fmt(v), `${t.max !== undefined ? '≤ ' + fmt(t.max) : '≥ ' + fmt(t.min!)} ${t.unit}`, met ? 'met' : 'MISSED'];
});
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ['figure', 'value', 'target', ''][i].length));
const line = (r: string[]) => r.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log(`\nMultibank benchmarks: ${size.toLocaleString('en')} transactions on ${machine.cpu} (${machine.cores} cores, ${machine.memory_gb} GB), Node ${machine.node}`);
console.log(line(['figure', 'value', 'target', '']));
for (const r of rows) console.log(line(r));
encrypted?.print({ ...figures, ...context });
console.log(`\ncontext: ${Object.entries(context).map(([k, v]) => `${k}=${fmt(v)}`).join(', ')}`);
console.log(`written to ${args.out} in ${Math.round((Date.now() - started) / 1000)} s`);
