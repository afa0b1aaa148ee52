// Net worth in the base currency: every shown account (one copy of each bank account, main/store/copies.ts) converted
// at the ECB's rate of the day (main/fx/rates.ts), their total, and monthly totals from balances reconstructed from
// the transactions (q.balanceHistory). An account whose currency has no rate is left out and named, never guessed.
import type { NetWorthAccountDto, NetWorthDto, NetWorthPointDto } from '../../preload/contract/networth.js';
import type { AccountDto } from '../../preload/contract/channels.js';
import { addDays } from '../domain/dates.js';
import { convertMinor, type RateLookup, type Rates } from '../fx/rates.js';
import { hiddenCopies } from '../store/copies.js';
import type { Db } from '../store/db.js';
import * as q from '../store/queries.js';
import { english, type MainMessage } from '../domain/errors.js';

/** the accounts the overview shows and counts: chosen, one copy of each */
export function countedAccounts(db: Db): AccountDto[] {
  const hidden = new Set(hiddenCopies(db));
  return q.listAccounts(db, { selectedOnly: true }).filter((a) => !hidden.has(a.id));
}

/** the last day of each of the last `months` months up to today (the current month: today), oldest first */
export function monthEnds(today: string, months: number): Array<{ month: string; date: string }> {
  const [y, m] = today.split('-').map(Number);
  const out: Array<{ month: string; date: string }> = [];
  for (let i = months - 1; i >= 0; i--) {
    const first = new Date(Date.UTC(y, m - 1 - i, 1)).toISOString().slice(0, 10);
    const last = i === 0 ? today : addDays(new Date(Date.UTC(y, m - i, 1)).toISOString().slice(0, 10), -1);
    out.push({ month: first.slice(0, 7), date: last });
  }
  return out;
}

export function netWorth(db: Db, rates: Pick<Rates, 'lookup'>, o: { base: string; today: string; months: number; ratesProblem: MainMessage | null }): NetWorthDto {
  const { base, today } = o;
  /** an amount of `currency` on `date` in the base currency, or why not */
  const toBase = (amount: number, currency: string, date: string): { value: number; rateDate: string } | { missing: MainMessage } => {
    if (currency === base) return { value: amount, rateDate: date }; // no rate needed, even where none is kept
    const from = rates.lookup(currency, date);
    if ('missing' in from) return from;
    const to: RateLookup = rates.lookup(base, date);
    if ('missing' in to) return to;
    return { value: convertMinor(amount, currency, from.rate, base, to.rate), rateDate: from.date < to.date ? from.date : to.date };
  };

  const accounts = countedAccounts(db);
  /** why accounts are left out, once each, by their English */
  const missing = new Map<string, MainMessage>();
  let total = 0;
  const rows = accounts.map((a): NetWorthAccountDto => {
    const row = { accountId: a.id, currency: a.currency, balance: a.balanceCurrent, inBase: null, rateDate: null };
    if (a.balanceCurrent === null) return { ...row, problem: english({ id: 'networth.no_balance' }), notice: { id: 'networth.no_balance' } };
    const c = toBase(a.balanceCurrent, a.currency, today);
    if ('missing' in c) { missing.set(english(c.missing), c.missing); return { ...row, problem: english(c.missing), notice: c.missing }; }
    total += c.value;
    return { ...row, inBase: c.value, rateDate: c.rateDate, problem: null, notice: null };
  });

  const ends = monthEnds(today, o.months);
  const from = addDays(`${ends[0].month}-01`, -1);
  const history: NetWorthPointDto[] = ends.map((e) => ({ month: e.month, date: e.date, total: 0, missing: [] }));
  for (const a of accounts) {
    const daily = new Map(q.balanceHistory(db, a.id, { from, to: today, today }).map((b) => [b.date, b.balance]));
    for (const p of history) {
      const balance = daily.get(p.date);
      if (balance === undefined) continue;
      const c = toBase(balance, a.currency, p.date);
      if ('missing' in c) { if (!p.missing.includes(a.currency)) p.missing.push(a.currency); } else p.total += c.value;
    }
  }
  return {
    base, date: today, total, accounts: rows, missing: [...missing.keys()], missingNotices: [...missing.values()],
    ratesProblem: o.ratesProblem && english(o.ratesProblem), ratesNotice: o.ratesProblem, history,
  };
}
