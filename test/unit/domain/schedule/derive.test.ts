import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { emptyCalendar } from '../../../../domain/schedule/calendar';
import { deriveTasks, forEachTask, localInstant, resolveTask, type DeriveInput, type Task } from '../../../../domain/schedule/derive';
import type { ScheduleException } from '../../../../domain/schedule/exceptions';
import type { ServiceStandard } from '../../../../domain/schedule/standard';
import { decodeTaskId, encodeTaskId } from '../../../../domain/schedule/task-id';
import { standardTemplateFor } from '../../../../domain/schedule/templates';
import { contractId, input, oneActivityStandard, otherContractId, scheduledContract, seg } from './fixtures';

const tasksOf = (value: DeriveInput): Task[] => [...deriveTasks(value)];
const day = (date: string): { from: string; to: string } => ({ from: date, to: nextDate(date) });

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function summary(tasks: readonly Task[]): string[] {
  return tasks.map((task) => `${task.localDate} ${task.activity} ${task.windowStart} – ${task.windowEnd}`);
}

const only = (tasks: readonly Task[], segmentId: string, activity?: string): Task[] =>
  tasks.filter((task) => task.segmentId === segmentId && (activity === undefined || task.activity === activity));

describe('deriveTasks: the cleaning standard on a summer day', () => {
  it('gives a primary road two sweeps, patrol cleaning and two sprays on 2026-07-01, in Shanghai time', () => {
    const tasks = only(tasksOf(input({ range: day('2026-07-01') })), seg.primary);

    expect(summary(tasks)).toEqual([
      '2026-07-01 sweep 2026-07-01T04:30:00+08:00 – 2026-07-01T07:00:00+08:00',
      '2026-07-01 sweep 2026-07-01T13:30:00+08:00 – 2026-07-01T16:00:00+08:00',
      '2026-07-01 patrol_clean 2026-07-01T05:30:00+08:00 – 2026-07-01T22:00:00+08:00',
      '2026-07-01 water 2026-07-01T10:00:00+08:00 – 2026-07-01T11:30:00+08:00',
      '2026-07-01 water 2026-07-01T13:30:00+08:00 – 2026-07-01T15:00:00+08:00',
    ]);
  });

  it('sweeps an alley once a day and carries the standard’s grace and photo count', () => {
    const tasks = only(tasksOf(input({ range: day('2026-07-01') })), seg.alley);

    expect(tasks).toEqual([
      {
        taskId: encodeTaskId({ contractId, segmentId: seg.alley, activity: 'sweep', windowStartMs: Date.parse('2026-07-01T05:00:00+08:00') }),
        contractId,
        segmentId: seg.alley,
        activity: 'sweep',
        windowStart: '2026-07-01T05:00:00+08:00',
        windowEnd: '2026-07-01T08:00:00+08:00',
        graceMinutes: 30,
        minPhotos: 2,
        localDate: '2026-07-01',
        origin: 'standard',
      },
    ]);
  });

  it('gives forEachTask the same tasks in the same order and counts them', () => {
    const value = input({ range: { from: '2026-06-28', to: '2026-07-05' } });
    const seen: Task[] = [];

    const count = forEachTask(value, (task) => seen.push(task));

    expect(seen).toEqual(tasksOf(value));
    expect(count).toBe(seen.length);
  });
});

describe('windows that cross midnight', () => {
  it('belong to the day they start and end the next morning', () => {
    const wash = only(tasksOf(input({ range: day('2026-07-02') })), seg.primary, 'wash');

    expect(summary(wash)).toEqual(['2026-07-02 wash 2026-07-02T22:00:00+08:00 – 2026-07-03T05:00:00+08:00']);
  });

  it('are not removed by a suspension of the day they end on', () => {
    const suspension: ScheduleException = {
      kind: 'segment_suspension',
      exceptionId: 'exc_1',
      segmentIds: [seg.primary],
      from: '2026-07-03',
      to: '2026-07-03',
      reason: '施工占道',
      author: 'usr_procure_wang',
    };

    const wash = only(tasksOf(input({ range: day('2026-07-02'), exceptions: [suspension] })), seg.primary, 'wash');

    expect(wash).toHaveLength(1);
  });
});

describe('every n days, anchored at the contract start', () => {
  const washDates = (startDate: string, range: { from: string; to: string }): string[] =>
    only(
      tasksOf(input({ range, contract: scheduledContract({ startDate, endDate: '2026-12-31', versions: [{ effectiveFrom: startDate, scope: [seg.primary, seg.secondary] }] }) })),
      seg.primary,
      'wash',
    ).map((task) => task.localDate);

  it('counts day 0 from the contract start, not from the range', () => {
    expect(washDates('2026-07-02', { from: '2026-07-01', to: '2026-07-08' })).toEqual(['2026-07-02', '2026-07-04', '2026-07-06']);
    expect(washDates('2026-07-02', { from: '2026-07-03', to: '2026-07-08' })).toEqual(['2026-07-04', '2026-07-06']);
    expect(washDates('2026-07-01', { from: '2026-07-01', to: '2026-07-08' })).toEqual(['2026-07-01', '2026-07-03', '2026-07-05', '2026-07-07']);
  });

  it('washes secondary roads every third day', () => {
    const tasks = tasksOf(input({ range: { from: '2026-07-01', to: '2026-07-10' } }));

    expect(only(tasks, seg.secondary, 'wash').map((task) => task.localDate)).toEqual(['2026-07-03', '2026-07-06', '2026-07-09']);
  });
});

describe('seasons that wrap the year end', () => {
  const wash = (range: { from: string; to: string }): string[] => summary(only(tasksOf(input({ range })), seg.primary, 'wash'));

  it('wash primary roads weekly at midday in winter, on both sides of the new year', () => {
    expect(wash({ from: '2026-01-01', to: '2026-01-10' })).toEqual([
      '2026-01-01 wash 2026-01-01T10:00:00+08:00 – 2026-01-01T15:00:00+08:00',
      '2026-01-08 wash 2026-01-08T10:00:00+08:00 – 2026-01-08T15:00:00+08:00',
    ]);
    // 2026-12-03 is day 336 = 48 weeks after the start.
    expect(wash({ from: '2026-12-01', to: '2026-12-11' })).toEqual([
      '2026-12-03 wash 2026-12-03T10:00:00+08:00 – 2026-12-03T15:00:00+08:00',
      '2026-12-10 wash 2026-12-10T10:00:00+08:00 – 2026-12-10T15:00:00+08:00',
    ]);
  });

  it('switch from summer to winter windows between 11-15 and 11-16', () => {
    const sweeps = only(tasksOf(input({ range: { from: '2026-11-15', to: '2026-11-17' } })), seg.primary, 'sweep').map((task) => task.windowStart);

    expect(sweeps).toEqual(['2026-11-15T04:30:00+08:00', '2026-11-15T13:30:00+08:00', '2026-11-16T05:00:00+08:00', '2026-11-16T13:00:00+08:00']);
  });

  it('irrigate only May–September', () => {
    const greening = (range: { from: string; to: string }): number =>
      tasksOf(input({ range, contract: scheduledContract({ serviceType: 'greening', startDate: '2026-01-01', endDate: '2026-12-31', versions: [{ effectiveFrom: '2026-01-01', scope: [seg.primary] }] }) })).filter(
        (task) => task.activity === 'irrigate',
      ).length;

    expect(greening({ from: '2026-04-01', to: '2026-05-01' })).toBe(0);
    expect(greening({ from: '2026-05-01', to: '2026-05-11' })).toBe(5);
    expect(greening({ from: '2026-10-01', to: '2026-11-01' })).toBe(0);
  });
});

describe('holidays and make-up working days', () => {
  const municipal = (range: { from: string; to: string }): Task[] =>
    tasksOf(
      input({
        range,
        contract: scheduledContract({ serviceType: 'municipal', startDate: '2026-01-01', endDate: '2026-12-31', versions: [{ effectiveFrom: '2026-01-01', scope: [seg.alley, seg.strictAlley] }] }),
      }),
    );

  it('skips the weekly patrol on a holiday Tuesday but patrols strict roads every day', () => {
    const tasks = municipal({ from: '2026-10-05', to: '2026-10-15' });

    expect(only(tasks, seg.alley).map((task) => task.localDate)).toEqual(['2026-10-13']); // 10-06 is in the National Day break
    expect(only(tasks, seg.strictAlley)).toHaveLength(10);
  });

  const weekdays = (holidays: 'run' | 'skip'): string[] =>
    tasksOf(
      input({
        range: { from: '2026-09-30', to: '2026-10-12' },
        standards: oneActivityStandard({ holidays, seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'weekdays' }, windows: [{ start: '09:00', end: '10:00' }] }] }),
        segmentIds: [seg.alley],
      }),
    ).map((task) => task.localDate);

  it('runs a weekdays activity on make-up Saturdays and skips holidays when told to', () => {
    // 10-01 … 10-07 holiday (Thu–Wed), 10-10 a make-up Saturday, 10-11 a Sunday.
    expect(weekdays('skip')).toEqual(['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10']);
  });

  it('runs on weekday holidays when the activity runs regardless', () => {
    expect(weekdays('run')).toEqual(['2026-09-30', '2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08', '2026-10-09', '2026-10-10']);
  });

  it('prunes on its days of the month unless the day is a holiday', () => {
    const prune = (range: { from: string; to: string }): string[] =>
      tasksOf(input({ range, contract: scheduledContract({ serviceType: 'greening', startDate: '2026-01-01', endDate: '2026-12-31', versions: [{ effectiveFrom: '2026-01-01', scope: [seg.primary] }] }) }))
        .filter((task) => task.activity === 'prune')
        .map((task) => task.localDate);

    expect(prune({ from: '2026-06-01', to: '2026-07-01' })).toEqual(['2026-06-05']); // 06-20 falls in 端午 (06-19 – 06-21): skipped, not moved
    expect(prune({ from: '2026-07-01', to: '2026-08-01' })).toEqual(['2026-07-05', '2026-07-20']);
  });
});

describe('daylight saving time (Europe/Berlin, 2026)', () => {
  const berlin: ServiceStandard = {
    standardId: 'berlin-test',
    serviceType: 'cleaning',
    name: 'DST test',
    version: 1,
    activities: [
      { activity: 'sweep', grades: ['alley'], vehicle: false, holidays: 'run', graceMinutes: 30, minPhotos: 2, seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '00:30', end: '01:30' }, { start: '02:30', end: '04:00' }, { start: '12:00', end: '13:00' }] }] },
      { activity: 'wash', grades: ['alley'], vehicle: true, holidays: 'run', graceMinutes: 30, minPhotos: 2, seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '22:00', end: '05:00' }] }] },
      { activity: 'water', grades: ['alley'], vehicle: false, holidays: 'run', graceMinutes: 30, minPhotos: 2, seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '02:15', end: '02:45' }] }] },
      { activity: 'patrol_clean', grades: ['alley'], vehicle: false, holidays: 'run', graceMinutes: 30, minPhotos: 2, seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '01:30', end: '02:30' }] }] },
    ],
  };
  const berlinTasks = (range: { from: string; to: string }): Task[] =>
    tasksOf(input({ range, zone: 'Europe/Berlin', calendar: emptyCalendar, standards: berlin, segmentIds: [seg.alley] }));

  it('spring forward (03-29): a start in the gap opens when the clocks jump, no window is lost', () => {
    expect(summary(berlinTasks({ from: '2026-03-28', to: '2026-03-30' }).filter((task) => task.localDate === '2026-03-29' || task.activity === 'wash'))).toEqual([
      '2026-03-28 wash 2026-03-28T22:00:00+01:00 – 2026-03-29T05:00:00+02:00',
      '2026-03-29 sweep 2026-03-29T00:30:00+01:00 – 2026-03-29T01:30:00+01:00',
      '2026-03-29 sweep 2026-03-29T03:00:00+02:00 – 2026-03-29T04:00:00+02:00',
      '2026-03-29 sweep 2026-03-29T12:00:00+02:00 – 2026-03-29T13:00:00+02:00',
      '2026-03-29 wash 2026-03-29T22:00:00+02:00 – 2026-03-30T05:00:00+02:00',
      '2026-03-29 water 2026-03-29T03:00:00+02:00 – 2026-03-29T03:30:00+02:00',
      '2026-03-29 patrol_clean 2026-03-29T01:30:00+01:00 – 2026-03-29T03:00:00+02:00',
    ]);
  });

  it('fall back (10-25): a time in the repeated hour means its first occurrence, no window is doubled', () => {
    expect(summary(berlinTasks({ from: '2026-10-24', to: '2026-10-26' }).filter((task) => task.localDate === '2026-10-25' || task.activity === 'wash'))).toEqual([
      '2026-10-24 wash 2026-10-24T22:00:00+02:00 – 2026-10-25T05:00:00+01:00',
      '2026-10-25 sweep 2026-10-25T00:30:00+02:00 – 2026-10-25T01:30:00+02:00',
      '2026-10-25 sweep 2026-10-25T02:30:00+02:00 – 2026-10-25T04:00:00+01:00',
      '2026-10-25 sweep 2026-10-25T12:00:00+01:00 – 2026-10-25T13:00:00+01:00',
      '2026-10-25 wash 2026-10-25T22:00:00+01:00 – 2026-10-26T05:00:00+01:00',
      '2026-10-25 water 2026-10-25T02:15:00+02:00 – 2026-10-25T02:45:00+02:00',
      '2026-10-25 patrol_clean 2026-10-25T01:30:00+02:00 – 2026-10-25T02:30:00+02:00',
    ]);
  });

  it.each([
    ['March', '2026-03-01', '2026-04-01', 31],
    ['October', '2026-10-01', '2026-11-01', 31],
  ])('gives every date of %s exactly one task per window, each starting before it ends, all ids distinct', (_month, from, to, days) => {
    const tasks = berlinTasks({ from, to });

    expect(tasks).toHaveLength(days * 6);
    expect(new Set(tasks.map((task) => task.taskId)).size).toBe(tasks.length);
    for (const task of tasks) expect(Date.parse(task.windowStart)).toBeLessThan(Date.parse(task.windowEnd));
    const perDate = new Map<string, number>();
    for (const task of tasks) perDate.set(task.localDate, (perDate.get(task.localDate) ?? 0) + 1);
    expect([...perDate.values()].every((count) => count === 6)).toBe(true);
  });

  it('merges two windows of one activity that open at the same instant after the jump', () => {
    const standard = oneActivityStandard({
      seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '02:30', end: '02:50' }, { start: '03:00', end: '03:40' }] }],
    });

    const tasks = tasksOf(input({ range: day('2026-03-29'), zone: 'Europe/Berlin', calendar: emptyCalendar, standards: standard, segmentIds: [seg.alley] }));

    expect(summary(tasks)).toEqual(['2026-03-29 sweep 2026-03-29T03:00:00+02:00 – 2026-03-29T03:40:00+02:00']);
  });
});

describe('exceptions', () => {
  const july = { from: '2026-07-01', to: '2026-07-15' };

  it('a segment suspension (施工占道) removes the segment’s tasks for its dates only', () => {
    const suspension: ScheduleException = { kind: 'segment_suspension', exceptionId: 'exc_1', segmentIds: [seg.primary], from: '2026-07-10', to: '2026-07-12', reason: '施工占道', author: 'usr_procure_wang' };

    const tasks = tasksOf(input({ range: july, exceptions: [suspension] }));

    const primaryDates = new Set(only(tasks, seg.primary).map((task) => task.localDate));
    expect(['2026-07-09', '2026-07-10', '2026-07-11', '2026-07-12', '2026-07-13'].map((date) => primaryDates.has(date))).toEqual([true, false, false, false, true]);
    expect(only(tasks, seg.secondary).some((task) => task.localDate === '2026-07-11')).toBe(true);
  });

  it('a suspension limited to activities keeps the others', () => {
    const suspension: ScheduleException = { kind: 'segment_suspension', exceptionId: 'exc_1', segmentIds: [seg.primary], from: '2026-07-01', to: '2026-07-14', activities: ['wash'], reason: '路面病害修复', author: 'usr_procure_wang' };

    const tasks = only(tasksOf(input({ range: july, exceptions: [suspension] })), seg.primary);

    expect(tasks.some((task) => task.activity === 'wash')).toBe(false);
    expect(tasks.some((task) => task.activity === 'sweep')).toBe(true);
  });

  it('a weather suspension stops an activity for a day, everywhere or on named segments', () => {
    const everywhere: ScheduleException = { kind: 'weather_suspension', exceptionId: 'exc_2', date: '2026-07-06', activity: 'wash', reason: '最低气温低于3℃,停止冲洗', author: 'usr_inspect_zhao' };
    const secondaryOnly: ScheduleException = { ...everywhere, exceptionId: 'exc_3', date: '2026-07-12', segmentIds: [seg.secondary] };

    const tasks = tasksOf(input({ range: july, exceptions: [everywhere, secondaryOnly] }));

    expect(tasks.filter((task) => task.activity === 'wash' && task.localDate === '2026-07-06')).toEqual([]);
    // Secondary roads wash every third day from the start: 07-03, 07-06, 07-09, 07-12.
    expect(only(tasks, seg.secondary, 'wash').map((task) => task.localDate)).toEqual(['2026-07-03', '2026-07-09']);
    expect(only(tasks, seg.primary, 'wash').map((task) => task.localDate)).toContain('2026-07-12');
  });

  it('event windows (重大活动保障) add tasks on their dates and segments, once, with the standard’s grace', () => {
    const event: ScheduleException = {
      kind: 'event_windows',
      exceptionId: 'exc_4',
      serviceType: 'cleaning',
      activity: 'sweep',
      dates: ['2026-07-04'],
      segmentIds: [seg.alley, seg.primary, 'seg_notinscope00000'],
      windows: [{ start: '18:00', end: '20:00' }, { start: '04:30', end: '06:00' }],
      reason: '马拉松赛事保障',
      author: 'usr_procure_wang',
    };
    const greeningEvent: ScheduleException = { ...event, exceptionId: 'exc_5', serviceType: 'greening' };

    const tasks = tasksOf(input({ range: day('2026-07-04'), exceptions: [event, greeningEvent] }));

    const extra = tasks.filter((task) => task.origin === 'event');
    expect(extra.map((task) => `${task.segmentId === seg.alley ? 'alley' : 'primary'} ${task.windowStart}`)).toEqual([
      'alley 2026-07-04T18:00:00+08:00',
      'primary 2026-07-04T18:00:00+08:00',
      'alley 2026-07-04T04:30:00+08:00',
    ]);
    expect(extra.every((task) => task.graceMinutes === 30 && task.minPhotos === 2)).toBe(true);
    expect(new Set(tasks.map((task) => task.taskId)).size).toBe(tasks.length);
  });

  it('no event window on a suspended segment', () => {
    const event: ScheduleException = { kind: 'event_windows', exceptionId: 'exc_4', serviceType: 'cleaning', activity: 'sweep', dates: ['2026-07-04'], segmentIds: [seg.alley], windows: [{ start: '18:00', end: '20:00' }], reason: '保障', author: 'usr_procure_wang' };
    const suspension: ScheduleException = { kind: 'segment_suspension', exceptionId: 'exc_1', segmentIds: [seg.alley], from: '2026-07-04', to: '2026-07-04', reason: '施工占道', author: 'usr_procure_wang' };

    expect(only(tasksOf(input({ range: day('2026-07-04'), exceptions: [event, suspension] })), seg.alley)).toEqual([]);
  });
});

describe('contract dates and terms history', () => {
  it('derives only within the contract’s dates, up to the day it ended', () => {
    const contract = scheduledContract({ startDate: '2026-07-05', endDate: '2026-07-20', endedOn: '2026-07-15', versions: [{ effectiveFrom: '2026-07-05', scope: [seg.alley] }] });

    const dates = tasksOf(input({ range: { from: '2026-06-01', to: '2026-09-01' }, contract })).map((task) => task.localDate);

    expect(dates[0]).toBe('2026-07-05');
    expect(dates[dates.length - 1]).toBe('2026-07-15');
    expect(dates).toHaveLength(11);
  });

  it('follows scope amendments: a segment leaves and another joins on the effective date', () => {
    const contract = scheduledContract({
      startDate: '2026-07-01',
      endDate: '2026-12-31',
      versions: [
        { effectiveFrom: '2026-07-01', scope: [seg.primary, seg.branch] },
        { effectiveFrom: '2026-07-10', scope: [seg.primary, seg.alley] },
      ],
    });

    const tasks = tasksOf(input({ range: { from: '2026-07-01', to: '2026-07-20' }, contract }));

    expect(only(tasks, seg.branch).every((task) => task.localDate < '2026-07-10')).toBe(true);
    expect(only(tasks, seg.branch).some((task) => task.localDate === '2026-07-09')).toBe(true);
    expect(only(tasks, seg.alley).every((task) => task.localDate >= '2026-07-10')).toBe(true);
    expect(only(tasks, seg.alley).some((task) => task.localDate === '2026-07-10')).toBe(true);
  });

  it('follows the standard the terms in force name', () => {
    const v1 = oneActivityStandard({ seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '06:00' }] }] });
    const v2: ServiceStandard = { ...oneActivityStandard({ seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '06:00', end: '07:00' }] }] }), version: 2 };
    const contract = scheduledContract({
      startDate: '2026-07-01',
      endDate: '2026-12-31',
      versions: [
        { effectiveFrom: '2026-07-01', scope: [seg.alley], standardRef: { standardId: 'test-standard', version: 1 } },
        { effectiveFrom: '2026-07-03', scope: [seg.alley], standardRef: { standardId: 'test-standard', version: 2 } },
      ],
    });

    const starts = tasksOf(input({ range: { from: '2026-07-01', to: '2026-07-05' }, contract, standards: [v2, v1] })).map((task) => task.windowStart);

    expect(starts).toEqual(['2026-07-01T05:00:00+08:00', '2026-07-02T05:00:00+08:00', '2026-07-03T06:00:00+08:00', '2026-07-04T06:00:00+08:00']);
  });
});

describe('input errors', () => {
  it.each([
    ['a range that ends before it starts', { range: { from: '2026-07-02', to: '2026-07-01' } }],
    ['an unknown zone', { range: day('2026-07-01'), zone: 'Asia/Atlantis' }],
    ['a scope segment without grade', { range: day('2026-07-01'), segments: new Map() }],
    ['a standard of another service type', { range: day('2026-07-01'), standards: standardTemplateFor('greening') }],
    [
      'a standard version that was not given',
      { range: day('2026-07-01'), contract: scheduledContract({ startDate: '2026-07-01', endDate: '2026-07-31', versions: [{ effectiveFrom: '2026-07-01', scope: [seg.alley], standardRef: { standardId: 'cleaning-standard', version: 9 } }] }) },
    ],
  ])('throws a RangeError at the call for %s', (_name, overrides) => {
    expect(() => deriveTasks(input(overrides as Partial<DeriveInput> & Pick<DeriveInput, 'range'>))).toThrow(RangeError);
  });

  it('answers nothing for an empty range', () => {
    expect(tasksOf(input({ range: { from: '2026-07-01', to: '2026-07-01' } }))).toEqual([]);
  });
});

describe('resolveTask', () => {
  const base = input({ range: day('2026-07-02') });
  const { range: _range, ...context } = base;

  it('resolves an id of the schedule back to its task', () => {
    const task = tasksOf(base).find((candidate) => candidate.activity === 'wash');

    expect(task).toBeDefined();
    expect(resolveTask(context, task!.taskId)).toEqual(task);
    expect(decodeTaskId(task!.taskId)).toEqual({ contractId, segmentId: task!.segmentId, activity: 'wash', windowStartMs: Date.parse(task!.windowStart) });
  });

  it('answers undefined for a made-up id, another contract’s id, and a well-formed id the schedule does not contain', () => {
    const notScheduled = encodeTaskId({ contractId, segmentId: seg.alley, activity: 'sweep', windowStartMs: Date.parse('2026-07-02T05:01:00+08:00') });
    const otherContract = encodeTaskId({ contractId: otherContractId, segmentId: seg.alley, activity: 'sweep', windowStartMs: Date.parse('2026-07-02T05:00:00+08:00') });

    expect(resolveTask(context, `tsk_${'b'.repeat(60)}`)).toBeUndefined();
    expect(resolveTask(context, otherContract)).toBeUndefined();
    expect(resolveTask(context, notScheduled)).toBeUndefined();
  });

  it('answers undefined once the task is suspended', () => {
    const task = only(tasksOf(base), seg.alley)[0]!;
    const suspension: ScheduleException = { kind: 'segment_suspension', exceptionId: 'exc_1', segmentIds: [seg.alley], from: '2026-07-02', to: '2026-07-02', reason: '施工占道', author: 'usr_procure_wang' };

    expect(resolveTask({ ...context, exceptions: [suspension] }, task.taskId)).toBeUndefined();
  });
});

describe('localInstant (the wall-time rule in other zones)', () => {
  const at = (date: string, time: string, zone: string): string => {
    const [hours = 0, minutes = 0] = time.split(':').map(Number);
    const ms = localInstant(DateTime.fromISO(date, { zone: 'utc' }), hours * 60 + minutes, IANAZone.create(zone));
    return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
  };

  it('opens a New York window in the gap at 03:00 and takes the first 01:30 in November', () => {
    expect(at('2026-03-08', '02:30', 'America/New_York')).toBe('2026-03-08T03:00:00-04:00');
    expect(at('2026-11-01', '01:30', 'America/New_York')).toBe('2026-11-01T01:30:00-04:00');
  });

  it('handles Lord Howe’s half-hour change both ways', () => {
    expect(at('2026-10-04', '02:15', 'Australia/Lord_Howe')).toBe('2026-10-04T02:30:00+11:00');
    expect(at('2026-04-05', '01:45', 'Australia/Lord_Howe')).toBe('2026-04-05T01:45:00+11:00');
  });

  it('puts minutes past 24 hours on the next date', () => {
    expect(at('2026-07-01', '29:00', 'Asia/Shanghai')).toBe('2026-07-02T05:00:00+08:00');
  });
});
