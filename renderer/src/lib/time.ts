// Relative and absolute dates for display.

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000], ['month', 30 * 86_400_000], ['week', 7 * 86_400_000],
  ['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000],
];

/** "2 hours ago", "in 3 days", "now" in the locale's words; null when there is no readable instant. */
export function relativeTime(iso: string | null | undefined, now = Date.now(), locale?: string): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  const diff = t - now;
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  if (abs < 45_000) return rtf.format(0, 'second');
  for (const [unit, ms] of UNITS) {
    if (abs >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return rtf.format(Math.round(diff / 60_000) || (diff < 0 ? -1 : 1), 'minute');
}

/** A last-sync time is stale when older than this many hours (or missing). */
export function isStale(iso: string | null | undefined, now = Date.now(), hours = 24): boolean {
  if (!iso) return true;
  const t = Date.parse(iso);
  return Number.isNaN(t) || now - t > hours * 3_600_000;
}

/** "Days, hours" left until an instant, for consent countdowns, in the locale's unit words ("3 days, 3 hr"); null when passed. */
export function countdown(iso: string | null | undefined, now = Date.now(), locale?: string): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso) - now;
  if (!(ms > 0)) return null;
  const unit = (n: number, u: 'day' | 'hour' | 'minute') => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
  const both = (a: string, b: string) => new Intl.ListFormat(locale, { type: 'unit', style: 'short' }).format([a, b]);
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.floor((ms % 86_400_000) / 3_600_000);
  if (days > 0) return both(unit(days, 'day'), unit(hours, 'hour'));
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  return both(unit(hours, 'hour'), unit(minutes, 'minute'));
}

/** YYYY-MM-DD -> localized date, read as a calendar date (no time-zone shift). */
export function formatDate(date: string | null | undefined, locale?: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
  if (!date) return '—';
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

export function formatInstant(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
