// Category rules on every sync (issue 17): rules made after the first sync categorize the payments the bank adds
// by the next "Sync now", leaves the rows already stored alone until the user applies the rules to them, and never
// changes a category the user set by hand, not at the sync and not when applied.
import type { TransactionDto } from '../../../preload/contract/channels.js';
import { linkDemoBank } from '../flows.js';
import { expect, nav, syncNow, test, type ProviderApp } from './harness.js';

async function rowsOf(app: ProviderApp, accountId: number): Promise<TransactionDto[]> {
  return (await app.call('transactions.list', { accountIds: [accountId], sort: 'date_desc', limit: 500 })).rows;
}

test('a rule categorizes the rows a sync brings; stored rows wait until applied; a hand-set category stays', async ({ page, app }) => {
  await linkDemoBank(page, app.url);
  const account = (await app.call('accounts.list')).find((a) => a.currency === 'EUR' && a.type === 'current')!;
  const before = await rowsOf(app, account.id);
  const byHand = before.find((t) => t.amount < 0 && t.status === 'booked')!;
  const list = page.getByRole('listbox', { name: 'Transactions' });
  const details = page.getByRole('complementary', { name: 'Transaction details' });
  const filters = page.getByRole('search');

  // one stored payment categorized by hand
  await nav(page, 'Transactions');
  await filters.getByLabel('Account').selectOption(String(account.id));
  await list.locator(`#tx-${byHand.id}`).click();
  await details.getByLabel('Category', { exact: true }).fill('Health');
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(details.getByRole('status')).toHaveText('Saved');
  await details.getByRole('button', { name: 'Close details' }).click();

  // two rules, the first that matches wins: money out of this account of 40 to 100 → Shopping; any other → Other
  await nav(page, 'Categories');
  const rule = page.getByRole('form', { name: 'New rule' });
  for (const [from, to, category] of [['40', '100', 'Shopping'], ['', '', 'Other']]) {
    await rule.getByLabel('Amount from').fill(from);
    await rule.getByLabel('to', { exact: true }).fill(to);
    await rule.getByLabel('Direction').selectOption('out');
    await rule.getByLabel('Account').selectOption(String(account.id));
    await rule.getByLabel('Category', { exact: true }).selectOption({ label: category });
    await rule.getByRole('button', { name: 'Add rule' }).click();
    await expect(page.getByRole('main').getByRole('status')).toHaveText('Rule added: it applies to new transactions from the next sync.');
  }
  await expect(page.getByRole('list', { name: 'Rules' }).getByRole('listitem')).toHaveCount(2);
  await expect(page.getByRole('list', { name: 'Rules' }).getByRole('listitem').first()).toContainText('→ Shopping');

  // the bank adds payments; "Sync now" brings them, categorized by the rule as they are written
  const { accounts: ledger } = await app.control(`/ledger/accounts`, undefined, 'GET') as { accounts: Array<{ id: string; iban: string | null }> };
  const at = ledger.find((a) => a.iban === account.iban)!;
  await app.control(`/ledger/${encodeURIComponent(at.id)}/add-transactions`, { count: 12 });
  await app.control('/clock', { advanceMs: 3_600_000 });
  await syncNow(page);
  await expect(page.getByRole('region', { name: 'Sync', exact: true }).getByRole('status')).toContainText('Done · 12 new');
  const known = new Set(before.map((t) => t.id));
  const fresh = (await rowsOf(app, account.id)).filter((t) => !known.has(t.id));
  expect(fresh).toHaveLength(12);
  const sized = (t: TransactionDto) => -t.amount >= 4000 && -t.amount <= 10000;
  const ids = (rows: TransactionDto[]) => rows.map((t) => t.id).sort((a, b) => a - b);
  const freshOut = ids(fresh.filter((t) => t.amount < 0 && !sized(t)));
  const freshShopping = ids(fresh.filter((t) => t.amount < 0 && sized(t)));
  expect(freshOut.length).toBeGreaterThan(0);

  // the list filtered by Shopping, then by Other: exactly the new payments out of each size, each "Set by a rule"
  await nav(page, 'Transactions');
  await filters.getByLabel('Account').selectOption(String(account.id));
  const listed = async () => (await list.getByRole('option').evaluateAll((els) => els.map((e) => Number(e.id.slice(3))))).sort((a, b) => a - b);
  await filters.getByLabel('Category').selectOption('Shopping');
  if (freshShopping.length) await expect.poll(listed).toEqual(freshShopping);
  else await expect(page.getByText('No transactions match')).toBeVisible();
  await filters.getByLabel('Category').selectOption('Other');
  await expect.poll(listed).toEqual(freshOut);
  // the oldest of them, below the first screen of the list: a click opens it (the list does not jump to its top)
  await list.locator(`#tx-${freshOut[0]}`).click();
  await expect(list).toHaveAttribute('aria-activedescendant', `tx-${freshOut[0]}`);
  await expect(details.getByLabel('Category', { exact: true })).toHaveValue('Other');
  await expect(details).toContainText('Set by a rule.');
  await details.getByRole('button', { name: 'Close details' }).click();

  // on request, with a count first, the stored payments get it too; the hand-set one is left out
  const storedOut = before.filter((t) => t.amount < 0 && t.id !== byHand.id).length;
  await nav(page, 'Categories');
  await page.getByRole('button', { name: 'Apply to existing transactions…' }).click();
  const applying = page.getByRole('group', { name: 'Apply rules to existing transactions' });
  await expect(applying).toContainText(`${storedOut} transactions would get a category (those you set by hand stay as they are).`);
  await applying.getByRole('button', { name: `Apply to ${storedOut} transactions` }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(`${storedOut} transactions got a category.`);

  // the hand-set payment: still Health, set by the user, after the sync and the apply
  await nav(page, 'Transactions');
  await filters.getByLabel('Account').selectOption(String(account.id));
  await filters.getByLabel('Category').selectOption('Health');
  await expect(list.getByRole('option')).toHaveCount(1);
  await list.locator(`#tx-${byHand.id}`).click();
  await expect(details.getByLabel('Category', { exact: true })).toHaveValue('Health');
  await expect(details).not.toContainText('Set by a rule.');
});
