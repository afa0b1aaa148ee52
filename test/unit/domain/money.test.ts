import { describe, expect, it } from 'vitest';
import { currencyExponent, formatMinor, toMinorUnits } from '../../../main/domain/money.js';

describe('toMinorUnits', () => {
  it('uses each currency exponent', () => {
    expect(toMinorUnits('12.34', 'EUR')).toBe(1234);
    expect(toMinorUnits('1234', 'JPY')).toBe(1234);
    expect(toMinorUnits('1.234', 'BHD')).toBe(1234);
    expect(toMinorUnits('5', 'EUR')).toBe(500);
    expect(toMinorUnits('0.5', 'BHD')).toBe(500);
  });
  it('handles negatives, signs, trailing zeros and numbers without float arithmetic', () => {
    expect(toMinorUnits('-0.01', 'EUR')).toBe(-1);
    expect(toMinorUnits('+7.10', 'EUR')).toBe(710);
    expect(toMinorUnits('-0.00', 'EUR')).toBe(0);
    expect(toMinorUnits('3.1000', 'EUR')).toBe(310);
    expect(toMinorUnits(0.1 + 0.2 === 0.3 ? 0 : 19.99, 'EUR')).toBe(1999);
    expect(toMinorUnits(-1234.56, 'CZK')).toBe(-123456);
    expect(toMinorUnits('90071992547409.91', 'EUR')).toBe(9007199254740991);
  });
  it('rejects what would need rounding or is not a decimal', () => {
    for (const bad of ['1.234', '', ' ', 'abc', '1,50', '1e3', '--1', '1.', '.5', 'NaN', '0x10', '90071992547409.92']) {
      expect(() => toMinorUnits(bad, 'EUR'), bad).toThrow(RangeError);
    }
    expect(() => toMinorUnits('1.5', 'JPY')).toThrow(/more decimals/);
    expect(() => toMinorUnits(Number.NaN, 'EUR')).toThrow(RangeError);
    expect(() => toMinorUnits(1e21, 'EUR')).toThrow(RangeError);
    expect(() => toMinorUnits('1', 'eur')).toThrow(/ISO 4217/);
  });
});

describe('formatMinor', () => {
  it('round-trips', () => {
    expect(formatMinor(-1, 'EUR')).toBe('-0.01');
    expect(formatMinor(123456, 'BHD')).toBe('123.456');
    expect(formatMinor(-5, 'JPY')).toBe('-5');
    expect(currencyExponent('HUF')).toBe(2);
    for (const [v, c] of [['-1234.56', 'EUR'], ['0.001', 'BHD'], ['77', 'JPY']] as const) expect(formatMinor(toMinorUnits(v, c), c)).toBe(v);
  });
});
