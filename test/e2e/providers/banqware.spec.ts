// Banqware PSD2 Hub, as a user meets it: the bank's own pages (login, SMS code, accounts, consent), the first update
// with progress, browsing; a consent revoked at the bank shows "Reconnect", and an expired one is renewed with the
// same local accounts and not one duplicated transaction.
import type { Page } from '@playwright/test';
import { startDemo } from '../flows.js';
import { allTransactions, expect, expectSameHistory, finishAtBank, nav, openBankPage, syncNow, test, type ProviderApp } from './harness.js';

/** Banqware → Demo Bank Polski → login, one-time code, both accounts, consent → both added → first update done. */
async function linkPolski(page: Page, app: ProviderApp) {
  await startDemo(page, app.url);
  // a first update long enough to be seen in progress
  await app.control('/providers/banqware/settings', { firstUpdateMs: 5000 });
  await page.getByRole('button', { name: /^Banqware/ }).click();
  await page.getByRole('button', { name: /Demo Bank Polski/ }).click();
  const bank = await openBankPage(page);
  await bank.getByLabel('Username').fill('demo');
  await bank.getByLabel('Password').fill('demo1234');
  await bank.getByRole('button', { name: 'Log in' }).click();
  await bank.getByLabel('One-time code').fill('123456');
  await bank.getByRole('button', { name: 'Confirm' }).click();
  await expect(bank.getByRole('checkbox')).toHaveCount(2);
  for (const box of await bank.getByRole('checkbox').all()) await expect(box).toBeChecked();
  await bank.getByRole('button', { name: 'Continue' }).click();
  await bank.getByRole('button', { name: 'Approve' }).click();
  await expect(bank.getByText('You can return to Multibank')).toBeVisible();
  await bank.close();
  // the first sync's update lasts an hour of the sandbox's clock: it is still running when the test looks, however
  // slow the machine, and ends when the test moves the clock on (a condition, not a race against real time)
  await app.control('/providers/banqware/settings', { laterUpdateMs: 3_600_000 });
  await page.getByRole('button', { name: 'Add 2 accounts' }).click();
  const sync = page.getByRole('region', { name: 'Sync', exact: true });
  await expect(sync).toContainText('Asking the bank for fresh data');
  await app.control('/providers/banqware/settings', { laterUpdateMs: 300 });
  await app.control('/clock', { advanceMs: 3_600_000 });
  await expect(sync).toContainText(/Done · \d+ new/, { timeout: 45_000 });
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);
}

test('link Demo Bank Polski, first update, browse; consent revoked at the bank → Reconnect keeps the accounts', async ({ page, app }) => {
  await linkPolski(page, app);
  const bank = page.getByRole('region', { name: /Demo Bank Polski/ });
  await expect(bank.getByRole('listitem')).toHaveCount(2);
  await expect(bank.getByRole('listitem').first()).toContainText(/PL\d\d •••• \d{4}/);
  await expect(page.getByRole('region', { name: 'Totals per currency' })).toContainText('Total in PLN');

  await nav(page, 'Transactions');
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();
  await expect(list.locator('.tx-amount').first()).toHaveText(/zł|PLN/);
  const stored = await allTransactions(app);
  expect(stored.length).toBeGreaterThan(100);
  expect(new Set(stored.map((t) => t.currency))).toEqual(new Set(['PLN']));

  // the user withdraws the consent at the bank; the next sync finds out
  await app.control('/providers/banqware/revoke');
  await syncNow(page);
  await nav(page, 'Connections');
  const item = page.getByRole('listitem', { name: /Demo Bank Polski/ });
  await expect(item.getByRole('link', { name: 'Reconnect' })).toBeVisible();
  // the holder's name from Banqware's KYC resource
  await expect(item).toContainText('Account holder: Katarzyna Wiśniewska');
  expect((await app.call('connections.list'))[0].state).toBe('revoked');
  // nothing stored was lost, and reconnecting (a new consent) continues the same accounts
  expect((await allTransactions(app)).length).toBe(stored.length);
  const accountsBefore = (await app.call('accounts.list')).map((a) => a.id).sort();
  await item.getByRole('link', { name: 'Reconnect' }).click();
  await finishAtBank(await openBankPage(page));
  await page.getByRole('button', { name: 'Continue with 2 accounts' }).click();
  await expect.poll(async () => (await app.call('connections.list'))[0].state, { timeout: 30_000 }).toBe('active');
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 45_000 }).toEqual([]);
  expect((await app.call('accounts.list')).map((a) => a.id).sort()).toEqual(accountsBefore);
  expectSameHistory(stored, await allTransactions(app));
});

test('an expired Banqware consent: Renew with a new consent keeps the same accounts and duplicates nothing', async ({ page, app }) => {
  await linkPolski(page, app);
  const accountsBefore = (await app.call('accounts.list')).map((a) => a.id).sort();
  const before = await allTransactions(app);

  await app.control('/providers/banqware/expire');
  await syncNow(page);
  await nav(page, 'Connections');
  const item = page.getByRole('listitem', { name: /Demo Bank Polski/ });
  await expect(item).toContainText('Expired');
  await item.getByRole('link', { name: 'Renew' }).click();

  await expect(page.getByRole('heading', { name: 'Renew access' })).toBeVisible();
  await finishAtBank(await openBankPage(page));
  await page.getByRole('button', { name: 'Continue with 2 accounts' }).click();
  await expect.poll(async () => (await app.call('connections.list'))[0].state, { timeout: 30_000 }).toBe('active');
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 45_000 }).toEqual([]);

  await nav(page, 'Connections');
  await expect(item).toContainText('Active');
  expect((await app.call('accounts.list')).map((a) => a.id).sort()).toEqual(accountsBefore);
  expectSameHistory(before, await allTransactions(app));
});
