// The demo banks' ledger that every emulator exposes in its own API shape.
// Amounts are decimal strings (as banks send them) and integer minor units side by side.
// The implementation is sandbox/core/ledger.ts (`createLedger(world)`), re-exported at the bottom of this file.

export interface DemoBank { id: string; name: string; country: string; bic: string }
export interface DemoLogin { bankId: string; username: string; password: string; ownerName: string; address: string }
export type DemoAccountType = 'current' | 'savings' | 'card';

export interface DemoAccount {
  id: string;
  bankId: string;
  username: string;
  iban: string;
  name: string;
  type: DemoAccountType;
  currency: string;
  /** booked balance at the world's start of history, minor units */
  openingBalanceMinor: number;
  /** account holder as the bank knows them */
  ownerName?: string;
  bic?: string;
  /** card accounts: masked card number, e.g. "512345******1234" */
  maskedPan?: string;
}

export type DemoTransactionKind =
  | 'salary' | 'rent' | 'direct_debit' | 'card_payment' | 'card_fx' | 'atm' | 'refund' | 'transfer_in' | 'transfer_out'
  | 'own_transfer' | 'card_repayment' | 'interest' | 'fee' | 'added';

export interface DemoTransaction {
  id: string;
  accountId: string;
  /** booked: the day the bank booked it; pending: the day of the payment */
  bookingDate: string;
  valueDate: string;
  /** signed decimal string, e.g. "-12.30" */
  amount: string;
  amountMinor: number;
  currency: string;
  status: 'booked' | 'pending';
  description: string;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  /** ISO instant the emulator first reported it; later changes move `updatedAt` */
  createdAt: string;
  updatedAt: string;
  // ---- optional detail (added; emulators may map what their API has) ----
  kind?: DemoTransactionKind;
  /** the day the payment happened (card transaction date) */
  transactionDate?: string;
  /** ISO instant it was booked (booked only) */
  bookedAt?: string;
  category?: string;
  /** card merchant category code */
  mcc?: string;
  /** remittance reference / variable symbol / end-to-end id */
  reference?: string;
  /** FX: amount in the original currency, signed decimal string, with its currency and the rate (account units per original unit) */
  originalAmount?: string;
  originalCurrency?: string;
  exchangeRate?: string;
  /** transfers between the user's own accounts: the id of the other leg */
  pairedTransactionId?: string;
  /** refunds: the id of the refunded payment */
  refundOf?: string;
}

/** How the world is queried by emulators. */
export interface Ledger {
  banks(): DemoBank[];
  logins(): DemoLogin[];
  findLogin(bankId: string, username: string): DemoLogin | undefined;
  accounts(filter?: { bankId?: string; username?: string }): DemoAccount[];
  account(id: string): DemoAccount | undefined;
  /** transactions of an account visible at the world's now, newest booking date first, within [from, to] */
  transactions(accountId: string, range?: { from?: string; to?: string }): DemoTransaction[];
  /** booked balance in minor units at the world's now */
  balance(accountId: string): number;
  /** balance plus pending, minor units */
  availableBalance(accountId: string): number;
  // ---- added ----
  bank?(id: string): DemoBank | undefined;
  /** the login when username and password match, else undefined */
  checkLogin?(bankId: string, username: string, password: string): DemoLogin | undefined;
  /** one transaction by its current id */
  transaction?(accountId: string, id: string): DemoTransaction | undefined;
  /** the last day with history and the first (YYYY-MM-DD) */
  historyStart?(): string;
  /** the account as it was at an earlier instant: what an aggregator whose last sync ran then still serves */
  asOf?(accountId: string, at: Date): { transactions: DemoTransaction[]; balance: number; availableBalance: number };
}

/** The control API's mutations (the DemoLedger implements them). */
export interface MutableLedger extends Ledger {
  /** give every transaction of the account a new remote id (as some banks do); returns old id → new id */
  changeIds(accountId: string): Record<string, string>;
  /** add N new booked transactions dated today; returns them */
  addTransactions(accountId: string, count: number, opts?: { pending?: boolean }): DemoTransaction[];
  /** book the account's (or every account's) pending transactions now; returns how many booked and how many vanished */
  bookPending(accountId?: string): { booked: number; vanished: number };
}

export { createLedger, DemoLedger, type LedgerOptions } from './ledger.js';
