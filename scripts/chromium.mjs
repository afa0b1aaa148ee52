// Which Chromium the browser tests run in: the system's (Debian's /usr/bin/chromium, as on our CI box) when there is
// one, else Playwright's own, which `npm test` installs first when it is missing. playwright.config.ts and
// scripts/test-all.mjs both ask here, so they cannot disagree.
import { existsSync } from 'node:fs';

/** where a system Chromium is looked for, per platform (only Linux distributions put one on a fixed path) */
export const SYSTEM_CHROMIUM = { linux: ['/usr/bin/chromium'] };

/** PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD as Playwright reads it: set and not "0" or "false" */
const skipsDownload = (env) => !!env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD && !['0', 'false'].includes(env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD);

/** The decision, from plain facts (a unit test feeds them). */
export function chooseChromium({ platform, env, exists, playwrightChromium }) {
  const system = (SYSTEM_CHROMIUM[platform] ?? []).find(exists);
  if (system) return { executablePath: system, install: false, problem: null };
  if (exists(playwrightChromium)) return { executablePath: null, install: false, problem: null };
  if (skipsDownload(env)) {
    return {
      executablePath: null, install: false,
      problem: 'No Chromium for the browser tests: there is no system Chromium and PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD is set. '
        + 'Install Chromium (Debian: apt-get install chromium), or unset PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD so npm test can download Playwright\'s own.',
    };
  }
  return { executablePath: null, install: true, problem: null };
}

/** The decision for this machine. */
export async function localChromium() {
  const { chromium } = await import('@playwright/test');
  return chooseChromium({ platform: process.platform, env: process.env, exists: existsSync, playwrightChromium: chromium.executablePath() });
}
