// JSON helpers every provider client shares.
import { parse as losslessParse } from 'lossless-json';

/** JSON with every number kept as its decimal text: `12.30` stays "12.30", a 20-digit id stays exact, money never passes a float. */
export const parseLossless = (text: string): unknown => losslessParse(text, undefined, (n: string) => n);

/** JSON.parse that answers undefined instead of throwing (error bodies, opaque cursors). */
export function tryParseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}
