// vitest globalSetup of the reliability project: clears the per-file figures before the run, prints and saves them after.
import { clearFigures, writeSummary } from './figures.js';

export function setup(): void {
  clearFigures();
}

export function teardown(): void {
  console.log(`\n${writeSummary()}\n`);
}
