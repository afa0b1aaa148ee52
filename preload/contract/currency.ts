// ISO 4217 minor units: the one table main, the renderer and the sandbox all use (this folder imports only zod and itself).

/** Exponents that differ from the ISO default of 2. */
const EXPONENTS: Record<string, number> = {
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  CLF: 4, UYW: 4,
};

const CODE = /^[A-Z]{3}$/;

/** Minor-unit exponent of an ISO 4217 code; throws for anything that is not a three-letter code. */
export function currencyExponent(currency: string): number {
  if (!CODE.test(currency)) throw new RangeError(`Not an ISO 4217 currency code: ${JSON.stringify(currency)}`);
  return EXPONENTS[currency] ?? 2;
}

/** Minor units -> plain decimal string ("-12.30", "-1500" for JPY, "-1.250" for BHD); no float arithmetic. */
export const formatMinor = (minor: number, currency: string): string => decimalString(minor, currencyExponent(currency));

/** An integer shifted right by `exponent` decimal places, as text. */
export function decimalString(minor: number, exponent: number): string {
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = exponent ? digits.slice(0, -exponent) : digits;
  return (minor < 0 ? '-' : '') + whole + (exponent ? '.' + digits.slice(-exponent) : '');
}
