import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMoney, minorToDecimal, parseAmount } from '../../../renderer/src/lib/money.js';
import { countdown, formatDate, isStale, relativeTime } from '../../../renderer/src/lib/time.js';
import { markTerms, parseMarked } from '../../../renderer/src/lib/highlight.js';
import { validateField, validateFields } from '../../../renderer/src/lib/fields.js';
import { translator } from '../../helpers/translate.js';
import { maskIban } from '../../../renderer/src/lib/iban.js';
import { addressLabel } from '../../../renderer/src/lib/providers.js';
import { testNow } from '../../helpers/clock.js';

const t = translator('en');

describe('money', () => {
  it('uses each currency exponent', () => {
    expect(currencyExponent('EUR')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('BHD')).toBe(3);
    expect(minorToDecimal(-1230, 'EUR')).toBe('-12.30');
    expect(minorToDecimal(5, 'EUR')).toBe('0.05');
    expect(minorToDecimal(1234567, 'BHD')).toBe('1234.567');
    expect(minorToDecimal(1234567, 'JPY')).toBe('1234567');
  });

  it('formats minor units with Intl in the account currency', () => {
    expect(formatMoney(123456, 'EUR', { locale: 'en-US' })).toBe('€1,234.56');
    expect(formatMoney(-123456, 'EUR', { locale: 'de-DE' })).toBe('-1.234,56\u00a0€');
    expect(formatMoney(1234, 'JPY', { locale: 'en-US' })).toBe('¥1,234');
    expect(formatMoney(1234567, 'BHD', { locale: 'en-US' })).toMatch(/^BHD\s1,234\.567$/);
    expect(formatMoney(500, 'EUR', { locale: 'en-US', signed: true })).toBe('+€5.00');
    expect(formatMoney(0, 'EUR', { locale: 'en-US', signed: true })).toBe('€0.00');
  });

  it('keeps amounts beyond float precision exact', () => {
    // 2^53 - 1 minor units: a float division by 100 would round the last digits
    expect(formatMoney(9007199254740991, 'EUR', { locale: 'en-US' })).toBe('€90,071,992,547,409.91');
  });

  it('parses what people type, refusing extra decimals', () => {
    expect(parseAmount('12.5', 'EUR')).toBe(1250);
    expect(parseAmount('-3,20', 'EUR')).toBe(-320);
    expect(parseAmount('100', 'JPY')).toBe(100);
    expect(parseAmount('1.5', 'JPY')).toBeNull();
    expect(parseAmount('1.2345', 'BHD')).toBeNull();
    expect(parseAmount('abc', 'EUR')).toBeNull();
    expect(parseAmount('', 'EUR')).toBeNull();
  });
});

describe('time', () => {
  const now = testNow('2026-03-10T12:00:00Z').getTime();
  const at = (hours: number) => new Date(now + hours * 3_600_000).toISOString();
  it('says how long ago', () => {
    expect(relativeTime(at(-2), now, 'en')).toBe('2 hours ago');
    expect(relativeTime(new Date(now - 10_000).toISOString(), now, 'en')).toBe('now');
    expect(relativeTime(at(-2), now, 'de')).toBe('vor 2 Stunden');
    expect(relativeTime(at(-24), now, 'en')).toBe('yesterday');
    expect(relativeTime(at(72), now, 'en')).toBe('in 3 days');
    expect(relativeTime(null, now)).toBeNull(); // the caller says "Never synced" in its own words
  });
  it('marks old syncs stale', () => {
    expect(isStale(at(-2), now)).toBe(false);
    expect(isStale(at(-50), now)).toBe(true);
    expect(isStale(null, now)).toBe(true);
  });
  it('counts down to an expiry', () => {
    expect(countdown(at(75), now, 'en')).toBe('3 days, 3 hr');
    expect(countdown(at(2.5), now, 'en')).toBe('2 hr, 30 min');
    expect(countdown(at(75), now, 'de')).toBe('3 Tg., 3 Std.');
    expect(countdown(at(2.5), now, 'pl')).toBe('2 godz. i 30 min');
    expect(countdown(at(-9 * 24 - 12), now)).toBeNull();
  });
  it('reads booking dates as calendar dates', () => {
    expect(formatDate('2026-01-31', 'en-US')).toBe('Jan 31, 2026');
    // in any time zone: a calendar date is never shifted to the day before or after
    expect(formatDate('2028-02-29', 'en-US')).toBe('Feb 29, 2028');
    expect(formatDate('2026-12-31', 'en-US')).toBe('Dec 31, 2026');
  });
});

describe('highlight', () => {
  it('splits marked text from main', () => {
    expect(parseMarked('Card \u0001Lidl\u0002 Berlin')).toEqual([
      { text: 'Card ', match: false }, { text: 'Lidl', match: true }, { text: ' Berlin', match: false },
    ]);
    expect(parseMarked('\u0001a\u0002\u0001b\u0002')).toEqual([{ text: 'a', match: true }, { text: 'b', match: true }]);
    expect(parseMarked('no marks')).toEqual([{ text: 'no marks', match: false }]);
  });
  it('marks query words in plain text, case-insensitively, with regex characters taken literally', () => {
    expect(markTerms('Lidl Dienstleistung', 'lidl')).toEqual([{ text: 'Lidl', match: true }, { text: ' Dienstleistung', match: false }]);
    expect(markTerms('A+B (shop)', 'a+b')).toEqual([{ text: 'A+B', match: true }, { text: ' (shop)', match: false }]);
    expect(markTerms('Rent', '')).toEqual([{ text: 'Rent', match: false }]);
  });
});

describe('form fields', () => {
  const code = { name: 'code', label: 'Code', type: 'text' as const, required: true, regex: '\\d{6}' };
  it('validates required and regex', () => {
    expect(validateField(code, '', t)).toBe('Code is required.');
    expect(validateField(code, '12345', t)).toBe('Code does not have the expected format.');
    expect(validateField(code, '1234567', t)).toBe('Code does not have the expected format.'); // anchored
    expect(validateField(code, '123456', t)).toBeNull();
    expect(validateField({ ...code, required: false }, '', t)).toBeNull();
    expect(validateField({ ...code, regex: '([' }, 'x', t)).toBeNull(); // unreadable regex does not block
  });
  it('validates list choices and a whole form', () => {
    const list = { name: 'type', label: 'Type', type: 'list' as const, required: true, values: [{ label: 'A', value: 'a' }] };
    expect(validateField(list, 'b', t)).toBe('Choose one of the options for Type.');
    expect(validateFields([code, list], { code: '123456', type: 'a' }, t)).toEqual({});
    expect(Object.keys(validateFields([code, list], {}, t))).toEqual(['code', 'type']);
  });
});

describe('iban', () => {
  it('masks all but country, check digits and the last four', () => {
    expect(maskIban('DE89 3704 0044 0532 0130 00')).toBe('DE89 •••• 3000');
    expect(maskIban(null)).toBeNull();
  });
});

describe('aggregator address', () => {
  it('names a loopback address as the demo banks and a real one by its host name only', () => {
    expect(addressLabel('http://127.0.0.1:41234', t)).toBe('Demo banks on this computer');
    expect(addressLabel('http://localhost:8080/api', t)).toBe('Demo banks on this computer');
    expect(addressLabel('http://[::1]:9000', t)).toBe('Demo banks on this computer');
    expect(addressLabel('https://demo.biapi.pro/2.0/', t)).toBe('demo.biapi.pro');
    expect(addressLabel('https://sandbox.finapi.io', t)).toBe('sandbox.finapi.io');
    expect(addressLabel(null, t)).toBe('Not set up');
    expect(addressLabel('not a url', t)).toBe('Address not readable: check it in Settings');
  });
});
