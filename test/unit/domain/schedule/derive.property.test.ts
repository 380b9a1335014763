import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { termsAsOf } from '../../../../domain/contracts/terms';
import { addDays } from '../../../../domain/dates';
import { roadGrades, type SegmentFlag } from '../../../../domain/segments/schema';
import { serviceTypes } from '../../../../domain/service-types';
import { china2026Calendar, compileCalendar } from '../../../../domain/schedule/calendar';
import { deriveTasks, type DeriveInput, type SegmentInfo, type Task } from '../../../../domain/schedule/derive';
import type { ScheduleException, SegmentSuspension, WeatherSuspension } from '../../../../domain/schedule/exceptions';
import { inSeason, type ServiceStandard } from '../../../../domain/schedule/standard';
import { decodeTaskId } from '../../../../domain/schedule/task-id';
import { standardTemplateFor } from '../../../../domain/schedule/templates';
import { scheduledContract, segmentId } from './fixtures';

const runs = { numRuns: 100 };
const calendar = compileCalendar(china2026Calendar);

/** One segment of every grade and flag combination: all 16 classes. */
const pool = roadGrades.flatMap((grade) =>
  ([[], ['strict'], ['controlled'], ['strict', 'controlled']] as SegmentFlag[][]).map((flags) => ({ id: segmentId(`${grade}-${flags.join('+') || 'plain'}`), info: { grade, flags } as SegmentInfo })),
);
const segments = new Map(pool.map((segment) => [segment.id, segment.info]));
const ids = pool.map((segment) => segment.id);

const origin = '2026-01-01';
const dateAt = (offset: number): string => addDays(origin, offset);

/** A contract somewhere in 2026 with up to three scope versions, suspensions and a range around it. */
const scenario = fc
  .record({
    serviceType: fc.constantFrom(...serviceTypes),
    zone: fc.constantFrom('Asia/Shanghai', 'Europe/Berlin'),
    start: fc.integer({ min: 0, max: 330 }),
    length: fc.integer({ min: 0, max: 60 }),
    endedEarly: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    versions: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 60 }), scope: fc.subarray(ids, { minLength: 1 }) }), { minLength: 1, maxLength: 3 }),
    suspensions: fc.array(
      fc.record({ offset: fc.integer({ min: -3, max: 30 }), days: fc.integer({ min: 0, max: 10 }), segments: fc.subarray(ids, { minLength: 1, maxLength: 8 }), activityIndex: fc.option(fc.nat(), { nil: undefined }) }),
      { maxLength: 3 },
    ),
    weather: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 30 }), activityIndex: fc.nat(), segments: fc.option(fc.subarray(ids, { minLength: 1, maxLength: 8 }), { nil: undefined }) }), { maxLength: 2 }),
    rangeStart: fc.integer({ min: -5, max: 60 }),
    rangeLength: fc.integer({ min: 1, max: 30 }),
    split: fc.nat(),
  })
  .map((s) => {
    const standard = standardTemplateFor(s.serviceType);
    const activities = [...new Set(standard.activities.map((entry) => entry.activity))];
    const startDate = dateAt(s.start);
    const endDate = dateAt(s.start + s.length);
    const versions = [...s.versions]
      .map((version) => ({ ...version, offset: Math.min(version.offset, s.length) }))
      .sort((a, b) => a.offset - b.offset)
      .map((version, index) => ({ effectiveFrom: index === 0 ? startDate : dateAt(s.start + version.offset), scope: version.scope }));
    const lastOffset = s.endedEarly === undefined ? s.length : Math.min(s.endedEarly, s.length);
    const contract = scheduledContract({
      serviceType: s.serviceType,
      startDate,
      endDate,
      ...(s.endedEarly === undefined ? {} : { endedOn: dateAt(s.start + lastOffset) }),
      versions,
    });
    // Mostly overlapping the days in force, sometimes reaching before or past them.
    const from = dateAt(s.start + Math.min(s.rangeStart, lastOffset));
    const to = addDays(from, s.rangeLength);
    const middle = addDays(from, s.split % (s.rangeLength + 1));
    // Exceptions around the range, so that they meet tasks.
    const exceptions: ScheduleException[] = [
      ...s.suspensions.map(
        (suspension, index): SegmentSuspension => ({
          kind: 'segment_suspension',
          exceptionId: `sus_${index}`,
          segmentIds: suspension.segments,
          from: addDays(from, suspension.offset),
          to: addDays(from, suspension.offset + suspension.days),
          ...(suspension.activityIndex === undefined ? {} : { activities: [activities[suspension.activityIndex % activities.length]!] }),
          reason: '施工占道',
          author: 'usr_test',
        }),
      ),
      ...s.weather.map(
        (weather, index): WeatherSuspension => ({
          kind: 'weather_suspension',
          exceptionId: `wx_${index}`,
          date: addDays(from, weather.offset % s.rangeLength),
          activity: activities[weather.activityIndex % activities.length]!,
          ...(weather.segments === undefined ? {} : { segmentIds: weather.segments }),
          reason: '天气',
          author: 'usr_test',
        }),
      ),
    ];
    const input: DeriveInput = { contract, standards: standard, segments, calendar, exceptions, zone: s.zone, range: { from, to } };
    return { input, standard, middle };
  });

const tasksOf = (input: DeriveInput): Task[] => [...deriveTasks(input)];

function suspended(input: DeriveInput, task: { segmentId: string; localDate: string; activity: string }): boolean {
  return (input.exceptions ?? []).some((exception) =>
    exception.kind === 'segment_suspension'
      ? exception.segmentIds.includes(task.segmentId) && exception.from <= task.localDate && task.localDate <= exception.to && (exception.activities === undefined || exception.activities.includes(task.activity))
      : exception.kind === 'weather_suspension'
        ? exception.date === task.localDate && exception.activity === task.activity && (exception.segmentIds === undefined || exception.segmentIds.includes(task.segmentId))
        : false,
  );
}

/** An independent reading of the standard: how many windows of each activity a segment has on a date. */
function expectedCounts(input: DeriveInput, standard: ServiceStandard): Map<string, number> {
  const counts = new Map<string, number>();
  for (let date = input.range.from; date < input.range.to; date = addDays(date, 1)) {
    const terms = termsAsOf(input.contract, date);
    if (terms === undefined) continue;
    const day = DateTime.fromISO(date, { zone: 'utc' });
    const sinceStart = Math.round(day.diff(DateTime.fromISO(input.contract.startDate, { zone: 'utc' }), 'days').days);
    for (const id of terms.scope) {
      const info = segments.get(id)!;
      for (const entry of standard.activities) {
        if (!entry.grades.includes(info.grade)) continue;
        if (entry.flags !== undefined && !entry.flags.some((flag) => info.flags.includes(flag))) continue;
        if (entry.exceptFlags?.some((flag) => info.flags.includes(flag))) continue;
        if (entry.holidays === 'skip' && calendar.isHoliday(date)) continue;
        const season = entry.seasons.find((candidate) => inSeason(date.slice(5), candidate));
        if (season === undefined) continue;
        const rule = season.days;
        const due =
          rule.kind === 'every_day' ||
          (rule.kind === 'weekdays' && (day.weekday <= 5 || calendar.isMakeUpWorkday(date))) ||
          (rule.kind === 'every_n_days' && sinceStart % rule.n === 0) ||
          (rule.kind === 'days_of_month' && rule.days.includes(day.day)) ||
          (rule.kind === 'days_of_week' && rule.days.includes(day.weekday));
        if (!due || suspended(input, { segmentId: id, localDate: date, activity: entry.activity })) continue;
        const key = `${date}|${id}|${entry.activity}`;
        counts.set(key, (counts.get(key) ?? 0) + season.windows.length);
      }
    }
  }
  return counts;
}

describe('derivation properties', () => {
  it('gives the same ids on every run, all distinct within the range', () => {
    fc.assert(
      fc.property(scenario, ({ input }) => {
        const first = tasksOf(input).map((task) => task.taskId);
        const second = tasksOf(input).map((task) => task.taskId);

        expect(second).toEqual(first);
        expect(new Set(first).size).toBe(first.length);
      }),
      runs,
    );
  });

  it('never puts a task outside the range, the contract’s dates, its scope history or a suspension', () => {
    fc.assert(
      fc.property(scenario, ({ input }) => {
        for (const task of tasksOf(input)) {
          expect(task.localDate >= input.range.from && task.localDate < input.range.to).toBe(true);
          const terms = termsAsOf(input.contract, task.localDate);
          expect(terms?.scope).toContain(task.segmentId);
          expect(suspended(input, task)).toBe(false);
        }
      }),
      runs,
    );
  });

  it('gives each segment, date and activity as many windows as the standard says', () => {
    fc.assert(
      fc.property(scenario, ({ input, standard }) => {
        const actual = new Map<string, number>();
        for (const task of tasksOf(input)) {
          const key = `${task.localDate}|${task.segmentId}|${task.activity}`;
          actual.set(key, (actual.get(key) ?? 0) + 1);
        }

        expect(actual).toEqual(expectedCounts(input, standard));
      }),
      runs,
    );
  });

  it('derives [a, c) as [a, b) followed by [b, c)', () => {
    fc.assert(
      fc.property(scenario, ({ input, middle }) => {
        const whole = tasksOf(input);
        const parts = [...tasksOf({ ...input, range: { from: input.range.from, to: middle } }), ...tasksOf({ ...input, range: { from: middle, to: input.range.to } })];

        expect(parts).toEqual(whole);
      }),
      runs,
    );
  });

  it('names in every id the task’s contract, segment, activity and window start', () => {
    fc.assert(
      fc.property(scenario, ({ input }) => {
        for (const task of tasksOf(input)) {
          expect(decodeTaskId(task.taskId)).toEqual({ contractId: task.contractId, segmentId: task.segmentId, activity: task.activity, windowStartMs: Date.parse(task.windowStart) });
        }
      }),
      runs,
    );
  });
});
