// Preferences: the app passes an electron-store implementation; the CLI and dev bridge use the JSON file one.
import type { PrefsDto } from '../../preload/contract/channels.js';
import { LOCK_AFTER_MINUTES, type LockAfterMinutes } from '../../preload/contract/lock.js';
import { DEFAULT_CONSENT_LEAD_DAYS } from '../consent/derive.js';
import { currencyOfLocale, systemLocale } from '../fx/region.js';
import { readJsonObjectKeepingBroken, writeJson } from './jsonfile.js';

export interface PrefsStore {
  get(): PrefsDto;
  set(partial: Partial<PrefsDto>): PrefsDto;
  /** what went wrong reading the stored preferences (a damaged file kept aside), to tell the user */
  readonly notices?: string[];
}

/** What the user reads when a damaged preferences file was kept aside. */
export const brokenPrefsNotice = (keptAside: string) =>
  `Your preferences file was damaged and could not be read. It was kept as ${keptAside}; the default preferences are in use now.`;

export const DEFAULT_PREFS: PrefsDto = {
  theme: 'system',
  syncEveryHours: 6,
  consentLeadDays: DEFAULT_CONSENT_LEAD_DAYS,
  allowPlainTextSecrets: false,
  baseCurrency: currencyOfLocale(systemLocale()),
  lockAfterMinutes: 15,
};

/** Keep only known keys with the right types; unknown or broken values fall back to the defaults. */
export function normalizePrefs(value: unknown): PrefsDto {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const int = (x: unknown, lo: number, hi: number, d: number) => (Number.isInteger(x) && (x as number) >= lo && (x as number) <= hi ? (x as number) : d);
  return {
    theme: v.theme === 'light' || v.theme === 'dark' || v.theme === 'system' ? v.theme : DEFAULT_PREFS.theme,
    syncEveryHours: int(v.syncEveryHours, 1, 168, DEFAULT_PREFS.syncEveryHours),
    consentLeadDays: int(v.consentLeadDays, 1, 60, DEFAULT_PREFS.consentLeadDays),
    allowPlainTextSecrets: v.allowPlainTextSecrets === true,
    baseCurrency: typeof v.baseCurrency === 'string' && /^[A-Z]{3}$/.test(v.baseCurrency) ? v.baseCurrency : DEFAULT_PREFS.baseCurrency,
    lockAfterMinutes: (LOCK_AFTER_MINUTES as readonly unknown[]).includes(v.lockAfterMinutes) ? v.lockAfterMinutes as LockAfterMinutes : DEFAULT_PREFS.lockAfterMinutes,
  };
}

export function createJsonPrefsStore(file: string, now: () => Date = () => new Date()): PrefsStore {
  const { value, keptAside } = readJsonObjectKeepingBroken<Partial<PrefsDto>>(file, {}, now());
  const store = createMemoryPrefsStore(value, (prefs) => writeJson(file, prefs));
  return keptAside ? { ...store, notices: [brokenPrefsNotice(keptAside)] } : store;
}

/** Preferences in memory, optionally handed to `persist` after every change. */
export function createMemoryPrefsStore(initial: Partial<PrefsDto> = {}, persist?: (prefs: PrefsDto) => void): PrefsStore {
  let current = normalizePrefs({ ...DEFAULT_PREFS, ...initial });
  return {
    get: () => ({ ...current }),
    set(partial) {
      const defined = Object.fromEntries(Object.entries(partial).filter(([, x]) => x !== undefined));
      current = normalizePrefs({ ...current, ...defined });
      persist?.(current);
      return { ...current };
    },
  };
}
