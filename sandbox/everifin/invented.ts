// [INVENTED] Everifin BankConnect shapes. No public spec exists (../shared/providers/everifin.md §7). Known from Everifin's
// public API guide: the /api/v1 prefix, the `updatedFrom` / `createdFrom` filters, the row fields `id`, `lastUpdated`,
// `createdAt`, ISO 8601 instants with milliseconds, 204 for an empty answer (served in ./index.ts). Every other path and
// field below is a placeholder that follows the vendor's Paygate conventions ({data, meta} envelope, page/count_per_page
// paging, errors[] envelope, camelCase, amounts as JSON numbers). When the real Postman collection is available, correct
// them here (and in main/providers/everifin/invented.ts) — nothing else in the emulator names a BankConnect path or field.
import type { DemoAccount, DemoBank, DemoTransaction } from '../core/bank.js';

export const BANKCONNECT_PATHS = {
  bankAccounts: '/api/v1/bank-accounts',
  bankAccount: '/api/v1/bank-accounts/:accountId',
  accountTransactions: '/api/v1/bank-accounts/:accountId/transactions',
  transaction: '/api/v1/transactions/:transactionId',
  refresh: '/api/v1/transactions/refresh',
} as const;

/** query parameter names of the transaction list */
export const TX_QUERY = { updatedFrom: 'updatedFrom', createdFrom: 'createdFrom', page: 'page', perPage: 'count_per_page', sort: 'sort' } as const;

/** status of a bank connection inside Everifin, as shown on each of its accounts */
export type BankConnectionStatus = 'ACTIVE' | 'CONSENT_EXPIRED';

export interface AccountView {
  account: DemoAccount;
  bank: DemoBank | undefined;
  status: BankConnectionStatus;
  consentValidTo: string;
  lastSynchronization: string | null;
  balance: string;
  availableBalance: string;
}

/** a decimal string as a JSON number, the way the Paygate API sends money (the text keeps its exact digits) */
export const moneyNumber = (decimal: string): number => Number(decimal);

export function bankAccountRow(v: AccountView) {
  return {
    id: v.account.id,
    iban: v.account.iban,
    currency: v.account.currency,
    name: v.account.name,
    accountType: v.account.type.toUpperCase(),
    bankName: v.bank?.name ?? null,
    bankBic: v.bank?.bic ?? null,
    balance: { amount: moneyNumber(v.balance), currency: v.account.currency, type: 'CLBD' },
    availableBalance: { amount: moneyNumber(v.availableBalance), currency: v.account.currency, type: 'ITAV' },
    status: v.status,
    consentValidTo: v.consentValidTo,
    lastSynchronization: v.lastSynchronization,
  };
}

export interface TxView { tx: DemoTransaction; createdAt: string; lastUpdated: string }

export function transactionRow(v: TxView) {
  return {
    id: v.tx.id,
    bankAccountId: v.tx.accountId,
    amount: moneyNumber(v.tx.amount),
    currency: v.tx.currency,
    bookingDate: v.tx.status === 'booked' ? v.tx.bookingDate : null,
    valueDate: v.tx.valueDate,
    transactionDate: v.tx.bookingDate,
    status: v.tx.status === 'booked' ? 'BOOKED' : 'PENDING',
    counterpartyName: v.tx.counterpartyName,
    counterpartyIban: v.tx.counterpartyIban,
    remittanceInformation: v.tx.description,
    createdAt: v.createdAt,
    lastUpdated: v.lastUpdated,
  };
}

/** fields `sort=<field>:<asc|desc>` may name, and how to read them from a row */
export const SORTABLE: Record<string, (r: ReturnType<typeof transactionRow>) => string> = {
  bookingDate: (r) => r.transactionDate,
  lastUpdated: (r) => r.lastUpdated,
  createdAt: (r) => r.createdAt,
};
