// finAPI Access v2 with Web Form 2.0, as a user meets it: search a bank, sign in and confirm with a one-time code in
// the web form, share some accounts there, browse; later a background update that needs the web form again
// ("WEB_FORM_REQUIRED") becomes a Renew on the connection, and renewing keeps the accounts and history.
import type { Page } from '@playwright/test';
import { startDemo } from '../flows.js';
import { allTransactions, duplicates, expect, expectSameHistory, finishAtBank, nav, openBankPage, test } from './harness.js';

/** finAPI → search "Sparkasse" → Demo Sparkasse Berlin → the web form, sharing the accounts not in `unshare`. */
async function linkSparkasse(page: Page, unshare: RegExp | null) {
  await page.getByRole('button', { name: /^finAPI/ }).click();
  await page.getByRole('searchbox', { name: 'Search banks' }).fill('Sparkasse');
  await expect(page.getByRole('list', { name: 'Banks' }).getByRole('button')).toHaveCount(1);
  await page.getByRole('button', { name: /Demo Sparkasse Berlin/ }).click();
  const form = await openBankPage(page);
  await expect(form.getByRole('heading', { name: 'Sign in to Demo Sparkasse Berlin' })).toBeVisible();
  await form.getByLabel('Username').fill('demo');
  await form.getByLabel('Password').fill('demo1234');
  await form.getByRole('button', { name: 'Log in' }).click();
  await expect(form.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
  await form.getByLabel('One-time code').fill('123456');
  await form.getByRole('button', { name: 'Confirm' }).click();
  await expect(form.getByRole('heading', { name: 'Choose the accounts to share' })).toBeVisible();
  if (unshare) await form.getByRole('checkbox', { name: unshare }).uncheck();
  await form.getByRole('button', { name: 'Continue' }).click();
  await expect(form.getByText('You can return to Multibank')).toBeVisible();
  await form.close();
}

test('Web Form 2.0: bank search, login, one-time code, two of three accounts shared, transactions browsed', async ({ page, app }) => {
  await startDemo(page, app.url);
  await linkSparkasse(page, /Kreditkarte/);

  const choose = page.getByRole('region', { name: 'Choose accounts' });
  await expect(choose.getByRole('checkbox')).toHaveCount(2);
  await expect(choose).not.toContainText('Kreditkarte');
  await page.getByRole('button', { name: 'Add 2 accounts' }).click();
  const bank = page.getByRole('region', { name: 'Demo Sparkasse Berlin' });
  await expect(bank.getByRole('listitem')).toHaveCount(2);
  await expect(bank.getByRole('link', { name: /Girokonto/ })).toContainText(/DE\d\d •••• \d{4}/);
  await expect(bank.getByRole('link', { name: /Girokonto/ })).toContainText(/€[\d,]+\.\d\d/);
  await expect(page.getByRole('region', { name: 'Sync', exact: true })).toContainText(/Done · \d+ new/, { timeout: 45_000 });

  await nav(page, 'Transactions');
  await page.getByLabel('Account').selectOption({ label: 'Girokonto · Demo Sparkasse Berlin' });
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();
  await list.getByRole('option').first().click();
  const details = page.getByRole('complementary', { name: 'Transaction details' });
  await expect(details).toContainText('Raw data from the aggregator');
  const stored = await allTransactions(app);
  expect(stored.length).toBeGreaterThan(100);
  expect(duplicates(stored)).toEqual([]);
});

test('WEB_FORM_REQUIRED on a background update: Renew through the update web form keeps accounts and history', async ({ page, app }) => {
  await startDemo(page, app.url);
  await linkSparkasse(page, null);
  await page.getByRole('button', { name: 'Add 3 accounts' }).click();
  const sync = page.getByRole('region', { name: 'Sync', exact: true });
  await expect(sync).toContainText(/Done · \d+ new/, { timeout: 45_000 });
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);
  const accountsBefore = (await app.call('accounts.list')).map((a) => a.id).sort();
  const before = await allTransactions(app);

  // the bank wants the user again: the next update task ends WEB_FORM_REQUIRED
  await app.control('/providers/finapi/forceUpdate', { outcome: 'web_form_required' });
  await sync.getByRole('button', { name: 'Sync now' }).click();
  await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 30_000 });
  // the message names the button beside it, on the accounts overview and in the consent centre alike
  await nav(page, 'Accounts');
  const bankOnOverview = page.getByRole('region', { name: 'Demo Sparkasse Berlin' });
  await expect(bankOnOverview).toContainText('web form. Choose Renew.');
  await expect(bankOnOverview.getByRole('link', { name: 'Renew' })).toBeVisible();
  await nav(page, 'Connections');
  const item = page.getByRole('listitem', { name: 'Demo Sparkasse Berlin' });
  await expect(item).toContainText('web form. Choose Renew.');
  await expect(item.getByRole('link', { name: 'Renew' })).toBeVisible();
  await expect(item.getByRole('link', { name: 'Continue' })).toHaveCount(0);
  expect((await app.call('connections.list'))[0]).toMatchObject({ state: 'needs_user', lastErrorCode: null });

  await item.getByRole('link', { name: 'Renew' }).click();
  await expect(page.getByRole('heading', { name: 'Renew access' })).toBeVisible();
  await finishAtBank(await openBankPage(page));
  await page.getByRole('button', { name: 'Continue with 3 accounts' }).click();
  await expect.poll(async () => (await app.call('connections.list'))[0].state, { timeout: 30_000 }).toBe('active');
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);

  await nav(page, 'Connections');
  await expect(item).toContainText('Active');
  await expect(item).toContainText('3 accounts');
  expect((await app.call('accounts.list')).map((a) => a.id).sort()).toEqual(accountsBefore);
  expectSameHistory(before, await allTransactions(app));
});
