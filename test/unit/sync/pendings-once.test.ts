// finAPI lists pending rows apart from booked ones and without a date filter: a sync asks for them once per account and
// window (with the chunk that reaches today), not once per 90-day chunk. Against the sandbox's finAPI emulator with the
// real service and a fixed clock: every row of the ledger arrives once, and after the clock moves on, pendings that
// booked replace their pending rows (no row lost, none doubled).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { expect, it } from 'vitest';
import { startSandbox } from '../../../sandbox/start.js';
import { testNow } from '../../helpers/clock.js';
import { link, openService, tempDir } from '../../reliability/harness.js';

const NOW = testNow('2026-06-10T08:00:00Z');
const DAY = 86_400_000;

it('finAPI: pendings fetched once per account and window; pending → booked keeps every row once', async () => {
  const sandbox = await startSandbox({ providers: ['finapi'], now: NOW.toISOString(), ledger: { months: 12 } });
  const dataDir = tempDir('pendings');
  const pendingCalls: string[] = [];
  const counting: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/api/v2/pendingTransactions')) pendingCalls.push(new URL(url).searchParams.get('accountIds') ?? '');
    return fetch(input, init);
  };
  try {
    const service = await openService({ dataDir, cipherKey: randomBytes(32).toString('hex'), sandbox, fetch: counting });
    await service.call('demo.start', undefined);
    const done = await link(service, 'finapi');
    pendingCalls.length = 0;
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();

    const db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
    const local = () => db.prepare(`select a.iban || '/' || t.booking_date || '/' || t.amount || '/' || t.status from transactions t
      join accounts a on a.id = t.account_id where t.retired_at is null and t.deleted_at is null order by 1`).pluck().all() as string[];
    // the ledger of the linked bank's accounts (the sandbox holds other banks too)
    const ibans = new Set(db.prepare('select iban from accounts').pluck().all());
    const atBank = () => sandbox.ledger.accounts().filter((a) => ibans.has(a.iban)).flatMap((a) => sandbox.ledger.transactions(a.id).map((t) => `${a.iban}/${t.bookingDate}/${t.amountMinor}/${t.status}`)).sort();
    try {
      const lastRun = () => db.prepare('select outcome from sync_runs order by id desc limit 1').pluck().get();
      expect(lastRun()).toBe('ok');
      // a year of history is five 90-day chunks; one pending listing (one page) per account
      const accountIds = new Set(pendingCalls);
      expect(accountIds.size).toBe(done.accounts.length);
      expect(pendingCalls).toHaveLength(accountIds.size);
      const first = local();
      expect(first.some((r) => r.endsWith('/pending')), 'the demo ledger has pending card payments').toBe(true);
      expect(first).toEqual(atBank());

      // a week later the pendings have booked (some with another amount, some vanished): the next sync reconciles them
      sandbox.world.clock.set(new Date(NOW.getTime() + 7 * DAY).toISOString());
      pendingCalls.length = 0;
      await service.call('sync.run', { connectionId: done.connectionId });
      await service.idle();
      expect(lastRun()).toBe('ok');
      expect(pendingCalls).toHaveLength(accountIds.size);
      const after = local();
      expect(new Set(after).size).toBe(after.length);
      expect(after).toEqual(atBank());
    } finally {
      db.close();
      await service.close();
    }
  } finally {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
