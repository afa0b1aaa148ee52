// [INVENTED] Banqware PSD2 API Hub shapes the public sources do not give (../shared/providers/banqware.md §4, §8).
// From the seed: the management/user/consent/update paths, their request bodies, consent `requested`/`given`, update
// `completed`, and that a consent names one of the registered redirect URLs (Banqware matches them exactly). Everything
// else — the authentication headers, response field names, other statuses, the GET of the tenant's URLs, the account
// information / KYC / bank-list paths and rows, the error envelope (from the older PSD2Hub articles) — is a placeholder
// kept here (and in sandbox/banqware/invented.ts) so that correcting it is one edit in each. What the client can do
// without is optional and costs a slower path when absent. Nothing else in the client names them.
import { z } from 'zod';
import type { AccountType, Institution, RemoteAccount, RemoteTransaction } from '../../domain/types.js';
import { toMinorUnits } from '../../domain/money.js';

const enc = encodeURIComponent;
export const PATHS = {
  // from the seed
  tenantUrls: 'management-resources/api/tenant/urls',
  users: 'user-resources/api/user',
  consents: (userId: string) => `consent-resources/api/user/id/${enc(userId)}/consent`,
  consent: (userId: string, consentId: string) => `consent-resources/api/user/id/${enc(userId)}/consent/${enc(consentId)}`,
  startUpdate: (userId: string, consentId: string) => `update-resources/api/user/id/${enc(userId)}/consent/${enc(consentId)}/update`,
  update: (userId: string, updateId: string) => `update-resources/api/user/id/${enc(userId)}/update/${enc(updateId)}`,
  // invented
  banks: 'bank-resources/api/bank',
  accounts: (userId: string) => `account-information-resources/api/user/id/${enc(userId)}/account`,
  transactions: (userId: string, accountId: string) => `account-information-resources/api/user/id/${enc(userId)}/account/${enc(accountId)}/transaction`,
  kyc: (userId: string, consentId: string) => `kyc-resources/api/user/id/${enc(userId)}/consent/${enc(consentId)}/kyc`,
} as const;

/** [INVENTED; the older API used an `api-clientID` header] */
export const authHeaders = (clientId: string, clientSecret: string) => ({ 'api-clientID': clientId, 'api-clientSecret': clientSecret });

/** query names of the transaction list */
export const TX_QUERY = { from: 'dateFrom', to: 'dateTo', page: 'page', size: 'size', firstPage: 0 } as const;

/** what the final redirect to our redirectUrl carries (the seed leaves it undocumented) */
export const CALLBACK_PARAMS = { consentId: 'consentId', status: 'status', error: 'error' } as const;

export const tenantUrlsSchema = z.object({ redirectUrls: z.array(z.string()).default([]), updateCallbackUrls: z.array(z.string()).nullish() });
/** the seed names the created user's id `userId` in prose; the field's name in the answer is not public */
export const userSchema = z.object({ id: z.string().optional(), userId: z.string().optional(), clientId: z.string().nullish() })
  .refine((u) => u.id || u.userId, 'the created user has no id').transform((u) => ({ ...u, id: (u.id || u.userId)! }));
export const consentSchema = z.object({
  id: z.string(),
  userId: z.string().optional(),
  bankId: z.string().nullish(),
  bankIdType: z.string().nullish(),
  status: z.string(),
  authorizationUrl: z.string().nullish(),
  redirectUrl: z.string().nullish(),
  validTo: z.string().nullish(),
});
export type BanqwareConsent = z.output<typeof consentSchema>;
export const updateSchema = z.object({ id: z.string(), consentId: z.string().optional(), status: z.string(), error: z.string().nullish(), incremental: z.boolean().optional() });
export type BanqwareUpdate = z.output<typeof updateSchema>;
export const bankSchema = z.object({ id: z.string(), name: z.string(), country: z.string().nullish(), bic: z.string().nullish() });
export const kycSchema = z.object({ ownerName: z.string(), address: z.string().nullish() });
export const errorSchema = z.object({ errorCode: z.union([z.string(), z.number()]), errorMessage: z.string().optional() });

const decimal = z.union([z.string(), z.number()]);
const balanceSchema = z.object({ amount: decimal, currency: z.string().regex(/^[A-Z]{3}$/), type: z.string(), referenceDate: z.string().nullish() });
export const accountSchema = z.object({
  id: z.string(),
  consentId: z.string().nullish(),
  iban: z.string().nullish(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  name: z.string().nullish(),
  product: z.string().nullish(),
  ownerName: z.string().nullish(),
  balances: z.array(balanceSchema).default([]),
});
export type BanqwareAccount = z.output<typeof accountSchema>;

const party = z.object({ iban: z.string().nullish() }).nullish();
export const transactionSchema = z.object({
  id: z.string(),
  bookingDate: z.string().nullish(),
  valueDate: z.string().nullish(),
  transactionDate: z.string().nullish(),
  amount: decimal,
  currency: z.string().regex(/^[A-Z]{3}$/),
  creditDebitIndicator: z.enum(['DBIT', 'CRDT']).nullish(),
  status: z.string().nullish(),
  creditorName: z.string().nullish(),
  creditorAccount: party,
  debtorName: z.string().nullish(),
  debtorAccount: party,
  remittanceInformationUnstructured: z.string().nullish(),
});
export type BanqwareTransaction = z.output<typeof transactionSchema>;
/** Spring-style page (rows read one by one, ../rows.ts); without its paging fields (or as a bare list) the client reads
 * on while pages come back full */
export const transactionPageSchema = z.union([
  z.object({
    content: z.array(z.unknown()),
    page: z.number().int().nullish(),
    size: z.number().int().nullish(),
    totalElements: z.number().int().nullish(),
    totalPages: z.number().int().nullish(),
  }),
  z.array(z.unknown()).transform((content) => ({ content, totalPages: null })),
]);

/** consent statuses (seed: requested, given; the rest invented) */
export const CONSENT = { requested: 'requested', given: 'given', rejected: 'rejected', expired: 'expired', revoked: 'revoked' } as const;
/** update statuses (seed: completed; the rest invented) */
export const UPDATE = { pending: 'pending', inProgress: 'inProgress', completed: 'completed', failed: 'failed' } as const;
/** update errors that mean the consent is gone, not the bank */
export const UPDATE_CONSENT_ERRORS: Record<string, 'expired' | 'revoked'> = { CONSENT_EXPIRED: 'expired', CONSENT_REVOKED: 'revoked', CONSENT_DELETED: 'revoked' };

const TYPES: Record<string, AccountType> = { current: 'current', savings: 'savings', card: 'card', loan: 'loan', investment: 'investment' };

export function toInstitution(b: z.output<typeof bankSchema>): Institution {
  return { id: b.id, name: b.name, country: b.country ?? undefined, methods: ['redirect'] };
}

export function toRemoteAccount(a: BanqwareAccount, institutionName: string | null): RemoteAccount {
  const booked = a.balances.find((b) => b.type === 'closingBooked' || b.type === 'interimBooked' || b.type === 'expected');
  const avail = a.balances.find((b) => b.type === 'interimAvailable' || b.type === 'closingAvailable' || b.type === 'forwardAvailable');
  return {
    remoteId: a.id,
    iban: a.iban ?? null,
    name: a.name || a.iban || a.id,
    type: TYPES[(a.product ?? '').toLowerCase()] ?? 'other',
    currency: a.currency,
    balanceCurrent: booked ? toMinorUnits(booked.amount, booked.currency) : null,
    balanceCurrentDate: booked?.referenceDate?.slice(0, 10) ?? null,
    balanceAvailable: avail ? toMinorUnits(avail.amount, avail.currency) : null,
    balanceAvailableDate: avail?.referenceDate?.slice(0, 10) ?? null,
    institutionName,
    enabled: true,
  };
}

export const rowDate = (t: BanqwareTransaction): string => (t.bookingDate ?? t.transactionDate ?? t.valueDate ?? '').slice(0, 10);

export function toRemoteTransaction(t: BanqwareTransaction): RemoteTransaction {
  let minor = toMinorUnits(t.amount, t.currency);
  const unsigned = typeof t.amount === 'string' ? !/^[+-]/.test(t.amount.trim()) : t.amount >= 0;
  if (unsigned && t.creditDebitIndicator === 'DBIT') minor = -minor;
  const out = minor < 0 || t.creditDebitIndicator === 'DBIT';
  const pending = (t.status ?? '').toLowerCase() === 'pending' || !t.bookingDate;
  return {
    remoteId: t.id,
    bookingDate: rowDate(t),
    valueDate: t.valueDate?.slice(0, 10) ?? null,
    amount: minor,
    currency: t.currency,
    status: pending ? 'pending' : 'booked',
    description: t.remittanceInformationUnstructured ?? (out ? t.creditorName : t.debtorName) ?? '',
    counterpartyName: (out ? t.creditorName : t.debtorName) ?? null,
    counterpartyIban: (out ? t.creditorAccount?.iban : t.debtorAccount?.iban) ?? null,
    raw: t,
  };
}
