// Powens bank accounts and transactions -> the app's RemoteAccount / RemoteTransaction, with exact money.
import { toMinorUnits } from '../../domain/money.js';
import type { AccountType, RemoteAccount, RemoteTransaction } from '../../domain/types.js';
import { ProviderError, type FormField } from '../provider.js';
import type { BankAccount, CredentialsField, Transaction } from './schemas.js';

/** Powens BankAccountTypeName -> AccountType; unknown or new names -> other. */
const ACCOUNT_TYPES: Record<string, AccountType> = {
  checking: 'current', joint: 'current',
  savings: 'savings', deposit: 'savings',
  card: 'card',
  loan: 'loan',
  market: 'investment', pea: 'investment', lifeinsurance: 'investment', capitalisation: 'investment', pee: 'investment',
  perco: 'investment', per: 'investment', perp: 'investment', madelin: 'investment', article83: 'investment', rsp: 'investment',
  crowdlending: 'investment', real_estate: 'investment',
};

/**
 * The account's ISO currency, or null: the spec allows `currency: null` and a Powens transaction names none of its own
 * (`original_currency` is a foreign amount's), so nothing else tells it. Such an account is left out (listAccounts),
 * never given a guessed currency.
 */
export const accountCurrency = (a: Pick<BankAccount, 'currency'>): string | null => a.currency?.id ?? null;

function minor(value: string | number | null | undefined, currency: string, what: string): number | null {
  if (value === null || value === undefined) return null;
  try {
    return toMinorUnits(value, currency);
  } catch (e) {
    throw new ProviderError('bad_response', `Powens sent an amount we cannot read exactly (${what}: ${(e as Error).message}). Nothing was changed.`);
  }
}

export function mapAccount(a: BankAccount, institutionName: string | null): RemoteAccount {
  const currency = accountCurrency(a);
  if (!currency) throw new ProviderError('bad_response', `Powens sent account ${a.id} without a currency.`);
  const date = a.last_update ? a.last_update.slice(0, 10) : null;
  const balance = minor(a.balance, currency, `balance of account ${a.id}`);
  const coming = minor(a.coming, currency, `coming of account ${a.id}`);
  return {
    remoteId: a.id,
    iban: a.iban ?? null,
    number: a.number ?? null,
    name: a.name || a.original_name || `Account ${a.id}`,
    type: ACCOUNT_TYPES[a.type] ?? 'other',
    currency,
    balanceCurrent: balance,
    balanceCurrentDate: balance === null ? null : date,
    // `coming` = operations not yet debited: what is available once they are
    balanceAvailable: balance === null || coming === null ? null : balance + coming,
    balanceAvailableDate: balance === null || coming === null ? null : date,
    institutionName,
    enabled: !a.disabled,
  };
}

/** null for a row without any amount (the spec allows `value: null`); such rows carry no money to record. */
export function mapTransaction(t: Transaction, currency: string): RemoteTransaction | null {
  const value = t.value ?? t.gross_value;
  if (value === null || value === undefined) return null;
  // an amount that cannot be stored exactly throws: the row reader keeps the row aside with that reason
  const amount = toMinorUnits(value, currency);
  const cp = t.counterparty;
  return {
    remoteId: t.id,
    bookingDate: t.date,
    valueDate: t.vdate ?? null,
    amount,
    currency,
    status: t.coming ? 'pending' : 'booked',
    description: t.wording ?? t.original_wording ?? '',
    counterpartyName: cp?.label ?? null,
    counterpartyIban: cp?.account_scheme_name === 'iban' ? (cp.account_identification ?? null) : null,
    raw: t,
  };
}

const FIELD_TYPES = new Set(['text', 'password', 'list', 'date', 'number']);

/** A Powens CredentialsField -> the app's FormField (unknown types become text). */
export function mapField(f: CredentialsField, required = f.required ?? false): FormField {
  return {
    name: f.name,
    label: f.label || f.name,
    type: (FIELD_TYPES.has(f.type) ? f.type : 'text') as FormField['type'],
    required,
    regex: f.regex ?? null,
    ...(f.values?.length ? { values: f.values.map((v) => ({ label: v.label, value: v.value })) } : {}),
  };
}

/** Fields to show for one source: those of its auth mechanism and (seed) of that source, minus those of sources already added. */
export function fieldsForSource(fields: CredentialsField[], source: string | null, mechanism: string, alreadyAdded: string[] = []): CredentialsField[] {
  return fields.filter((f) => {
    if (f.auth_mechanisms?.length && !f.auth_mechanisms.includes(mechanism)) return false;
    if (source && f.connector_sources?.length && !f.connector_sources.includes(source)) return false;
    return !f.connector_sources?.some((s) => alreadyAdded.includes(s));
  });
}
