// finAPI Access V2 / Web Form 2.0 JSON shapes built from the demo Ledger.
// Field names follow ../shared/providers/finapi.md (V2 names, [SPEC][V2]). Where the notes are silent the
// choice is INVENTED and marked so here, in this one file: which interface a demo bank offers, the
// Access type texts, the numeric ids given to ledger rows, and the timestamps' exact format.
import { LosslessNumber, stringify } from 'lossless-json';
import type { DemoAccount, DemoBank, DemoTransaction } from '../core/bank.js';
import type { SandboxResponse } from '../core/http.js';

/** JSON reply whose money amounts stay exact decimals on the wire (finAPI sends amounts as JSON numbers). */
export function finJson(status: number, body: unknown, headers: Record<string, string> = {}): SandboxResponse {
  return { status, body: stringify(body) ?? '', headers: { 'content-type': 'application/json', ...headers } };
}

/** A decimal string written as a JSON number, exactly as given ("-12.30" stays -12.30). */
export const amount = (decimal: string): LosslessNumber => new LosslessNumber(decimal);

/** Access V2 timestamp: RFC 3339 with milliseconds (`YYYY-MM-DDTHH:MM:SS.SSSXXX`). */
export const accessTs = (d: Date): string => d.toISOString().replace('Z', '+00:00');
/** Web Form 2.0 timestamp: `yyyy-MM-dd'T'HH:mm:ss.SSSZ` (RFC 822 zone). */
export const webFormTs = (d: Date): string => d.toISOString().replace('Z', '+0000');

/** Access `AccountType` wire values (V1 [SPEC] and V2 [V2 account_type.py]): `Checking`, `Savings`, `CreditCard`… */
export const ACCOUNT_TYPE: Record<DemoAccount['type'], string> = { current: 'Checking', savings: 'Savings', card: 'CreditCard' };
/** Web Form 2.0 spells the card type differently (CREDIT_CARD) [SPEC]. */
export const WEBFORM_ACCOUNT_TYPE: Record<DemoAccount['type'], string> = { current: 'CHECKING', savings: 'SAVINGS', card: 'CREDIT_CARD' };

/** INVENTED: every demo bank offers one XS2A interface whose login is a user id and a PIN. */
export function bankJson(id: number, b: DemoBank) {
  return {
    id,
    name: b.name,
    bic: b.bic,
    // INVENTED: a demo bank's BLZ (the Access V2 Bank has `blz`, required) from its id
    blz: String(id).padStart(8, '0').slice(-8),
    blzs: [],
    location: b.country,
    city: null,
    isTestBank: true,
    isBeta: false,
    popularity: 0,
    interfaces: [{
      bankingInterface: 'XS2A',
      tppAuthenticationGroup: null,
      loginCredentials: [
        { label: 'Onlinebanking-ID', isSecret: false, isVolatile: false },
        { label: 'PIN', isSecret: true, isVolatile: false },
      ],
      properties: ['REDIRECT_APPROACH'],
      loginHint: `Demo bank of the sandbox (${b.country}).`,
      health: 100,
      lastCommunicationAttempt: null,
      lastSuccessfulCommunication: null,
      isAisSupported: true,
      isMoneyTransferSupported: false,
      paymentCapabilities: { sepaMoneyTransfer: false, sepaInstantMoneyTransfer: false, sepaCollectiveMoneyTransfer: false, sepaFutureDatedMoneyTransfer: false, sepaStandingOrder: false },
      aisAccountTypes: Object.values(ACCOUNT_TYPE),
    }],
    bankGroup: null,
  };
}

/** `BankConnectionOwner` [SPEC][V2]: first and last name (there is no single `name`), the rest unknown to the demo. */
export function ownerJson(fullName: string) {
  const [firstName, ...rest] = fullName.split(' ');
  return { firstName, lastName: rest.join(' ') || null, salutation: null, title: null, email: null, dateOfBirth: null, postCode: null, country: null, city: null, street: null, houseNumber: null };
}

export interface UpdateResultJson { result: 'OK' | 'BANK_SERVER_REJECTION' | 'INTERNAL_SERVER_ERROR'; errorMessage: string | null; errorType: 'BUSINESS' | 'TECHNICAL' | null; timestamp: string }

export function accountJson(id: number, connId: number, a: DemoAccount, ownerName: string, balance: string, available: string, lastUpdate: Date | null) {
  return {
    id,
    bankConnectionId: connId,
    accountName: a.name,
    iban: a.iban,
    accountNumber: a.iban.slice(-10),
    subAccountNumber: null,
    accountHolderName: ownerName,
    accountHolderId: null,
    accountCurrency: a.currency,
    accountType: ACCOUNT_TYPE[a.type],
    balance: amount(balance),
    overdraft: null,
    overdraftLimit: null,
    availableFunds: amount(available),
    isNew: false,
    isSeized: false,
    interfaces: [{
      bankingInterface: 'XS2A',
      status: 'UPDATED',
      capabilities: ['DATA_DOWNLOAD'],
      paymentCapabilities: { sepaMoneyTransfer: false, sepaCollectiveMoneyTransfer: false, sepaBasicMoneyTransfer: false, sepaInstantMoneyTransfer: false, sepaDirectDebit: false, sepaBasicDirectDebit: false, sepaB2BDirectDebit: false },
      lastSuccessfulUpdate: lastUpdate ? accessTs(lastUpdate) : null,
      lastUpdateAttempt: lastUpdate ? accessTs(lastUpdate) : null,
    }],
  };
}

/** INVENTED: the Access `type` text ("Lastschrift"/"Gutschrift") from the sign. */
const typeText = (t: DemoTransaction) => (t.amountMinor < 0 ? 'Lastschrift' : 'Gutschrift');

/** Booked row (`Transaction`, V2): `counterpart…` names, `endToEndReference`, `differentDebitor`. */
export function transactionJson(id: number, accountId: number, t: DemoTransaction) {
  return {
    id,
    parentId: null,
    accountId,
    valueDate: t.valueDate,
    bankBookingDate: t.bookingDate,
    finapiBookingDate: t.bookingDate,
    amount: amount(t.amount),
    currency: t.currency,
    purpose: t.description,
    counterpartName: t.counterpartyName,
    counterpartAccountNumber: null,
    counterpartIban: t.counterpartyIban,
    counterpartBlz: null,
    counterpartBic: null,
    counterpartBankName: null,
    counterpartMandateReference: null,
    counterpartCustomerReference: null,
    counterpartCreditorId: null,
    counterpartDebitorId: null,
    type: typeText(t),
    typeCodeZka: t.amountMinor < 0 ? '005' : '051',
    typeCodeSwift: null,
    sepaPurposeCode: null,
    bankTransactionCode: null,
    bankTransactionCodeDescription: null,
    primanota: null,
    category: null,
    labels: [],
    isPotentialDuplicate: false,
    isAdjustingEntry: false,
    isNew: false,
    importDate: accessTs(new Date(t.createdAt)),
    children: [],
    paypalData: null,
    certisData: null,
    endToEndReference: null,
    compensationAmount: null,
    originalAmount: null,
    originalCurrency: null,
    feeAmount: null,
    feeCurrency: null,
    differentDebitor: null,
    differentCreditor: null,
  };
}

/** Pending row (`PendingTransaction`, V2 only): `counterparty…` names, `endToEndId`, `differentDebtor`. */
export function pendingTransactionJson(id: number, accountId: number, t: DemoTransaction) {
  return {
    id,
    accountId,
    importDate: accessTs(new Date(t.createdAt)),
    valueDate: t.valueDate,
    bankBookingDate: null,
    amount: amount(t.amount),
    currency: t.currency,
    purpose: t.description,
    counterpartyName: t.counterpartyName,
    counterpartyIban: t.counterpartyIban,
    counterpartyAccountNumber: null,
    counterpartyBlz: null,
    counterpartyBic: null,
    counterpartyBankName: null,
    counterpartyMandateReference: null,
    counterpartyCustomerReference: null,
    counterpartyCreditorId: null,
    counterpartyDebtorId: null,
    endToEndId: null,
    type: typeText(t),
    typeCodeZka: null,
    typeCodeSwift: null,
    sepaPurposeCode: null,
    bankTransactionCode: null,
    bankTransactionCodeDescription: null,
    primanota: null,
    compensationAmount: null,
    originalAmount: null,
    originalCurrency: null,
    feeAmount: null,
    feeCurrency: null,
    differentDebtor: null,
    differentCreditor: null,
    paypalData: null,
    certisData: null,
  };
}

/** finAPI's error body (`ErrorMessage`, §5). */
export function accessError(status: number, code: string, message: string, endpoint: string, type: 'BUSINESS' | 'TECHNICAL' = 'BUSINESS', headers: Record<string, string> = {}) {
  return finJson(status, {
    errors: [{ message, code, type, multiStepAuthentication: null }],
    date: accessTs(new Date()),
    requestId: headers['x-request-id'] ?? null,
    endpoint,
    authContext: null,
    bank: null,
  }, headers);
}

/** Web Form 2.0 `Error` body. */
export function webFormError(status: number, code: string, description: string, endpoint: string, now: Date) {
  return finJson(status, { code, description, timestamp: webFormTs(now), endpoint });
}

/** Web Form 2.0 `ValidationError` body (400). */
export function webFormValidation(errors: Array<{ field: string; message: string }>, endpoint: string, now: Date) {
  return finJson(400, { errors, timestamp: webFormTs(now), endpoint });
}

/** Access token errors use the OAuth body, not ErrorMessage [SPEC]. */
export const oauthError = (status: number, error: string, description: string) => finJson(status, { error, error_description: description });
