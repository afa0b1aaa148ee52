import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')).electronModule());

import { fake, FakeBrowserWindow, FakeSession, FakeWebContents, resetFake } from './electron-mock.js';
import { hardenSession, hardenWebContents } from '../../../main/electron/hardening.js';
import { createMainWindow, mainWindowOptions, secureWebPreferences } from '../../../main/electron/window.js';
import { forwardEventsTo, isTrustedIpcSender, wireIpc } from '../../../main/electron/ipc.js';
import { registerAppScheme, installAppProtocol } from '../../../main/electron/protocol.js';
import { SafeStorageCipher } from '../../../main/electron/cipher.js';
import { IPC_CALL, IPC_EVENT } from '../../../main/ipc/dispatch.js';
import type { Service } from '../../../main/service/api.js';
import { protocol } from 'electron';

beforeEach(() => resetFake());

describe('main window', () => {
  it('uses every secure webPreferences option', () => {
    expect(secureWebPreferences('/app/dist/preload/index.js')).toEqual({
      preload: '/app/dist/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
    });
  });

  it('creates the window with those options, loads app://, shows when ready and remembers its bounds', () => {
    const saved: unknown[] = [];
    const win = createMainWindow({ preloadPath: '/p.js', bounds: { x: 5, y: 6, width: 900, height: 600 }, onBounds: (b) => saved.push(b) }) as unknown as FakeBrowserWindow;
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win.options.webPreferences).toEqual(secureWebPreferences('/p.js'));
    expect(win.options).toMatchObject({ x: 5, y: 6, width: 900, height: 600, show: false, title: 'Multibank' });
    expect(win.loadedUrl).toBe('app://multibank/index.html');
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
    win.emit('close');
    expect(saved).toEqual([{ x: 10, y: 20, width: 1000, height: 700 }]);
  });

  it('ignores absurd remembered bounds', () => {
    expect(mainWindowOptions({ preloadPath: '/p', bounds: { width: 10, height: 10 } })).toMatchObject({ width: 1280, height: 820 });
    expect(mainWindowOptions({ preloadPath: '/p' })).not.toHaveProperty('x');
  });
});

describe('web contents hardening', () => {
  const setup = () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as never, { openExternal: (u) => { fake.opened.push(u); } });
    return contents;
  };

  it('blocks navigation away from the app and hands allowed links to the system browser', () => {
    const c = setup();
    expect(c.navigate('will-navigate', 'https://bank.example/login')).toBe(true);
    expect(c.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(c.navigate('will-navigate', 'javascript:alert(1)')).toBe(true);
    expect(c.navigate('will-navigate', 'app://multibank/index.html')).toBe(false);
    expect(fake.opened).toEqual(['https://bank.example/login']);
  });

  it('blocks redirects and frame navigations away from the app', () => {
    const c = setup();
    expect(c.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(c.navigate('will-redirect', 'app://multibank/index.html')).toBe(false);
    expect(c.navigate('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(fake.opened).toEqual([]);
  });

  it('denies every new window; http(s) that passes the policy goes to shell.openExternal', () => {
    const c = setup();
    const h = c.windowOpenHandler!;
    expect(h({ url: 'https://webview.example/connect?state=1' })).toEqual({ action: 'deny' });
    expect(h({ url: 'http://127.0.0.1:4010/consent' })).toEqual({ action: 'deny' });
    expect(h({ url: 'http://tracker.example/' })).toEqual({ action: 'deny' });
    expect(h({ url: 'file:///C:/Windows/system32/calc.exe' })).toEqual({ action: 'deny' });
    expect(h({ url: 'app://multibank/index.html' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://webview.example/connect?state=1', 'http://127.0.0.1:4010/consent']);
  });

  it('refuses webviews', () => {
    const c = setup();
    expect(c.navigate('will-attach-webview', 'https://x.example')).toBe(true);
  });

  it('denies every permission request and check', () => {
    const s = new FakeSession();
    hardenSession(s as never);
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      s.permissionRequestHandler({}, perm, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(s.permissionCheckHandler({}, perm, 'app://multibank')).toBe(false);
    }
    expect(s.devicePermissionHandler({})).toBe(false);
  });
});

describe('app:// registration', () => {
  it('registers a standard, secure scheme and a handler', async () => {
    registerAppScheme(protocol);
    expect(fake.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    installAppProtocol(protocol, '/nonexistent-root');
    const res = await fake.protocolHandlers.get('app')!(new Request('app://multibank/index.html'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('IPC wiring', () => {
  const service = () => {
    const listeners = new Map<string, (p: unknown) => void>();
    return {
      listeners,
      svc: {
        call: vi.fn(async () => ['account']),
        on: vi.fn((e: string, l: (p: unknown) => void) => { listeners.set(e, l); return () => listeners.delete(e); }),
        handleRedirect: vi.fn(), close: vi.fn(),
      } as unknown as Service & { call: ReturnType<typeof vi.fn> },
    };
  };

  it('validates the sender frame before anything reaches the service', async () => {
    const { svc } = service();
    wireIpc({ handle: (ch: string, h: (...a: any[]) => any) => fake.ipcHandlers.set(ch, h), removeHandler: () => {} } as never, svc);
    const handler = fake.ipcHandlers.get(IPC_CALL)!;
    const ev = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });
    expect(await handler(ev('app://multibank/index.html'), 'accounts.list', undefined)).toEqual({ ok: true, value: ['account'] });
    expect(await handler(ev('https://evil.example/'), 'accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler(ev('app://multibank/index.html', {}), 'accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler({ senderFrame: null }, 'accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler({ get senderFrame() { throw new Error('disposed'); } }, 'accounts.list', undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler(ev('app://multibank/index.html'), 'accounts.list', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(svc.call).toHaveBeenCalledTimes(1);
    expect(isTrustedIpcSender({ senderFrame: { url: 'app://multibank/', parent: null } } as never)).toBe(true);
  });

  it('forwards service events to the window on one channel', () => {
    const { svc, listeners } = service();
    const contents = new FakeWebContents();
    let current: FakeWebContents | null = contents;
    forwardEventsTo(svc, () => current as never);
    listeners.get('sync.progress')!({ connectionId: 1 });
    contents.destroyed = true;
    listeners.get('connections.changed')!({ connectionId: 1 });
    current = null;
    listeners.get('connections.changed')!({ connectionId: 2 });
    expect(contents.sent).toEqual([[IPC_EVENT, 'sync.progress', { connectionId: 1 }]]);
  });
});

describe('SafeStorageCipher', () => {
  it('seals and unseals, and reports the Linux basic_text backend as plain text', () => {
    const c = new SafeStorageCipher(fake.safeStorage as never, 'linux');
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const sealed = c.encrypt(key);
    expect(sealed.includes(key)).toBe(false);
    expect(c.decrypt(sealed)).toEqual(key);
    expect(c.isAvailable()).toBe(true);
    expect(c.isPlainText()).toBe(false);
    fake.safeStorage.backend = 'basic_text';
    expect(c.isPlainText()).toBe(true);
    expect(new SafeStorageCipher(fake.safeStorage as never, 'darwin').isPlainText()).toBe(false);
    fake.safeStorage.available = false;
    expect(c.isAvailable()).toBe(false);
  });
});
