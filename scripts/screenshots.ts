// `npm run screenshots`: the README's pictures, taken from the demo banks so they stay true.
// Builds the renderer, runs the preview on a temp data dir, links a demo bank, and saves the main screens in
// light and dark to docs/screenshots/ (plus docs/screenshot.png for the top of the README), then the accounts and
// transactions screens in German and Polish (light), switched in Settings as a person would.
import { chromium, type Page } from '@playwright/test';
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startPreview, stopPreview } from '../test/e2e/preview.js';
import { linkDemoBank } from '../test/e2e/flows.js';
import { catalogue, type Language } from '../locales/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(root, 'docs/screenshots');
mkdirSync(out, { recursive: true });

await build({ configFile: resolve(root, 'vite.config.ts'), logLevel: 'warn' });
const dataDir = mkdtempSync(join(tmpdir(), 'multibank-shots-'));
const { child, url } = await startPreview(dataDir);
const browser = await chromium.launch({
  ...(existsSync('/usr/bin/chromium') ? { executablePath: '/usr/bin/chromium' } : {}),
  args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function shoot(page: Page, name: string, themes: Array<'light' | 'dark'> = ['light', 'dark']) {
  for (const theme of themes) {
    await page.evaluate((t) => { document.documentElement.dataset.theme = t; }, theme);
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(out, `${name}-${theme}.png`) });
  }
}

try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, locale: 'en-GB' });
  await linkDemoBank(page, url);
  const nav = page.getByRole('navigation', { name: 'Main' });

  await nav.getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('region', { name: 'Totals per currency' }).waitFor();
  await shoot(page, 'accounts');

  await nav.getByRole('link', { name: 'Transactions' }).click();
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await list.getByRole('option').first().waitFor();
  await page.getByRole('searchbox', { name: 'Search transactions' }).fill('Lidl');
  await list.locator('mark').first().waitFor().catch(() => {});
  await list.getByRole('option').first().click();
  await page.getByRole('complementary', { name: 'Transaction details' }).getByText('Raw data from the aggregator').waitFor();
  await shoot(page, 'transactions');

  await nav.getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('link', { name: /Osobný účet/ }).click();
  await page.locator('.recharts-area-curve').waitFor();
  await shoot(page, 'account');

  await nav.getByRole('link', { name: 'Connections' }).click();
  await page.getByRole('heading', { name: 'Connections', level: 1 }).waitFor();
  await shoot(page, 'connections');

  // the same two screens in other languages: Settings switches the language at once (the words from the catalogue)
  let current: Language = 'en';
  for (const language of ['de', 'pl'] as const) {
    const say = (id: string, l: Language = language) => catalogue(l)[id];
    const menu = (l: Language) => page.getByRole('navigation', { name: say('nav.main', l) });
    await menu(current).getByRole('link', { name: say('nav.settings', current) }).click();
    await page.getByLabel(say('settings.language', current)).selectOption(language);
    await page.getByRole('heading', { name: say('nav.settings'), level: 1 }).waitFor();
    current = language;

    await menu(language).getByRole('link', { name: say('nav.accounts') }).click();
    await page.getByRole('region', { name: say('accounts.totals') }).waitFor();
    await shoot(page, `accounts-${language}`, ['light']);

    await menu(language).getByRole('link', { name: say('nav.transactions') }).click();
    const rows = page.getByRole('listbox', { name: say('nav.transactions') });
    await rows.getByRole('option').first().click();
    await page.getByRole('complementary', { name: say('tx.detail.label') }).getByText(say('tx.raw')).waitFor();
    await shoot(page, `transactions-${language}`, ['light']);
  }

  copyFileSync(join(out, 'account-light.png'), resolve(root, 'docs/screenshot.png'));
  console.log(`Saved screenshots to ${out} and docs/screenshot.png`);
} finally {
  await browser.close();
  await stopPreview(child);
  rmSync(dataDir, { recursive: true, force: true });
}
