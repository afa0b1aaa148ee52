// Display preferences: theme and language (stored by main), and the locale for money and dates. Money and dates follow
// the language unless the user chose a format locale of its own (kept in this browser profile).
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { PrefsDto } from '../../../preload/contract/channels.js';
import { pickLanguage, type Language } from '../../../locales/index.js';
import { I18nProvider, PSEUDO, pseudoRequested } from './i18n.js';

export type Theme = PrefsDto['theme'];

interface Display {
  /** the locale money and dates are formatted in: the chosen format locale, else the language's */
  locale: string | undefined;
  /** the format locale the user chose apart from the language (undefined: follow the language) */
  formatLocale: string | undefined;
  setFormatLocale: (l: string | undefined) => void;
  language: Language;
  setLanguage: (l: Language) => void;
  theme: Theme;
  setTheme: (t: Theme) => void;
}
const DisplayContext = createContext<Display>({
  locale: undefined, formatLocale: undefined, setFormatLocale: () => {}, language: 'en', setLanguage: () => {}, theme: 'system', setTheme: () => {},
});

export function resolveTheme(theme: Theme, prefersDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (prefersDark ? 'dark' : 'light') : theme;
}

/** The browser's languages: what the app speaks before main has said which language the user chose. */
export const browserLanguage = (): Language => pickLanguage(navigator.languages ?? [navigator.language]);

/** The user's own regional variant of a language when the browser lists one (de-AT, fr-CH), else the language itself. */
export function localeOfLanguage(language: Language, preferred: readonly string[] = navigator.languages ?? []): string {
  return preferred.find((tag) => tag.toLowerCase().split(/[-_]/)[0] === language) ?? language;
}

export function DisplayProvider({ initialTheme, initialLanguage, children }: { initialTheme: Theme; initialLanguage: Language | undefined; children: ReactNode }) {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [language, setLanguage] = useState<Language>(initialLanguage ?? browserLanguage());
  const [formatLocale, setFormatLocaleState] = useState<string | undefined>(() => localStorage.getItem('multibank.locale') ?? undefined);
  useEffect(() => setTheme(initialTheme), [initialTheme]);
  useEffect(() => { if (initialLanguage) setLanguage(initialLanguage); }, [initialLanguage]);
  const pseudo = pseudoRequested();
  useEffect(() => { document.documentElement.lang = pseudo ? PSEUDO : language; }, [language, pseudo]);
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    const apply = () => { document.documentElement.dataset.theme = resolveTheme(theme, mq?.matches ?? false); };
    apply();
    mq?.addEventListener?.('change', apply);
    return () => mq?.removeEventListener?.('change', apply);
  }, [theme]);
  const setFormatLocale = (l: string | undefined) => {
    if (l) localStorage.setItem('multibank.locale', l); else localStorage.removeItem('multibank.locale');
    setFormatLocaleState(l);
  };
  const locale = formatLocale ?? localeOfLanguage(pseudo ? 'en' : language);
  return (
    <DisplayContext.Provider value={{ locale, formatLocale, setFormatLocale, language, setLanguage, theme, setTheme }}>
      <I18nProvider language={pseudo ? PSEUDO : language}>{children}</I18nProvider>
    </DisplayContext.Provider>
  );
}

export function useDisplay() {
  return useContext(DisplayContext);
}
