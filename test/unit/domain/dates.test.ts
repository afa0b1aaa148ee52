import { expect, it } from 'vitest';
import { addDays } from '../../../main/domain/dates.js';

it('addDays moves by calendar days across month, leap-day and year ends, in either direction', () => {
  expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  expect(addDays('2026-11-24', -365)).toBe('2025-11-24');
  expect(addDays('2026-03-29', 0)).toBe('2026-03-29');
});
