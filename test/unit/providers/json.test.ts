import fc from 'fast-check';
import { parse as losslessParse } from 'lossless-json';
import { describe, expect, it } from 'vitest';
import { parseJsonNumbersAsText } from '../../../main/providers/json.js';

describe('parseJsonNumbersAsText', () => {
  it('keeps every number as its exact text, outside strings only', () => {
    expect(parseJsonNumbersAsText('{"amount":-1000000000.10,"id":9007199254740993,"e":1.5E-3,"s":"12 of 3.5\\"","n":[0,-0,true,null]}'))
      .toEqual({ amount: '-1000000000.10', id: '9007199254740993', e: '1.5E-3', s: '12 of 3.5"', n: ['0', '-0', true, null] });
    expect(parseJsonNumbersAsText('{"k\\\\":1,"a\\"b":"x\\\\","c":2}')).toEqual({ 'k\\': '1', 'a"b': 'x\\', c: '2' });
  });
  it('agrees with a full lossless JSON parser on generated documents', () => {
    fc.assert(fc.property(fc.json(), (text) => {
      expect(parseJsonNumbersAsText(text)).toEqual(losslessParse(text, undefined, (n: string) => n));
    }), { numRuns: 2000 });
  });
  it('rejects what is not JSON', () => {
    for (const bad of ['{"a": 1', '{"a": "unterminated 12}', '{a: 1}', '', '{"data": [{"id": "1", "amo']) {
      expect(() => parseJsonNumbersAsText(bad), bad).toThrow(SyntaxError);
    }
  });
});
