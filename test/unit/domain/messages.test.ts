// What main says, in the five catalogues: every error code has its words, plurals follow each language's rules, and
// money, dates and countdowns travel as raw values formatted per language. (Which ids main may emit is checked by tsc:
// MainMessage's id is keyof the English catalogue; the every-key/same-placeholders test covers both namespaces.)
import { describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST, ERROR_CODES } from '../../../preload/contract/errors.js';
import { storedMessage } from '../../../preload/contract/message.js';
import { formatMessage } from '../../../locales/format.js';
import { LANGUAGES } from '../../../locales/index.js';
import en from '../../../locales/messages/en.js';
import { AppError, english, fromStored, toErrorDto } from '../../../main/domain/errors.js';

const money = (minor: number, currency: string) => ({ id: 'money', values: { minor, currency } });

describe('main\'s messages', () => {
  it('every error code says what happened, and what to do where it has an action', () => {
    for (const code of ERROR_CODE_LIST) {
      expect(Object.hasOwn(en, `error.${code}`), code).toBe(true);
      expect(Object.hasOwn(en, `action.${code}`), code).toBe(ERROR_CODES[code].action);
    }
  });

  it('an error carries its id and values; its English is what logs and scripts read', () => {
    const dto = toErrorDto(new AppError('not_found', { id: 'error.no_backup', values: { name: 'daily-1' } }));
    expect(dto).toEqual({
      code: 'not_found', message: 'There is no backup named daily-1. See the list of backups.', action: null,
      i18n: { message: { id: 'error.no_backup', values: { name: 'daily-1' } }, action: null },
    });
    expect(formatMessage('de', dto.i18n.message.id, dto.i18n.message.values)).toBe('Es gibt keine Sicherung namens daily-1. Sehen Sie in der Liste der Sicherungen nach.');
    // anything that is not an AppError says only "internal", never its own words
    expect(toErrorDto(new Error('secret detail')).message).toBe('Something went wrong inside Multibank.');
  });

  it('a stored sync-log message is JSON with an id; a row written before ids is shown as it was', () => {
    const stored = JSON.stringify({ id: 'sync.deferred', values: { until: { id: 'instant', values: { iso: '2026-12-03T10:00:00.000Z' } } } });
    expect(fromStored(stored).msg).toEqual(JSON.parse(stored));
    expect(fromStored('Deferred until tomorrow.')).toEqual({ msg: { id: 'verbatim', values: { text: 'Deferred until tomorrow.' } }, english: 'Deferred until tomorrow.' });
    expect(storedMessage('{not json')).toEqual({ id: 'verbatim', values: { text: '{not json' } });
    expect(fromStored(null)).toEqual({ msg: null, english: null });
  });

  it('a nested message is rendered in the same language (a bad file\'s place and reason)', () => {
    const e = new AppError('bad_file', { id: 'import.bad_file_at', values: { at: 'line 5', reason: { id: 'import.bad_date', values: { text: '31.02.2026' } } } });
    expect(e.message).toBe('line 5: "31.02.2026" is not a date. Nothing was imported.');
    expect(formatMessage('fr', e.msg.id, e.msg.values)).toBe('line 5\u202f: «\u202f31.02.2026\u202f» n’est pas une date. Rien n’a été importé.');
    expect(formatMessage('pl', e.msg.id, e.msg.values)).toBe('line 5: „31.02.2026” nie jest datą. Nic nie zostało zaimportowane.');
  });

  it.each([
    // Slovak: one, few (2–4), other (5 and up, 22 too); Polish: one, few (2–4, 22–24), many (5–21, 25…)
    ['sk', 'cli.export.done', ['Exportovaná 1 transakcia', 'Exportované 2 transakcie', 'Exportovaných 5 transakcií', 'Exportovaných 22 transakcií']],
    ['pl', 'cli.export.done', ['Wyeksportowano 1 transakcję', 'Wyeksportowano 2 transakcje', 'Wyeksportowano 5 transakcji', 'Wyeksportowano 22 transakcje']],
  ] as const)('plural forms for 1, 2, 5 and 22 in %s (%s)', (lang, id, expected) => {
    expect([1, 2, 5, 22].map((rows) => formatMessage(lang, id, { rows, file: 'out.csv' }))).toEqual(expected.map((e) => `${e} do out.csv.`));
  });

  it.each([
    ['sk', ['1 pohyb', '2 pohyby', '5 pohybov', '22 pohybov']],
    ['pl', ['1 operacja', '2 operacje', '5 operacji', '22 operacje']],
  ] as const)('plural forms inside a sentence with amounts (%s: movements that do not add up)', (lang, expected) => {
    for (const [i, count] of [1, 2, 5, 22].entries()) {
      const text = formatMessage(lang, 'import.not_adding_up', { opening: money(125000, 'EUR'), count, sum: money(304251, 'EUR'), closing: money(314251, 'EUR') });
      expect(text).toContain(` ${expected[i]} `);
    }
  });

  it('money, dates and countdowns are formatted per language', () => {
    const values = { opening: money(125000, 'EUR'), count: 4, sum: money(304251, 'EUR'), closing: money(-314251, 'EUR') };
    expect(formatMessage('en', 'import.not_adding_up', values)).toContain('the opening balance €1,250.00 plus 4 movements makes €3,042.51, but the file\'s closing balance is -€3,142.51.');
    expect(formatMessage('de', 'import.not_adding_up', values)).toMatch(/Anfangssaldo 1\.250,00\s€ plus 4 Umsätze ergibt 3\.042,51\s€, der Schlusssaldo der Datei ist aber -3\.142,51\s€\./);
    expect(formatMessage('fr', 'import.not_adding_up', values)).toMatch(/d’ouverture 1\s250,00\s€ plus 4 mouvements donne 3\s042,51\s€/);
    expect(formatMessage('sk', 'import.not_adding_up', { ...values, opening: money(500, 'JPY') })).toMatch(/zostatok 500\sJPY plus/);
    const confirmed = (lang: (typeof LANGUAGES)[number]) => formatMessage(lang, 'cli.transfers.confirmed', { from: 'A', to: 'B', date: { id: 'date', values: { iso: '2026-03-01' } } });
    expect(confirmed('en')).toBe('Confirmed: A → B on Mar 1, 2026.');
    expect(confirmed('de')).toBe('Bestätigt: A → B am 01.03.2026.');
    expect(confirmed('pl')).toBe('Potwierdzono: A → B, 1 mar 2026.');
    const lead = (lang: (typeof LANGUAGES)[number]) => formatMessage(lang, 'consent.lead.title', { bank: 'Sparkasse', countdown: { id: 'countdown', values: { ms: 3 * 86_400_000 + 5 } } });
    expect(lead('en')).toBe('Sparkasse: access expires in 3 days');
    expect(lead('de')).toBe('Sparkasse: Zugriff läuft in 3 Tagen ab');
    expect(lead('sk')).toBe('Sparkasse: prístup vyprší o 3 dni');
    expect(english({ id: 'consent.expired.title', values: { bank: 'mBank' } })).toBe('mBank: access has expired');
  });
});
