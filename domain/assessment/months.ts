import * as z from 'zod';

/**
 * Calendar months (`YYYY-MM`) and quarters (`YYYY-Qn`) as the assessment and the statement
 * count them (DESIGN §3: a contract-month; a quarter ranks by the mean of its months). Pure
 * integer arithmetic on the Gregorian calendar; a month has no zone of its own — its days are
 * the tenant-local calendar days of dates.ts.
 */

export const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM (e.g. 2025-03)');
export const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'a quarter is YYYY-Qn (e.g. 2025-Q1)');

/**
 * A month or quarter as the API accepts it: years 2000–2099. The arithmetic above works for
 * any four-digit year, but a request for year 0 would walk back past 0000 (rankings read a
 * year of history) and no contract of this service predates 2000 (found by the fuzzer).
 */
export const ApiMonth = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM between 2000-01 and 2099-12 (e.g. 2026-11)');
export const ApiQuarter = z.string().regex(/^20\d{2}-Q[1-4]$/, 'a quarter is YYYY-Qn between 2000-Q1 and 2099-Q4 (e.g. 2026-Q4)');

function parts(month: string): { year: number; month: number } {
  if (!Month.safeParse(month).success) throw new RangeError(`'${month}' is not a month (YYYY-MM)`);
  return { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** 28–31. */
export function daysInMonth(month: string): number {
  const { year, month: m } = parts(month);
  if (m === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** First and last calendar day (inclusive) of a month. */
export function monthBounds(month: string): { first: string; last: string } {
  parts(month);
  return { first: `${month}-01`, last: `${month}-${String(daysInMonth(month)).padStart(2, '0')}` };
}

/** Days from `from` to `to` inclusive (0 when `to` is before `from`), both `YYYY-MM-DD`. */
export function daysBetweenInclusive(from: string, to: string): number {
  const a = Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1, Number(from.slice(8, 10)));
  const b = Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 1, Number(to.slice(8, 10)));
  return Math.max(0, Math.round((b - a) / 86_400_000) + 1);
}

/** The month `offset` months after (negative: before) `month`. */
export function addMonths(month: string, offset: number): string {
  const { year, month: m } = parts(month);
  const index = year * 12 + (m - 1) + offset;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** `2025-02` → `2025-Q1`. */
export function quarterOf(month: string): string {
  const { year, month: m } = parts(month);
  return `${year}-Q${Math.ceil(m / 3)}`;
}

/** `2025-Q1` → the three months, in order. */
export function quarterMonths(quarter: string): [string, string, string] {
  if (!Quarter.safeParse(quarter).success) throw new RangeError(`'${quarter}' is not a quarter (YYYY-Qn)`);
  const first = `${quarter.slice(0, 4)}-${String((Number(quarter.slice(6)) - 1) * 3 + 1).padStart(2, '0')}`;
  return [first, addMonths(first, 1), addMonths(first, 2)];
}

/** The quarter `offset` quarters after (negative: before) `quarter`. */
export function addQuarters(quarter: string, offset: number): string {
  return quarterOf(addMonths(quarterMonths(quarter)[0], offset * 3));
}
