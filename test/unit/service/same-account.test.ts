// The same bank account through two aggregators (issue 19, part 1), with the real Powens and Everifin clients against
// the sandbox's emulators over HTTP: Tatra Demo Banka's accounts reached through both are named at linking, and once
// the user keeps both copies anyway the overview lists each once, the totals and net worth count it once and the
// all-accounts transaction list does not double its rows.
import { describe, expect, it } from 'vitest';
import { createMemoryPrefsStore } from '../../../main/service/index.js';
import { allRows, completeLink } from '../../reliability/harness.js';
import { demoWorld } from '../../reliability/world.js';

describe('Tatra Demo Banka through Powens and through Everifin', () => {
  const world = demoWorld({ providers: ['powens', 'everifin', 'ecb'], dir: 'same-account', cipherKey: '5a'.repeat(32), now: '2026-06-17T12:00:00Z',
    months: null, prefs: createMemoryPrefsStore({ baseCurrency: 'EUR' }) });

  it('is one set of accounts to the user', async () => {
    const { service } = world;
    const tatra = (await service.call('institutions.list', { provider: 'powens', query: 'Tatra' }))[0];
    const viaPowens = await completeLink(service, await service.call('link.begin', { provider: 'powens', institutionId: tatra.id }));
    await service.call('link.chooseAccounts', { connectionId: viaPowens.connectionId, accountIds: viaPowens.accounts.map((a) => a.id) });
    await service.idle();
    const totalsBefore = await service.call('overview.totals', undefined);
    const rowsBefore = (await allRows(service)).length;
    const worthBefore = (await service.call('networth.get', { base: 'EUR' })).total;

    const viaEverifin = await completeLink(service, await service.call('link.begin', { provider: 'everifin' }));
    // linking names the accounts Powens already reaches (the user may renew that connection instead)
    const named = viaEverifin.alreadyLinked.map((l) => l.accountId);
    expect(named.length).toBe(viaPowens.accounts.length);
    expect(new Set(viaEverifin.alreadyLinked.map((l) => l.connectionId))).toEqual(new Set([viaPowens.connectionId]));
    // the user keeps only the Tatra copies: both connections now reach the same accounts
    await service.call('link.chooseAccounts', { connectionId: viaEverifin.connectionId, accountIds: named });
    await service.idle();

    const accounts = await service.call('accounts.list', undefined);
    const copies = accounts.filter((a) => a.connectionId === viaEverifin.connectionId && a.selected);
    expect(copies).toHaveLength(named.length);
    for (const copy of copies) {
      const powensCopy = accounts.find((a) => a.connectionId === viaPowens.connectionId && a.iban === copy.iban && a.currency === copy.currency)!;
      expect(copy.sameAccount).toMatchObject({ primaryId: expect.any(Number) });
      expect(copy.sameAccount!.copies.map((c) => c.provider).sort()).toEqual(['everifin', 'powens']);
      expect(copy.sameAccount!.copies.map((c) => c.accountId).sort()).toEqual([powensCopy.id, copy.id].sort());
    }
    expect(await service.call('overview.totals', undefined)).toEqual(totalsBefore);
    expect((await service.call('networth.get', { base: 'EUR' })).total).toBe(worthBefore);
    const rows = await allRows(service);
    expect(rows).toHaveLength(rowsBefore);
    // each copy's own rows are there when asked for by name
    expect((await service.call('transactions.list', { accountIds: [copies[0].id], sort: 'date_desc', limit: 5 })).rows.length).toBeGreaterThan(0);
  }, 120_000);
});
