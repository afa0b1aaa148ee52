// Everifin, as a user meets it: no bank list in the app; the user signs in to the Everifin account in which the banks
// are already connected, grants access, picks accounts and browses. When Everifin stops accepting the refresh token
// the consent centre says to sign in again, and signing in again continues the same accounts and history.
import { startDemo } from '../flows.js';
import { allTransactions, expect, expectSameHistory, nav, openBankPage, signInAtEverifin, syncNow, test } from './harness.js';

test('sign in to Everifin, keep all but one account, browse; refresh token expired → sign in again, same accounts and history', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Everifin/ }).click();
  await page.getByRole('button', { name: 'Continue to Everifin' }).click();
  const everifin = await openBankPage(page);
  await expect(everifin.getByRole('heading', { name: 'Sign in to Everifin' })).toBeVisible();
  await signInAtEverifin(everifin);

  const choose = page.getByRole('region', { name: 'Choose accounts' });
  await expect(choose.getByRole('checkbox').first()).toBeVisible();
  const offered = await choose.getByRole('checkbox').count();
  expect(offered).toBeGreaterThan(1);
  await choose.getByRole('checkbox').last().uncheck();
  const kept = offered - 1;
  await page.getByRole('button', { name: `Add ${kept} account${kept === 1 ? '' : 's'}` }).click();
  await expect(page.getByRole('region', { name: 'Sync', exact: true })).toContainText(/Done · \d+ new/, { timeout: 45_000 });
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);
  expect((await app.call('accounts.list')).filter((a) => a.selected)).toHaveLength(kept);

  await nav(page, 'Transactions');
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();
  await list.getByRole('option').first().click();
  await expect(page.getByRole('complementary', { name: 'Transaction details' })).toContainText('Raw data from the aggregator');
  const accountsBefore = (await app.call('accounts.list')).map((a) => ({ id: a.id, selected: a.selected }));
  const before = await allTransactions(app);
  expect(before.length).toBeGreaterThan(100);

  // Everifin ends the sign-in: the refresh token expires (and the short access token with it)
  await app.control('/providers/everifin/expire-refresh');
  await app.control('/providers/everifin/expire-access');
  await syncNow(page);
  await nav(page, 'Connections');
  const item = page.getByRole('listitem').filter({ hasText: 'via Everifin' });
  await expect(item).toContainText('Sign in to Everifin again');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  await item.getByRole('link', { name: /Renew|Reconnect|Continue/ }).click();
  await expect(page.getByRole('heading', { name: 'Renew access' })).toBeVisible();
  await signInAtEverifin(await openBankPage(page));
  await page.getByRole('button', { name: /^Continue with \d+ accounts?$/ }).click();
  await expect.poll(async () => (await app.call('connections.list'))[0].state, { timeout: 30_000 }).toBe('active');
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);

  await nav(page, 'Connections');
  await expect(item).toContainText('Active');
  await expect(item).not.toContainText('Sign in to Everifin again');
  expect((await app.call('accounts.list')).map((a) => ({ id: a.id, selected: a.selected }))).toEqual(accountsBefore);
  expect(await app.call('connections.list')).toHaveLength(1);
  expectSameHistory(before, await allTransactions(app));
});
