// JSON helpers every provider client shares.

/** a JSON number as RFC 8259 writes it */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** marks a string that was a number: U+0000 in front; a real string value that begins with U+0000 gets a second one */
const MARK = '\\u0000';
const QUOTE = 34;
const BACKSLASH = 92;
const KEY_AFTER = /[ \t\n\r]*:/y;

/** a character a number's text is made of (a run of them that is not a number is left as it is, for JSON.parse to refuse) */
const inNumber = (c: number) => (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69;

/**
 * The text with every number outside strings written as a marked string. A scan of its own (not a regex: one with a
 * callback per token costs more than the parse) that jumps over strings with indexOf; digits inside strings stay text.
 */
function quoteNumbers(text: string): string {
  let out = '';
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n;) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      // the closing quote: the next one not escaped (preceded by an even number of backslashes)
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end < 0) return text; // unterminated: JSON.parse refuses it
        let b = end - 1;
        while (text.charCodeAt(b) === BACKSLASH) b--;
        if ((end - 1 - b) % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end + 1;
      // a string value that decodes to U+0000 first (JSON can only write it escaped) gets a second mark; keys never
      if (text.startsWith(MARK, start + 1)) {
        KEY_AFTER.lastIndex = i;
        if (!KEY_AFTER.test(text)) { out += text.slice(copied, start + 1) + MARK; copied = start + 1; }
      }
    } else if ((c >= 48 && c <= 57) || c === 45) {
      const start = i;
      while (i < n && inNumber(text.charCodeAt(i))) i++;
      const num = text.slice(start, i);
      if (NUMBER.test(num)) { out += `${text.slice(copied, start)}"${MARK}${num}"`; copied = i; }
    } else i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Turn the marked strings back in place: a number's text, or the real string without its added mark. */
function unmark(v: unknown): unknown {
  if (typeof v === 'string') return v.charCodeAt(0) === 0 ? v.slice(1) : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'string') { if (x.charCodeAt(0) === 0) v[i] = x.slice(1); } else if (x !== null && typeof x === 'object') unmark(x);
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    // (an own "__proto__" key JSON.parse made is a data property: assigning to it writes that property)
    if (typeof x === 'string') { if (x.charCodeAt(0) === 0) o[k] = x.slice(1); } else if (x !== null && typeof x === 'object') unmark(x);
  }
  return o;
}

/**
 * JSON with every number kept as its decimal text: `12.30` stays "12.30", a 20-digit id stays exact, money never passes a
 * float. The numbers are quoted in the raw text and the whole is read by JSON.parse (several times faster than a parser
 * written in JS); what is not JSON stays not JSON after the quoting, so it is refused as JSON.parse refuses it.
 */
export const parseLossless = (text: string): unknown => unmark(JSON.parse(quoteNumbers(text)));

/** JSON.parse that answers undefined instead of throwing (error bodies, opaque cursors). */
export function tryParseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
