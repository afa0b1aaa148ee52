#!/usr/bin/env node
// `npm test`: lint, types, unit + component + reliability tests (vitest), browser end-to-end (Playwright),
// then one plain summary line. Every step runs even when an earlier one fails, so one run shows everything.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { localChromium } from './chromium.mjs';

const out = resolve('.tmp/test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

// Each step has a deadline, so a hung step ends as a failure with a count instead of outliving CI's time limit.
// The step runs in its own process group, and the whole group is killed at the deadline (workers included).
const MINUTES = { lint: 5, types: 10, vitest: 45, e2e: 30, electron: 10, chromium: 10 };
let current = null;
const stopGroup = (child) => { try { process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL'); } catch { /* already gone */ } };
// Ctrl-C reaches only this process (the step has its own group): take the step down with it
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { if (current) stopGroup(current); process.exit(130); });
async function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const limitMs = (MINUTES[title] ?? 10) * 60_000;
  const child = spawn(cmd, args, { stdio: 'inherit', detached: process.platform !== 'win32', shell: process.platform === 'win32', env: { ...process.env, ...env } });
  current = child;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    console.log(`=== ${title}: still running after ${MINUTES[title] ?? 10} minutes; stopped (see [stall] lines above for what hung)`);
    stopGroup(child);
  }, limitMs);
  const status = await new Promise((done) => child.on('close', (code) => done(code)));
  clearTimeout(timer);
  current = null;
  console.log(`=== ${title}: exit ${status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return status === 0 && !timedOut;
}
function check(title, ok) {
  totals[ok ? 'passed' : 'failed'] += 1;
  console.log(`${title}: ${ok ? 'ok' : 'FAILED'}`);
}
function readJson(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return null; }
}

check('lint', await run('lint', 'npx', ['eslint', '.']));
check('types', await run('types', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));

const vitestOk = await run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=./scripts/stall-reporter.mjs', '--reporter=json', `--outputFile.json=${out}/vitest.json`]);
const v = readJson(`${out}/vitest.json`);
if (v) {
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests + (vitestOk || v.numFailedTests ? 0 : 1);
  totals.skipped += v.numPendingTests + v.numTodoTests;
} else totals.failed += 1;

async function playwright(title, args) {
  const file = `${out}/${title}.json`;
  const ok = await run(title, 'npx', ['playwright', 'test', ...args], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
  const p = readJson(file);
  if (p?.stats) {
    // a test that passed only on a retry is flaky: a failure to report, not a pass
    if (p.stats.flaky) console.log(`${title}: ${p.stats.flaky} flaky test(s) (passed only on a retry) count as failed`);
    totals.passed += p.stats.expected;
    totals.failed += p.stats.unexpected + p.stats.flaky + (ok || p.stats.unexpected ? 0 : 1);
    totals.skipped += p.stats.skipped;
  } else totals.failed += 1;
}
// Browser tests need a Chromium: the system's, else Playwright's own, downloaded here the first time it is missing
const browser = await localChromium();
if (browser.install) check('chromium', await run('chromium', 'npx', ['playwright', 'install', 'chromium']));
if (browser.problem) console.log(browser.problem);
// Browser end-to-end in Chromium, then the real-Electron smoke test (skips itself where no Electron binary exists).
await playwright('e2e', []);
await playwright('electron', ['-c', 'test/electron/playwright.config.ts']);

console.log(`\n(lint and type-check count as one test each; details above)`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 && existsSync(out) ? 0 : 1);
