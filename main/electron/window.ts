// The main window: secure webPreferences, the app:// start page, remembered bounds.
import { BrowserWindow, type BrowserWindowConstructorOptions, type Rectangle, type WebPreferences } from 'electron';
import { APP_START_URL } from './policy.js';

/** Every option that matters for security, spelled out (tests check each one). */
export function secureWebPreferences(preloadPath: string, opts: { devTools?: boolean } = {}): WebPreferences {
  return {
    preload: preloadPath,
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
    devTools: opts.devTools ?? false,
  };
}

export interface MainWindowOptions {
  preloadPath: string;
  bounds?: Partial<Rectangle>;
  devTools?: boolean;
  backgroundColor?: string;
}

export function mainWindowOptions(opts: MainWindowOptions): BrowserWindowConstructorOptions {
  const b = opts.bounds ?? {};
  return {
    width: b.width && b.width >= 640 ? b.width : 1280,
    height: b.height && b.height >= 480 ? b.height : 820,
    ...(Number.isInteger(b.x) && Number.isInteger(b.y) ? { x: b.x, y: b.y } : {}),
    minWidth: 640,
    minHeight: 480,
    title: 'Multibank',
    show: false,
    backgroundColor: opts.backgroundColor ?? '#f7f7f5',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(opts.preloadPath, { devTools: opts.devTools }),
  };
}

export function createMainWindow(opts: MainWindowOptions & { onBounds?: (bounds: Rectangle) => void }): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(opts));
  win.once('ready-to-show', () => win.show());
  const save = () => { if (!win.isDestroyed() && !win.isMinimized() && !win.isMaximized()) opts.onBounds?.(win.getBounds()); };
  win.on('resized', save);
  win.on('moved', save);
  win.on('close', save);
  void win.loadURL(APP_START_URL);
  return win;
}
