// Renewal when the bank lists its accounts without IBAN and under new ids (a new Banqware consent): the account with
// local history is recognised by its transactions; the one with none stored is asked about, with its candidate shown.
// Afterwards: the same local accounts, not one duplicated transaction.
import { startDemo } from '../flows.js';
import { allTransactions, expect, expectSameHistory, finishAtBank, nav, openBankPage, syncNow, test } from './harness.js';

test('Banqware renewal without IBANs: transactions confirm one account, the user matches the other; same accounts, no duplicates', async ({ page, app }) => {
  await startDemo(page, app.url);
  await app.control('/providers/banqware/hide-ibans', { on: true });
  await page.getByRole('button', { name: /^Banqware/ }).click();
  await page.getByRole('button', { name: /Demo Bank Polski/ }).click();
  await finishAtBank(await openBankPage(page));
  // keep only the current account: nothing of the savings account is stored, so only the user can say what it continues
  const choose = page.getByRole('region', { name: 'Choose accounts' });
  await choose.getByRole('checkbox', { name: /Konto oszczędnościowe/ }).uncheck();
  await choose.getByRole('button', { name: 'Add 1 account' }).click();
  await expect.poll(async () => (await app.call('connections.list'))[0]?.lastSuccessAt ?? null, { timeout: 60_000 }).not.toBeNull();
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);
  const accountsBefore = await app.call('accounts.list');
  expect(accountsBefore.map((a) => a.iban)).toEqual([null, null]);
  const before = await allTransactions(app);
  expect(before.length).toBeGreaterThan(20);

  // the consent lapses; Renew gives a new consent, so new account ids
  await app.control('/providers/banqware/expire');
  await syncNow(page);
  await nav(page, 'Connections');
  const item = page.getByRole('listitem', { name: /Demo Bank Polski/ });
  await item.getByRole('link', { name: 'Renew' }).click();
  await finishAtBank(await openBankPage(page));

  const match = page.getByRole('region', { name: 'Match accounts' });
  await expect(match).toBeVisible({ timeout: 45_000 });
  // only the savings account is asked about; its one candidate has no transactions to compare
  await expect(match.getByRole('group')).toHaveCount(1);
  const question = match.getByRole('group', { name: /Konto oszczędnościowe/ });
  await expect(question).toContainText('0 recent transactions in common');
  await expect(question.getByRole('radio')).toHaveCount(2); // the candidate, or a new account
  expect((await app.call('connections.list'))[0].state).toBe('needs_user');
  await question.getByRole('radio', { name: /Konto oszczędnościowe/ }).check();
  await match.getByRole('button', { name: 'Continue' }).click();

  // the account choice starts from what was kept
  await page.getByRole('region', { name: 'Choose accounts' }).getByRole('button', { name: 'Continue with 1 account' }).click();
  await expect.poll(async () => (await app.call('connections.list'))[0].state, { timeout: 30_000 }).toBe('active');
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 45_000 }).toEqual([]);
  expect((await app.call('accounts.list')).map((a) => [a.id, a.name, a.selected])).toEqual(accountsBefore.map((a) => [a.id, a.name, a.selected]));
  expectSameHistory(before, await allTransactions(app));
});
