// The ECB's reference rates kept in SQLite (migration 16-networth): written per fetched file in one transaction,
// read back by currency and day.
import type { Db } from './db.js';
import { stmt } from './repositories.js';

export interface StoredRate { currency: string; date: string; rate: string }

/** keep these rates (a day fetched again overwrites its rate) in one transaction */
export function saveRates(db: Db, rates: StoredRate[]): void {
  const put = stmt(db, 'INSERT INTO fx_rates (currency, date, rate) VALUES (?, ?, ?) ON CONFLICT(currency, date) DO UPDATE SET rate = excluded.rate');
  db.transaction(() => { for (const r of rates) put.run(r.currency, r.date, r.rate); })();
}

/** the newest rate of `currency` on or before `date` and not before `earliest`, or undefined */
export function rateOnOrBefore(db: Db, currency: string, date: string, earliest: string): { date: string; rate: string } | undefined {
  return stmt(db, 'SELECT date, rate FROM fx_rates WHERE currency = ? AND date <= ? AND date >= ? ORDER BY date DESC LIMIT 1')
    .get(currency, date, earliest) as { date: string; rate: string } | undefined;
}

/** whether any rate of `currency` is kept at all (else the ECB does not publish it) */
export function hasCurrency(db: Db, currency: string): boolean {
  return stmt(db, 'SELECT 1 FROM fx_rates WHERE currency = ? LIMIT 1').get(currency) !== undefined;
}

/** the newest day any rate is kept for, or null */
export function newestRateDate(db: Db): string | null {
  return (stmt(db, 'SELECT max(date) FROM fx_rates').pluck().get() as string | null) ?? null;
}
