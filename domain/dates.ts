import { DateTime } from 'luxon';
import * as z from 'zod';

/**
 * Calendar dates: `YYYY-MM-DD`, inclusive, meaning a day in the tenant's zone (DESIGN §3).
 * Stored as strings, which compare correctly as text; arithmetic goes through luxon in UTC
 * because a date has no time of day to shift.
 */

/** The zone of a tenant that names none (every district so far is in China). */
export const defaultZone = 'Asia/Shanghai';

export const CalendarDate = z.iso.date({ error: 'a date is YYYY-MM-DD and must be a real calendar day' });
export type CalendarDate = z.infer<typeof CalendarDate>;

/** The date `days` after (or before, when negative) `date`. */
export function addDays(date: string, days: number): string {
  const result = DateTime.fromISO(date, { zone: 'utc' }).plus({ days }).toISODate();
  if (result === null) throw new RangeError(`'${date}' is not a calendar date`);
  return result;
}

/** The tenant-local calendar date of an instant (the "today" every rule compares with). */
export function localDate(instant: Date, zone: string = defaultZone): string {
  const result = DateTime.fromJSDate(instant, { zone }).toISODate();
  if (result === null) throw new RangeError(`cannot place ${instant.toISOString()} in zone '${zone}'`);
  return result;
}

export function maxDate(a: string, b: string): string {
  return a >= b ? a : b;
}

export function minDate(a: string, b: string): string {
  return a <= b ? a : b;
}
