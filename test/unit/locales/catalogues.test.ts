// The catalogues (locales/): every language has every key, with the same placeholders, plural/select arguments and
// tags as English; each plural gives every form the language needs for whole numbers; Slovak and Polish say 1, 2, 5
// and 22 of a thing with the right word.
import { describe, expect, it } from 'vitest';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { LANGUAGES, type Language } from '../../../locales/index.js';
import { formatMessage } from '../../../locales/format.js';
import uiEn from '../../../locales/ui/en.js';
import uiDe from '../../../locales/ui/de.js';
import uiFr from '../../../locales/ui/fr.js';
import uiSk from '../../../locales/ui/sk.js';
import uiPl from '../../../locales/ui/pl.js';
import messagesEn from '../../../locales/messages/en.js';
import messagesDe from '../../../locales/messages/de.js';
import messagesFr from '../../../locales/messages/fr.js';
import messagesSk from '../../../locales/messages/sk.js';
import messagesPl from '../../../locales/messages/pl.js';

const NAMESPACES: Record<string, Record<Language, Record<string, string>>> = {
  ui: { en: uiEn, de: uiDe, fr: uiFr, sk: uiSk, pl: uiPl },
  messages: { en: messagesEn, de: messagesDe, fr: messagesFr, sk: messagesSk, pl: messagesPl },
};

/** what a message needs from its caller: each argument by name, with its kind (text, number, date, plural, select), and its tags */
function signature(elements: MessageFormatElement[], into = new Map<string, string>()): Map<string, string> {
  for (const e of elements) {
    if (e.type === TYPE.argument) into.set(e.value, into.get(e.value) ?? 'text');
    else if (e.type === TYPE.number || e.type === TYPE.date || e.type === TYPE.time) into.set(e.value, TYPE[e.type]);
    else if (e.type === TYPE.plural || e.type === TYPE.select) {
      into.set(e.value, e.type === TYPE.plural ? 'plural' : 'select');
      for (const o of Object.values(e.options)) signature(o.value, into);
    } else if (e.type === TYPE.tag) { into.set(`<${e.value}>`, 'tag'); signature(e.children, into); }
  }
  return into;
}

/**
 * Where a translation differs from English in what it asks for: another argument or tag name, or a plural or select of
 * English that is not one here. (A translation may count a number English prints as it is: "{new} new" → "# nouvelles".)
 */
function mismatch(english: Map<string, string>, mine: Map<string, string>): string | null {
  const names = (m: Map<string, string>) => [...m.keys()].sort().join(' ');
  if (names(english) !== names(mine)) return `${names(mine)} ≠ ${names(english)}`;
  for (const [name, kind] of english) {
    const own = mine.get(name)!;
    const same = own === kind || (own === 'plural' && ['text', 'number'].includes(kind));
    if (!same) return `${name} is ${own}, in English ${kind}`;
  }
  return null;
}

/** every plural's option names, with the argument it counts */
function plurals(elements: MessageFormatElement[], into: Array<{ arg: string; options: string[] }> = []) {
  for (const e of elements) {
    if (e.type === TYPE.plural) { into.push({ arg: e.value, options: Object.keys(e.options) }); for (const o of Object.values(e.options)) plurals(o.value, into); }
    else if (e.type === TYPE.select) for (const o of Object.values(e.options)) plurals(o.value, into);
    else if (e.type === TYPE.tag) plurals(e.children, into);
  }
  return into;
}

/** the plural forms a language uses for whole numbers (decimal-only forms such as Slovak "many" are not required) */
const wholeNumberForms = (language: Language) => new Set(Array.from({ length: 1001 }, (_, n) => new Intl.PluralRules(language).select(n)));

describe.each(Object.entries(NAMESPACES))('the %s catalogues', (_name, catalogues) => {
  const english = catalogues.en;

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the English keys', (language) => {
    expect(Object.keys(catalogues[language]).sort()).toEqual(Object.keys(english).sort());
  });

  it.each(LANGUAGES)('%s: every message parses and asks for what English asks for (placeholders, plurals, selects, tags)', (language) => {
    const wrong: string[] = [];
    for (const [key, source] of Object.entries(english)) {
      const text = catalogues[language][key];
      let mine: Map<string, string>;
      try { mine = signature(parse(text)); } catch (e) { wrong.push(`${key}: ${(e as Error).message}`); continue; }
      const problem = mismatch(signature(parse(source)), mine);
      if (problem) wrong.push(`${key}: ${problem}`);
    }
    expect(wrong).toEqual([]);
  });

  it.each(LANGUAGES)('%s: every plural has each form the language needs and "other"', (language) => {
    const needed = wholeNumberForms(language);
    const missing: string[] = [];
    for (const [key, text] of Object.entries(catalogues[language])) {
      for (const p of plurals(parse(text))) {
        for (const form of [...needed, 'other']) if (!p.options.includes(form)) missing.push(`${key} {${p.arg}}: ${form}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

// Polish counts 22 like 2 (few); Slovak counts 22 like 5 (other): the case that tells the two rules apart
describe('Slovak and Polish plural forms', () => {
  const say = (language: Language, key: string) => [1, 2, 5, 22].map((count) => formatMessage(language, key, { count }));
  it('count accounts, transactions and days', () => {
    expect(say('sk', 'accounts.count')).toEqual(['1 účet', '2 účty', '5 účtov', '22 účtov']);
    expect(say('pl', 'accounts.count')).toEqual(['1 rachunek', '2 rachunki', '5 rachunków', '22 rachunki']);
    expect(say('sk', 'transactions.count')).toEqual(['1 transakcia', '2 transakcie', '5 transakcií', '22 transakcií']);
    expect(say('pl', 'transactions.count')).toEqual(['1 transakcja', '2 transakcje', '5 transakcji', '22 transakcje']);
    expect(say('sk', 'settings.days')).toEqual(['1 deň', '2 dni', '5 dní', '22 dní']);
    expect(say('pl', 'settings.days')).toEqual(['1 dzień', '2 dni', '5 dni', '22 dni']);
  });
  it('inflect inside a sentence (the accusative after a verb)', () => {
    expect(say('sk', 'import.run')).toEqual(['Importovať 1 transakciu', 'Importovať 2 transakcie', 'Importovať 5 transakcií', 'Importovať 22 transakcií']);
    expect(say('pl', 'import.run')).toEqual(['Importuj 1 transakcję', 'Importuj 2 transakcje', 'Importuj 5 transakcji', 'Importuj 22 transakcje']);
    expect(say('pl', 'rules.count')).toEqual(['1 reguła', '2 reguły', '5 reguł', '22 reguły']);
    expect(say('sk', 'rules.count')).toEqual(['1 pravidlo', '2 pravidlá', '5 pravidiel', '22 pravidiel']);
  });
});
