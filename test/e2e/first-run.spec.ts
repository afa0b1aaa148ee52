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
  for (const form of await page.getByRole('form', { name: / settings$/ }).all()) {
    await expect(form.getByLabel('Client ID')).toBeVisible();
    await expect(form.getByRole('button', { name: 'Test and save' })).toBeVisible();
  }

  // the accounts screen is empty, not broken
  await page.goto(app.url + '#/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
});

test('the bridge refuses a page without the right token', async ({ page, app }) => {
  const wrong = app.url.replace(/token=[^&]+/, 'token=wrong');
  await page.goto(wrong);
  await expect(page.getByText('Lost the connection to the Multibank preview server.')).toBeVisible();
});
