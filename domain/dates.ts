import { DateTime } from 'luxon';
import * as z from 'zod';
import { defaultZone } from './zone';

/**
 * Calendar dates: `YYYY-MM-DD`, inclusive, meaning a day in the tenant's zone (DESIGN §3).
 * Stored as strings, which compare correctly as text; arithmetic goes through luxon in UTC
 * because a date has no time of day to shift.
 */

/** The zone of a tenant that names none (every district so far is in China): domain/zone.ts. */
export { defaultZone };

/**
 * Years the API accepts in dates and instants (issue 8 "Limits", visible in the OpenAPI
 * document as a pattern): 2000–2099, as ApiMonth / ApiQuarter (assessment/months.ts). No
 * contract of this service predates 2000, and a far year would make date arithmetic walk
 * centuries (found by the fuzzer for months).
 */
export const apiYearPattern = /^20\d{2}-/;

export const CalendarDate = z.iso
  .date({ error: 'a date is YYYY-MM-DD and must be a real calendar day' })
  .max(10)
  .regex(apiYearPattern, 'a date between 2000-01-01 and 2099-12-31 is expected');

/** Longest instant accepted: `2026-11-23T05:10:00.123456789+08:00` is 35 characters. */
export const maxInstantLength = 40;

/**
 * An ISO 8601 instant with its zone offset (`Z` or `±hh:mm`), years 2000–2099, at most
 * 40 characters (a fraction of a second may not run on). `error` is the message for a
 * value that is no instant at all.
 */
export function apiInstant(error = 'an ISO 8601 instant with its offset is expected, e.g. 2026-11-23T05:10:00+08:00') {
  return z.iso
    .datetime({ offset: true, error })
    .max(maxInstantLength, `an instant is at most ${maxInstantLength} characters`)
    .regex(apiYearPattern, 'an instant between 2000 and 2099 is expected');
}
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
