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
    for (const bad of ['1.234', '', ' ', 'abc', '1,50', '--1', '1.', '.5', 'NaN', '0x10', '90071992547409.92', '1e', 'e3']) {
      expect(() => toMinorUnits(bad, 'EUR'), bad).toThrow(RangeError);
    }
    expect(() => toMinorUnits('1.5', 'JPY')).toThrow(/more decimals/);
    expect(() => toMinorUnits(Number.NaN, 'EUR')).toThrow(RangeError);
    expect(() => toMinorUnits(1e21, 'EUR')).toThrow(RangeError);
    expect(() => toMinorUnits('1', 'eur')).toThrow(/ISO 4217/);
  });
});

describe('toMinorUnits on odd but spec-valid amounts (issue 16, item 3)', () => {
  it('reads exponent form exactly', () => {
    expect(toMinorUnits('1e3', 'EUR')).toBe(100000);
    expect(toMinorUnits('1.5E2', 'EUR')).toBe(15000);
    expect(toMinorUnits('-1234e-2', 'EUR')).toBe(-1234);
    expect(toMinorUnits('12.5e-1', 'BHD')).toBe(1250);
    expect(toMinorUnits(1e-2, 'EUR')).toBe(1);
    // exact, so a tenth of a micro-euro is more decimals than EUR has: not rounded to 0
    expect(() => toMinorUnits('1e-7', 'EUR')).toThrow(/more decimals than EUR allows/);
  });
  it('turns float noise into the minor-unit value it stands for', () => {
    expect(toMinorUnits('0.30000000000000004', 'EUR')).toBe(30);
    expect(toMinorUnits(0.1 + 0.2, 'EUR')).toBe(30);
    expect(toMinorUnits('-19.990000000000002', 'EUR')).toBe(-1999);
    expect(toMinorUnits('1234567.8899999999', 'EUR')).toBe(123456789);
    expect(toMinorUnits(1.1 * 3, 'EUR')).toBe(330);
    expect(toMinorUnits(100.00000000000001, 'JPY')).toBe(100);
    expect(toMinorUnits('0.12299999999999998', 'BHD')).toBe(123);
  });
  it('never rounds real extra decimals: they throw with the reason', () => {
    for (const v of ['-16192638.834382623', '0.005', '0.3000001', '12.345']) {
      expect(() => toMinorUnits(v, 'EUR'), v).toThrow(/more decimals than EUR allows \(2\)/);
    }
    expect(() => toMinorUnits('0.00000000000000001', 'EUR')).toThrow(/more decimals/);
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
