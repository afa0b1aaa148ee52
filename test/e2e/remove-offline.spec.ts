// Removing a bank while its aggregator cannot be reached: the Powens emulator runs in this test's process, so it can be
// stopped (nothing listens on its port) and started again on the same port.
import { test as base, expect } from './clock-fixture.js';
import { e2eNow } from './clock.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalService } from '../../main/index.js';
import { testDatabaseKey, TEST_PASSPHRASE } from '../helpers/dbkey.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { linkTatra } from './flows.js';
import { startPreview, stopPreview } from './preview.js';

const test = base.extend<{ app: { url: string; dataDir: string }; sandbox: { current: RunningSandbox | null; port: number } }>({
  sandbox: async ({}, use) => {
    const holder = { current: await startSandbox({ providers: ['powens'], now: e2eNow().toISOString() }) as RunningSandbox | null, port: 0 };
    holder.port = Number(new URL((holder.current!.describe().powens as { baseUrl: string }).baseUrl).port);
    try { await use(holder); } finally { await holder.current?.close(); }
  },
  app: async ({ sandbox }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-'));
    // Powens configured for the emulator before the app starts, as Settings would
    await testDatabaseKey(dataDir);
    const service = await openLocalService(dataDir, { passphrase: TEST_PASSPHRASE, background: false });
    const d = sandbox.current!.describe().powens as { baseUrl: string; clientId: string; clientSecret: string; options?: Record<string, string> };
    await service.call('providers.configure', { provider: 'powens', baseUrl: d.baseUrl, clientId: d.clientId, clientSecret: d.clientSecret, options: d.options ?? {} });
    await service.close();
    const { child, url } = await startPreview(dataDir);
    try {
      await use({ url, dataDir });
    } finally {
      await stopPreview(child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

test('a bank whose aggregator is unreachable is removed from this computer; its access is withdrawn later', async ({ page, app, sandbox }) => {
  await page.goto(`${app.url}#/link`);
  await expect(page.getByRole('heading', { name: 'Choose your bank at Powens' })).toBeVisible();
  await linkTatra(page);
  await expect(page.getByRole('region', { name: 'Sync' })).toContainText(/Done · \d+ new/, { timeout: 60_000 });

  await sandbox.current!.close();
  sandbox.current = null;

  await page.getByRole('link', { name: 'Connections' }).first().click();
  const bank = page.getByRole('listitem', { name: 'Tatra Demo Banka', exact: true });
  await bank.getByRole('button', { name: 'Remove…' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Remove Tatra Demo Banka' });
  await dialog.getByRole('checkbox').check();
  await dialog.getByRole('button', { name: 'Remove Tatra Demo Banka' }).click();
  await expect(dialog.getByRole('alert')).toContainText('could not withdraw its access at Powens');
  await expect(dialog.getByRole('alert')).not.toContainText('internet connection');
  await expect(dialog.getByRole('alert')).not.toContainText('fetch failed'); // technical words stay in the problem report
  await dialog.getByRole('button', { name: 'Remove from this computer' }).click();

  await expect(bank).toHaveCount(0);
  const pending = page.getByRole('region', { name: 'Access still to withdraw' });
  await expect(pending).toContainText('Tatra Demo Banka was removed from this computer, but Powens could not be reached');
  await expect(pending).toContainText("In Tatra Demo Banka's online banking");

  // still unreachable: said so, still pending
  await pending.getByRole('button', { name: 'Revoke at Powens again' }).click();
  await expect(pending.getByRole('alert')).toContainText('Could not reach Powens. Nothing was changed.');
  await expect(pending.getByRole('alert')).not.toContainText('fetch failed');

  sandbox.current = await startSandbox({ providers: ['powens'], ports: { powens: sandbox.port }, now: e2eNow().toISOString() });
  await pending.getByRole('button', { name: 'Revoke at Powens again' }).click();
  await expect(pending).toHaveCount(0);
});
