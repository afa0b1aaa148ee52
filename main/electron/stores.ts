// electron-store for the app's preferences (theme, sync schedule, consent lead time, plain-text opt-in), the window
// bounds, and the vault's sealed data key (sealed by safeStorage: the file never holds the key in clear).
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Store from 'electron-store';
import type { PrefsDto } from '../../preload/contract/channels.js';
import { brokenPrefsNotice, DEFAULT_PREFS, normalizePrefs, type PrefsStore } from '../service/prefs.js';
import type { SealedKeyStore } from '../vault/vault.js';
import type { MainMessage } from '../domain/errors.js';

export interface WindowBounds { x?: number; y?: number; width: number; height: number }

interface Schema {
  prefs: PrefsDto;
  windowBounds?: WindowBounds;
  /** base64 of the safeStorage-sealed vault data key */
  sealedDataKey?: string;
  /** base64 of the safeStorage-sealed database key (main/vault/dbkey.ts) */
  sealedDatabaseKey?: string;
}

export interface ElectronStores {
  prefs: PrefsStore;
  sealedKey: SealedKeyStore;
  sealedDatabaseKey: SealedKeyStore;
  windowBounds: { get(): WindowBounds | undefined; set(b: WindowBounds): void };
  /** the preferences file (tests search its bytes) */
  path: string;
}

const SEALED_KEYS = ['sealedDataKey', 'sealedDatabaseKey'] as const;

/**
 * The file also holds the sealed vault key and the sealed database key, so an unreadable file is never cleared (electron-store's clearInvalidConfig
 * would drop the key and every saved secret with it): it is kept aside as <name>.broken-<time>.json, the sealed key is
 * rescued from it when its text is still there, and the user is told.
 */
function openStore(cwd: string, name: string, now: Date, defaults: PrefsDto): { store: Store<Schema>; notices: MainMessage[] } {
  const open = () => new Store<Schema>({ cwd, name, defaults: { prefs: defaults }, clearInvalidConfig: false, accessPropertiesByDotNotation: false, configFileMode: 0o600 });
  try {
    return { store: open(), notices: [] };
  } catch {
    const file = join(cwd, `${name}.json`);
    const keptAside = join(cwd, `${name}.broken-${now.toISOString().replace(/[:.]/g, '-')}.json`);
    const text = readFileSync(file, 'utf8');
    renameSync(file, keptAside);
    const store = open();
    // both sealed keys: losing the database's would lose every transaction, the vault's every saved sign-in
    for (const key of SEALED_KEYS) {
      const sealed = new RegExp(`"${key}"\\s*:\\s*"([A-Za-z0-9+/]+=*)"`).exec(text)?.[1];
      if (sealed) store.set(key, sealed);
    }
    return { store, notices: [brokenPrefsNotice(keptAside)] };
  }
}

/** cwd: an absolute folder (the app passes app.getPath('userData')). */
/** defaults: the first start's preferences (the app passes the OS's preferred languages through prefsDefaults). */
export function createElectronStores(cwd: string, name = 'preferences', now: () => Date = () => new Date(), defaults: PrefsDto = DEFAULT_PREFS): ElectronStores {
  const { store, notices } = openStore(cwd, name, now(), defaults);
  const sealedKeyAt = (key: (typeof SEALED_KEYS)[number]): SealedKeyStore => ({
    location: store.path,
    load() {
      const v = store.get(key);
      return typeof v === 'string' && v.length > 0 ? Buffer.from(v, 'base64') : undefined;
    },
    save(sealed) { store.set(key, sealed.toString('base64')); },
  });
  return {
    path: store.path,
    prefs: {
      notices,
      get: () => normalizePrefs(store.get('prefs'), defaults),
      set(partial) {
        const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
        const next = normalizePrefs({ ...normalizePrefs(store.get('prefs'), defaults), ...defined }, defaults);
        store.set('prefs', next);
        return { ...next };
      },
    },
    sealedKey: sealedKeyAt('sealedDataKey'),
    sealedDatabaseKey: sealedKeyAt('sealedDatabaseKey'),
    windowBounds: {
      get() {
        const b = store.get('windowBounds');
        return b && Number.isFinite(b.width) && Number.isFinite(b.height) ? b : undefined;
      },
      set(b) { store.set('windowBounds', { x: b.x, y: b.y, width: b.width, height: b.height }); },
    },
  };
}
