import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronModule());
const created = vi.hoisted(() => ({ opts: [] as any[], fail: null as Error | null, handleRedirect: null as any }));
vi.mock('../../../main/service/index.js', () => ({
  createService: vi.fn(async (opts: any) => {
    created.opts.push(opts);
    if (created.fail) throw created.fail;
    return { call: vi.fn(), on: vi.fn(() => () => {}), handleRedirect: created.handleRedirect, close: vi.fn(async () => {}), checkConsents: vi.fn(() => []), idle: vi.fn(), dataDir: opts.dataDir };
  }),
}));

import { fake, FakeBrowserWindow, resetFake } from './electron-mock.js';
import { runApp } from '../../../main/electron/app.js';
import { SafeStorageCipher } from '../../../main/electron/cipher.js';
import { IPC_CALL } from '../../../main/ipc/dispatch.js';

let dir: string;
const argv = process.argv;
beforeEach(() => {
  resetFake();
  dir = mkdtempSync(join(tmpdir(), 'mb-app-'));
  fake.userData = join(dir, 'userData');
  fake.appPath = join(dir, 'app');
  created.opts.length = 0;
  created.fail = null;
  created.handleRedirect = vi.fn(async () => true);
});
afterEach(() => { process.argv = argv; rmSync(dir, { recursive: true, force: true }); });

describe('runApp', () => {
  it('quits at once when another instance holds the lock', async () => {
    fake.gotLock = false;
    expect(await runApp()).toBeNull();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(created.opts).toHaveLength(0);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('starts the service with safeStorage, electron-store and custom-scheme redirects, then opens the secure window', async () => {
    const running = await runApp();
    expect(running).not.toBeNull();
    expect(fake.app.setAsDefaultProtocolClient.mock.calls[0][0]).toBe('multibank');
    expect(fake.schemes.map((s) => s.scheme)).toEqual(['app']);
    expect(fake.protocolHandlers.has('app')).toBe(true);
    expect(fake.session.permissionRequestHandler).toBeTypeOf('function');
    expect(fake.ipcHandlers.has(IPC_CALL)).toBe(true);
    const opts = created.opts[0];
    expect(opts.dataDir).toBe(fake.userData);
    expect(opts.cipher).toBeInstanceOf(SafeStorageCipher);
    expect(opts.redirectMode).toBe('custom_scheme');
    expect(opts.prefs.get()).toMatchObject({ theme: 'system', allowPlainTextSecrets: false });
    expect(opts.keyStore.load()).toBeUndefined();
    opts.notify('Consent expiring', 'Demo Bank in 3 days');
    expect(fake.notifications).toEqual([{ title: 'Consent expiring', body: 'Demo Bank in 3 days' }]);
    const win = FakeBrowserWindow.instances[0];
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: join(fake.appPath, 'dist', 'preload', 'index.cjs') });
    expect(win.loadedUrl).toBe('app://multibank/index.html');
    // every new web contents is hardened
    const { FakeWebContents } = await import('./electron-mock.js');
    const other = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, other);
    expect(other.windowOpenHandler).toBeTypeOf('function');
  });

  it('routes deep links from open-url, second-instance and the start-up argv to service.handleRedirect', async () => {
    process.argv = ['electron', '.', 'multibank://oauth/callback?code=a&state=startup'];
    // a link that arrives before the service is ready is queued, not lost
    const runningP = runApp();
    fake.app.emit('open-url', { preventDefault: () => {} }, 'multibank://oauth/callback?code=b&state=early');
    await runningP;
    await vi.waitFor(() => expect(created.handleRedirect).toHaveBeenCalledTimes(2));
    expect(created.handleRedirect.mock.calls.map((c: any[]) => c[0])).toEqual([
      'multibank://oauth/callback?code=b&state=early', 'multibank://oauth/callback?code=a&state=startup',
    ]);
    const prevented = vi.fn();
    fake.app.emit('open-url', { preventDefault: prevented }, 'multibank://oauth/callback?code=c&state=mac');
    fake.app.emit('second-instance', {}, ['multibank.exe', '--flag', 'multibank://oauth/callback?code=d&state=win'], '/');
    fake.app.emit('second-instance', {}, ['multibank.exe'], '/');
    fake.app.emit('open-url', { preventDefault: () => {} }, 'https://evil.example/?code=1&state=2');
    await vi.waitFor(() => expect(created.handleRedirect).toHaveBeenCalledTimes(4));
    expect(prevented).toHaveBeenCalled();
    expect(created.handleRedirect.mock.calls.slice(2).map((c: any[]) => c[0])).toEqual([
      'multibank://oauth/callback?code=c&state=mac', 'multibank://oauth/callback?code=d&state=win',
    ]);
  });

  it('uses MULTIBANK_USER_DATA as the profile folder when set', async () => {
    const other = join(dir, 'other-profile');
    process.env.MULTIBANK_USER_DATA = other;
    try {
      await runApp();
      expect(fake.app.setPath).toHaveBeenCalledWith('userData', other);
      expect(created.opts[0].dataDir).toBe(other);
    } finally {
      delete process.env.MULTIBANK_USER_DATA;
    }
  });

  it('shows one clear error and quits when the service cannot start', async () => {
    created.fail = Object.assign(new Error('This database has schema version 9, but this Multibank knows only up to 2.'), { code: 'database_too_new' });
    expect(await runApp()).toBeNull();
    expect(fake.errorBoxes).toEqual([['Multibank could not start', expect.stringContaining('schema version 9')]]);
    expect(fake.app.quit).toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });
});
