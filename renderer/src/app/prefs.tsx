// Display preferences: theme (stored by main) and the locale for money and dates (kept in this browser profile).
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { PrefsDto } from '../../../preload/contract/channels.js';

export type Theme = PrefsDto['theme'];

interface Display { locale: string | undefined; setLocale: (l: string | undefined) => void; theme: Theme; setTheme: (t: Theme) => void }
const DisplayContext = createContext<Display>({ locale: undefined, setLocale: () => {}, theme: 'system', setTheme: () => {} });

export function resolveTheme(theme: Theme, prefersDark: boolean): 'light' | 'dark' {
  return theme === 'system' ? (prefersDark ? 'dark' : 'light') : theme;
}

export function DisplayProvider({ initialTheme, children }: { initialTheme: Theme; children: ReactNode }) {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [locale, setLocaleState] = useState<string | undefined>(() => localStorage.getItem('multibank.locale') ?? undefined);
  useEffect(() => setTheme(initialTheme), [initialTheme]);
  useEffect(() => {
    const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
    const apply = () => { document.documentElement.dataset.theme = resolveTheme(theme, mq?.matches ?? false); };
    apply();
    mq?.addEventListener?.('change', apply);
    return () => mq?.removeEventListener?.('change', apply);
  }, [theme]);
  const setLocale = (l: string | undefined) => {
    if (l) localStorage.setItem('multibank.locale', l); else localStorage.removeItem('multibank.locale');
    setLocaleState(l);
  };
  return <DisplayContext.Provider value={{ locale, setLocale, theme, setTheme }}>{children}</DisplayContext.Provider>;
}

export function useDisplay() {
  return useContext(DisplayContext);
}
