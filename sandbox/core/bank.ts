// The demo banks' ledger that every emulator exposes in its own API shape.
// Amounts are decimal strings (as banks send them) and integer minor units side by side.

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
}

export interface DemoTransaction {
  id: string;
  accountId: string;
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
}
