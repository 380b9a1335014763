import { describe, expect, it } from 'vitest';
import { addMonths, addQuarters, daysBetweenInclusive, daysInMonth, monthBounds, quarterMonths, quarterOf } from '../../../../domain/assessment/months';

describe('months', () => {
  it('counts the days of each month, leap Februaries included', () => {
    expect([daysInMonth('2025-01'), daysInMonth('2025-02'), daysInMonth('2024-02'), daysInMonth('1900-02'), daysInMonth('2000-02'), daysInMonth('2025-06')]).toEqual([31, 28, 29, 28, 29, 30]);
    expect(monthBounds('2025-06')).toEqual({ first: '2025-06-01', last: '2025-06-30' });
  });

  it('counts inclusive day spans across month ends', () => {
    expect(daysBetweenInclusive('2025-06-11', '2025-06-30')).toBe(20);
    expect(daysBetweenInclusive('2025-02-27', '2025-03-02')).toBe(4);
    expect(daysBetweenInclusive('2025-03-02', '2025-03-01')).toBe(0);
  });

  it('steps months and quarters across year ends', () => {
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2025-11', 14)).toBe('2027-01');
    expect(quarterOf('2025-12')).toBe('2025-Q4');
    expect(quarterMonths('2025-Q1')).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(addQuarters('2025-Q1', -1)).toBe('2024-Q4');
    expect(() => quarterMonths('2025-Q5')).toThrow("'2025-Q5' is not a quarter");
  });
});
