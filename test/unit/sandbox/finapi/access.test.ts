// The finAPI emulator's Access answers, as the client reads them during link and sync, validated against finAPI's
// published Access file. finAPI's V2 spec file itself is not public (../shared/providers/SOURCES.md); the published
// one is V1 (sandbox/finapi/openapi/access-v1.yaml, unchanged copy). V2 is V1 without what V1 marks deprecated, with
// V2 paths and a few renames [DOC migration guide][V2 generated client], so the V1 schemas are read as V2 in memory:
//  1. /api/v2/... is looked up as /api/v1/..., /api/v2/oauth/token as /oauth/token;
//  2. a property whose description starts "THIS FIELD IS DEPRECATED", or that the V2 model no longer has (V2_FIELDS),
//     is no longer required (V2 removed those; e.g. BankConnection.lastAutoUpdate moved into its interfaces);
//  3. `interface` is spelled `bankingInterface` (BankConnectionInterface, AccountInterface, BankInterface) [V2];
//  4. a property the V2 model declares optional may be null (e.g. Transaction.category, Account.accountCurrency);
//  5. V2 timestamps are RFC 3339 where V1 wrote German local time: both are plain strings in the file, nothing to do.
// Every Access route a sync reads is checked. The one V1 lacks, GET /api/v2/pendingTransactions (V2-only
// [DOC api-v2-exclusive-features]), is checked against the field names and required fields of the generated V2
// client's PendingTransaction model (V2_PENDING): no other field, none missing.
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import ResponseValidatorModule from 'openapi-response-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPages } from '../../providers/pages.js';
import { link, someLogin, startFinapi, type Env } from '../../providers/finapi/harness.js';

const OpenAPIResponseValidator = ((ResponseValidatorModule as unknown as { default?: unknown }).default ?? ResponseValidatorModule) as typeof ResponseValidatorModule.default;
const SPEC = path.resolve(import.meta.dirname, '../../../../sandbox/finapi/openapi/access-v1.yaml');

/** PendingTransaction of the generated V2 client (src/finapi_access/models/pending_transaction.py). */
const V2_PENDING = {
  props: ['id', 'accountId', 'importDate', 'valueDate', 'bankBookingDate', 'amount', 'currency', 'purpose', 'counterpartyName', 'counterpartyIban',
    'counterpartyAccountNumber', 'counterpartyBlz', 'counterpartyBic', 'counterpartyBankName', 'counterpartyMandateReference',
    'counterpartyCustomerReference', 'counterpartyCreditorId', 'counterpartyDebtorId', 'endToEndId', 'type', 'typeCodeZka', 'typeCodeSwift',
    'sepaPurposeCode', 'bankTransactionCode', 'bankTransactionCodeDescription', 'primanota', 'compensationAmount', 'originalAmount',
    'originalCurrency', 'feeAmount', 'feeCurrency', 'differentDebtor', 'differentCreditor', 'paypalData', 'certisData'],
  required: ['id', 'accountId', 'importDate', 'valueDate', 'amount'],
};
/** The response of GET /api/v2/pendingTransactions (PageablePendingTransactionResources), with V1's Paging. */
const pendingResponses = {
  200: { content: { 'application/json': { schema: {
    type: 'object', required: ['pendingTransactions', 'paging'], additionalProperties: false,
    properties: {
      pendingTransactions: { type: 'array', items: { type: 'object', required: V2_PENDING.required, additionalProperties: false, properties: Object.fromEntries(V2_PENDING.props.map((p) => [p, {}])) } },
      paging: { $ref: '#/components/schemas/Paging' },
    },
  } } } },
};

/**
 * Property names of the V2 models, and which of them are optional, as the client generated from finAPI's V2 spec declares
 * them (norman-finance/finapi-webform-and-access, src/finapi_access/models/*.py, app version 2.38.0).
 */
const V2_FIELDS: Record<string, { props: string[]; optional: string[] }> = {
  Bank: { props: ['id', 'name', 'bic', 'blz', 'location', 'city', 'isTestBank', 'popularity', 'interfaces', 'bankGroup', 'isBeta', 'logo', 'icon'], optional: ['bankGroup', 'bic', 'city', 'icon', 'location', 'logo'] },
  BankInterface: { props: ['bankingInterface', 'tppAuthenticationGroup', 'loginCredentials', 'properties', 'loginHint', 'health', 'lastCommunicationAttempt', 'lastSuccessfulCommunication', 'isAisSupported', 'isPisSupported', 'paymentCapabilities', 'paymentConstraints', 'aisAccountTypes'], optional: ['lastCommunicationAttempt', 'lastSuccessfulCommunication', 'loginHint', 'paymentConstraints', 'tppAuthenticationGroup'] },
  BankConnection: { props: ['id', 'name', 'updateStatus', 'categorizationStatus', 'interfaces', 'accountIds', 'owners', 'bank'], optional: ['name', 'owners'] },
  BankConnectionInterface: { props: ['bankingInterface', 'loginCredentials', 'defaultTwoStepProcedureId', 'twoStepProcedures', 'aisConsent', 'lastManualUpdate', 'lastAutoUpdate', 'userActionRequired', 'maxDaysForDownload'], optional: ['aisConsent', 'defaultTwoStepProcedureId', 'lastAutoUpdate', 'lastManualUpdate'] },
  Account: { props: ['id', 'bankConnectionId', 'accountName', 'iban', 'accountNumber', 'subAccountNumber', 'accountHolderName', 'accountHolderId', 'accountCurrency', 'accountType', 'balance', 'overdraft', 'overdraftLimit', 'availableFunds', 'isNew', 'interfaces', 'isSeized'], optional: ['accountCurrency', 'accountHolderId', 'accountHolderName', 'accountName', 'availableFunds', 'balance', 'iban', 'overdraft', 'overdraftLimit', 'subAccountNumber'] },
  AccountInterface: { props: ['bankingInterface', 'status', 'capabilities', 'paymentCapabilities', 'lastSuccessfulUpdate', 'lastUpdateAttempt'], optional: ['lastSuccessfulUpdate', 'lastUpdateAttempt'] },
  Transaction: {
    props: ['id', 'parentId', 'accountId', 'valueDate', 'bankBookingDate', 'finapiBookingDate', 'amount', 'currency', 'purpose', 'counterpartName', 'counterpartAccountNumber', 'counterpartIban', 'counterpartBlz', 'counterpartBic', 'counterpartBankName', 'counterpartMandateReference', 'counterpartCustomerReference', 'counterpartCreditorId', 'counterpartDebitorId', 'type', 'typeCodeZka', 'typeCodeSwift', 'sepaPurposeCode', 'bankTransactionCode', 'bankTransactionCodeDescription', 'primanota', 'category', 'labels', 'isPotentialDuplicate', 'isAdjustingEntry', 'isNew', 'importDate', 'children', 'paypalData', 'certisData', 'endToEndReference', 'compensationAmount', 'originalAmount', 'originalCurrency', 'feeAmount', 'feeCurrency', 'differentDebitor', 'differentCreditor'],
    optional: ['bankTransactionCode', 'bankTransactionCodeDescription', 'category', 'certisData', 'children', 'compensationAmount', 'counterpartAccountNumber', 'counterpartBankName', 'counterpartBic', 'counterpartBlz', 'counterpartCreditorId', 'counterpartCustomerReference', 'counterpartDebitorId', 'counterpartIban', 'counterpartMandateReference', 'counterpartName', 'currency', 'differentCreditor', 'differentDebitor', 'endToEndReference', 'feeAmount', 'feeCurrency', 'originalAmount', 'originalCurrency', 'parentId', 'paypalData', 'primanota', 'purpose', 'sepaPurposeCode', 'type', 'typeCodeSwift', 'typeCodeZka'],
  },
  BankConnectionOwner: { props: ['firstName', 'lastName', 'salutation', 'title', 'email', 'dateOfBirth', 'postCode', 'country', 'city', 'street', 'houseNumber'], optional: ['firstName', 'lastName', 'salutation', 'title', 'email', 'dateOfBirth', 'postCode', 'country', 'city', 'street', 'houseNumber'] },
  User: { props: ['id', 'password', 'email', 'phone', 'isAutoUpdateEnabled'], optional: ['email', 'phone'] },
  AccessToken: { props: ['scope', 'access_token', 'token_type', 'refresh_token', 'expires_in'], optional: ['refresh_token'] },
  UpdateResult: { props: ['result', 'errorMessage', 'errorType', 'timestamp'], optional: ['errorMessage', 'errorType'] },
};

type Spec = { paths: Record<string, Record<string, { responses: Record<string, any> }>>; components: { schemas: Record<string, any> } };

/** V1 schemas read as V2 (header, 2 to 4). */
function asV2(schemas: Record<string, any>): void {
  for (const [name, schema] of Object.entries(schemas)) {
    const props = schema?.properties as Record<string, any> | undefined;
    if (!props) continue;
    if (props.interface && !props.bankingInterface) {
      props.bankingInterface = props.interface;
      delete props.interface;
      if (Array.isArray(schema.required)) schema.required = schema.required.map((p: string) => (p === 'interface' ? 'bankingInterface' : p));
    }
    const v2 = V2_FIELDS[name];
    const gone = (p: string) => /^THIS FIELD IS DEPRECATED/.test(String(props[p]?.description ?? '')) || (v2 !== undefined && !v2.props.includes(p));
    if (Array.isArray(schema.required)) schema.required = schema.required.filter((p: string) => !gone(p));
    for (const p of v2?.optional ?? []) if (props[p]) props[p] = { anyOf: [props[p], { enum: [null] }] };
  }
}

describe('finAPI emulator Access answers conform to the published Access file (V1 read as V2)', () => {
  let env: Env;
  let spec: Spec;
  const recorded: Array<{ method: string; path: string; status: number; text: string }> = [];
  const recording: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    recorded.push({ method: (init?.method ?? 'GET').toUpperCase(), path: new URL(String(input)).pathname, status: res.status, text: await res.clone().text() });
    return res;
  };

  beforeAll(async () => {
    spec = (await SwaggerParser.parse(SPEC)) as unknown as Spec;
    asV2(spec.components.schemas);
    env = await startFinapi({ deps: { fetch: recording }, options: { perPage: '25' } });
  });
  afterAll(() => env?.close());

  const validators = new Map<string, InstanceType<typeof OpenAPIResponseValidator>>();
  const validatorFor = (template: string, responses: any) => {
    let v = validators.get(template);
    if (!v) {
      v = new OpenAPIResponseValidator({ responses, components: spec.components as any, customFormats: { int64: () => true, int32: () => true, date: () => true, 'date-time': () => true } });
      validators.set(template, v);
    }
    return v;
  };

  function operation(method: string, v2path: string): { template: string; op: any } | undefined {
    if (method === 'GET' && v2path === '/api/v2/pendingTransactions') return { template: '/api/v2/pendingTransactions (V2 model)', op: { responses: pendingResponses } };
    const v1 = v2path === '/api/v2/oauth/token' ? '/oauth/token' : v2path.replace(/^\/api\/v2\//, '/api/v1/');
    for (const [template, item] of Object.entries(spec.paths)) {
      const re = new RegExp('^' + template.replace(/\{[^}]+\}/g, '[^/]+') + '$');
      if (re.test(v1) && item[method.toLowerCase()]) return { template, op: item[method.toLowerCase()] };
    }
    return undefined;
  }

  it('link, accounts, booked and pending pages, refresh and consent: every Access answer validates', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 4));
    const accounts = await env.provider.listAccounts(ctx);
    for (const a of accounts) await allPages(env.provider, ctx, a.remoteId, { from: '2000-01-01', to: env.world.clock.today() });
    await env.provider.consent(ctx);
    await env.provider.listInstitutions('');

    const problems: string[] = [];
    const seen = new Set<string>();
    const unchecked = new Set<string>();
    for (const r of recorded) {
      if (!r.path.startsWith('/api/v2/') || r.status >= 400) continue;
      const key = `${r.method} ${r.path.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
      const found = operation(r.method, r.path);
      if (!found) { unchecked.add(key); continue; }
      seen.add(`${r.method} ${found.template}`);
      const v = validatorFor(`${r.method} ${found.template}`, found.op.responses);
      const errors = v.validateResponse(r.status, r.text ? JSON.parse(r.text) : undefined);
      if (errors) problems.push(`${key} ${r.status}: ${JSON.stringify(errors.errors.slice(0, 3))}`);
    }
    expect(problems).toEqual([]);
    expect([...unchecked]).toEqual([]);
    for (const k of ['POST /oauth/token', 'POST /api/v1/users', 'GET /api/v1/banks', 'GET /api/v1/bankConnections/{id}', 'GET /api/v1/accounts',
      'GET /api/v1/transactions', 'GET /api/v2/pendingTransactions (V2 model)']) expect(seen, k).toContain(k);
  });

  it('the reading has teeth: an upper-case account type, a missing id or a booked-row field on a pending row is reported', async () => {
    const op = operation('GET', '/api/v2/accounts')!;
    const v = validatorFor(`GET ${op.template}`, op.op.responses);
    const raw = recorded.find((r) => r.method === 'GET' && r.path === '/api/v2/accounts' && r.status === 200)!;
    const body = JSON.parse(raw.text);
    expect(v.validateResponse(200, body)).toBeUndefined();
    expect(v.validateResponse(200, { accounts: [{ ...body.accounts[0], accountType: 'CHECKING' }] })).toBeDefined();
    const { id: _id, ...noId } = body.accounts[0];
    expect(v.validateResponse(200, { accounts: [noId] })).toBeDefined();
    // a pending row with the booked rows' spelling (counterpartName) is not a V2 PendingTransaction
    const pending = validatorFor('GET /api/v2/pendingTransactions (V2 model)', pendingResponses);
    const row = { id: 1, accountId: 2, importDate: '2026-01-01T00:00:00.000+00:00', valueDate: '2026-01-01', amount: -1.5 };
    const paging = { page: 1, perPage: 20, pageCount: 1, totalCount: 1 };
    expect(pending.validateResponse(200, { pendingTransactions: [{ ...row, counterpartyName: 'A' }], paging })).toBeUndefined();
    expect(pending.validateResponse(200, { pendingTransactions: [{ ...row, counterpartName: 'A' }], paging })).toBeDefined();
  });
});
