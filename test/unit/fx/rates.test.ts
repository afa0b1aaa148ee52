// The ECB's reference rates: the published files parsed from real-format samples, conversion in integers, and the
// rates client against the sandbox's copy of the ECB over HTTP with a real SQLite file, at fixed instants.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECB_FILES, parseEurofxrefXml } from '../../../main/fx/ecb.js';
import { convertMinor, createRates, MAX_RATE_AGE_DAYS, type Rates } from '../../../main/fx/rates.js';
import { english, type MainMessage } from '../../../main/domain/errors.js';
import { currencyOfLocale } from '../../../main/fx/region.js';
import type { Db } from '../../../main/store/db.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { isTargetDay } from '../../../sandbox/ecb/index.js';
import { cleanupDirs, freshDb } from '../sync/scripted.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/ecb/${name}`, import.meta.url), 'utf8');

describe('the ECB eurofxref files', () => {
  it('reads the daily file: one day, every published currency, the rates as the ECB wrote them', () => {
    const rates = parseEurofxrefXml(fixture('eurofxref-daily.xml'));
    expect(rates).toHaveLength(30);
    expect(new Set(rates.map((r) => r.date))).toEqual(new Set(['2024-06-28']));
    expect(rates.find((r) => r.currency === 'USD')).toEqual({ date: '2024-06-28', currency: 'USD', rate: '1.0705' });
    expect(rates.find((r) => r.currency === 'HUF')?.rate).toBe('395.10');
    expect(rates.some((r) => r.currency === 'BHD')).toBe(false);
  });

  it('reads a history file: several days, newest first, none for the weekend', () => {
    const rates = parseEurofxrefXml(fixture('eurofxref-hist-excerpt.xml'));
    expect([...new Set(rates.map((r) => r.date))]).toEqual(['2024-07-01', '2024-06-28', '2024-06-27']);
    expect(rates.filter((r) => r.currency === 'GBP').map((r) => r.rate)).toEqual(['0.84755', '0.84638', '0.84605']);
  });

  it('refuses what is not an exchange-rate file (an HTML error page, other XML)', () => {
    expect(() => parseEurofxrefXml('<html><body>Service unavailable')).toThrow(/not well-formed XML/);
    expect(() => parseEurofxrefXml('<?xml version="1.0"?><feed><entry/></feed>')).toThrow(/holds no rates/);
  });
});

describe('conversion through the euro, in integers', () => {
  it('converts minor units between currencies of any exponent, rounding half away from zero', () => {
    expect(convertMinor(10000, 'USD', '1.0705', 'EUR', '1')).toBe(9341); // 100.00 USD / 1.0705 = 93.4143 EUR
    expect(convertMinor(-10000, 'USD', '1.0705', 'EUR', '1')).toBe(-9341);
    expect(convertMinor(100000, 'JPY', '171.94', 'EUR', '1')).toBe(58160); // ¥100,000 = 581.598 EUR
    expect(convertMinor(100000, 'EUR', '1', 'CZK', '25.025')).toBe(2502500);
    expect(convertMinor(2502500, 'CZK', '25.025', 'USD', '1.0705')).toBe(107050); // 25,025 CZK = 1,000 EUR = 1,070.50 USD
    expect(convertMinor(1, 'EUR', '1', 'JPY', '171.94')).toBe(2); // 0.01 EUR = ¥1.7194
  });
});

describe('the default base currency', () => {
  it('follows the locale region, and is EUR where the region is unknown', () => {
    expect(currencyOfLocale('sk-SK')).toBe('EUR');
    expect(currencyOfLocale('cs_CZ.UTF-8')).toBe('CZK');
    expect(currencyOfLocale('en-GB')).toBe('GBP');
    expect(currencyOfLocale('en')).toBe('EUR');
    expect(currencyOfLocale('ar-BH')).toBe('EUR');
    expect(currencyOfLocale('not a locale!')).toBe('EUR');
  });
});

describe('rates from the sandbox ECB, kept in SQLite', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  let rates: Rates;
  const ecbRequests = () => sandbox.world.served.list('ecb').map((e) => e.path);

  beforeAll(async () => {
    // Monday 28 December 2026, before the day's publication: 25 and 26 December are TARGET holidays, 27 a Sunday
    sandbox = await startSandbox({ providers: ['ecb'], now: '2026-12-28T10:00:00Z' });
    ({ db } = freshDb());
    const repos = createRepositories(db);
    rates = createRates({ db, meta: repos.meta, host: () => sandbox.urls.ecb, now: () => sandbox.world.clock.now() });
  }, 60_000);
  afterAll(async () => { db?.close(); await sandbox?.close(); cleanupDirs(); });

  it('fetches the full history first (once for callers at the same time), then nothing more the same day', async () => {
    expect(await Promise.all([rates.refresh(), rates.refresh()])).toEqual([null, null]);
    expect(ecbRequests()).toEqual([ECB_FILES.hist]);
    expect(await rates.refresh()).toBeNull();
    expect(ecbRequests()).toEqual([ECB_FILES.hist]);
  });

  it('takes the previous business day\'s rate for a weekend, a holiday and today before publication', () => {
    expect(isTargetDay('2026-12-24') && !isTargetDay('2026-12-25') && !isTargetDay('2026-12-26')).toBe(true);
    const thursday = rates.lookup('USD', '2026-12-24');
    expect(thursday).toMatchObject({ date: '2026-12-24', rate: expect.stringMatching(/^\d\.\d{4}$/) });
    for (const day of ['2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28']) expect(rates.lookup('USD', day)).toEqual(thursday);
    expect(rates.lookup('EUR', '2026-12-27')).toEqual({ rate: '1', date: '2026-12-27' });
  });

  it(`says there is no rate when the newest is more than ${MAX_RATE_AGE_DAYS} days older, or the ECB publishes none`, () => {
    expect(MAX_RATE_AGE_DAYS).toBe(5);
    expect(rates.lookup('USD', '2026-12-29')).toHaveProperty('date', '2026-12-24'); // 5 days back
    expect(rates.lookup('USD', '2026-12-30')).toEqual({ missing: { id: 'fx.no_rate_on', values: { currency: 'USD', date: { id: 'date', values: { iso: '2026-12-30' } }, days: 5 } } });
    expect(english((rates.lookup('USD', '2026-12-30') as { missing: MainMessage }).missing)).toMatch(/^No rate for USD on Dec 30, 2026: .*at most 5 days older/);
  });

  it('reports a currency the ECB does not publish instead of guessing', () => {
    expect(rates.lookup('BHD', '2026-12-24')).toEqual({ missing: { id: 'fx.not_published', values: { currency: 'BHD' } } });
  });

  it('fills a gap from the 90-day file, then takes the daily file; a failed fetch keeps the rates and says so', async () => {
    sandbox.world.clock.set('2026-12-29T16:00:00Z');
    expect(await rates.refresh()).toBeNull();
    expect(ecbRequests().at(-1)).toBe(ECB_FILES.hist90d);
    expect(rates.lookup('USD', '2026-12-28')).toHaveProperty('date', '2026-12-28');
    sandbox.world.clock.set('2026-12-30T16:00:00Z');
    expect(await rates.refresh()).toBeNull();
    expect(ecbRequests().at(-1)).toBe(ECB_FILES.daily);
    expect(rates.lookup('USD', '2026-12-30')).toHaveProperty('date', '2026-12-30');
    sandbox.world.clock.set('2026-12-31T16:00:00Z');
    sandbox.world.faults.add('ecb', { kind: 'server_error', status: 503 });
    expect(await rates.refresh()).toEqual({ id: 'fx.fetch_failed_kept', values: { newest: { id: 'date', values: { iso: '2026-12-30' } } } });
    expect(rates.lookup('USD', '2026-12-31')).toHaveProperty('date', '2026-12-30');
    // tried again only after an hour
    const asked = ecbRequests().length;
    expect(await rates.refresh()).toMatchObject({ id: 'fx.fetch_failed_kept' });
    expect(ecbRequests()).toHaveLength(asked);
    expect(rates.lookup('USD', '2027-01-05')).toMatchObject({ missing: { id: 'fx.no_rate_on', values: { currency: 'USD' } } });
  });
});
