import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LANGUAGE_CODES } from '../../../preload/contract/channels.js';
import { LANGUAGES } from '../../../locales/index.js';
import { createJsonPrefsStore, DEFAULT_PREFS, prefsDefaults, systemLanguageTags } from '../../../main/service/prefs.js';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('JSON preferences (CLI and dev bridge)', () => {
  it('starts from the defaults, keeps changes across instances, and ignores broken values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-prefs-')); dirs.push(dir);
    const file = join(dir, 'prefs.json');
    expect(createJsonPrefsStore(file).get()).toEqual(DEFAULT_PREFS);
    createJsonPrefsStore(file).set({ consentLeadDays: 14, theme: 'dark', syncEveryHours: undefined });
    expect(createJsonPrefsStore(file).get()).toEqual({ ...DEFAULT_PREFS, consentLeadDays: 14, theme: 'dark' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ consentLeadDays: 14 });
    writeFileSync(file, JSON.stringify({ theme: 'neon', consentLeadDays: 999, allowPlainTextSecrets: 'yes', syncEveryHours: 12 }));
    expect(createJsonPrefsStore(file).get()).toEqual({ ...DEFAULT_PREFS, syncEveryHours: 12 });
    // the base currency: a three-letter code is kept; anything else is the default (the locale's region, else EUR)
    createJsonPrefsStore(file).set({ baseCurrency: 'CZK' });
    expect(createJsonPrefsStore(file).get().baseCurrency).toBe('CZK');
    writeFileSync(file, JSON.stringify({ baseCurrency: 'euro' }));
    expect(createJsonPrefsStore(file).get().baseCurrency).toBe(DEFAULT_PREFS.baseCurrency);
    expect(DEFAULT_PREFS.baseCurrency).toMatch(/^[A-Z]{3}$/);
    writeFileSync(file, '{ not json');
    expect(createJsonPrefsStore(file).get()).toEqual(DEFAULT_PREFS);
  });

  it('the language: the system language by default (POSIX variables, then ICU), the stored choice after, English for anything else', () => {
    expect([...LANGUAGE_CODES]).toEqual([...LANGUAGES]); // the IPC contract and the catalogues speak the same languages
    expect(prefsDefaults(systemLanguageTags({ LANG: 'pl_PL.UTF-8' })).language).toBe('pl');
    expect(prefsDefaults(systemLanguageTags({ LC_ALL: 'C', LANG: 'fr_FR.UTF-8' })).language).toBe('fr');
    expect(prefsDefaults(systemLanguageTags({ LC_MESSAGES: 'de_AT.UTF-8', LANG: 'en_GB.UTF-8' })).language).toBe('de');
    expect(prefsDefaults(['ja-JP', 'hu-HU']).language).toBe('en');
    const dir = mkdtempSync(join(tmpdir(), 'mb-prefs-')); dirs.push(dir);
    const file = join(dir, 'prefs.json');
    createJsonPrefsStore(file).set({ language: 'sk' });
    expect(createJsonPrefsStore(file).get().language).toBe('sk');
    writeFileSync(file, JSON.stringify({ language: 'SK' }));
    expect(createJsonPrefsStore(file).get().language).toBe(DEFAULT_PREFS.language);
  });
});
