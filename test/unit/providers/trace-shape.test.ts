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
