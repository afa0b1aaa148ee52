// The Electron composition with the REAL service (mocked electron only): IPC from the app:// page reaches the service,
// secrets stay sealed by safeStorage in electron-store, the app:// protocol serves with the CSP.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronModule());

import { fake, resetFake } from './electron-mock.js';
import { runApp, type RunningApp } from '../../../main/electron/app.js';
import { IPC_CALL } from '../../../main/ipc/dispatch.js';
import { isPlainDatabase } from '../../../main/store/db.js';

let dir: string;
let running: RunningApp | null = null;
beforeEach(() => {
  resetFake();
  dir = mkdtempSync(join(tmpdir(), 'mb-app-svc-'));
  fake.userData = join(dir, 'userData');
  fake.appPath = join(dir, 'app');
});
afterEach(async () => {
  await running?.service.close();
  running = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('runApp with the real service', () => {
  it('answers the app page over IPC and refuses other senders', async () => {
    running = await runApp();
    expect(running).not.toBeNull();
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const app = { senderFrame: { url: 'app://multibank/index.html', parent: null } };
    const info = await call(app, 'app.info', undefined);
    expect(info).toMatchObject({ ok: true, value: { secretStorage: { available: true, plainText: false } } });
    expect(await call(app, 'accounts.list', undefined)).toEqual({ ok: true, value: [] });
    // the first start speaks the language the OS prefers (the fake prefers Slovak); the choice is then stored
    expect(await call(app, 'prefs.get', undefined)).toMatchObject({ ok: true, value: { language: 'sk' } });
    expect(await call(app, 'prefs.set', { theme: 'dark', language: 'pl' })).toMatchObject({ ok: true, value: { theme: 'dark', language: 'pl' } });
    expect(await call(app, 'prefs.set', { language: 'klingon' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call(app, 'transactions.get', { id: 'x' })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(await call({ senderFrame: { url: 'https://evil.example/', parent: null } }, 'accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // deep links with an unknown state change nothing and never throw
    expect(await running!.deliverDeepLink('multibank://oauth/callback?code=c&state=forged')).toBe(false);
  });

  it('encrypts the database under a random key sealed by safeStorage, and opens it again after a restart', async () => {
    running = await runApp();
    const call = fake.ipcHandlers.get(IPC_CALL)!;
    const app = { senderFrame: { url: 'app://multibank/index.html', parent: null } };
    expect(await call(app, 'prefs.set', { theme: 'dark' })).toMatchObject({ ok: true });
    const db = join(fake.userData, 'multibank.db');
    expect(existsSync(db)).toBe(true);
    expect(isPlainDatabase(db)).toBe(false);
    const prefs = readFileSync(join(fake.userData, 'preferences.json'), 'utf8');
    expect(JSON.parse(prefs)).toHaveProperty('sealedDatabaseKey');
    await running!.service.close();
    running = await runApp();
    expect(await fake.ipcHandlers.get(IPC_CALL)!(app, 'accounts.list', undefined)).toEqual({ ok: true, value: [] });
  });

  it('without a real keyring, starts locked and opens nothing until a passphrase is chosen; then it is asked at every start', async () => {
    fake.safeStorage.backend = 'basic_text';
    const original = process.platform;
    Object.defineProperty(process, 'platform', { value: 'linux' });
    const page = { senderFrame: { url: 'app://multibank/', parent: null } };
    try {
      running = await runApp();
      let call = fake.ipcHandlers.get(IPC_CALL)!;
      expect(await call(page, 'lock.status', undefined)).toEqual({ ok: true, value: { locked: true, unlockWith: 'new_passphrase', lockAfterMinutes: 0, language: 'sk' } });
      expect(await call(page, 'app.info', undefined)).toMatchObject({ ok: false, error: { code: 'locked' } });
      expect(existsSync(join(fake.userData, 'multibank.db'))).toBe(false);
      expect(await call(page, 'lock.unlock', { passphrase: 'short' })).toMatchObject({ ok: false, error: { code: 'validation' } });
      expect(await call(page, 'lock.unlock', { passphrase: 'the chosen passphrase' })).toMatchObject({ ok: true, value: { locked: false, unlockWith: 'passphrase' } });
      // the vault's key is now sealed under the passphrase's key: secrets need no plain-text opt-in
      expect(await call(page, 'app.info', undefined)).toMatchObject({ ok: true, value: { secretStorage: { available: true, plainText: false } } });
      expect(isPlainDatabase(join(fake.userData, 'multibank.db'))).toBe(false);
      await running!.service.close();

      running = await runApp();
      call = fake.ipcHandlers.get(IPC_CALL)!;
      expect(await call(page, 'lock.status', undefined)).toMatchObject({ ok: true, value: { locked: true, unlockWith: 'passphrase' } });
      expect(await call(page, 'lock.unlock', { passphrase: 'a wrong passphrase' })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
      expect(await call(page, 'lock.unlock', { passphrase: 'the chosen passphrase' })).toMatchObject({ ok: true, value: { locked: false } });
      expect(await call(page, 'accounts.list', undefined)).toEqual({ ok: true, value: [] });
    } finally {
      Object.defineProperty(process, 'platform', { value: original });
    }
  }, 30_000);
});
