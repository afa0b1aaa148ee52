// zod schemas of the finAPI responses this client reads: Access V2 and Web Form 2.0.
// Bodies are parsed with parseLossless (../json.ts) so that every JSON number arrives as its exact decimal text:
// money becomes minor units without floats, int64 ids stay exact. Only the fields the client uses are
// required; the rest of the object is kept (loose) for the transaction's raw payload.
import { z } from 'zod';

/** a JSON number kept as its text (also accepts a string, as Web Form's relaxed binding allows) */
const decimal = z.string().regex(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/, 'expected a decimal number');
/** an int64 id as text */
const id = z.string().regex(/^-?\d+$/, 'expected an integer id'); // the files set no minimum: a negative id is read too
const int = z.string().regex(/^-?\d+$/, 'expected an integer').transform(Number);
const nstr = z.string().nullish();
/**
 * An enum finAPI may extend: any text is read, so that a new value reaches the consent mapping and the sync log
 * (with its raw value) instead of failing the whole response. The known values are listed next to each use.
 */
const openEnum = z.string();

export const AccessTokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: int,
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});
export type AccessToken = z.output<typeof AccessTokenSchema>;

export const UserSchema = z.object({ id: z.string().min(1), password: z.string().min(1) });

export const PagingSchema = z.object({ page: int, perPage: int, pageCount: int, totalCount: int });

const BankInterfaceSchema = z.object({ bankingInterface: z.string() });
export const BankSchema = z.object({
  id,
  name: z.string(),
  bic: nstr,
  location: nstr,
  city: nstr,
  isTestBank: z.boolean().optional(),
  interfaces: z.array(BankInterfaceSchema).nullish(),
});
export const BankListSchema = z.object({ banks: z.array(BankSchema), paging: PagingSchema.optional() });

export const UpdateResultSchema = z.object({
  /** OK | BANK_SERVER_REJECTION | INTERNAL_SERVER_ERROR */
  result: openEnum,
  errorMessage: nstr,
  /** BUSINESS | TECHNICAL */
  errorType: openEnum.nullish(),
  timestamp: z.string(),
});
export type UpdateResult = z.output<typeof UpdateResultSchema>;

export const BankConnectionInterfaceSchema = z.object({
  bankingInterface: z.string(),
  /** status: PRESENT | NOT_PRESENT */
  aisConsent: z.object({ status: openEnum, expiresAt: nstr }).nullish(),
  lastManualUpdate: UpdateResultSchema.nullish(),
  lastAutoUpdate: UpdateResultSchema.nullish(),
  userActionRequired: z.boolean().nullish(),
});
export const BankConnectionSchema = z.object({
  id,
  name: nstr,
  /** IN_PROGRESS | READY; anything else is read as "not ready yet" */
  updateStatus: openEnum,
  categorizationStatus: z.string().nullish(),
  interfaces: z.array(BankConnectionInterfaceSchema).nullish(),
  accountIds: z.array(id).nullish(),
  bank: BankSchema,
});
export type BankConnection = z.output<typeof BankConnectionSchema>;

export const AccountSchema = z.object({
  id,
  bankConnectionId: id,
  accountName: nstr,
  iban: nstr,
  accountNumber: nstr,
  /** optional and nullable in V1 and V2 [V2 account.py]: see accountCurrencyOf in index.ts */
  accountCurrency: z.string().regex(/^[A-Z]{3}$/).nullish(),
  accountType: z.string(),
  balance: decimal.nullish(),
  availableFunds: decimal.nullish(),
  interfaces: z.array(z.object({ bankingInterface: z.string(), status: z.string().nullish(), lastSuccessfulUpdate: nstr })).nullish(),
});
export type Account = z.output<typeof AccountSchema>;
export const AccountListSchema = z.object({ accounts: z.array(AccountSchema) });

export const TransactionSchema = z.looseObject({
  id,
  accountId: id,
  valueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  bankBookingDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  amount: decimal,
  currency: z.string().regex(/^[A-Z]{3}$/).nullish(),
  purpose: nstr,
  counterpartName: nstr,
  counterpartIban: nstr,
  type: nstr,
});
export type Transaction = z.output<typeof TransactionSchema>;
/** page envelopes are strict; their rows are read one by one (../rows.ts) */
export const TransactionPageSchema = z.object({ transactions: z.array(z.unknown()), paging: PagingSchema });

/** Pending rows use other field names than booked ones: counterparty…, endToEndId (finapi.md §3.3). */
export const PendingTransactionSchema = z.looseObject({
  id,
  accountId: id,
  valueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  bankBookingDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  amount: decimal,
  currency: z.string().regex(/^[A-Z]{3}$/).nullish(),
  purpose: nstr,
  counterpartyName: nstr,
  counterpartyIban: nstr,
  type: nstr,
});
export type PendingTransaction = z.output<typeof PendingTransactionSchema>;
export const PendingPageSchema = z.object({ pendingTransactions: z.array(z.unknown()), paging: PagingSchema });

// ---- Web Form 2.0
/** Web form statuses [SPEC]; another value is read as "not finished yet" (the link keeps waiting and shows it). */
export const WEB_FORM_STATUSES = ['NOT_YET_OPENED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED_WITH_ERROR', 'EXPIRED', 'ABORTED'] as const;
export const WebFormSchema = z.object({
  id: z.string().min(1),
  url: z.string().url(),
  type: z.string(),
  status: openEnum,
  expiresAt: z.string().optional(),
  payload: z.object({ bankConnectionId: id.nullish(), errorCode: nstr }).nullish(),
});
export type WebForm = z.output<typeof WebFormSchema>;

/** Background task statuses [SPEC]; another value is read as "finished": the sync reads what finAPI holds. */
export const TASK_STATUSES = ['NOT_YET_STARTED', 'IN_PROGRESS', 'WEB_FORM_REQUIRED', 'COMPLETED', 'COMPLETED_WITH_ERROR'] as const;
export const TaskSchema = z.object({
  id: z.string().min(1),
  status: openEnum,
  payload: z.object({
    bankConnectionId: id.nullish(),
    errorCode: nstr,
    webForm: z.object({ id: z.string(), url: z.string(), status: openEnum }).nullish(),
  }).nullish(),
});
export type Task = z.output<typeof TaskSchema>;

/** Error bodies: Access `ErrorMessage`, Web Form `Error`, and the OAuth `{error, error_description}`. */
export function describeFinapiError(_status: number, body: unknown): { providerCode?: string; message?: string } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, any>;
  if (Array.isArray(b.errors) && b.errors[0] && typeof b.errors[0] === 'object') {
    const e = b.errors[0];
    return { providerCode: typeof e.code === 'string' ? e.code : undefined, message: typeof e.message === 'string' ? e.message : (typeof e.field === 'string' ? `${e.field} ${e.message}` : undefined) };
  }
  if (typeof b.code === 'string') return { providerCode: b.code, message: typeof b.description === 'string' ? b.description : undefined };
  if (typeof b.error === 'string') return { providerCode: b.error, message: typeof b.error_description === 'string' ? b.error_description : undefined };
  return undefined;
}
