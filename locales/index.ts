// The catalogues every front end speaks from: `ui` holds the renderer's words, `messages` what main reports (errors,
// notices, sync-log entries), sent over IPC as an id plus values. ICU MessageFormat syntax, rendered by FormatJS
// (react-intl in the renderer, intl-messageformat in the CLI and notifications). Imports nothing but itself.
import uiEn from './ui/en.js';
import uiDe from './ui/de.js';
import uiFr from './ui/fr.js';
import uiSk from './ui/sk.js';
import uiPl from './ui/pl.js';
import messagesEn from './messages/en.js';
import messagesDe from './messages/de.js';
import messagesFr from './messages/fr.js';
import messagesSk from './messages/sk.js';
import messagesPl from './messages/pl.js';

export const LANGUAGES = ['en', 'de', 'fr', 'sk', 'pl'] as const;
export type Language = (typeof LANGUAGES)[number];

/** a catalogue in another language: exactly the English keys, each a string */
export type Translation<T> = { readonly [K in keyof T]: string };

const CATALOGUES: Record<Language, Record<string, string>> = {
  en: { ...uiEn, ...messagesEn },
  de: { ...uiDe, ...messagesDe },
  fr: { ...uiFr, ...messagesFr },
  sk: { ...uiSk, ...messagesSk },
  pl: { ...uiPl, ...messagesPl },
};

export function catalogue(language: Language): Record<string, string> {
  return CATALOGUES[language];
}

/** the first supported language among BCP 47 tags in preference order (e.g. navigator.languages, LANG), else English */
export function pickLanguage(tags: readonly (string | undefined)[]): Language {
  for (const tag of tags) {
    const base = tag?.toLowerCase().split(/[-_.]/)[0];
    const found = LANGUAGES.find((l) => l === base);
    if (found) return found;
  }
  return 'en';
}
