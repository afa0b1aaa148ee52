// Time: the real service syncing in a child process whose TZ is far from UTC (Pacific/Kiritimati, UTC+14;
// America/Los_Angeles), once before and once after the sandbox's clock crosses a year end, a DST change and a month
// end. Pending card payments book or vanish as the clock moves; after the second sync the data is exactly the
// ledger's (dates are the bank's calendar dates, whatever the local time zone).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/start.js';
import { runChild } from './child.js';
import { recordFigures } from './figures.js';
import { link, openService, tempDir } from './harness.js';

const SCENARIOS = [
  { name: 'year end in Kiritimati (already the next day there)', tz: 'Pacific/Kiritimati', first: '2026-12-31T20:00:00Z', second: '2027-01-01T02:00:00Z' },
  { name: 'DST starts in Los Angeles', tz: 'America/Los_Angeles', first: '2026-03-08T09:30:00Z', second: '2026-03-08T11:30:00Z' },
  { name: 'month end in Los Angeles (still the old month there)', tz: 'America/Los_Angeles', first: '2026-04-30T23:00:00Z', second: '2026-05-01T08:00:00Z' },
];

describe('syncs across time zones, DST and month/year ends', () => {
  let crossings = 0;
  for (const s of SCENARIOS) {
    it(`${s.name}: exactly the ledger after the clock crossed`, async () => {
      const sandbox = await startSandbox({ providers: ['finapi'], now: s.first, ledger: { months: 20 } });
      const dataDir = tempDir('time');
      const keyHex = randomBytes(32).toString('hex');
      try {
        const service = await openService({ dataDir, cipherKey: keyHex, sandbox });
        await service.call('demo.start', undefined);
        const done = await link(service, 'finapi');
        await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
        await service.call('sync.cancel', { connectionId: done.connectionId });
        await service.close();

        const offset = () => sandbox.world.clock.now().getTime() - Date.now();
        expect((await runChild(dataDir, keyHex, offset(), null, { TZ: s.tz })).out).toMatch(/^done ok/m);
        sandbox.world.clock.set(s.second);
        expect((await runChild(dataDir, keyHex, offset(), null, { TZ: s.tz })).out).toMatch(/^done ok/m);

        const db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
        try {
          expect(db.prepare('select count(*) from (select account_id, remote_id from transactions group by 1, 2 having count(*) > 1)').pluck().get()).toBe(0);
          const accounts = db.prepare('select id, iban from accounts').all() as Array<{ id: number; iban: string }>;
          expect(accounts.length).toBeGreaterThan(0);
          for (const a of accounts) {
            const ledgerAccount = sandbox.ledger.accounts().find((x) => x.iban === a.iban);
            expect(ledgerAccount, a.iban).toBeDefined();
            const local = db.prepare(`select booking_date || '/' || amount || '/' || status from transactions
              where account_id = ? and retired_at is null and deleted_at is null order by 1`).pluck().all(a.id);
            const remote = sandbox.ledger.transactions(ledgerAccount!.id).map((t) => `${t.bookingDate}/${t.amountMinor}/${t.status}`).sort();
            expect(local, `${s.name}: ${a.iban}`).toEqual(remote);
          }
          // the sync log's dates are the UTC day of each run
          expect(db.prepare('select requested_to from sync_runs order by id desc limit 1').pluck().get()).toBe(s.second.slice(0, 10));
        } finally {
          db.close();
        }
        crossings++;
      } finally {
        await sandbox.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
      if (crossings === SCENARIOS.length) recordFigures('time', { clockCrossingsSurvived: crossings, timeZones: [...new Set(SCENARIOS.map((x) => x.tz))].join(' ') });
    }, 120_000);
  }
});
