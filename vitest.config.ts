/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The date-sensitive suites run again with the machine's date and time zone set to instants where dates break:
// a year end (local 23:30, in time zones ahead of and behind UTC), 29 February, and the spring DST changes in
// Europe and America. The suites take their clock from test/helpers/clock.ts, which reads MULTIBANK_TEST_NOW.
const DATE_SENSITIVE = [
  'test/unit/domain/dates.test.ts',
  'test/unit/consent/derive.test.ts',
  'test/unit/sync/engine.test.ts',
  'test/unit/sync/writer.test.ts',
  'test/unit/linking/match.test.ts',
  'test/unit/renewal/service-match.test.ts',
  'test/unit/renewal/cli-match.test.ts',
  'test/unit/renderer/lib.test.ts',
];
const CLOCKS: Array<{ name: string; now: string; tz: string }> = [
  { name: 'year end, Kiritimati', now: '2026-12-31T23:30:00', tz: 'Pacific/Kiritimati' },
  { name: 'year end, Los Angeles', now: '2026-12-31T23:30:00', tz: 'America/Los_Angeles' },
  { name: '29 February, Kiritimati', now: '2028-02-29T00:30:00', tz: 'Pacific/Kiritimati' },
  { name: '29 February, Los Angeles', now: '2028-02-29T23:30:00', tz: 'America/Los_Angeles' },
  { name: 'DST, Bratislava', now: '2027-03-28T01:30:00', tz: 'Europe/Bratislava' },
  { name: 'DST, Los Angeles', now: '2027-03-14T01:30:00', tz: 'America/Los_Angeles' },
];

export default defineConfig({
  test: {
    // two test files at a time: most of a file's time is spent waiting on child processes, HTTP and disk
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/renderer/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        esbuild: { jsx: 'automatic' },
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
          testTimeout: 30_000,
        },
      },
      ...CLOCKS.map((c) => ({
        test: {
          name: `clock: ${c.name}`,
          environment: 'node',
          include: DATE_SENSITIVE,
          setupFiles: ['test/helpers/clock-setup.ts'],
          env: { MULTIBANK_TEST_NOW: c.now, TZ: c.tz },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      })),
      {
        test: {
          name: 'reliability',
          environment: 'node',
          include: ['test/reliability/**/*.test.ts'],
          // clears, prints and saves the suite's figures (test/reliability/last-figures.json)
          globalSetup: ['test/reliability/global-setup.ts'],
          // electron-store imports 'electron': inlined so the hardening test's vi.mock('electron') reaches it
          server: { deps: { inline: ['electron-store'] } },
          testTimeout: 300_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
