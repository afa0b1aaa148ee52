// Everyday use after linking: filters, a category that survives a sync, CSV export read back, theme, offline banner.
import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures.js';
import { linkDemoBank } from './flows.js';

test('filters, category kept through a sync, CSV export, theme and offline banner', async ({ page, app }) => {
  await linkDemoBank(page, app.url);
  const nav = page.getByRole('navigation', { name: 'Main' });

  // filters: money in only, one account
  await nav.getByRole('link', { name: 'Transactions' }).click();
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();
  await page.getByLabel('Direction').selectOption('in');
  await expect(list.getByRole('option').first().locator('.tx-amount')).toHaveText(/^\+/);
  for (const amount of await list.locator('.tx-amount').allInnerTexts()) expect(amount).toMatch(/^\+/);
  await page.getByLabel('Account').selectOption({ label: 'Devízový účet JPY · Tatra Demo Banka' });
  await expect(list.locator('.tx-amount').first()).toHaveText(/¥/);
  for (const amount of await list.locator('.tx-amount').allInnerTexts()) expect(amount).toMatch(/^\+¥[\d,]+$/);
  await page.getByLabel('Account').selectOption({ label: 'All at Tatra Demo Banka' });
  // the bank's euro accounts join the yen one (which is newest depends on the day)
  await expect(list.locator('.tx-amount').filter({ hasText: '€' }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // a category and a note, stored locally
  await list.getByRole('option').first().click();
  const details = page.getByRole('complementary', { name: 'Transaction details' });
  const remote = await details.locator('dd.mono.small').innerText();
  await details.getByLabel('Category', { exact: true }).fill('Holiday fund');
  await details.getByLabel('Note', { exact: true }).fill('checked by e2e');
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(details.getByRole('status')).toHaveText('Saved');
  await expect(list.getByRole('option').first()).toContainText('Holiday fund');

  // sync again; the category is still there afterwards
  await nav.getByRole('link', { name: 'Sync log' }).click();
  const runs = page.getByRole('table').locator('tbody tr');
  await expect(runs.first()).toBeVisible();
  const before = await runs.count();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Done/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(runs).toHaveCount(before + 1);
  await nav.getByRole('link', { name: 'Transactions' }).click();
  await page.getByRole('searchbox', { name: 'Search transactions' }).fill('');
  const edited = list.getByRole('option').filter({ hasText: 'Holiday fund' });
  await expect(edited).toHaveCount(1);
  await edited.click();
  await expect(details.locator('dd.mono.small')).toHaveText(remote);
  await expect(details.getByLabel('Category', { exact: true })).toHaveValue('Holiday fund');
  await expect(details.getByLabel('Note', { exact: true })).toHaveValue('checked by e2e');

  // export CSV and read it back
  await nav.getByRole('link', { name: 'Export' }).click();
  await page.getByRole('radio', { name: 'CSV' }).check();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines.length).toBeGreaterThan(100);
  expect(lines[0].toLowerCase()).toContain('date');
  expect(csv).toContain('Holiday fund');
  await expect(page.getByRole('main').getByRole('status')).toContainText(/Saved .*\.csv with \d+ transactions/);

  // theme: dark, kept after a reload
  await nav.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('radio', { name: 'Light' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  // offline: a banner, and everything stays browsable. (Chromium's network emulation would also cut the preview's
  // loopback WebSocket, which the desktop app's IPC never goes through, so the browser's offline signal is emulated.)
  const setOnline = (online: boolean) => page.evaluate((on) => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => on });
    window.dispatchEvent(new Event(on ? 'online' : 'offline'));
  }, online);
  await setOnline(false);
  await expect(page.getByText('You are offline.')).toBeVisible();
  await nav.getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('region', { name: 'Tatra Demo Banka' })).toBeVisible();
  await setOnline(true);
  await expect(page.getByText('You are offline.')).toBeHidden();
});
