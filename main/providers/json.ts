// JSON with every number kept as its exact text: `12.30` stays "12.30", a 20-digit id stays exact, so money never
// passes through a float. One regex pass wraps each number outside a string in quotes, then the native JSON.parse
// does the rest: about ten times faster than a JavaScript JSON parser on the large transaction pages of a first sync.

/** A string literal (skipped as a whole, so digits inside it are left alone) or a number (captured). */
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** JSON text -> value, with every number as its decimal text. Throws SyntaxError on invalid JSON, like JSON.parse. */
export function parseJsonNumbersAsText(text: string): unknown {
  return JSON.parse(text.replace(STRING_OR_NUMBER, (match, number: string | undefined) => (number === undefined ? match : `"${number}"`)));
}
