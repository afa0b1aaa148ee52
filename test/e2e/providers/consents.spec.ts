// The consent centre across aggregators: a consent ending within the lead time (Powens, Česká Demo Banka: 3 days)
// shows the start-up banner and a countdown on the consents page; one further away (finAPI, 20 days) only counts
// down, until the user lengthens the lead time.
import { startDemo } from '../flows.js';
import { expect, finishAtBank, nav, openBankPage, test } from './harness.js';
import { e2eNow } from '../clock.js';

test('start-up banner and countdowns for consents within the lead time', async ({ page, app }) => {
  await startDemo(page, app.url);
  await page.getByRole('button', { name: /^Powens/ }).click();
  await page.getByRole('button', { name: /Česká Demo Banka/ }).click();
  await finishAtBank(await openBankPage(page));
  await page.getByRole('button', { name: 'Add 4 accounts' }).click();
  // the wizard ends on the accounts overview (a click on "Link a bank" before that would restart the wizard in place)
  await expect(page.getByRole('region', { name: /Česká Demo Banka/ }).getByRole('listitem')).toHaveCount(4);

  await page.getByRole('link', { name: 'Link a bank' }).first().click();
  await page.getByRole('button', { name: /^finAPI/ }).click();
  await page.getByRole('button', { name: /Demo Sparkasse Berlin/ }).click();
  await finishAtBank(await openBankPage(page));
  await page.getByRole('button', { name: 'Add 3 accounts' }).click();
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 45_000 }).toEqual([]);

  // finAPI reports the consent's end at the next sync: 20 days from now
  const ends = new Date(e2eNow().getTime() + 20 * 86_400_000);
  await app.control('/providers/finapi/setConsentExpiry', { expiresAt: ends.toISOString() });
  await page.getByRole('region', { name: 'Sync', exact: true }).getByRole('button', { name: 'Sync now' }).click();
  await expect.poll(async () => {
    const at = (await app.call('connections.list')).find((c) => c.provider === 'finapi')?.expiresAt;
    return at ? Math.abs(Date.parse(at) - ends.getTime()) < 2000 : false;
  }, { timeout: 30_000 }).toBe(true);
  await expect.poll(async () => (await app.call('sync.status')).running, { timeout: 30_000 }).toEqual([]);

  // start-up: the banner names only the consent within the default 7 days
  await page.reload();
  const banner = page.getByRole('region', { name: 'Consents' });
  await expect(banner).toContainText(/Česká Demo Banka.*: access expires in 2 days, \d+ hr\./);
  await expect(banner).not.toContainText('Sparkasse');
  await expect(banner.getByRole('link', { name: 'Renew' })).toHaveCount(1);

  // the consents page: state, expiry and a countdown for each
  await nav(page, 'Connections');
  const ceska = page.getByRole('listitem', { name: /Česká Demo Banka/ });
  const sparkasse = page.getByRole('listitem', { name: 'Demo Sparkasse Berlin' });
  await expect(ceska).toContainText('Expiring soon');
  await expect(ceska.locator('.countdown.soon')).toHaveText(/^ · 2 days, \d+ hr left$/);
  await expect(ceska.getByRole('link', { name: 'Renew' })).toBeVisible();
  await expect(sparkasse).toContainText('Active');
  await expect(sparkasse.locator('.countdown')).toHaveText(/^ · 19 days, \d+ hr left$/);
  await expect(sparkasse.getByRole('link', { name: /Renew|Continue|Reconnect/ })).toHaveCount(0);

  // a longer lead time brings the finAPI consent into the banner too
  await nav(page, 'Settings');
  await page.getByLabel("Tell me this many days before a bank's access expires").fill('30');
  await nav(page, 'Accounts');
  await expect(banner).toContainText(/Demo Sparkasse Berlin: access expires in 19 days, \d+ hr\./);
  await expect(banner.getByRole('link', { name: 'Renew' })).toHaveCount(2);
  // dismissed for now, back at the next start
  await banner.getByRole('button', { name: 'Dismiss consent notice' }).click();
  await expect(banner).toBeHidden();
  await page.reload();
  await expect(banner).toBeVisible();
});
