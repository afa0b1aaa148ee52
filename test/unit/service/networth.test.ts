// Net worth in one currency and the same account once, through the service: a real SQLite file, the sandbox's copy
// of the ECB over HTTP, a fixed clock. The same IBAN reached through Powens and through Everifin is one account.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertMinor } from '../../../main/fx/rates.js';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { monthEnds } from '../../../main/service/networth.js';
import { createRepositories } from '../../../main/store/repositories.js';
import { RunContext, TransactionWriter } from '../../../main/sync/writer.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { emulatedRate } from '../../../sandbox/ecb/index.js';
import { startSandbox, type RunningSandbox } from '../../../sandbox/start.js';
import { freshDb } from '../sync/scripted.js';
import { inProcessCli } from '../cli/in-process.js';

const NOW = '2026-06-17T12:00:00Z'; // a Wednesday before the ECB's publication: today's rate is Tuesday's
const IBAN = 'SK31 1200 0000 1987 4263 7541';

let sandbox: RunningSandbox;
let service: MultibankService;
let dataDir: string;
const ids = { eur: 0, usd: 0, bhd: 0, copy: 0 };

beforeAll(async () => {
  sandbox = await startSandbox({ providers: ['ecb'], now: NOW });
  dataDir = mkdtempSync(join(tmpdir(), 'mb-networth-'));
  const { db, connectionId: powens } = freshDb(join(dataDir, 'multibank.db'));
  const repos = createRepositories(db, { now: () => new Date(NOW) });
  const everifin = repos.connections.create({ provider: 'everifin', institutionName: 'Tatra Demo Banka', remote: { user: 'e1' } }).id;
  const at = { balanceCurrentDate: '2026-06-17' };
  [ids.eur, ids.usd, ids.bhd] = repos.accounts.upsertRemote(powens, [
    { remoteId: 'eur', iban: IBAN, name: 'Current', type: 'current', currency: 'EUR', balanceCurrent: 100000, ...at },
    { remoteId: 'usd', iban: 'SK5812000000001987426399', name: 'Dollars', type: 'current', currency: 'USD', balanceCurrent: 50000, ...at },
    { remoteId: 'bhd', number: '0012345', name: 'Dinars', type: 'current', currency: 'BHD', balanceCurrent: 10000, ...at },
  ]).map((a) => a.id);
  // the same current account through the other aggregator (IBAN written without spaces)
  [ids.copy] = repos.accounts.upsertRemote(everifin, [
    { remoteId: 'x-eur', iban: IBAN.replace(/ /g, ''), name: 'Bežný účet', type: 'current', currency: 'EUR', balanceCurrent: 100000, ...at },
  ]).map((a) => a.id);
  const w = new TransactionWriter(db);
  const run = new RunContext(NOW);
  for (const [account, prefix] of [[ids.eur, 'p'], [ids.copy, 'e']] as const) {
    w.writePage(account, [
      { remoteId: `${prefix}1`, bookingDate: '2026-05-10', amount: 20000, currency: 'EUR', status: 'booked', description: 'Salary', raw: {} },
      { remoteId: `${prefix}2`, bookingDate: '2026-06-02', amount: -5000, currency: 'EUR', status: 'booked', description: 'Groceries', raw: {} },
    ], run);
  }
  db.close();
  service = await createService({
    dataDir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore({ baseCurrency: 'EUR' }),
    logger: silentLogger, background: false, now: () => new Date(NOW), ratesHost: sandbox.urls.ecb,
  });
}, 60_000);
afterAll(async () => {
  await service?.close();
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const usdInEur = (minor: number, date: string) => convertMinor(minor, 'USD', emulatedRate(sandbox.world.seed, 'USD', date), 'EUR', '1');

describe('the same account through two aggregators', () => {
  it('is listed with both sources, the first copy shown', async () => {
    const accounts = await service.call('accounts.list', undefined);
    const eur = accounts.find((a) => a.id === ids.eur)!;
    expect(eur.sameAccount).toEqual({
      primaryId: ids.eur,
      copies: [
        { accountId: ids.eur, connectionId: eur.connectionId, provider: 'powens', institutionName: 'Test Bank' },
        { accountId: ids.copy, connectionId: expect.any(Number), provider: 'everifin', institutionName: 'Tatra Demo Banka' },
      ],
    });
    expect(accounts.find((a) => a.id === ids.copy)!.sameAccount).toEqual(eur.sameAccount);
    expect(accounts.find((a) => a.id === ids.usd)!.sameAccount).toBeUndefined();
  });

  it('is counted once in the totals and its transactions are listed once', async () => {
    expect(await service.call('overview.totals', undefined)).toEqual([
      { currency: 'BHD', total: 10000, accounts: 1 }, { currency: 'EUR', total: 100000, accounts: 1 }, { currency: 'USD', total: 50000, accounts: 1 },
    ]);
    const all = await service.call('transactions.list', { sort: 'date_desc', limit: 50 });
    expect(all.rows.map((t) => [t.accountId, t.description])).toEqual([[ids.eur, 'Groceries'], [ids.eur, 'Salary']]);
    // asked for by name, a copy still shows its own rows
    expect((await service.call('transactions.list', { accountIds: [ids.copy], sort: 'date_desc', limit: 50 })).rows).toHaveLength(2);
    const exported = await service.call('export.run', { format: 'json' });
    expect(exported.rows).toBe(2);
  });

  it('follows the connection the user prefers', async () => {
    const after = await service.call('accounts.prefer', { accountId: ids.copy });
    expect(after.find((a) => a.id === ids.eur)!.sameAccount!.primaryId).toBe(ids.copy);
    const all = await service.call('transactions.list', { sort: 'date_desc', limit: 50 });
    expect(new Set(all.rows.map((t) => t.accountId))).toEqual(new Set([ids.copy]));
    expect((await service.call('networth.get', { base: 'EUR' })).accounts.map((a) => a.accountId)).toEqual([ids.usd, ids.bhd, ids.copy]);
    await expect(service.call('accounts.prefer', { accountId: ids.usd })).rejects.toThrow(/not reached through another connection/);
    await service.call('accounts.prefer', { accountId: ids.eur });
  });
});

describe('net worth in the base currency', () => {
  it('converts every counted account at the previous business day\'s rate and names what has no rate', async () => {
    const nw = await service.call('networth.get', { base: 'EUR' });
    const usd = usdInEur(50000, '2026-06-16');
    expect(nw).toMatchObject({ base: 'EUR', date: '2026-06-17', total: 100000 + usd, missing: ['No rate for BHD: the ECB does not publish one.'], ratesProblem: null });
    expect(nw.accounts).toEqual([
      { accountId: ids.eur, currency: 'EUR', balance: 100000, inBase: 100000, rateDate: '2026-06-17', problem: null, notice: null },
      { accountId: ids.usd, currency: 'USD', balance: 50000, inBase: usd, rateDate: '2026-06-16', problem: null, notice: null },
      { accountId: ids.bhd, currency: 'BHD', balance: 10000, inBase: null, rateDate: null, problem: 'No rate for BHD: the ECB does not publish one.', notice: { id: 'fx.not_published', values: { currency: 'BHD' } } },
    ]);
  });

  it('gives monthly totals from the balances the transactions imply, each at its day\'s rate', async () => {
    const nw = await service.call('networth.get', { base: 'EUR', months: 3 });
    expect(nw.history).toEqual([
      // 30 April is a Thursday; 31 May a Sunday (Friday's rate); 17 June is today (Tuesday's rate)
      { month: '2026-04', date: '2026-04-30', total: 85000 + usdInEur(50000, '2026-04-30'), missing: ['BHD'] },
      { month: '2026-05', date: '2026-05-31', total: 105000 + usdInEur(50000, '2026-05-29'), missing: ['BHD'] },
      { month: '2026-06', date: '2026-06-17', total: 100000 + usdInEur(50000, '2026-06-16'), missing: ['BHD'] },
    ]);
  });

  it('shows the same in another base currency, and takes the base from the preferences', async () => {
    const rate = (c: string) => emulatedRate(sandbox.world.seed, c, '2026-06-16');
    const czk = await service.call('networth.get', { base: 'CZK', months: 1 });
    expect(czk.accounts.map((a) => a.inBase)).toEqual([
      convertMinor(100000, 'EUR', '1', 'CZK', rate('CZK')), convertMinor(50000, 'USD', rate('USD'), 'CZK', rate('CZK')), null,
    ]);
    await service.call('prefs.set', { baseCurrency: 'CZK' });
    expect((await service.call('networth.get', undefined)).total).toBe(czk.total);
    await service.call('prefs.set', { baseCurrency: 'EUR' });
  });

  it('has one point per month, the current one ending today', () => {
    expect(monthEnds('2026-03-05', 3)).toEqual([
      { month: '2026-01', date: '2026-01-31' }, { month: '2026-02', date: '2026-02-28' }, { month: '2026-03', date: '2026-03-05' },
    ]);
  });
});

describe('multibank networth', () => {
  it('prints every account in the base currency, the total and the month ends; --json gives the same figures', async () => {
    await service.close(); // the CLI opens the data dir as a separate invocation would
    const cli = inProcessCli(dataDir, undefined, { now: () => new Date(NOW), ratesHost: sandbox.urls.ecb });
    const json = await cli(['networth', '--json', '--base', 'eur']);
    expect(json.code).toBe(0);
    const nw = JSON.parse(json.out);
    expect(nw).toMatchObject({ base: 'EUR', date: '2026-06-17', total: 100000 + usdInEur(50000, '2026-06-16') });
    expect(nw.history).toHaveLength(12);
    const human = await cli(['networth', '--base', 'EUR']);
    expect(human.out).toContain(`Net worth: ${((100000 + usdInEur(50000, '2026-06-16')) / 100).toFixed(2)} EUR on 2026-06-17`);
    expect(human.out).toContain('Left out: No rate for BHD: the ECB does not publish one.');
    expect(human.out).toMatch(/2026-05-31 +\d+\.\d{2} EUR  \(without BHD: no rate\)/);
    // the same in German: the reason an account is left out comes from main as a message
    const german = await cli(['--lang', 'de', 'networth', '--base', 'EUR']);
    expect(german.out).toContain('Nicht berücksichtigt: Kein Kurs für BHD: Die EZB veröffentlicht keinen.');
    expect(german.out).toMatch(/^ *\d+ +\S.* +Kein Kurs für BHD: Die EZB veröffentlicht keinen\.$/m);
    const bad = await cli(['networth', '--base', 'euro']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--base must be a three-letter currency code');
    const list = await cli(['accounts', 'list']);
    expect(list.out).toMatch(/copy of \d+/);
  });
});

describe('net worth without a reachable rates host', () => {
  it('asks no one while every account is in the base currency, and says so when a rate is needed but cannot be fetched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-networth-offline-'));
    const { db, connectionId } = freshDb(join(dir, 'multibank.db'));
    createRepositories(db, { now: () => new Date(NOW) }).accounts.upsertRemote(connectionId, [
      { remoteId: 'usd', name: 'Dollars', type: 'current', currency: 'USD', balanceCurrent: 12345, balanceCurrentDate: '2026-06-17' },
    ]);
    db.close();
    let asked = 0;
    const offline = await createService({
      dataDir: dir, cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore({ baseCurrency: 'USD' }),
      logger: silentLogger, background: false, now: () => new Date(NOW), ratesHost: 'http://127.0.0.1:9',
      fetch: (async (...args: Parameters<typeof fetch>) => { asked++; return fetch(...args); }) as typeof fetch,
    });
    try {
      // an account already in the base currency needs no rate, even where none is kept
      const inUsd = await offline.call('networth.get', undefined);
      expect(inUsd).toMatchObject({ total: 12345, ratesProblem: null, missing: [] });
      expect(inUsd.accounts[0]).toMatchObject({ inBase: 12345, problem: null });
      expect(inUsd.history.at(-1)).toMatchObject({ total: 12345, missing: [] });
      expect(asked).toBe(0);
      const inEur = await offline.call('networth.get', { base: 'EUR' });
      expect(asked).toBe(1);
      expect(inEur).toMatchObject({ total: 0, ratesProblem: expect.stringContaining("The ECB's exchange rates could not be fetched now; no rates are kept here yet"), ratesNotice: { id: 'fx.fetch_failed_none' } });
      expect(inEur.accounts[0]).toMatchObject({ inBase: null, problem: 'No rate for USD yet: no exchange rates could be fetched so far.' });
    } finally {
      await offline.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
