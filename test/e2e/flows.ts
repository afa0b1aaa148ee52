// Steps several browser tests (and the screenshot script) share.
import { expect, type Page } from '@playwright/test';

/** First run → "Try with demo banks" → link wizard (the preview's secrets are sealed under its passphrase's key: no
 *  plain-text opt-in is asked). */
export async function startDemo(page: Page, url: string) {
  await page.goto(url);
  await page.getByRole('button', { name: 'Try with demo banks' }).click();
  await expect(page.getByRole('heading', { name: 'Link a bank' })).toBeVisible({ timeout: 30_000 });
}

/** Powens demo bank with a browser (webauth) login; selectors of the sandbox's shared bank pages. */
export async function linkTatraThroughPowens(page: Page) {
  await page.getByRole('button', { name: /^Powens/ }).click();
  await linkTatra(page);
}

/** From Powens' bank list (the wizard starts there when Powens is the only aggregator set up) to the accounts added. */
export async function linkTatra(page: Page) {
  await page.getByRole('button', { name: /Tatra Demo Banka/ }).click();
  const [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
  await bank.getByLabel('Username').fill('demo');
  await bank.getByLabel('Password').fill('demo1234');
  await bank.getByRole('button', { name: 'Log in' }).click();
  await expect(bank.getByRole('heading', { name: 'Give access to your accounts' })).toBeVisible();
  await bank.getByRole('button', { name: 'Approve' }).click();
  await expect(bank.getByText('You can return to Multibank')).toBeVisible();
  await bank.close();

  // Powens may offer to add more accounts with a second login: skip it
  const add = page.getByRole('button', { name: /^Add \d+ accounts?$/ });
  const more = page.getByRole('form', { name: 'More accounts (optional)' });
  await expect(add.or(more)).toBeVisible();
  if (await more.isVisible()) await more.getByRole('button', { name: 'Skip' }).click();
  await expect(page.getByRole('region', { name: 'Choose accounts' })).toBeVisible();
  await expect(add).toHaveText('Add 3 accounts');
  await add.click();
}

/** The whole demo path up to a finished first sync. */
export async function linkDemoBank(page: Page, url: string) {
  await startDemo(page, url);
  await linkTatraThroughPowens(page);
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Done · \d+ new/, { timeout: 60_000 });
}

/** Log in on the demo bank page, then answer whatever it asks (one-time code shown on the page, consent) until it hands back. */
export async function approveAtBank(bank: Page) {
  await bank.getByLabel('Username').fill('demo');
  await bank.getByLabel('Password').fill('demo1234');
  await bank.getByRole('button', { name: 'Log in' }).click();
  for (let i = 0; i < 4 && !(await bank.getByText('You can return to Multibank').isVisible()); i++) {
    const code = /Demo code: (\d+)/.exec(await bank.locator('body').innerText());
    if (code) {
      await bank.getByLabel('One-time code').fill(code[1]);
      await bank.getByRole('button', { name: 'Confirm' }).click();
    } else {
      await bank.getByRole('button', { name: 'Approve' }).click();
    }
    await bank.waitForLoadState();
  }
  await expect(bank.getByText('You can return to Multibank')).toBeVisible();
  await bank.close();
}
