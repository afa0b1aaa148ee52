// Browser end-to-end tests: the built renderer + dev bridge + real service (+ demo sandbox) in the system's Chromium
// (Debian's /usr/bin/chromium), or Playwright's own where there is none (scripts/chromium.mjs).
import { chromium as playwrightChromium, defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { chooseChromium } from './scripts/chromium.mjs';

const { executablePath } = chooseChromium({ platform: process.platform, env: process.env, exists: existsSync, playwrightChromium: playwrightChromium.executablePath() });

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  // two spec files at a time: each test has its own preview, data dir and demo banks, and most of its time is waiting
  workers: 2,
  timeout: 90_000,
  // the whole run ends (and reports) before scripts/test-all.mjs stops it at its deadline
  globalTimeout: 28 * 60_000,
  expect: { timeout: 15_000 },
  retries: 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1360, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
