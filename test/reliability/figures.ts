// The suite's figures: each test file records its numbers under a name; global-setup.ts adds them up after the run,
// prints them and writes test/reliability/last-figures.json.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
/** per-file figures of the current run (gitignored) */
export const PARTS_DIR = join(here, '.figures');
export const FIGURES_FILE = join(here, 'last-figures.json');

export type Figures = Record<string, number | string>;

export function recordFigures(name: string, figures: Figures): void {
  mkdirSync(PARTS_DIR, { recursive: true });
  writeFileSync(join(PARTS_DIR, `${name}.json`), JSON.stringify(figures));
}

export function clearFigures(): void {
  rmSync(PARTS_DIR, { recursive: true, force: true });
}

/** Everything recorded in this run, by name. */
export function collectFigures(): Record<string, Figures> {
  let files: string[] = [];
  try { files = readdirSync(PARTS_DIR).filter((f) => f.endsWith('.json')); } catch { return {}; }
  return Object.fromEntries(files.sort().map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(PARTS_DIR, f), 'utf8')) as Figures]));
}

export function writeSummary(): string {
  const parts = collectFigures();
  const summary = { finishedAt: new Date().toISOString(), mode: process.env.MULTIBANK_RELIABILITY === 'full' ? 'full' : 'ci', ...parts };
  writeFileSync(FIGURES_FILE, JSON.stringify(summary, null, 2) + '\n');
  const lines = Object.entries(parts).map(([name, f]) => `  ${name}: ${Object.entries(f).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return `Reliability figures (${summary.mode}):\n${lines.join('\n') || '  (none recorded)'}\n  -> ${FIGURES_FILE}`;
}
