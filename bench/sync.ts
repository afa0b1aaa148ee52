// Sync figures over HTTP against the sandbox's finAPI emulator (a child process serving "Demo Bulk Bank"), through the
// service as the app runs it: link with the bank's pages, choose accounts, the first sync runs (main/sync engine).
//   sync_http_ratio: a first sync's time after the aggregator's refresh (a sync of its own, no renderer's calls beside it) /
//     a bare fetch loop downloading the same transaction pages (same URLs, same headers).
//   main_loop_delay_p99_ms / _max_ms: the event loop's delay (monitorEventLoopDelay) during another first sync while a
//     renderer's calls page and search the transactions (through the service, as IPC does) one after another.
//   parallel_sync_vs_cpu / parallel_sync_vs_bound: 10 connections synced together against the sum of their CPU times alone
//     (this process's and the emulator's: both run on the same cores) / the cores, and against the slowest alone ×
//     ⌈10 / the engine's bound⌉ (no latency added and a zero-length bank update: both then measure the client).
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startDemoSandbox, type DemoSandbox } from '../main/demo/index.js';
import { silentLogger } from '../main/log/index.js';
import { mapTransaction } from '../main/providers/finapi/index.js';
import { TransactionPageSchema, TransactionSchema } from '../main/providers/finapi/schemas.js';
import { parseLossless } from '../main/providers/json.js';
import { readRows } from '../main/providers/rows.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../main/vault/index.js';
import type { LinkStepDto } from '../preload/contract/channels.js';
import { browse } from '../test/unit/service/bank-browser.js';
import { tempDir } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROVIDER = 'finapi'; // serves every ledger bank (the bulk bank too) and up to 3 years of history
const WORDS = ['rewe', 'amazon', 'miete', 'lidl', 'spotify', 'shell'];
const BULK_PASSWORD = 'bulk1234';

interface Recorded { url: string; headers: Record<string, string>; page: boolean }

/** A service on a temp dir, configured for the sandbox; `recorded` collects the GET requests it sends (`page`: a transaction page). */
async function openService(sandbox: DemoSandbox) {
  const tmp = tempDir('mb-bench-sync-');
  const recorded: Recorded[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if ((init?.method ?? 'GET') === 'GET') recorded.push({ url, headers: { ...(init?.headers as Record<string, string>) }, page: /\/api\/v2\/transactions\?/.test(url) });
    return fetch(input, init);
  };
  const service = await createService({
    dataDir: tmp.dir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
    redirectMode: 'loopback', logger: silentLogger, background: false, fetch: recordingFetch,
    startDemo: async () => ({ configs: sandbox.configs, stop: () => {} }),
  });
  await service.call('demo.start', undefined);
  const close = async () => { await service.close(); tmp.cleanup(); };
  return { service, recorded, close };
}

/** Link the bulk bank as `username` up to the account choice (no sync yet); returns the connection and its accounts. */
async function link(service: MultibankService, username: string): Promise<{ connectionId: number; accountIds: number[] }> {
  const banks = await service.call('institutions.list', { provider: PROVIDER, query: 'Bulk' });
  const bank = banks.find((b) => b.name === 'Demo Bulk Bank');
  if (!bank) throw new Error(`The ${PROVIDER} emulator does not list Demo Bulk Bank`);
  let step: LinkStepDto = await service.call('link.begin', { provider: PROVIDER, institutionId: bank.id });
  for (let i = 0; i < 40 && step.kind !== 'done'; i++) {
    if (step.kind === 'redirect') {
      const auth = new URL(step.url);
      const back = await browse(step.url, { username, password: BULK_PASSWORD }, (u) => {
        const x = new URL(u);
        return x.protocol === 'multibank:' || (x.hostname === '127.0.0.1' && x.pathname === '/callback' && x.origin !== auth.origin);
      });
      await (await fetch(back)).text(); // the service's loopback listener takes it
      step = await service.call('link.poll', { linkId: step.linkId });
    } else if (step.kind === 'form') {
      const values = Object.fromEntries(step.fields.map((f) => [f.name, f.type === 'password' ? BULK_PASSWORD : /user|login|name/i.test(f.name) ? username : f.values?.[0]?.value ?? '']));
      step = await service.call('link.submit', { linkId: step.linkId, values });
    } else {
      await new Promise((r) => setTimeout(r, 100));
      step = await service.call('link.poll', { linkId: step.linkId });
    }
  }
  if (step.kind !== 'done') throw new Error(`Linking ${username} did not finish: ${JSON.stringify(step)}`);
  return { connectionId: step.connectionId, accountIds: step.accounts.map((a) => a.id) };
}

/** Choose every account (which starts the first sync) and wait for it; returns the run from the sync log. */
async function firstSync(service: MultibankService, c: { connectionId: number; accountIds: number[] }) {
  await service.call('link.chooseAccounts', c);
  await service.idle();
  const [run] = await service.call('sync.log', { connectionId: c.connectionId, limit: 1 });
  if (!run || run.outcome !== 'ok') throw new Error(`The first sync did not finish: ${JSON.stringify(run)}`);
  return run;
}

const control = (sandbox: DemoSandbox, method: string, path: string, body?: unknown) =>
  fetch(new URL(path, sandbox.control), { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    .then(async (r) => { if (!r.ok) throw new Error(`control ${path}: HTTP ${r.status} ${await r.text()}`); });

export async function runHttpSync(transactions: number, log: (s: string) => void) {
  const sandbox = await startDemoSandbox({ cwd: ROOT, args: ['--providers', PROVIDER, '--bulk', String(transactions)] });
  const s = await openService(sandbox);
  const quiet = await openService(sandbox);
  try {
    const c = await link(s.service, 'bulk');
    // a renderer paging and searching while the sync runs; the loop's delay is what the window would feel
    const delay = monitorEventLoopDelay({ resolution: 1 });
    let syncing = true;
    const renderer = (async () => {
      for (let i = 0; syncing; i++) {
        await s.service.call('transactions.list', i % 2 ? { search: WORDS[i % WORDS.length], sort: 'date_desc', limit: 50 } : { sort: 'date_desc', limit: 50 });
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    delay.enable();
    const withRenderer = await firstSync(s.service, c).finally(() => { syncing = false; delay.disable(); });
    await renderer;
    log(`sync over HTTP with the renderer's calls: ${withRenderer.newCount.toLocaleString('en')} transactions in ${withRenderer.durationMs} ms`);

    // the same first sync again on a second service, alone: its time after the aggregator's refresh (which waits for the
    // bank, not for the client) is what the bare download is held against
    const q = await link(quiet.service, 'bulk');
    quiet.recorded.length = 0;
    const at: Partial<Record<'refresh' | 'accounts' | 'done', number>> = {};
    const off = quiet.service.on('sync.progress', (e) => {
      if (e.connectionId === q.connectionId && (e.phase === 'refresh' || e.phase === 'accounts' || e.phase === 'done')) at[e.phase] ??= performance.now();
    });
    const c0 = process.cpuUsage();
    const run = await firstSync(quiet.service, q).finally(off);
    const cpu = process.cpuUsage(c0);
    if (at.refresh === undefined || at.accounts === undefined || at.done === undefined) throw new Error(`sync progress events missing: ${JSON.stringify(at)}`);
    const pages = quiet.recorded.filter((r) => r.page);
    log(`sync over HTTP alone: ${run.newCount.toLocaleString('en')} transactions in ${run.durationMs} ms (refresh ${Math.round(at.accounts - at.refresh)} ms), ${pages.length} transaction pages, ${quiet.recorded.length} GET requests`);
    /** the requests downloaded one after another with nothing else done (`read` is given each body, its time not counted) */
    const download = async (list: Recorded[], read: (body: string) => void = () => {}) => {
      let ms = 0;
      for (const r of list) {
        const t0 = performance.now();
        const res = await fetch(r.url, { headers: r.headers });
        const body = await res.text();
        ms += performance.now() - t0;
        if (!res.ok) throw new Error(`bare fetch: HTTP ${res.status}`);
        read(body);
      }
      return ms;
    };
    const fetchMs = await download(pages);
    // the client's own work on those pages, per row: JSON (numbers as text), the page and row schemas, the mapping (in a
    // download of its own: the garbage it leaves would otherwise be collected inside the timed fetches)
    let rows = 0;
    let parseMs = 0;
    await download(pages, (body) => {
      const t0 = performance.now();
      rows += readRows(TransactionPageSchema.parse(parseLossless(body)).transactions, TransactionSchema, (t) => mapTransaction(t, '')).transactions.length;
      parseMs += performance.now() - t0;
    });
    const parseUsPerRow = rows ? (parseMs * 1000) / rows : 0;
    // context: every GET the sync sent (accounts, pendings ... too), to tell request count from client-side work
    const allGetsMs = await download(quiet.recorded);
    return { syncMs: at.done - at.accounts, refreshMs: at.accounts - at.refresh, wholeMs: at.done - at.refresh, cpuMs: (cpu.user + cpu.system) / 1000,
      withRendererMs: withRenderer.durationMs!, fetchMs, allGetsMs, parseUsPerRow, synced: run.newCount, pages: pages.length, requests: quiet.recorded.length,
      loopDelayP99Ms: delay.percentile(99) / 1e6, loopDelayMaxMs: delay.max / 1e6 };
  } finally {
    await s.close();
    await quiet.close();
    await sandbox.stop();
  }
}

/** CPU ms a process has used so far (user + system, from /proc; 0 where there is no /proc) */
function processCpuMs(pid: number | undefined): number {
  try {
    // utime and stime (fields 14 and 15, counted from the command name's last parenthesis: the name may hold spaces), in
    // clock ticks of 1/100 s (USER_HZ on Linux)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** `aloneRuns` of the (identically shaped) connections are synced alone (wall, this process's CPU time and the
 *  emulator's); the rest are taken to cost what the measured ones cost on average. */
export async function runParallelSync(transactionsPerConnection: number, connections: number, aloneRuns: number, log: (s: string) => void) {
  const sandbox = await startDemoSandbox({
    cwd: ROOT, args: ['--providers', PROVIDER, '--bulk', String(transactionsPerConnection * connections), '--bulk-logins', String(connections)],
  });
  // the bank's update takes no time: the figures measure the client, not the aggregator's wait for the bank
  await control(sandbox, 'POST', '/providers/finapi/updateDuration', { ms: 0 });
  const logins = Array.from({ length: connections }, (_, i) => `bulk${i + 1}`);
  const alone = await openService(sandbox);
  const together = await openService(sandbox);
  try {
    // link everything first; then the first syncs
    const aloneLinks: Array<{ connectionId: number; accountIds: number[] }> = [];
    const togetherLinks: typeof aloneLinks = [];
    for (const u of logins.slice(0, aloneRuns)) aloneLinks.push(await link(alone.service, u));
    for (const u of logins) togetherLinks.push(await link(together.service, u));
    const aloneMs: number[] = [];
    const aloneCpuMs: number[] = [];
    const aloneEmulatorMs: number[] = [];
    for (const [i, c] of aloneLinks.entries()) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const e0 = processCpuMs(sandbox.pid);
      await firstSync(alone.service, c);
      const cpu = process.cpuUsage(c0);
      aloneEmulatorMs.push(processCpuMs(sandbox.pid) - e0);
      aloneMs.push(performance.now() - t0);
      aloneCpuMs.push((cpu.user + cpu.system) / 1000);
      log(`parallel: ${logins[i]} alone ${Math.round(aloneMs[i])} ms (CPU ${Math.round(aloneCpuMs[i])} ms, the emulator's ${Math.round(aloneEmulatorMs[i])} ms)`);
    }
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const e0 = processCpuMs(sandbox.pid);
    await Promise.all(togetherLinks.map((c) => firstSync(together.service, c)));
    const togetherMs = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    log(`parallel: ${connections} together ${Math.round(togetherMs)} ms (CPU ${Math.round((cpu.user + cpu.system) / 1000)} ms, the emulator's ${Math.round(processCpuMs(sandbox.pid) - e0)} ms)`);
    const sum = (list: number[]) => (list.reduce((a, b) => a + b, 0) / list.length) * connections;
    return { togetherMs, slowestAloneMs: Math.max(...aloneMs), sumClientCpuMs: sum(aloneCpuMs), sumEmulatorCpuMs: sum(aloneEmulatorMs) };
  } finally {
    await alone.close();
    await together.close();
    await sandbox.stop();
  }
}
