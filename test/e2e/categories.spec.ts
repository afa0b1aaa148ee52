// Categories that work: manage the list, create a rule, apply it to the stored transactions (count first), see the
// category on the rows, filter by it, and see it in the account's spending-by-category chart.
import { test, expect } from './fixtures.js';
import { linkDemoBank } from './flows.js';

test('a rule categorizes transactions; filter by the category and see it in the spending chart', async ({ page, app }) => {
  await linkDemoBank(page, app.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  const main = page.getByRole('main');
  await nav.getByRole('link', { name: 'Categories' }).click();
  const categories = page.getByRole('list', { name: 'Categories' });
  await expect(categories).toContainText('Groceries');

  // a category of one's own: added, renamed, removed (asked what happens to its transactions)
  await page.getByLabel('New category').fill('Pets');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(main.getByRole('status')).toHaveText('Added Pets.');
  await categories.getByRole('button', { name: 'Rename Pets' }).click();
  await page.getByLabel('New name for Pets').fill('Animals');
  await categories.getByRole('button', { name: 'Save' }).click();
  await expect(main.getByRole('status')).toHaveText('Renamed to Animals.');
  await categories.getByRole('button', { name: 'Remove Animals' }).click();
  const removing = page.getByRole('group', { name: 'Remove Animals' });
  await expect(removing).toContainText('Animals is on 0 transactions and in 0 rules. What happens to them?');
  await removing.getByRole('button', { name: 'Remove Animals' }).click();
  await expect(main.getByRole('status')).toHaveText('Removed Animals: 0 transactions left without a category.');
  await expect(categories).not.toContainText('Animals');

  // a rule: payee or text contains "billa", money out → Groceries
  const rule = page.getByRole('form', { name: 'New rule' });
  await rule.getByLabel('Payee or text contains').fill('billa');
  await rule.getByLabel('Direction').selectOption('out');
  await rule.getByLabel('Category', { exact: true }).selectOption({ label: 'Groceries' });
  await rule.getByRole('button', { name: 'Add rule' }).click();
  await expect(main.getByRole('status')).toHaveText('Rule added: it applies to new transactions from the next sync.');
  await expect(page.getByRole('list', { name: 'Rules' })).toContainText('text contains “billa” · money out → Groceries');

  // applied to the transactions already stored, after saying how many
  await page.getByRole('button', { name: 'Apply to existing transactions…' }).click();
  const applying = page.getByRole('group', { name: 'Apply rules to existing transactions' });
  await expect(applying).toContainText(/\d+ transactions? would get a category/);
  const count = Number(/(\d+) transactions? would/.exec(await applying.innerText())![1]);
  expect(count).toBeGreaterThan(0);
  await applying.getByRole('button', { name: `Apply to ${count} transaction${count === 1 ? '' : 's'}` }).click();
  await expect(main.getByRole('status')).toHaveText(`${count} transaction${count === 1 ? '' : 's'} got a category.`);
  await expect(categories.getByRole('listitem').filter({ hasText: 'Groceries' })).toContainText(`${count} transaction${count === 1 ? '' : 's'} · 1 rule`);

  // the list: filtered by the category, every row is a BILLA payment tagged Groceries; the detail says a rule set it
  await nav.getByRole('link', { name: 'Transactions' }).click();
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();
  await page.getByRole('search').getByLabel('Category').selectOption('Groceries');
  await expect.poll(async () => (await list.getByRole('option').allInnerTexts()).every((row) => row.includes('Groceries'))).toBe(true);
  for (const row of await list.getByRole('option').allInnerTexts()) {
    expect(row).toContain('Groceries');
    expect(row.toUpperCase()).toContain('BILLA');
  }
  await list.getByRole('option').first().click();
  const details = page.getByRole('complementary', { name: 'Transaction details' });
  await expect(details.getByLabel('Category', { exact: true })).toHaveValue('Groceries');
  await expect(details).toContainText('Set by a rule.');
  const account = (await details.locator('dt', { hasText: /^Account$/ }).locator('+ dd').innerText()).split(' · ')[0];

  // the chart on that account's page, whose category links back to the filtered list
  await nav.getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('link', { name: new RegExp(`^${account.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},`) }).click();
  const chart = page.getByRole('region', { name: 'Spending by category' });
  await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /Groceries €?[\d,.]+/);
  await expect(chart.locator('svg text').filter({ hasText: /^Groceries$/ })).toBeVisible();
  await chart.getByRole('link', { name: 'Groceries' }).click();
  await expect(page.getByRole('search').getByLabel('Category')).toHaveValue('Groceries');
  await expect(list.getByRole('option').first()).toContainText('Groceries');
});
