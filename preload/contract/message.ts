// What main says to a person travels as a catalogue id plus values (locales/messages), never as a sentence: whoever
// shows it (renderer, CLI, desktop notification) renders it in the reader's language. Amounts travel as integer minor
// units with their currency, dates as ISO strings; the catalogue's ICU arguments format them per language.
import { z } from 'zod';

/** values are strings and numbers, or a message rendered first (e.g. the reason inside "line 5: {reason}") */
export interface Message { id: string; values?: Record<string, string | number | Message> }
export const messageSchema: z.ZodType<Message> = z.object({
  id: z.string().min(1),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.lazy(() => messageSchema)])).optional(),
});

/** the id of a text shown as written: an aggregator's own words, or a row stored before messages had ids */
export const VERBATIM = 'verbatim';

/** A stored message column: JSON {id, values} for new rows, plain English for rows written before (VERBATIM). */
export function storedMessage(text: string | null): Message | null {
  if (text === null) return null;
  if (text.startsWith('{')) {
    try {
      const parsed = messageSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch { /* not JSON: an old English row */ }
  }
  return { id: VERBATIM, values: { text } };
}
