// Small helpers for figures: percentiles, a pausable stopwatch, rounding, temp dirs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
export const median = (values: number[]) => percentile(values, 50);

/**
 * Accumulates only the time spent inside `time()`, so generating input between calls is not counted: wall time, and the
 * process's CPU time (user + system), which other work on a shared machine does not inflate.
 */
export class Stopwatch {
  ms = 0;
  cpuMs = 0;
  time<T>(fn: () => T): T {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try { return fn(); } finally {
      this.ms += performance.now() - t0;
      const c = process.cpuUsage(c0);
      this.cpuMs += (c.user + c.system) / 1000;
    }
  }
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A temp dir that `cleanup()` removes (also on exit). */
export function tempDir(prefix: string): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', cleanup);
  return { dir, cleanup };
}
