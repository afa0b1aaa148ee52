// Enable Banking, as a user meets it: the bank's own pages, then the browser ends on the HTTPS page registered with the
// user's own application (here a stand-in page that only shows its address); the user pastes that address into the
// link wizard, adds the accounts, and the first sync brings booked and pending transactions.
import { startDemo } from '../flows.js';
import { allTransactions, expect, nav, openBankPage, test } from './harness.js';

/** the demo application's registered redirect URL (sandbox/enablebanking/demo-app.ts) */
const REDIRECT = 'https://multibank.example/enablebanking/callback';

test('link Tatra Demo Banka through Enable Banking by pasting the address the bank returned to', async ({ page, app }) => {
  // the user's own redirect page: any HTTPS page that shows its address
  await page.context().route(`${REDIRECT}**`, (route) => route.fulfill({
    contentType: 'text/html', body: '<!doctype html><title>Back from the bank</title><p>Copy this page\'s address into Multibank.</p>',
  }));
  await startDemo(page, app.url);
  // a card payment waiting at the bank: the demo world's own authorisations book between 02:00 and 08:00 of a later
  // day, so at some hours none is left (the demo world runs at the real now)
  const { banks } = await app.control('/ledger/logins', undefined, 'GET') as { banks: Array<{ id: string; name: string }> };
  const tatra = banks.find((b) => b.name === 'Tatra Demo Banka')!;
  const { accounts } = await app.control(`/ledger/accounts?bankId=${tatra.id}&username=demo`, undefined, 'GET') as { accounts: Array<{ id: string }> };
  await app.control(`/ledger/${accounts[0].id}/add-transactions`, { count: 1, pending: true });
  await page.getByRole('button', { name: /^Enable Banking/ }).click();
  await page.getByRole('button', { name: /Tatra Demo Banka/ }).click();
  const bank = await openBankPage(page);
  await bank.getByLabel('Username').fill('demo');
  await bank.getByLabel('Password').fill('demo1234');
  await bank.getByRole('button', { name: 'Log in' }).click();
  await bank.getByRole('button', { name: 'Approve' }).click();
  await expect(bank.getByText('Copy this page\'s address into Multibank.')).toBeVisible();
  const landed = bank.url();
  expect(landed).toMatch(/^https:\/\/multibank\.example\/enablebanking\/callback\?.*code=/);
  await bank.close();

  // a paste of something else is refused in words, and the right one continues
  const paste = page.getByLabel(/Copy its whole address/);
  await paste.fill('https://multibank.example/enablebanking/callback?code=x&state=not-mine');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('does not belong to this sign-in');
  await paste.fill(landed);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: /^Add \d+ accounts?$/ }).click();
  await expect.poll(async () => (await app.call('connections.list'))[0]?.state, { timeout: 30_000 }).toBe('active');
  // the first sync starts only once the aggregator has been told which accounts (an HTTP call): "nothing running" can
  // hold before it starts, so wait for its run in the log to end (CI run 26 read the rows before the sync began)
  await expect.poll(async () => (await app.call('sync.log', { connectionId: (await app.call('connections.list'))[0].id, limit: 1 }))[0]?.outcome,
    { timeout: 45_000 }).toBe('ok');

  const stored = await allTransactions(app);
  expect(stored.length).toBeGreaterThan(40);
  expect(new Set(stored.map((t) => t.status))).toEqual(new Set(['booked', 'pending']));
  const [run] = await app.call('sync.log', { connectionId: (await app.call('connections.list'))[0].id, limit: 1 });
  expect(run.outcome).toBe('ok');
  await nav(page, 'Transactions');
  await expect(page.getByRole('listbox', { name: 'Transactions' }).getByRole('option').first()).toBeVisible();
});
