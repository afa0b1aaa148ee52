// The consent centre: a consent about to expire shows a start-up banner; Renew goes through the bank again and keeps
// the same local accounts.
import { test, expect } from './fixtures.js';
import { approveAtBank, startDemo } from './flows.js';

test('a consent about to expire: banner, Renew through the bank, same accounts afterwards', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('button', { name: /Česká Demo Banka/ }).click();
  let [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await approveAtBank(bank);
  await page.getByRole('button', { name: 'Add 4 accounts' }).click();
  const accounts = page.getByRole('region', { name: /Česká Demo Banka/ }).getByRole('listitem');
  await expect(accounts).toHaveCount(4);

  const banner = page.getByRole('region', { name: 'Consents' });
  await expect(banner).toContainText(/access expires in \d+ days?/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
  await expect(page.getByRole('listitem', { name: /Česká Demo Banka/ })).toContainText('Expiring soon');

  await banner.getByRole('link', { name: 'Renew' }).click();
  await expect(page.getByRole('heading', { name: 'Renew access' })).toBeVisible();
  [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await approveAtBank(bank);
  // a renewal continues the accounts: it says so, and adds none
  const choice = page.getByRole('region', { name: 'Choose accounts' });
  await expect(choice.getByRole('heading', { name: 'Access renewed: choose the accounts to keep syncing' })).toBeVisible();
  await expect(choice).toContainText('Your accounts continue with their history');
  await expect(choice.getByRole('button', { name: /^Add / })).toHaveCount(0);
  await choice.getByRole('button', { name: 'Continue with 4 accounts' }).click();

  await expect(banner).toBeHidden();
  await expect(accounts).toHaveCount(4);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
  await expect(page.getByRole('listitem', { name: /Česká Demo Banka/ })).toContainText('Active');
  await expect(page.getByRole('listitem', { name: /Česká Demo Banka/ })).toContainText('4 accounts');
});

test('linking a bank that is already linked names its accounts and renews the existing connection instead', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('button', { name: /Česká Demo Banka/ }).click();
  let [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await approveAtBank(bank);
  await page.getByRole('button', { name: 'Add 4 accounts' }).click();
  const accounts = page.getByRole('region', { name: /Česká Demo Banka/ }).getByRole('listitem');
  await expect(accounts).toHaveCount(4);

  // the same bank again: its accounts are named as already linked and none is chosen
  await page.getByRole('link', { name: 'Link a bank' }).first().click();
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('button', { name: /Česká Demo Banka/ }).click();
  [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await approveAtBank(bank);
  const choice = page.getByRole('region', { name: 'Choose accounts' });
  await expect(choice.getByRole('status')).toContainText('These accounts are already linked through your connection to Česká Demo Banka');
  await expect(choice.getByText(/^Already linked through Česká Demo Banka/)).toHaveCount(4);
  await expect(choice.getByRole('button', { name: 'Add 0 accounts' })).toBeDisabled();

  await choice.getByRole('button', { name: /^Renew Česká Demo Banka.* instead$/ }).click();
  await expect(page.getByRole('heading', { name: 'Renew access' })).toBeVisible();
  [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await approveAtBank(bank);
  await page.getByRole('button', { name: 'Continue with 4 accounts' }).click();

  await expect(accounts).toHaveCount(4);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
  await expect(page.getByRole('listitem', { name: /Česká Demo Banka/ })).toHaveCount(1);
  await expect(page.getByRole('listitem', { name: /Česká Demo Banka/ })).toContainText('Active');
  await expect(page.getByRole('listitem', { name: /Česká Demo Banka/ })).toContainText('4 accounts');
});
