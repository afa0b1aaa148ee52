// Exact money: provider decimals -> integer minor units, never through float arithmetic.

import { currencyExponent } from '../../preload/contract/currency.js';

export { currencyExponent, formatMinor } from '../../preload/contract/currency.js';

/** a JSON number's text (exponent form included) or a plain decimal string */
const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,4}))?$/;

/** A float-noise amount may sit this many doubles' steps from the minor-unit value it stands for. */
const NOISE_ULPS = 8;

/**
 * Parse a decimal (string, or a number whose shortest text form is used) into minor units, exactly.
 * - Exponent form (`1e-7`, `1.5E3`) is read exactly, like any other decimal.
 * - Float noise (`0.30000000000000004`: a value a few doubles' steps from a minor-unit value, as float arithmetic
 *   upstream produces) becomes that minor-unit value.
 * - Anything else that would need rounding (`-16192638.834382623` EUR) throws a RangeError: money is never rounded
 *   silently; the caller keeps such a row aside with this reason (main/providers/rows.ts).
 * Also rejects empty strings, NaN and values beyond 2^53.
 */
export function toMinorUnits(value: string | number, currency: string): number {
  const exp = currencyExponent(currency);
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Amount is not finite: ${value}`);
    text = String(value);
  } else {
    text = value.trim();
  }
  const m = DECIMAL.exec(text);
  if (!m) throw new RangeError(`Not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole, frac = '', e = '0'] = m;
  // digits * 10^-scale, then scaled to minor units: digits * 10^(exp - scale)
  const digits = BigInt(whole + frac);
  const shift = exp - frac.length + Number(e);
  let minor: bigint;
  if (shift >= 0) minor = digits * 10n ** BigInt(shift);
  else {
    const div = 10n ** BigInt(-shift);
    minor = digits / div;
    const rest = digits % div;
    if (rest !== 0n) {
      if (2n * rest >= div) minor += 1n;
      if (!isFloatNoise(text, minor, exp)) {
        throw new RangeError(`Amount ${text} has more decimals than ${currency} allows (${exp})`);
      }
    }
  }
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`Amount out of range: ${text}`);
  const n = Number(minor);
  return sign === '-' && n !== 0 ? -n : n;
}

/** Whether `text` is a double's rendering of the (unsigned) minor-unit value `minor`, off by a few steps of float noise. */
function isFloatNoise(text: string, minor: bigint, exp: number): boolean {
  const got = Math.abs(Number(text));
  const near = Number(`${minor}e-${exp}`);
  const ulp = Math.max(Math.abs(near), Number.MIN_VALUE) * Number.EPSILON;
  return near !== 0 && Math.abs(got - near) <= NOISE_ULPS * ulp;
}
