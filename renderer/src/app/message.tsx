// Main's words in the reader's language: an error, notice or sync-log entry arrives as a catalogue id plus values
// (preload/contract/message.ts) and is rendered here with react-intl, nested messages and money/date values included.
import { useContext } from 'react';
import { IntlContext } from 'react-intl';
import type { ErrorDto } from '../../../preload/contract/channels.js';
import type { Message } from '../../../preload/contract/message.js';
import { flatValues, formatMessage, formatValue, type NestedMessage } from '../../../locales/format.js';

export function useMessageText(): (m: Message) => string {
  const intl = useContext(IntlContext);
  // outside the app's I18nProvider (a component rendered alone): the English catalogue
  if (!intl) return (m) => formatMessage('en', m.id, m.values);
  // an empty catalogue message (provider.no_detail: nothing to add) says nothing; react-intl would show its id instead
  const render = (m: NestedMessage): string =>
    formatValue(intl.locale, m) ?? (intl.messages[m.id] === '' ? '' : intl.formatMessage({ id: m.id }, m.values && flatValues(intl.locale, m.values, render)));
  return render;
}

export function MessageText({ m }: { m: Message }) {
  return <>{useMessageText()(m)}</>;
}

/** an error envelope's words: its catalogue message where main sent one, else its English; a screen that offers its
 *  own way out sets `action` to null, and then none is said */
export function useErrorText(): (error: ErrorDto) => { message: string; action: string | null } {
  const text = useMessageText();
  return (error) => ({
    message: error.i18n ? text(error.i18n.message) : error.message,
    action: !error.action ? null : error.i18n?.action ? text(error.i18n.action) : error.action,
  });
}
