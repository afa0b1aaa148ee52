// parseLossless: every JSON number comes back as its exact decimal text (money and 20-digit ids never pass a float),
// everything else as JSON.parse reads it; what is not JSON is refused, never half read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLossless } from '../../../main/providers/json.js';

/** a JSON number's text as the grammar allows it: sign, no leading zeros, optional fraction and exponent */
const numberText = fc.tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.stringMatching(/^[1-9]\d{0,24}$/)),
  fc.option(fc.stringMatching(/^\d{1,12}$/)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^\d{1,3}$/))))
  .map(([neg, int, frac, exp]) => `${neg ? '-' : ''}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : exp.join('')}`);

/** strings that look like JSON inside: quotes, backslashes, digits, minus signs, escapes, astral characters */
const trickyString = fc.oneof(fc.string({ unit: fc.constantFrom('\u0000', '"', '\\', '-', '1', '0', '.', 'e', ' ', ':', ',', '{', ']', 'é', '\u2028', '😀') }), fc.string());

/** a JSON value with numbers held as their text: [the JSON text, what parseLossless must give] */
const { value } = fc.letrec<{ value: [string, unknown] }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    numberText.map((t): [string, unknown] => [t, t]),
    trickyString.map((s): [string, unknown] => [JSON.stringify(s), s]),
    fc.constantFrom<[string, unknown]>(['true', true], ['false', false], ['null', null]),
    fc.array(tie('value'), { maxLength: 5 }).map((items): [string, unknown] => [`[${items.map((i) => i[0]).join(' , ')}]`, items.map((i) => i[1])]),
    fc.uniqueArray(fc.tuple(trickyString, tie('value')), { maxLength: 5, selector: (e) => e[0] }).map((entries): [string, unknown] =>
      [`{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v[0]}`).join(',')}}`, Object.fromEntries(entries.map(([k, v]) => [k, v[1]]))]),
  ),
}));

describe('parseLossless', () => {
  it('gives every number as its exact text and everything else as JSON.parse does', () => {
    fc.assert(fc.property(value, ([text, expected]) => {
      expect(parseLossless(text)).toEqual(expected);
    }), { seed: 20261204, numRuns: 2000 });
  });

  it('keeps what a float would lose', () => {
    expect(parseLossless('{"id":9007199254740993,"amount":-0.10,"rate":1.50E+3,"n":[0,-0,12.300]}'))
      .toEqual({ id: '9007199254740993', amount: '-0.10', rate: '1.50E+3', n: ['0', '-0', '12.300'] });
  });

  it('refuses what is not JSON', () => {
    for (const bad of ['{"a":01}', '{"a":1.}', '{"a":+1}', '{"a":.5}', '{"a":1e}', '{"a":--1}', '{"a":"open}', '[1,]', '{"a":1} x', 'NaN', '{"a":0x10}']) {
      expect(() => parseLossless(bad), bad).toThrow(SyntaxError);
    }
  });
});

describe('parseLossless and U+0000 (the mark its quoted numbers carry)', () => {
  it('keeps strings and keys that begin with U+0000 apart from numbers', () => {
    expect(parseLossless('{"\\u0000k" : "\\u00001", "a":["\\u0000", "\\u0000\\u0000x", 1], "\\u0000":{"\\u0000" :\n"\\u0000-0"}}'))
      .toEqual({ '\u0000k': '\u00001', a: ['\u0000', '\u0000\u0000x', '1'], '\u0000': { '\u0000': '\u0000-0' } });
  });

  it('keeps an own "__proto__" key as JSON.parse does', () => {
    const v = parseLossless('{"__proto__":{"x":1},"n":2}') as Record<string, unknown>;
    expect(Object.getOwnPropertyNames(v)).toEqual(['__proto__', 'n']);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ x: '1' });
  });
});
