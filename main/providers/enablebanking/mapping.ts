// Enable Banking accounts, balances and transactions -> the app's RemoteAccount / RemoteTransaction, with exact money.
import { createHash } from 'node:crypto';
import { toMinorUnits } from '../../domain/money.js';
import type { AccountType, IsoDate, RemoteAccount, RemoteTransaction } from '../../domain/types.js';
import type { AccountResource, Balance, Transaction } from './schemas.js';

/** CashAccountType -> AccountType; OTHR and values added later -> other */
const ACCOUNT_TYPES: Record<string, AccountType> = { CACC: 'current', CASH: 'current', SVGS: 'savings', CARD: 'card', LOAN: 'loan' };

/** balance types in the order they are preferred: booked (the bank's books) and available (what can be spent) */
const BOOKED = ['CLBD', 'ITBD', 'OPBD', 'PRCD', 'VALU', 'XPCD', 'INFO', 'OTHR'];
const AVAILABLE = ['ITAV', 'CLAV', 'OPAV', 'FWAV', 'XPCD'];

function pick(balances: Balance[], order: string[], currency: string): { amount: number | null; date: IsoDate | null } {
  for (const type of order) {
    const b = balances.find((x) => x.balance_type === type && x.balance_amount.currency === currency);
    if (!b) continue;
    let amount: number;
    try { amount = toMinorUnits(b.balance_amount.amount, currency); } catch { continue; }
    return { amount, date: b.reference_date ?? b.last_change_date_time?.slice(0, 10) ?? null };
  }
  return { amount: null, date: null };
}

/** A session account with its balances; `remoteId` is the account's uid, valid for this session only. */
export function mapAccount(a: AccountResource & { uid: string }, balances: Balance[], institutionName: string | null): RemoteAccount {
  const iban = a.account_id?.iban ?? null;
  const number = a.account_id?.other?.identification ?? null;
  const booked = pick(balances, BOOKED, a.currency);
  const available = pick(balances, AVAILABLE, a.currency);
  return {
    remoteId: a.uid,
    iban,
    number,
    name: a.name || a.product || a.details || (iban ? `Account ${iban.slice(-4)}` : 'Account'),
    type: ACCOUNT_TYPES[a.cash_account_type ?? ''] ?? 'other',
    currency: a.currency,
    balanceCurrent: booked.amount,
    balanceCurrentDate: booked.date,
    balanceAvailable: available.amount,
    balanceAvailableDate: available.date,
    institutionName,
    enabled: true,
  };
}

/** TransactionStatus -> the app's status; cancelled and rejected rows carry no money and are skipped (null) */
const STATUSES: Record<string, RemoteTransaction['status'] | null> = { BOOK: 'booked', OTHR: 'booked', PDNG: 'pending', HOLD: 'pending', SCHD: 'pending', CNCL: null, RJCT: null };

/**
 * The row's id: `entry_reference`, which the reference calls unique and immutable across sessions for the same
 * account (so a renewal's rows land on the rows already stored); without one (often pending rows), a hash of what the
 * row says, since `transaction_id` may change between listings.
 */
export function transactionId(t: Transaction): string {
  if (t.entry_reference) return t.entry_reference;
  const parts = [t.booking_date, t.transaction_date, t.value_date, t.transaction_amount.amount, t.transaction_amount.currency, t.credit_debit_indicator,
    (t.remittance_information ?? []).join('\n'), t.creditor?.name, t.debtor?.name];
  return `h:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22)}`;
}

/** null for a row that carries nothing to store (cancelled, rejected); throws for a row that cannot be read exactly. */
export function mapTransaction(t: Transaction, currency: string): RemoteTransaction | null {
  if (!(t.status in STATUSES)) throw new Error(`status: unknown value "${t.status}"`);
  const status = STATUSES[t.status];
  if (status === null) return null;
  if (t.credit_debit_indicator !== 'CRDT' && t.credit_debit_indicator !== 'DBIT') throw new Error(`credit_debit_indicator: unknown value "${t.credit_debit_indicator}"`);
  if (t.transaction_amount.currency !== currency) throw new Error(`transaction_amount.currency: ${t.transaction_amount.currency} on a ${currency} account`);
  // the amount is unsigned, the indicator says the direction (an already signed amount is read by its size)
  const size = Math.abs(toMinorUnits(t.transaction_amount.amount, currency));
  const amount = t.credit_debit_indicator === 'DBIT' ? -size : size;
  const bookingDate = (status === 'booked' ? t.booking_date ?? t.value_date ?? t.transaction_date : t.transaction_date ?? t.booking_date ?? t.value_date) ?? null;
  if (!bookingDate) throw new Error('booking_date: none of booking_date, value_date and transaction_date');
  const outgoing = amount < 0;
  const counterparty = outgoing ? t.creditor : t.debtor;
  const counterpartyAccount = outgoing ? t.creditor_account : t.debtor_account;
  return {
    remoteId: transactionId(t),
    bookingDate,
    valueDate: t.value_date ?? null,
    amount,
    currency,
    status,
    description: (t.remittance_information ?? []).join(' ').trim() || counterparty?.name || t.note || '',
    counterpartyName: counterparty?.name ?? null,
    counterpartyIban: counterpartyAccount?.iban ?? null,
    raw: t,
  };
}
