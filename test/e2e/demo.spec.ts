// The demo path end to end: demo banks → link a bank through Powens' consent page → choose accounts → balances,
// transactions, search, the account chart. Real service, real sandbox emulators, real Chromium.
import { test, expect } from './fixtures.js';
import { linkTatraThroughPowens, startDemo } from './flows.js';

test('demo banks: link a bank, see balances and transactions, search, open the account chart', async ({ page, app }) => {
  await startDemo(page, app.url);
  await linkTatraThroughPowens(page);

  // overview: the bank with its accounts, masked IBANs, balances and a finished first sync
  const bank = page.getByRole('region', { name: 'Tatra Demo Banka' });
  await expect(bank).toBeVisible();
  await expect(bank.getByRole('link', { name: /Osobný účet/ })).toContainText(/SK\d\d •••• \d{4}/);
  await expect(bank.getByRole('link', { name: /Osobný účet/ })).toContainText(/€[\d,]+\.\d\d/);
  await expect(bank.getByRole('link', { name: /Devízový účet JPY/ })).toContainText(/¥[\d,]+(?!\.)/);
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Done · \d+ new/, { timeout: 60_000 });
  await expect(page.getByRole('region', { name: 'Totals per currency' })).toContainText('Total in EUR');

  // transactions: a virtualized list, search highlights what matched
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();
  const firstText = await list.getByRole('option').first().locator('.tx-desc').innerText();
  const word = firstText.split(/\s+/).find((w) => /^\p{L}{4,}$/u.test(w)) ?? firstText.slice(0, 4);
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search transactions' })).toBeFocused();
  await page.keyboard.type(word);
  await expect(list.locator('mark').first()).toBeVisible();
  for (const text of await list.getByRole('option').allInnerTexts()) expect(text.toLowerCase()).toContain(word.toLowerCase());

  // keyboard: into the list, open details, close with Escape
  await page.keyboard.press('ArrowDown');
  await expect(list).toBeFocused();
  await page.keyboard.press('Enter');
  const details = page.getByRole('complementary', { name: 'Transaction details' });
  await expect(details).toContainText('Raw data from the aggregator');
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();

  // the account page: balance history chart, monthly bars, counterparties
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await page.getByRole('link', { name: /Osobný účet/ }).click();
  await expect(page.getByRole('heading', { name: 'Osobný účet', level: 1 })).toBeVisible();
  await expect(page.getByRole('img', { name: /Balance history from/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /Balance history from/ }).locator('.recharts-area-curve')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Monthly income and spending' }).locator('.recharts-bar-rectangle').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Biggest counterparties' }).getByRole('listitem').first()).toBeVisible();

  await page.screenshot({ path: 'test-results/account-page.png' });
});

test('a bank that signs in with a form built from the aggregator fields', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('searchbox', { name: 'Search banks' }).fill('Sporit');
  await expect(page.getByRole('list', { name: 'Banks' }).getByRole('button')).toHaveCount(1);
  await page.getByRole('button', { name: /Demo Sporiteľňa/ }).click();
  const form = page.getByRole('form', { name: 'Bank sign-in' });
  await form.getByRole('button', { name: 'Continue' }).click();
  await expect(form.getByText('Username is required.')).toBeVisible();
  await expect(form.getByLabel(/Username/)).toHaveAttribute('aria-invalid', 'true');
  await form.getByLabel(/Username/).fill('demo');
  await form.getByLabel(/Password/).fill('demo1234');
  await form.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('button', { name: /^Add \d+ accounts?$/ })).toBeVisible();
  await page.getByRole('region', { name: 'Choose accounts' }).getByRole('checkbox').first().uncheck();
  await expect(page.getByRole('button', { name: /^Add \d+ accounts?$/ })).toHaveText('Add 1 account');
  await page.getByRole('button', { name: 'Add 1 account' }).click();
  await expect(page.getByRole('region', { name: /Demo Sporiteľňa/ }).getByRole('listitem')).toHaveCount(1);
});
