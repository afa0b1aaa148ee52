// The same bank account through two aggregators (issue 19, part 1), with the real Powens and Everifin clients against
// the sandbox's emulators over HTTP: Tatra Demo Banka's accounts reached through both are named at linking, and once
// the user keeps both copies anyway the overview lists each once, the totals and net worth count it once and the
// all-accounts transaction list does not double its rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkStepDto } from '../../../preload/contract/channels.js';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { browse } from './bank-browser.js';

let sandbox: RunningSandbox;
let service: MultibankService;
let dataDir: string;

beforeAll(async () => {
  sandbox = await startSandbox({ providers: ['powens', 'everifin', 'ecb'], now: '2026-06-17T12:00:00Z' });
  dataDir = mkdtempSync(join(tmpdir(), 'mb-same-account-'));
  service = await createService({
    dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore({ baseCurrency: 'EUR' }),
    redirectMode: 'loopback', logger: silentLogger, background: false, now: () => sandbox.world.clock.now(),
    startDemo: async () => ({ configs: Object.fromEntries(Object.entries(sandbox.describe()).filter(([k]) => k !== 'control')) as never, stop: () => {} }),
  });
}, 60_000);
afterAll(async () => {
  await service?.close();
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** the bank pages in a plain-HTTP browser, back through the loopback listener (an offer of more accounts skipped), until the link is done */
async function complete(first: LinkStepDto): Promise<LinkStepDto & { kind: 'done' }> {
  let step = first;
  for (let i = 0; i < 40 && step.kind !== 'done'; i++) {
    if (step.kind === 'redirect') {
      const auth = new URL(step.url);
      const back = await browse(step.url, { username: 'demo', password: 'demo1234' }, (u) => {
        const x = new URL(u);
        return x.hostname === '127.0.0.1' && x.pathname === '/callback' && x.origin !== auth.origin;
      });
      await (await fetch(back)).text();
    } else if (step.kind === 'form' && step.skippable) {
      step = await service.call('link.submit', { linkId: step.linkId, values: {} }); // no second sign-in
      continue;
    } else if (step.kind !== 'wait') {
      throw new Error(`unexpected step ${step.kind}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    step = await service.call('link.poll', { linkId: step.linkId });
  }
  if (step.kind !== 'done') throw new Error(`link did not finish: ${JSON.stringify(step)}`);
  return step;
}

async function allRows() {
  const rows: Array<{ id: number; accountId: number }> = [];
  let cursor: string | undefined;
  do {
    const page = await service.call('transactions.list', { sort: 'date_desc', limit: 500, ...(cursor ? { cursor } : {}) });
    rows.push(...page.rows);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

describe('Tatra Demo Banka through Powens and through Everifin', () => {
  it('is one set of accounts to the user', async () => {
    await service.call('demo.start', undefined);
    const tatra = (await service.call('institutions.list', { provider: 'powens', query: 'Tatra' }))[0];
    const viaPowens = await complete(await service.call('link.begin', { provider: 'powens', institutionId: tatra.id }));
    await service.call('link.chooseAccounts', { connectionId: viaPowens.connectionId, accountIds: viaPowens.accounts.map((a) => a.id) });
    await service.idle();
    const totalsBefore = await service.call('overview.totals', undefined);
    const rowsBefore = (await allRows()).length;
    const worthBefore = (await service.call('networth.get', { base: 'EUR' })).total;

    const viaEverifin = await complete(await service.call('link.begin', { provider: 'everifin' }));
    // linking names the accounts Powens already reaches (the user may renew that connection instead)
    const named = viaEverifin.alreadyLinked.map((l) => l.accountId);
    expect(named.length).toBe(viaPowens.accounts.length);
    expect(new Set(viaEverifin.alreadyLinked.map((l) => l.connectionId))).toEqual(new Set([viaPowens.connectionId]));
    // the user keeps only the Tatra copies: both connections now reach the same accounts
    await service.call('link.chooseAccounts', { connectionId: viaEverifin.connectionId, accountIds: named });
    await service.idle();

    const accounts = await service.call('accounts.list', undefined);
    const copies = accounts.filter((a) => a.connectionId === viaEverifin.connectionId && a.selected);
    expect(copies).toHaveLength(named.length);
    for (const copy of copies) {
      const powensCopy = accounts.find((a) => a.connectionId === viaPowens.connectionId && a.iban === copy.iban && a.currency === copy.currency)!;
      expect(copy.sameAccount).toMatchObject({ primaryId: expect.any(Number) });
      expect(copy.sameAccount!.copies.map((c) => c.provider).sort()).toEqual(['everifin', 'powens']);
      expect(copy.sameAccount!.copies.map((c) => c.accountId).sort()).toEqual([powensCopy.id, copy.id].sort());
    }
    expect(await service.call('overview.totals', undefined)).toEqual(totalsBefore);
    expect((await service.call('networth.get', { base: 'EUR' })).total).toBe(worthBefore);
    const rows = await allRows();
    expect(rows).toHaveLength(rowsBefore);
    // each copy's own rows are there when asked for by name
    expect((await service.call('transactions.list', { accountIds: [copies[0].id], sort: 'date_desc', limit: 5 })).rows.length).toBeGreaterThan(0);
  }, 120_000);
});
