// One Everifin connection reaches every bank its user connected inside Everifin: the connection is titled after those
// banks, and every account names its own bank in the account choice, the overview, the account page and the CSV.
import { readFileSync } from 'node:fs';
import { parseCsv } from '../../helpers/csv.js';
import { startDemo } from '../flows.js';
import { expect, nav, openBankPage, signInAtEverifin, test } from './harness.js';

test('an Everifin connection is titled after its banks and every account names its bank, also in the CSV', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Everifin/ }).click();
  await page.getByRole('button', { name: 'Continue to Everifin' }).click();
  await signInAtEverifin(await openBankPage(page));

  const choose = page.getByRole('region', { name: 'Choose accounts' });
  await expect(choose.getByRole('checkbox').first()).toBeVisible();
  const accounts = await app.call('accounts.list');
  const banks = [...new Set(accounts.map((a) => a.bankName))];
  expect(banks.length).toBeGreaterThan(1);
  expect(banks).not.toContain('Everifin');
  const offered = choose.locator('label.account-choice');
  await expect(offered).toHaveCount(accounts.length);
  for (const [i, a] of accounts.entries()) {
    await expect(offered.nth(i)).toContainText(a.name);
    await expect(offered.nth(i)).toContainText(a.bankName);
  }
  await choose.getByRole('button', { name: `Add ${accounts.length} accounts` }).click();
  await expect(page.getByRole('region', { name: 'Sync', exact: true })).toContainText(/Done · \d+ new/, { timeout: 45_000 });
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);

  // the overview: one group titled after the banks, each account naming its own
  const title = banks.join(', ');
  expect((await app.call('connections.list')).map((c) => c.institutionName)).toEqual([title]);
  const group = page.getByRole('region', { name: title });
  await expect(group.getByRole('heading', { name: title })).toBeVisible();
  for (const a of accounts) await expect(group.locator(`a[href="#/account/${a.id}"]`)).toContainText(a.bankName);

  // the account page
  const one = accounts[0];
  await group.locator(`a[href="#/account/${one.id}"]`).click();
  await expect(page.getByRole('heading', { name: one.name, level: 1 })).toBeVisible();
  await expect(page.locator('main')).toContainText(`${one.bankName} via Everifin`);

  // the CSV: the bank column is each account's bank
  await nav(page, 'Transactions');
  await expect(page.getByRole('listbox', { name: 'Transactions' }).getByRole('option').first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export these transactions' }).click()]);
  const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
  const bankOf = new Map(accounts.map((a) => [a.name, a.bankName]));
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) expect(r.bank).toBe(bankOf.get(r.account));
  expect(new Set(rows.map((r) => r.bank)).size).toBeGreaterThan(1);
});
