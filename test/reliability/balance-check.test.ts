// The balance check on real syncs against every aggregator's emulator: the balances each one reports and the history it
// serves agree, so two syncs days apart report no missing history (a false "History incomplete" would cry wolf).
// Enable Banking's link returns to a page of the user's own (pasted back), which this harness's link() does not drive.
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../main/domain/types.js';
import { link } from './harness.js';
import { demoWorld } from './world.js';

describe('balance check on real syncs', () => {
  const providers = PROVIDER_IDS.filter((p) => p !== 'enablebanking');
  const world = demoWorld({ providers, dir: 'balance-check', cipherKey: 'ef'.repeat(32) });

  it.each(providers)('%s: no history reported missing after syncs days apart', async (provider) => {
    const { sandbox, service } = world;
    const done = await link(service, provider);
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    sandbox.world.clock.advance(2 * 86_400_000);
    await service.call('sync.run', { connectionId: done.connectionId });
    await service.idle();
    // every account has the bank's balance of two different days
    const db = new Database(join(world.dataDir, 'multibank.db'), { readonly: true });
    try {
      for (const a of done.accounts) {
        expect(db.prepare("SELECT count(DISTINCT date) FROM balances WHERE kind = 'booked' AND account_id = ?").pluck().get(a.id), a.name).toBe(2);
      }
    } finally {
      db.close();
    }
    const gaps = (await service.call('accounts.historyGaps', {})).filter((g) => done.accounts.some((a) => a.id === g.accountId));
    expect(gaps).toEqual([]);
  }, 120_000);
});

describe('a gap in the stored history on real syncs', () => {
  const world = demoWorld({ providers: ['powens'], dir: 'balance-gap', cipherKey: '12'.repeat(32) });

  it('is reported with its size and days, and goes when a later sync brings the rows back', async () => {
    const { sandbox, service, dataDir } = world;
    const done = await link(service, 'powens');
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    const first = sandbox.world.clock.now().toISOString().slice(0, 10);
    const account = done.accounts.find((a) => a.type === 'current' && a.currency === 'EUR')!;
    // five days later the bank has booked more; a sync stores them
    for (let i = 0; i < 5; i++) { sandbox.world.clock.advance(86_400_000); sandbox.ledger.addTransactions(sandbox.ledger.accounts().find((a) => a.iban === account.iban)!.id, 2); }
    await service.call('sync.run', { connectionId: done.connectionId });
    await service.idle();
    const second = sandbox.world.clock.now().toISOString().slice(0, 10);
    expect(await service.call('accounts.historyGaps', { accountId: account.id })).toEqual([]);

    // rows of those days lost here (as after a consent gap): the balance check sees the money they moved missing
    const db = new Database(join(dataDir, 'multibank.db'));
    let lost: number;
    try {
      lost = db.prepare(`SELECT sum(amount) FROM transactions WHERE account_id = ? AND status = 'booked' AND booking_date > ? AND booking_date <= ?`)
        .pluck().get(account.id, first, second) as number;
      db.prepare('DELETE FROM transactions WHERE account_id = ? AND booking_date > ? AND booking_date <= ?').run(account.id, first, second);
    } finally {
      db.close();
    }
    expect(lost).toBeLessThan(0);
    const gaps = await service.call('accounts.historyGaps', { accountId: account.id });
    expect(gaps).toMatchObject([{ accountId: account.id, from: first, to: second, missing: lost, currency: 'EUR' }]);
    expect(gaps[0].notice).toEqual({ id: 'gap.missing', values: { amount: { id: 'money', values: { minor: -lost, currency: 'EUR' } },
      direction: 'out', from: { id: 'date', values: { iso: first } }, to: { id: 'date', values: { iso: second } } } });
    expect(gaps[0].message).toMatch(/^History incomplete: €[\d,.]+ of money out is missing between .+ and .+: .*Renew the connection and sync, or import a bank statement/);

    // the next sync reaches back over those days and brings them again
    sandbox.world.clock.advance(3_600_000);
    await service.call('sync.run', { connectionId: done.connectionId });
    await service.idle();
    expect(await service.call('accounts.historyGaps', { accountId: account.id })).toEqual([]);
  }, 120_000);
});
