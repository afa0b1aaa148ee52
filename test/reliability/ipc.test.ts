// 4. IPC abuse: every channel of the contract, through the real dispatcher (main/ipc) over a real service holding a
// synced Powens connection, fed generated invalid payloads (fast-check) and calls from untrusted senders. Every answer
// is {ok:false} with `validation` (or `forbidden` for an untrusted sender); the dispatcher never throws; and nothing
// changes: the database and WAL files' bytes, prefs.json and the row counts are the same afterwards.
// Default 300 payloads per channel; MULTIBANK_RELIABILITY=full: 3,000. Seed: MULTIBANK_FC_SEED.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, requests, type Channel } from '../../preload/contract/channels.js';
import { createDispatcher, type Dispatch } from '../../main/ipc/dispatch.js';
import type { MultibankService } from '../../main/service/index.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/start.js';
import { recordFigures } from './figures.js';
import { FULL, link, openService, tempDir } from './harness.js';

const PER_CHANNEL = FULL ? 3_000 : 300;
const SEED = Number(process.env.MULTIBANK_FC_SEED ?? 1124);

/** A well-formed request per channel (what an untrusted sender might send); channels not listed get {}. */
const VALID: Partial<Record<Channel, unknown>> = {
  'providers.configure': { provider: 'powens', baseUrl: 'http://127.0.0.1:1/', clientId: 'x', clientSecret: 'y', options: {} },
  'institutions.list': { provider: 'powens', query: '' },
  'link.begin': { provider: 'powens' },
  'link.submit': { linkId: 'abcdefghij', values: {} },
  'link.poll': { linkId: 'abcdefghij' },
  'link.cancel': { linkId: 'abcdefghij' },
  'link.chooseAccounts': { connectionId: 1, accountIds: [] },
  'connections.remove': { connectionId: 1, deleteLocalData: true },
  'accounts.balanceHistory': { accountId: 1 },
  'accounts.monthly': { accountId: 1, months: 12 },
  'accounts.topCounterparties': { accountId: 1, limit: 10 },
  'transactions.list': { sort: 'date_desc', limit: 50 },
  'transactions.get': { id: 1 },
  'transactions.update': { id: 1, note: 'owned', hidden: true },
  'sync.run': { connectionId: 1 },
  'sync.cancel': { connectionId: 1 },
  'sync.log': { limit: 10 },
  'export.run': { format: 'csv' },
  'prefs.set': { theme: 'dark', allowPlainTextSecrets: true },
  'categories.rename': { id: 1, name: 'Food' },
  'categories.remove': { id: 1, moveTo: 2 },
  'rules.add': { categoryId: 1, text: 'rewe', minAmount: '1.5', direction: 'out', accountId: 1 },
  'rules.apply': { dryRun: false },
};

describe('IPC abuse through the real dispatcher', () => {
  let sandbox: RunningSandbox;
  let service: MultibankService;
  let dataDir: string;
  let dispatch: Dispatch<{ trusted: boolean }>;
  let refused = 0;
  let calls = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ providers: ['powens'], now: '2026-06-15T12:00:00Z' });
    dataDir = tempDir('ipc');
    service = await openService({ dataDir, cipherKey: 'ef'.repeat(32), sandbox });
    await service.call('demo.start', undefined);
    const done = await link(service, 'powens');
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    await service.call('prefs.set', { theme: 'light' }); // prefs.json exists
    // the sender check the Electron glue does, on a plain object; a sender that throws counts as untrusted
    dispatch = createDispatcher(service, { isTrustedSender: (s) => {
      if (s && typeof s === 'object' && 'explode' in s) throw new Error('sender check failed');
      return s?.trusted === true;
    } });
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await sandbox?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** bytes of every file the service writes, and the row counts of every table */
  const fingerprint = async () => {
    const files = ['multibank.db', 'multibank.db-wal', 'prefs.json'].map((f) => join(dataDir, f)).filter(existsSync)
      .map((f) => `${f}:${createHash('sha256').update(readFileSync(f)).digest('hex')}`);
    const counts = {
      connections: (await service.call('connections.list', undefined)).map((c) => [c.id, c.state, c.lastErrorCode]),
      accounts: (await service.call('accounts.list', undefined)).length,
      transactions: (await service.call('transactions.list', { sort: 'date_desc', limit: 500 })).rows.map((r) => [r.id, r.note, r.hidden, r.category]),
      runs: (await service.call('sync.log', { limit: 500 })).length,
      prefs: await service.call('prefs.get', undefined),
    };
    return JSON.stringify({ files, counts });
  };

  const call = async (sender: unknown, channel: unknown, payload: unknown) => {
    calls++;
    const r = await dispatch(sender as { trusted: boolean }, channel, payload); // never rejects
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(typeof r.error.message).toBe('string');
      expect(r.error.message.length).toBeGreaterThan(0);
      refused++;
    }
    return r;
  };

  /** invalid for the channel's schema: anything at all, or the valid request with one key broken, added or removed */
  const invalidFor = (channel: Channel) => {
    const valid = (VALID[channel] ?? {}) as Record<string, unknown>;
    const keys = Object.keys(valid);
    const broken = fc.oneof(
      fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true }),
      fc.tuple(keys.length ? fc.constantFrom(...keys) : fc.string(), fc.anything()).map(([k, v]) => ({ ...valid, [k]: v })),
      fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), fc.anything()).map(([k, v]) => ({ ...valid, [k]: v })),
      fc.constantFrom(...keys, '').map((k) => Object.fromEntries(Object.entries(valid).filter(([x]) => x !== k))),
      fc.constantFrom({ ...valid, __proto__: { polluted: true } }, JSON.parse(`{"__proto__": {"polluted": true}${keys.length ? ',' : ''}${JSON.stringify(valid).slice(1)}`),
        { ...valid, connectionId: -1 }, { ...valid, id: 2 ** 60 }, { ...valid, linkId: 'x'.repeat(10_000) }, 'x'.repeat(100_000), [valid], JSON.stringify(valid)),
    );
    return broken.filter((p) => !requests[channel].safeParse(p).success);
  };

  it(`every channel refuses ${PER_CHANNEL} generated invalid payloads with a validation error, and nothing changes`, async () => {
    const before = await fingerprint();
    for (const channel of CHANNELS) {
      await fc.assert(fc.asyncProperty(invalidFor(channel), async (payload) => {
        const r = await call({ trusted: true }, channel, payload);
        expect(r.ok ? null : r.error.code, channel).toBe('validation');
      }), { numRuns: PER_CHANNEL, seed: SEED });
    }
    // channel names that are not in the contract (prototype keys, near misses, other types)
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'sync.run ', 'SYNC.RUN', 'multibank:call'), fc.anything()), async (channel) => {
      fc.pre(!(typeof channel === 'string' && (CHANNELS as string[]).includes(channel)));
      const r = await call({ trusted: true }, channel, {});
      expect(r.ok ? null : r.error.code).toBe('validation');
    }), { numRuns: PER_CHANNEL, seed: SEED });
    expect({}).not.toHaveProperty('polluted');
    expect(await fingerprint()).toBe(before);
  }, 240_000);

  it('an untrusted sender is refused on every channel, valid payload or not, and the service is never reached', async () => {
    const before = await fingerprint();
    const untrusted = fc.oneof(fc.constant({ trusted: false }), fc.constant({ explode: true }), fc.constant(null), fc.constant(undefined), fc.anything(),
      fc.constant({ trusted: 'true' }), fc.constant({ trusted: 1 }));
    for (const channel of CHANNELS) {
      await fc.assert(fc.asyncProperty(untrusted, fc.oneof(fc.constant(VALID[channel] ?? {}), invalidFor(channel)), async (sender, payload) => {
        fc.pre(!(sender && typeof sender === 'object' && (sender as { trusted?: unknown }).trusted === true));
        const r = await call(sender, channel, payload);
        expect(r.ok ? null : r.error.code, channel).toBe('forbidden');
      }), { numRuns: Math.ceil(PER_CHANNEL / 3), seed: SEED });
    }
    expect(await fingerprint()).toBe(before);
  }, 240_000);

  it('well-formed requests about things that do not exist are refused without an internal error or a change', async () => {
    const before = await fingerprint();
    const missing: Array<[Channel, unknown, string[]]> = [
      ['transactions.get', { id: 999_999 }, ['not_found']],
      ['transactions.update', { id: 999_999, note: 'x' }, ['not_found']],
      ['connections.remove', { connectionId: 999_999, deleteLocalData: true }, ['not_found']],
      ['sync.run', { connectionId: 999_999 }, ['not_found']],
      ['link.chooseAccounts', { connectionId: 999_999, accountIds: [1] }, ['not_found']],
      ['link.chooseAccounts', { connectionId: 1, accountIds: [999_999] }, ['validation']],
      ['link.poll', { linkId: 'abcdefghijklmnop' }, ['link_expired']],
      ['link.submit', { linkId: 'abcdefghijklmnop', values: { password: 'x' } }, ['link_expired']],
      ['link.begin', { provider: 'powens', renewConnectionId: 999_999 }, ['not_found']],
      ['transactions.list', { cursor: 'not-a-cursor' }, ['validation']],
    ];
    for (const [channel, payload, codes] of missing) {
      const r = await call({ trusted: true }, channel, payload);
      expect(codes, `${channel} ${JSON.stringify(r)}`).toContain(r.ok ? 'ok' : r.error.code);
    }
    expect(await fingerprint()).toBe(before);
    recordFigures('ipc', { payloadsRefused: refused, dispatches: calls, channels: CHANNELS.length, fcSeed: SEED });
  }, 60_000);
});
