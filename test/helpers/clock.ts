// Fixed clocks for tests. A date-sensitive suite asks `testNow(itsOwnDefault)` for the instant it runs at and derives
// every date from it, so `npm test` can run the same suite again at other instants (a year end, 29 February, a DST
// change; vitest.config.ts, project "clocks") by setting MULTIBANK_TEST_NOW, and in other time zones through TZ.
// An instant without an offset ("2026-12-31T23:30:00") is local time in TZ.
import { vi } from 'vitest';

export const TEST_NOW_ENV = 'MULTIBANK_TEST_NOW';

/** the instant this run of the suite is at: MULTIBANK_TEST_NOW when set, else the suite's own fixed `fallback` */
export function testNow(fallback: string): Date {
  const iso = process.env[TEST_NOW_ENV] || fallback;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new RangeError(`${TEST_NOW_ENV} (or the test's default) is not a date: ${iso}`);
  return new Date(t);
}

/** the UTC calendar day of testNow(fallback), the day main/ calls today */
export function testToday(fallback: string): string {
  return testNow(fallback).toISOString().slice(0, 10);
}

/** a clock that stands still unless moved: starts at `start` */
export function fixedClock(start: Date | string) {
  let t = typeof start === 'string' ? Date.parse(start) : start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => { t += ms; },
    set: (iso: string) => { t = Date.parse(iso); },
  };
}

/** a clock that starts at `start` and moves on with real time, as a machine's would */
export function runningClock(start: Date): () => Date {
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}

/**
 * Set the global Date (Date.now(), new Date()) to `at` for code that reads the machine's clock itself. Timers stay
 * real; with `running` the date then moves on with real time (as a machine's clock would), else it stands still.
 * Returns the undo.
 */
export function pinGlobalDate(at: Date, { running = false } = {}): () => void {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: running });
  vi.setSystemTime(at);
  return () => { vi.useRealTimers(); };
}
