// Issue 16: one transaction row a client cannot read must not stop an account's sync. Per aggregator, over real HTTP to
// its emulator: the first row of every transaction page gets an amount with more decimals than its currency has
// (sandbox fault schema_drift with item/value). The sync still succeeds, the other rows are written, the odd rows are
// kept aside with their reason (redacted) and counted in the sync log; the next sync reads them again and, now that
// they are fine, writes them and empties the kept-aside list.
import Database from 'better-sqlite3-multiple-ciphers';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderId } from '../../../main/domain/types.js';
import type { MultibankService } from '../../../main/service/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { link, openService, PROVIDERS, tempDir } from '../../reliability/harness.js';

/** where each emulator serves transaction pages, and its amount field */
const TX: Record<ProviderId, { path: string; amount: string }> = {
  powens: { path: '/transactions', amount: 'value' },
  finapi: { path: '/transactions', amount: 'amount' },
  everifin: { path: '/transactions', amount: 'amount' },
  banqware: { path: '/transaction', amount: 'amount' },
  enablebanking: { path: '/transactions', amount: 'amount' },
} as Record<ProviderId, { path: string; amount: string }>;

const ODD_AMOUNT = '-16192638.834382623';

describe.each(PROVIDERS)('%s: a transaction row the client cannot read', (provider) => {
  let sandbox: RunningSandbox;
  let service: MultibankService;
  let dataDir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ now: '2026-06-15T12:00:00Z' });
    dataDir = tempDir('aside');
    service = await openService({ dataDir, cipherKey: '34'.repeat(32), sandbox });
    await service.call('demo.start', undefined);
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const stored = (remoteIds: string[]) => {
    const db = new Database(join(dataDir, 'multibank.db'), { readonly: true });
    try {
      const total = db.prepare('SELECT count(*) FROM transactions').pluck().get() as number;
      const present = remoteIds.filter((id) => db.prepare('SELECT 1 FROM transactions WHERE remote_id = ?').get(id) !== undefined);
      return { total, present };
    } finally { db.close(); }
  };

  it('is kept aside with its reason while the rest is written, listed, and read at the next sync', async () => {
    const done = await link(service, provider);
    const connectionId = done.connectionId;
    sandbox.world.faults.add(provider, { kind: 'schema_drift', path: TX[provider].path, item: 0, field: TX[provider].amount, value: ODD_AMOUNT }, 10_000);
    await service.call('link.chooseAccounts', { connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    sandbox.world.faults.clear();

    const [first] = await service.call('sync.log', { connectionId, limit: 1 });
    expect(first.outcome, first.errorMessage ?? '').toBe('ok');
    const aside = (await Promise.all(done.accounts.map((a) => service.call('accounts.unreadable', { accountId: a.id })))).flat();
    expect(aside.length).toBeGreaterThan(0);
    expect(first.unreadableCount).toBe(aside.length);
    expect(first.unreadableReason).toMatch(/more decimals than [A-Z]{3} allows|amount/);
    for (const r of aside) {
      expect(r.reason).toMatch(/more decimals than [A-Z]{3} allows|amount/);
      expect(r.remoteId).toBeTruthy();
      // redacted: structure kept, no IBAN or free text
      expect(typeof r.raw).toBe('object');
      expect(JSON.stringify(r.raw)).not.toMatch(/[A-Z]{2}\d{2}[A-Z0-9]{11,}/);
    }
    const before = stored(aside.map((r) => r.remoteId!));
    expect(before.total).toBeGreaterThan(0);
    expect(before.present).toEqual([]);

    // the next sync reaches back to them; read fine now, they are written and leave the list
    await service.call('sync.run', { connectionId });
    await service.idle();
    const [retry] = await service.call('sync.log', { connectionId, limit: 1 });
    expect(retry.outcome, retry.errorMessage ?? '').toBe('ok');
    expect(retry.unreadableCount).toBe(0);
    const left = (await Promise.all(done.accounts.map((a) => service.call('accounts.unreadable', { accountId: a.id })))).flat();
    expect(left).toEqual([]);
    const after = stored(aside.map((r) => r.remoteId!));
    expect(after.present.sort()).toEqual(aside.map((r) => r.remoteId!).sort());
    expect(after.total).toBe(before.total + aside.length);
  }, 120_000);
});
