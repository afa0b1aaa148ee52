// Exchange rates for showing money in the user's base currency: the ECB's reference rates, fetched at most once a
// day (a failed fetch is tried again after an hour at the soonest), kept in SQLite for offline use. A day without a
// published rate (weekend, TARGET holiday, or today before the ECB's afternoon publication) takes the newest rate of
// the previous MAX_RATE_AGE_DAYS days; anything older, or a currency the ECB does not publish, is "no rate", never a guess.
import { currencyExponent } from '../domain/money.js';
import { addDays } from '../domain/dates.js';
import type { Db } from '../store/db.js';
import { hasCurrency, newestRateDate, rateOnOrBefore, saveRates } from '../store/fx.js';
import { ECB_FILES, parseEurofxrefXml } from './ecb.js';
import type { MainMessage } from '../domain/errors.js';

/**
 * How many calendar days before a date its rate may come from. The longest ECB closure is Good Friday to Easter
 * Monday (Monday takes Thursday's rate: 4 days back); on the Tuesday after, before the afternoon publication, the
 * newest rate is 5 days old.
 */
export const MAX_RATE_AGE_DAYS = 5;
/** history kept when the full file is fetched (the net worth chart reaches back a year; balance history 10 years) */
const KEEP_DAYS = 3660;
/** the 90-day file still fills a gap this long (else the full history is fetched) */
const HIST_90D_REACH = 85;
const RETRY_AFTER_FAILURE_MS = 3_600_000;

const META = { checkedOn: 'fx.checkedOn', failedAt: 'fx.failedAt' };

export interface RateDeps {
  db: Db;
  meta: { get(key: string): string | undefined; set(key: string, value: string): void };
  /** the rates host: https://www.ecb.europa.eu, or the sandbox's emulated copy */
  host: () => string;
  fetch?: typeof fetch;
  now: () => Date;
}

export type RateLookup = { rate: string; date: string } | { missing: MainMessage };

export interface Rates {
  /** fetch what is new when due; returns the problem when the fetch failed (kept rates are used then) */
  refresh(): Promise<MainMessage | null>;
  /** units of `currency` per 1 EUR on `date` (EUR: 1), or why there is none */
  lookup(currency: string, date: string): RateLookup;
}

export function createRates(deps: RateDeps): Rates {
  const today = () => deps.now().toISOString().slice(0, 10);

  /** a refresh under way: a second caller waits for it instead of fetching the same file again */
  let running: Promise<MainMessage | null> | null = null;
  const refresh = (): Promise<MainMessage | null> => (running ??= fetchIfDue().finally(() => { running = null; }));

  async function fetchIfDue(): Promise<MainMessage | null> {
    if (deps.meta.get(META.checkedOn) === today()) return null;
    const failedAt = Number(deps.meta.get(META.failedAt) ?? 0);
    if (deps.now().getTime() - failedAt < RETRY_AFTER_FAILURE_MS) return failedWords(newestRateDate(deps.db));
    const newest = newestRateDate(deps.db);
    const file = newest && newest >= addDays(today(), -1) ? ECB_FILES.daily
      : newest && newest >= addDays(today(), -HIST_90D_REACH) ? ECB_FILES.hist90d : ECB_FILES.hist;
    try {
      const res = await (deps.fetch ?? fetch)(new URL(file, deps.host()), { signal: AbortSignal.timeout(60_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const keepFrom = addDays(today(), -KEEP_DAYS);
      saveRates(deps.db, parseEurofxrefXml(await res.text()).filter((r) => r.date >= keepFrom));
      deps.meta.set(META.checkedOn, today());
      return null;
    } catch {
      deps.meta.set(META.failedAt, String(deps.now().getTime()));
      return failedWords(newest);
    }
  }

  function lookup(currency: string, date: string): RateLookup {
    if (currency === 'EUR') return { rate: '1', date };
    const found = rateOnOrBefore(deps.db, currency, date, addDays(date, -MAX_RATE_AGE_DAYS));
    if (found) return found;
    return {
      missing: hasCurrency(deps.db, currency)
        ? { id: 'fx.no_rate_on', values: { currency, date: { id: 'date', values: { iso: date } }, days: MAX_RATE_AGE_DAYS } }
        : { id: newestRateDate(deps.db) === null ? 'fx.no_rate_yet' : 'fx.not_published', values: { currency } },
    };
  }

  return { refresh, lookup };
}

const failedWords = (newest: string | null): MainMessage =>
  (newest ? { id: 'fx.fetch_failed_kept', values: { newest: { id: 'date', values: { iso: newest } } } } : { id: 'fx.fetch_failed_none' });

/** a decimal text as an integer and its number of decimals ("1.0705" -> 10705n, 4) */
function scaled(decimal: string): { n: bigint; scale: number } {
  const [whole, frac = ''] = decimal.split('.');
  return { n: BigInt(whole + frac), scale: frac.length };
}

/**
 * Minor units of `from` in minor units of `to`, through the euro: amount / rateFrom * rateTo, rounded half away from
 * zero, in integers only.
 */
export function convertMinor(amount: number, from: string, rateFrom: string, to: string, rateTo: string): number {
  const f = scaled(rateFrom), t = scaled(rateTo);
  const num = BigInt(amount) * 10n ** BigInt(currencyExponent(to) + f.scale) * t.n;
  const den = 10n ** BigInt(currencyExponent(from) + t.scale) * f.n;
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const q = (abs * 2n + den) / (2n * den);
  return Number(neg ? -q : q);
}
