// Bulk transactions for benchmarks: up to millions of rows over N accounts, generated page by page without
// holding them in memory. Rows have the DemoTransaction shape the emulators serve.
import type { DemoAccount, DemoTransaction } from '../core/bank.js';
import { MERCHANTS } from './catalog.js';
import { DAY_MS, addMonths, dayMs, isoDay, minorToAmount } from './generator.js';
import { randomIban } from './iban.js';
import { Rng, hash32 } from './rng.js';

export interface BulkOptions {
  seed: number;
  /** number of accounts (default 20) */
  accounts?: number;
  /** total transactions over all accounts (default 1,000,000) */
  total?: number;
  /** rows per yielded page (default 1000) */
  pageSize?: number;
  /** last day of history (default today, UTC) */
  today?: string;
  /** months of history (default 36) */
  months?: number;
  currency?: string;
  bankId?: string;
  /** usernames the accounts are spread over round-robin (default ['bulk']) */
  usernames?: string[];
}

export interface BulkPage {
  account: DemoAccount;
  /** page number within the account, from 0 */
  page: number;
  /** newest first within the account */
  transactions: DemoTransaction[];
  /** true on the account's last page */
  last: boolean;
}

const ROW_MERCHANTS = [...MERCHANTS.DE, ...MERCHANTS.FR, ...MERCHANTS.SK];
const PEOPLE = ['Anna Müller', 'Jonas Becker', 'Lea Hoffmann', 'Julien Bernard', 'Chloé Dubois', 'Tomáš Baláž', 'Zuzana Kráľová', 'Piotr Zieliński'];

export function bulkAccounts(opts: BulkOptions): DemoAccount[] {
  const n = opts.accounts ?? 20;
  const currency = opts.currency ?? 'EUR';
  const users = opts.usernames ?? ['bulk'];
  return Array.from({ length: n }, (_, i) => {
    const rng = Rng.of(opts.seed, 'bulk-account', i);
    return {
      id: `bulk-${String(i + 1).padStart(2, '0')}`,
      bankId: opts.bankId ?? 'bulk-bank',
      username: users[i % users.length],
      iban: randomIban(rng, 'DE', '99070000'),
      name: `Bulk account ${i + 1}`,
      type: i % 5 === 4 ? 'savings' : 'current',
      currency,
      openingBalanceMinor: rng.int(100_000, 2_000_000),
      ownerName: 'Bulk Tester',
      bic: 'BULKDEB1',
    } satisfies DemoAccount;
  });
}

/** How many rows account `i` gets (the remainder goes to the first accounts). */
export function bulkCount(opts: BulkOptions, i: number): number {
  const n = opts.accounts ?? 20, total = opts.total ?? 1_000_000;
  return Math.floor(total / n) + (i < total % n ? 1 : 0);
}

/** Row `k` (0 = oldest) of an account with `count` rows. Pure: the same inputs give the same row. */
export function bulkRow(opts: BulkOptions, account: DemoAccount, k: number, count: number, startMs: number, spanDays: number): DemoTransaction {
  const rng = new Rng(Math.imul(hash32(account.id, opts.seed) ^ k, 0x9e3779b1) ^ k);
  const day = isoDay(startMs + Math.floor((k * spanDays) / Math.max(1, count)) * DAY_MS);
  const minute = rng.int(6 * 60, 22 * 60);
  const at = `${day}T${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00.000Z`;
  const r = rng.next();
  let amountMinor: number, description: string, cpName: string | null = null, cpIban: string | null = null, kind: DemoTransaction['kind'];
  if (r < 0.82) {
    const m = rng.pick(ROW_MERCHANTS);
    amountMinor = -Math.max(1, Math.round(rng.float(Math.min(m.min, 300), Math.min(m.max, 400)) * 100));
    description = `${m.name}${m.city ? ' ' + m.city : ''} card ${String(1000 + (k % 9000))}`;
    cpName = m.name; kind = 'card_payment';
  } else if (r < 0.91) {
    cpName = rng.pick(PEOPLE); cpIban = randomIban(rng, 'DE');
    amountMinor = rng.int(500, 90_000); description = `Transfer from ${cpName} ref ${rng.digits(8)}`; kind = 'transfer_in';
  } else if (r < 0.97) {
    cpName = rng.pick(PEOPLE); cpIban = randomIban(rng, 'FR');
    amountMinor = -rng.int(500, 60_000); description = `Transfer to ${cpName} ref ${rng.digits(8)}`; kind = 'transfer_out';
  } else {
    cpName = 'Demo Mobility GmbH'; cpIban = randomIban(rng, 'DE');
    amountMinor = rng.int(250_000, 420_000); description = `Gehalt ${day.slice(0, 7)}`; kind = 'salary';
  }
  return {
    id: `${account.id}-${String(k).padStart(7, '0')}`,
    accountId: account.id,
    bookingDate: day, valueDate: day, transactionDate: day,
    amount: minorToAmount(amountMinor, account.currency), amountMinor, currency: account.currency,
    status: 'booked', description, counterpartyName: cpName, counterpartyIban: cpIban,
    createdAt: at, updatedAt: at, bookedAt: at, kind,
  };
}

/** Yield every account's rows, newest first, in pages of `pageSize`. Memory stays O(pageSize). */
export function* streamTransactions(opts: BulkOptions): Generator<BulkPage> {
  const pageSize = opts.pageSize ?? 1000;
  const today = opts.today ?? isoDay(Date.now());
  const startDay = addMonths(today, -(opts.months ?? 36));
  const startMs = dayMs(startDay);
  const spanDays = Math.round((dayMs(today) - startMs) / DAY_MS);
  for (const [i, account] of bulkAccounts(opts).entries()) {
    const count = bulkCount(opts, i);
    let page = 0;
    for (let hi = count - 1; hi >= 0; hi -= pageSize) {
      const rows: DemoTransaction[] = [];
      for (let k = hi; k > hi - pageSize && k >= 0; k--) rows.push(bulkRow(opts, account, k, count, startMs, spanDays));
      yield { account, page: page++, transactions: rows, last: hi - pageSize < 0 };
    }
    if (count === 0) yield { account, page: 0, transactions: [], last: true };
  }
}
