// The Electron composition with the REAL service (mocked electron only): IPC from the app:// page reaches the service,
// secrets stay sealed by safeStorage in electron-store, the app:// protocol serves with the CSP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronModule());

import { fake, resetFake } from './electron-mock.js';
import { runApp, type RunningApp } from '../../../main/electron/app.js';
import { IPC_CALL } from '../../../main/ipc/dispatch.js';

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

  it('tells the UI when safeStorage can only keep plain text', async () => {
    fake.safeStorage.backend = 'basic_text';
    const original = process.platform;
    Object.defineProperty(process, 'platform', { value: 'linux' });
    try {
      running = await runApp();
      const call = fake.ipcHandlers.get(IPC_CALL)!;
      const info = await call({ senderFrame: { url: 'app://multibank/', parent: null } }, 'app.info', undefined);
      expect(info).toMatchObject({ ok: true, value: { secretStorage: { available: true, plainText: true, optedIn: false } } });
    } finally {
      Object.defineProperty(process, 'platform', { value: original });
    }
  });
});
