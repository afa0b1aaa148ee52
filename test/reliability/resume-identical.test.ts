// A later sync stopped after its first committed page and resumed, against the finAPI emulator, after 3,000 card payments
// were added on one day (the control API's add-transactions). Many of them are genuinely identical (same shop, amount and
// text on the same day); the resumed sync must still end with exactly the ledger's rows, each identical payment its own row.
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { link } from './harness.js';
import { demoWorld } from './world.js';

describe('a resumed finAPI sync after 3,000 new rows on one day', () => {
  const world = demoWorld({ providers: ['finapi'], dir: 'resume', cipherKey: 'cd'.repeat(32) });

  it('ends with every ledger row, identical payments included', async () => {
    const { sandbox, service, dataDir } = world;
    const done = await link(service, 'finapi');
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    const db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
    try {
      const iban = db.prepare('select iban from accounts where connection_id = ? and iban is not null order by id limit 1').pluck().get(done.connectionId) as string;
      const account = sandbox.ledger.accounts().find((a) => a.iban === iban)!;
      sandbox.ledger.addTransactions(account.id, 3000);
      const shape = (rows: Array<{ bookingDate: string; amount: number; status: string }>) => rows.map((r) => `${r.bookingDate}/${r.amount}/${r.status}`).sort();
      const ledgerRows = shape(sandbox.ledger.transactions(account.id).map((t) => ({ bookingDate: t.bookingDate, amount: t.amountMinor, status: t.status })));
      expect(new Set(ledgerRows).size, 'the added rows hold identical payments').toBeLessThan(ledgerRows.length - 20);

      // stop the sync after its first committed page of transactions (the 'transactions' progress event follows the commit)
      let stopped = false;
      const off = service.on('sync.progress', (p) => {
        if (p.phase !== 'transactions' || stopped) return;
        stopped = true;
        void service.call('sync.cancel', { connectionId: done.connectionId });
      });
      sandbox.world.clock.advance(3_600_000);
      await service.call('sync.run', { connectionId: done.connectionId });
      await service.idle();
      off();
      expect(stopped).toBe(true);
      expect(db.prepare('select outcome from sync_runs where connection_id = ? order by id desc limit 1').pluck().get(done.connectionId)).toBe('cancelled');
      expect(db.prepare('select resume_json from sync_cursors s join accounts a on a.id = s.account_id where a.iban = ?').pluck().get(iban)).toMatch(/pageCursor":"b:2"/);

      sandbox.world.clock.advance(60_000);
      await service.call('sync.run', { connectionId: done.connectionId });
      await service.idle();
      expect(db.prepare('select outcome from sync_runs where connection_id = ? order by id desc limit 1').pluck().get(done.connectionId)).toBe('ok');
      const local = shape(db.prepare(`select t.booking_date as bookingDate, t.amount, t.status from transactions t join accounts a on a.id = t.account_id
        where a.iban = ? and t.retired_at is null and t.deleted_at is null`).all(iban) as Array<{ bookingDate: string; amount: number; status: string }>);
      expect(local.length).toBe(ledgerRows.length);
      expect(local).toEqual(ledgerRows);
    } finally {
      db.close();
    }
  }, 120_000);
});
