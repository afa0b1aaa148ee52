// typeShape: what a problem report keeps of an answer's body (types, never values).
import { expect, it } from 'vitest';
import { typeShape } from '../../../main/providers/trace.js';

it('keeps types and structure, masks id-like keys, keeps an own "__proto__" key, lists at most 5 distinct item shapes', () => {
  const body = JSON.parse('{"__proto__":{"x":1},"DE89370400440532013000":"iban","a1234":1,"name":"Ann","rows":[{"a":1},{"a":"1"},{"a":1},{"b":null},{"c":[]},{"d":true},{"e":{}}]}');
  const shape = typeShape(body) as Record<string, unknown>;
  expect(Object.getPrototypeOf(shape)).toBe(Object.prototype);
  expect(JSON.stringify(shape)).toBe('{"__proto__":{"x":"number"},"[key]":"number","name":"string","rows":{"items":7,"of":['
    + '{"a":"number"},{"a":"string"},{"b":"null"},{"c":{"items":0,"of":[]}},{"d":"boolean"}]}}');
});

it('shapes an array of rows as shaping every row would: rows built alike are shaped once, the rest each', () => {
  /** every item shaped, the first 5 distinct shapes kept (what typeShape is defined to give) */
  const everyRow = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const of: unknown[] = [];
      const seen = new Set<string>();
      for (const x of v) {
        const s = everyRow(x);
        const k = JSON.stringify(s);
        if (!seen.has(k) && of.length < 5) { seen.add(k); of.push(s); }
      }
      return { items: v.length, of };
    }
    return v === null || typeof v !== 'object' ? typeShape(v) : Object.fromEntries(Object.entries(v).map(([k, x]) => [Object.keys(typeShape({ [k]: 0 }) as object)[0], everyRow(x)]));
  };
  const rows = Array.from({ length: 300 }, (_, i) => ({
    id: i, a1234: i % 4 ? 1 : 'x', labels: i % 3 ? [] : [i % 2 ? 'x' : 1], purpose: i % 5 ? null : 'rent', nested: { c: [1, 2], d: i % 7 ? { e: 1 } : [] },
    ...(i % 11 ? {} : { extra: true }),
  }));
  const body = { rows, more: [[1, 'a'], [2, 'b'], [null]], keys: [{ b: 1, a: 2 }, { a: 2, b: 1 }] };
  expect(JSON.stringify(typeShape(body))).toBe(JSON.stringify(everyRow(body)));
});
