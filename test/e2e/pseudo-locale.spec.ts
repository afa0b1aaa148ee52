// The pseudo language en-XA (every catalogue string with its letters accented, dev bridge only): the main screens
// show no plain English letters except what the user's data, the aggregators' names and the browser's own Intl
// formatting put there. A word that is left is text the renderer did not take from the catalogue.
import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures.js';
import { linkDemoBank } from './flows.js';
import { PROVIDER_NAMES } from '../../preload/contract/providers.js';
import { pseudoText as ps } from '../../renderer/src/app/i18n.js';
import { applyKey } from '../../main/store/db.js';
import { testDatabaseKey } from '../helpers/dbkey.js';

/** words of this run's data: bank, account, category names, transaction texts (whatever the demo banks made up) */
async function dataWords(dataDir: string): Promise<Set<string>> {
  const db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
  try {
    applyKey(db, await testDatabaseKey(dataDir));
    const texts = [
      ...db.prepare('select institution_name as t from connections').all(),
      ...db.prepare('select name as t from accounts union all select bank_name from accounts').all(),
      ...db.prepare('select description as t from transactions union all select counterparty_name from transactions union all select category from transactions').all(),
      ...db.prepare('select name as t from categories').all(),
    ] as Array<{ t: string | null }>;
    return new Set(texts.flatMap((r) => words(r.t ?? '')));
  } finally {
    db.close();
  }
}

const PUNCTUATION = /^[\s.,:;!?()[\]{}“”„"'«»‹›·•…/+–—-]+|[\s.,:;!?()[\]{}“”„"'«»‹›·•…/+–—-]+$/gu;
function words(text: string): string[] {
  return text.split(/\s+/).map((w) => w.replace(PUNCTUATION, '')).filter(Boolean);
}

/** the words the browser's Intl writes in the formats locale (months, "ago", "AM", unit and currency names, "and") */
async function intlWords(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const locale = navigator.language;
    const out: string[] = [];
    for (let m = 0; m < 12; m++) {
      const d = new Date(Date.UTC(2026, m, 15, 15));
      for (const month of ['short', 'long'] as const) out.push(new Intl.DateTimeFormat(locale, { month, timeZone: 'UTC' }).format(d));
      out.push(new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d), new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(Date.UTC(2026, m, 15, 3))));
    }
    const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    for (const unit of ['second', 'minute', 'hour', 'day', 'week', 'month', 'year'] as const) for (let n = -3; n <= 3; n++) out.push(rtf.format(n, unit));
    for (const unit of ['day', 'hour', 'minute']) for (const n of [1, 2]) out.push(new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(n));
    out.push(new Intl.ListFormat(locale).format(['a', 'b', 'c']), new Intl.ListFormat(locale, { type: 'unit', style: 'short' }).format(['a', 'b']));
    const currencies = new Intl.DisplayNames(locale, { type: 'currency' });
    for (const o of document.querySelectorAll<HTMLOptionElement>('#base-currency option')) out.push(currencies.of(o.value) ?? '');
    return out;
  }).then((texts) => texts.flatMap(words));
}

/** visible text on the page (and the chosen option of each select), as it is shown */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('script, style, select') || !el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      if (n.textContent?.trim()) out.push(n.textContent);
    }
    for (const s of document.querySelectorAll('select')) if (s.checkVisibility() && s.selectedOptions[0]) out.push(s.selectedOptions[0].text);
    for (const i of document.querySelectorAll<HTMLInputElement>('input[placeholder]')) if (i.checkVisibility()) out.push(i.placeholder);
    return out;
  });
}

test('pseudo language: no hard-coded English on the accounts, transactions, connections, settings and link screens', async ({ page, app }) => {
  await linkDemoBank(page, app.url);
  const allowed = new Set([
    ...await dataWords(app.dataDir), ...Object.values(PROVIDER_NAMES).flatMap(words),
    // formats and names that are the same in every language: the product, file formats, each language's own name
    'Multibank', 'CSV', 'OFX', 'JSON', 'English', 'Deutsch', 'Français', 'Slovenčina', 'Polski',
  ]);
  const pseudo = new URL(app.url);
  pseudo.searchParams.set('lang', 'en-XA');

  const leftovers: string[] = [];
  async function check(screen: string) {
    const intl = new Set(await intlWords(page));
    for (const text of await visibleTexts(page)) {
      const plain = words(text.replace(/https?:\/\/\S+|\/\S*/g, ' ')).filter((w) => /[A-Za-z]{2}/.test(w)
        && !allowed.has(w) && !intl.has(w) && !/^[A-Z]{3}$/.test(w) && !/^[A-Z]{2}\d\d$/.test(w));
      if (plain.length) leftovers.push(`${screen}: “${text.trim()}” (${plain.join(', ')})`);
    }
  }

  await page.goto(`${pseudo}#/accounts`);
  // the page speaks the pseudo language: the navigation is accented, the data is not
  const nav = page.getByRole('navigation', { name: ps('Main') });
  await expect(nav.getByRole('link', { name: ps('Accounts') })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Tatra Demo Banka' })).toBeVisible();
  await expect(page.getByRole('heading', { name: new RegExp(`^${ps('Net worth in')} [A-Z]{3}$`) })).toBeVisible();
  await check('accounts');

  await nav.getByRole('link', { name: ps('Transactions') }).click();
  const list = page.getByRole('listbox', { name: ps('Transactions') });
  await list.getByRole('option').first().click();
  await expect(page.getByRole('complementary', { name: ps('Transaction details') })).toBeVisible();
  await check('transactions');

  await nav.getByRole('link', { name: ps('Connections') }).click();
  await expect(page.getByRole('heading', { name: ps('Connections'), level: 1 })).toBeVisible();
  await check('connections');

  await nav.getByRole('link', { name: ps('Categories') }).click();
  await expect(page.getByRole('heading', { name: ps('Rules') })).toBeVisible();
  await check('categories');

  await nav.getByRole('link', { name: ps('Export') }).click();
  await expect(page.getByRole('form', { name: ps('Export transactions') })).toBeVisible();
  await check('export');

  await nav.getByRole('link', { name: ps('Settings') }).click();
  await expect(page.getByRole('heading', { name: ps('Aggregators') })).toBeVisible();
  await expect(page.getByRole('heading', { name: ps('Demo banks') })).toBeVisible();
  await check('settings');

  await page.getByRole('link', { name: ps('Link a bank') }).click();
  await expect(page.getByRole('list', { name: ps('Steps') })).toBeVisible();
  await check('link wizard');

  expect(leftovers).toEqual([]);
});
