// The app lock in main: while locked every channel but lock.* is refused with `locked` and no event is forwarded;
// unlocking takes the data's passphrase (a wrong one is refused and counted) or, with the OS keyring, a click.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../preload/contract/channels.js';
import { LOCK_CHANNELS } from '../../../preload/contract/lock.js';
import { openLocalService } from '../../../main/index.js';
import { createDispatcher } from '../../../main/ipc/dispatch.js';
import { silentLogger } from '../../../main/log/index.js';
import { createMemoryPrefsStore, createService, type MultibankService } from '../../../main/service/index.js';
import { MemorySealedKeyStore, TestCipher } from '../../../main/vault/index.js';

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
});
