// Money for display: integer minor units -> localized text through Intl, with the ISO 4217 exponent of each currency.

/** ISO 4217 minor-unit exponents that differ from 2 (same table as main/domain/money.ts; the renderer may not import main). */
const EXPONENTS: Record<string, number> = {
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0,
  UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  CLF: 4, UYW: 4,
};

export function currencyExponent(currency: string): number {
  return EXPONENTS[currency.toUpperCase()] ?? 2;
}

/** Minor units -> exact decimal string ("-12.30"); no float arithmetic, so huge amounts stay exact. */
export function minorToDecimal(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  const whole = exp ? digits.slice(0, -exp) : digits;
  return (minor < 0 ? '-' : '') + whole + (exp ? '.' + digits.slice(-exp) : '');
}

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
