// Which Chromium `npm test` and playwright.config.ts use, decided from plain facts (nothing is downloaded here).
import { describe, expect, it } from 'vitest';
import { chooseChromium } from '../../../scripts/chromium.mjs';

const OWN = '/home/u/.cache/ms-playwright/chromium-1/chrome';
const facts = (platform: NodeJS.Platform, present: string[], env: NodeJS.ProcessEnv = {}) =>
  ({ platform, env, exists: (p: string) => present.includes(p), playwrightChromium: OWN });

describe('chooseChromium', () => {
  it("uses Debian's Chromium where it exists (our CI box, downloads switched off)", () => {
    expect(chooseChromium(facts('linux', ['/usr/bin/chromium', OWN], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' })))
      .toEqual({ executablePath: '/usr/bin/chromium', install: false, problem: null });
    expect(chooseChromium(facts('linux', ['/usr/bin/chromium']))).toEqual({ executablePath: '/usr/bin/chromium', install: false, problem: null });
  });

  it("installs Playwright's own Chromium where there is no system one and it is missing (macOS, Windows, another Linux)", () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(chooseChromium(facts(platform, [])), platform).toEqual({ executablePath: null, install: true, problem: null });
      expect(chooseChromium(facts(platform, [], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '0' })), platform).toMatchObject({ install: true });
    }
  });

  it("uses Playwright's own Chromium once installed, without installing again", () => {
    expect(chooseChromium(facts('darwin', [OWN]))).toEqual({ executablePath: null, install: false, problem: null });
    // a path named like Debian's on macOS is not looked at
    expect(chooseChromium(facts('darwin', ['/usr/bin/chromium', OWN]))).toEqual({ executablePath: null, install: false, problem: null });
  });

  it('says what to do when there is no Chromium and downloads are switched off', () => {
    const choice = chooseChromium(facts('linux', [], { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' }));
    expect(choice).toMatchObject({ executablePath: null, install: false });
    expect(choice.problem).toMatch(/apt-get install chromium.*unset PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD/);
  });
});
