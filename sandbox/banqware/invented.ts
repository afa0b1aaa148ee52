// [INVENTED] Banqware PSD2 API Hub shapes the public sources do not give (../shared/providers/banqware.md §4, §8).
// Known from the seed: the management/user/consent/update paths and request bodies, consent statuses `requested`/`given`,
// update status `completed`. Everything else — authentication headers, response field names, the other statuses, the
// account-information, KYC and bank-list paths and their rows, the error envelope — is a placeholder kept here so that
// correcting it later is one edit (plus main/providers/banqware/invented.ts). Nothing else in the emulator names them.
import type { DemoAccount, DemoBank, DemoLogin, DemoTransaction } from '../core/bank.js';

export const PATHS = {
  // from the seed
  tenantUrls: '/management-resources/api/tenant/urls',
  users: '/user-resources/api/user',
  consents: '/consent-resources/api/user/id/:userId/consent',
  consent: '/consent-resources/api/user/id/:userId/consent/:consentId',
  startUpdate: '/update-resources/api/user/id/:userId/consent/:consentId/update',
  update: '/update-resources/api/user/id/:userId/update/:updateId',
  // invented
  user: '/user-resources/api/user/id/:userId',
  consentUpdate: '/update-resources/api/user/id/:userId/consent/:consentId/update/:updateId',
  banks: '/bank-resources/api/bank',
  accounts: '/account-information-resources/api/user/id/:userId/account',
  transactions: '/account-information-resources/api/user/id/:userId/account/:accountId/transaction',
  kyc: '/kyc-resources/api/user/id/:userId/consent/:consentId/kyc',
  /** Banqware-hosted start of the bank authorization (the consent's authorizationUrl) */
  authorize: '/sandbox-bank/authorize/:consentId',
} as const;

/** [INVENTED; the older API used an `api-clientID` header] how a tenant authenticates */
export const AUTH_HEADERS = { clientId: 'api-clientid', clientSecret: 'api-clientsecret' } as const;

export type ConsentStatus = 'requested' | 'given' | 'rejected' | 'expired' | 'revoked';
export type UpdateStatus = 'pending' | 'inProgress' | 'completed' | 'failed';

export interface ConsentRecord {
  id: string; userId: string; bankId: string; bankIdType: string; status: ConsentStatus; redirectUrl: string;
  authorizationUrl: string; validTo: string | null; createdAt: string; username: string | null; accountIds: string[];
}
export interface UpdateRecord { id: string; userId: string; consentId: string; status: UpdateStatus; error: string | null; createdAt: string; finishedAt: string | null; incremental: boolean }

export const consentBody = (c: ConsentRecord) => ({
  id: c.id, userId: c.userId, bankId: c.bankId, bankIdType: c.bankIdType, status: c.status,
  authorizationUrl: c.authorizationUrl, redirectUrl: c.redirectUrl, validTo: c.validTo, createdAt: c.createdAt,
});
export const updateBody = (u: UpdateRecord) => ({
  id: u.id, consentId: u.consentId, status: u.status, error: u.error, createdAt: u.createdAt, finishedAt: u.finishedAt, incremental: u.incremental,
});
export const errorBody = (errorCode: string, errorMessage: string) => ({ errorCode, errorMessage });

export const bankRow = (b: DemoBank) => ({ id: b.id, name: b.name, country: b.country, bic: b.bic, bankIdTypes: ['id', 'bic'] });

export function accountRow(a: DemoAccount, remoteId: string, consentId: string, ownerName: string, balance: string, available: string, at: string) {
  return {
    id: remoteId, consentId, iban: a.iban, currency: a.currency, name: a.name, product: a.type, ownerName,
    balances: [
      { amount: balance, currency: a.currency, type: 'closingBooked', referenceDate: at.slice(0, 10) },
      { amount: available, currency: a.currency, type: 'interimAvailable', referenceDate: at.slice(0, 10) },
    ],
  };
}

/** Berlin-Group-like transaction row */
export function transactionRow(t: DemoTransaction, ownIban: string) {
  const out = t.amount.startsWith('-');
  return {
    id: t.id,
    bookingDate: t.status === 'booked' ? t.bookingDate : null,
    valueDate: t.valueDate,
    transactionDate: t.bookingDate,
    amount: t.amount,
    currency: t.currency,
    creditDebitIndicator: out ? 'DBIT' : 'CRDT',
    status: t.status,
    creditorName: out ? t.counterpartyName : null,
    creditorAccount: out ? { iban: t.counterpartyIban } : { iban: ownIban },
    debtorName: out ? null : t.counterpartyName,
    debtorAccount: out ? { iban: ownIban } : { iban: t.counterpartyIban },
    remittanceInformationUnstructured: t.description,
  };
}

/** page envelope of the transaction list (Spring-style) */
export const pageBody = <T>(content: T[], page: number, size: number, total: number) => ({
  content, page, size, totalElements: total, totalPages: Math.max(1, Math.ceil(total / size)),
});

export const kycBody = (l: DemoLogin) => ({ ownerName: l.ownerName, address: l.address, source: 'bank' });
