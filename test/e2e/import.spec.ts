// Importing a CAMT.053 statement from the account page in Chromium: the file is picked, the preview says what would
// be added, matched and skipped and how the balance compares, the import adds the rows, the same file again adds
// nothing, a file whose movements do not add up is refused with the reason, and the import is undone from the sync log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './clock-fixture.js';
import { startPreview, stopPreview } from './preview.js';
import { seedGirokonto } from '../helpers/seed.js';

const CAMT = join(import.meta.dirname, '../fixtures/statements/camt053-de.xml');


test('import a CAMT.053 statement from the account page: preview, import, the same file again, a file that does not add up, undo', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-import-'));
  seedGirokonto(dataDir);
  const { child, url } = await startPreview(dataDir);
  try {
    await page.goto(`${url}#/account/1`);
    await page.getByRole('button', { name: 'Import a statement' }).click();
    const panel = page.getByRole('region', { name: 'Import a statement' });
    await panel.getByLabel('Statement file').setInputFiles(CAMT);

    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect(preview).toContainText('camt053-de.xml (CAMT.053)');
    await expect(preview.getByRole('listitem')).toHaveText(['4 to add', '0 already here', '1 skipped (not booked)']);
    await expect(preview).toContainText('It becomes the account\u2019s balance on that day.');
    await expect(preview.getByRole('row')).toHaveCount(4);
    await expect(preview.getByRole('row').nth(1)).toContainText('Hausverwaltung Lindenhof Miete Maerz 2026 Whg 4 links');
    await preview.getByRole('button', { name: 'Import 4 transactions' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported camt053-de.xml: 4 added, 0 already here.');

    // the same file again: everything is already here
    await panel.getByLabel('Statement file').setInputFiles(CAMT);
    await expect(preview.getByRole('listitem')).toHaveText(['0 to add', '4 already here', '1 skipped (not booked)']);
    await expect(preview).toContainText('The account will show the same.');
    await preview.getByRole('button', { name: 'Cancel' }).click();
    await expect(preview).toHaveCount(0);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
    await expect(page.getByText('Erstattung ESt 2024').first()).toBeVisible();
    await page.goBack();
    await page.getByRole('button', { name: 'Import a statement' }).click();
    await panel.getByLabel('Statement file').setInputFiles(join(import.meta.dirname, '../fixtures/statements/camt053-wrong-sum.xml'));
    await expect(panel.getByRole('alert')).toContainText('The movements do not add up');
    await expect(preview).toHaveCount(0);

    // the import is one entry in the sync log, and is undone from there as a whole
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sync log' }).click();
    const entry = page.getByRole('row', { name: /Import of camt053-de\.xml/ });
    await expect(entry).toHaveCount(1);
    await entry.getByRole('button', { name: 'Undo this import' }).click();
    await expect(entry).toContainText('undone: 4 removed');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
    await expect(page.getByText('Erstattung ESt 2024')).toHaveCount(0);
  } finally {
    await stopPreview(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a German bank CSV: its columns are named once in the form, previewed and imported', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-import-csv-'));
  seedGirokonto(dataDir);
  const { child, url } = await startPreview(dataDir);
  try {
    await page.goto(`${url}#/account/1`);
    await page.getByRole('button', { name: 'Import a statement' }).click();
    const panel = page.getByRole('region', { name: 'Import a statement' });
    await panel.getByLabel('Statement file').setInputFiles(join(import.meta.dirname, '../fixtures/statements/csv-de.csv'));
    const form = panel.getByRole('form', { name: 'CSV columns' });
    await expect(form.getByRole('combobox', { name: 'Date', exact: true })).toHaveValue('Buchungstag');
    await expect(form.getByRole('combobox', { name: 'Amount' })).toHaveValue('Umsatz in EUR');
    await form.getByRole('combobox', { name: 'Text' }).selectOption('Buchungstext');
    await form.getByRole('button', { name: 'Preview with these columns' }).click();
    const preview = panel.getByRole('region', { name: 'Preview' });
    await expect(preview.getByRole('listitem')).toHaveText(['4 to add', '0 already here', '0 skipped (not booked)']);
    await expect(preview.getByRole('row').nth(1)).toContainText('Empfänger: Hausverwaltung Lindenhof Buchungstext: Miete März 2026 Whg 4 links');
    await preview.getByRole('button', { name: 'Import 4 transactions' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported csv-de.csv: 4 added, 0 already here.');
    // the layout is remembered: the same bank's next file goes straight to the preview
    await panel.getByLabel('Statement file').setInputFiles(join(import.meta.dirname, '../fixtures/statements/csv-de.csv'));
    await expect(preview.getByRole('listitem')).toHaveText(['0 to add', '4 already here', '0 skipped (not booked)']);
    await expect(form).toHaveCount(0);
  } finally {
    await stopPreview(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('the account page lists its imports; one is undone after a confirmation and its rows are gone', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'multibank-e2e-import-list-'));
  seedGirokonto(dataDir);
  const { child, url } = await startPreview(dataDir);
  try {
    await page.goto(`${url}#/account/1`);
    await expect(page.getByRole('heading', { level: 1, name: 'Girokonto' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Imported statements' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Import a statement' }).click();
    const panel = page.getByRole('region', { name: 'Import a statement' });
    const preview = panel.getByRole('region', { name: 'Preview' });
    await panel.getByLabel('Statement file').setInputFiles(CAMT);
    await preview.getByRole('button', { name: 'Import 4 transactions' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported camt053-de.xml: 4 added');
    // the same days as MT940 (no references): all four are matched, none added
    await panel.getByLabel('Statement file').setInputFiles(join(import.meta.dirname, '../fixtures/statements/mt940-de.sta'));
    await preview.getByRole('button', { name: 'Record the import' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported mt940-de.sta: 0 added, 4 already here.');

    const list = page.getByRole('region', { name: 'Imported statements' });
    const entries = list.getByRole('listitem');
    await expect(entries).toHaveCount(2);
    await expect(entries.nth(0)).toContainText('mt940-de.sta');
    await expect(entries.nth(0)).toContainText('0 new · 4 matched · 0 skipped');
    const camt = list.getByRole('listitem', { name: /^camt053-de\.xml/ });
    await expect(camt).toContainText('4 new · 0 matched · 1 skipped');

    await camt.getByRole('button', { name: 'Undo this import' }).click();
    const confirm = camt.getByRole('group', { name: 'Undo the import of camt053-de.xml' });
    await expect(confirm).toContainText('Remove the 4 transactions this import added?');
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    await expect(confirm).toHaveCount(0);
    await camt.getByRole('button', { name: 'Undo this import' }).click();
    await confirm.getByRole('button', { name: 'Undo the import' }).click();
    await expect(camt).toContainText('undone');
    await expect(camt.getByRole('button', { name: 'Undo this import' })).toHaveCount(0);
    await expect(entries.nth(0).getByRole('button', { name: 'Undo this import' })).toHaveCount(1);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Transactions' }).click();
    // the MT940's matched rows were the CAMT import's: with it undone, the account has none
    await expect(page.getByRole('heading', { name: 'No transactions yet' })).toBeVisible();
  } finally {
    await stopPreview(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
