#!/usr/bin/env node
// `npm test`: lint, types, unit + component + reliability tests (vitest), browser end-to-end (Playwright),
// then one plain summary line. Every step runs even when an earlier one fails, so one run shows everything.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { localChromium } from './chromium.mjs';

const out = resolve('.tmp/test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };

function run(title, cmd, args, env = {}) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${title}: exit ${r.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status === 0;
}
function check(title, ok) {
  totals[ok ? 'passed' : 'failed'] += 1;
  console.log(`${title}: ${ok ? 'ok' : 'FAILED'}`);
}
function readJson(file) {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch { return null; }
}

check('lint', run('lint', 'npx', ['eslint', '.']));
check('types', run('types', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']));

const vitestOk = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}/vitest.json`]);
const v = readJson(`${out}/vitest.json`);
if (v) {
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests + (vitestOk || v.numFailedTests ? 0 : 1);
  totals.skipped += v.numPendingTests + v.numTodoTests;
} else totals.failed += 1;

function playwright(title, args) {
  const file = `${out}/${title}.json`;
  const ok = run(title, 'npx', ['playwright', 'test', ...args], { PLAYWRIGHT_JSON_OUTPUT_NAME: file });
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
if (browser.install) check('chromium', run('chromium', 'npx', ['playwright', 'install', 'chromium']));
if (browser.problem) console.log(browser.problem);
// Browser end-to-end in Chromium, then the real-Electron smoke test (skips itself where no Electron binary exists).
playwright('e2e', []);
playwright('electron', ['-c', 'test/electron/playwright.config.ts']);

console.log(`\n(lint and type-check count as one test each; details above)`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 && existsSync(out) ? 0 : 1);
