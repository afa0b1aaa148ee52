// A damaged database in the app: the user is told what happened, sees the newest backup offered, restores it from
// Settings after a confirmation, and has their data back. The data dir is prepared before the preview starts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './clock-fixture.js';
import { createBackup } from '../../main/store/backup.js';
import { openDatabase } from '../../main/store/db.js';
import { damageMiddle } from '../helpers/damage.js';
import { startPreview, stopPreview } from './preview.js';
import { testDatabaseKey } from '../helpers/dbkey.js';

const SEEDED_AT = new Date('2026-02-28T21:15:00.000Z');

/** a bank with one account and enough history (a few MiB) that damage in the file's middle hits transaction pages */
async function seed(dataDir: string): Promise<void> {
  // encrypted as the app keeps it (a plain file would be converted at start, and a damaged one cannot be)
  const db = openDatabase(join(dataDir, 'multibank.db'), await testDatabaseKey(dataDir));
  const at = SEEDED_AT.toISOString();
  db.prepare("insert into connections (provider, institution_name, created_at) values ('powens', 'Backup Bank', ?)").run(at);
  db.prepare(`insert into accounts (connection_id, remote_id, name, type, currency, balance_current, balance_current_date, created_at, updated_at)
    values (1, 'a1', 'Everyday account', 'current', 'EUR', 123456, '2026-02-28', ?, ?)`).run(at, at);
  const tx = db.prepare(`insert into transactions (account_id, remote_id, booking_date, amount, currency, status, description, note, first_seen_at, last_seen_at)
    values (1, ?, ?, ?, 'EUR', 'booked', ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) {
      tx.run(`t${i}`, `2026-02-${String(1 + (i % 28)).padStart(2, '0')}`, -(100 + i), `Card payment ${i} at shop ${i % 97}`, JSON.stringify({ id: i, pad: 'x'.repeat(200) }), at, at);
    }
  })();
  await createBackup(db, dataDir, 'manual', SEEDED_AT);
  db.close();
}

test('a damaged database: the user is told, restores the newest backup from Settings, and has the data back', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-backup-'));
  await seed(dataDir);
  damageMiddle(join(dataDir, 'multibank.db'));
  const { child, url } = await startPreview(dataDir);
  try {
    await page.goto(url);
    const damage = page.getByRole('alert', { name: 'Database damaged' });
    await expect(damage).toContainText('Your database is damaged');
    await expect(damage).toContainText('Multibank will not write to it');
    await expect(damage).toContainText('The newest backup is from');
    await damage.getByRole('link', { name: 'Restore a backup in Settings' }).click();

    const backups = page.getByRole('region', { name: 'Backups' });
    await expect(backups).toContainText('Your database is damaged, so Multibank does not write to it.');
    await expect(backups.getByRole('button', { name: 'Back up now' })).toBeDisabled();
    await backups.getByRole('button', { name: /^Restore the backup from / }).click();
    const confirm = backups.getByRole('alertdialog');
    await expect(confirm).toContainText('The current database is kept aside');
    await confirm.getByRole('button', { name: 'Restore this backup' }).click();
    await expect(backups.getByRole('status')).toContainText('Restored the backup from');
    await expect(backups.getByRole('status')).toContainText(join(dataDir, 'backups', 'replaced-'));
    await expect(damage).toHaveCount(0);
    await expect(backups.getByRole('button', { name: 'Back up now' })).toBeEnabled();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    await expect(page.getByText('Everyday account').first()).toBeVisible();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
    await expect(page.getByText('Card payment 2995 at shop 85').first()).toBeVisible();
  } finally {
    await stopPreview(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
