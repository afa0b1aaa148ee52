// Contract fuzzing, Enable Banking: for every route a link and a sync read, 200 answers generated from Enable Banking's
// own reference (sandbox/enablebanking/openapi/openapi.yml, unchanged) are served over HTTP on 127.0.0.1 to the real
// EnableBankingProvider. Each must map, or fail only the row (or bank) it concerns; no listing or page fails for one.
//
// Patches to the in-memory copy of the reference (the file stays as published):
// | # | where                                  | the file says      | the copy says          | why |
// |---|----------------------------------------|--------------------|------------------------|-----|
// | 1 | AmountType.currency, AccountResource.currency | type: string | format: iso-4217       | any text would be an unknown currency every time: real codes make amounts readable (all exponents the app knows) |
// | 2 | formats date, date-time, uuid, uri     | standard formats   | generators in test/helpers/contract-fuzz.ts | dates from the seeded random, never the clock |
// The test itself gives three rows in four of a page the account's currency (a bank answers in its account's currency).
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnableBankingProvider } from '../../../main/providers/enablebanking/index.js';
import { CONSENT_STATES } from '../../../main/domain/types.js';
import { transactionId } from '../../../main/providers/enablebanking/mapping.js';
import { Transaction } from '../../../main/providers/enablebanking/schemas.js';
import type { ConnectionContext } from '../../../main/providers/provider.js';
import { everySample, exactly, loadSpec, responseSchema, samples, specValidator, startStub, toJsonSchema, type Stub } from '../../helpers/contract-fuzz.js';

const SPEC = path.resolve(import.meta.dirname, '../../../sandbox/enablebanking/openapi/openapi.yml');
const N = 200;
const NOW = new Date('2026-11-20T10:00:00Z');
const REDIRECT = 'https://multibank.example/enablebanking/callback';

type Json = Record<string, any>;
const ctx: ConnectionContext = { connectionId: 1, remote: { sessionId: 's-1', aspspName: 'Bank', aspspCountry: 'FI' }, secrets: {}, saveSecrets: () => {} };

describe('Enable Banking: answers generated from the published reference map, or fail only their row', () => {
  let spec: any;
  let stub: Stub;
  const body: Record<string, unknown> = {};
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const provider = () => new EnableBankingProvider({ provider: 'enablebanking', baseUrl: stub.url, clientId: 'app', clientSecret: key, options: { redirectUrl: REDIRECT } }, { now: () => NOW });

  beforeAll(async () => {
    spec = JSON.parse(JSON.stringify(await loadSpec(SPEC)).replaceAll('"uuid4"', '"uuid"'));
    const iso4217 = (s: Json) => { s.format = 'iso-4217'; };
    iso4217(responseSchema(spec, 'GET', '/accounts/{account_id}/balances').properties.balances.items.properties.balance_amount.properties.currency); // patch 1
    iso4217(responseSchema(spec, 'GET', '/accounts/{account_id}/details').properties.currency);
    stub = await startStub([
      { method: 'GET', path: /^\/aspsps$/, body: () => body.aspsps },
      { method: 'POST', path: /^\/sessions$/, body: () => body.authorized },
      { method: 'GET', path: /^\/sessions\/[^/]+$/, body: () => body.session },
      { method: 'GET', path: /\/details$/, body: () => body.details },
      { method: 'GET', path: /\/balances$/, body: () => body.balances },
      { method: 'GET', path: /\/transactions$/, body: () => body.transactions },
    ]);
  });
  afterAll(() => stub?.close());

  const made = new Map<string, Json[]>();
  function generate(method: string, route: string, seed: number): Json[] {
    const k = `${method} ${route} ${seed}`;
    if (!made.has(k)) {
      const schema = toJsonSchema(responseSchema(spec, method, route));
      const xs = samples(schema, N, seed) as Json[];
      const invalid = specValidator(schema);
      expect(xs.map(invalid).filter(Boolean), 'the generator made a body the reference rejects').toEqual([]);
      made.set(k, xs);
    }
    return made.get(k)!;
  }

  it('banks: every bank of each of 200 lists is offered (by name and country)', async () => {
    let offered = 0;
    const problems = await everySample(generate('GET', '/aspsps', 1701), async (list) => {
      body.aspsps = list;
      const institutions = await provider().listInstitutions('');
      expect(institutions.length).toBe(list.aspsps.filter((b: Json) => b.name).length);
      offered += institutions.length;
    });
    expect(problems).toEqual([]);
    expect(offered).toBeGreaterThan(N / 4);
  });

  it('session: each of 200 sessions gives a consent state', async () => {
    const states = new Set<string>();
    const problems = await everySample(generate('GET', '/sessions/{session_id}', 1702), async (s) => {
      body.session = s;
      const consent = await provider().consent(ctx);
      expect(CONSENT_STATES).toContain(consent.state);
      states.add(consent.state);
    });
    expect(problems).toEqual([]);
    expect(states.size).toBeGreaterThan(2);
  });

  it('authorised session: each of 200 POST /sessions answers finishes the link', async () => {
    const problems = await everySample(generate('POST', '/sessions', 1703), async (s) => {
      body.authorized = s;
      const pending = { v: 1, purpose: 'link', aspspName: 'Bank', aspspCountry: 'FI', redirectUrl: REDIRECT, state: 'st', oldSessionId: null };
      const done = await provider().completeLink(pending, { kind: 'callback', url: `${REDIRECT}?code=c&state=st` });
      expect(done.kind).toBe('done');
      if (done.kind === 'done') expect(done.connection.remote.sessionId).toBe(s.session_id);
    });
    expect(problems).toEqual([]);
  });

  it('accounts: each of 200 accounts with 200 balance lists is listed; an odd balance is left empty, never the account', async () => {
    const details = generate('GET', '/accounts/{account_id}/details', 1704);
    const balances = generate('GET', '/accounts/{account_id}/balances', 1705);
    let withBalance = 0;
    const problems = await everySample(details, async (d, i) => {
      body.session = { ...generate('GET', '/sessions/{session_id}', 1702)[0], status: 'AUTHORIZED', access: { valid_until: '2027-01-01T00:00:00Z' }, accounts: ['3fa85f64-5717-4562-b3fc-2c963f66afa6'] };
      body.details = d;
      // a bank reports balances in the account's currency, mostly
      body.balances = { balances: balances[i].balances.map((b: Json, j: number) => (j % 3 === 2 ? b : { ...b, balance_amount: { ...b.balance_amount, currency: d.currency } })) };
      const [a] = await provider().listAccounts(ctx);
      expect(a).toMatchObject({ remoteId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', currency: d.currency });
      if (a.balanceCurrent !== null || a.balanceAvailable !== null) withBalance++;
    });
    expect(problems).toEqual([]);
    expect(withBalance).toBeGreaterThan(N / 20);
  });

  it('transactions: in each of 200 pages every row maps or is kept aside with its reason; the page never fails', async () => {
    let mapped = 0, aside = 0;
    const problems = await everySample(generate('GET', '/accounts/{account_id}/transactions', 1706), async (generated) => {
      const list: Json = { ...generated, transactions: generated.transactions.map((t: Json, j: number) => (j % 4 === 3 ? t : { ...t, transaction_amount: { ...t.transaction_amount, currency: 'EUR' } })) };
      body.transactions = list;
      const page = await provider().fetchTransactions(ctx, 'uid', { from: '2015-01-01', to: '2030-12-31', cursor: JSON.stringify({ key: 'k', currency: 'EUR' }) });
      expect(page.transactions.length + (page.unreadable?.length ?? 0)).toBeLessThanOrEqual(list.transactions.length);
      for (const t of list.transactions as Json[]) {
        if (t.status === 'CNCL' || t.status === 'RJCT') continue; // nothing to record
        const parsed = Transaction.safeParse(t);
        const id = parsed.success ? transactionId(parsed.data) : null;
        const got = id === null ? undefined : page.transactions.find((x) => x.remoteId === id);
        if (!got) {
          const ref = typeof t.entry_reference === 'string' && t.entry_reference ? t.entry_reference : null;
          expect(page.unreadable!.some((u) => u.remoteId === ref), `row ${JSON.stringify(t).slice(0, 120)} was neither mapped nor kept aside`).toBe(true);
          continue;
        }
        const exact = exactly(t.transaction_amount.amount, 'EUR');
        if (exact !== undefined) expect(Math.abs(got.amount)).toBe(Math.abs(exact));
        expect(got.amount <= 0).toBe(t.credit_debit_indicator === 'DBIT' || got.amount === 0);
        expect(got.status).toBe(t.status === 'BOOK' || t.status === 'OTHR' ? 'booked' : 'pending');
      }
      expect(page.nextCursor === null).toBe(!list.continuation_key);
      mapped += page.transactions.length;
      aside += page.unreadable?.length ?? 0;
    });
    expect(problems).toEqual([]);
    expect(mapped).toBeGreaterThan(N / 40);
    expect(aside).toBeGreaterThan(N / 40);
  });
});
