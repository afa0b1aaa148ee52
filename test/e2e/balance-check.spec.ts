// The balance check in Chromium: the bank reported the account's balance at the end of February and of March, but no
// March transactions are stored, so the account page says history is missing there, how much, and what to do; a
// statement file of those days fills the gap and the notice goes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './clock-fixture.js';
import { openDatabase } from '../../main/store/db.js';
import { startPreview, stopPreview } from './preview.js';
import { seedGirokonto } from '../helpers/seed.js';

test('a gap between two reported balances is named on the account page, and a statement of those days fills it', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-balance-check-'));
  seedGirokonto(dataDir);
  // the balances the bank reported at two syncs (the fixture's opening and closing balances), and nothing in between
  const db = openDatabase(join(dataDir, 'multibank.db'));
  const balance = db.prepare("insert into balances (account_id, date, kind, amount) values (1, ?, 'booked', ?)");
  balance.run('2026-02-28', 125_000);
  balance.run('2026-03-31', 304_251);
  db.close();
  const { child, url } = await startPreview(dataDir);
  try {
    await page.goto(`${url}#/account/1`);
    const gap = page.getByRole('status', { name: 'History incomplete' });
    await expect(gap).toContainText('€1,792.51 of money in is missing between Feb 28, 2026 and Mar 31, 2026');
    await expect(gap).toContainText('import a bank statement covering those days');

    await page.getByRole('button', { name: 'Import a statement' }).click();
    const panel = page.getByRole('region', { name: 'Import a statement' });
    await panel.getByLabel('Statement file').setInputFiles(join(import.meta.dirname, '../fixtures/statements/camt053-de.xml'));
    await panel.getByRole('region', { name: 'Preview' }).getByRole('button', { name: 'Import 4 transactions' }).click();
    await expect(panel.getByRole('status')).toContainText('4 added');
    await expect(gap).toHaveCount(0);
  } finally {
    await stopPreview(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
