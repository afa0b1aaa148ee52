// Transfers between own accounts (issue 19, part 2; migration 16-transfers, main/store/transfers.ts) through the real
// sync write path (TransactionWriter.writePage) on real SQLite files: legs at two banks in one or two currencies, third
// parties never linked, one leg never used twice, the user's unlink surviving re-syncs, and totals without transfers.
import { afterEach, describe, expect, it } from 'vitest';
import type { RemoteTransaction } from '../../../main/domain/types.js';
import { spendingByCategory } from '../../../main/store/categories.js';
import { exportRows, listTransactions, monthlyInOut, topCounterparties } from '../../../main/store/queries.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { confirmTransfer, detectTransfers, listTransfers, transferOf, unlinkTransfer } from '../../../main/store/transfers.js';
import { toCsv, toJson, toOfx } from '../../../main/service/export.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { testNow } from '../../helpers/clock.js';
import { cleanupDirs, day, freshDb, tx } from '../sync/scripted.js';

afterEach(cleanupDirs);

const NOW = testNow('2026-11-20T10:00:00.000Z');
const TODAY = NOW.toISOString().slice(0, 10);
const EUR_IBAN = 'SK31 1200 0000 1987 4263 7541';
const CZK_IBAN = 'CZ6508000000192000145399';
const SAV_IBAN = 'SK8975000000000012345671';
const SHOP_IBAN = 'DE89370400440532013000';

/** Tatra (connection 1): EUR current (1) and EUR savings (2); Česká (connection 2): CZK current (3) */
function setup() {
  const { db } = freshDb();
  const repos = createRepositories(db, { now: () => NOW });
  repos.accounts.upsertRemote(1, [
    { remoteId: 'cur', name: 'Current', type: 'current', currency: 'EUR', iban: EUR_IBAN },
    { remoteId: 'sav', name: 'Savings', type: 'savings', currency: 'EUR', iban: SAV_IBAN },
  ]);
  const cz = repos.connections.create({ provider: 'everifin', institutionName: 'Česká Demo Banka', remote: {} });
  repos.accounts.upsertRemote(cz.id, [{ remoteId: 'czk', name: 'Běžný účet', type: 'current', currency: 'CZK', iban: CZK_IBAN }]);
  const writer = new TransactionWriter(db);
  const write = (accountId: number, txs: RemoteTransaction[]) => writer.writePage(accountId, txs, new RunContext(NOW.toISOString()));
  const idOf = (remoteId: string) => (db.prepare('SELECT id FROM transactions WHERE remote_id = ?').pluck().get(remoteId) as number);
  const peer = (remoteId: string) => db.prepare('SELECT transfer_id, transfer_state, transfer_rate FROM transactions WHERE remote_id = ?').get(remoteId) as
    { transfer_id: number | null; transfer_state: string | null; transfer_rate: string | null };
  return { db, write, idOf, peer };
}

const d = (offset: number) => day(TODAY, offset);

describe('transfers between own accounts', () => {
  it('links a EUR -> CZK transfer between two banks, keeping the implied rate, and shows both legs', () => {
    const { db, write, idOf, peer } = setup();
    write(1, [tx('out', d(-5), -10_000, { counterpartyIban: CZK_IBAN, counterpartyName: 'Me', description: 'To my CZK account' })]);
    // the other bank books it a day later and names nobody
    write(3, [tx('in', d(-4), 250_000, { currency: 'CZK', counterpartyName: 'Me', description: 'Incoming payment' })]);
    expect(peer('out')).toEqual({ transfer_id: idOf('in'), transfer_state: 'suggested', transfer_rate: '25' });
    expect(peer('in')).toEqual({ transfer_id: idOf('out'), transfer_state: 'suggested', transfer_rate: '25' });
    const t = transferOf(db, idOf('in'))!;
    expect(t).toMatchObject({ state: 'suggested', rate: '25', from: { transactionId: idOf('out'), accountName: 'Current', amount: -10_000, currency: 'EUR' },
      to: { transactionId: idOf('in'), accountName: 'Běžný účet', bankName: 'Česká Demo Banka', amount: 250_000, currency: 'CZK', bookingDate: d(-4) } });
    expect(confirmTransfer(db, idOf('out')).state).toBe('confirmed');
    expect(listTransfers(db)).toEqual([{ ...t, state: 'confirmed' }]);
  });

  it('does not link across currencies when two rows could be the other leg', () => {
    const { write, peer } = setup();
    write(3, [tx('in1', d(-4), 250_000, { currency: 'CZK' }), tx('in2', d(-3), 260_000, { currency: 'CZK' })]);
    write(1, [tx('out', d(-4), -10_000, { counterpartyIban: CZK_IBAN })]);
    for (const r of ['out', 'in1', 'in2']) expect(peer(r).transfer_id).toBeNull();
  });

  it('never links two identical payments to a third party on the same day, even with an identical refund', () => {
    const { db, write, peer } = setup();
    const shop = { counterpartyIban: SHOP_IBAN, counterpartyName: 'Shop', description: 'Order 1' };
    write(1, [tx('p1', d(-2), -4_999, shop), tx('p2', d(-2), -4_999, shop)]);
    write(2, [tx('r1', d(-2), 4_999, shop)]);
    for (const r of ['p1', 'p2', 'r1']) expect(peer(r)).toEqual({ transfer_id: null, transfer_state: null, transfer_rate: null });
    expect(listTransfers(db)).toEqual([]);
    expect(listTransactions(db, { accountIds: [1] }).rows.map((r) => r.transferId)).toEqual([undefined, undefined]);
  });

  it('pairs several equal transfers one to one by the closest date, never one leg twice', () => {
    const { write, idOf, peer } = setup();
    write(2, [tx('in-a', d(-10), 5_000, { counterpartyIban: EUR_IBAN }), tx('in-b', d(-7), 5_000, { counterpartyIban: EUR_IBAN })]);
    write(1, [tx('out-a', d(-9), -5_000, { counterpartyIban: SAV_IBAN }), tx('out-b', d(-7), -5_000, { counterpartyIban: SAV_IBAN }),
      tx('out-c', d(-1), -5_000, { counterpartyIban: SAV_IBAN })]);
    expect(peer('out-b')).toEqual({ transfer_id: idOf('in-b'), transfer_state: 'auto', transfer_rate: null });
    expect(peer('out-a').transfer_id).toBe(idOf('in-a'));
    // its other leg has not arrived (or is more than 3 days away): not a transfer yet
    expect(peer('out-c').transfer_id).toBeNull();
    // it arrives with a later sync: only the new row is looked at, and it finds its leg
    write(2, [tx('in-c', d(0), 5_000)]);
    expect(peer('out-c')).toEqual({ transfer_id: idOf('in-c'), transfer_state: 'suggested', transfer_rate: null });
  });

  it("keeps the user's unlink through later syncs and re-detection", () => {
    const { db, write, idOf, peer } = setup();
    const pageCur = [tx('out', d(-3), -20_000, { counterpartyIban: SAV_IBAN })];
    const pageSav = [tx('in', d(-3), 20_000, { counterpartyIban: EUR_IBAN })];
    write(1, pageCur);
    write(2, pageSav);
    expect(peer('out').transfer_state).toBe('auto');
    unlinkTransfer(db, idOf('in'));
    expect(peer('out')).toEqual({ transfer_id: null, transfer_state: 'rejected', transfer_rate: null });
    // the same rows again, then changed by the bank (a new booking date queues them for detection again)
    write(1, pageCur);
    write(2, pageSav);
    write(1, [{ ...pageCur[0], bookingDate: d(-2) }]);
    detectTransfers(db);
    expect(peer('out').transfer_state).toBe('rejected');
    expect(peer('in').transfer_state).toBe('rejected');
    expect(() => unlinkTransfer(db, idOf('in'))).toThrow(/not linked as a transfer/);
  });

  it('frees the other leg when one goes (deleted by the user, or removed), and links it again to a new twin', () => {
    const { db, write, idOf, peer } = setup();
    write(1, [tx('out', d(-3), -20_000, { counterpartyIban: SAV_IBAN })]);
    write(2, [tx('in', d(-3), 20_000, { counterpartyIban: EUR_IBAN })]);
    expect(peer('out').transfer_id).toBe(idOf('in'));
    createRepositories(db).transactions.deleteByUser(idOf('in'));
    expect(peer('out')).toEqual({ transfer_id: null, transfer_state: null, transfer_rate: null });
    expect(peer('in')).toEqual({ transfer_id: null, transfer_state: null, transfer_rate: null });
    // a statement import brings the incoming leg again (as a new row): the freed leg is looked at again with it
    write(2, [tx('in-again', d(-2), 20_000)]);
    expect(peer('out').transfer_id).toBe(idOf('in-again'));
    db.prepare('DELETE FROM transactions WHERE id = ?').run(idOf('in-again'));
    expect(peer('out').transfer_id).toBeNull();
    expect(transferOf(db, idOf('out'))).toBeNull();
  });

  it('leaves transfers out of monthly income and spending, the spending by category and the top counterparties, and marks them in exports', () => {
    const { db, write, idOf } = setup();
    write(1, [tx('salary', d(-6), 300_000, { counterpartyIban: SHOP_IBAN }), tx('food', d(-5), -4_500),
      tx('save', d(-4), -50_000, { counterpartyIban: SAV_IBAN })]);
    write(2, [tx('saved', d(-4), 50_000, { counterpartyIban: EUR_IBAN })]);
    // the last three months hold these few days, whatever today is
    const month = (id: number) => monthlyInOut(db, id, 3, TODAY).reduce((a, m) => ({ income: a.income + m.income, spending: a.spending + m.spending }), { income: 0, spending: 0 });
    expect(month(1)).toEqual({ income: 300_000, spending: 4_500 });
    expect(month(2)).toEqual({ income: 0, spending: 0 });
    expect(spendingByCategory(db, 1, 12, TODAY)).toEqual([{ category: null, spending: 4_500, count: 1 }]);
    expect(listTransactions(db, { accountIds: [1] }).rows.find((r) => r.id === idOf('save'))!.transferId).toBe(idOf('saved'));
    const csv = toCsv(exportRows(db, { accountIds: [1, 2] })).content.split('\n');
    expect(csv[0].split(',').at(-1)).toBe('transfer_id');
    expect(csv.filter((l) => l.endsWith(`,${idOf('saved')}`))).toHaveLength(1);
    const json = JSON.parse(toJson(exportRows(db, {})).content) as { transactions: Array<{ id: number; transferId: number | null }> };
    expect(json.transactions.map((r) => [r.id, r.transferId])).toEqual([[idOf('salary'), null], [idOf('food'), null],
      [idOf('save'), idOf('saved')], [idOf('saved'), idOf('save')]]);
    expect(topCounterparties(db, 1, 10, { today: TODAY }).map((c) => c.total)).toEqual([300_000, -4_500]);
    const ofx = toOfx(exportRows(db, { accountIds: [1] }), NOW).content;
    expect(ofx.match(/<TRNTYPE>\w+/g)).toEqual(['<TRNTYPE>CREDIT', '<TRNTYPE>DEBIT', '<TRNTYPE>XFER']);
    // unlinked: money in and out again
    unlinkTransfer(db, idOf('save'));
    expect(month(1).spending).toBe(54_500);
    expect(month(2).income).toBe(50_000);
    expect(topCounterparties(db, 1, 10, { today: TODAY })).toHaveLength(3);
  });

  it('finds the legs among 100,000 stored rows once, and then looks only at new rows', () => {
    const { db, write, peer, idOf } = setup();
    const queued = () => db.prepare('SELECT count(*) FROM transfer_queue').pluck().get();
    // 100,000 rows written at once (as a first sync of a long history would leave them queued), every third to a shop
    const insert = db.prepare(`INSERT INTO transactions (account_id, remote_id, booking_date, amount, currency, status, counterparty_iban,
      first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 'EUR', 'booked', ?, ?, ?)`);
    db.transaction(() => {
      for (let i = 0; i < 100_000; i++) insert.run(1 + (i % 2), `bulk${i}`, d(-(i % 700)), -(100 + (i % 5000)), i % 3 ? null : SHOP_IBAN, NOW.toISOString(), NOW.toISOString());
    })();
    // the work is the queue: every stored row once, then only what a page adds (its speed is a bench figure, not a test)
    expect(queued()).toBe(100_000);
    expect(detectTransfers(db)).toBe(0);
    expect(queued()).toBe(0);
    write(1, [tx('out', d(-1), -7_777, { counterpartyIban: SAV_IBAN })]);
    write(2, [tx('in', d(-1), 7_777)]);
    expect(peer('in').transfer_id).toBe(idOf('out'));
    expect(queued()).toBe(0);
  }, 120_000);
});
