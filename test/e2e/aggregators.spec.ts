// Linking through the other aggregators' demo consent pages (finAPI Web Form with SCA, Everifin sign-in + grant,
// Banqware bank pages with an SMS code),
// then removing a bank with its data. Selectors are those of the sandbox's bank pages.
import { test, expect } from './fixtures.js';
import { startDemo } from './flows.js';
import { signInAtEverifin } from './providers/harness.js';

test('finAPI web form with a one-time code, then Everifin sign-in, Banqware with SMS code, then delete all bank data', async ({ page, app }) => {
  await startDemo(page, app.url);

  // finAPI: bank search, login, SCA code shown on the demo page, account choice on the bank side
  await page.getByRole('button', { name: /^finAPI/ }).click();
  await page.getByRole('button', { name: /Demo Sparkasse Berlin/ }).click();
  let [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await bank.getByLabel('Username').fill('demo');
  await bank.getByLabel('Password').fill('demo1234');
  await bank.getByRole('button', { name: 'Log in' }).click();
  const code = /Demo code: (\d+)/.exec(await bank.locator('body').innerText())![1];
  await bank.getByLabel('One-time code').fill(code);
  await bank.getByRole('button', { name: 'Confirm' }).click();
  await bank.getByRole('button', { name: 'Continue' }).click();
  await expect(bank.getByText('You can return to Multibank')).toBeVisible();
  await bank.close();
  await expect(page.getByRole('button', { name: 'Add 3 accounts' })).toBeVisible();
  await page.getByRole('button', { name: 'Add 3 accounts' }).click();
  await expect(page.getByRole('region', { name: 'Demo Sparkasse Berlin' }).getByRole('link', { name: /Girokonto/ })).toContainText(/DE\d\d •••• \d{4}/);

  // Everifin: no bank list in the app; the user signs in at Everifin and grants access
  await page.getByRole('link', { name: 'Link a bank' }).first().click();
  await page.getByRole('button', { name: /^Everifin/ }).click();
  await page.getByRole('button', { name: 'Continue to Everifin' }).click();
  [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await signInAtEverifin(bank);
  const add = page.getByRole('button', { name: /^Add \d+ accounts$/ });
  await expect(add).toBeVisible();
  await add.click();
  await expect(page.getByRole('region', { name: 'Totals per currency' })).toContainText('Total in CZK');

  // Banqware: bank login, SMS code, account choice and consent at the bank
  await page.getByRole('link', { name: 'Link a bank' }).first().click();
  await page.getByRole('button', { name: /^Banqware/ }).click();
  await page.getByRole('button', { name: /Demo Bank Polski/ }).click();
  [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await bank.getByLabel('Username').fill('demo');
  await bank.getByLabel('Password').fill('demo1234');
  await bank.getByRole('button', { name: 'Log in' }).click();
  await bank.getByLabel('One-time code').fill(/Demo code: (\d+)/.exec(await bank.locator('body').innerText())![1]);
  await bank.getByRole('button', { name: 'Confirm' }).click();
  await bank.getByRole('button', { name: 'Continue' }).click();
  await bank.getByRole('button', { name: 'Approve' }).click();
  await expect(bank.getByText('You can return to Multibank')).toBeVisible();
  await bank.close();
  await page.getByRole('button', { name: 'Add 2 accounts' }).click();
  await expect(page.getByRole('region', { name: 'Totals per currency' })).toContainText('Total in PLN');

  // the consent centre lists them; deleting all bank data says what goes, then empties the app
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
  await expect(page.getByRole('listitem', { name: 'Demo Sparkasse Berlin' })).toContainText('Active');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Delete all bank data…' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Demo Sparkasse Berlin');
  await page.getByRole('button', { name: 'Delete everything listed' }).click();
  await expect(page.getByText('Every bank and its data was removed from this computer.')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { name: 'No accounts yet' })).toBeVisible();
});
