// A statement file of a bank no aggregator covers, in Chromium: imported from the accounts list, its account is not
// known, so the dialog creates a manual account for it; the account is listed like the others, takes the same file
// again (nothing added twice), and is deleted with its rows after a confirmation.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './clock-fixture.js';
import { openDatabase } from '../../main/store/db.js';
import { startPreview, stopPreview } from './preview.js';
import { seedGirokonto } from '../helpers/seed.js';
import { testDatabaseKey } from '../helpers/dbkey.js';

const statement = (name: string) => join(import.meta.dirname, '../fixtures/statements', name);


test('a file no account here is for creates a manual account; it is listed, imported into again, and deleted with its rows', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-import-manual-'));
  seedGirokonto(dataDir);
  const { child, url } = await startPreview(dataDir);
  try {
    await page.goto(`${url}#/accounts`);
    await page.getByRole('button', { name: 'Import a statement' }).click();
    const panel = page.getByRole('region', { name: 'Import a statement' });
    await panel.getByLabel('Statement file').setInputFiles(statement('camt053-sk.xml'));

    const where = panel.getByRole('form', { name: 'Account for this file' });
    await expect(where).toContainText('No account here has the IBAN SK2411000000002612345678.');
    await expect(where.getByRole('radio', { name: /A new manual account/ })).toBeChecked();
    // the currency and IBAN default to the file's
    await where.getByLabel('Account name').fill('Sporiaci účet');
    await where.getByLabel(/Bank name/).fill('Tatra banka');
    await where.getByRole('button', { name: 'Preview the import' }).click();

    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect(preview).toContainText('into a new manual account, Sporiaci účet');
    await expect(preview.getByRole('listitem')).toHaveText(['2 to add', '0 already here', '0 skipped (not booked)']);
    await preview.getByRole('button', { name: 'Import 2 transactions' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported camt053-sk.xml: 2 added, 0 already here.');

    // listed like a linked bank's account, titled by its bank, with the file's closing balance
    const bank = page.getByRole('region', { name: 'Tatra banka' });
    await expect(bank).toContainText('via statement files');
    await expect(bank.getByRole('link', { name: /Sporiaci účet/ })).toContainText(/285[.,]05/);
    await expect(page.getByRole('region', { name: 'Musterbank' })).toBeVisible();

    // the account page takes the same file again: nothing is added twice
    await bank.getByRole('link', { name: /Sporiaci účet/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Sporiaci účet' })).toBeVisible();
    await page.getByRole('button', { name: 'Import a statement' }).click();
    await panel.getByLabel('Statement file').setInputFiles(statement('camt053-sk.xml'));
    await expect(preview.getByRole('listitem')).toHaveText(['0 to add', '2 already here', '0 skipped (not booked)']);
    await preview.getByRole('button', { name: 'Cancel' }).click();

    // deleted after a confirmation; "Keep it" keeps it
    await page.getByRole('button', { name: 'Delete this account' }).click();
    const confirm = page.getByRole('group', { name: 'Delete Sporiaci účet' });
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await expect(confirm).toHaveCount(0);
    await page.getByRole('button', { name: 'Delete this account' }).click();
    await confirm.getByRole('button', { name: 'Delete Sporiaci účet' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Tatra banka' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Musterbank' })).toBeVisible();
    // a linked bank's account has no delete button here
    await page.getByRole('link', { name: /Girokonto/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Girokonto' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Delete this account' })).toHaveCount(0);
    // its rows went with it
    const db = openDatabase(join(dataDir, 'multibank.db'), await testDatabaseKey(dataDir));
    try {
      expect(db.prepare('select count(*) from transactions').pluck().get()).toBe(0);
    } finally { db.close(); }
  } finally {
    await stopPreview(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a CSV with a debit/credit column and two text columns, mapped in the form, into an account chosen for it; the mapping is remembered', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-import-direction-'));
  seedGirokonto(dataDir);
  const { child, url } = await startPreview(dataDir);
  try {
    await page.goto(`${url}#/accounts`);
    await page.getByRole('button', { name: 'Import a statement' }).click();
    const panel = page.getByRole('region', { name: 'Import a statement' });
    await panel.getByLabel('Statement file').setInputFiles(statement('csv-sk-direction.csv'));
    const form = panel.getByRole('form', { name: 'CSV columns' });
    await expect(form.getByRole('combobox', { name: 'Date', exact: true })).toHaveValue('Dátum zaúčtovania');
    await form.getByRole('combobox', { name: 'Money out is shown by' }).selectOption('a debit/credit column');
    await expect(form.getByRole('combobox', { name: 'Amount' })).toHaveValue('Suma');
    await expect(form.getByRole('combobox', { name: 'Debit/credit column' })).toHaveValue('Typ');
    await form.getByLabel('Values meaning money out').fill('Debet');
    await form.getByLabel('Values meaning money in').fill('Kredit');
    await form.getByRole('combobox', { name: 'Text', exact: true }).selectOption('Správa pre prijímateľa');
    await form.getByRole('button', { name: /Add a text column/ }).click();
    await form.getByRole('combobox', { name: 'Text 2' }).selectOption('Poznámka');
    await form.getByRole('combobox', { name: 'Counterparty' }).selectOption('Protistrana');
    await form.getByRole('button', { name: 'Preview with these columns' }).click();

    // the file names no account: it goes into one chosen here
    const where = panel.getByRole('form', { name: 'Account for this file' });
    await expect(where).toContainText('The file does not say which account it is for');
    await where.getByRole('radio', { name: 'An account already here' }).check();
    await where.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'Girokonto · Musterbank · EUR' });
    await where.getByRole('button', { name: 'Preview the import' }).click();
    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect(preview).toContainText('into Girokonto');
    await expect(preview.getByRole('listitem')).toHaveText(['3 to add', '0 already here', '0 skipped (not booked)']);
    await expect(preview.getByRole('row')).toHaveCount(3);
    await expect(preview.getByRole('row').nth(0)).toContainText('Firma s.r.o. Mzda 03/2026');
    await expect(preview.getByRole('row').nth(0)).toContainText(/\+.*1[.,\u202f\u00a0]?250[.,]00/);
    await expect(preview.getByRole('row').nth(1)).toContainText('Bytové družstvo Nájom apríl byt 12');
    await expect(preview.getByRole('row').nth(1)).toContainText(/[-\u2212].*450[.,]00/);
    await expect(preview.getByRole('row').nth(2)).toContainText('Potraviny Jednota platba kartou');
    await preview.getByRole('button', { name: 'Import 3 transactions' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported csv-sk-direction.csv: 3 added, 0 already here.');

    // the next file of this layout skips the form: the direction values and both text columns were remembered
    await panel.getByLabel('Statement file').setInputFiles(statement('csv-sk-direction.csv'));
    await where.getByRole('radio', { name: 'An account already here' }).check();
    await where.getByRole('combobox', { name: 'Account' }).selectOption({ label: 'Girokonto · Musterbank · EUR' });
    await where.getByRole('button', { name: 'Preview the import' }).click();
    await expect(preview.getByRole('listitem')).toHaveText(['0 to add', '3 already here', '0 skipped (not booked)']);
    await expect(form).toHaveCount(0);
  } finally {
    await stopPreview(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
