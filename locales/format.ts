// Renders a catalogue message outside React (CLI, desktop notifications, main's English for logs) with the same ICU
// rules as the renderer. A value may itself be a message (e.g. the reason inside "line 5: {reason}"): it is rendered
// first, in the same language. Four such values are formats, not words: money {minor, currency}, date {iso}
// (YYYY-MM-DD), instant {iso} and countdown {ms} ("in 3 days"); they are formatted here with Intl, so main sends raw
// amounts, dates and durations.
import { IntlMessageFormat } from 'intl-messageformat';
import { catalogue, type Language } from './index.js';

export interface NestedMessage { id: string; values?: MessageValues }
export type MessageValue = string | number | NestedMessage;
export type MessageValues = Record<string, MessageValue>;

const compiled = new Map<string, IntlMessageFormat>();
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function formatMessage(language: Language, id: string, values?: MessageValues): string {
  const special = formatValue(language, { id, values });
  if (special !== null) return special;
  const key = `${language}\u0000${id}`;
  let format = compiled.get(key);
  if (!format) {
    const source = catalogue(language)[id] ?? catalogue('en')[id];
    if (source === undefined) return id; // an id no catalogue knows is shown as itself, never swallowed
    format = new IntlMessageFormat(source, language);
    compiled.set(key, format);
  }
  return String(format.format(values && flatValues(language, values, (m) => formatMessage(language, m.id, m.values))));
}

/** values with nested messages rendered by `render` (the renderer's react-intl helper passes its own) */
export function flatValues(language: string, values: MessageValues, render: (m: NestedMessage) => string): Record<string, string | number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'object' ? formatValue(language, v) ?? render(v) : v]));
}

/** money, date and instant values formatted for the language; null for a message with words */
export function formatValue(language: string, m: NestedMessage): string | null {
  const v = m.values ?? {};
  if (m.id === 'money' && typeof v.minor === 'number' && typeof v.currency === 'string') {
    const f = new Intl.NumberFormat(language, { style: 'currency', currency: v.currency });
    return f.format(v.minor / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
  }
  if ((m.id === 'date' || m.id === 'instant') && typeof v.iso === 'string') {
    const date = m.id === 'date';
    const t = new Date(date ? `${v.iso.slice(0, 10)}T00:00:00Z` : v.iso);
    if (Number.isNaN(t.getTime())) return v.iso;
    return new Intl.DateTimeFormat(language, date ? { dateStyle: 'medium', timeZone: 'UTC' } : { dateStyle: 'medium', timeStyle: 'short' }).format(t);
  }
  if (m.id === 'countdown' && typeof v.ms === 'number') {
    const abs = Math.abs(v.ms);
    const [n, unit]: [number, Intl.RelativeTimeFormatUnit] = abs >= DAY_MS ? [Math.floor(abs / DAY_MS), 'day']
      : abs >= HOUR_MS ? [Math.floor(abs / HOUR_MS), 'hour'] : [Math.max(1, Math.floor(abs / 60_000)), 'minute'];
    return new Intl.RelativeTimeFormat(language, { numeric: 'always' }).format(v.ms >= 0 ? n : -n, unit);
  }
  return null;
}
