// Demo connections survive a restart as real ones do: link two demo banks, stop `npm run preview`, start it again
// (with the Powens demo's old port taken, so the demo aggregators must follow the sandbox to new addresses), sync,
// renew, remove; Settings says truthfully whether the demo banks run, and stops and starts them.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './clock-fixture.js';
import { approveAtBank, startDemo } from './flows.js';
import { startPreview, stopPreview } from './preview.js';
import { signInAtEverifin } from './providers/harness.js';

/** the address Settings shows for an aggregator of the demo banks (they must be running) */
async function demoAddress(page: Page, url: string, aggregator: string): Promise<string> {
  await page.goto('about:blank'); // a restarted preview keeps its address: load the app afresh, not just a new #route
  await page.goto(`${url}#/settings`);
  const demo = page.getByRole('region', { name: 'Demo banks' });
  await expect(demo.getByRole('status')).toHaveText('The demo banks are running on this computer.', { timeout: 30_000 });
  return (await demo.getByRole('list', { name: 'Demo aggregators' }).getByRole('listitem').filter({ hasText: aggregator }).locator('code').innerText()).trim();
}

test('demo banks: link two, restart the preview, sync, renew, remove; stop and start them in Settings', async ({ page }) => {
  test.setTimeout(240_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-'));
  let preview = await startPreview(dataDir);
  const squatter = net.createServer();
  try {
    // ---- two demo banks: Česká Demo Banka through Powens, the Everifin demo (its demo login named on its page)
    await startDemo(page, preview.url);
    await page.getByRole('button', { name: /^Powens/ }).click();
    await page.getByRole('button', { name: /Česká Demo Banka/ }).click();
    let [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
    await approveAtBank(bank);
    await page.getByRole('button', { name: 'Add 4 accounts' }).click();
    await expect(page.getByRole('region', { name: /Česká Demo Banka/ }).getByRole('listitem')).toHaveCount(4);

    await page.getByRole('link', { name: 'Link a bank' }).first().click();
    await page.getByRole('button', { name: /^Everifin/ }).click();
    await page.getByRole('button', { name: 'Continue to Everifin' }).click();
    [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
    await expect(bank.locator('#demo-logins')).toHaveText('Demo login: demo / demo1234, peter / peter1234');
    await signInAtEverifin(bank);
    await page.getByRole('button', { name: /^Add \d+ accounts$/ }).click();
    const sync = page.getByRole('region', { name: 'Sync' });
    await expect(sync.getByRole('status')).toContainText(/Tatra Demo Banka[^:]*: Done · \d+ new/, { timeout: 60_000 });

    // ---- stop the preview; something else takes the Powens demo's port meanwhile
    const oldPowens = await demoAddress(page, preview.url, 'Powens');
    await stopPreview(preview.child);
    await new Promise<void>((resolve, reject) => { squatter.once('error', reject); squatter.listen(Number(new URL(oldPowens).port), '127.0.0.1', resolve); });
    preview = await startPreview(dataDir);

    // ---- the demo banks run again and the aggregator follows them to a new address; "Link a bank" names them plainly
    const newPowens = await demoAddress(page, preview.url, 'Powens');
    expect(newPowens).not.toBe(oldPowens);
    await page.getByRole('link', { name: 'Link a bank' }).first().click();
    await expect(page.getByRole('button', { name: /^Powens/ })).toContainText('Demo banks on this computer');

    // ---- sync both: the same world answers (tokens, consents and sign-ins kept)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await sync.getByRole('button', { name: 'Sync now' }).click();
    await expect(sync.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 60_000 });
    await expect(sync.getByRole('status')).toContainText(/Česká Demo Banka[^:,]*: Done.*Tatra Demo Banka, [^:]*: Done/);
    await expect(sync.getByRole('status')).not.toContainText(/failed|reach|not running/i);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    const connections = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) });
    await expect(connections).toHaveCount(2);
    for (const c of await connections.all()) await expect(c).not.toContainText('Last problem');

    // ---- renew Česká Demo Banka through its bank (its consent is about to expire)
    const banner = page.getByRole('region', { name: 'Consents' });
    await banner.getByRole('link', { name: 'Renew' }).click();
    await expect(page.getByRole('heading', { name: 'Renew access' })).toBeVisible();
    [bank] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Open the bank page' }).click()]);
    await approveAtBank(bank);
    await page.getByRole('button', { name: 'Continue with 4 accounts' }).click();
    await expect(banner).toBeHidden();
    // the wizard ends on the accounts page (a click elsewhere before that would be overtaken by it)
    await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    const ceska = page.getByRole('listitem', { name: /^Česká Demo Banka/ });
    await expect(ceska).toContainText('Active');

    // ---- remove the Everifin connection: its access is withdrawn at Everifin (the sign-in survived the restart)
    const everifin = page.getByRole('listitem').filter({ hasText: 'via Everifin' });
    await everifin.getByRole('button', { name: 'Remove…' }).click();
    const dialog = page.getByRole('alertdialog', { name: /^Remove / });
    await dialog.getByRole('checkbox').check();
    await dialog.getByRole('button', { name: /^Remove / }).click();
    await expect(everifin).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Access still to withdraw' })).toHaveCount(0);

    // ---- stop them in Settings: said so, and a sync says they are not running (not "check your internet")
    await page.goto(`${preview.url}#/settings`);
    const demo = page.getByRole('region', { name: 'Demo banks' });
    await demo.getByRole('button', { name: 'Stop demo banks' }).click();
    await expect(demo.getByRole('status')).toContainText('The demo banks are stopped.');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await ceska.getByRole('button', { name: /^Sync Česká Demo Banka.* now$/ }).click();
    await expect(ceska).toContainText('The demo banks on this computer are not running', { timeout: 60_000 });
    await expect(page.getByRole('status').filter({ hasText: 'demo banks on this computer are not running' }).getByRole('link', { name: 'Start them in Settings' })).toBeVisible();
    await expect(page.locator('body')).not.toContainText(/internet connection|will retry|fetch failed/);

    // ---- start them again from Settings; the sync works again
    await page.getByRole('link', { name: 'Start them in Settings' }).click();
    await demo.getByRole('button', { name: 'Start demo banks' }).click();
    await expect(demo.getByRole('status')).toHaveText('The demo banks are running on this computer.', { timeout: 30_000 });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections' }).click();
    await ceska.getByRole('button', { name: /^Sync Česká Demo Banka.* now$/ }).click();
    await expect(ceska).not.toContainText('Last problem', { timeout: 60_000 });
  } finally {
    await stopPreview(preview.child);
    await new Promise((resolve) => squatter.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
});
