// Powens, as a user meets it: a bank's own login page (webauth) and account choice; a bank whose sign-in is a form,
// with a mistyped password first; a sync the bank stops for SCA; a consent that ends soon, renewed without
// duplicating a single transaction. Real Chromium, dev bridge, service and the sandbox's Powens emulator.
import { startDemo } from '../flows.js';
import { allTransactions, expect, expectSameHistory, finishAtBank, nav, openBankPage, test } from './harness.js';
import { e2eNow } from '../clock.js';

test('webauth at Tatra Demo Banka: choose two of three accounts, see balances and transactions', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('button', { name: /Tatra Demo Banka/ }).click();
  await finishAtBank(await openBankPage(page));

  // the second (credentials) source is offered as optional, in plain words, and Skip leaves it out
  const more = page.getByRole('form', { name: 'More accounts (optional)' });
  await expect(more.getByRole('heading', { name: 'More accounts (optional)' })).toBeVisible();
  await expect(more).toContainText('Tatra Demo Banka may have more accounts (for example savings) that the access you just approved does not share.');
  await expect(more).toContainText('This is optional: Skip keeps the accounts you have approved.');
  await expect(more).not.toContainText('directaccess');
  await expect(more.getByRole('button', { name: 'Sign in and add them' })).toBeVisible();
  await more.getByRole('button', { name: 'Skip' }).click();
  const choose = page.getByRole('region', { name: 'Choose accounts' });
  await expect(choose.getByRole('checkbox')).toHaveCount(3);
  await choose.getByRole('checkbox', { name: /Devízový účet JPY/ }).uncheck();
  await page.getByRole('button', { name: 'Add 2 accounts' }).click();

  const bank = page.getByRole('region', { name: 'Tatra Demo Banka' });
  await expect(bank.getByRole('listitem')).toHaveCount(2);
  await expect(bank.getByRole('link', { name: /Osobný účet/ })).toContainText(/€[\d,]+\.\d\d/);
  await expect(bank.getByRole('link', { name: /JPY/ })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Sync', exact: true })).toContainText(/Done · \d+ new/, { timeout: 45_000 });

  await nav(page, 'Transactions');
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();
  for (const amount of await list.locator('.tx-amount').allInnerTexts()) expect(amount).not.toContain('¥');
  const stored = await allTransactions(app);
  expect(stored.length).toBeGreaterThan(100);
  expect(new Set(stored.map((t) => t.currency))).toEqual(new Set(['EUR']));
});

test('credentials at Demo Sporiteľňa: a wrong password stores nothing, the right one links', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('button', { name: /Demo Sporiteľňa/ }).click();
  const form = page.getByRole('form', { name: 'Bank sign-in' });
  await form.getByLabel(/Username/).fill('demo');
  await form.getByLabel(/Password/).fill('wrong-password');
  await form.getByRole('button', { name: 'Continue' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/refused the login|wrong username or password/i);
  await expect(alert).toContainText(/try again|check/i);
  expect(await app.call('connections.list')).toEqual([]);
  expect(await app.control('/providers/powens/connections')).toEqual({ result: [] });
  expect(await app.call('accounts.list')).toEqual([]);

  await page.getByRole('button', { name: 'Start again' }).click();
  await page.getByRole('button', { name: /Demo Sporiteľňa/ }).click();
  await form.getByLabel(/Username/).fill('demo');
  await form.getByLabel(/Password/).fill('demo1234');
  await form.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Add 2 accounts' }).click();
  await expect(page.getByRole('region', { name: /Demo Sporiteľňa/ }).getByRole('listitem')).toHaveCount(2);
  expect(await app.call('connections.list')).toHaveLength(1);
});

test('a sync stopped for SCA at Demo Sporiteľňa: the user confirms with a one-time code and syncing goes on', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('button', { name: /Demo Sporiteľňa/ }).click();
  const form = page.getByRole('form', { name: 'Bank sign-in' });
  await form.getByLabel(/Username/).fill('demo');
  await form.getByLabel(/Password/).fill('demo1234');
  await form.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Add 2 accounts' }).click();
  const sync = page.getByRole('region', { name: 'Sync', exact: true });
  await expect(sync).toContainText(/Done · \d+ new/, { timeout: 45_000 });
  const before = await allTransactions(app);

  // this bank asks for SCA on every third sync that reaches it
  const [conn] = await app.call('connections.list');
  for (let i = 0; i < 3 && (await app.call('connections.list'))[0].state !== 'needs_user'; i++) {
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 30_000 });
  }
  await nav(page, 'Connections');
  const item = page.getByRole('listitem', { name: /Demo Sporiteľňa/ });
  await expect(item).toContainText(/confirm your identity|strong customer authentication/i);
  const renewedAfter = e2eNow().toISOString();
  await item.getByRole('link', { name: 'Renew' }).click();

  await expect(page.getByRole('heading', { name: 'Renew access' })).toBeVisible();
  const bank = await openBankPage(page);
  await bank.getByLabel('Username').fill('demo');
  await bank.getByLabel('Password').fill('demo1234');
  await bank.getByRole('button', { name: 'Log in' }).click();
  await expect(bank.getByRole('heading', { name: 'Confirm it is you' })).toBeVisible();
  await bank.getByLabel('One-time code').fill('123456');
  await bank.getByRole('button', { name: 'Confirm' }).click();
  await expect(bank.getByText('You can return to Multibank')).toBeVisible();
  await bank.close();
  await page.getByRole('button', { name: 'Continue with 2 accounts' }).click();
  // the renewal goes on syncing at once: it reads from the bank again (the next third sync asks for SCA again)
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);
  const runs = (await app.call('sync.log', {})).filter((r) => r.startedAt > renewedAfter);
  expect(runs.length).toBeGreaterThan(0);
  for (const run of runs) expect(run).toMatchObject({ connectionId: conn.id, outcome: 'ok', errorCode: null });
  expect((await app.call('connections.list')).map((c) => c.id)).toEqual([conn.id]);
  expectSameHistory(before, await allTransactions(app));
});

test('a consent ending soon at Česká Demo Banka: banner, Renew, same accounts and not one duplicated transaction', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('button', { name: /Česká Demo Banka/ }).click();
  await finishAtBank(await openBankPage(page));
  await page.getByRole('button', { name: 'Add 4 accounts' }).click();
  await expect(page.getByRole('region', { name: 'Sync', exact: true })).toContainText(/Done · \d+ new/, { timeout: 45_000 });
  const accountsBefore = (await app.call('accounts.list')).map((a) => a.id).sort();
  const before = await allTransactions(app);
  expect(before.length).toBeGreaterThan(100);

  const banner = page.getByRole('region', { name: 'Consents' });
  await expect(banner).toContainText(/Česká Demo Banka.*access expires in/);
  await banner.getByRole('link', { name: 'Renew' }).click();
  await expect(page.getByRole('heading', { name: 'Renew access' })).toBeVisible();
  await finishAtBank(await openBankPage(page));
  await page.getByRole('button', { name: 'Continue with 4 accounts' }).click();
  await expect(banner).toBeHidden();
  await expect(page.getByRole('region', { name: 'Sync', exact: true })).toContainText(/Done/, { timeout: 45_000 });
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);

  expect((await app.call('accounts.list')).map((a) => a.id).sort()).toEqual(accountsBefore);
  expectSameHistory(before, await allTransactions(app));
  await nav(page, 'Connections');
  await expect(page.getByRole('listitem', { name: /Česká Demo Banka/ })).toContainText('Active');
});
