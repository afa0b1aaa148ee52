// UI figures: the real renderer (built by Vite) in Chromium through the dev bridge, against the service on the
// ingested database, which runs alone in a child process (bench/serve.ts) so its memory is the main side's.
//   ui_first_rows_ms   click "Transactions" in the main navigation -> the first row is on screen (median of 5 opens)
//   ui_scroll_fps      median frame rate while the list is scrolled through 10,000 rows (2,000 with --quick; pages load as it goes)
//   ui_long_tasks      main-thread tasks over 100 ms during that scroll
//   ui_search_ms       last keystroke of a word in the search box -> highlighted results on screen (median of 5 words)
//   main_rss_mb        resident memory of the service process after all that
//   renderer_heap_mb   the page's used JS heap after the scroll (after a garbage collection)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { median, round, tempDir } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SEARCH_WORDS = ['rewe', 'lidl', 'transfer', 'gehalt', 'billa'];

export interface UiFigures {
  ui_first_rows_ms: number;
  ui_scroll_fps: number;
  ui_long_tasks: number;
  ui_search_ms: number;
  main_rss_mb: number;
  renderer_heap_mb: number;
}

/** The service + dev bridge child; `rssMb()` asks it for its resident memory. */
async function startServer(dataDir: string, staticDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('serve.ts', import.meta.url)), dataDir, staticDir], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next();
    if (r.done) throw new Error('bench/serve.ts stopped');
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  const { url } = await next() as { url: string };
  return {
    url,
    async rssMb() { child.stdin!.write('rss\n'); return (await next()).rssMb as number; },
    stop: () => new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.stdin!.end(); }),
  };
}

/** `scrollRows`: how far the scroll goes (10,000 in the full run, fewer in --quick to stay near two minutes) */
export async function runUi(dataDir: string, log: (s: string) => void, scrollRows = 10_000): Promise<UiFigures> {
  const out = tempDir('mb-bench-renderer-');
  log('ui: building the renderer');
  await build({ configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)), logLevel: 'silent', build: { outDir: out.dir, emptyOutDir: true } });
  const server = await startServer(dataDir, out.dir);
  const browser = await chromium.launch({
    headless: true,
    ...(existsSync(CHROMIUM) ? { executablePath: CHROMIUM } : {}),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    // the functions handed to page.evaluate are compiled by tsx, whose output calls a __name helper for named functions
    await page.addInitScript('globalThis.__name = (f) => f');
    await page.goto(server.url);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Accounts' }).waitFor();

    // ---- open the transactions screen: click -> first row painted
    const opens: number[] = [];
    for (let i = 0; i < 5; i++) {
      await nav.getByRole('link', { name: 'Accounts' }).click();
      await page.getByRole('listbox', { name: 'Transactions' }).waitFor({ state: 'detached' });
      opens.push(await page.evaluate(() => new Promise<number>((resolve, reject) => {
        const link = [...document.querySelectorAll('nav[aria-label="Main"] a')].find((a) => a.textContent?.trim() === 'Transactions') as HTMLElement;
        const t0 = performance.now();
        link.click();
        const check = () => {
          if (document.querySelector('[role="listbox"][aria-label="Transactions"] [role="option"]')) resolve(performance.now() - t0);
          else if (performance.now() - t0 > 30_000) reject(new Error('no transaction rows after 30 s'));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      })));
    }
    log(`ui: first rows ${opens.map((t) => Math.round(t)).join(', ')} ms`);

    // ---- scroll through the rows, one step per frame; pages load as the list nears its end
    const scroll = await page.evaluate((rows) => new Promise<{ fps: number[]; longTasks: number; longest: number; reached: number }>((resolve) => {
      const list = document.querySelector('[role="listbox"][aria-label="Transactions"]') as HTMLElement;
      const rowHeight = (list.querySelector('[role="option"]') as HTMLElement).getBoundingClientRect().height;
      let longTasks = 0;
      let longest = 0;
      const obs = new PerformanceObserver((l) => {
        for (const e of l.getEntries()) { if (e.duration > 100) longTasks++; longest = Math.max(longest, e.duration); }
      });
      obs.observe({ type: 'longtask' });
      const target = rows * rowHeight;
      const fps: number[] = [];
      let last = performance.now();
      const started = last;
      const frame = (now: number) => {
        fps.push(1000 / (now - last));
        last = now;
        list.scrollTop += rowHeight * 5; // 5 rows a frame: 300 rows a second at 60 fps
        if (list.scrollTop + list.clientHeight >= target || now - started > 120_000) {
          obs.disconnect();
          resolve({ fps: fps.slice(1), longTasks, longest, reached: Math.round((list.scrollTop + list.clientHeight) / rowHeight) });
        } else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    }), scrollRows);
    log(`ui: scrolled to row ${scroll.reached} in ${scroll.fps.length} frames; ${scroll.longTasks} tasks over 100 ms, longest ${Math.round(scroll.longest)} ms`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');

    // ---- search as you type: last keystroke -> highlighted rows painted
    const box = page.getByRole('searchbox', { name: 'Search transactions' });
    const searches: number[] = [];
    for (const word of SEARCH_WORDS) {
      await box.fill('');
      await page.waitForFunction(() => !document.querySelector('[role="listbox"][aria-label="Transactions"] mark'));
      const done = page.evaluate((w) => new Promise<number>((resolve, reject) => {
        const input = document.querySelector('input[type="search"], [role="searchbox"]') as HTMLInputElement;
        let t0 = 0;
        input.addEventListener('keydown', () => { t0 = performance.now(); });
        const check = () => {
          const mark = document.querySelector('[role="listbox"][aria-label="Transactions"] [role="option"] mark');
          if (t0 && input.value === w && mark && mark.textContent!.toLowerCase().startsWith(w)) resolve(performance.now() - t0);
          else if (t0 && performance.now() - t0 > 30_000) reject(new Error(`no results for ${w}`));
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }), word);
      await box.pressSequentially(word, { delay: 30 });
      searches.push(await done);
    }
    log(`ui: search ${searches.map((t) => Math.round(t)).join(', ')} ms`);

    return {
      ui_first_rows_ms: round(median(opens), 1),
      ui_scroll_fps: round(median(scroll.fps), 1),
      ui_long_tasks: scroll.longTasks,
      ui_search_ms: round(median(searches), 1),
      main_rss_mb: round(await server.rssMb(), 1),
      renderer_heap_mb: round(heap.usedSize / 2 ** 20, 1),
    };
  } finally {
    await browser.close();
    await server.stop();
    out.cleanup();
  }
}
