// The app lock in main: while locked every channel but lock.* is refused with `locked` and no event is forwarded;
// unlocking takes the data's passphrase (a wrong one is refused and counted) or, with the OS keyring, a click. Where the
// passphrase holds the key, locking closes the database and zeroes the key: the file can be opened exclusively by
// another connection, a sync under way stops at a step's end, and the unlock reopens everything with nothing lost.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../preload/contract/channels.js';
import { LOCK_CHANNELS } from '../../../preload/contract/lock.js';
import { openLocalService } from '../../../main/index.js';
import { createDispatcher } from '../../../main/ipc/dispatch.js';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { applyKey } from '../../../main/store/db.js';
import { DatabaseKeyCipher, unlockWithPassphrase } from '../../../main/vault/dbkey.js';
import { FileSealedKeyStore, MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';
import { testDatabaseKey, TEST_PASSPHRASE } from '../../helpers/dbkey.js';
import { GOOD_SECRET, scriptedRegistry, scriptedWorld } from './scripted-provider.js';
import type { ProviderRegistry } from '../../../main/providers/hub.js';

const dirs: string[] = [];
const services: MultibankService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'mb-lock-')); dirs.push(d); return d; };
const NOW = new Date('2026-11-20T10:00:00.000Z');

describe('the app lock', () => {
  it('refuses every data channel with `locked`, and unlocks only with the right passphrase', async () => {
    const dir = tempDir();
    const service = await openLocalService(dir, { passphrase: 'the lock passphrase', background: false, logger: silentLogger, now: () => NOW });
    services.push(service);
    const dispatch = createDispatcher<null>(service, { isTrustedSender: () => true });
    const lockEvents: unknown[] = [];
    service.on('lock.changed', (e) => lockEvents.push(e));

    const { language } = await service.call('prefs.get', undefined);
    expect(await dispatch(null, 'lock.status', undefined)).toEqual({ ok: true, value: { locked: false, unlockWith: 'passphrase', lockAfterMinutes: 15, language } });
    expect(await dispatch(null, 'lock.lock', undefined)).toMatchObject({ ok: true, value: { locked: true } });
    expect(lockEvents).toEqual([{ locked: true }]);
    for (const channel of CHANNELS.filter((c) => !(LOCK_CHANNELS as string[]).includes(c))) {
      await expect(service.call(channel, undefined as never), channel).rejects.toMatchObject({ code: 'locked' });
    }
    expect(await dispatch(null, 'accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'locked', message: 'Multibank is locked.' } });

    expect(await dispatch(null, 'lock.unlock', {})).toMatchObject({ ok: false, error: { code: 'passphrase_required' } });
    expect(await dispatch(null, 'lock.unlock', { passphrase: 'not it at all' })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
    expect(await dispatch(null, 'lock.status', undefined)).toMatchObject({ ok: true, value: { locked: true } });
    expect(await dispatch(null, 'lock.unlock', { passphrase: 'the lock passphrase' })).toMatchObject({ ok: true, value: { locked: false } });
    expect(lockEvents).toEqual([{ locked: true }, { locked: false }]);
    expect(await dispatch(null, 'accounts.list', undefined)).toEqual({ ok: true, value: [] });
  }, 30_000);

  it('with the key in the OS keyring, a click unlocks; the idle time is a preference', async () => {
    const service = await createService({
      dataDir: tempDir(), cipher: new TestCipher(), keyStore: new MemorySealedKeyStore(), prefs: createMemoryPrefsStore(),
      databaseKey: Buffer.alloc(32, 3), background: false, logger: silentLogger, now: () => NOW,
    });
    services.push(service);
    expect(await service.call('prefs.set', { lockAfterMinutes: 5, language: 'sk' })).toMatchObject({ lockAfterMinutes: 5 });
    // the preferences are refused while locked, but the chosen language is said, for the lock screen
    expect(await service.call('lock.lock', undefined)).toEqual({ locked: true, unlockWith: 'click', lockAfterMinutes: 5, language: 'sk' });
    await expect(service.call('prefs.get', undefined)).rejects.toMatchObject({ code: 'locked' });
    expect(await service.call('lock.unlock', {})).toEqual({ locked: false, unlockWith: 'click', lockAfterMinutes: 5, language: 'sk' });
    const dispatch = createDispatcher<null>(service, { isTrustedSender: () => true });
    expect(await dispatch(null, 'prefs.set', { lockAfterMinutes: 7 })).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('where the passphrase holds the key, locking closes the database and zeroes the key; unlock reopens it, nothing lost', async () => {
    const dir = tempDir();
    const file = join(dir, 'multibank.db');
    const key = await testDatabaseKey(dir);
    const world = scriptedWorld();
    // the aggregator's transaction pages wait while `hold` is set: a sync is caught in the middle of its run
    let hold: { reached(): void; released: Promise<void> } | null = null;
    const scripted = scriptedRegistry(world).powens!;
    const registry: ProviderRegistry = { powens: { ...scripted, factory: (...made) => {
      const p = scripted.factory(...made);
      return { ...p, fetchTransactions: async (...args) => { if (hold) { hold.reached(); await hold.released; } return p.fetchTransactions(...args); } };
    } } };
    // what openLocalService builds, with the key's Buffer at hand to see it zeroed
    const service = await createService({
      dataDir: dir, databaseKey: key, cipher: new DatabaseKeyCipher(key), keyStore: new FileSealedKeyStore(dir), prefs: createMemoryPrefsStore(),
      redirectMode: 'custom_scheme', providers: registry, background: false, logger: silentLogger, now: () => NOW,
    });
    services.push(service);
    await service.call('providers.configure', { provider: 'powens', baseUrl: 'https://aggregator.example', clientId: 'client-1', clientSecret: GOOD_SECRET, options: {} });
    const step = await service.call('link.begin', { provider: 'powens', institutionId: 'bank-1' });
    if (step.kind !== 'redirect') throw new Error(`expected a redirect step, got ${step.kind}`);
    expect(await service.handleRedirect(`multibank://oauth/callback?code=good-code&state=${new URL(step.url).searchParams.get('state')}`)).toBe(true);
    const done = await service.call('link.poll', { linkId: step.linkId });
    if (done.kind !== 'done') throw new Error('link did not finish');
    await service.call('link.chooseAccounts', { connectionId: done.connectionId, accountIds: done.accounts.map((a) => a.id) });
    await service.idle();
    const accounts = await service.call('accounts.list', undefined);
    expect(accounts).toHaveLength(2);

    /** another connection takes the file for itself: only possible when nobody else has it open */
    const exclusive = (k: Buffer) => {
      const other = new Database(file, { timeout: 0 });
      try {
        applyKey(other, k);
        other.pragma('locking_mode = EXCLUSIVE');
        other.exec('BEGIN EXCLUSIVE; COMMIT');
        return 'ok';
      } catch (e) {
        return (e as { code?: string }).code;
      } finally {
        other.close();
      }
    };
    const freshKey = await unlockWithPassphrase(dir, TEST_PASSPHRASE);
    expect(exclusive(freshKey)).toBe('SQLITE_BUSY'); // the check can fail: while open, the service holds the file

    // a sync under way when the lock comes: it stops at a step's end before the database closes
    world.transactions.A.push({ remoteId: 't9', bookingDate: '2026-11-19', amount: -990, currency: 'EUR', status: 'booked', description: 'Bakery', raw: { id: 't9' } });
    let release!: () => void;
    const reached = new Promise<void>((ok) => { hold = { reached: ok, released: new Promise((r) => { release = r; }) }; });
    await service.call('sync.run', { connectionId: done.connectionId });
    await reached;
    const locking = service.call('lock.lock', undefined);
    await expect(service.call('accounts.list', undefined)).rejects.toMatchObject({ code: 'locked' }); // locked at once
    hold = null;
    release();
    expect(await locking).toMatchObject({ locked: true, unlockWith: 'passphrase' });
    expect(key.equals(Buffer.alloc(32))).toBe(true); // the key is zeroed in memory
    expect(existsSync(`${file}.open-${process.pid}`)).toBe(false); // the service's in-use mark is gone
    expect(exclusive(freshKey)).toBe('ok');
    // the interrupted run ended as cancelled: its step was written whole or not at all
    const look = new Database(file, { readonly: true });
    applyKey(look, freshKey);
    expect(look.prepare('select outcome from sync_runs order by id desc limit 1').pluck().get()).toBe('cancelled');
    expect(look.pragma('integrity_check', { simple: true })).toBe('ok');
    look.close();
    expect(service.checkConsents()).toEqual([]);
    await service.idle();
    expect(exclusive(freshKey)).toBe('ok'); // nothing reopened it meanwhile

    await expect(service.call('lock.unlock', { passphrase: 'not the passphrase' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    expect(exclusive(freshKey)).toBe('ok');
    expect(await service.call('lock.unlock', { passphrase: TEST_PASSPHRASE })).toMatchObject({ locked: false });
    expect(await service.call('accounts.list', undefined)).toEqual(accounts);
    // syncing resumes: the run the lock stopped, again, adds what it had not written
    await service.call('sync.run', { connectionId: done.connectionId });
    await service.idle();
    const rows = await service.call('transactions.list', { accountIds: [accounts.find((a) => a.name === 'Current account')!.id], sort: 'date_desc', limit: 50 });
    expect(rows.rows.map((t) => t.description).sort()).toEqual(['Bakery', 'Coffee Roastery', 'Salary November']);
    expect(await service.call('db.check', undefined)).toMatchObject({ ok: true });
    // the vault opens under the new key: the aggregator's secret is still there
    expect((await service.call('providers.list', undefined))[0]).toMatchObject({ configured: true });
  }, 30_000);
});
