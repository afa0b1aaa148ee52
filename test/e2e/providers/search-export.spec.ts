// The transactions screen beyond browsing: export exactly what a search shows (CSV read back), hide a transaction and
// find it again with "Show hidden", and Settings telling where the data lives.
import { readFileSync } from 'node:fs';
import type { RequestOf } from '../../../preload/contract/channels.js';
import { linkDemoBank } from '../flows.js';
import { parseCsv } from '../../helpers/csv.js';
import { expect, nav, test, type ProviderApp } from './harness.js';

/** every row transactions.list gives for a filter, page by page */
async function listed(app: ProviderApp, filter: Omit<RequestOf<'transactions.list'>, 'cursor' | 'limit'>): Promise<number[]> {
  const ids: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await app.call('transactions.list', { ...filter, limit: 500, ...(cursor ? { cursor } : {}) });
    ids.push(...page.rows.map((r) => r.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

test('search → "Export these transactions" writes exactly the listed rows; hide and show hidden; data folder in Settings', async ({ page, app }) => {
  await linkDemoBank(page, app.url);
  await nav(page, 'Transactions');
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();

  // a word that finds some rows but not all: the first word of a recent spending's counterparty that matches at least
  // two spendings, because the hide step below needs a row left after hiding the first. The demo data follows today's
  // date, so which word that is (and how often it occurs) changes from day to day.
  const everything = await listed(app, { sort: 'date_desc' });
  const recent = (await app.call('transactions.list', { direction: 'out', limit: 100 })).rows;
  let word = '';
  for (const w of new Set(recent.flatMap((r) => (r.counterpartyName ? [r.counterpartyName.split(/\s+/)[0]] : [])))) {
    if ((await listed(app, { search: w, direction: 'out', sort: 'date_desc' })).length >= 2) { word = w; break; }
  }
  expect(word, 'a counterparty word that two spendings share').not.toBe('');
  await page.getByRole('searchbox', { name: 'Search transactions' }).fill(word);
  await page.getByLabel('Direction').selectOption('out');
  // the list searches once typing pauses: wait until it shows the matches (highlighted)
  await expect(list.getByRole('option').first().locator('mark').first()).toBeVisible();
  const expected = await listed(app, { search: word, direction: 'out', sort: 'date_desc' });
  expect(expected.length).toBeGreaterThan(1);
  expect(expected.length).toBeLessThan(everything.length);
  await expect(list.getByRole('option').first()).toHaveId(`tx-${expected[0]}`);

  await expect(page.getByLabel('Export format')).toHaveValue('csv');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export these transactions' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const rows = parseCsv(readFileSync((await download.path())!, 'utf8'));
  expect(rows.map((r) => Number(r.id))).toEqual([...expected].reverse()); // the file runs oldest first
  for (const r of rows) expect(r.amount).toMatch(/^-\d+(\.\d+)?$/);
  await expect(page.getByRole('search').getByRole('status')).toContainText(`with ${expected.length} transaction`);

  // hide the first row: marked at once, gone from the list after the next load, back with "Show hidden", then unhidden
  await list.getByRole('option').first().click();
  const details = page.getByRole('complementary', { name: 'Transaction details' });
  await details.getByRole('button', { name: 'Hide', exact: true }).click();
  await expect(details.getByRole('button', { name: 'Unhide', exact: true })).toBeVisible();
  const first = list.locator(`#tx-${expected[0]}`);
  await expect(first).toContainText('Hidden');
  await details.getByRole('button', { name: 'Close details' }).click();
  await page.getByLabel('Direction').selectOption('');
  await page.getByLabel('Direction').selectOption('out');
  await expect(list.getByRole('option').first()).not.toHaveId(`tx-${expected[0]}`);
  expect(await listed(app, { search: word, direction: 'out', sort: 'date_desc' })).not.toContain(expected[0]);
  await page.getByRole('checkbox', { name: 'Show hidden' }).check();
  await expect(first).toContainText('Hidden');
  await first.click();
  await details.getByRole('button', { name: 'Unhide', exact: true }).click();
  await expect(details.getByRole('button', { name: 'Hide', exact: true })).toBeVisible();
  await expect(first).not.toContainText('Hidden');
  expect(await listed(app, { search: word, direction: 'out', sort: 'date_desc' })).toContain(expected[0]);

  // where the data lives
  await nav(page, 'Settings');
  await expect(page.getByText(app.dataDir)).toBeVisible();
});
