// Exact money: provider decimals -> integer minor units, never through float arithmetic.

import { currencyExponent } from '../../preload/contract/currency.js';

export { currencyExponent, formatMinor } from '../../preload/contract/currency.js';

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * Parse a decimal (string, or a number whose shortest text form is used) into minor units.
 * Rejects anything that would need rounding, exponents, empty strings, NaN and values beyond 2^53.
 */
export function toMinorUnits(value: string | number, currency: string): number {
  const exp = currencyExponent(currency);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Amount is not finite: ${value}`);
    text = String(value);
    if (/e/i.test(text)) throw new RangeError(`Amount out of range: ${text}`);
  } else {
    text = value.trim();
  }
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`Not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole, frac = ''] = m;
  const fracTrimmed = frac.replace(/0+$/, '');
  if (fracTrimmed.length > exp) throw new RangeError(`Amount ${text} has more decimals than ${currency} allows (${exp})`);
  const digits = (whole + fracTrimmed.padEnd(exp, '0')).replace(/^0+(?=\d)/, '');
  const n = Number(digits);
  if (!Number.isSafeInteger(n)) throw new RangeError(`Amount out of range: ${text}`);
  return sign === '-' && n !== 0 ? -n : n;
}

