// Preferences: the app passes an electron-store implementation; the CLI and dev bridge use the JSON file one.
import { LANGUAGE_CODES, type PrefsDto } from '../../preload/contract/channels.js';
import { pickLanguage } from '../../locales/index.js';
import { LOCK_AFTER_MINUTES, type LockAfterMinutes } from '../../preload/contract/lock.js';
import { DEFAULT_CONSENT_LEAD_DAYS } from '../consent/derive.js';
import { currencyOfLocale, systemLocale } from '../fx/region.js';
import type { MainMessage } from '../domain/errors.js';
import { readJsonObjectKeepingBroken, writeJson } from './jsonfile.js';

export interface PrefsStore {
  get(): PrefsDto;
  set(partial: Partial<PrefsDto>): PrefsDto;
  /** what went wrong reading the stored preferences (a damaged file kept aside), to tell the user */
  readonly notices?: MainMessage[];
}

/** What the user reads when a damaged preferences file was kept aside. */
export const brokenPrefsNotice = (keptAside: string): MainMessage => ({ id: 'prefs.damaged', values: { file: keptAside } });

/** The operating system's language as a Node process sees it: the POSIX locale variables, then ICU's default locale. */
export function systemLanguageTags(env: NodeJS.ProcessEnv = process.env): string[] {
  return [...posixLanguageTags(env), systemLocale()];
}

/** the POSIX locale variables in the order they win (values like C or POSIX name no language and are passed over) */
export function posixLanguageTags(env: NodeJS.ProcessEnv): string[] {
  return [env.LC_ALL, env.LC_MESSAGES, env.LANG].filter((t): t is string => !!t);
}

export const DEFAULT_PREFS: PrefsDto = {
  language: pickLanguage(systemLanguageTags()),
  theme: 'system',
  syncEveryHours: 6,
  consentLeadDays: DEFAULT_CONSENT_LEAD_DAYS,
  allowPlainTextSecrets: false,
  baseCurrency: currencyOfLocale(systemLocale()),
  lockAfterMinutes: 15,
};

/** The defaults with the language taken from the system's preferred languages (Electron asks the OS; see main/electron). */
export function prefsDefaults(systemLanguages: readonly string[]): PrefsDto {
  return { ...DEFAULT_PREFS, language: pickLanguage(systemLanguages) };
}

/** Keep only known keys with the right types; unknown or broken values fall back to the defaults. */
export function normalizePrefs(value: unknown, defaults: PrefsDto = DEFAULT_PREFS): PrefsDto {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const int = (x: unknown, lo: number, hi: number, d: number) => (Number.isInteger(x) && (x as number) >= lo && (x as number) <= hi ? (x as number) : d);
  return {
    language: LANGUAGE_CODES.find((l) => l === v.language) ?? defaults.language,
    theme: v.theme === 'light' || v.theme === 'dark' || v.theme === 'system' ? v.theme : defaults.theme,
    syncEveryHours: int(v.syncEveryHours, 1, 168, defaults.syncEveryHours),
    consentLeadDays: int(v.consentLeadDays, 1, 60, defaults.consentLeadDays),
    allowPlainTextSecrets: v.allowPlainTextSecrets === true,
    baseCurrency: typeof v.baseCurrency === 'string' && /^[A-Z]{3}$/.test(v.baseCurrency) ? v.baseCurrency : defaults.baseCurrency,
    lockAfterMinutes: (LOCK_AFTER_MINUTES as readonly unknown[]).includes(v.lockAfterMinutes) ? v.lockAfterMinutes as LockAfterMinutes : defaults.lockAfterMinutes,
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
