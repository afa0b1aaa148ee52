// zod schemas of the Enable Banking answers the client reads (the published reference: sandbox/enablebanking/openapi).
// Tolerant where the reference is: optional fields may be absent or null, enums are read as any string (a new value
// is handled where it is used, never a crash of the whole answer). Bodies are parsed losslessly: amounts stay text.
import { z } from 'zod';

const NUMBER_TEXT = /^-?\d+(\.\d+)?$/;
/** AmountType: a decimal string (pattern ^-?\d+(\.\d+)?$) with its currency */
export const Amount = z.object({ currency: z.string(), amount: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(NUMBER_TEXT, 'not a decimal amount')) });
const Int = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().int());
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date');

export const Aspsp = z.object({
  name: z.string().min(1),
  country: z.string(),
  logo: z.string().nullish(),
  psu_types: z.array(z.string()).nullish(),
  /** seconds; the reference requires it, but a bank without one is still listed (the client then asks for 90 days) */
  maximum_consent_validity: Int.nullish(),
  beta: z.boolean().nullish(),
  bic: z.string().nullish(),
});
export type Aspsp = z.output<typeof Aspsp>;
/** banks are read one by one: one the client cannot read is left out of the list, not the end of it */
export const AspspList = z.object({ aspsps: z.array(z.unknown()) });

export const StartAuthorization = z.object({ url: z.string().url(), authorization_id: z.string().min(1), psu_id_hash: z.string().nullish() });

const Access = z.object({ valid_until: z.string().nullish() });
const AccountIdentification = z.object({
  iban: z.string().nullish(),
  other: z.object({ identification: z.string(), scheme_name: z.string().nullish() }).nullish(),
});

export const AccountResource = z.object({
  account_id: AccountIdentification.nullish(),
  name: z.string().nullish(),
  details: z.string().nullish(),
  product: z.string().nullish(),
  cash_account_type: z.string().nullish(),
  currency: z.string(),
  uid: z.string().nullish(),
  identification_hash: z.string().nullish(),
});
export type AccountResource = z.output<typeof AccountResource>;

export const AuthorizedSession = z.object({
  session_id: z.string().min(1),
  accounts: z.array(AccountResource),
  aspsp: z.object({ name: z.string(), country: z.string() }),
  access: Access,
});

export const Session = z.object({
  status: z.string(),
  accounts: z.array(z.string()),
  aspsp: z.object({ name: z.string(), country: z.string() }).nullish(),
  access: Access.nullish(),
});
export type Session = z.output<typeof Session>;

export const Balances = z.object({
  balances: z.array(z.object({
    balance_amount: Amount,
    balance_type: z.string(),
    reference_date: IsoDate.nullish(),
    last_change_date_time: z.string().nullish(),
  })),
});
export type Balance = z.output<typeof Balances>['balances'][number];

const Party = z.object({ name: z.string().nullish() }).nullish();
export const Transaction = z.looseObject({
  entry_reference: z.string().nullish(),
  transaction_id: z.string().nullish(),
  transaction_amount: Amount,
  credit_debit_indicator: z.string(),
  status: z.string(),
  booking_date: IsoDate.nullish(),
  value_date: IsoDate.nullish(),
  transaction_date: IsoDate.nullish(),
  creditor: Party,
  creditor_account: AccountIdentification.nullish(),
  debtor: Party,
  debtor_account: AccountIdentification.nullish(),
  remittance_information: z.array(z.string()).nullish(),
  note: z.string().nullish(),
});
export type Transaction = z.output<typeof Transaction>;

/** the envelope is strict; rows are read one by one (../rows.ts) */
export const TransactionsPage = z.object({ transactions: z.array(z.unknown()), continuation_key: z.string().nullish() });

export const ErrorResponse = z.object({ message: z.string().nullish(), error: z.string().nullish(), detail: z.unknown().optional() });

export const Application = z.object({
  name: z.string(),
  kid: z.string().nullish(),
  environment: z.string().nullish(),
  redirect_urls: z.array(z.string()).nullish(),
  active: z.boolean().nullish(),
  countries: z.array(z.string()).nullish(),
});
