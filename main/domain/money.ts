// Exact money: provider decimals -> integer minor units, never through float arithmetic.

/** ISO 4217 minor-unit exponents that differ from 2. */
const EXPONENTS: Record<string, number> = {
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  CLF: 4, UYW: 4,
};

export function currencyExponent(currency: string): number {
  if (!/^[A-Z]{3}$/.test(currency)) throw new RangeError(`Not an ISO 4217 currency code: ${JSON.stringify(currency)}`);
  return EXPONENTS[currency] ?? 2;
}

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

/** Minor units -> plain decimal string ("-12.30"), for export and display. */
export function formatMinor(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const neg = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const whole = exp ? digits.slice(0, -exp) : digits;
  const frac = exp ? '.' + digits.slice(-exp) : '';
  return (neg ? '-' : '') + whole + frac;
}
