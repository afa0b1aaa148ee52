// `app`: a running `npm run preview` (dev bridge + real service) on a free port and a fresh temp data dir, per test.
import { test as base, expect } from './clock-fixture.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachOnFailure, startPreview, stopPreview } from './preview.js';

export interface RunningApp { url: string; dataDir: string }

export const test = base.extend<{ app: RunningApp }>({
  app: async ({}, use, testInfo) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-'));
    const { child, url, stderr } = await startPreview(dataDir);
    try {
      await use({ url, dataDir });
    } finally {
      await stopPreview(child);
      await attachOnFailure(testInfo, dataDir, stderr());
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };
