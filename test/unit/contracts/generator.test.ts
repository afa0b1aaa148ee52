// The fuzz generator (test/helpers/contract-fuzz.ts) is reproducible and reads the vendors' files as they mean them.
import { describe, expect, it } from 'vitest';
import { samples, specValidator, toJsonSchema, varyAmounts } from '../../helpers/contract-fuzz.js';

const schema = toJsonSchema({
  type: 'object',
  required: ['when', 'at', 'amount', 'state'],
  properties: {
    when: { type: 'string', format: 'date' },
    at: { type: 'string', format: 'sql-date-time' },
    amount: { type: 'number', format: 'monetary', nullable: true },
    state: { oneOf: [{ type: ['string', null], enum: ['a', 'b'] }, { type: null }] },
  },
});

describe('contract fuzz generator', () => {
  it('makes the same bodies for the same seed, other ones for another seed', () => {
    expect(samples(schema, 50, 7)).toEqual(samples(schema, 50, 7));
    expect(samples(schema, 50, 7)).not.toEqual(samples(schema, 50, 8));
  });

  it('draws dates from the seed, not from the clock or the time zone', () => {
    const dates = samples(schema, 200, 1).map((x: any) => [x.when, x.at]).flat();
    for (const d of dates) expect(d >= '2015-01-01' && d < '2031-01-01', d).toBe(true);
  });

  it('reads 3.0 nullable and 3.1 null types: null is a valid, generated value', () => {
    const xs = samples(schema, 200, 2) as any[];
    const invalid = specValidator(schema);
    expect(xs.map(invalid).filter(Boolean)).toEqual([]);
    expect(xs.some((x) => x.amount === null)).toBe(true);
    expect(xs.some((x) => x.state === null)).toBe(true);
    expect(invalid({ when: '2026-01-01', at: '2026-01-01 10:00:00', amount: 'x', state: null })).not.toBeNull();
  });

  it('varies amounts: readable cents, too many decimals and exponent form all occur', () => {
    const texts = (samples(varyAmounts(schema, (s) => s.format === 'monetary'), 300, 3) as any[])
      .map((x) => x.amount).filter((a) => typeof a === 'number').map((a) => JSON.stringify(a));
    expect(texts.some((t) => /^-?\d+(\.\d{1,2})?$/.test(t))).toBe(true);
    expect(texts.some((t) => /\.\d{3,}$/.test(t))).toBe(true);
    expect(texts.some((t) => /e-/.test(t))).toBe(true);
  });
});
