// What finAPI's published contract allows and the client must read (issue 16): Access V2 account types
// (`Checking`, `CreditCard`… [V2 account_type.py]), a null `accountCurrency` [V2 account.py, V1 spec], and enum values
// finAPI may add later (updateStatus, aisConsent.status, UpdateResult, Web Form and task statuses).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finapiConsentState } from '../../../../main/providers/finapi/consent.js';
import { accountTypeOf, mapAccount } from '../../../../main/providers/finapi/index.js';
import { AccountSchema, BankConnectionSchema, TaskSchema, WebFormSchema } from '../../../../main/providers/finapi/schemas.js';
import { parseLossless } from '../../../../main/providers/json.js';
import { ProviderError } from '../../../../main/providers/provider.js';
import { allPages } from '../pages.js';
import { Browser, completeWebForm, link, REDIRECT, someLogin, startFinapi, type Env } from './harness.js';

const NOW = new Date('2026-06-01T12:00:00Z');

/** A fetch that rewrites the JSON body of the answers whose path ends with `suffix`. */
function rewriting(suffix: RegExp, edit: (body: any) => any): typeof fetch {
  return async (input, init) => {
    const r = await fetch(input, init);
    if (!suffix.test(new URL(String(input)).pathname) || r.status >= 300) return r;
    return new Response(JSON.stringify(edit(JSON.parse(await r.text()))), { status: r.status, headers: { 'content-type': 'application/json' } });
  };
}

describe('finAPI account types as Access sends them', () => {
  it('maps every Access V2 AccountType wire value (and the Web Form spelling) to its kind', () => {
    expect(['Checking', 'Savings', 'CreditCard', 'Security', 'Loan', 'Membership', 'Bausparen'].map(accountTypeOf))
      .toEqual(['current', 'savings', 'card', 'investment', 'loan', 'other', 'loan']);
    expect(['CHECKING', 'CREDIT_CARD', 'SomethingNew'].map(accountTypeOf)).toEqual(['current', 'card', 'other']);
    const a = AccountSchema.parse(parseLossless('{"id":5,"bankConnectionId":1,"accountName":"Giro","iban":null,"accountNumber":"1","accountCurrency":"EUR","accountType":"Checking","balance":1.5}'));
    expect(mapAccount(a, 'Bank')).toMatchObject({ type: 'current', currency: 'EUR', balanceCurrent: 150 });
  });
});

describe('finAPI enums read tolerantly', () => {
  it('a new updateStatus, consent status, update result, web form or task status parses', () => {
    const c = BankConnectionSchema.parse({
      id: '1', updateStatus: 'QUEUED', bank: { id: '2', name: 'B' },
      interfaces: [{ bankingInterface: 'XS2A', aisConsent: { status: 'PARTIALLY_PRESENT', expiresAt: null },
        lastAutoUpdate: { result: 'PARTIAL', errorMessage: null, errorType: 'OTHER', timestamp: '2026-05-31T10:00:00.000+00:00' } }],
    });
    expect(c.updateStatus).toBe('QUEUED');
    expect(WebFormSchema.parse({ id: 'w', url: 'https://x.example/w', type: 'BANK_CONNECTION_IMPORT', status: 'PAUSED' }).status).toBe('PAUSED');
    expect(TaskSchema.parse({ id: 't', status: 'CANCELLED', payload: { webForm: { id: 'w', url: 'u', status: 'PAUSED' } } }).status).toBe('CANCELLED');
    // the consent keeps the raw value, and is a temporary state (the sync goes on and looks again next time)
    expect(finapiConsentState(c, NOW)).toMatchObject({ state: 'failing', providerCode: 'AIS_CONSENT_PARTIALLY_PRESENT' });
    const withPresent = { ...c, interfaces: [{ ...c.interfaces![0], aisConsent: { status: 'PRESENT', expiresAt: null } }] };
    expect(finapiConsentState(withPresent, NOW)).toMatchObject({ state: 'failing', providerCode: 'PARTIAL' });
  });
});

describe('finAPI client against the emulator, with answers the contract allows', () => {
  let env: Env;
  beforeAll(async () => { env = await startFinapi({ options: { perPage: '25' } }); });
  afterAll(() => env.close());

  it('the emulator sends Access account types (Checking, Savings, CreditCard), which map to their kinds', async () => {
    const { ctx, login } = await link(env, someLogin(env.ledger, 2));
    const raw = await (await fetch(`${env.url}/api/v2/accounts`, { headers: { authorization: `Bearer ${ctx.secrets.accessToken}` } })).json() as any;
    expect(raw.accounts.length).toBeGreaterThan(0);
    for (const a of raw.accounts) expect(['Checking', 'Savings', 'CreditCard']).toContain(a.accountType);
    const demo = env.ledger.accounts({ bankId: login.bankId, username: login.username });
    for (const a of await env.provider.listAccounts(ctx)) expect(a.type).toBe(demo.find((d) => d.iban === a.iban)!.type);
  });

  it('an account without a currency takes the one its rows name; one with neither is left out, the others stay', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 5));
    const accounts = await env.provider.listAccounts(ctx);
    expect(accounts.length).toBeGreaterThan(0);
    const [first] = accounts;
    // every account header loses its currency
    const noHeader = env.make({ fetch: rewriting(/\/api\/v2\/accounts(\/\d+)?$/, (b) => {
      for (const a of b.accounts ?? [b]) a.accountCurrency = null;
      return b;
    }) });
    const listed = await noHeader.listAccounts(ctx);
    const withRows = [];
    for (const a of accounts) {
      const rows = (await allPages(env.provider, ctx, a.remoteId, { from: '2000-01-01', to: env.world.clock.today() })).rows;
      if (rows.length) withRows.push(a);
    }
    expect(listed.map((a) => [a.remoteId, a.currency, a.balanceCurrent])).toEqual(withRows.map((a) => [a.remoteId, a.currency, a.balanceCurrent]));
    // ...and rows without a currency on such an account still read, in the currency the account's rows name
    const page = await noHeader.fetchTransactions(ctx, first.remoteId, { from: '2000-01-01', to: env.world.clock.today(), cursor: null });
    expect(page.transactions.every((t) => t.currency === first.currency)).toBe(true);
    // no currency anywhere: the account is left out (never a guessed EUR) and the sync of the others goes on
    const none = env.make({ fetch: async (input, init) => {
      const path = new URL(String(input)).pathname;
      const r = await fetch(input, init);
      if (!/\/api\/v2\/(accounts(\/\d+)?|transactions|pendingTransactions)$/.test(path)) return r;
      const text = (await r.text()).replace(/"(accountCurrency|currency)":"[A-Z]{3}"/g, '"$1":null');
      return new Response(text, { status: r.status, headers: { 'content-type': 'application/json' } });
    } });
    expect(await none.listAccounts(ctx)).toEqual([]);
    const e = await none.fetchTransactions(ctx, first.remoteId, { from: '2000-01-01', to: env.world.clock.today(), cursor: null }).catch((x) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.message).toMatch(/no currency/);
  });

  it('a new updateStatus keeps the link waiting; READY finishes it', async () => {
    let odd = true;
    const p = env.make({ fetch: rewriting(/\/api\/v2\/bankConnections\/\d+$/, (b) => ({ ...b, updateStatus: odd ? 'QUEUED' : b.updateStatus })) });
    const login = someLogin(env.ledger, 9);
    const step = await p.beginLink({ redirectUri: REDIRECT, state: 's' });
    if (step.kind !== 'redirect') throw new Error('expected a redirect');
    const bank = env.ledger.banks().find((b) => b.id === login.bankId)!;
    const back = await completeWebForm(step.url, { username: login.username, password: login.password, search: bank.name, bankName: bank.name }, new Browser());
    const waiting = await p.completeLink(step.pending, { kind: 'callback', url: back });
    expect(waiting.kind).toBe('wait');
    odd = false;
    let next = waiting;
    for (let i = 0; i < 100 && next.kind === 'wait'; i++) next = await p.completeLink(next.pending, { kind: 'poll' });
    expect(next.kind).toBe('done');
  });

  it('a new web form status keeps the link waiting with the raw status shown', async () => {
    const p = env.make({ fetch: rewriting(/\/api\/webForms\/[^/]+$/, (b) => ({ ...b, status: 'PAUSED' })) });
    const step = await p.beginLink({ redirectUri: REDIRECT, state: 's' });
    if (step.kind !== 'redirect') throw new Error('expected a redirect');
    const next = await p.completeLink(step.pending, { kind: 'poll' });
    expect(next).toMatchObject({ kind: 'wait', message: expect.stringContaining('PAUSED') });
  });

  it('a new background task status ends the wait and the sync reads what finAPI has', async () => {
    const { ctx } = await link(env, someLogin(env.ledger, 11));
    const messages: string[] = [];
    const p = env.make({ fetch: rewriting(/\/api\/tasks\/(backgroundUpdate|[^/]+)$/, (b) => ({ ...b, status: 'CANCELLED' })) });
    const consent = await p.refreshConnection(ctx, { userPresent: true, onProgress: (m) => messages.push(m) });
    expect(consent.state).toBe('active');
    expect(messages.join('\n')).toContain('CANCELLED');
  });
});
