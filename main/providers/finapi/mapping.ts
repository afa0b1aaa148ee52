// finAPI Access rows -> the domain's RemoteAccount / RemoteTransaction (amounts to integer minor units).
import type { AccountType, IsoDate, RemoteAccount, RemoteTransaction } from '../../domain/types.js';
import { toMinorUnits } from '../../domain/money.js';
import { ProviderError } from '../provider.js';
import type { Account, PendingTransaction, Transaction } from './schemas.js';

/**
 * Access `AccountType` wire values are `Checking, Savings, CreditCard, Security, Loan, Membership, Bausparen` (V1 also
 * `Pocket`) [SPEC][V2 account_type.py]; Web Form 2.0 spells them `CHECKING, CREDIT_CARD…`. Read case- and
 * underscore-blind, so either spelling maps; an unknown type is `other`.
 */
const ACCOUNT_TYPES: Record<string, AccountType> = {
  checking: 'current', savings: 'savings', creditcard: 'card', loan: 'loan', bausparen: 'loan', security: 'investment',
  membership: 'other', pocket: 'savings',
};
export const accountTypeOf = (t: string): AccountType => ACCOUNT_TYPES[t.replace(/_/g, '').toLowerCase()] ?? 'other';

/** `currency`: the account's own, or (when finAPI sends none) the one its rows name; see FinapiProvider.currencyOf. */
export function mapAccount(a: Account, institutionName: string | null, currency = a.accountCurrency): RemoteAccount {
  if (!currency) throw new ProviderError('bad_response', `finAPI sent account ${a.id} without a currency.`);
  const updated = a.interfaces?.map((i) => i.lastSuccessfulUpdate).filter((x): x is string => !!x).sort().pop() ?? null;
  const date = updated ? updated.slice(0, 10) : null;
  return {
    remoteId: a.id,
    iban: a.iban ?? null,
    number: a.accountNumber ?? null,
    name: a.accountName || a.iban || a.accountNumber || 'Account',
    type: accountTypeOf(a.accountType),
    currency,
    balanceCurrent: a.balance != null ? toMinorUnits(a.balance, currency) : null,
    balanceCurrentDate: a.balance != null ? date : null,
    balanceAvailable: a.availableFunds != null ? toMinorUnits(a.availableFunds, currency) : null,
    balanceAvailableDate: a.availableFunds != null ? date : null,
    institutionName,
    enabled: true,
  };
}

const describe = (purpose: string | null | undefined, name: string | null | undefined, type: string | null | undefined) =>
  (purpose?.trim() || name?.trim() || type?.trim() || '').replace(/\s+/g, ' ');

/** What booked and pending rows share; the fields that differ by name are passed in. */
function mapRow(t: Transaction | PendingTransaction, accountCurrency: string, own: Pick<RemoteTransaction, 'remoteId' | 'bookingDate' | 'status' | 'counterpartyName' | 'counterpartyIban'>): RemoteTransaction {
  const currency = t.currency ?? accountCurrency;
  return {
    ...own,
    valueDate: t.valueDate ?? null,
    amount: toMinorUnits(t.amount, currency),
    currency,
    description: describe(t.purpose, own.counterpartyName, t.type),
    raw: t,
  };
}

/** Booked row: `counterpart…` fields. Amount sign: income >= 0, spending < 0 (as finAPI's `direction`). */
export function mapTransaction(t: Transaction, accountCurrency: string): RemoteTransaction {
  return mapRow(t, accountCurrency, {
    remoteId: t.id, bookingDate: t.bankBookingDate, status: 'booked', counterpartyName: t.counterpartName ?? null, counterpartyIban: t.counterpartIban ?? null,
  });
}

/** Pending row: `counterparty…` fields; its own id space, so the remote id is prefixed. */
export function mapPending(t: PendingTransaction, accountCurrency: string, today: IsoDate): RemoteTransaction {
  return mapRow(t, accountCurrency, {
    remoteId: `pending-${t.id}`, bookingDate: t.bankBookingDate ?? t.valueDate ?? today, status: 'pending',
    counterpartyName: t.counterpartyName ?? null, counterpartyIban: t.counterpartyIban ?? null,
  });
}
