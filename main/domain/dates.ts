// Calendar-day arithmetic on YYYY-MM-DD dates, in UTC so that the local time zone never shifts a day.
import type { IsoDate } from './types.js';

/** the date `days` calendar days after `date` (before it when negative) */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
