// Net worth in one currency and the same account once (issue 19) end to end: demo banks (with the sandbox's copy of the ECB's rate files) →
// link Tatra Demo Banka (EUR and JPY accounts) → choose CZK as the base currency in Settings → the accounts page shows
// every account also in CZK with the date of its rate, the total and the month-end chart. Real service, real Chromium.
import { test, expect } from './fixtures.js';
import { linkDemoBank } from './flows.js';
import { signInAtEverifin } from './providers/harness.js';

test('the accounts page shows every account in the base currency, the net worth total and its chart', async ({ page, app }) => {
  await linkDemoBank(page, app.url);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Show net worth and every account also in').selectOption('CZK');
  await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  const summary = page.getByRole('region', { name: 'Net worth in CZK' });
  await expect(summary.locator('.total-amount')).toHaveText(/^(Kč|CZK)\s?[1-9][\d,]*\.\d\d$/);
  await expect(summary).toContainText("at the ECB's reference rates");
  // the chart: one point per month end, drawn
  await expect(summary.getByRole('img', { name: /Net worth in CZK at the end of each month/ }).locator('.recharts-area-curve')).toBeVisible();

  // every account also in CZK, with the day of the rate used
  const bank = page.getByRole('region', { name: 'Tatra Demo Banka' });
  const current = bank.getByRole('listitem').filter({ has: page.getByRole('link', { name: /Osobný účet/ }) });
  await expect(current.getByTestId('in-base')).toContainText(/≈ (Kč|CZK)\s?[\d,]+\.\d\d · rate of \w{3} \d{1,2}, \d{4}/);
  const jpy = bank.getByRole('listitem').filter({ has: page.getByRole('link', { name: /Devízový účet JPY/ }) });
  await expect(jpy.getByTestId('in-base')).toContainText(/≈ (Kč|CZK)\s?[\d,]+\.\d\d · rate of \w{3} \d{1,2}, \d{4}/);
  await expect(bank.getByTestId('in-base')).toHaveCount(3);

  await page.screenshot({ path: 'test-results/networth.png' });
});

test('the same account through two aggregators is shown once, names both, and the user picks the connection', async ({ page, app }) => {
  await linkDemoBank(page, app.url);

  // Everifin reaches Tatra Demo Banka too: linking says so, and the user keeps the current account anyway
  await page.getByRole('link', { name: 'Link a bank' }).first().click();
  await page.getByRole('button', { name: /^Everifin/ }).click();
  await page.getByRole('button', { name: 'Continue to Everifin' }).click();
  const [everifin] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await signInAtEverifin(everifin);
  const choose = page.getByRole('region', { name: 'Choose accounts' });
  await expect(choose.getByRole('button', { name: 'Renew Tatra Demo Banka instead' })).toBeVisible();
  const current = choose.getByRole('checkbox', { name: /Osobný účet.*Already linked through Tatra Demo Banka/ });
  await expect(current).not.toBeChecked();
  await current.check();
  await choose.getByRole('button', { name: /^Add \d+ accounts?$/ }).click();

  // one row for the account, naming both connections (the totals: test/unit/service/same-account.test.ts)
  await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Osobný účet, Current', exact: true })).toHaveCount(1);
  const sources = page.getByRole('group', { name: 'Osobný účet: also reached through other connections' });
  await expect(sources).toContainText('through Powens (Tatra Demo Banka) and Everifin');
  await expect(sources).toContainText('Shown from Powens');

  // the user prefers Everifin's copy: still one row, now from Everifin
  await sources.getByRole('button', { name: /^Use Everifin .* instead$/ }).click();
  await expect(page.getByRole('group', { name: 'Osobný účet: also reached through other connections' })).toContainText('Shown from Everifin');
  await expect(page.getByRole('link', { name: 'Osobný účet, Current', exact: true })).toHaveCount(1);
});
