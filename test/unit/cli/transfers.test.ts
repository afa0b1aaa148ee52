// `multibank transfers` (list, unlink, confirm), the transfer column of `export`, and the balance check in
// `accounts list --json`, over a database written through the real sync write path (accounts with balances, pages).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/store/db.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { testNow } from '../../helpers/clock.js';
import { day, tx } from '../sync/scripted.js';
import { inProcessCli } from './in-process.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('multibank transfers', () => {
  it('lists, confirms and unlinks transfers; export marks them; accounts --json carries the history gaps', async () => {
    const now = testNow('2026-11-24T12:00:00Z');
    const today = now.toISOString().slice(0, 10);
    const dir = mkdtempSync(join(tmpdir(), 'mb-cli-transfers-'));
    dirs.push(dir);
    const run = inProcessCli(dir, undefined, { now: () => now });
    const ok = async (args: string[]) => { const r = await run(args); expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0); return r.out; };
    expect(await ok(['transfers'])).toBe('No transfers between your accounts were found.\n');

    // two banks, a sync each: EUR current -> CZK account, and a balance that falls by more than the rows stored
    const db = openDatabase(join(dir, 'multibank.db'));
    const repos = createRepositories(db, { now: () => now });
    const writer = new TransactionWriter(db);
    const sk = repos.connections.create({ provider: 'powens', institutionName: 'Tatra Demo Banka', remote: {} });
    const cz = repos.connections.create({ provider: 'everifin', institutionName: 'Česká Demo Banka', remote: {} });
    const account = (conn: number, remoteId: string, currency: string, iban: string, balance: number, date: string) =>
      repos.accounts.upsertRemote(conn, [{ remoteId, name: remoteId, type: 'current', currency, iban, balanceCurrent: balance, balanceCurrentDate: date }])[0].id;
    const eur = account(sk.id, 'Euro', 'EUR', 'SK3112000000198742637541', 100_000, day(today, -10));
    const czk = account(cz.id, 'Koruna', 'CZK', 'CZ6508000000192000145399', 0, day(today, -10));
    writer.writePage(eur, [tx('out', day(today, -2), -10_000, { counterpartyIban: 'CZ65 0800 0000 1920 0014 5399' }), tx('shop', day(today, -1), -500)], new RunContext(now.toISOString()));
    writer.writePage(czk, [tx('in', day(today, -2), 250_000, { currency: 'CZK' })], new RunContext(now.toISOString()));
    account(sk.id, 'Euro', 'EUR', 'SK3112000000198742637541', 80_000, today);
    account(cz.id, 'Koruna', 'CZK', 'CZ6508000000192000145399', 250_000, today);
    const ids = new Map(db.prepare('SELECT remote_id, id FROM transactions').all().map((r) => [(r as { remote_id: string }).remote_id, (r as { id: number }).id]));
    const idOf = (remoteId: string) => ids.get(remoteId)!;
    db.close();

    const list = JSON.parse(await ok(['transfers', '--json'])) as Array<{ state: string; rate: string; from: { transactionId: number }; to: { transactionId: number } }>;
    expect(list).toMatchObject([{ state: 'suggested', rate: '25', from: { transactionId: idOf('out'), currency: 'EUR', amount: -10_000 }, to: { transactionId: idOf('in'), accountName: 'Koruna', bankName: 'Česká Demo Banka' } }]);
    expect(await ok(['transfers', 'list'])).toMatch(new RegExp(`${day(today, -2)}\\s+${idOf('out')} Euro\\s+-100\\.00 EUR\\s+${idOf('in')} Koruna\\s+2500\\.00 CZK\\s+25\\s+suggested`));
    expect(JSON.parse(await ok(['transfers', 'confirm', String(idOf('in')), '--json']))).toMatchObject({ state: 'confirmed' });

    const csv = (await ok(['export', '--format', 'csv'])).trim().split('\n');
    expect(csv[0]).toMatch(/,id,transfer_id$/);
    expect(csv.filter((l) => l.endsWith(`,${idOf('out')},${idOf('in')}`) || l.endsWith(`,${idOf('in')},${idOf('out')}`))).toHaveLength(2);
    expect(csv.filter((l) => l.endsWith(`,${idOf('shop')},`))).toHaveLength(1);

    // the balance check: 200.00 EUR fell, 105.00 EUR is stored
    const accounts = JSON.parse(await ok(['accounts', '--json'])) as Array<{ id: number; historyGaps: Array<{ from: string; to: string; missing: number; message: string }> }>;
    expect(accounts.find((a) => a.id === eur)!.historyGaps).toMatchObject([{ from: day(today, -10), to: today, missing: -9_500 }]);
    expect(accounts.find((a) => a.id === czk)!.historyGaps).toEqual([]);
    expect(await ok(['accounts', 'list'])).toMatch(new RegExp(`Account ${eur}: History incomplete: €95\\.00 of money out is missing between \\w+ \\d+, \\d{4} and \\w+ \\d+, \\d{4}: `));

    expect(await ok(['transfers', 'unlink', String(idOf('out'))])).toBe(`Transaction ${idOf('out')} and its other leg are no longer a transfer; they count as income and spending again.\n`);
    expect(JSON.parse(await ok(['transfers', '--json']))).toEqual([]);
    const again = await run(['transfers', 'unlink', String(idOf('out'))]);
    expect(again.code).not.toBe(0);
    expect(again.err.trim()).toMatch(/^multibank: Transaction \d+ is not linked as a transfer between your accounts, so there is nothing to change\. \[validation\]$/);
  });
});
