import * as z from 'zod';
import type { Contract, StandardRef } from '../contracts/schema';
import { termsPeriods } from '../contracts/terms';
import { CalendarDate, addDays, defaultZone, localDate, maxDate, minDate } from '../dates';
import { ConflictError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../errors';
import { prefixedUlid } from '../ids';
import { authorize, seesContractor, type Actor } from '../policy';
import type { Clock, IdGenerator, Page, PageRequest } from '../ports';
import type { Segment } from '../segments/schema';
import { TenantCalendar, china2026Calendar, emptyCalendar, type TenantCalendarFields } from './calendar';
import { deriveTasks, resolveTask, type SegmentInfo, type Task } from './derive';
import { EventWindows, SegmentSuspension, WeatherSuspension, eventBanIssues, type ScheduleException } from './exceptions';
import type { TaskOutcomeStatus, TaskOutcomeStore } from './outcomes';
import type { ScheduleStore, StoredCalendar, StoredException, StoredStandard } from './ports';
import { ServiceStandardFields, defaultTrafficBans, parseStandard, validateStandard, type ServiceStandard, type TrafficBan } from './standard';
import { standardFromTemplate, standardTemplateById, standardTemplateFor } from './templates';
import { decodeTaskId } from './task-id';
import { parseInput } from '../validation';

/**
 * The schedule's use cases (issue 4): standards, exceptions and the tenant calendar as
 * stored data, and the read side of tasks — derived on each request from the contract's terms
 * in force, its standard, the calendar and the exceptions, with statuses joined from the
 * task outcomes (what the missed-task sweep and, later, proofs record).
 */

/** What the schedule use cases need from outside. */
export interface ScheduleDeps {
  readonly schedule: ScheduleStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** What the task reads need besides: contracts, segments, and outcomes when wired. */
export interface TaskDeps extends ScheduleDeps {
  getContract(tenantId: string, contractId: string): Promise<Contract | undefined>;
  /** Active contracts of the tenant (every service type). */
  activeContracts(tenantId: string): Promise<readonly Contract[]>;
  getSegments(tenantId: string, segmentIds: readonly string[]): Promise<ReadonlyMap<string, Pick<Segment, 'segmentId' | 'grade' | 'flags'>>>;
  /** Absent until the outcome store is wired: every task then reads as pending. */
  readonly outcomes?: Pick<TaskOutcomeStore, 'getMany' | 'listByContractDay'>;
}

/**
 * The tenant's traffic bans. Tenant settings do not exist yet, so every tenant has the
 * default bans (07:00–09:00, 16:00–18:00); a settings module replaces this one function.
 */
export function tenantTrafficBans(_tenantId: string): readonly TrafficBan[] {
  return defaultTrafficBans;
}

/** The tenant's zone; tenant settings do not exist yet (Asia/Shanghai, DESIGN §6). */
function tenantZone(_tenantId: string): string {
  return defaultZone;
}

function todayOf(deps: Pick<ScheduleDeps, 'clock'>, tenantId: string): string {
  return localDate(deps.clock.now(), tenantZone(tenantId));
}

// ---------------------------------------------------------------------------------------
// Standards.

const StandardBody = ServiceStandardFields.omit({ version: true, basedOn: true });

export const CreateStandardInput = z
  .strictObject({
    templateId: z.string().min(1).max(64).optional().describe('copy a shipped standard (e.g. cleaning-standard) instead of giving `standard`'),
    standardId: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,63}$/, 'a standard id is 2–64 characters: lower-case letters, digits and dashes')
      .optional()
      .describe("with templateId: the new standard's id (default: the template's)"),
    standard: StandardBody.optional().describe('the whole standard (its version is 1)'),
  })
  .meta({ id: 'CreateStandard' });
export type CreateStandardInput = z.input<typeof CreateStandardInput>;

export const AmendStandardInput = StandardBody.omit({ standardId: true }).meta({ id: 'AmendStandard' });
export type AmendStandardInput = z.input<typeof AmendStandardInput>;

function stamp(standard: ServiceStandard, actor: Actor, at: Date): StoredStandard {
  return { ...standard, tenantId: actor.tenantId, recordedAt: at.toISOString(), recordedBy: actor.userId };
}

/**
 * `POST /v1/standards`: a copy of a shipped template or a whole standard, version 1, checked
 * against the tenant's traffic bans (400 naming each window and ban it overlaps).
 */
export async function createStandard(deps: ScheduleDeps, actor: Actor, input: CreateStandardInput): Promise<StoredStandard> {
  authorize(actor, 'schedule:write');
  const fields = parseInput(CreateStandardInput, input, '');
  if ((fields.templateId === undefined) === (fields.standard === undefined)) {
    throw new ValidationError('give either a templateId or a standard', [{ path: 'standard', message: 'give either a templateId or a standard, not both and not neither' }]);
  }
  const bans = tenantTrafficBans(actor.tenantId);
  let standard: ServiceStandard;
  if (fields.templateId !== undefined) {
    const template = standardTemplateById(fields.templateId);
    if (template === undefined) throw new ValidationError('no such template', [{ path: 'templateId', message: `'${fields.templateId}' is not a shipped standard template` }]);
    standard = standardFromTemplate(template, fields.standardId ?? template.standardId, 1);
    const issues = validateStandard(standard, { trafficBans: bans });
    if (issues.length > 0) throw new ValidationError(`the template does not fit this tenant's traffic bans`, issues.map((issue) => ({ ...issue, path: `standard.${issue.path}` })));
  } else {
    if (fields.standardId !== undefined) {
      throw new ValidationError('standardId goes inside standard', [{ path: 'standardId', message: 'with a whole standard, give its id as standard.standardId' }]);
    }
    standard = parseStandard({ ...input.standard, version: 1 }, { trafficBans: bans }, 'standard');
  }
  const stored = stamp(standard, actor, deps.clock.now());
  await deps.schedule.saveStandard({ standard: stored, expectedVersion: undefined });
  return stored;
}

export async function listStandards(deps: ScheduleDeps, actor: Actor, page: PageRequest): Promise<Page<StoredStandard>> {
  authorize(actor, 'schedule:read');
  return deps.schedule.listStandards(actor.tenantId, page);
}

/** A stored standard, or a shipped template of that id (version 1) when the tenant has none. */
export type StandardView = (StoredStandard & { readonly source: 'tenant' }) | (ServiceStandard & { readonly source: 'template' });

/**
 * `GET /v1/standards/{id}?version=`: the tenant's latest (or given) version; a shipped
 * template when the tenant stored none of that id, so contracts that reference a template
 * (`cleaning-standard` v1) can be read the way the schedule reads them.
 */
export async function getStandard(deps: ScheduleDeps, actor: Actor, standardId: string, version?: number): Promise<StandardView> {
  authorize(actor, 'schedule:read');
  const stored = await deps.schedule.getStandard(actor.tenantId, standardId, version);
  if (stored !== undefined) return { ...stored, source: 'tenant' };
  const template = standardTemplateById(standardId);
  if (template !== undefined && (version === undefined || version === template.version)) return { ...template, source: 'template' };
  throw new NotFoundError('standard', version === undefined ? standardId : `${standardId} v${version}`);
}

/** `POST /v1/standards/{id}/versions` (If-Match): the amended standard as a new version. */
export async function amendStandard(
  deps: ScheduleDeps,
  actor: Actor,
  standardId: string,
  expectedVersion: number,
  input: AmendStandardInput,
): Promise<StoredStandard> {
  authorize(actor, 'schedule:write');
  const current = await deps.schedule.getStandard(actor.tenantId, standardId);
  if (current === undefined) throw new NotFoundError('standard', standardId);
  if (current.version !== expectedVersion) throw new StaleVersionError('standard', standardId, expectedVersion, current.version);
  const fields = parseInput(AmendStandardInput, input, '');
  if (fields.serviceType !== current.serviceType) {
    throw new ValidationError('a standard keeps its service type', [{ path: 'serviceType', message: `standard ${standardId} is for ${current.serviceType}, not ${fields.serviceType}` }]);
  }
  const next = parseStandard(
    { ...input, standardId, version: current.version + 1, ...(current.basedOn === undefined ? {} : { basedOn: current.basedOn }) },
    { trafficBans: tenantTrafficBans(actor.tenantId) },
    '',
  );
  const stored = stamp(next, actor, deps.clock.now());
  await deps.schedule.saveStandard({ standard: stored, expectedVersion });
  return stored;
}

/**
 * The standard a contract's terms name: the tenant's stored version first, then a shipped
 * template of that id and version. A reference that is neither is a broken contract (422).
 */
/**
 * The standard a contract's terms name: the tenant's stored version first, else the shipped
 * template of that id and version; undefined when neither has it. Shared by the task lists
 * and the missed-task sweep so both derive the same tasks.
 */
export async function findStandard(store: Pick<ScheduleStore, 'getStandard'>, tenantId: string, ref: StandardRef): Promise<ServiceStandard | undefined> {
  const stored = await store.getStandard(tenantId, ref.standardId, ref.version);
  if (stored !== undefined) return stored;
  const template = standardTemplateById(ref.standardId);
  return template !== undefined && template.version === ref.version ? template : undefined;
}

async function resolveStandardRef(deps: ScheduleDeps, tenantId: string, ref: StandardRef): Promise<ServiceStandard> {
  const found = await findStandard(deps.schedule, tenantId, ref);
  if (found !== undefined) return found;
  throw new RuleViolationError(`the contract names standard ${ref.standardId} v${ref.version}, which neither the tenant nor the shipped templates have`);
}

// ---------------------------------------------------------------------------------------
// Exceptions.

function withoutAudit<S extends z.ZodObject>(schema: S): z.ZodObject {
  const { exceptionId: _id, author: _author, ...rest } = schema.shape;
  return z.strictObject(rest);
}

export const CreateExceptionInput = z
  .discriminatedUnion('kind', [
    withoutAudit(SegmentSuspension) as z.ZodObject<{ kind: z.ZodLiteral<'segment_suspension'> }>,
    withoutAudit(WeatherSuspension) as z.ZodObject<{ kind: z.ZodLiteral<'weather_suspension'> }>,
    withoutAudit(EventWindows) as z.ZodObject<{ kind: z.ZodLiteral<'event_windows'> }>,
  ])
  .meta({ id: 'CreateScheduleException', description: 'the exception without id and author: the id is issued, the author is the caller' });
export type CreateExceptionInput = Record<string, unknown> & { readonly kind: ScheduleException['kind'] };

const ScheduleExceptionSchema = z.discriminatedUnion('kind', [SegmentSuspension, WeatherSuspension, EventWindows]);

/**
 * `POST /v1/schedule-exceptions`: a segment suspension, a weather suspension or event windows,
 * stored with who declared it and when (the author is the caller, never the body). Event
 * windows of a vehicle activity are checked against the traffic bans like a standard's.
 */
export async function createException(deps: ScheduleDeps, actor: Actor, input: CreateExceptionInput): Promise<StoredException> {
  authorize(actor, 'schedule:except');
  const exceptionId = prefixedUlid('exc', deps.ids.next());
  const exception = parseInput(ScheduleExceptionSchema, { ...input, exceptionId, author: actor.userId }, '');
  if (exception.kind === 'event_windows') {
    const issues = eventBanIssues(exception, standardTemplateFor(exception.serviceType), tenantTrafficBans(actor.tenantId));
    if (issues.length > 0) throw new ValidationError(`${issues.length} event window(s) overlap the traffic bans`, issues);
  }
  const at = deps.clock.now().toISOString();
  const stored = { ...exception, tenantId: actor.tenantId, status: 'active', version: 1, createdAt: at, createdBy: actor.userId } as StoredException;
  await deps.schedule.saveException(stored, undefined);
  return stored;
}

export const ExceptionQuery = z.object({
  from: CalendarDate.optional(),
  to: CalendarDate.optional().describe('inclusive'),
  segmentId: z.string().min(1).max(64).optional(),
  status: z.enum(['active', 'withdrawn', 'all']).default('all'),
});
export type ExceptionQuery = z.input<typeof ExceptionQuery>;

function exceptionDates(exception: ScheduleException): { from: string; to: string } {
  switch (exception.kind) {
    case 'segment_suspension':
      return { from: exception.from, to: exception.to };
    case 'weather_suspension':
      return { from: exception.date, to: exception.date };
    case 'event_windows': {
      const sorted = [...exception.dates].sort();
      return { from: sorted[0]!, to: sorted[sorted.length - 1]! };
    }
  }
}

function touchesSegment(exception: ScheduleException, segmentId: string): boolean {
  return exception.segmentIds === undefined || exception.segmentIds.includes(segmentId);
}

/** `GET /v1/schedule-exceptions?from=&to=&segmentId=`: those touching the dates (inclusive) and segment. */
export async function listExceptions(deps: ScheduleDeps, actor: Actor, query: ExceptionQuery): Promise<{ items: StoredException[] }> {
  authorize(actor, 'schedule:read');
  const filter = parseInput(ExceptionQuery, query, 'query');
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to) {
    throw new ValidationError('the range ends before it starts', [{ path: 'query.to', message: `${filter.to} is before ${filter.from}`, zh: `${filter.to} 早于 ${filter.from}` }], {
      zh: '日期范围的结束早于开始',
    });
  }
  const all = await deps.schedule.listExceptions(actor.tenantId);
  const items = all.filter((exception) => {
    const dates = exceptionDates(exception);
    if (filter.from !== undefined && dates.to < filter.from) return false;
    if (filter.to !== undefined && dates.from > filter.to) return false;
    if (filter.segmentId !== undefined && !touchesSegment(exception, filter.segmentId)) return false;
    return filter.status === 'all' || exception.status === filter.status;
  });
  return { items: items.sort((a, b) => (a.exceptionId < b.exceptionId ? -1 : a.exceptionId > b.exceptionId ? 1 : 0)) };
}

export const WithdrawExceptionInput = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).meta({ id: 'WithdrawScheduleException' });
export type WithdrawExceptionInput = z.input<typeof WithdrawExceptionInput>;

/** `POST /v1/schedule-exceptions/{id}/withdraw` (If-Match): kept, marked withdrawn with who and when. */
export async function withdrawException(
  deps: ScheduleDeps,
  actor: Actor,
  exceptionId: string,
  expectedVersion: number,
  input: WithdrawExceptionInput = {},
): Promise<StoredException> {
  authorize(actor, 'schedule:except');
  const { reason } = parseInput(WithdrawExceptionInput, input, '');
  const current = await deps.schedule.getException(actor.tenantId, exceptionId);
  if (current === undefined) throw new NotFoundError('schedule exception', exceptionId);
  if (current.version !== expectedVersion) throw new StaleVersionError('schedule exception', exceptionId, expectedVersion, current.version);
  if (current.status === 'withdrawn') throw new ConflictError(`schedule exception '${exceptionId}' was already withdrawn on ${current.withdrawnAt ?? 'an earlier day'}`);
  const next: StoredException = {
    ...current,
    status: 'withdrawn',
    version: current.version + 1,
    withdrawnAt: deps.clock.now().toISOString(),
    withdrawnBy: actor.userId,
    ...(reason === undefined ? {} : { withdrawReason: reason }),
  };
  await deps.schedule.saveException(next, expectedVersion);
  return next;
}

// ---------------------------------------------------------------------------------------
// Calendar.

export const YearParam = z.coerce.number().int().min(2000).max(2100);

/** A calendar year as served: the tenant's own, else the seeded one (2026: the State Council's). */
export type CalendarView = TenantCalendarFields & { readonly year: number; readonly source: 'tenant' | 'seeded'; readonly version?: number };

function seededCalendar(year: number): TenantCalendar | undefined {
  return year === 2026 ? china2026Calendar : undefined;
}

/** `GET /v1/calendar?year=`: the tenant's calendar of the year, or the seeded one. */
export async function getCalendar(deps: ScheduleDeps, actor: Actor, year: number): Promise<CalendarView> {
  authorize(actor, 'schedule:read');
  const stored = await deps.schedule.getCalendar(actor.tenantId, year);
  if (stored !== undefined) return { ...stored, source: 'tenant' };
  const seeded = seededCalendar(year);
  if (seeded === undefined) throw new NotFoundError('calendar', String(year));
  return { ...seeded, year, source: 'seeded' };
}

/**
 * `PUT /v1/calendar/{year}`: the tenant's calendar of a year; If-Match required once one is
 * stored (a first write replaces the seeded calendar without one). Every date lies in the year.
 */
export async function putCalendar(
  deps: ScheduleDeps,
  actor: Actor,
  year: number,
  expectedVersion: number | undefined,
  input: z.input<typeof TenantCalendar>,
): Promise<StoredCalendar> {
  authorize(actor, 'schedule:write');
  const calendar = parseInput(TenantCalendar, input, '');
  const outside = [
    ...calendar.holidays.flatMap((period, i) => [
      ...(period.from.startsWith(`${year}-`) ? [] : [{ path: `holidays.${i}.from`, message: `${period.from} is not in ${year}` }]),
      ...(period.to.startsWith(`${year}-`) ? [] : [{ path: `holidays.${i}.to`, message: `${period.to} is not in ${year}` }]),
    ]),
    ...calendar.makeUpWorkdays.flatMap((day, i) => (day.date.startsWith(`${year}-`) ? [] : [{ path: `makeUpWorkdays.${i}.date`, message: `${day.date} is not in ${year}` }])),
  ];
  if (outside.length > 0) throw new ValidationError(`the calendar of ${year} names other years`, outside);
  const current = await deps.schedule.getCalendar(actor.tenantId, year);
  if (current !== undefined) {
    if (expectedVersion === undefined) throw new ValidationError('If-Match required', [{ path: 'headers.if-match', message: `the calendar of ${year} exists (version ${current.version}): send If-Match with it` }]);
    if (current.version !== expectedVersion) throw new StaleVersionError('calendar', String(year), expectedVersion, current.version);
  }
  const stored: StoredCalendar = {
    ...calendar,
    tenantId: actor.tenantId,
    year,
    version: (current?.version ?? 0) + 1,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: actor.userId,
  };
  await deps.schedule.saveCalendar(stored, current?.version);
  return stored;
}

/** The calendar the derivation uses for dates in [from, to]: each year's, merged. */
async function calendarFor(deps: ScheduleDeps, tenantId: string, from: string, to: string): Promise<TenantCalendar> {
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y += 1) years.push(y);
  return calendarOfYears(deps.schedule, tenantId, years);
}

/** The tenant's calendars of these years merged into one: each year's own, else the seeded one. */
export async function calendarOfYears(store: Pick<ScheduleStore, 'getCalendar'>, tenantId: string, years: readonly number[]): Promise<TenantCalendar> {
  const calendars = await Promise.all(years.map(async (y) => (await store.getCalendar(tenantId, y)) ?? seededCalendar(y) ?? emptyCalendar));
  return {
    name: calendars.map((c) => c.name).join(' + '),
    holidays: calendars.flatMap((c) => c.holidays),
    makeUpWorkdays: calendars.flatMap((c) => c.makeUpWorkdays),
    sources: [],
  };
}

// ---------------------------------------------------------------------------------------
// Tasks (read side).

export const taskStatuses = ['pending', 'done', 'rejected', 'missed'] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export type TaskView = Task & { readonly status: TaskStatus };

/**
 * Everything one contract's derivation needs over [from, to) (half-open): the standards its
 * terms name there (a contract whose terms name none follows the shipped standard of its
 * service type), its segments' grades and flags, the calendar and the active exceptions.
 */
async function derivationInput(deps: TaskDeps, tenantId: string, contract: Contract, from: string, to: string, segmentIds?: readonly string[]) {
  const last = addDays(to, -1);
  const periods = termsPeriods(contract).filter((period) => period.from <= last && period.to >= from);
  const refs = new Map<string, StandardRef>();
  for (const period of periods) if (period.terms.standardRef !== undefined) refs.set(`${period.terms.standardRef.standardId}@${period.terms.standardRef.version}`, period.terms.standardRef);
  const standards = await Promise.all([...refs.values()].map((ref) => resolveStandardRef(deps, tenantId, ref)));
  if (periods.some((period) => period.terms.standardRef === undefined)) {
    if (standards.length > 0) throw new RuleViolationError(`contract '${contract.contractId}' names a standard in some terms versions and none in others`);
    standards.push(standardTemplateFor(contract.serviceType));
  }
  const wanted = new Set<string>();
  for (const period of periods) for (const id of period.terms.scope) if (segmentIds === undefined || segmentIds.includes(id)) wanted.add(id);
  const found = wanted.size === 0 ? new Map() : await deps.getSegments(tenantId, [...wanted]);
  const segments = new Map<string, SegmentInfo>();
  for (const [id, segment] of found) segments.set(id, { grade: segment.grade, flags: segment.flags });
  const calendarFrom = maxDate(from, contract.startDate);
  const calendar = await calendarFor(deps, tenantId, minDate(calendarFrom, last), last);
  const exceptions = (await deps.schedule.listExceptions(tenantId)).filter((exception) => exception.status === 'active');
  // A scope segment the store no longer has cannot be placed in a class: it gets no tasks.
  const only = segmentIds !== undefined || segments.size < wanted.size ? [...segments.keys()] : undefined;
  return {
    contract,
    standards: standards.length === 0 ? standardTemplateFor(contract.serviceType) : standards,
    segments,
    calendar,
    exceptions,
    zone: tenantZone(tenantId),
    ...(only === undefined ? {} : { segmentIds: only }),
  };
}

/** Statuses joined from the stored outcomes; `day` reads one contract-day with one query. */
async function withStatuses(deps: TaskDeps, tenantId: string, tasks: readonly Task[], day?: { contractId: string; date: string }): Promise<TaskView[]> {
  if (deps.outcomes === undefined || tasks.length === 0) return tasks.map((task) => ({ ...task, status: 'pending' }));
  const outcomes: ReadonlyMap<string, { readonly status: TaskOutcomeStatus }> =
    day === undefined
      ? await deps.outcomes.getMany(tenantId, tasks)
      : new Map((await deps.outcomes.listByContractDay(tenantId, day.contractId, day.date)).map((outcome) => [outcome.taskId, outcome]));
  return tasks.map((task) => ({ ...task, status: outcomes.get(task.taskId)?.status ?? 'pending' }));
}

async function ownedContract(deps: TaskDeps, actor: Actor, contractId: string): Promise<Contract> {
  const contract = await deps.getContract(actor.tenantId, contractId);
  if (contract === undefined) throw new NotFoundError('contract', contractId);
  authorize(actor, 'task:read', { tenantId: contract.tenantId, contractorId: contract.contractorId });
  return contract;
}

export const ContractTasksQuery = z.object({
  date: CalendarDate.optional().describe("tenant-local date; today when absent"),
  segmentId: z.string().min(1).max(64).optional(),
  activity: z.string().min(1).max(40).optional(),
  status: z.enum(taskStatuses).optional(),
  // Internal callers page by up to 500 (the proof report reads a whole day); the HTTP route
  // caps a client's page at 200 like every list (functions/http/tasks/routes.ts).
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().min(1).max(512).optional().describe('opaque cursor from the previous page'),
});
export type ContractTasksQuery = z.input<typeof ContractTasksQuery>;

/**
 * A cursor is the offset into the day's (filtered) derivation order, bound to the contract,
 * the date and the filters it was issued for: the derivation is deterministic, so an offset
 * is a position; bound, so a cursor from another list is refused rather than misread.
 */
function encodeTaskCursor(binding: string, offset: number): string {
  return Buffer.from(JSON.stringify({ b: binding, o: offset }), 'utf8').toString('base64url');
}

function decodeTaskCursor(cursor: string, binding: string): number {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { b?: unknown; o?: unknown };
    if (value.b === binding && typeof value.o === 'number' && Number.isInteger(value.o) && value.o >= 0) return value.o;
  } catch {
    // Falls through to the 400 below: a cursor that is not ours.
  }
  throw new ValidationError(
    'the cursor does not belong to this list',
    [{ path: 'query.cursor', message: 'not a cursor of this contract, date and filters: start again without one', zh: '不是此合同、日期和筛选条件的游标：请不带游标重新开始' }],
    { zh: '游标不属于此列表' },
  );
}

/**
 * `GET /v1/contracts/{id}/tasks?date=`: the day's tasks with their status, filtered by
 * segment, activity and status, paginated. A contractor user reads only its own contracts.
 */
export async function listContractTasks(deps: TaskDeps, actor: Actor, contractId: string, query: ContractTasksQuery): Promise<Page<TaskView> & { date: string }> {
  authorize(actor, 'task:read');
  const filter = parseInput(ContractTasksQuery, query, 'query');
  const contract = await ownedContract(deps, actor, contractId);
  const date = filter.date ?? todayOf(deps, actor.tenantId);
  const binding = [contractId, date, filter.segmentId ?? '', filter.activity ?? '', filter.status ?? ''].join('|');
  const offset = filter.cursor === undefined ? 0 : decodeTaskCursor(filter.cursor, binding);
  const input = await derivationInput(deps, actor.tenantId, contract, date, addDays(date, 1), filter.segmentId === undefined ? undefined : [filter.segmentId]);
  const matching: Task[] = [];
  for (const task of deriveTasks({ ...input, range: { from: date, to: addDays(date, 1) } })) {
    if (filter.activity !== undefined && task.activity !== filter.activity) continue;
    matching.push(task);
  }
  let views: TaskView[];
  if (filter.status === undefined) {
    views = await withStatuses(deps, actor.tenantId, matching.slice(offset, offset + filter.limit + 1), { contractId, date });
    const page = views.slice(0, filter.limit);
    const more = views.length > filter.limit;
    return { date, items: page, ...(more ? { nextCursor: encodeTaskCursor(binding, offset + filter.limit) } : {}) };
  }
  views = (await withStatuses(deps, actor.tenantId, matching, { contractId, date })).filter((task) => task.status === filter.status);
  const page = views.slice(offset, offset + filter.limit);
  const more = views.length > offset + filter.limit;
  return { date, items: page, ...(more ? { nextCursor: encodeTaskCursor(binding, offset + filter.limit) } : {}) };
}

/**
 * `GET /v1/tasks/{taskId}`: decodes the id without a read, loads its contract and segment,
 * and re-derives to confirm the schedule contains it. A malformed, made-up or tampered id is
 * 404, as is one whose contract or segment does not exist (the caller cannot tell which).
 */
export async function getTask(deps: TaskDeps, actor: Actor, taskId: string): Promise<TaskView> {
  authorize(actor, 'task:read');
  const parts = decodeTaskId(taskId);
  if (parts === undefined) throw new NotFoundError('task', taskId);
  const contract = await deps.getContract(actor.tenantId, parts.contractId);
  if (contract === undefined) throw new NotFoundError('task', taskId);
  authorize(actor, 'task:read', { tenantId: contract.tenantId, contractorId: contract.contractorId });
  const day = localDate(new Date(parts.windowStartMs), tenantZone(actor.tenantId));
  const from = addDays(day, -1);
  const to = addDays(day, 1);
  const input = await derivationInput(deps, actor.tenantId, contract, from, to, [parts.segmentId]);
  if (!input.segments.has(parts.segmentId)) throw new NotFoundError('task', taskId);
  const task = resolveTask(input, taskId);
  if (task === undefined) throw new NotFoundError('task', taskId);
  const [view] = await withStatuses(deps, actor.tenantId, [task]);
  return view!;
}

export const maxSegmentTaskDays = 31;

export const SegmentTasksQuery = z.object({
  from: CalendarDate.describe('first date, inclusive'),
  to: CalendarDate.describe(`last date, inclusive; at most ${maxSegmentTaskDays} days after from, counting both`),
});
export type SegmentTasksQuery = z.input<typeof SegmentTasksQuery>;

/**
 * `GET /v1/segments/{id}/tasks?from=&to=` (inclusive dates, at most 31 days): the tasks of
 * every active contract whose scope ever held the segment. A contractor user sees its own
 * contracts' tasks only.
 */
export async function listSegmentTasks(deps: TaskDeps, actor: Actor, segmentId: string, query: SegmentTasksQuery): Promise<{ items: TaskView[] }> {
  authorize(actor, 'task:read');
  const range = parseInput(SegmentTasksQuery, query, 'query');
  if (range.to < range.from) {
    throw new ValidationError('the range ends before it starts', [{ path: 'query.to', message: `${range.to} is before ${range.from}`, zh: `${range.to} 早于 ${range.from}` }], {
      zh: '日期范围的结束早于开始',
    });
  }
  if (range.to >= addDays(range.from, maxSegmentTaskDays)) {
    throw new ValidationError(
      `a range is at most ${maxSegmentTaskDays} days`,
      [
        {
          path: 'query.to',
          message: `${range.from} – ${range.to} is more than ${maxSegmentTaskDays} days: ask for at most ${maxSegmentTaskDays} days at a time`,
          zh: `${range.from} – ${range.to} 超过 ${maxSegmentTaskDays} 天：每次最多查询 ${maxSegmentTaskDays} 天`,
        },
      ],
      { zh: `日期范围最多 ${maxSegmentTaskDays} 天` },
    );
  }
  const contracts = (await deps.activeContracts(actor.tenantId)).filter(
    (contract) => contract.versions.some((terms) => terms.scope.includes(segmentId)) && seesContractor(actor, contract.contractorId),
  );
  const tasks: Task[] = [];
  const end = addDays(range.to, 1);
  for (const contract of contracts) {
    const input = await derivationInput(deps, actor.tenantId, contract, range.from, end, [segmentId]);
    if (!input.segments.has(segmentId)) continue;
    for (const task of deriveTasks({ ...input, range: { from: range.from, to: end } })) tasks.push(task);
  }
  tasks.sort((a, b) => (a.windowStart < b.windowStart ? -1 : a.windowStart > b.windowStart ? 1 : a.taskId < b.taskId ? -1 : 1));
  return { items: await withStatuses(deps, actor.tenantId, tasks) };
}
