// zod schemas of the Powens responses the client reads (OpenAPI files in sandbox/powens/openapi).
// Bodies are parsed with lossless-json and every JSON number arrives here as its original text, so that
// amounts never pass through a float: ids and counts are turned into strings / numbers below, money stays text.
import { z } from 'zod';

const NUMBER_TEXT = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** an id: a JSON number (or a numeric string) -> its decimal text */
export const Id = z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(/^\d+$/, 'not an id'));
/** a small integer (priority, expires_in) */
export const Int = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().int());
/** money: the JSON number's exact text (or a decimal string); converted to minor units with the currency */
export const Money = z.union([z.string().regex(NUMBER_TEXT, 'not a number'), z.number()]).nullish();
/** sql-date-time `YYYY-MM-DD HH:MM:SS`, UTC */
export const SqlDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/, 'not a sql-date-time');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'not a date');

export const AccessToken = z.object({
  auth_token: z.string().min(1),
  type: z.enum(['permanent', 'temporary']),
  id_user: Id,
  expires_in: Int.nullish(),
});

export const AuthCode = z.object({ code: z.string().min(1), access: z.string().optional() });

/** /auth/token/access and /auth/renew: the spec says `access_token`, the seed shows `token`; accept both */
export const ExchangedToken = z.object({ access_token: z.string().min(1).optional(), token: z.string().min(1).optional() })
  .refine((t) => t.access_token || t.token, 'neither access_token nor token')
  .transform((t) => (t.access_token ?? t.token)!);

export const CredentialsField = z.object({
  /** the spec sets no minimum length: an empty name is read (and shown by its label) rather than failing the connector */
  name: z.string(),
  type: z.string(),
  label: z.string(),
  description: z.string().nullish(),
  required: z.boolean().nullish(),
  regex: z.string().nullish(),
  values: z.array(z.object({ value: z.string(), label: z.string() })).nullish(),
  auth_mechanisms: z.array(z.string()).nullish(),
  /** seed only: which sources need the field */
  connector_sources: z.array(z.string()).nullish(),
});
export type CredentialsField = z.output<typeof CredentialsField>;

export const ConnectorSource = z.object({
  id: Id,
  name: z.string(),
  auth_mechanism: z.string(),
  disabled: z.string().nullish(),
  priority: Int,
});

export const Connector = z.object({
  id: Id,
  uuid: z.string(),
  name: z.string(),
  hidden: z.boolean().nullish(),
  restricted: z.boolean().nullish(),
  auth_mechanism: z.string(),
  capabilities: z.array(z.string()).nullish(),
  sources: z.array(ConnectorSource).nullish(),
  fields: z.array(CredentialsField).nullish(),
  countries: z.array(z.object({ id: z.string(), name: z.string() })).nullish(),
});
export type Connector = z.output<typeof Connector>;
export const ConnectorsList = z.object({ connectors: z.array(Connector) });

export const Currency = z.object({ id: z.string().regex(/^[A-Z]{3}$/), precision: Int.nullish() });

export const BankAccount = z.object({
  id: Id,
  id_connection: Id.nullish(),
  name: z.string(),
  original_name: z.string().nullish(),
  balance: Money,
  coming: Money,
  currency: Currency.nullish(),
  type: z.string(),
  iban: z.string().nullish(),
  number: z.string().nullish(),
  last_update: SqlDateTime.nullish(),
  deleted: z.string().nullish(),
  disabled: z.string().nullish(),
});
export type BankAccount = z.output<typeof BankAccount>;

export const ConnectionSource = z.object({
  id: Id,
  name: z.string(),
  state: z.string().nullish(),
  disabled: z.string().nullish(),
  access_expire: SqlDateTime.nullish(),
});

export const Connection = z.object({
  id: Id,
  id_user: Id.nullish(),
  id_connector: Id,
  connector_uuid: z.string().nullish(),
  /** ConnectionState or null (= last sync fine); any string so that a new state maps to `failing`, not to a crash */
  state: z.string().nullish(),
  error_message: z.string().nullish(),
  fields: z.array(CredentialsField).nullish(),
  last_update: SqlDateTime.nullish(),
  expire: SqlDateTime.nullish(),
  connector: Connector.nullish(),
  sources: z.array(ConnectionSource).nullish(),
  all_accounts: z.array(BankAccount).nullish(),
});
export type Connection = z.output<typeof Connection>;

export const Transaction = z.looseObject({
  id: Id,
  id_account: Id,
  date: IsoDate,
  rdate: IsoDate.nullish(),
  vdate: IsoDate.nullish(),
  bdate: IsoDate.nullish(),
  value: Money,
  gross_value: Money,
  coming: z.boolean(),
  wording: z.string().nullish(),
  original_wording: z.string().nullish(),
  counterparty: z.object({
    label: z.string().nullish(),
    account_scheme_name: z.string().nullish(),
    account_identification: z.string().nullish(),
  }).nullish(),
  deleted: z.string().nullish(),
  last_update: z.string().nullish(),
});
export type Transaction = z.output<typeof Transaction>;

const Link = z.object({ href: z.string().min(1) }).nullish();
/** the envelope is strict; rows are read one by one (../rows.ts) */
export const TransactionsList = z.object({
  transactions: z.array(z.unknown()),
  _links: z.object({ next: Link }).nullish(),
});

export const ServiceError = z.object({ code: z.string(), description: z.string().nullish(), message: z.string().nullish() });
