// Renewal re-matching through the service: a scripted aggregator whose renewal gives new account ids and no IBANs
// (two cards in the same currency). Evidence decides when it can; otherwise the 'match' step asks, and the answer
// keeps history under the same local accounts with no duplicates.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LinkStepDto } from '../../../preload/contract/channels.js';
import { AppError } from '../../../main/domain/errors.js';
import { silentLogger } from '../../../main/log/index.js';
import { MATCH_PENDING_MESSAGE } from '../../../main/linking/links.js';
import { english } from '../../../main/domain/errors.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { GOOD_SECRET, scriptedWorld } from '../service/scripted-provider.js';
import { cardRegistry, twinCardsWorld } from './cards.js';

const open: MultibankService[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function linkedCards(world = scriptedWorld(), clock = { now: '2026-11-24T12:00:00Z' }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'mb-match-'));
  dirs.push(dataDir);
  const service = await createService({
    dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(), redirectMode: 'custom_scheme',
    now: () => new Date(clock.now), providers: cardRegistry(world), logger: silentLogger, background: false,
  });
  open.push(service);
  await service.call('providers.configure', { provider: 'powens', baseUrl: 'https://aggregator.example', clientId: 'client-1', clientSecret: GOOD_SECRET, options: {} });
  const first = await link(service);
  if (first.kind !== 'done') throw new Error('first link did not finish');
  await service.call('link.chooseAccounts', { connectionId: first.connectionId, accountIds: first.accounts.map((a) => a.id) });
  await service.idle();
  const before = (await service.call('transactions.list', { sort: 'date_asc', limit: 50 })).rows;
  return { service, world, connectionId: first.connectionId, accounts: first.accounts, before };
}

/** begin (or renew), come back from the browser, and return the step the link stopped at */
async function link(service: MultibankService, renewConnectionId?: number): Promise<LinkStepDto> {
  const step = await service.call('link.begin', { provider: 'powens', institutionId: 'bank-1', ...(renewConnectionId ? { renewConnectionId } : {}) });
  if (step.kind !== 'redirect') throw new Error(`expected a redirect, got ${step.kind}`);
  const state = new URL(step.url).searchParams.get('state')!;
  expect(await service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${state}`)).toBe(true);
  return service.call('link.poll', { linkId: step.linkId });
}

async function rejects(p: Promise<unknown>, code: string) {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
}

describe('renewal re-matching', () => {
  it('overlapping recent transactions pick the local card by themselves', async () => {
    const { service, connectionId, accounts, before } = await linkedCards();
    const renewed = await link(service, connectionId);
    expect(renewed.kind).toBe('done');
    if (renewed.kind !== 'done') return;
    // A-g2 continues "Card A" (two transactions in common), B-g2 continues "Card B"
    expect(renewed.accounts.map((a) => [a.id, a.name])).toEqual(accounts.map((a) => [a.id, a.name]));
    await service.idle();
    expect((await service.call('transactions.list', { sort: 'date_asc', limit: 50 })).rows.map((t) => [t.id, t.accountId])).toEqual(before.map((t) => [t.id, t.accountId]));
    expect((await service.call('accounts.list', undefined)).map((a) => a.id)).toEqual(accounts.map((a) => a.id));
  });

  it('after a long lapse the evidence comes from the month the local history ends in', async () => {
    const clock = { now: '2026-11-24T12:00:00Z' };
    const { service, connectionId, accounts, before } = await linkedCards(scriptedWorld(), clock);
    clock.now = '2027-03-01T12:00:00Z'; // three months without access: nothing of the last month is stored locally
    const renewed = await link(service, connectionId);
    if (renewed.kind !== 'done') throw new Error(`expected done, got ${renewed.kind}`);
    expect(renewed.accounts.map((a) => a.id)).toEqual(accounts.map((a) => a.id));
    await service.idle();
    expect((await service.call('transactions.list', { sort: 'date_asc', limit: 50 })).rows.map((t) => t.id)).toEqual(before.map((t) => t.id));
  });

  it('equal evidence asks with the candidates; the answer continues history under the chosen accounts, no duplicates', async () => {
    const { service, connectionId, accounts, before } = await linkedCards(twinCardsWorld());
    const [cardA, cardB] = accounts;
    expect(before).toHaveLength(4);

    const asked = await link(service, connectionId);
    if (asked.kind !== 'match') throw new Error(`expected a match step, got ${asked.kind}`);
    expect(asked.connectionId).toBe(connectionId);
    expect(asked.questions.map((q) => [q.remoteKey, q.name, q.maskedIban, q.currency])).toEqual([['A-g2', 'Card A', null, 'EUR'], ['B-g2', 'Card B', null, 'EUR']]);
    for (const q of asked.questions) {
      expect(q.candidates).toEqual([
        { accountId: cardA.id, name: 'Card A', maskedIban: null, number: null, type: 'card', currency: 'EUR', lastTransactionDate: '2026-11-03', overlaps: 2 },
        { accountId: cardB.id, name: 'Card B', maskedIban: null, number: null, type: 'card', currency: 'EUR', lastTransactionDate: '2026-11-03', overlaps: 2 },
      ]);
    }
    // nothing attached yet; the connection waits for the user (background sync skips it)
    expect((await service.call('accounts.list', undefined)).map((a) => a.id)).toEqual([cardA.id, cardB.id]);
    expect((await service.call('connections.list', undefined))[0]).toMatchObject({ state: 'needs_user', message: english(MATCH_PENDING_MESSAGE), notice: MATCH_PENDING_MESSAGE });
    expect(await service.call('link.poll', { linkId: asked.linkId })).toEqual(asked);

    // answers are checked: every question once, only offered accounts, no account twice
    await rejects(service.call('link.match', { linkId: asked.linkId, choices: [{ remoteKey: 'A-g2', accountId: cardA.id }] }), 'validation');
    await rejects(service.call('link.match', { linkId: asked.linkId, choices: [{ remoteKey: 'A-g2', accountId: cardA.id }, { remoteKey: 'B-g2', accountId: cardA.id }] }), 'validation');
    await rejects(service.call('link.match', { linkId: asked.linkId, choices: [{ remoteKey: 'A-g2', accountId: 999 }, { remoteKey: 'B-g2', accountId: cardB.id }] }), 'validation');
    await rejects(service.call('link.match', { linkId: asked.linkId, choices: [{ remoteKey: 'A-g2', accountId: cardA.id }, { remoteKey: 'B-g2', accountId: cardB.id }, { remoteKey: 'Z', accountId: null }] }), 'validation');

    const done = await service.call('link.match', { linkId: asked.linkId, choices: [{ remoteKey: 'B-g2', accountId: cardB.id }, { remoteKey: 'A-g2', accountId: cardA.id }] });
    if (done.kind !== 'done') throw new Error('expected done');
    expect(done.accounts.map((a) => a.id)).toEqual([cardA.id, cardB.id]);
    await service.idle();
    const [conn] = await service.call('connections.list', undefined);
    expect(conn).toMatchObject({ state: 'active', accountCount: 2, lastErrorCode: null });
    expect((await service.call('transactions.list', { sort: 'date_asc', limit: 50 })).rows.map((t) => [t.id, t.accountId])).toEqual(before.map((t) => [t.id, t.accountId]));
    expect((await service.call('sync.log', { limit: 1 }))[0]).toMatchObject({ outcome: 'ok', newCount: 0 });
    await rejects(service.call('link.match', { linkId: asked.linkId, choices: [] }), 'validation');
  });

  it('"new account" keeps the old card and its history apart; a cancelled question leaves the data as it was', async () => {
    const { service, connectionId, accounts, before } = await linkedCards(twinCardsWorld());

    const cancelled = await link(service, connectionId);
    if (cancelled.kind !== 'match') throw new Error('expected a match step');
    await service.call('link.cancel', { linkId: cancelled.linkId });
    await rejects(service.call('link.match', { linkId: cancelled.linkId, choices: [] }), 'link_expired');
    expect((await service.call('accounts.list', undefined)).map((a) => a.id)).toEqual(accounts.map((a) => a.id));
    expect((await service.call('transactions.list', { sort: 'date_asc', limit: 50 })).rows).toEqual(before);

    const asked = await link(service, connectionId);
    if (asked.kind !== 'match') throw new Error('expected a match step');
    expect(asked.questions.map((q) => q.remoteKey)).toEqual(['A-g3', 'B-g3']);
    const done = await service.call('link.match', { linkId: asked.linkId, choices: [{ remoteKey: 'A-g3', accountId: accounts[0].id }, { remoteKey: 'B-g3', accountId: null }] });
    if (done.kind !== 'done') throw new Error('expected done');
    expect(done.accounts[0].id).toBe(accounts[0].id);
    expect(accounts.map((a) => a.id)).not.toContain(done.accounts[1].id);
    const all = await service.call('accounts.list', undefined);
    expect(all.map((a) => a.id)).toEqual([...accounts.map((a) => a.id), done.accounts[1].id]);
  });
});
