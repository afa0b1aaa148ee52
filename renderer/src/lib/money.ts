// Money for display: integer minor units -> localized text through Intl, with the ISO 4217 exponent of each currency.

import { currencyExponent as isoExponent, decimalString } from '../../../preload/contract/currency.js';

/** Exponent for display: lenient about case, and 2 for a code that is not ISO-shaped rather than failing a whole screen. */
export function currencyExponent(currency: string): number {
  try { return isoExponent(currency.toUpperCase()); } catch { return 2; }
}

/** Minor units -> exact decimal string ("-12.30"); no float arithmetic, so huge amounts stay exact. */
export const minorToDecimal = (minor: number, currency: string): string => decimalString(minor, currencyExponent(currency));

const formatters = new Map<string, Intl.NumberFormat>();
function formatter(locale: string | undefined, currency: string, signed: boolean): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}|${signed}`;
  let f = formatters.get(key);
  if (!f) {
    const exp = currencyExponent(currency);
    try {
      f = new Intl.NumberFormat(locale, {
        style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: exp, maximumFractionDigits: exp,
        signDisplay: signed ? 'exceptZero' : 'auto',
      });
    } catch {
      // unknown currency code: show it as a plain number followed by the code
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: exp, maximumFractionDigits: exp, signDisplay: signed ? 'exceptZero' : 'auto' });
    }
    formatters.set(key, f);
  }
  return f;
}

/**
 * "€1,234.56", "¥1,235", "BHD 1.234" — in the account's own currency with its own decimals.
 * `signed` shows "+" for money in (transaction lists).
 */
export function formatMoney(minor: number, currency: string, opts: { locale?: string; signed?: boolean } = {}): string {
  const f = formatter(opts.locale, currency, opts.signed ?? false);
  // Intl accepts decimal strings exactly (no float rounding) in current engines.
  const text = f.format(minorToDecimal(minor, currency) as unknown as number);
  return f.resolvedOptions().style === 'currency' ? text : `${text} ${currency}`;
}

/** User text ("12.5", "-3,20") -> minor units, or null when it is not a plain decimal with at most the currency's decimals. */
export function parseAmount(text: string, currency: string): number | null {
  const m = /^\s*([+-])?(\d+)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m) return null;
  const exp = currencyExponent(currency);
  const [, sign, whole, frac = ''] = m;
  if (frac.length > exp) return null;
  const n = Number(whole + frac.padEnd(exp, '0'));
  if (!Number.isSafeInteger(n)) return null;
  return sign === '-' && n !== 0 ? -n : n;
}
