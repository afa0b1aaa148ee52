// [INVENTED] Everifin BankConnect shapes. No public specification exists (../shared/providers/everifin.md §7). Known from
// Everifin's public API guide: the `{host}/api/v1` prefix, the transaction list's `updatedFrom` / `createdFrom` /
// `bookingDateFrom` / `valueDateFrom` filters, the row fields `id`, `lastUpdated` and `createdAt`, ISO 8601 instants with
// milliseconds, and 204 for an empty answer. Everything else — the paths after /api/v1, the other query names, the row
// and account fields — is a placeholder following the vendor's Paygate conventions ({data, meta} envelope,
// page/count_per_page paging, errors[] envelope, camelCase, amounts as JSON numbers). Every field the client can do
// without is optional: a missing one costs a slower path, never a failed sync. When the real Postman collection is
// available, correct them here (and in sandbox/everifin/invented.ts) — nothing else in the client names a BankConnect
// path or field.
import { z } from 'zod';
import type { AccountType, RemoteAccount, RemoteTransaction } from '../../domain/types.js';
import { toMinorUnits } from '../../domain/money.js';

export const BANKCONNECT_PATHS = {
  bankAccounts: 'api/v1/bank-accounts',
  accountTransactions: (accountId: string) => `api/v1/bank-accounts/${encodeURIComponent(accountId)}/transactions`,
  transaction: (id: string) => `api/v1/transactions/${encodeURIComponent(id)}`,
  refresh: 'api/v1/transactions/refresh',
} as const;

export const TX_QUERY = {
  updatedFrom: 'updatedFrom', createdFrom: 'createdFrom', page: 'page', perPage: 'count_per_page', sort: 'sort',
  /** newest booking first, so a date window can stop early */
  sortNewestFirst: 'bookingDate:desc',
  sortByUpdate: 'lastUpdated:asc',
} as const;

/** amounts: JSON numbers kept as their exact text by the lossless parser (see index.ts), or plain integers */
const amount = z.union([z.string(), z.number()]);
const money = z.object({ amount, currency: z.string().regex(/^[A-Z]{3}$/), type: z.string().optional() });

export const bankAccountSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  iban: z.string().nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  name: z.string().nullish(),
  accountType: z.string().nullish(),
  bankName: z.string().nullish(),
  balance: money.nullish(),
  availableBalance: money.nullish(),
  /** state of the bank's consent inside Everifin */
  status: z.string().nullish(),
  consentValidTo: z.string().nullish(),
  lastSynchronization: z.string().nullish(),
});
export type EverifinBankAccount = z.output<typeof bankAccountSchema>;

export const transactionSchema = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  amount,
  currency: z.string().regex(/^[A-Z]{3}$/),
  bookingDate: z.string().nullish(),
  valueDate: z.string().nullish(),
  transactionDate: z.string().nullish(),
  status: z.string().nullish(),
  counterpartyName: z.string().nullish(),
  counterpartyIban: z.string().nullish(),
  remittanceInformation: z.string().nullish(),
  createdAt: z.string().nullish(),
  /** [DOC] set when Everifin stores or changes the row; drives the incremental read, so a row without it costs a full read */
  lastUpdated: z.string().nullish(),
});
export type EverifinTransaction = z.output<typeof transactionSchema>;

/** bank-connection statuses on accounts that mean "the bank's consent inside Everifin lapsed" */
export const LAPSED_STATUSES = new Set(['CONSENT_EXPIRED', 'EXPIRED', 'DISCONNECTED', 'INACTIVE']);

const TYPES: Record<string, AccountType> = { CURRENT: 'current', SAVINGS: 'savings', CARD: 'card', LOAN: 'loan', INVESTMENT: 'investment' };

const day = (s: string | null | undefined) => (s ? s.slice(0, 10) : null);

export function toRemoteAccount(a: EverifinBankAccount): RemoteAccount {
  return {
    remoteId: a.id,
    iban: a.iban ?? null,
    name: a.name || a.iban || a.id,
    type: TYPES[(a.accountType ?? '').toUpperCase()] ?? 'other',
    currency: a.currency,
    balanceCurrent: a.balance ? toMinorUnits(a.balance.amount, a.balance.currency) : null,
    balanceCurrentDate: a.balance ? day(a.lastSynchronization) : null,
    balanceAvailable: a.availableBalance ? toMinorUnits(a.availableBalance.amount, a.availableBalance.currency) : null,
    balanceAvailableDate: a.availableBalance ? day(a.lastSynchronization) : null,
    institutionName: a.bankName ?? null,
    enabled: !LAPSED_STATUSES.has((a.status ?? '').toUpperCase()),
  };
}

/** the date a row belongs to in a booking-date window (pending rows have no booking date yet) */
export const rowDate = (t: EverifinTransaction): string => day(t.bookingDate) ?? day(t.transactionDate) ?? day(t.valueDate) ?? day(t.createdAt) ?? '';

export function toRemoteTransaction(t: EverifinTransaction): RemoteTransaction {
  const pending = (t.status ?? '').toUpperCase() === 'PENDING' || !t.bookingDate;
  return {
    remoteId: t.id,
    bookingDate: rowDate(t),
    valueDate: day(t.valueDate),
    amount: toMinorUnits(t.amount, t.currency),
    currency: t.currency,
    status: pending ? 'pending' : 'booked',
    description: t.remittanceInformation ?? t.counterpartyName ?? '',
    counterpartyName: t.counterpartyName ?? null,
    counterpartyIban: t.counterpartyIban ?? null,
    raw: t,
  };
}
