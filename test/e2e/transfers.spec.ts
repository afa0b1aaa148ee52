// Transfers between own accounts in the app: the demo bank's monthly EUR -> JPY top-ups are marked in the list, the
// detail panel shows the other leg (account, date, amount) and the rate, the suggested link can be confirmed, and
// "Not a transfer" unlinks both rows.
import { test, expect } from './fixtures.js';
import { linkDemoBank } from './flows.js';

test('a transfer pair shows in the list and the detail panel, and "Not a transfer" unlinks it', async ({ page, app }) => {
  await linkDemoBank(page, app.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();

  // the yen account: topped up from the current account (in euros) every month
  await page.getByRole('search').getByLabel('Account').selectOption({ label: 'Devízový účet JPY · Tatra Demo Banka' });
  await expect.poll(async () => (await list.getByRole('option').allInnerTexts()).every((row) => row.includes('Devízový účet JPY'))).toBe(true);
  const transferRow = list.getByRole('option').filter({ has: page.locator('.badge', { hasText: /^Transfer$/ }) }).first();
  await expect(transferRow).toBeVisible();
  const rowId = await transferRow.getAttribute('id');
  await transferRow.click();

  const details = page.getByRole('complementary', { name: 'Transaction details' });
  const panel = details.getByRole('region', { name: 'Transfer between your accounts' });
  await expect(panel).toContainText('Left out of income and spending.');
  // the other leg: money out of the current account, in euros, at the rate the two amounts imply
  const field = (name: string) => panel.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('+ dd');
  await expect(field('Account')).toHaveText('Osobný účet · Tatra Demo Banka');
  await expect(field('Date')).not.toBeEmpty();
  await expect(field('Amount')).toHaveText(/^[-−].*(€|EUR)/);
  await expect(field('Rate')).toHaveText(/^1 EUR = [\d.]+ JPY$/);
  // across currencies the link is a suggestion: confirmed here
  await expect(panel.getByRole('heading')).toHaveText('Transfer between your accounts (suggested)');
  await panel.getByRole('button', { name: 'Confirm' }).click();
  await expect(panel.getByRole('heading')).toHaveText('Transfer between your accounts (confirmed)');
  await expect(panel.getByRole('button', { name: 'Confirm' })).toHaveCount(0);

  await panel.getByRole('button', { name: 'Not a transfer' }).click();
  await expect(details.getByRole('status').filter({ hasText: 'Not a transfer' })).toHaveText('Not a transfer: it counts as income or spending again.');
  await expect(details.getByRole('region', { name: 'Transfer between your accounts' })).toHaveCount(0);
  await expect(list.locator(`#${rowId} .badge`, { hasText: /^Transfer$/ })).toHaveCount(0);

  // it stays unlinked when the detail is opened again
  await details.getByRole('button', { name: 'Close details' }).click();
  await list.locator(`#${rowId}`).click();
  await expect(details.locator('.detail-amount')).toBeVisible();
  await expect(details.getByRole('region', { name: 'Transfer between your accounts' })).toHaveCount(0);
});
