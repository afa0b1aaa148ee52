// Renders a catalogue message outside React (CLI, desktop notifications) with the same ICU rules as the renderer.
import { IntlMessageFormat } from 'intl-messageformat';
import { catalogue, type Language } from './index.js';

export type MessageValues = Record<string, string | number>;

const compiled = new Map<string, IntlMessageFormat>();

export function formatMessage(language: Language, id: string, values?: MessageValues): string {
  const key = `${language}\u0000${id}`;
  let format = compiled.get(key);
  if (!format) {
    const source = catalogue(language)[id] ?? catalogue('en')[id];
    if (source === undefined) return id; // an id no catalogue knows is shown as itself, never swallowed
    format = new IntlMessageFormat(source, language);
    compiled.set(key, format);
  }
  return String(format.format(values));
}
