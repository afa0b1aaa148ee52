// Real-Electron smoke tests: `npx playwright test -c test/electron/playwright.config.ts` (npm run test:electron).
// They skip themselves where no Electron binary exists (always on our build machines). The browser e2e config
// (playwright.config.ts, testDir test/e2e) never picks these up.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  workers: 1,
  timeout: 60_000,
  retries: 0, // a retry would hide a flaky test
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  outputDir: '../../test-results/electron',
});
