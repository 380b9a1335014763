import { DateTime, IANAZone } from 'luxon';
import type { Contract } from '../contracts/schema';
import { termsPeriods } from '../contracts/terms';
import { CalendarDate, addDays, defaultZone, maxDate, minDate } from '../dates';
import type { RoadGrade, SegmentFlag } from '../segments/schema';
import { compileCalendar, type CompiledCalendar, type TenantCalendar } from './calendar';
import type { EventWindows, ScheduleException, SegmentSuspension, WeatherSuspension } from './exceptions';
import { classCount, classIndex, classMask, inSeason, windowSpan, type DaysRule, type ServiceStandard } from './standard';
import { TaskIdWriter, decodeTaskId, encodeTaskId, type TaskIdHead, type TaskIdSlot } from './task-id';

/**
 * The derivation (DESIGN §3 Tasks; issue 4 "Derived tasks"): contract terms in force, the
 * service standard they name, the segments' grades and flags, the tenant calendar and the
 * exceptions → the tasks of a date range. Pure and lazy: nothing is stored per occurrence,
 * and nothing is built that the caller does not iterate.
 *
 * Rules, in the order they apply to a (segment, activity, window) on a date D:
 * 1. D lies within the contract's dates (start to its last day in force, inclusive) and the
 *    range, and the segment is in the scope of the terms version in force on D.
 * 2. The standard is the one the terms in force on D name (`standardRef`), so an amendment
 *    that changes the standard takes effect on its date.
 * 3. The activity's entry applies to the segment's grade and flags, and one of its seasons
 *    contains D's month-day (seasons may wrap the year end).
 * 4. The season's days rule holds on D: every day; weekdays (Monday–Friday and make-up
 *    working days); every n days counted from the contract start (day 0); days of the month;
 *    ISO days of the week.
 * 5. `holidays: 'skip'` drops the occurrence on a public holiday (it is not moved).
 * 6. No segment suspension covers (segment, D, activity) and no weather suspension covers
 *    (activity, D, segment). Suspensions beat everything, event windows included.
 * 7. Event windows (重大活动保障) add tasks on their dates for the named segments in scope; a
 *    window that starts when a standard window of the same activity starts is the same task
 *    and is not doubled.
 *
 * Time (all calendar work through luxon in the tenant's zone):
 * - A window's local start on D and its end (the next day when the end is at or before the
 *   start) become instants once per date and distinct time, then are shared by every segment.
 * - A task belongs to the date its window starts (`localDate`), also when it ends the next day.
 * - Spring forward: a local time inside the skipped hour becomes the first valid instant after
 *   it, when the clocks jump (02:30 on 2026-03-29 in Europe/Berlin → 03:00 CEST, 01:00 UTC): the
 *   window opens as soon as the clocks show its start or later. (Luxon alone moves it on by
 *   the gap's length, to 03:30; we correct that.) A window wholly inside the gap (02:15–02:45)
 *   would then be empty, so its end becomes the start plus its nominal length (03:00–03:30).
 *   No window is lost: each date keeps one task per window; one across the gap is shorter.
 *   Only when two windows of one activity then open at the same instant (02:30 and 03:00)
 *   are they one task — one instant, one id — ending at the later end.
 * - Fall back: a local time in the repeated hour means its first occurrence (02:30 on
 *   2026-10-25 in Europe/Berlin → 02:30 CEST, 00:30 UTC). Luxon picks the second; we move it.
 *   No window is doubled; a window across the repeated hour is an hour longer.
 *
 * Range: `from` inclusive, `to` exclusive (half-open dates), so consecutive ranges partition
 * the tasks exactly: [a, c) = [a, b) followed by [b, c).
 *
 * Cost (issue 4 benchmark: a city-month is about two million tasks): per call, each scope
 * segment is sorted into one of 16 classes (grade x flags) and gets its task-id head (the
 * id's bytes that depend on contract and segment); per date, each window of each activity
 * becomes its instants and ISO texts once (luxon gives the zone's offset; on dates without
 * an offset change the wall time becomes an instant by integer arithmetic, on the others
 * through `localInstant`); per task, only the checksum characters of the id and the task
 * object are new. Nothing is collected: memory stays flat however long the range.
 */

export interface SegmentInfo {
  readonly grade: RoadGrade;
  readonly flags: readonly SegmentFlag[];
}

export type ScheduledContract = Pick<Contract, 'contractId' | 'serviceType' | 'startDate' | 'endDate' | 'endedOn' | 'versions'>;

export interface DateRange {
  /** First date, inclusive. */
  readonly from: string;
  /** Date after the last, exclusive. */
  readonly to: string;
}

export interface DeriveInput {
  readonly contract: ScheduledContract;
  /**
   * The standard versions the contract's terms may name. Terms that name none use the only
   * standard given (one standard for the whole contract); naming a version that is not given
   * is a wiring error (RangeError).
   */
  readonly standards: ServiceStandard | readonly ServiceStandard[];
  /** Grade and flags of at least every segment the scope history names. */
  readonly segments: ReadonlyMap<string, SegmentInfo>;
  readonly calendar: TenantCalendar | CompiledCalendar;
  readonly exceptions?: readonly ScheduleException[];
  /** The tenant's IANA zone; Asia/Shanghai when absent. */
  readonly zone?: string;
  readonly range: DateRange;
  /** Only these segments (a segment's task list, resolving one id); all in scope when absent. */
  readonly segmentIds?: readonly string[];
}

/** One occurrence: contract x segment x activity x window (DESIGN §1 task). */
export interface Task {
  readonly taskId: string;
  readonly contractId: string;
  readonly segmentId: string;
  readonly activity: string;
  /** ISO 8601 instant with the tenant's offset, e.g. 2026-07-01T04:30:00+08:00. */
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly graceMinutes: number;
  readonly minPhotos: number;
  /** The tenant-local date the window starts on: the day the task belongs to. */
  readonly localDate: string;
  /** `standard`, or `event` for a window added by an event exception. */
  readonly origin: 'standard' | 'event';
}

/**
 * The tasks of `input.range`, lazily, ordered by date, then the standard's activity and
 * window order, then segment class and segment id; event windows last each day. Input errors
 * (an unknown zone, a range that ends before it starts, a scope segment without grade, a
 * standard version not given) throw a RangeError at the call, before iteration.
 */
export function deriveTasks(input: DeriveInput): IterableIterator<Task> {
  return new TaskIterator(prepare(input));
}

/**
 * Calls `visit` for each task deriveTasks would yield, in the same order, and answers how
 * many there were: the same result without an iterator result per task, for jobs that walk
 * a whole city-month (the sweep, statements). The loop is written out here and in
 * TaskIterator rather than shared, because a shared per-task callback is what it avoids.
 */
export function forEachTask(input: DeriveInput, visit: (task: Task) => void): number {
  const plan = prepare(input);
  let count = 0;
  for (const day of days(plan)) {
    for (const slot of day.slots) {
      const blocked = slot.blocked;
      const idSlot = slot.idSlot;
      for (let c = 0; c < classCount; c += 1) {
        if ((slot.mask & (1 << c)) === 0) continue;
        const segments = day.scope.byClass[c]!;
        let length = -1;
        let register = 0;
        for (let i = 0; i < segments.length; i += 1) {
          const segment = segments[i]!;
          if (blocked !== null && blocked[segment.index] === 1) continue;
          let taskId: string;
          if (idSlot !== undefined) {
            if (segment.head.restLength !== length) {
              length = segment.head.restLength;
              register = idSlot.registerFor(length);
            }
            taskId = TaskIdWriter.id(segment.head, idSlot, register);
          } else {
            taskId = encodeTaskId({ contractId: plan.contractId, segmentId: segment.id, activity: slot.activity, windowStartMs: slot.startMs });
          }
          visit({
            taskId,
            contractId: plan.contractId,
            segmentId: segment.id,
            activity: slot.activity,
            windowStart: slot.windowStart,
            windowEnd: slot.windowEnd,
            graceMinutes: slot.graceMinutes,
            minPhotos: slot.minPhotos,
            localDate: day.date,
            origin: 'standard',
          });
          count += 1;
        }
      }
    }
    for (const task of day.events) {
      visit(task);
      count += 1;
    }
  }
  return count;
}

/**
 * deriveTasks's iterator. A hand-written state machine rather than a generator: resuming a
 * generator per task cost about a fifth of the city-month in the benchmark. It walks the
 * same loops as forEachTask (day → slot → class → segment, then the day's event tasks).
 */
class TaskIterator implements IterableIterator<Task> {
  readonly #plan: Plan;
  readonly #days: Generator<Day, void, undefined>;
  #day: Day | undefined;
  #slot = 0;
  #class = 0;
  #segment = 0;
  #event = 0;
  #length = -1;
  #register = 0;

  constructor(plan: Plan) {
    this.#plan = plan;
    this.#days = days(plan);
    this.#day = this.#nextDay();
  }

  [Symbol.iterator](): IterableIterator<Task> {
    return this;
  }

  next(): IteratorResult<Task, undefined> {
    for (let day = this.#day; day !== undefined; day = this.#day) {
      while (this.#slot < day.slots.length) {
        const slot = day.slots[this.#slot]!;
        while (this.#class < classCount) {
          if ((slot.mask & (1 << this.#class)) !== 0) {
            const segments = day.scope.byClass[this.#class]!;
            const blocked = slot.blocked;
            while (this.#segment < segments.length) {
              const segment = segments[this.#segment]!;
              this.#segment += 1;
              if (blocked !== null && blocked[segment.index] === 1) continue;
              return { done: false, value: this.#task(day, slot, segment) };
            }
          }
          this.#class += 1;
          this.#segment = 0;
          this.#length = -1;
        }
        this.#slot += 1;
        this.#class = 0;
      }
      if (this.#event < day.events.length) {
        const task = day.events[this.#event]!;
        this.#event += 1;
        return { done: false, value: task };
      }
      this.#day = this.#nextDay();
    }
    return { done: true, value: undefined };
  }

  #nextDay(): Day | undefined {
    const next = this.#days.next();
    this.#slot = 0;
    this.#class = 0;
    this.#segment = 0;
    this.#event = 0;
    this.#length = -1;
    return next.done === true ? undefined : next.value;
  }

  #task(day: Day, slot: Slot, segment: SegmentEntry): Task {
    const idSlot = slot.idSlot;
    let taskId: string;
    if (idSlot !== undefined) {
      if (segment.head.restLength !== this.#length) {
        this.#length = segment.head.restLength;
        this.#register = idSlot.registerFor(this.#length);
      }
      taskId = TaskIdWriter.id(segment.head, idSlot, this.#register);
    } else {
      taskId = encodeTaskId({ contractId: this.#plan.contractId, segmentId: segment.id, activity: slot.activity, windowStartMs: slot.startMs });
    }
    return {
      taskId,
      contractId: this.#plan.contractId,
      segmentId: segment.id,
      activity: slot.activity,
      windowStart: slot.windowStart,
      windowEnd: slot.windowEnd,
      graceMinutes: slot.graceMinutes,
      minPhotos: slot.minPhotos,
      localDate: day.date,
      origin: 'standard',
    };
  }
}

/**
 * The task a (well-formed) id names, if the schedule contains it: decoded without a read,
 * then confirmed by deriving that segment's tasks around the window's local date. Undefined
 * for a made-up id, another contract's id, or a task the schedule does not (or no longer)
 * contain (suspended, out of scope).
 */
export function resolveTask(input: Omit<DeriveInput, 'range' | 'segmentIds'>, taskId: string): Task | undefined {
  const parts = decodeTaskId(taskId);
  if (parts === undefined || parts.contractId !== input.contract.contractId) return undefined;
  const zone = input.zone ?? defaultZone;
  const date = DateTime.fromMillis(parts.windowStartMs, { zone }).toISODate();
  if (date === null) return undefined;
  // The day before too: a task belongs to the day it starts, and a time moved across a gap
  // that spans midnight (a few zones change at 00:00) could show the next date.
  const range = { from: addDays(date, -1), to: addDays(date, 1) };
  for (const task of deriveTasks({ ...input, range, segmentIds: [parts.segmentId] })) {
    if (task.taskId === taskId) return task;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Preparation: everything that does not depend on the date, once per call.

interface SegmentEntry {
  readonly id: string;
  /** Dense index within this call, for the blocked masks. */
  readonly index: number;
  readonly classIdx: number;
  readonly head: TaskIdHead;
}

interface ScopePlan {
  /** Segments in scope by class (0–15), in scope order. */
  readonly byClass: readonly (readonly SegmentEntry[])[];
  /** Segment id → entry, built on first use: only exceptions need it, and most days have none. */
  byId(): ReadonlyMap<string, SegmentEntry>;
}

interface CompiledWindow {
  readonly start: number;
  /** Minutes after the start date's midnight; above 1440 for a window ending the next day. */
  readonly end: number;
}

interface CompiledSeason {
  readonly from: string;
  readonly to: string;
  readonly days: DaysRule;
  readonly windows: readonly CompiledWindow[];
}

interface CompiledEntry {
  readonly activity: string;
  readonly mask: number;
  readonly seasons: readonly CompiledSeason[];
  readonly skipHolidays: boolean;
  readonly graceMinutes: number;
  readonly minPhotos: number;
}

interface Period {
  readonly from: string;
  readonly to: string;
  readonly scope: ScopePlan;
  readonly entries: readonly CompiledEntry[];
}

interface Plan {
  readonly contractId: string;
  readonly contractStart: DateTime;
  readonly zone: IANAZone;
  readonly zoneName: string;
  readonly calendar: CompiledCalendar;
  readonly periods: readonly Period[];
  readonly segmentCount: number;
  readonly suspensions: readonly SegmentSuspension[];
  readonly weather: ReadonlyMap<string, readonly WeatherSuspension[]>;
  readonly events: ReadonlyMap<string, readonly EventWindows[]>;
}

function prepare(input: DeriveInput): Plan {
  const zoneName = input.zone ?? defaultZone;
  if (!IANAZone.isValidZone(zoneName)) throw new RangeError(`'${zoneName}' is not an IANA time zone`);
  const { from, to } = input.range;
  if (!CalendarDate.safeParse(from).success || !CalendarDate.safeParse(to).success) throw new RangeError(`the range ${from} – ${to} is not two calendar dates`);
  if (from > to) throw new RangeError(`the range ends (${to}) before it starts (${from})`);
  const { contract } = input;
  const standards = standardLookup(input.standards, contract.serviceType);
  const only = input.segmentIds === undefined ? undefined : new Set(input.segmentIds);
  const writer = new TaskIdWriter(contract.contractId);
  const entriesById = new Map<string, SegmentEntry>();
  const scopes = new Map<number, ScopePlan>();
  const compiled = new Map<ServiceStandard, CompiledEntry[]>();

  const periods: Period[] = [];
  const last = addDays(to, -1);
  for (const period of termsPeriods(contract)) {
    const periodFrom = maxDate(period.from, from);
    const periodTo = minDate(period.to, last);
    if (periodFrom > periodTo) continue;
    const standard = standards(period.terms.standardRef, period.terms.termsVersion);
    if (standard === undefined) continue;
    let entries = compiled.get(standard);
    if (entries === undefined) {
      entries = compileStandard(standard);
      compiled.set(standard, entries);
    }
    let scope = scopes.get(period.terms.termsVersion);
    if (scope === undefined) {
      scope = scopePlan(period.terms.scope, period.terms.termsVersion, input.segments, only, entriesById, writer);
      scopes.set(period.terms.termsVersion, scope);
    }
    periods.push({ from: periodFrom, to: periodTo, scope, entries });
  }

  const exceptions = input.exceptions ?? [];
  const weather = new Map<string, WeatherSuspension[]>();
  const events = new Map<string, EventWindows[]>();
  for (const exception of exceptions) {
    if (exception.kind === 'weather_suspension') push(weather, exception.date, exception);
    if (exception.kind === 'event_windows' && exception.serviceType === contract.serviceType) {
      for (const date of new Set(exception.dates)) push(events, date, exception);
    }
  }
  return {
    contractId: contract.contractId,
    contractStart: DateTime.fromISO(contract.startDate, { zone: 'utc' }),
    zone: IANAZone.create(zoneName),
    zoneName,
    calendar: 'isHoliday' in input.calendar ? input.calendar : compileCalendar(input.calendar),
    periods,
    segmentCount: entriesById.size,
    suspensions: exceptions.filter((exception): exception is SegmentSuspension => exception.kind === 'segment_suspension'),
    weather,
    events,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

type StandardFor = (ref: { readonly standardId: string; readonly version: number } | undefined, termsVersion: number) => ServiceStandard | undefined;

function standardLookup(given: ServiceStandard | readonly ServiceStandard[], serviceType: string): StandardFor {
  const list: readonly ServiceStandard[] = Array.isArray(given) ? given : [given as ServiceStandard];
  for (const standard of list) {
    if (standard.serviceType !== serviceType) {
      throw new RangeError(`standard ${standard.standardId} v${standard.version} is for ${standard.serviceType}, the contract is ${serviceType}`);
    }
  }
  const byRef = new Map(list.map((standard) => [`${standard.standardId}@${standard.version}`, standard]));
  return (ref, termsVersion) => {
    if (ref === undefined) {
      if (list.length === 1) return list[0];
      if (list.length === 0) return undefined;
      throw new RangeError(`terms version ${termsVersion} names no standard and ${list.length} were given: pass the one that applies`);
    }
    const standard = byRef.get(`${ref.standardId}@${ref.version}`);
    if (standard === undefined) throw new RangeError(`terms version ${termsVersion} names standard ${ref.standardId} v${ref.version}, which was not given`);
    return standard;
  };
}

function compileStandard(standard: ServiceStandard): CompiledEntry[] {
  return standard.activities.map((entry) => ({
    activity: entry.activity,
    mask: classMask(entry),
    seasons: entry.seasons.map((season) => ({
      from: season.from,
      to: season.to,
      days: season.days,
      windows: season.windows.map((window) => windowSpan(window)),
    })),
    skipHolidays: entry.holidays === 'skip',
    graceMinutes: entry.graceMinutes,
    minPhotos: entry.minPhotos,
  }));
}

function scopePlan(
  scope: readonly string[],
  termsVersion: number,
  segments: ReadonlyMap<string, SegmentInfo>,
  only: ReadonlySet<string> | undefined,
  entriesById: Map<string, SegmentEntry>,
  writer: TaskIdWriter,
): ScopePlan {
  const byClass: SegmentEntry[][] = Array.from({ length: classCount }, () => []);
  for (const id of scope) {
    if (only !== undefined && !only.has(id)) continue;
    let entry = entriesById.get(id);
    if (entry === undefined) {
      const info = segments.get(id);
      if (info === undefined) throw new RangeError(`segment ${id} is in the scope of terms version ${termsVersion} but its grade and flags were not given`);
      entry = { id, index: entriesById.size, classIdx: classIndex(info.grade, info.flags), head: writer.head(id) };
      entriesById.set(id, entry);
    }
    byClass[entry.classIdx]!.push(entry);
  }
  let byId: Map<string, SegmentEntry> | undefined;
  return {
    byClass,
    byId: () => (byId ??= new Map(byClass.flat().map((entry) => [entry.id, entry]))),
  };
}

// ---------------------------------------------------------------------------------------
// Per date: which windows, at which instants, for which classes, minus what is suspended.

interface Slot {
  readonly activity: string;
  readonly mask: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly graceMinutes: number;
  readonly minPhotos: number;
  readonly idSlot: TaskIdSlot | undefined;
  /** 1 at the index of each segment that may not take this activity today; null when none. */
  readonly blocked: Uint8Array | null;
}

interface Day {
  readonly date: string;
  readonly scope: ScopePlan;
  readonly slots: readonly Slot[];
  readonly events: readonly Task[];
}

interface DayFacts {
  readonly date: string;
  readonly utcDay: DateTime;
  readonly monthDay: string;
  readonly weekday: number;
  readonly dayOfMonth: number;
  readonly sinceStart: number;
  readonly holiday: boolean;
  readonly makeUp: boolean;
}

function* days(plan: Plan): Generator<Day, void, undefined> {
  for (const period of plan.periods) {
    const last = DateTime.fromISO(period.to, { zone: 'utc' });
    for (let utcDay = DateTime.fromISO(period.from, { zone: 'utc' }); utcDay <= last; utcDay = utcDay.plus({ days: 1 })) {
      yield planDay(plan, period, facts(plan, utcDay));
    }
  }
}

function facts(plan: Plan, utcDay: DateTime): DayFacts {
  const date = utcDay.toISODate() ?? '';
  return {
    date,
    utcDay,
    monthDay: date.slice(5),
    weekday: utcDay.weekday,
    dayOfMonth: utcDay.day,
    sinceStart: Math.round(utcDay.diff(plan.contractStart, 'days').days),
    holiday: plan.calendar.isHoliday(date),
    makeUp: plan.calendar.isMakeUpWorkday(date),
  };
}

function daysRuleHolds(rule: DaysRule, day: DayFacts): boolean {
  switch (rule.kind) {
    case 'every_day':
      return true;
    case 'weekdays':
      return day.weekday <= 5 || day.makeUp;
    case 'every_n_days':
      return day.sinceStart >= 0 && day.sinceStart % rule.n === 0;
    case 'days_of_month':
      return rule.days.includes(day.dayOfMonth);
    case 'days_of_week':
      return rule.days.includes(day.weekday);
  }
}

function planDay(plan: Plan, period: Period, day: DayFacts): Day {
  const clock = dayClock(plan, day);
  const blockedCache = new Map<string, Uint8Array | null | 'all'>();
  const blockedFor = (activity: string): Uint8Array | null | 'all' => {
    let blocked = blockedCache.get(activity);
    if (blocked === undefined) {
      blocked = blockedMask(plan, period.scope, day.date, activity);
      blockedCache.set(activity, blocked);
    }
    return blocked;
  };

  const slots: Slot[] = [];
  for (const entry of period.entries) {
    if (entry.skipHolidays && day.holiday) continue;
    const season = entry.seasons.find((candidate) => inSeason(day.monthDay, candidate));
    if (season === undefined || !daysRuleHolds(season.days, day)) continue;
    const blocked = blockedFor(entry.activity);
    if (blocked === 'all') continue;
    const first = slots.length;
    for (const window of season.windows) {
      const next = slot(plan, entry.activity, window, clock, entry.graceMinutes, entry.minPhotos, entry.mask, blocked);
      // Two wall times can meet at the spring-forward jump (02:30 and 03:00 both open at 03:00):
      // one instant, one task id, so one task, ending at the later end.
      const twin = slots.findIndex((other, index) => index >= first && other.startMs === next.startMs);
      if (twin < 0) slots.push(next);
      else if (next.endMs > slots[twin]!.endMs) slots[twin] = { ...slots[twin]!, endMs: next.endMs, windowEnd: next.windowEnd };
    }
  }
  const events = eventTasks(plan, period, day, slots, clock, blockedFor);
  return { date: day.date, scope: period.scope, slots, events };
}

function slot(
  plan: Plan,
  activity: string,
  window: CompiledWindow,
  clock: DayClock,
  graceMinutes: number,
  minPhotos: number,
  mask: number,
  blocked: Uint8Array | null,
): Slot {
  const startMs = clock.instant(window.start);
  let endMs = clock.instant(window.end);
  // A window wholly inside a spring-forward gap starts and ends at the jump: keep its length.
  if (endMs <= startMs) endMs = startMs + (window.end - window.start) * 60_000;
  if (startMs % 60_000 !== 0) throw new RangeError(`zone ${plan.zoneName} puts ${window.start} minutes at a fraction of a minute; task ids need whole minutes`);
  return {
    activity,
    mask,
    startMs,
    endMs,
    windowStart: clock.iso(startMs, window.start),
    windowEnd: clock.iso(endMs, endMs === clock.instant(window.end) ? window.end : undefined),
    graceMinutes,
    minPhotos,
    idSlot: TaskIdWriter.slot(activity, startMs),
    blocked,
  };
}

/** Local wall time → instant and instant → ISO text for one date, each distinct time computed once. */
interface DayClock {
  /** The instant of wall time `minutes` after the date's midnight (≥ 1440: the next date). */
  instant(minutes: number): number;
  /** ISO 8601 with the zone's offset; `minutes` is the wall time `ms` shows, when known. */
  iso(ms: number, minutes: number | undefined): string;
}

/**
 * Zones whose offset is the same from the date's first to the next date's last instant are
 * the common case (every date in China, all but two dates a year in Europe): luxon gives the
 * offset, and each wall time becomes its instant by integer arithmetic. Dates near an offset
 * change take the full luxon path of `localInstant`.
 */
function dayClock(plan: Plan, day: DayFacts): DayClock {
  const offset = fixedOffset(plan.zone, day);
  const instants = new Map<number, number>();
  if (offset === undefined) {
    return {
      instant: (minutes) => {
        let ms = instants.get(minutes);
        if (ms === undefined) {
          ms = localInstant(day.utcDay, minutes, plan.zone);
          instants.set(minutes, ms);
        }
        return ms;
      },
      iso: (ms) => isoInstant(ms, plan.zone),
    };
  }
  const midnight = day.utcDay.toMillis() - offset * 60_000;
  const suffix = offsetText(offset);
  const nextDate = addDays(day.date, 1);
  return {
    instant: (minutes) => midnight + minutes * 60_000,
    iso: (ms, minutes) => {
      if (minutes === undefined) return isoInstant(ms, plan.zone);
      const ofDay = minutes % 1440;
      return `${minutes >= 1440 ? nextDate : day.date}T${twoDigits(Math.floor(ofDay / 60))}:${twoDigits(ofDay % 60)}:00${suffix}`;
    },
  };
}

/**
 * The zone's offset in minutes when it is the same at every sample from 18 hours before the
 * date's UTC midnight to 54 hours after (every instant of the date and the next, in any
 * zone from −12 to +14 hours), sampled every 3 hours; undefined otherwise. No zone changes
 * its offset and back within 3 hours. Memoised per zone and date: the answer is a fact of
 * the time zone database, and a city-month asks it once per contract.
 */
function fixedOffset(zone: IANAZone, day: DayFacts): number | undefined {
  const key = `${zone.name}|${day.date}`;
  const known = offsetMemo.get(key);
  if (known !== undefined) return known ?? undefined;
  const utcMidnight = day.utcDay.toMillis();
  const first = zone.offset(utcMidnight - 18 * 3_600_000);
  let fixed: number | null = first;
  for (let hours = -15; hours <= 54; hours += 3) {
    if (zone.offset(utcMidnight + hours * 3_600_000) !== first) {
      fixed = null;
      break;
    }
  }
  if (offsetMemo.size >= 20_000) offsetMemo.clear();
  offsetMemo.set(key, fixed);
  return fixed ?? undefined;
}

const offsetMemo = new Map<string, number | null>();

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const absolute = Math.abs(minutes);
  return `${sign}${twoDigits(Math.floor(absolute / 60))}:${twoDigits(absolute % 60)}`;
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * The instant of local wall time `minutes` after the midnight that starts `utcDay`'s date
 * (minutes ≥ 1440 fall on the next date) in `zone`, by luxon, then two corrections where the
 * zone's clocks jump:
 * - a wall time the clocks skip (spring forward) becomes the first instant after the gap,
 *   when the clocks show a later time for the first time (luxon would move it on by the
 *   gap's length: 02:30 → 03:30 instead of 03:00);
 * - a wall time the clocks show twice (fall back) becomes the first of the two (luxon picks
 *   the second).
 */
export function localInstant(utcDay: DateTime, minutes: number, zone: IANAZone): number {
  const date = minutes >= 1440 ? utcDay.plus({ days: Math.floor(minutes / 1440) }) : utcDay;
  const ofDay = minutes % 1440;
  const wall = { year: date.year, month: date.month, day: date.day, hour: Math.floor(ofDay / 60), minute: ofDay % 60 };
  const local = DateTime.fromObject(wall, { zone });
  let ms = local.toMillis();
  // Wall time as if it were UTC: comparable with instant + offset.
  const wallMs = date.toMillis() + ofDay * 60_000;
  const offset = zone.offset(ms);
  if (ms + offset * 60_000 !== wallMs) {
    // Skipped: the first instant whose wall time is at or after the one asked for. The gap
    // lies within the gap's length before luxon's answer; search it to the minute.
    let low = ms - (offset - zone.offset(ms - 3 * 3_600_000)) * 60_000;
    let high = ms;
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 120_000) * 60_000;
      if (middle + zone.offset(middle) * 60_000 >= wallMs) high = middle;
      else low = middle;
    }
    return high;
  }
  // Three hours back reaches before any real transition whose repeated span contains ms.
  const before = zone.offset(ms - 3 * 3_600_000);
  if (before > offset) {
    const earlier = ms - (before - offset) * 60_000;
    if (zone.offset(earlier) === before) ms = earlier;
  }
  return ms;
}

function isoInstant(ms: number, zone: IANAZone): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
}

/** Segments that may not take `activity` on `date`: 'all' for a weather suspension without segments. */
function blockedMask(plan: Plan, scope: ScopePlan, date: string, activity: string): Uint8Array | null | 'all' {
  const ids: string[] = [];
  for (const weather of plan.weather.get(date) ?? []) {
    if (weather.activity !== activity) continue;
    if (weather.segmentIds === undefined) return 'all';
    ids.push(...weather.segmentIds);
  }
  for (const suspension of plan.suspensions) {
    if (suspension.from > date || suspension.to < date) continue;
    if (suspension.activities !== undefined && !suspension.activities.includes(activity)) continue;
    ids.push(...suspension.segmentIds);
  }
  let mask: Uint8Array | null = null;
  for (const id of ids) {
    const entry = scope.byId().get(id);
    if (entry === undefined) continue;
    mask ??= new Uint8Array(plan.segmentCount);
    mask[entry.index] = 1;
  }
  return mask;
}

function eventTasks(
  plan: Plan,
  period: Period,
  day: DayFacts,
  slots: readonly Slot[],
  clock: DayClock,
  blockedFor: (activity: string) => Uint8Array | null | 'all',
): Task[] {
  const events = plan.events.get(day.date);
  if (events === undefined) return [];
  const regular = new Map<string, number>();
  for (const s of slots) regular.set(`${s.activity}@${s.startMs}`, (regular.get(`${s.activity}@${s.startMs}`) ?? 0) | s.mask);
  const seen = new Set<string>();
  const tasks: Task[] = [];
  for (const event of events) {
    const blocked = blockedFor(event.activity);
    if (blocked === 'all') continue;
    for (const window of event.windows) {
      for (const segmentId of event.segmentIds) {
        const segment = period.scope.byId().get(segmentId);
        if (segment === undefined || (blocked !== null && blocked[segment.index] === 1)) continue;
        const entry = eventEntry(period.entries, event.activity, segment.classIdx, day.monthDay);
        const s = slot(plan, event.activity, windowSpan(window), clock, event.graceMinutes ?? entry?.graceMinutes ?? 30, event.minPhotos ?? entry?.minPhotos ?? 2, 0, null);
        const key = `${segment.index}|${s.activity}|${s.startMs}`;
        if (((regular.get(`${s.activity}@${s.startMs}`) ?? 0) & (1 << segment.classIdx)) !== 0 || seen.has(key)) continue;
        seen.add(key);
        tasks.push({
          taskId: encodeTaskId({ contractId: plan.contractId, segmentId, activity: s.activity, windowStartMs: s.startMs }),
          contractId: plan.contractId,
          segmentId,
          activity: s.activity,
          windowStart: s.windowStart,
          windowEnd: s.windowEnd,
          graceMinutes: s.graceMinutes,
          minPhotos: s.minPhotos,
          localDate: day.date,
          origin: 'event',
        });
      }
    }
  }
  return tasks;
}

/** The standard's entry whose grace and photo count an event window of `activity` borrows. */
function eventEntry(entries: readonly CompiledEntry[], activity: string, classIdx: number, monthDay: string): CompiledEntry | undefined {
  return (
    entries.find((entry) => entry.activity === activity && (entry.mask & (1 << classIdx)) !== 0 && entry.seasons.some((season) => inSeason(monthDay, season))) ??
    entries.find((entry) => entry.activity === activity)
  );
}
