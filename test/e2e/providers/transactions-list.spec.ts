// The transactions list as a person meets it (issue 17): amounts filtered by size with a direction and plain hints for
// what cannot be used, a capped search box, searches of only signs, notes and categories found by search, "Largest
// amount" across currencies, and one account's running balance across pages.
import type { Locator, Page } from '@playwright/test';
import type { TransactionDto } from '../../../preload/contract/channels.js';
import { linkDemoBank } from '../flows.js';
import { expect, nav, test, type ProviderApp } from './harness.js';

/** the digits of a shown amount ("−€1,234.56" → "123456") and whether it is negative */
const shown = (text: string) => ({ digits: text.replace(/\D/g, '').replace(/^0+(?=\d)/, ''), negative: /^[-−]/.test(text.trim()) });
const digitsOf = (minor: number) => String(Math.abs(minor));

async function visibleIds(list: Locator): Promise<number[]> {
  return (await list.getByRole('option').evaluateAll((els) => els.map((e) => e.id))).map((id) => Number(id.slice(3)));
}

async function allOf(app: ProviderApp, filter: { accountIds?: number[]; sort?: 'date_desc' }, limit = 100): Promise<TransactionDto[]> {
  const rows: TransactionDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await app.call('transactions.list', { ...filter, limit, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

async function search(page: Page, text: string) {
  await page.getByRole('searchbox', { name: 'Search transactions' }).fill(text);
}

test('amount sizes, search limits and signs, notes and categories found, sort across currencies, running balance', async ({ page, app }) => {
  await linkDemoBank(page, app.url);
  await nav(page, 'Transactions');
  const list = page.getByRole('listbox', { name: 'Transactions' });
  await expect(list.getByRole('option').first()).toBeVisible();
  const amountHint = page.locator('#tx-amount-hint');
  const searchHint = page.locator('#tx-search-hint');

  // 1. Min 50 keeps spending of 50 and more (signed amounts hid all of it); with "Money out", only spending
  await page.getByLabel('Min amount').fill('50');
  const big = (await app.call('transactions.list', { minSize: '50', limit: 20 })).rows;
  expect(big.some((t) => t.amount < 0)).toBe(true);
  await expect.poll(() => visibleIds(list).then((ids) => ids.slice(0, 5))).toEqual(big.slice(0, 5).map((t) => t.id));
  await page.getByLabel('Direction').selectOption('out');
  await expect(list.locator('.tx-amount').first()).toHaveText(/^[-−]/);
  for (const text of await list.locator('.tx-amount').allInnerTexts()) {
    expect(shown(text).negative, text).toBe(true);
    expect(Number(shown(text).digits), text).toBeGreaterThanOrEqual(text.includes('¥') ? 50 : 5000); // yen have no cents
  }
  const before = await visibleIds(list);
  // what cannot be read is said next to the fields, and the filter is visibly off (not silently ignored)
  await page.getByLabel('Min amount').fill('abc');
  await expect(amountHint).toHaveText('Min amount: “abc” is not an amount. Type a number such as 25 or 12.50. The amount filter is off until then.');
  await expect(page.getByLabel('Min amount')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Min amount').fill('-20');
  await expect(amountHint).toContainText('without a minus sign (20); for spending, choose Money out under Direction.');
  await page.getByLabel('Min amount').fill('200');
  await page.getByLabel('Max amount').fill('20');
  await expect(amountHint).toHaveText('Min amount is larger than Max amount, so nothing could match: swap them. The amount filter is off until then.');
  await expect(page.getByLabel('Max amount')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Min amount').fill('50');
  await page.getByLabel('Max amount').fill('');
  await expect(amountHint).toBeEmpty();
  await expect.poll(() => visibleIds(list)).toEqual(before);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  // 2. a search longer than the contract allows is cut at 200 characters in the box, never an "Invalid request"
  await search(page, 'qzxvw '.repeat(50));
  await expect(page.getByRole('searchbox', { name: 'Search transactions' })).toHaveValue('qzxvw '.repeat(50).slice(0, 200));
  await expect(searchHint).toHaveText('Search takes up to 200 characters; the rest was left out.');
  await expect(page.getByText('No transactions match')).toBeVisible();
  await expect(page.getByText(/Invalid request/)).toHaveCount(0);

  // 3. only signs or emoji: nothing to search for (never every row); mixed input searches its words
  for (const signs of ['%', '*', '"', '-', '☕🙂']) {
    await search(page, signs);
    await expect(page.getByText('Nothing to search for')).toBeVisible();
    await expect(searchHint).toHaveText(`“${signs}” has no letters or digits: search finds words and numbers.`);
    await expect(list).toHaveCount(0);
  }
  await search(page, '');
  await expect(list.getByRole('option').first()).toBeVisible();

  // 4. a note and a category set by hand are found by search, and forgotten when changed
  const first = list.getByRole('option').first();
  const firstId = (await visibleIds(list))[0];
  await first.click();
  const details = page.getByRole('complementary', { name: 'Transaction details' });
  await details.getByLabel('Category', { exact: true }).fill('Orthodontics');
  await details.getByLabel('Note', { exact: true }).fill('Braces for the quokka');
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(details.getByRole('status')).toHaveText('Saved');
  await details.getByRole('button', { name: 'Close details' }).click();
  await search(page, 'quokk');
  await expect.poll(() => visibleIds(list)).toEqual([firstId]);
  await expect(list.locator('mark')).toHaveText(['quokk']);
  await search(page, '-orthodont %*'); // mixed: its words are searched, the signs are not
  // the same row as the last search found: wait until this search's list replaced that one (no "quokk" marked)
  await expect(list.locator('mark')).toHaveCount(0);
  await expect.poll(() => visibleIds(list)).toEqual([firstId]);
  await list.getByRole('option').first().click();
  await details.getByLabel('Note', { exact: true }).fill('Paid back');
  await details.getByRole('button', { name: 'Save' }).click();
  await expect(details.getByRole('status')).toHaveText('Saved');
  await details.getByRole('button', { name: 'Close details' }).click();
  await search(page, 'quokk');
  await expect(page.getByText('No transactions match')).toBeVisible();
  await search(page, '');

  // 5. "Largest amount" over euros and yen: sorted by size within each currency, which the screen says
  await page.getByLabel('Sort').selectOption('amount_desc');
  await expect(page.getByText('Sorted by size within each currency (EUR, JPY): without exchange rates they cannot be compared.')).toBeVisible();
  const everything = await allOf(app, {}, 500);
  const largestEur = Math.max(...everything.filter((t) => t.currency === 'EUR').map((t) => Math.abs(t.amount)));
  await expect(list.locator('.tx-amount').first()).toHaveText(/€/);
  expect(shown(await list.locator('.tx-amount').first().innerText()).digits).toBe(digitsOf(largestEur));
  const jpy = await app.call('accounts.list').then((a) => a.find((x) => x.currency === 'JPY')!);
  await page.getByLabel('Account').selectOption(String(jpy.id));
  await expect(page.getByText(/Sorted by size within each currency/)).toHaveCount(0);
  await expect(list.locator('.tx-amount').first()).toHaveText(/¥/);
  await page.getByLabel('Sort').selectOption('date_desc');

  // 6. one account, newest first: each booked row shows the balance after it; the newest is the day's end balance
  //    (the account page's chart), and the walk carries on over the next page (the list fetches 100 rows a page)
  const current = await app.call('accounts.list').then((a) => a.find((x) => x.currency === 'EUR' && x.type === 'current')!);
  await page.getByLabel('Account').selectOption(String(current.id));
  const rows = await allOf(app, { accountIds: [current.id], sort: 'date_desc' }, 100);
  expect(rows.length).toBeGreaterThan(101);
  const booked = rows.filter((t) => t.status === 'booked');
  for (let i = 0; i + 1 < booked.length; i++) expect(booked[i + 1].runningBalance).toBe(booked[i].runningBalance! - booked[i].amount);
  const [endOfDay] = await app.call('accounts.balanceHistory', { accountId: current.id, from: booked[0].bookingDate, to: booked[0].bookingDate });
  expect(booked[0].runningBalance).toBe(endOfDay.balance);
  const topBooked = list.locator(`#tx-${booked[0].id}`);
  await expect(topBooked.locator('.tx-balance')).toHaveAttribute('title', 'Booked balance after this transaction');
  expect(shown(await topBooked.locator('.tx-balance .money').innerText()).digits).toBe(digitsOf(endOfDay.balance));
  for (const pending of rows.slice(0, 20).filter((t) => t.status === 'pending')) await expect(list.locator(`#tx-${pending.id} .tx-balance`)).toHaveCount(0);
  // across the page boundary in the list itself: rows 100 and 101 (the first of the second page)
  await list.focus();
  await page.keyboard.press('End');
  await expect.poll(async () => (await list.getAttribute('aria-activedescendant')) ?? '').toBe(`tx-${rows[99].id}`);
  await expect(list.locator(`#tx-${rows[100].id}`)).toBeAttached(); // the second page has come
  await page.keyboard.press('ArrowDown');
  await expect(list).toHaveAttribute('aria-activedescendant', `tx-${rows[100].id}`);
  for (const t of [rows[99], rows[100]].filter((x) => x.status === 'booked')) {
    expect(shown(await list.locator(`#tx-${t.id} .tx-balance .money`).innerText()).digits).toBe(digitsOf(t.runningBalance!));
  }
});
