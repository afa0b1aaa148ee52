// The Electron composition: single instance, the multibank:// scheme, hardening, the app:// protocol, the service
// (createService from main/service), IPC, deep links to ONE entry point, notifications, the window.
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Notification, protocol, safeStorage, session, shell } from 'electron';
import { createDeepLinkRouter, DEEP_LINK_SCHEME, findDeepLinkInArgv } from '../auth/deeplink.js';
import { toErrorDto } from '../domain/errors.js';
import { createLogger, type Logger } from '../log/logger.js';
import { createService, type MultibankService } from '../service/index.js';
import { createPassphraseKey, DatabaseKeyCipher, hasPassphrase, resealVaultKey, sealedDatabaseKey, unlockWithPassphrase } from '../vault/dbkey.js';
import { startLocked } from '../service/locked-start.js';
import { SafeStorageCipher } from './cipher.js';
import { hardenSession, hardenWebContents } from './hardening.js';
import { forwardEventsTo, wireIpc } from './ipc.js';
import { installAppProtocol, registerAppScheme } from './protocol.js';
import { createElectronStores } from './stores.js';
import { prefsDefaults } from '../service/prefs.js';
import { createMainWindow } from './window.js';

export interface AppPaths { rendererDir: string; preloadPath: string }

/** Where the built renderer and preload live, relative to the app folder (the asar in a package). */
export function appPaths(appPath: string): AppPaths {
  return { rendererDir: join(appPath, 'dist', 'renderer'), preloadPath: join(appPath, 'dist', 'preload', 'index.cjs') };
}

/** Register multibank:// with the OS (in development, Electron must be told which script to run). */
export function registerProtocolClient(): boolean {
  if (process.defaultApp && process.argv.length >= 2) {
    return app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  }
  return app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
}

export function notify(title: string, body: string): void {
  try {
    if (Notification.isSupported()) new Notification({ title, body }).show();
  } catch { /* notifications are a courtesy */ }
}

export interface RunningApp { service: MultibankService; window: BrowserWindow; deliverDeepLink(url: unknown): Promise<boolean> }

export async function runApp(): Promise<RunningApp | null> {
  registerAppScheme(protocol);
  // a separate profile (tests, a second data set): must be set before the single-instance lock and 'ready'
  if (process.env.MULTIBANK_USER_DATA) app.setPath('userData', resolve(process.env.MULTIBANK_USER_DATA));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  let log: Logger = createLogger({ level: 'info' });
  let win: BrowserWindow | null = null;
  const deepLinks = createDeepLinkRouter({
    onInvalid: () => log.warn('ignored a multibank:// link that is not an OAuth callback'),
    onError: (e) => log.error('a deep link could not be handled', { err: e }),
  });
  const focus = () => { if (win && !win.isDestroyed()) { if (win.isMinimized()) win.restore(); win.focus(); } };

  // deep links: macOS open-url, the second instance's argv (Windows/Linux), and our own start-up argv -> one entry point
  app.on('open-url', (event, url) => { event.preventDefault(); void deepLinks.deliver(url); focus(); });
  app.on('second-instance', (_event, argv) => {
    const link = findDeepLinkInArgv(argv);
    if (link) void deepLinks.deliver(link);
    focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { openExternal: (u) => shell.openExternal(u), logger: log }));
  app.on('window-all-closed', () => app.quit());
  registerProtocolClient();

  await app.whenReady();
  const dataDir = app.getPath('userData');
  log = createLogger({ file: join(dataDir, 'multibank.log') });
  hardenSession(session.defaultSession);
  const paths = appPaths(app.getAppPath());
  installAppProtocol(protocol, paths.rendererDir);

  // the first start speaks the OS's language: its preferred languages in order, then the app locale Chromium chose
  const stores = createElectronStores(dataDir, undefined, undefined, prefsDefaults([...app.getPreferredSystemLanguages(), app.getLocale()]));
  let service: MultibankService;
  try {
    const cipher = new SafeStorageCipher(safeStorage);
    const common = { dataDir, keyStore: stores.sealedKey, prefs: stores.prefs, redirectMode: 'custom_scheme' as const, notify, logger: log };
    service = cipher.isAvailable() && !cipher.isPlainText()
      // the database key sealed by the OS keyring
      ? await createService({ ...common, cipher, databaseKey: sealedDatabaseKey(cipher, stores.sealedDatabaseKey) })
      // no real keyring: a passphrase is the key, asked for by the lock screen before anything is opened
      : startLocked({
        dataDir,
        language: () => stores.prefs.get().language,
        async open(passphrase) {
          const databaseKey = hasPassphrase(dataDir) ? await unlockWithPassphrase(dataDir, passphrase) : await createPassphraseKey(dataDir, passphrase);
          const vaultCipher = new DatabaseKeyCipher(databaseKey);
          if (cipher.isAvailable()) resealVaultKey(stores.sealedKey, cipher, vaultCipher);
          return createService({ ...common, cipher: vaultCipher, databaseKey });
        },
      });
  } catch (e) {
    const dto = toErrorDto(e);
    // these messages say what to do themselves; the others get the code's action
    const message = ['database_too_new', 'database_damaged'].includes((e as { code?: string }).code ?? '') ? String((e as Error).message) : `${dto.message}${dto.action ? ` ${dto.action}` : ''}`;
    log.error('Multibank could not start', { err: e });
    dialog.showErrorBox('Multibank could not start', message);
    app.quit();
    return null;
  }
  app.on('before-quit', () => { void service.close(); });

  wireIpc(ipcMain, service, log);
  win = createMainWindow({
    preloadPath: paths.preloadPath,
    bounds: stores.windowBounds.get(),
    devTools: !app.isPackaged,
    onBounds: (b) => stores.windowBounds.set(b),
  });
  forwardEventsTo(service, () => (win && !win.isDestroyed() ? win.webContents : null), log);
  await deepLinks.setHandler((url) => service.handleRedirect(url));
  const startupLink = findDeepLinkInArgv(process.argv);
  if (startupLink) void deepLinks.deliver(startupLink);
  return { service, window: win, deliverDeepLink: (url) => deepLinks.deliver(url) };
}
