import { test, expect } from './fixtures.js';

test('opens on the first-run screen with both ways to start', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'Welcome to Multibank' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Try with demo banks' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Set up an aggregator' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  // setting up an aggregator shows one form per registered aggregator, each with labelled fields
  await page.getByRole('button', { name: 'Set up an aggregator' }).click();
  await expect(page.getByRole('button', { name: 'Back' })).toBeVisible();
  for (const name of ['Powens', 'finAPI', 'Everifin', 'Banqware']) {
    const form = page.getByRole('form', { name: `${name} settings` });
    await expect(form.getByLabel('Client ID')).toBeVisible();
    await expect(form.getByRole('button', { name: 'Test and save' })).toBeVisible();
  }
  // Enable Banking: the user's own application id and private key
  const enable = page.getByRole('form', { name: 'Enable Banking settings' });
  await expect(enable.getByLabel('Application ID')).toBeVisible();
  await expect(enable.getByLabel(/Private key \(PEM\)/)).toBeVisible();
  await expect(enable.getByLabel('Redirect URL')).toBeVisible();

  // credentials are checked with a test call before anything is saved: an unreachable address is refused
  const powens = page.getByRole('form', { name: 'Powens settings' });
  await powens.getByLabel(/Base URL/).fill('http://127.0.0.1:9/2.0');
  await powens.getByLabel('Client ID').fill('someone');
  await powens.getByLabel(/Client secret/).fill('not-a-secret');
  await powens.getByLabel('Domain').fill('nowhere');
  await powens.getByRole('button', { name: 'Test and save' }).click();
  // the secret would be sealed under the passphrase's key: no plain-text opt-in is asked, the test call answers
  await expect(powens.getByRole('alert')).toContainText(/reach|unavailable|took too long/);
  await expect(powens.getByRole('alert')).not.toContainText('keyring');
  await expect(powens.getByRole('alert')).not.toContainText(/at \w+ \(|Error:/); // a sentence, never a stack trace
  await expect(powens.getByText('Configured')).toHaveCount(0);

  // the accounts screen is empty, not broken
  await page.goto(app.url + '#/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
});

test('the bridge refuses a page without the right token', async ({ page, app }) => {
  const wrong = app.url.replace(/token=[^&]+/, 'token=wrong');
  await page.goto(wrong);
  await expect(page.getByText('Lost the connection to the Multibank preview server.')).toBeVisible();
});
