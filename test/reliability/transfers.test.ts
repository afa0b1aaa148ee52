// Transfers between own accounts and the balance check on a real sync against the Powens emulator: the demo world's
// own transfers (both legs, in one currency and across currencies) are linked as they are written, payments to third
// parties never are, the user's "not a transfer" survives later syncs, and consistent history shows no gap.
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { normIban } from '../../main/domain/identifiers.js';
import { link } from './harness.js';
import { demoWorld } from './world.js';

describe('transfers between own accounts on a real sync', () => {
  const world = demoWorld({ providers: ['powens'], dir: 'transfers', cipherKey: 'cd'.repeat(32) });

  it('links both legs of the demo own transfers, never a third party, and keeps an unlink through re-syncs', async () => {
    const { sandbox, service, dataDir } = world;
    const done = await link(service, 'powens');
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    const db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
    try {
      const own = new Map(done.accounts.filter((a) => a.iban).map((a) => [normIban(a.iban)!, a.id]));
      expect(own.size).toBeGreaterThanOrEqual(2);
      type Row = { id: number; account_id: number; booking_date: string; amount: number; currency: string; cp: string | null; transfer_id: number | null; transfer_state: string | null };
      const rows = () => db.prepare(`SELECT id, account_id, booking_date, amount, currency, counterparty_iban AS cp, transfer_id, transfer_state
        FROM transactions WHERE retired_at IS NULL AND deleted_at IS NULL`).all() as Row[];
      const all = rows();
      const byId = new Map(all.map((r) => [r.id, r]));
      const naming = all.filter((r) => r.cp && own.has(normIban(r.cp)!) && own.get(normIban(r.cp)!) !== r.account_id);
      expect(naming.length).toBeGreaterThan(4);
      const start = all.map((r) => r.booking_date).sort()[0];
      const end = all.map((r) => r.booking_date).sort().at(-1)!;
      for (const r of naming) {
        const other = r.transfer_id === null ? undefined : byId.get(r.transfer_id);
        // a leg whose other leg lies outside the synced history may stay alone; every other one is linked
        if (!other) { expect(r.booking_date < sandboxDay(start, 3) || r.booking_date > sandboxDay(end, -3)).toBe(true); continue; }
        expect(other.account_id).toBe(own.get(normIban(r.cp)!));
        expect(other.transfer_id).toBe(r.id);
        expect(Math.sign(other.amount)).toBe(-Math.sign(r.amount));
        if (other.currency === r.currency) expect(other.amount).toBe(-r.amount);
      }
      // payments to and from third parties are never legs
      expect(all.filter((r) => r.transfer_id !== null && !(r.cp && own.has(normIban(r.cp)!)) && !naming.some((n) => n.transfer_id === r.id))).toEqual([]);
      const list = await service.call('transfers.list', {});
      expect(list.length).toBe(all.filter((r) => r.transfer_id !== null).length / 2);
      for (const t of list) {
        expect(t.from.amount).toBeLessThan(0);
        expect(t.to.amount).toBeGreaterThan(0);
        expect(t.from.currency === t.to.currency ? t.rate : Number(t.rate)).toSatisfy((v: unknown) => v === null || (typeof v === 'number' && v > 0));
      }
      const ledgerFx = sandbox.ledger.accounts().some((a) => own.has(normIban(a.iban)!) && a.currency !== 'EUR');
      if (ledgerFx) expect(list.some((t) => t.rate !== null)).toBe(true);

      // "not a transfer", then two more syncs (one a few days later): the choice stays
      const chosen = list[0];
      await service.call('transfers.unlink', { transactionId: chosen.to.transactionId });
      for (const step of [3_600_000, 2 * 86_400_000]) {
        sandbox.world.clock.advance(step);
        await service.call('sync.run', { connectionId: done.connectionId });
        await service.idle();
        expect(db.prepare('SELECT outcome FROM sync_runs WHERE connection_id = ? ORDER BY id DESC LIMIT 1').pluck().get(done.connectionId)).toBe('ok');
      }
      expect(byIdNow(rows(), chosen.from.transactionId)).toMatchObject({ transfer_id: null, transfer_state: 'rejected' });
      expect(byIdNow(rows(), chosen.to.transactionId)).toMatchObject({ transfer_id: null, transfer_state: 'rejected' });
      expect(await service.call('transfers.get', { transactionId: chosen.from.transactionId })).toBeNull();
      expect((await service.call('transfers.list', {})).some((t) => t.from.transactionId === chosen.from.transactionId)).toBe(false);
      // the bank's balances at the syncs and the synced history agree: nothing is reported missing
      expect(db.prepare("SELECT count(DISTINCT date) FROM balances WHERE kind = 'booked' AND account_id = ?").pluck().get(chosen.from.accountId)).toBeGreaterThanOrEqual(2);
      expect(await service.call('accounts.historyGaps', {})).toEqual([]);
    } finally {
      db.close();
    }
  }, 180_000);
});

const sandboxDay = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const byIdNow = <T extends { id: number }>(rows: T[], id: number) => rows.find((r) => r.id === id);
