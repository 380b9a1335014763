import * as z from 'zod';
import { ValidationError, type FieldIssue } from '../errors';
import { RoadGrade, SegmentFlag, roadGrades, segmentFlags } from '../segments/schema';
import { ServiceType } from '../service-types';
import { parseInput } from '../validation';

/**
 * Service standards (作业标准) as data (DESIGN §1, §3 Tasks; issue 4 "Service standards"): per
 * activity, which segments (grades, flags), which months (seasons), which days, which local
 * time windows, and what a proof needs (grace, photos). A contract's terms name a standard
 * by id and version (`standardRef`), so an amendment switches versions on a date and the
 * past keeps the version that was in force.
 *
 * Time of day is local to the tenant's zone, `HH:mm`. A window whose end is at or before its
 * start crosses midnight and ends the next day (22:00–05:00). Rule: a task belongs to the day
 * its window starts — its date, its season, its days rule, its holiday check are all that
 * day's, and a suspension of the next day does not remove it.
 */

/**
 * Activities with a one-byte code in task ids (task-id.ts), in code order starting at 1.
 * The order is part of every task id ever issued: append, never reorder or remove. Other
 * lower-case slugs are accepted too (a district's own activity); their ids are longer.
 */
export const knownActivities = [
  'sweep', // 普扫
  'patrol_clean', // 巡回保洁
  'wash', // 冲洗
  'water', // 洒水
  'prune', // 修剪
  'irrigate', // 浇水
  'pest', // 病虫害防治
  'facility_patrol', // 设施巡查
  'mow', // 草坪修剪
  'weed', // 除草
  'snow_clear', // 除雪
  'bin_clean', // 果皮箱清洗
] as const;
export type KnownActivity = (typeof knownActivities)[number];

/** Chinese names of the known activities, as crews' task lists print them. */
export const activityNamesZh: Readonly<Record<KnownActivity, string>> = {
  sweep: '普扫',
  patrol_clean: '巡回保洁',
  wash: '冲洗',
  water: '洒水',
  prune: '修剪',
  irrigate: '浇水',
  pest: '病虫害防治',
  facility_patrol: '设施巡查',
  mow: '草坪修剪',
  weed: '除草',
  snow_clear: '除雪',
  bin_clean: '果皮箱清洗',
};

/** Same slug rule as the rulebook's `missedTasks.byActivity[].activity`, so prices can match. */
export const Activity = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, 'an activity is 2–40 characters: lower-case letters, digits and underscores, starting with a letter (e.g. sweep)')
  .describe(`one of ${knownActivities.join(', ')}, or a district's own slug`);

export const TimeOfDay = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:mm, 00:00–23:59, local to the tenant');
export type TimeOfDay = z.infer<typeof TimeOfDay>;

/** Days in each month of a leap year: a season may start or end on 02-29. */
const monthLengths = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export const MonthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'a month-day is MM-DD, e.g. 03-15')
  .refine((value) => monthDayIndex(value) !== undefined, 'not a day of the year (MM-DD, 02-29 allowed)');
export type MonthDay = z.infer<typeof MonthDay>;

export const Window = z
  .strictObject({ start: TimeOfDay, end: TimeOfDay.describe('at or before start: ends the next day') })
  .refine((window) => window.start !== window.end, { message: 'a window needs an end different from its start', path: ['end'] })
  .meta({
    id: 'ScheduleWindow',
    description: 'local times; an end at or before the start crosses midnight (22:00–05:00); the task belongs to the day it starts',
  });
export type Window = z.infer<typeof Window>;

const uniqueInts = (min: number, max: number, what: string): z.ZodArray<z.ZodNumber> =>
  z
    .array(z.number().int().min(min, `${what} run from ${min}`).max(max, `${what} run to ${max}`))
    .min(1, `name at least one of the ${what}`)
    .max(max - min + 1);

export const DaysRule = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('every_day') }),
    z.strictObject({ kind: z.literal('weekdays') }).describe('Monday–Friday plus the make-up working days (调休) of the tenant calendar'),
    z.strictObject({
      kind: z.literal('every_n_days'),
      n: z.number().int().min(1).max(366),
      anchor: z.literal('contract_start').describe('day 0 is the contract start date, so crews and the district count the same way'),
    }),
    z.strictObject({ kind: z.literal('days_of_month'), days: uniqueInts(1, 31, 'days of the month').describe('a month without the day (31 in April) has no occurrence') }),
    z.strictObject({ kind: z.literal('days_of_week'), days: uniqueInts(1, 7, 'ISO weekdays').describe('ISO weekdays: 1 = Monday … 7 = Sunday') }),
  ])
  .meta({ id: 'ScheduleDaysRule' });
export type DaysRule = z.infer<typeof DaysRule>;

export const Season = z
  .strictObject({
    name: z.string().trim().min(1).max(40).describe('e.g. summer, winter, all-year'),
    from: MonthDay.describe('first day, inclusive'),
    to: MonthDay.describe('last day, inclusive; before `from` wraps the year end (11-16 → 03-14)'),
    days: DaysRule,
    windows: z.array(Window).min(1, 'a season needs at least one window').max(24),
  })
  .meta({ id: 'ScheduleSeason' });
export type Season = z.infer<typeof Season>;

export const holidayRules = ['run', 'skip'] as const;

export const StandardActivity = z
  .strictObject({
    activity: Activity,
    grades: z.array(RoadGrade).min(1, 'name at least one road grade').max(roadGrades.length),
    flags: z.array(SegmentFlag).min(1).max(segmentFlags.length).optional().describe('only segments carrying at least one of these flags'),
    exceptFlags: z.array(SegmentFlag).min(1).max(segmentFlags.length).optional().describe('only segments carrying none of these flags'),
    vehicle: z.boolean().describe('done with vehicles on the carriageway: its windows may not overlap the traffic bans'),
    seasons: z.array(Season).min(1, 'an activity needs at least one season').max(12),
    holidays: z.enum(holidayRules).describe('run: also on public holidays; skip: not on public holidays (make-up working days are ordinary days)'),
    graceMinutes: z.number().int().min(0).max(240).default(30).describe('DESIGN §3: a proof may come this late (default 30)'),
    minPhotos: z.number().int().min(1).max(20).default(2).describe('DESIGN §3: photos a proof needs (default 2)'),
  })
  .meta({ id: 'ScheduleActivity' });
export type StandardActivity = z.infer<typeof StandardActivity>;

export const StandardBasis = z
  .strictObject({ templateId: z.string().min(1).max(64), templateVersion: z.number().int().positive() })
  .meta({ id: 'StandardBasis', description: 'the shipped template (and version) this standard was copied from' });

/** The shape; the cross-field rules are checked by `standardIssues` (attached below). */
export const ServiceStandardFields = z.strictObject({
  standardId: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'a standard id is 2–64 characters: lower-case letters, digits and dashes (e.g. cleaning-standard)'),
  serviceType: ServiceType,
  name: z.string().trim().min(1).max(200).describe('e.g. 城市道路清扫保洁作业标准'),
  version: z.number().int().positive().describe('contracts name (standardId, version); a change is a new version'),
  basedOn: StandardBasis.optional(),
  activities: z.array(StandardActivity).min(1, 'a standard needs at least one activity').max(50),
});
export type ServiceStandardFields = z.infer<typeof ServiceStandardFields>;

export const ServiceStandard = ServiceStandardFields.superRefine((standard, ctx) => {
  for (const issue of standardIssues(standard)) ctx.addIssue({ code: 'custom', message: issue.message, path: pathSegments(issue.path) });
}).meta({ id: 'ServiceStandard', description: '作业标准 as data (DESIGN §3 Tasks)' });
export type ServiceStandard = z.infer<typeof ServiceStandard>;
export type ServiceStandardInput = z.input<typeof ServiceStandard>;

/** A tenant's traffic ban for work vehicles, local time (PRACTICE §2: 07–09 and 16–18; Xi'an 07–10 and 17–20). */
export const TrafficBan = z
  .object({ start: TimeOfDay, end: TimeOfDay, name: z.string().trim().min(1).max(60).optional() })
  .refine((ban) => ban.start !== ban.end, { message: 'a ban needs an end different from its start', path: ['end'] })
  .meta({ id: 'TrafficBan' });
export type TrafficBan = z.infer<typeof TrafficBan>;

/** "Avoid 07–09 and 16–18 peaks" (PRACTICE §2 Frequencies, http://jsfyhj.fht360.com/product/2254141.html). */
export const defaultTrafficBans: readonly TrafficBan[] = [
  { start: '07:00', end: '09:00', name: 'morning peak' },
  { start: '16:00', end: '18:00', name: 'evening peak' },
];

/**
 * Xi'an: vehicles banned 07–10 and 17–20 (PRACTICE §2, http://hn8i.com/2016/1129/6462.html).
 * Its Friday/holiday 16–21 ban depends on the day and is not expressible as a daily ban; a
 * Xi'an tenant keeps vehicle windows out of 16–21 altogether or accepts the gap.
 */
export const xianTrafficBans: readonly TrafficBan[] = [
  { start: '07:00', end: '10:00', name: 'morning peak' },
  { start: '17:00', end: '20:00', name: 'evening peak' },
];

// ---------------------------------------------------------------------------------------
// Time arithmetic on the 24-hour clock face. No dates here: windows are local times, and
// turning them into instants is the derivation's job (luxon, in the tenant's zone).

/** Minutes after local midnight of `HH:mm`. */
export function minutesOfDay(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** A window (or ban) as minutes after its start day's midnight; `end` > `start`, up to 2 days. */
export interface MinuteSpan {
  readonly start: number;
  readonly end: number;
}

/** The span of a window: an end at or before the start is on the next day. */
export function windowSpan(window: { readonly start: string; readonly end: string }): MinuteSpan {
  const start = minutesOfDay(window.start);
  const end = minutesOfDay(window.end);
  return { start, end: end <= start ? end + 1440 : end };
}

/**
 * Whether two daily-repeating spans share a minute. Half-open, so 05:00–07:00 and 07:00–09:00
 * only touch. Shifted by a day either way so a night window (22:00–05:00) meets tomorrow's
 * morning ban and yesterday's night window meets this morning.
 */
export function spansOverlap(a: MinuteSpan, b: MinuteSpan): boolean {
  for (const shift of [-1440, 0, 1440]) {
    if (a.start < b.end + shift && b.start + shift < a.end) return true;
  }
  return false;
}

/** Position of MM-DD in a leap year (01-01 → 0, 12-31 → 365), or undefined for no such day. */
export function monthDayIndex(monthDay: string): number | undefined {
  if (!/^\d{2}-\d{2}$/.test(monthDay)) return undefined;
  const month = Number(monthDay.slice(0, 2));
  const day = Number(monthDay.slice(3, 5));
  const length = monthLengths[month - 1];
  if (length === undefined || day < 1 || day > length) return undefined;
  let index = day - 1;
  for (let m = 0; m < month - 1; m += 1) index += monthLengths[m] ?? 0;
  return index;
}

/**
 * Whether `monthDay` (MM-DD) falls in the season `from`–`to`, inclusive, wrapping the year end
 * when `to` < `from`. Compared as text, which orders MM-DD correctly; a 02-29 bound simply
 * never matches in other years, where the season starts on 03-01 or ends on 02-28.
 */
export function inSeason(monthDay: string, season: { readonly from: string; readonly to: string }): boolean {
  return season.from <= season.to ? season.from <= monthDay && monthDay <= season.to : monthDay >= season.from || monthDay <= season.to;
}

function seasonDays(season: { readonly from: string; readonly to: string }): boolean[] {
  const from = monthDayIndex(season.from) ?? 0;
  const to = monthDayIndex(season.to) ?? 0;
  const days = new Array<boolean>(366).fill(false);
  for (let i = from; ; i = (i + 1) % 366) {
    days[i] = true;
    if (i === to) break;
  }
  return days;
}

function firstCommonDay(a: readonly boolean[], b: readonly boolean[]): string | undefined {
  for (let i = 0; i < 366; i += 1) {
    if (a[i] === true && b[i] === true) return monthDayOf(i);
  }
  return undefined;
}

function monthDayOf(index: number): string {
  let rest = index;
  for (let m = 0; m < 12; m += 1) {
    const length = monthLengths[m] ?? 31;
    if (rest < length) return `${String(m + 1).padStart(2, '0')}-${String(rest + 1).padStart(2, '0')}`;
    rest -= length;
  }
  return '12-31';
}

function formatSpan(window: { readonly start: string; readonly end: string }): string {
  return `${window.start}–${window.end}`;
}

// ---------------------------------------------------------------------------------------
// Segment classes: a grade and a set of flags. Sixteen of them, so "which activities apply
// to which segments" is a bitmask, computed once per standard instead of once per segment.

/** Bit of each flag in a class's flag bits. */
export const flagBits: Readonly<Record<SegmentFlag, number>> = { strict: 1, controlled: 2 };
export const classCount = roadGrades.length * 4;

/** 0–15: grade index x 4 + flag bits. */
export function classIndex(grade: RoadGrade, flags: readonly SegmentFlag[]): number {
  let bits = 0;
  for (const flag of flags) bits |= flagBits[flag];
  return roadGrades.indexOf(grade) * 4 + bits;
}

function describeClass(index: number): string {
  const grade = roadGrades[Math.floor(index / 4)] ?? 'primary';
  const flags = segmentFlags.filter((flag) => (index & 3 & flagBits[flag]) !== 0);
  return flags.length === 0 ? `${grade} segments without flags` : `${grade} segments flagged ${flags.join(' and ')}`;
}

/**
 * Bitmask (bit i = class i) of the segment classes an activity entry applies to: its grades,
 * and — when given — at least one of `flags` and none of `exceptFlags`.
 */
export function classMask(entry: Pick<StandardActivity, 'grades' | 'flags' | 'exceptFlags'>): number {
  const want = (entry.flags ?? []).reduce((bits, flag) => bits | flagBits[flag], 0);
  const refuse = (entry.exceptFlags ?? []).reduce((bits, flag) => bits | flagBits[flag], 0);
  let mask = 0;
  for (let index = 0; index < classCount; index += 1) {
    const grade = roadGrades[Math.floor(index / 4)];
    const bits = index & 3;
    if (grade === undefined || !entry.grades.includes(grade)) continue;
    if (entry.flags !== undefined && (bits & want) === 0) continue;
    if ((bits & refuse) !== 0) continue;
    mask |= 1 << index;
  }
  return mask;
}

// ---------------------------------------------------------------------------------------
// Validation.

/**
 * Every broken cross-field rule of a standard (the shape is the schema's job), each naming
 * the field to fix: windows of an activity overlapping each other on the clock (a photo
 * could prove either), seasons of an activity overlapping (a day would have two schedules),
 * two entries of one activity reaching the same segments in the same season, repeated
 * grades or days, and flag filters no segment can pass.
 */
export function standardIssues(standard: ServiceStandardFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  standard.activities.forEach((entry, a) => {
    const at = `activities.${a}`;
    duplicates(entry.grades).forEach((i) => issues.push({ path: `${at}.grades.${i}`, message: `grade ${entry.grades[i]} is listed twice` }));
    const both = (entry.flags ?? []).filter((flag) => (entry.exceptFlags ?? []).includes(flag));
    if (both.length > 0) issues.push({ path: `${at}.exceptFlags`, message: `flag ${both.join(', ')} is both required and excluded` });
    else if (classMask(entry) === 0) issues.push({ path: `${at}.flags`, message: `no segment can match grades ${entry.grades.join(', ')} with these flags` });

    entry.seasons.forEach((season, s) => {
      const sat = `${at}.seasons.${s}`;
      if (season.days.kind === 'days_of_month' || season.days.kind === 'days_of_week') {
        const list = season.days.days;
        duplicates(list).forEach((i) => issues.push({ path: `${sat}.days.days.${i}`, message: `day ${list[i]} is listed twice` }));
      }
      const spans = season.windows.map((window) => windowSpan(window));
      for (let i = 0; i < spans.length; i += 1) {
        for (let j = 0; j < i; j += 1) {
          if (spansOverlap(spans[i]!, spans[j]!)) {
            issues.push({
              path: `${sat}.windows.${i}`,
              message: `window ${formatSpan(season.windows[i]!)} of ${entry.activity} (${season.name}) overlaps window ${formatSpan(season.windows[j]!)}: a proof could belong to either`,
            });
          }
        }
      }
    });
    const days = entry.seasons.map((season) => seasonDays(season));
    for (let i = 0; i < days.length; i += 1) {
      for (let j = 0; j < i; j += 1) {
        const common = firstCommonDay(days[i]!, days[j]!);
        if (common !== undefined) {
          issues.push({
            path: `${at}.seasons.${i}`,
            message: `season ${entry.seasons[i]!.name} (${entry.seasons[i]!.from} – ${entry.seasons[i]!.to}) of ${entry.activity} overlaps season ${entry.seasons[j]!.name} (${entry.seasons[j]!.from} – ${entry.seasons[j]!.to}) from ${common}`,
          });
        }
      }
    }
  });
  issues.push(...entryOverlapIssues(standard));
  return issues;
}

/** Two entries of one activity may split the segments or the year between them, not share both. */
function entryOverlapIssues(standard: ServiceStandardFields): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const masks = standard.activities.map((entry) => classMask(entry));
  standard.activities.forEach((entry, i) => {
    for (let j = 0; j < i; j += 1) {
      const other = standard.activities[j]!;
      if (other.activity !== entry.activity) continue;
      const shared = masks[i]! & masks[j]!;
      if (shared === 0) continue;
      const sharedClass = Math.log2(shared & -shared);
      for (const season of entry.seasons) {
        const clash = other.seasons.map((o) => ({ o, day: firstCommonDay(seasonDays(season), seasonDays(o)) })).find((x) => x.day !== undefined);
        if (clash !== undefined) {
          issues.push({
            path: `activities.${i}`,
            message: `${entry.activity} is also defined by activities.${j} for ${describeClass(sharedClass)} in season ${clash.o.name} (from ${clash.day}): split the grades, the flags or the seasons`,
          });
          break;
        }
      }
    }
  });
  return issues;
}

/**
 * Vehicle windows that overlap a traffic ban: "window 07:30–08:30 of wash (summer) overlaps
 * the traffic ban 07:00–09:00". A night window is checked against the next morning's bans
 * too (spansOverlap shifts by a day).
 */
export function trafficBanIssues(standard: ServiceStandardFields, bans: readonly TrafficBan[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const banSpans = bans.map((ban) => ({ ban, span: windowSpan(ban) }));
  standard.activities.forEach((entry, a) => {
    if (!entry.vehicle) return;
    entry.seasons.forEach((season, s) => {
      season.windows.forEach((window, w) => {
        const span = windowSpan(window);
        for (const { ban, span: banSpan } of banSpans) {
          if (spansOverlap(span, banSpan)) {
            issues.push({
              path: `activities.${a}.seasons.${s}.windows.${w}`,
              message: `window ${formatSpan(window)} of ${entry.activity} (${season.name}) overlaps the traffic ban ${formatSpan(ban)}${ban.name === undefined ? '' : ` (${ban.name})`}`,
            });
          }
        }
      });
    });
  });
  return issues;
}

/** Everything wrong with a parsed standard for a tenant with these bans; empty when sound. */
export function validateStandard(standard: ServiceStandardFields, options: { readonly trafficBans: readonly TrafficBan[] }): FieldIssue[] {
  return [...standardIssues(standard), ...trafficBanIssues(standard, options.trafficBans)];
}

/**
 * Parses a standard for a tenant: shape and cross-field rules through the schema, then the
 * tenant's traffic bans. Every failure is one ValidationError (HTTP 400) naming each field,
 * paths prefixed as `parseInput` does (`body.activities.2.seasons.0.windows.1`).
 */
export function parseStandard(input: unknown, options: { readonly trafficBans: readonly TrafficBan[] }, prefix = 'body'): ServiceStandard {
  const standard = parseInput(ServiceStandard, input, prefix);
  const issues = trafficBanIssues(standard, options.trafficBans).map((issue) => ({ ...issue, path: prefix === '' ? issue.path : `${prefix}.${issue.path}` }));
  if (issues.length > 0) throw new ValidationError(`${issues.length} window(s) overlap the traffic bans`, issues);
  return standard;
}

function duplicates<T>(values: readonly T[]): number[] {
  const seen = new Set<T>();
  const repeated: number[] = [];
  values.forEach((value, index) => {
    if (seen.has(value)) repeated.push(index);
    seen.add(value);
  });
  return repeated;
}

function pathSegments(path: string): (string | number)[] {
  if (path === '') return [];
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
