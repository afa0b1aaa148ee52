// The first sync asks for all the history an aggregator serves, down to its oldest day, also when the span holds
// 29 February (3 years back from 2026-12-03 is 1,096 days, not 3 × 365). Fixed clocks, the sandbox's bulk bank with rows
// on every day, and the real service: after the first sync the data is exactly the ledger, its first day included.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { ProviderId } from '../../../main/domain/types.js';
import { startSandbox } from '../../../sandbox/start.js';
import { link, openService, tempDir } from '../../reliability/harness.js';

const CASES: Array<{ provider: ProviderId; now: string; months: number }> = [
  { provider: 'finapi', now: '2026-12-03T08:00:00Z', months: 36 },
  { provider: 'banqware', now: '2026-02-15T08:00:00Z', months: 24 },
];

describe('the first sync window', () => {
  for (const c of CASES) {
    it(`${c.provider}: ${c.months} months back from ${c.now.slice(0, 10)}, the oldest day included`, async () => {
      const sandbox = await startSandbox({ providers: [c.provider], now: c.now, ledger: { months: c.months, bulk: { transactions: 6000, accounts: 1 } } });
      const dataDir = tempDir('window');
      try {
        const service = await openService({ dataDir, cipherKey: randomBytes(32).toString('hex'), sandbox });
        await service.call('demo.start', undefined);
        const done = await link(service, c.provider, { username: 'bulk', password: 'bulk1234', institution: /bulk/i });
        await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
        await service.idle();
        await service.close();

        const [account] = sandbox.ledger.accounts({ bankId: 'bulk-bank' });
        const remote = sandbox.ledger.transactions(account.id).map((t) => `${t.bookingDate}/${t.amountMinor}/${t.status}`).sort();
        const firstDay = sandbox.ledger.historyStart();
        expect(remote.filter((t) => t.startsWith(firstDay)).length, 'the ledger has rows on its first day').toBeGreaterThan(0);
        const db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
        try {
          expect(db.prepare('select outcome from sync_runs order by id desc limit 1').pluck().get()).toBe('ok');
          const local = db.prepare(`select t.booking_date || '/' || t.amount || '/' || t.status from transactions t join accounts a on a.id = t.account_id
            where a.iban = ? and t.retired_at is null and t.deleted_at is null order by 1`).pluck().all(account.iban) as string[];
          expect(local[0]?.slice(0, 10)).toBe(firstDay);
          expect(local).toEqual(remote);
        } finally {
          db.close();
        }
      } finally {
        await sandbox.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
