// One clock for the browser tests: the preview's service, its demo banks and the page all run from the same fixed
// instant (MULTIBANK_TEST_NOW, else E2E_START), moving on with real time, so no test depends on today's date or hour.
// The offset from real time is fixed once per run in global-setup.ts and handed down in the environment.

export const E2E_START = '2026-06-16T10:00:00.000Z';
const OFFSET_ENV = 'MULTIBANK_TEST_CLOCK_OFFSET_MS';

/** set the run's offset (global-setup) */
export function fixClockOffset(env: NodeJS.ProcessEnv = process.env): void {
  const start = Date.parse(env.MULTIBANK_TEST_NOW || E2E_START);
  if (Number.isNaN(start)) throw new RangeError(`MULTIBANK_TEST_NOW is not a date: ${env.MULTIBANK_TEST_NOW}`);
  env[OFFSET_ENV] ??= String(start - Date.now());
}

/** the run's offset from real time, or undefined outside a test run (e.g. `npm run screenshots`) */
export function clockOffsetMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const v = env[OFFSET_ENV];
  return v === undefined ? undefined : Number(v);
}

/** the tests' now: what the service, the demo banks and the page see */
export function e2eNow(): Date {
  return new Date(Date.now() + (clockOffsetMs() ?? 0));
}

/**
 * Make this JavaScript realm's Date run `offsetMs` ahead of real time. Self-contained: Playwright also sends its
 * source to every page (addInitScript). `new Date(x)`, Date.UTC, Date.parse and instanceof are untouched.
 */
export function shiftDate(offsetMs: number): void {
  const Real = Date;
  const now = () => Real.now() + offsetMs;
  globalThis.Date = new Proxy(Real, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget),
    apply: () => new Real(now()).toString(),
    get: (target, key, receiver) => (key === 'now' ? now : Reflect.get(target, key, receiver)),
  });
}
