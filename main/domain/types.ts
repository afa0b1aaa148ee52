// The one vocabulary all four aggregators map into (see DOMAIN.md).
import type { ConsentState } from '../../preload/contract/consent.js';
import type { MainMessage } from './errors.js';

// provider ids and consent states are the IPC contract's too (preload/contract cannot import main/)
export { PROVIDER_IDS, type ProviderId } from '../../preload/contract/providers.js';
export { CONSENT_STATES, type ConsentState } from '../../preload/contract/consent.js';

export const ACCOUNT_TYPES = ['current', 'savings', 'card', 'loan', 'investment', 'other'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

export type TxStatus = 'pending' | 'booked';

/** YYYY-MM-DD */
export type IsoDate = string;
/** UTC ISO-8601 instant */
export type IsoInstant = string;

export interface Institution {
  id: string;
  name: string;
  country?: string;
  /** e.g. Powens sources ('webauth' | 'credentials'), finAPI interfaces */
  methods?: string[];
}

/** What a provider returns for one account (before it has a local id). */
export interface RemoteAccount {
  remoteId: string;
  iban?: string | null;
  number?: string | null;
  name: string;
  type: AccountType;
  currency: string;
  /** minor units */
  balanceCurrent?: number | null;
  balanceCurrentDate?: IsoDate | null;
  balanceAvailable?: number | null;
  balanceAvailableDate?: IsoDate | null;
  institutionName?: string | null;
  /** false when the aggregator has it disabled / not activated yet */
  enabled?: boolean;
}

/** What a provider returns for one transaction. */
export interface RemoteTransaction {
  remoteId: string;
  bookingDate: IsoDate;
  valueDate?: IsoDate | null;
  /** minor units, negative = money out */
  amount: number;
  currency: string;
  status: TxStatus;
  description: string;
  counterpartyName?: string | null;
  counterpartyIban?: string | null;
  /** the aggregator's own payload, stored for the curious (never contains secrets) */
  raw: unknown;
}

export interface ConsentInfo {
  state: ConsentState;
  /** when the consent / refresh token ends, if the aggregator tells */
  expiresAt?: IsoInstant | null;
  /** what the user must do: a catalogue message, or the bank's / aggregator's own words (a string, shown as written) */
  message?: string | MainMessage | null;
  /** the aggregator's own code (e.g. Powens 'SCARequired') kept for the log */
  providerCode?: string | null;
}
