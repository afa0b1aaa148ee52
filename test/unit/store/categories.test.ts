// Categories and rules (migration 13, main/store/categories.ts): the list, rename and remove carried to transactions,
// rule matching (first match wins), a hand-set category never overwritten, rules on new rows in the writer's transaction,
// and the migration from free-text categories.
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteTransaction } from '../../../main/domain/types.js';
import {
  addCategory, addRule, applyRules, listCategories, listRules, moveRule, removeCategory, removeRule, renameCategory, spendingByCategory,
} from '../../../main/store/categories.js';
import { migrate, openDatabase, schemaVersion } from '../../../main/store/db.js';
import { MIGRATIONS } from '../../../main/store/migrations.js';
import { listTransactions } from '../../../main/store/queries.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { cleanupDirs, freshDb, tempDir, tx } from '../sync/scripted.js';

afterEach(cleanupDirs);

/** one EUR account (1) and one JPY account (2) */
function setup() {
  const { db } = freshDb();
  const repos = createRepositories(db);
  repos.accounts.upsertRemote(1, [
    { remoteId: 'A', name: 'Giro', type: 'current', currency: 'EUR' },
    { remoteId: 'B', name: 'Yen', type: 'current', currency: 'JPY' },
  ]);
  const writer = new TransactionWriter(db);
  const write = (accountId: number, txs: RemoteTransaction[], at = '2026-11-20T10:00:00.000Z') => writer.writePage(accountId, txs, new RunContext(at));
  const cat = (remoteId: string) => db.prepare('SELECT category, category_by FROM transactions WHERE remote_id = ?').get(remoteId) as { category: string | null; category_by: string | null };
  const idOf = (name: string) => listCategories(db).find((c) => c.name === name)!.id;
  return { db, repos, write, cat, idOf };
}

describe('categories', () => {
  it('start with a default set the user can add to, rename and remove from', () => {
    const { db, idOf } = setup();
    expect(listCategories(db).map((c) => c.name)).toEqual(['Cash', 'Eating out', 'Entertainment', 'Fees', 'Groceries', 'Health', 'Housing',
      'Income', 'Other', 'Shopping', 'Transfers', 'Transport', 'Utilities']);
    expect(addCategory(db, '  Pets ')).toMatchObject({ name: 'Pets', transactions: 0, rules: 0 });
    expect(() => addCategory(db, 'pets')).toThrow('There is already a category named Pets.');
    expect(renameCategory(db, idOf('Pets'), 'Animals')).toMatchObject({ id: idOf('Animals'), name: 'Animals' });
    expect(() => renameCategory(db, idOf('Animals'), 'groceries')).toThrow(/already a category named Groceries/);
    // a change of case only is a rename, not a clash
    expect(renameCategory(db, idOf('Animals'), 'animals')).toMatchObject({ name: 'animals' });
    expect(() => renameCategory(db, 999, 'X')).toThrow('There is no category with id 999');
  });

  it('a rename applies to every transaction carrying it, keeping who set it', () => {
    const { db, repos, write, cat, idOf } = setup();
    write(1, [tx('t1', '2026-11-01', -500), tx('t2', '2026-11-02', -700)]);
    repos.transactions.update(1, { category: 'Groceries' });
    expect(cat('t1')).toEqual({ category: 'Groceries', category_by: 'user' });
    renameCategory(db, idOf('Groceries'), 'Food');
    expect(cat('t1')).toEqual({ category: 'Food', category_by: 'user' });
    expect(cat('t2')).toEqual({ category: null, category_by: null });
    expect(listCategories(db).find((c) => c.name === 'Food')).toMatchObject({ transactions: 1 });
  });

  it('removing moves its transactions and rules to another category, or leaves them without one and drops its rules', () => {
    const { db, repos, write, cat, idOf } = setup();
    write(1, [tx('t1', '2026-11-01', -500), tx('t2', '2026-11-02', -700)]);
    repos.transactions.update(1, { category: 'Shopping' });
    repos.transactions.update(2, { category: 'Health' });
    addRule(db, { categoryId: idOf('Shopping'), text: 'amazon' });
    addRule(db, { categoryId: idOf('Health'), text: 'pharmacy' });
    expect(() => removeCategory(db, idOf('Shopping'), idOf('Shopping'))).toThrow(/cannot be moved into itself/);
    expect(removeCategory(db, idOf('Shopping'), idOf('Other'))).toEqual({ moved: 1, rulesRemoved: 0 });
    expect(cat('t1')).toEqual({ category: 'Other', category_by: 'user' });
    expect(listRules(db).map((r) => [r.text, r.category])).toEqual([['amazon', 'Other'], ['pharmacy', 'Health']]);
    // without a target: no category, and nobody set it any more (rules may fill it again)
    expect(removeCategory(db, idOf('Health'), null)).toEqual({ moved: 1, rulesRemoved: 1 });
    expect(cat('t2')).toEqual({ category: null, category_by: null });
    expect(listRules(db).map((r) => r.text)).toEqual(['amazon']);
    expect(listCategories(db).map((c) => c.name)).not.toContain('Health');
  });

  it('a name typed on a transaction joins the list, in the spelling the list already has', () => {
    const { db, repos, write, cat } = setup();
    write(1, [tx('t1', '2026-11-01', -500), tx('t2', '2026-11-02', -500)]);
    repos.transactions.update(1, { category: 'groceries' });
    repos.transactions.update(2, { category: 'Holiday fund' });
    expect(cat('t1').category).toBe('Groceries');
    expect(listCategories(db).find((c) => c.name === 'Holiday fund')).toMatchObject({ transactions: 1 });
  });

  it('the list filter takes a category, or null for transactions without one', () => {
    const { db, repos, write } = setup();
    write(1, [tx('t1', '2026-11-01', -500), tx('t2', '2026-11-02', -500), tx('t3', '2026-11-03', -500)]);
    repos.transactions.update(1, { category: 'Fees' });
    repos.transactions.update(3, { category: 'Fees' });
    expect(listTransactions(db, { category: 'Fees' }).rows.map((r) => r.id)).toEqual([3, 1]);
    expect(listTransactions(db, { category: null }).rows.map((r) => r.id)).toEqual([2]);
    expect(listTransactions(db, { category: 'Fees', search: 'payment' }).rows.map((r) => r.id)).toEqual([3, 1]);
  });
});

describe('rules', () => {
  it('match text (no case, no accents) in counterparty or description, amount size, direction and account; the first match wins', () => {
    const { db, write, cat, idOf } = setup();
    addRule(db, { categoryId: idOf('Eating out'), text: 'cafe' });
    addRule(db, { categoryId: idOf('Groceries'), text: 'REWE', minAmount: '5', maxAmount: '100' });
    addRule(db, { categoryId: idOf('Income'), direction: 'in', accountId: 1 });
    addRule(db, { categoryId: idOf('Shopping'), text: 'rewe' });
    write(1, [
      tx('cafe', '2026-11-01', -450, { counterpartyName: 'Café Müller' }),
      tx('rewe-small', '2026-11-01', -499, { counterpartyName: 'REWE Markt' }),
      tx('rewe-mid', '2026-11-01', -500, { counterpartyName: null, description: 'Kartenzahlung rewe markt 123' }),
      tx('rewe-top', '2026-11-01', -10000, { counterpartyName: 'REWE' }),
      tx('rewe-big', '2026-11-01', -10001, { counterpartyName: 'REWE' }),
      tx('salary', '2026-11-01', 250000, { counterpartyName: 'ACME GmbH' }),
      tx('other', '2026-11-01', -300, { counterpartyName: 'Kiosk' }),
    ]);
    expect(['cafe', 'rewe-small', 'rewe-mid', 'rewe-top', 'rewe-big', 'salary', 'other'].map((r) => cat(r).category))
      .toEqual(['Eating out', 'Shopping', 'Groceries', 'Groceries', 'Shopping', 'Income', null]);
    expect(cat('cafe').category_by).toBe('rule');
    // the account condition: money in on the other account is not Income; amounts in JPY (no decimals) compare exactly
    addRule(db, { categoryId: idOf('Fees'), maxAmount: '300', accountId: 2 });
    write(2, [tx('yen-in', '2026-11-01', 5000, { currency: 'JPY' }), tx('yen-fee', '2026-11-01', -300, { currency: 'JPY' }), tx('yen-301', '2026-11-01', -301, { currency: 'JPY' })]);
    expect(['yen-in', 'yen-fee', 'yen-301'].map((r) => cat(r).category)).toEqual([null, 'Fees', null]);
  });

  it('are ordered: moving a rule up changes which one wins', () => {
    const { db, write, cat, idOf } = setup();
    addRule(db, { categoryId: idOf('Shopping'), text: 'amazon' });
    const prime = addRule(db, { categoryId: idOf('Entertainment'), text: 'amazon prime' });
    expect(moveRule(db, prime.id, 0).map((r) => [r.position, r.text])).toEqual([[0, 'amazon prime'], [1, 'amazon']]);
    write(1, [tx('p', '2026-11-01', -899, { counterpartyName: 'Amazon Prime' }), tx('a', '2026-11-01', -2599, { counterpartyName: 'Amazon EU' })]);
    expect([cat('p').category, cat('a').category]).toEqual(['Entertainment', 'Shopping']);
    removeRule(db, prime.id);
    expect(listRules(db).map((r) => r.text)).toEqual(['amazon']);
    expect(() => removeRule(db, prime.id)).toThrow(`There is no rule with id ${prime.id}`);
  });

  it('refuse what cannot work, in plain words', () => {
    const { db, idOf } = setup();
    const groceries = idOf('Groceries');
    expect(() => addRule(db, { categoryId: groceries })).toThrow('A rule needs at least one condition');
    expect(() => addRule(db, { categoryId: groceries, text: '--' })).toThrow('at least one letter or digit');
    expect(() => addRule(db, { categoryId: groceries, minAmount: '-5' })).toThrow('The smallest amount must be a number like 12.50');
    expect(() => addRule(db, { categoryId: groceries, minAmount: '50', maxAmount: '5.5' })).toThrow('The smallest amount (50) is larger than the largest (5.5)');
    expect(() => addRule(db, { categoryId: 999, text: 'x' })).toThrow('There is no category with id 999');
    expect(() => addRule(db, { categoryId: groceries, accountId: 99 })).toThrow('There is no account with id 99');
  });

  it('never overwrite a category set by hand, on a sync or when applied to past transactions', () => {
    const { db, repos, write, cat, idOf } = setup();
    write(1, [tx('t1', '2026-11-01', -500, { counterpartyName: 'REWE' }), tx('t2', '2026-11-02', -700, { counterpartyName: 'REWE' }),
      tx('t3', '2026-11-03', -900, { counterpartyName: 'REWE' }), tx('t4', '2026-11-04', -900, { counterpartyName: 'Kiosk' })]);
    repos.transactions.update(1, { category: 'Eating out' });
    repos.transactions.update(2, { category: null }); // "no category" chosen by hand is a choice too
    addRule(db, { categoryId: idOf('Groceries'), text: 'rewe' });
    expect(applyRules(db, { dryRun: true })).toEqual({ count: 1 });
    expect(cat('t3')).toEqual({ category: null, category_by: null });
    expect(applyRules(db)).toEqual({ count: 1 });
    expect([cat('t1'), cat('t2'), cat('t3'), cat('t4')]).toEqual([
      { category: 'Eating out', category_by: 'user' }, { category: null, category_by: 'user' },
      { category: 'Groceries', category_by: 'rule' }, { category: null, category_by: null },
    ]);
    // again: nothing left to change
    expect(applyRules(db)).toEqual({ count: 0 });
    // a rule-set category follows a better rule placed first; the hand-set ones still stay
    const first = addRule(db, { categoryId: idOf('Shopping'), text: 'rewe' });
    moveRule(db, first.id, 0);
    expect(applyRules(db)).toEqual({ count: 1 });
    expect([cat('t1').category, cat('t3').category]).toEqual(['Eating out', 'Shopping']);
    // a sync that updates a hand-categorized row leaves its category alone
    write(1, [tx('t1', '2026-11-01', -500, { counterpartyName: 'REWE', description: 'changed text' })], '2026-11-21T10:00:00.000Z');
    expect(cat('t1')).toEqual({ category: 'Eating out', category_by: 'user' });
  });

  it('spending by category sums money out per category over the last months (no category = null)', () => {
    const { db, repos, write, idOf } = setup();
    addRule(db, { categoryId: idOf('Groceries'), text: 'rewe' });
    write(1, [tx('a', '2026-11-01', -500, { counterpartyName: 'REWE' }), tx('b', '2026-10-01', -700, { counterpartyName: 'REWE' }),
      tx('c', '2026-11-02', -300, { counterpartyName: 'Kiosk' }), tx('d', '2026-11-03', 9000, { counterpartyName: 'REWE refund' }),
      tx('old', '2024-01-01', -99999, { counterpartyName: 'REWE' }), tx('hidden', '2026-11-01', -5000)]);
    repos.transactions.update(6, { hidden: true });
    expect(spendingByCategory(db, 1, 12, '2026-11-20')).toEqual([{ category: 'Groceries', spending: 1200, count: 2 }, { category: null, spending: 300, count: 1 }]);
  });
});

describe('migration 13', () => {
  it('turns the free-text categories into list entries (one spelling each), marked as set by hand', () => {
    const file = join(tempDir(), 'old.db');
    const mine = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE categories'));
    const old = new Database(file);
    migrate(old, MIGRATIONS.slice(0, mine));
    old.exec(`INSERT INTO connections (id, provider, institution_name, created_at) VALUES (1, 'powens', 'Bank', '2026-01-01');
      INSERT INTO accounts (id, connection_id, remote_id, name, type, currency, created_at, updated_at) VALUES (1, 1, 'A', 'Giro', 'current', 'EUR', 'x', 'x');`);
    const add = old.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, amount, currency, status, category, first_seen_at, last_seen_at)
      VALUES (1, ?, '2026-01-01', -100, 'EUR', 'booked', ?, 'x', 'x')`);
    for (const [id, category] of [['1', 'Holiday fund'], ['2', ' holiday FUND '], ['3', 'groceries'], ['4', ''], ['5', null]]) add.run(id, category);
    old.close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const names = listCategories(db).map((c) => c.name);
    expect(names).toContain('Holiday fund');
    expect(names.filter((n) => n.toLowerCase() === 'holiday fund' || n.toLowerCase() === 'groceries')).toEqual(['groceries', 'Holiday fund']);
    expect(db.prepare('SELECT remote_id, category, category_by FROM transactions ORDER BY remote_id').all()).toEqual([
      { remote_id: '1', category: 'Holiday fund', category_by: 'user' }, { remote_id: '2', category: 'Holiday fund', category_by: 'user' },
      { remote_id: '3', category: 'groceries', category_by: 'user' }, { remote_id: '4', category: null, category_by: null },
      { remote_id: '5', category: null, category_by: null },
    ]);
    expect(listCategories(db).find((c) => c.name === 'Holiday fund')).toMatchObject({ transactions: 2 });
    db.close();
  });
});
