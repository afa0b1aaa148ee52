// The seeded demo-world generator: banks, logins, accounts and 36 months of transactions ending at the world's today.
// Every (person, day) draws from its own PRNG stream seeded by (seed, person, day), so a world extended by a day later
// (the clock moved on) keeps every transaction it already had, with the same id.
import { currencyExponent, formatMinor } from '../../preload/contract/currency.js';
import { BANKS, EUR_RATES, FX_MERCHANTS, MERCHANTS, PERSONAS, UTILITIES, WORDS, type Merchant, type PersonaSpec } from './catalog.js';
import { randomIban } from './iban.js';
import { Rng } from './rng.js';
import type { DemoAccount, DemoTransactionKind } from '../core/bank.js';

/** One transaction as the generator knows it: its whole life (created → pending → booked/vanished). */
export interface GenTx {
  baseId: string;
  accountId: string;
  /** day the payment happened (value date / card transaction date), YYYY-MM-DD */
  date: string;
  createdAtMs: number;
  /** when the bank books it; equals createdAtMs for instantly booked ones */
  bookAtMs: number;
  amountMinor: number;
  /** amount once booked; null = the pending authorisation vanishes instead of booking */
  finalMinor: number | null;
  currency: string;
  kind: DemoTransactionKind;
  description: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  category?: string;
  mcc?: string;
  reference?: string;
  originalAmountMinor?: number;
  originalCurrency?: string;
  /** units of the account currency per unit of the original currency */
  exchangeRate?: string;
  /** the base id of the other leg of a transfer between the user's own accounts */
  pairedWith?: string;
  refundOf?: string;
}

/** A ledger account as the generator makes it: holder and BIC always known. */
export interface GenAccount extends DemoAccount {
  ownerName: string;
  bic: string;
}

export const DAY_MS = 86_400_000;

const dayCache = new Map<number, string>();
/** YYYY-MM-DD (UTC) of an instant; memoised per day, it is called a lot */
export function isoDay(ms: number): string {
  const d = Math.floor(ms / DAY_MS);
  let s = dayCache.get(d);
  if (s === undefined) {
    s = new Date(d * DAY_MS).toISOString().slice(0, 10);
    if (dayCache.size > 50_000) dayCache.clear();
    dayCache.set(d, s);
  }
  return s;
}
export function dayMs(day: string): number { return Date.parse(day + 'T00:00:00Z'); }
export function addMonths(day: string, months: number): string {
  const d = new Date(dayMs(day));
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return isoDay(target.getTime());
}

/** EUR-denominated amount → minor units of `currency`, rounded to `roundUnits` whole units when given. */
export function eurToMinor(eur: number, currency: string, roundUnits?: number): number {
  const rate = EUR_RATES[currency];
  if (rate === undefined) throw new RangeError(`No demo rate for ${currency}`);
  return unitsToMinor(eur * rate, currency, roundUnits);
}

export function unitsToMinor(units: number, currency: string, roundUnits?: number): number {
  const exp = currencyExponent(currency);
  if (roundUnits) units = Math.max(roundUnits, Math.round(units / roundUnits) * roundUnits);
  return Math.round(units * 10 ** exp);
}

export function minorToAmount(minor: number, currency: string): string { return formatMinor(minor, currency); }

/** A "nice" price: whole units for currencies where cents are unusual, .x9 endings otherwise. */
function price(rng: Rng, min: number, max: number, currency: string): number {
  const v = rng.float(min, max);
  const exp = currencyExponent(currency);
  if (exp === 0 || ['HUF', 'CZK'].includes(currency)) return unitsToMinor(Math.max(1, Math.round(v)), currency);
  if (exp === 3) return Math.round(v * 1000 / 5) * 5;
  return Math.max(1, Math.round(v * 100));
}

export interface PersonaState {
  spec: PersonaSpec;
  key: string;
  country: string;
  accounts: GenAccount[];
  current: GenAccount;
  savings?: GenAccount;
  card?: GenAccount;
  extra: GenAccount[];
  employerIban: string;
  landlordIban: string;
  friends: Array<{ name: string; iban: string }>;
  /** card spend per month (YYYY-MM) for the monthly repayment */
  cardSpend: Map<string, number>;
  refunds: Map<string, Array<{ of: GenTx; accountId: string }>>;
  seq: Map<string, number>;
}

export interface GeneratedWorld {
  banks: typeof BANKS;
  personas: PersonaState[];
  accounts: GenAccount[];
  startDay: string;
}

const FRIENDS: Record<string, string[]> = {
  SK: ['Lucia Šimková', 'Tomáš Baláž', 'Zuzana Kráľová'],
  CZ: ['Jakub Svoboda', 'Petra Černá', 'Ondřej Procházka'],
  PL: ['Michał Kowalski', 'Agnieszka Nowak', 'Piotr Zieliński'],
  DE: ['Anna Müller', 'Jonas Becker', 'Lea Hoffmann'],
  FR: ['Julien Bernard', 'Chloé Dubois', 'Hugo Laurent'],
  HU: ['Nagy Péter', 'Tóth Anna', 'Szabó Gergő'],
};

const FX_ACCOUNT_MERCHANTS: Record<string, Merchant[]> = {
  JPY: [
    { name: 'LAWSON SHIBUYA', city: 'Tokyo', category: 'groceries', mcc: '5411', min: 300, max: 2500, w: 3 },
    { name: 'JR EAST TICKET', city: 'Tokyo', category: 'transport', mcc: '4112', min: 200, max: 14000, w: 2 },
    { name: 'ICHIRAN RAMEN', city: 'Osaka', category: 'restaurants', mcc: '5812', min: 980, max: 3200, w: 2 },
  ],
  BHD: [
    { name: 'LULU HYPERMARKET', city: 'Manama', category: 'groceries', mcc: '5411', min: 1.5, max: 24, w: 3 },
    { name: 'BAHRAIN CITY CENTRE', city: 'Manama', category: 'shopping', mcc: '5311', min: 4, max: 45, w: 1 },
  ],
  EUR: [
    { name: 'AMAZON EU SARL', city: 'Luxembourg', category: 'shopping', mcc: '5942', min: 8, max: 90, w: 2, online: true },
    { name: 'RYANAIR', city: 'Dublin', category: 'travel', mcc: '3246', min: 25, max: 180, w: 1, online: true },
  ],
};

/** Build banks, logins and accounts (no transactions yet). Deterministic in `seed`. */
export function buildWorld(seed: number, startDay: string): GeneratedWorld {
  const accounts: GenAccount[] = [];
  const personas: PersonaState[] = PERSONAS.map((spec) => {
    const bank = BANKS.find((b) => b.id === spec.bankId)!;
    const key = `${spec.bankId}/${spec.username}`;
    const rng = Rng.of(seed, 'persona', key);
    const counts: Record<string, number> = {};
    const accs = spec.accounts.map((a) => {
      counts[a.type] = (counts[a.type] ?? 0) + 1;
      const suffix = counts[a.type] > 1 || a.currency !== bank.currency ? `${a.type}-${a.currency.toLowerCase()}` : a.type;
      const salaryLocal = spec.salaryEur;
      const opening =
        a.type === 'current' ? (a.currency === bank.currency ? eurToMinor(salaryLocal * rng.float(0.6, 1.8), a.currency) : eurToMinor(rng.float(150, 900), a.currency))
        : a.type === 'savings' ? eurToMinor(salaryLocal * rng.float(2, 6), a.currency)
        : -eurToMinor(rng.float(150, 600), a.currency);
      const acc: GenAccount = {
        id: `${spec.bankId}-${spec.username}-${suffix}`,
        bankId: spec.bankId, username: spec.username, iban: randomIban(rng, bank.country, bank.bankCode),
        name: a.name, type: a.type, currency: a.currency, openingBalanceMinor: opening, ownerName: spec.ownerName, bic: bank.bic,
        ...(a.type === 'card' ? { maskedPan: `${rng.pick(['4', '5'])}${rng.digits(5)}******${rng.digits(4)}` } : {}),
      };
      accounts.push(acc);
      return acc;
    });
    const local = accs.filter((a) => a.currency === bank.currency);
    return {
      spec, key, country: bank.country, accounts: accs,
      current: local.find((a) => a.type === 'current')!,
      savings: local.find((a) => a.type === 'savings'),
      card: local.find((a) => a.type === 'card'),
      extra: accs.filter((a) => a.currency !== bank.currency),
      employerIban: randomIban(rng, bank.country),
      landlordIban: randomIban(rng, bank.country),
      friends: (FRIENDS[bank.country] ?? []).map((name) => ({ name, iban: randomIban(rng, bank.country) })),
      cardSpend: new Map(), refunds: new Map(), seq: new Map(),
    };
  });
  return { banks: BANKS, personas, accounts, startDay };
}

const businessCache = new Map<string, string>();
function businessDay(year: number, month: number, day: number, backwards: boolean): string {
  const key = `${year}-${month}-${day}-${backwards ? 1 : 0}`;
  let s = businessCache.get(key);
  if (s === undefined) {
    s = businessDayUncached(year, month, day, backwards);
    if (businessCache.size > 20_000) businessCache.clear();
    businessCache.set(key, s);
  }
  return s;
}

function businessDayUncached(year: number, month: number, day: number, backwards: boolean): string {
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const d = new Date(Date.UTC(year, month, Math.min(day, last)));
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + (backwards ? -1 : 1));
  return isoDay(d.getTime());
}

function poisson(rng: Rng, lambda: number): number {
  const l = Math.exp(-lambda);
  let k = 0, p = 1;
  do { k++; p *= rng.next(); } while (p > l);
  return k - 1;
}

/** Generate the transactions of one person on one day (appends to `out`). Must be called day by day in order. */
export function generateDay(seed: number, p: PersonaState, day: string, out: GenTx[]): void {
  const rng = Rng.of(seed, p.key, day);
  p.seq.clear(); // sequence numbers count per account within this day
  const d = new Date(dayMs(day));
  const y = d.getUTCFullYear(), m = d.getUTCMonth(), dom = d.getUTCDate();
  const base = dayMs(day);
  const words = WORDS[p.country];
  const spec = p.spec;
  const cur = p.current;
  const monthKey = day.slice(0, 7);
  const prevMonthKey = addMonths(day.slice(0, 8) + '01', -1).slice(0, 7);
  const at = (h: number, mi = 0) => base + h * 3_600_000 + mi * 60_000;
  const mk = (acc: GenAccount, t: Omit<GenTx, 'baseId' | 'accountId' | 'date' | 'currency'>): GenTx => {
    const n = (p.seq.get(acc.id) ?? 0) + 1;
    p.seq.set(acc.id, n);
    const tx: GenTx = { baseId: `${acc.id}-${day.replaceAll('-', '')}-${String(n).padStart(3, '0')}`, accountId: acc.id, date: day, currency: acc.currency, ...t };
    out.push(tx);
    return tx;
  };
  const instant = (acc: GenAccount, ms: number, amountMinor: number, kind: DemoTransactionKind, description: string, cpName: string | null, cpIban: string | null, extra: Partial<GenTx> = {}) =>
    mk(acc, { createdAtMs: ms, bookAtMs: ms, amountMinor, finalMinor: amountMinor, kind, description, counterpartyName: cpName, counterpartyIban: cpIban, ...extra });
  const ownTransfer = (from: GenAccount, to: GenAccount, ms: number, fromMinor: number, toMinor: number, description: string, kind: DemoTransactionKind = 'own_transfer') => {
    const rate = from.currency !== to.currency
      ? (Math.abs(fromMinor) / 10 ** currencyExponent(from.currency) / (Math.abs(toMinor) / 10 ** currencyExponent(to.currency))).toFixed(6) : undefined;
    const a = instant(from, ms, -Math.abs(fromMinor), kind, description, from.ownerName, to.iban,
      rate ? { originalAmountMinor: -Math.abs(toMinor), originalCurrency: to.currency, exchangeRate: rate } : {});
    const b = instant(to, ms, Math.abs(toMinor), kind, description, from.ownerName, from.iban,
      rate ? { originalAmountMinor: Math.abs(fromMinor), originalCurrency: from.currency, exchangeRate: (1 / Number(rate)).toFixed(6) } : {});
    a.pairedWith = b.baseId; b.pairedWith = a.baseId;
  };
  const ref = () => (p.country === 'SK' || p.country === 'CZ' ? `VS${rng.digits(8)}` : `E2E-${rng.digits(12)}`);

  // salary on the 25th (last business day before it), raised a little each January
  if (day === businessDay(y, m, 25, true)) {
    const raise = 1 + 0.03 * (y - 2020);
    const amount = eurToMinor(spec.salaryEur * raise, cur.currency, cur.currency === 'HUF' ? 1000 : cur.currency === 'CZK' || cur.currency === 'JPY' ? 100 : 1);
    instant(cur, at(6), amount, 'salary', `${words.salary} ${String(m + 1).padStart(2, '0')}/${y}`, spec.employer, p.employerIban, { reference: ref(), category: 'income' });
  }
  // rent on the first business day
  if (day === businessDay(y, m, 1, false)) {
    instant(cur, at(5, 30), -eurToMinor(spec.rentEur, cur.currency, cur.currency === 'HUF' ? 1000 : 1), 'rent', `${words.rent} ${String(m + 1).padStart(2, '0')}/${y}`, spec.landlord, p.landlordIban, { reference: ref(), category: 'housing' });
  }
  // direct debits for utilities on the 10th, 15th, 20th
  const utils = UTILITIES[p.country] ?? [];
  utils.forEach((u, i) => {
    if (day === businessDay(y, m, 10 + i * 5, false)) {
      const amount = eurToMinor(u.eur * (u.eur > 40 ? rng.float(0.85, 1.2) : 1), cur.currency, cur.currency === 'HUF' ? 10 : undefined);
      instant(cur, at(5), -amount, 'direct_debit', `${u.ref} ${u.name}`, u.name, randomIban(Rng.of(seed, 'utility', u.name), p.country), { reference: ref(), category: 'utilities' });
    }
  });
  // savings transfer the day after salary (both legs)
  if (p.savings && day === businessDay(y, m, 26, false)) {
    const amount = eurToMinor(spec.salaryEur * 0.1, cur.currency, cur.currency === 'HUF' ? 1000 : 10);
    ownTransfer(cur, p.savings, at(9, rng.int(0, 59)), amount, amount, words.savings);
  }
  // interest on savings on the last day of the month
  if (p.savings && dom === new Date(Date.UTC(y, m + 1, 0)).getUTCDate()) {
    const amount = Math.max(1, Math.round(p.savings.openingBalanceMinor * 0.0025));
    instant(p.savings, at(23, 30), amount, 'interest', words.interest, null, null, { category: 'income' });
  }
  // credit card repayment on the 5th: last month's card spend, both legs
  if (p.card && day === businessDay(y, m, 5, false)) {
    const spend = p.cardSpend.get(prevMonthKey) ?? 0;
    p.cardSpend.delete(prevMonthKey);
    if (spend > 0) ownTransfer(cur, p.card, at(7), spend, spend, `${words.card} ${prevMonthKey}`, 'card_repayment');
  }
  // a monthly top-up of each foreign-currency account from the current account (FX, both legs)
  for (const [i, acc] of p.extra.entries()) {
    if (day === businessDay(y, m, 12 + i, false)) {
      const eur = rng.pick([100, 150, 200, 250]);
      ownTransfer(cur, acc, at(10, rng.int(0, 59)), eurToMinor(eur, cur.currency), eurToMinor(eur, acc.currency), words.fx);
    }
    if (rng.chance(0.05)) {
      const merch = rng.weighted(FX_ACCOUNT_MERCHANTS[acc.currency] ?? FX_ACCOUNT_MERCHANTS.EUR);
      const amount = price(rng, merch.min, merch.max, acc.currency);
      cardPayment(acc, merch, amount);
    }
  }
  // refunds that were scheduled for today
  for (const r of p.refunds.get(day) ?? []) {
    const acc = p.accounts.find((a) => a.id === r.accountId)!;
    const amount = -(r.of.finalMinor ?? r.of.amountMinor);
    instant(acc, at(rng.int(8, 16), rng.int(0, 59)), amount, 'refund', `${words.refund} ${r.of.counterpartyName}`, r.of.counterpartyName, null, { refundOf: r.of.baseId, category: r.of.category, mcc: r.of.mcc });
    if (acc === p.card) p.cardSpend.set(monthKey, (p.cardSpend.get(monthKey) ?? 0) - amount);
  }
  p.refunds.delete(day);

  function cardPayment(acc: GenAccount, merch: Merchant, amount: number, fx?: { currency: string; units: number }) {
    const ms = at(rng.int(7, 21), rng.int(0, 59));
    const bookAfter = rng.int(1, 3);
    const bookAtMs = dayMs(day) + bookAfter * DAY_MS + rng.int(2, 8) * 3_600_000 + rng.int(0, 59) * 60_000;
    let finalMinor: number | null = amount;
    const r = rng.next();
    if (r < 0.03) finalMinor = null; // authorisation released: vanishes
    else if (r < 0.13 || (fx && r < 0.5)) {
      // fuel/restaurant/hotel holds and FX settlement differ from the authorisation
      finalMinor = Math.max(1, Math.round(amount * (fx ? rng.float(0.985, 1.015) : rng.float(0.85, 1.2))));
      const exp = currencyExponent(acc.currency);
      const unit = exp === 0 || ['HUF', 'CZK'].includes(acc.currency) ? 10 ** exp : 1;
      finalMinor = Math.max(unit, Math.round(finalMinor / unit) * unit);
      if (finalMinor === amount) finalMinor = amount + unit;
    }
    const where = merch.city ? `${merch.name} ${merch.city}` : merch.name;
    const tx = mk(acc, {
      createdAtMs: ms, bookAtMs, amountMinor: -amount, finalMinor: finalMinor === null ? null : -finalMinor,
      kind: fx ? 'card_fx' : 'card_payment', description: `${where}${acc.maskedPan ? ` card ${acc.maskedPan.slice(-4)}` : ''}`,
      counterpartyName: merch.name, counterpartyIban: null, category: merch.category, mcc: merch.mcc,
      ...(fx ? { originalAmountMinor: -unitsToMinor(fx.units, fx.currency), originalCurrency: fx.currency, exchangeRate: (amount / 10 ** currencyExponent(acc.currency) / fx.units).toFixed(6) } : {}),
    });
    if (acc === p.card && finalMinor !== null) p.cardSpend.set(monthKey, (p.cardSpend.get(monthKey) ?? 0) + finalMinor);
    if (merch.online && finalMinor !== null && rng.chance(0.05)) {
      const when = isoDay(dayMs(day) + rng.int(4, 14) * DAY_MS);
      const list = p.refunds.get(when) ?? [];
      list.push({ of: tx, accountId: acc.id });
      p.refunds.set(when, list);
    }
    return tx;
  }

  // card payments at the country's merchants
  const merchants = MERCHANTS[p.country] ?? MERCHANTS.DE;
  const n = poisson(rng, spec.cardRate * (d.getUTCDay() === 6 ? 1.5 : d.getUTCDay() === 0 ? 0.4 : 1));
  for (let i = 0; i < n; i++) {
    const merch = rng.weighted(merchants);
    const acc = p.card && rng.chance(0.7) ? p.card : cur;
    cardPayment(acc, merch, price(rng, merch.min, merch.max, acc.currency));
  }
  // foreign card payments (FX)
  if (rng.chance(0.03)) {
    const merch = rng.weighted(FX_MERCHANTS.filter((f) => f.currency !== cur.currency));
    const acc = p.card ?? cur;
    const units = Math.round(rng.float(merch.min, merch.max) * 100) / 100;
    const localUnits = units / (EUR_RATES[merch.currency] ?? 1) * EUR_RATES[acc.currency] * 1.012;
    cardPayment(acc, merch, unitsToMinor(Math.max(0.01, localUnits), acc.currency, currencyExponent(acc.currency) === 0 || ['HUF', 'CZK'].includes(acc.currency) ? 1 : undefined), { currency: merch.currency, units });
  }
  // cash
  if (rng.chance(0.04)) {
    const amount = eurToMinor(rng.pick([20, 40, 50, 100, 150, 200]), cur.currency, cur.currency === 'HUF' ? 1000 : cur.currency === 'CZK' ? 100 : cur.currency === 'PLN' ? 10 : 10);
    instant(cur, at(rng.int(8, 20), rng.int(0, 59)), -amount, 'atm', `${words.atm} ${rng.pick(['ATM 0412', 'ATM 1207', 'ATM 3381'])}`, null, null, { category: 'cash' });
  }
  // a friend pays back / the user pays a friend
  if (p.friends.length && rng.chance(0.03)) {
    const f = rng.pick(p.friends);
    const amount = eurToMinor(rng.int(5, 60), cur.currency, cur.currency === 'HUF' ? 100 : 1);
    const incoming = rng.chance(0.6);
    instant(cur, at(rng.int(8, 22), rng.int(0, 59)), incoming ? amount : -amount, incoming ? 'transfer_in' : 'transfer_out',
      rng.pick(['Dinner', 'Concert tickets', 'Birthday gift', 'Train tickets', 'Groceries']), f.name, f.iban, { reference: ref(), category: 'transfers' });
  }
  // a yearly account fee in January
  if (dom === 15 && m === 0) instant(cur, at(4), -eurToMinor(12, cur.currency, 1), 'fee', 'Annual account fee', null, null, { category: 'fees' });
}
