// The link wizard as a first-time user meets it: aggregator cards say where they connect in words, an aggregator
// without a bank list offers Continue and no search box, and "Link a bank" starts the wizard again (asking first while
// a sign-in is under way).
import { test, expect } from './fixtures.js';
import { startDemo } from './flows.js';

test('aggregator cards name the demo banks, not a raw address, in the wizard and in Settings', async ({ page, app }) => {
  await startDemo(page, app.url);
  const powens = page.getByRole('button', { name: /^Powens/ });
  await expect(powens).toContainText('Demo banks on this computer');
  await expect(page.locator('main')).not.toContainText('127.0.0.1');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const settings = page.getByRole('form', { name: 'Powens settings' });
  await expect(settings.getByText('Demo banks on this computer')).toBeVisible();
});

test('Everifin\'s bank step has Continue and no search box; a bank list keeps its search', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Everifin/ }).click();
  const step = page.getByRole('region', { name: 'Choose your bank' });
  await expect(step.getByRole('button', { name: 'Continue to Everifin' })).toBeVisible();
  await expect(step).toContainText('Everifin lets you choose your bank on its own page.');
  await expect(step.getByRole('searchbox')).toHaveCount(0);

  await step.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('searchbox', { name: 'Search banks' }).fill('no such bank');
  await expect(step).toContainText('No bank matches “no such bank”.');
});

test('"Link a bank" starts the wizard again: at once before a sign-in, after asking during one', async ({ page, app }) => {
  await startDemo(page, app.url);
  const linkABank = page.locator('aside').getByRole('link', { name: 'Link a bank' });
  const aggregators = page.getByRole('button', { name: /^Powens/ });

  // choosing the bank: nothing under way yet, so it starts again without a question
  await aggregators.click();
  await expect(page.getByRole('region', { name: 'Choose your bank' })).toBeVisible();
  await linkABank.click();
  await expect(aggregators).toBeVisible();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);

  // a sign-in at the bank is under way: ask; "Continue this link" keeps it
  await aggregators.click();
  await page.getByRole('button', { name: /Tatra Demo Banka/ }).click();
  const atBank = page.getByRole('region', { name: 'Sign in at your bank' });
  await expect(atBank).toBeVisible();
  await linkABank.click();
  const ask = page.getByRole('alertdialog');
  await expect(ask).toContainText('You are in the middle of linking a bank. Start again from the beginning?');
  await ask.getByRole('button', { name: 'Continue this link' }).click();
  await expect(ask).toHaveCount(0);
  await expect(atBank).toBeVisible();

  // "Start again" drops it and shows the aggregators
  await linkABank.click();
  await ask.getByRole('button', { name: 'Start again' }).click();
  await expect(atBank).toHaveCount(0);
  await expect(aggregators).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Link a bank' })).toBeVisible();
});
