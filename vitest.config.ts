/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

export default defineConfig({
  test: {
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
