// The Powens JSON shapes the emulator sends, and the demo connectors it offers.
// Everything marked INF below is an inference (see ../shared/providers/powens.md): the spec does not say it,
// so it lives here, in one place, where it can be changed when the real service shows otherwise.
import { currencyExponent } from '../../preload/contract/currency.js';
import type { DemoAccount, DemoAccountType, DemoBank, DemoTransaction } from '../core/bank.js';

export type AuthMechanism = 'credentials' | 'webauth';
export const CONNECTION_STATES = [
  'SCARequired', 'webauthRequired', 'additionalInformationNeeded', 'decoupled', 'validating', 'actionNeeded',
  'passwordExpired', 'wrongpass', 'rateLimiting', 'websiteUnavailable', 'bug',
] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];
/** States that clear by themselves on a later sync (the others wait for the user). */
export const TRANSIENT_STATES: ReadonlySet<ConnectionState> = new Set(['validating', 'rateLimiting', 'websiteUnavailable', 'bug']);

export interface DemoSourceDef {
  id: number;
  name: string;
  auth_mechanism: AuthMechanism;
  priority: number;
  /** which of the login's accounts this source brings (INF: payment accounts through the PSD2 source) */
  accountTypes: DemoAccountType[];
}

export interface DemoConnectorDef {
  id: number;
  uuid: string;
  name: string;
  bank: DemoBank;
  sources: DemoSourceDef[];
  /** every n-th sync of a connection ends in SCARequired */
  scaEvery: number | null;
  /** consent length in days, at first link and after each renewal */
  consentDays: number;
  renewedConsentDays: number;
}

const ALL: DemoAccountType[] = ['current', 'savings', 'card'];

/** The three demo connectors, one per demo bank (wrapping round when the ledger has fewer banks). */
export function demoConnectors(banks: DemoBank[]): DemoConnectorDef[] {
  if (banks.length === 0) return [];
  const bank = (i: number) => banks[i % banks.length];
  return [
    {
      id: 59, uuid: '338178e6-3d01-564f-9a7b-52ca442459bf', name: `${bank(0).name}`, bank: bank(0),
      sources: [
        { id: 591, name: 'openapi', auth_mechanism: 'webauth', priority: 1, accountTypes: ['current', 'card'] },
        { id: 592, name: 'directaccess', auth_mechanism: 'credentials', priority: 2, accountTypes: ['savings'] },
      ],
      scaEvery: null, consentDays: 180, renewedConsentDays: 180,
    },
    {
      id: 60, uuid: 'a1f1d9c2-6b1e-4f3a-9c55-0d6f3e1b7a60', name: `${bank(1).name} (SCA every 3rd sync)`, bank: bank(1),
      sources: [{ id: 601, name: 'directaccess', auth_mechanism: 'credentials', priority: 1, accountTypes: ALL }],
      scaEvery: 3, consentDays: 180, renewedConsentDays: 180,
    },
    {
      id: 61, uuid: 'c7b0e3f4-2a9d-4e61-8f07-1b2c3d4e5f61', name: `${bank(2).name} (consent ends soon)`, bank: bank(2),
      sources: [{ id: 611, name: 'openapi', auth_mechanism: 'webauth', priority: 1, accountTypes: ALL }],
      scaEvery: null, consentDays: 3, renewedConsentDays: 90,
    },
  ];
}

/** Credentials form of a connector (the seed's `connector_sources` says which source a field belongs to). */
export function connectorFields(c: DemoConnectorDef) {
  const creds = c.sources.filter((s) => s.auth_mechanism === 'credentials').map((s) => s.name);
  if (creds.length === 0) return [];
  return [
    {
      name: 'login', label: 'Username', type: 'text', required: true, auth_mechanisms: ['credentials'],
      description: `Your ${c.bank.name} online-banking username`, regex: '^\\S{2,64}$', values: null, connector_sources: creds,
    },
    {
      name: 'password', label: 'Password', type: 'password', required: true, auth_mechanisms: ['credentials'],
      description: null, regex: null, values: null, connector_sources: creds,
    },
  ];
}

export const OTP_FIELD = {
  name: 'otp', label: 'One-time code', type: 'text', required: true, auth_mechanisms: ['credentials', 'webauth'],
  description: 'The 6-digit code your bank just sent you (demo banks: 123456)', regex: '^\\d{6}$', values: null,
};

/** `YYYY-MM-DD HH:MM:SS` in UTC: Powens' sql-date-time. */
export const sqlDateTime = (d: Date | number | string | null | undefined): string | null => {
  if (d === null || d === undefined) return null;
  return new Date(d).toISOString().slice(0, 19).replace('T', ' ');
};

export function connectorJson(c: DemoConnectorDef, expand: Set<string>) {
  return {
    id: c.id, uuid: c.uuid, name: c.name, hidden: false, charged: true, code: c.bank.bic.slice(0, 8), beta: false,
    color: '0b5fa5', slug: c.bank.id.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 10) || null,
    capabilities: ['bank'], urls: null, sync_periodicity: 1, months_to_fetch: 24,
    auth_mechanism: c.sources[0].auth_mechanism, transfer_mechanism: 'credentials', siret: null, restricted: false,
    ...(expand.has('sources') ? {
      sources: c.sources.map((s) => ({ id: s.id, id_connector: c.id, name: s.name, auth_mechanism: s.auth_mechanism, disabled: null, priority: s.priority })),
    } : {}),
    ...(expand.has('fields') ? { fields: connectorFields(c) } : {}),
    ...(expand.has('countries') ? { countries: [{ id: c.bank.country, name: c.bank.country }] } : {}),
  };
}

const CURRENCIES: Record<string, { name: string; symbol: string }> = {
  EUR: { name: 'Euro', symbol: '€' }, USD: { name: 'US Dollar', symbol: '$' }, GBP: { name: 'Pound sterling', symbol: '£' },
  CHF: { name: 'Swiss franc', symbol: 'CHF' }, CZK: { name: 'Czech koruna', symbol: 'Kč' }, JPY: { name: 'Yen', symbol: '¥' },
  BHD: { name: 'Bahraini dinar', symbol: 'BD' },
};
export const currencyJson = (id: string) => ({ id, name: CURRENCIES[id]?.name ?? id, symbol: CURRENCIES[id]?.symbol ?? id, precision: currencyExponent(id) });

/** minor units -> JSON number with the currency's decimals (exact for every amount below 2^53 minor units). */
export function money(minor: number, currency: string): number {
  const exp = currencyExponent(currency);
  return Number(`${minor < 0 ? '-' : ''}${Math.floor(Math.abs(minor) / 10 ** exp)}.${String(Math.abs(minor) % 10 ** exp).padStart(exp, '0')}`.replace(/\.$/, ''));
}

/** INF: Powens account types for the ledger's three kinds. */
const ACCOUNT_TYPE: Record<DemoAccountType, { type: string; id_type: number }> = {
  current: { type: 'checking', id_type: 2 }, savings: { type: 'savings', id_type: 1 }, card: { type: 'card', id_type: 4 },
};

export interface AccountRow {
  id: number; idConnection: number; idUser: number; idSource: number; ledger: DemoAccount;
  disabled: Date | null; lastUpdate: Date | null;
}

export function accountJson(a: AccountRow, balanceMinor: number, availableMinor: number) {
  const t = ACCOUNT_TYPE[a.ledger.type];
  return {
    id: a.id, id_connection: a.idConnection, id_user: a.idUser, id_source: a.idSource, id_parent: null,
    display: true, name: a.ledger.name, bookmarked: false, usage: 'PRIV', original_name: a.ledger.name,
    balance: money(balanceMinor, a.ledger.currency), coming: money(availableMinor - balanceMinor, a.ledger.currency),
    currency: currencyJson(a.ledger.currency), type: t.type, id_type: t.id_type,
    last_update: sqlDateTime(a.lastUpdate), deleted: null, disabled: sqlDateTime(a.disabled),
    number: a.ledger.iban.slice(-11), iban: a.ledger.iban, loan: null,
  };
}

export function transactionJson(id: number, idAccount: number, t: DemoTransaction) {
  const counterparty = t.counterpartyName || t.counterpartyIban
    ? {
      label: t.counterpartyName, account_scheme_name: t.counterpartyIban ? 'iban' : null, account_identification: t.counterpartyIban,
      type: t.amountMinor < 0 ? 'creditor' : 'debtor',
    }
    : null;
  return {
    id, id_account: idAccount, application_date: t.bookingDate, date: t.bookingDate, datetime: null,
    value: money(t.amountMinor, t.currency), gross_value: money(t.amountMinor, t.currency),
    original_value: null, original_gross_value: null, original_currency: null, commission: null, commission_currency: null,
    type: t.amountMinor < 0 ? (t.counterpartyIban ? 'transfer' : 'card') : 'transfer',
    wording: t.description, id_category: null, date_scraped: sqlDateTime(t.createdAt),
    rdate: t.bookingDate, rdatetime: null, vdate: t.valueDate, vdatetime: null, bdate: t.bookingDate, bdatetime: null,
    coming: t.status === 'pending', active: true, id_cluster: null, country: null, card: null,
    counterparty, comment: null, last_update: sqlDateTime(t.updatedAt), deleted: null,
  };
}

/** The common Powens error body. */
export const serviceError = (code: string, description: string, message: string | null = null) => ({ code, description, message, request_id: null });
