// Category rules on a real sync against the Powens emulator: payments the bank adds after the first sync are categorized
// by the rules as they are written (first match wins), the rows already stored are left alone until the rules are
// applied on request (with a count first), and a category set by hand survives both.
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { link } from './harness.js';
import { demoWorld } from './world.js';

describe('category rules on a real sync', () => {
  const world = demoWorld({ providers: ['powens'], dir: 'categories', cipherKey: 'ab'.repeat(32) });

  it('categorizes new rows at the sync, past rows on request, and never a hand-set one', async () => {
    const { sandbox, service, dataDir } = world;
    const done = await link(service, 'powens');
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    const db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
    try {
      const local = db.prepare(`select id, iban from accounts where connection_id = ? and iban is not null and
        (select count(*) from transactions t where t.account_id = accounts.id and t.amount < 0) > 5 order by id limit 1`).get(done.connectionId) as { id: number; iban: string };
      const account = sandbox.ledger.accounts().find((a) => a.iban === local.iban)!;
      const rows = () => db.prepare('select id, counterparty_name AS name, amount, category, category_by AS by, first_seen_at AS seen from transactions where account_id = ? order by id')
        .all(local.id) as Array<{ id: number; name: string | null; amount: number; category: string | null; by: string | null; seen: string }>;
      const firstSync = rows();
      expect(firstSync.every((r) => r.category === null)).toBe(true);

      // the bank adds payments; the rules are made before the next sync
      const added = sandbox.ledger.addTransactions(account.id, 30);
      const counts = new Map<string, number>();
      for (const t of added) counts.set(t.counterpartyName!, (counts.get(t.counterpartyName!) ?? 0) + 1);
      const [merchant] = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
      const categories = await service.call('categories.list', undefined);
      const id = (name: string) => categories.find((c) => c.name === name)!.id;
      await service.call('rules.add', { categoryId: id('Groceries'), text: merchant.toLowerCase(), accountId: local.id });
      await service.call('rules.add', { categoryId: id('Other'), direction: 'out', accountId: local.id });
      // one stored payment categorized by hand
      const byHand = firstSync.find((r) => r.amount < 0)!;
      await service.call('transactions.update', { id: byHand.id, category: 'Health' });

      sandbox.world.clock.advance(3_600_000);
      await service.call('sync.run', { connectionId: done.connectionId });
      await service.idle();
      expect(db.prepare('select outcome from sync_runs where connection_id = ? order by id desc limit 1').pluck().get(done.connectionId)).toBe('ok');

      const after = rows();
      const fresh = after.filter((r) => !firstSync.some((f) => f.id === r.id));
      expect(fresh).toHaveLength(30);
      for (const r of fresh) {
        expect([r.name, r.category, r.by]).toEqual([r.name, r.name === merchant ? 'Groceries' : 'Other', 'rule']);
      }
      expect(fresh.filter((r) => r.category === 'Groceries')).toHaveLength(counts.get(merchant)!);
      // rows stored before the rules existed: untouched by the sync; the hand-set one as it was
      const old = after.filter((r) => firstSync.some((f) => f.id === r.id));
      expect(old.filter((r) => r.id !== byHand.id).every((r) => r.category === null && r.by === null)).toBe(true);
      expect(old.find((r) => r.id === byHand.id)).toMatchObject({ category: 'Health', by: 'user' });

      // on request, with a count first: every stored outflow of the account but the hand-set one
      const expected = old.filter((r) => r.amount < 0 && r.id !== byHand.id).length;
      expect(expected).toBeGreaterThan(0);
      expect(await service.call('rules.apply', { dryRun: true })).toEqual({ count: expected });
      expect(rows().filter((r) => r.category === null && r.amount < 0)).toHaveLength(expected);
      expect(await service.call('rules.apply', { dryRun: false })).toEqual({ count: expected });
      expect(rows().find((r) => r.id === byHand.id)).toMatchObject({ category: 'Health', by: 'user' });
      expect(rows().filter((r) => r.amount < 0 && r.category === null)).toEqual([]);

      // the category filter lists exactly those rows
      const listed = await service.call('transactions.list', { accountIds: [local.id], category: 'Groceries', sort: 'date_desc', limit: 500 });
      expect(listed.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(rows().filter((r) => r.category === 'Groceries').map((r) => r.id));
      const spending = await service.call('accounts.spendingByCategory', { accountId: local.id, months: 12 });
      expect(spending.map((s) => s.category).sort()).toEqual(expect.arrayContaining(['Groceries', 'Health', 'Other']));
    } finally {
      db.close();
    }
  }, 120_000);
});
