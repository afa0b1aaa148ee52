// A recording fake of the parts of 'electron' the glue uses. Tests do:
//   vi.mock('electron', async () => (await import('./electron-mock.js')).electronModule());
// and read/drive the fakes through `fake`.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  sent: unknown[][] = [];
  destroyed = false;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) { this.windowOpenHandler = h; }
  send(...args: unknown[]) { this.sent.push(args); }
  isDestroyed() { return this.destroyed; }
  /** emit a navigation-like event the way Electron does: an event object with url + preventDefault */
  navigate(name: string, url: string): boolean {
    let prevented = false;
    this.emit(name, { url, preventDefault: () => { prevented = true; } }, url);
    return prevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  bounds = { x: 10, y: 20, width: 1000, height: 700 };
  shown = false;
  constructor(public options: Record<string, any>) { super(); FakeBrowserWindow.instances.push(this); }
  loadURL(url: string) { this.loadedUrl = url; return Promise.resolve(); }
  show() { this.shown = true; }
  isDestroyed() { return false; }
  isMinimized() { return false; }
  isMaximized() { return false; }
  restore() {}
  focus() {}
  getBounds() { return this.bounds; }
}

export class FakeSession {
  permissionRequestHandler: any = null;
  permissionCheckHandler: any = null;
  devicePermissionHandler: any = null;
  setPermissionRequestHandler(h: any) { this.permissionRequestHandler = h; }
  setPermissionCheckHandler(h: any) { this.permissionCheckHandler = h; }
  setDevicePermissionHandler(h: any) { this.devicePermissionHandler = h; }
}

export const fake = {
  userData: '/tmp/multibank-fake-user-data',
  appPath: '/tmp/multibank-fake-app',
  gotLock: true,
  app: null as any,
  ipcHandlers: new Map<string, (...a: any[]) => any>(),
  schemes: [] as any[],
  protocolHandlers: new Map<string, (r: Request) => Promise<Response>>(),
  opened: [] as string[],
  notifications: [] as Array<{ title: string; body: string }>,
  exposed: new Map<string, any>(),
  invoked: [] as unknown[][],
  rendererListeners: new Map<string, (...a: any[]) => void>(),
  session: new FakeSession(),
  errorBoxes: [] as string[][],
  safeStorage: {
    backend: 'gnome_libsecret' as string,
    available: true,
    isEncryptionAvailable() { return this.available; },
    getSelectedStorageBackend() { return this.backend; },
    encryptString(s: string) { return Buffer.from('SEALED:' + Buffer.from(s).reverse().toString('hex')); },
    decryptString(b: Buffer) { const t = b.toString(); if (!t.startsWith('SEALED:')) throw new Error('bad'); return Buffer.from(t.slice(7), 'hex').reverse().toString(); },
  },
};

function makeApp(app: any = new EventEmitter()) {
  app.removeAllListeners();
  app.isPackaged = false;
  app.requestSingleInstanceLock = vi.fn(() => fake.gotLock);
  app.quit = vi.fn();
  app.whenReady = vi.fn(() => Promise.resolve());
  app.getPath = vi.fn((name: string) => (name === 'userData' ? fake.userData : '/tmp'));
  app.getAppPath = vi.fn(() => fake.appPath);
  app.setPath = vi.fn((name: string, value: string) => { if (name === 'userData') fake.userData = value; });
  app.getVersion = vi.fn(() => '0.1.0');
  // the OS prefers Slovak, then English: the first start speaks Slovak
  app.getPreferredSystemLanguages = vi.fn(() => ['sk-SK', 'en-US']);
  app.getLocale = vi.fn(() => 'en-US');
  app.setAsDefaultProtocolClient = vi.fn(() => true);
  return app;
}

export function resetFake() {
  fake.app = makeApp(fake.app ?? undefined);
  fake.gotLock = true;
  fake.ipcHandlers.clear();
  fake.schemes.length = 0;
  fake.protocolHandlers.clear();
  fake.opened.length = 0;
  fake.notifications.length = 0;
  fake.exposed.clear();
  fake.invoked.length = 0;
  fake.rendererListeners.clear();
  Object.assign(fake.session, new FakeSession());
  fake.errorBoxes.length = 0;
  fake.safeStorage.backend = 'gnome_libsecret';
  fake.safeStorage.available = true;
  FakeBrowserWindow.instances.length = 0;
}
resetFake();

export function electronModule() {
  const mod = {
    app: fake.app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (ch: string, h: any) => { fake.ipcHandlers.set(ch, h); },
      removeHandler: (ch: string) => { fake.ipcHandlers.delete(ch); },
      on: () => {},
    },
    protocol: {
      registerSchemesAsPrivileged: (s: any[]) => { fake.schemes.push(...s); },
      handle: (scheme: string, h: any) => { fake.protocolHandlers.set(scheme, h); },
    },
    session: { defaultSession: fake.session },
    shell: { openExternal: async (url: string) => { fake.opened.push(url); } },
    safeStorage: fake.safeStorage,
    dialog: { showErrorBox: (t: string, m: string) => { fake.errorBoxes.push([t, m]); } },
    Notification: class {
      static isSupported() { return true; }
      constructor(private o: { title: string; body: string }) {}
      show() { fake.notifications.push(this.o); }
    },
    contextBridge: { exposeInMainWorld: (key: string, api: any) => { fake.exposed.set(key, api); } },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => { fake.invoked.push(args); return { ok: true, value: 'answer' }; },
      on: (ch: string, l: any) => { fake.rendererListeners.set(ch, l); },
    },
  };
  return { ...mod, default: mod };
}
