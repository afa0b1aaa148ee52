// Setup file of the "clocks" projects (vitest.config.ts): the machine's date is MULTIBANK_TEST_NOW for the whole file,
// so code that reads the real clock without an injected one sees the same instant as the suite's own clocks.
import { afterAll } from 'vitest';
import { pinGlobalDate, testNow, TEST_NOW_ENV } from './clock.js';

if (!process.env[TEST_NOW_ENV]) throw new Error(`${TEST_NOW_ENV} must be set for the clocks projects`);
// TZ comes from the project's env: make sure this process really runs in it
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (process.env.TZ && zone !== process.env.TZ) throw new Error(`expected time zone ${process.env.TZ}, runs in ${zone}`);
const undo = pinGlobalDate(testNow(''), { running: true });
afterAll(undo);
