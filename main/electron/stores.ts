// electron-store for the app's preferences (theme, sync schedule, consent lead time, plain-text opt-in), the window
// bounds, and the vault's sealed data key (sealed by safeStorage: the file never holds the key in clear).
import Store from 'electron-store';
import type { PrefsDto } from '../../preload/contract/channels.js';
import { DEFAULT_PREFS, normalizePrefs, type PrefsStore } from '../service/prefs.js';
import type { SealedKeyStore } from '../vault/vault.js';

export interface WindowBounds { x?: number; y?: number; width: number; height: number }

interface Schema {
  prefs: PrefsDto;
  windowBounds?: WindowBounds;
  /** base64 of the safeStorage-sealed vault data key */
  sealedDataKey?: string;
}

export interface ElectronStores {
  prefs: PrefsStore;
  sealedKey: SealedKeyStore;
  windowBounds: { get(): WindowBounds | undefined; set(b: WindowBounds): void };
  /** the preferences file (tests search its bytes) */
  path: string;
}

/** cwd: an absolute folder (the app passes app.getPath('userData')). */
export function createElectronStores(cwd: string, name = 'preferences'): ElectronStores {
  const store = new Store<Schema>({ cwd, name, defaults: { prefs: DEFAULT_PREFS }, clearInvalidConfig: true, accessPropertiesByDotNotation: false });
  return {
    path: store.path,
    prefs: {
      get: () => normalizePrefs(store.get('prefs')),
      set(partial) {
        const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
        const next = normalizePrefs({ ...normalizePrefs(store.get('prefs')), ...defined });
        store.set('prefs', next);
        return { ...next };
      },
    },
    sealedKey: {
      load() {
        const v = store.get('sealedDataKey');
        return typeof v === 'string' && v.length > 0 ? Buffer.from(v, 'base64') : undefined;
      },
      save(sealed) { store.set('sealedDataKey', sealed.toString('base64')); },
    },
    windowBounds: {
      get() {
        const b = store.get('windowBounds');
        return b && Number.isFinite(b.width) && Number.isFinite(b.height) ? b : undefined;
      },
      set(b) { store.set('windowBounds', { x: b.x, y: b.y, width: b.width, height: b.height }); },
    },
  };
}
