// The renderer's words: FormatJS's IntlProvider over the shared catalogues (locales/), one language at a time.
import type { ReactNode } from 'react';
import { IntlProvider, useIntl } from 'react-intl';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { catalogue, type Language } from '../../../locales/index.js';

/**
 * A pseudo language for tests and development only: every catalogue string in English with its letters accented
 * ("Ŝéţţîñĝš"), so text that did not come from the catalogue stands out. Never offered in Settings; a browser on the
 * dev bridge asks for it with ?lang=en-XA (the desktop app ignores it).
 */
export const PSEUDO = 'en-XA';
export type DisplayLanguage = Language | typeof PSEUDO;

export function pseudoRequested(): boolean {
  return typeof window !== 'undefined' && !window.multibank && new URLSearchParams(window.location.search).get('lang') === PSEUDO;
}

const ACCENTED: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, [...'àƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][i]]),
);

export function pseudoText(text: string): string {
  return text.replace(/[A-Za-z]/g, (c) => ACCENTED[c]);
}

/** accent the literal text of a parsed message, leaving its arguments, plurals and tags working */
function pseudoElements(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((e) => {
    if (e.type === TYPE.literal) return { ...e, value: pseudoText(e.value) };
    if (e.type === TYPE.tag) return { ...e, children: pseudoElements(e.children) };
    if (e.type === TYPE.plural || e.type === TYPE.select) {
      return { ...e, options: Object.fromEntries(Object.entries(e.options).map(([k, o]) => [k, { ...o, value: pseudoElements(o.value) }])) };
    }
    return e;
  });
}

let pseudoCatalogue: Record<string, MessageFormatElement[]> | undefined;
function messagesFor(language: DisplayLanguage) {
  if (language !== PSEUDO) return catalogue(language);
  pseudoCatalogue ??= Object.fromEntries(Object.entries(catalogue('en')).map(([id, m]) => [id, pseudoElements(parse(m))]));
  return pseudoCatalogue;
}

export function I18nProvider({ language, children }: { language: DisplayLanguage; children: ReactNode }) {
  return (
    <IntlProvider locale={language} defaultLocale="en" messages={messagesFor(language)}>
      {children}
    </IntlProvider>
  );
}

export type Translate = (id: string, values?: Record<string, string | number>) => string;

/** t('some.id', {values}) for attributes and strings; JSX text can also use <FormattedMessage id=… /> */
export function useT(): Translate {
  const intl = useIntl();
  return (id, values) => intl.formatMessage({ id }, values);
}

/** "A, B and C" in the current language */
export function useList(): (items: string[]) => string {
  const intl = useIntl();
  return (items) => intl.formatList(items);
}
