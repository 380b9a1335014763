import { DateTime } from 'luxon';
import type { ContractStore } from '../contracts/ports';
import type { Contract, ContractStatus, StandardRef } from '../contracts/schema';
import { addDays, defaultZone, minDate } from '../dates';
import { StaleVersionError } from '../errors';
import type { Clock, IdGenerator, SegmentStore } from '../ports';
import type { TenantCalendar } from './calendar';
import { forEachTask, type DeriveInput, type SegmentInfo, type Task } from './derive';
import type { ScheduleException } from './exceptions';
import type { SweepCheckpointStore, SweepCursor, TaskOutcome, TaskOutcomeStore } from './outcomes';
import type { ServiceStandard } from './standard';

/**
 * Planning of the missed-task sweep (DESIGN §3 Missed tasks; issue 4 "The missed-task
 * sweep"). Pure: the handler reads the contracts, the checkpoint and the outcomes, and
 * writes what this module decides.
 *
 * The model: each task closes at its window end plus grace. Order all of a tenant's tasks by
 * (close instant, task id); the checkpoint is a cursor in that order, and every task at or
 * before it has been handled (a miss recorded, or found to have an outcome already). A run
 * takes the tasks after the cursor that closed by the horizon (now minus a safety margin, so
 * a proof submitted in the last seconds of the grace, or a clock a little behind, still
 * lands first), at most `maxDays` of closings and `maxTasks` tasks, and proposes the cursor
 * after the last task it took. The handler moves the checkpoint there only after every
 * candidate was handled, so:
 * - idempotent: a repeated run finds the cursor moved, or (after a crash before the move)
 *   the same candidates, whose misses the store refuses to write twice;
 * - resumable: a failure part way leaves the old cursor; the next run redoes the same
 *   slice, skipping what was already written;
 * - bounded: a backlog (the stack was down a week) is caught up slice by slice, each one
 *   starting exactly where the last stopped, so nothing is skipped. The task id breaks ties
 *   inside one closing instant, so a budget smaller than the tasks that close at the same
 *   minute (a whole district's 07:00 sweep) still makes progress.
 */

/** How much one run may do per tenant. */
export interface SweepBudget {
  /** Most tasks one run considers (candidates before the outcome check). */
  readonly maxTasks: number;
  /** Most days of closings one run covers. */
  readonly maxDays: number;
}

export const defaultSweepBudget: SweepBudget = { maxTasks: 20_000, maxDays: 3 };

/**
 * Minutes after a task's close before the sweep may call it missed: a proof accepted at the
 * last minute of the grace needs a moment to be stored, and clocks differ a little.
 */
export const defaultSafetyMarginMinutes = 5;

/**
 * A tenant's first sweep starts at most this many days back: the month being assessed
 * (statements close on the 1st, DESIGN §2) and a few days' margin.
 */
export const defaultInitialLookbackDays = 35;

/** A contract prepared for derivation: everything deriveTasks needs but the range. */
export type SweepContract = Omit<DeriveInput, 'range'>;

export interface SweepPlanInput {
  readonly contracts: readonly SweepContract[];
  /** Where the last run stopped; undefined before the tenant's first run. */
  readonly cursor: SweepCursor | undefined;
  readonly now: Date;
  readonly budget?: SweepBudget;
  readonly safetyMarginMinutes?: number;
  /** The tenant's IANA zone; Asia/Shanghai when absent. */
  readonly zone?: string;
  /** Before a tenant's first checkpoint: how many days back the sweep may start. */
  readonly initialLookbackDays?: number;
}

/** A task the sweep must decide on, with its closing instant. */
export interface SweepCandidate {
  readonly task: Task;
  readonly closesAtMs: number;
}

export interface SweepPlan {
  /** Closed tasks after the cursor, in (close, task id) order, at most maxTasks. */
  readonly candidates: readonly SweepCandidate[];
  /**
   * The cursor once every candidate is handled; undefined when there is nothing to start
   * from (no checkpoint and no contracts), so no checkpoint is written.
   */
  readonly next: SweepCursor | undefined;
  /** True when `next` reaches the horizon: another run now would find nothing. */
  readonly caughtUp: boolean;
}

/** Contract statuses whose tasks can fall due: derivation stops at an early end by itself. */
export const sweptStatuses: readonly ContractStatus[] = ['active', 'terminated', 'expired'];

/**
 * The next slice of one tenant's sweep. Throws RangeError for input the derivation refuses
 * (a standard not given, a segment without grade): the caller must not move the cursor past
 * tasks it could not derive.
 */
export function planSweep(input: SweepPlanInput): SweepPlan {
  const zone = input.zone ?? defaultZone;
  const budget = input.budget ?? defaultSweepBudget;
  if (!(budget.maxTasks >= 1) || !(budget.maxDays >= 1)) throw new RangeError('a sweep budget allows at least one task and one day');
  const horizonMs = input.now.getTime() - (input.safetyMarginMinutes ?? defaultSafetyMarginMinutes) * 60_000;
  const startMs = input.cursor !== undefined ? Date.parse(input.cursor.through) : firstStartMs(input, zone);
  if (startMs === undefined) return { candidates: [], next: undefined, caughtUp: true };
  if (Number.isNaN(startMs)) throw new RangeError(`the sweep cursor '${input.cursor?.through}' is not an instant`);
  // Nothing has closed yet (or the contracts start later): no checkpoint ahead of the horizon,
  // which would hide the tasks of a contract added later with an earlier start.
  if (startMs >= horizonMs) return { candidates: [], next: input.cursor, caughtUp: true };
  const endMs = Math.min(horizonMs, startMs + budget.maxDays * 86_400_000);
  const after = input.cursor?.afterTaskId;

  // Windows may end the next day and grace adds a little: two days back covers every task
  // that can close after the start.
  const range = { from: addDays(localDateOf(startMs, zone), -2), to: addDays(localDateOf(endMs, zone), 1) };
  const candidates: SweepCandidate[] = [];
  for (const contract of input.contracts) {
    forEachTask({ ...contract, zone, range }, (task) => {
      const closesAtMs = closingMs(task);
      if (closesAtMs > endMs || closesAtMs < startMs) return;
      // At the cursor's instant only tasks after the one the last run stopped at are left.
      if (closesAtMs === startMs && (after === undefined || task.taskId <= after)) return;
      candidates.push({ task, closesAtMs });
    });
  }
  candidates.sort(byClosing);
  if (candidates.length > budget.maxTasks) {
    const taken = candidates.slice(0, budget.maxTasks);
    const last = taken[taken.length - 1]!;
    return { candidates: taken, next: { through: iso(last.closesAtMs), afterTaskId: last.task.taskId }, caughtUp: false };
  }
  return { candidates, next: { through: iso(endMs) }, caughtUp: endMs >= horizonMs };
}

/** Window end plus grace: the instant a task without an accepted proof becomes missed. */
export function closingMs(task: Pick<Task, 'windowEnd' | 'graceMinutes'>): number {
  return Date.parse(task.windowEnd) + task.graceMinutes * 60_000;
}

/** The miss the sweep records for a candidate. */
export function missedOutcome(tenantId: string, task: Task, context: { readonly runId: string; readonly at: Date }): TaskOutcome {
  return {
    tenantId,
    taskId: task.taskId,
    contractId: task.contractId,
    segmentId: task.segmentId,
    activity: task.activity,
    windowStart: task.windowStart,
    windowEnd: task.windowEnd,
    localDate: task.localDate,
    status: 'missed',
    at: context.at.toISOString(),
    source: { kind: 'sweep', runId: context.runId },
  };
}

/**
 * The standards a contract's terms name, through `lookup` (the tenant's standards store, or
 * the shipped templates until it exists); the service type's `fallback` when no version
 * names one. A named standard the lookup does not know is a RangeError: sweeping without it
 * would skip its tasks for good.
 */
export function standardsForContract(
  contract: Pick<Contract, 'contractId' | 'versions'>,
  lookup: (ref: StandardRef) => ServiceStandard | undefined,
  fallback: () => ServiceStandard,
): ServiceStandard[] {
  const refs = new Map<string, StandardRef>();
  for (const terms of contract.versions) {
    if (terms.standardRef !== undefined) refs.set(`${terms.standardRef.standardId}@${terms.standardRef.version}`, terms.standardRef);
  }
  if (refs.size === 0) return [fallback()];
  return [...refs.values()].map((ref) => {
    const standard = lookup(ref);
    if (standard === undefined) throw new RangeError(`contract ${contract.contractId} names standard ${ref.standardId} v${ref.version}, which is not known`);
    return standard;
  });
}

function byClosing(a: SweepCandidate, b: SweepCandidate): number {
  if (a.closesAtMs !== b.closesAtMs) return a.closesAtMs - b.closesAtMs;
  return a.task.taskId < b.task.taskId ? -1 : a.task.taskId > b.task.taskId ? 1 : 0;
}

/**
 * Before a tenant's first run: the local midnight of its earliest contract start, but no
 * more than `initialLookbackDays` back. A district that joins with contracts running for
 * years gets its current month swept, not years of history its approved statements settled.
 */
function firstStartMs(input: SweepPlanInput, zone: string): number | undefined {
  let earliest: string | undefined;
  for (const { contract } of input.contracts) if (earliest === undefined || contract.startDate < earliest) earliest = contract.startDate;
  if (earliest === undefined) return undefined;
  const lookback = addDays(localDateOf(input.now.getTime(), zone), -(input.initialLookbackDays ?? defaultInitialLookbackDays));
  return DateTime.fromISO(earliest > lookback ? earliest : lookback, { zone }).startOf('day').toMillis();
}

function localDateOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// ---------------------------------------------------------------------------------------
// The use case: one tenant's sweep, slice by slice, through the ports.

/** Where the schedule's data comes from for one tenant. */
export interface ScheduleSource {
  /** The standard version a contract's terms name; undefined when unknown. */
  standard(tenantId: string, ref: StandardRef): Promise<ServiceStandard | undefined>;
  /** The standard of a service type for terms that name none. */
  defaultStandard(tenantId: string, serviceType: Contract['serviceType']): Promise<ServiceStandard>;
  /** The tenant's calendar covering these years (merged). */
  calendar(tenantId: string, years: readonly number[]): Promise<TenantCalendar>;
  exceptions(tenantId: string): Promise<readonly ScheduleException[]>;
}

export interface SweepDeps {
  readonly contracts: Pick<ContractStore, 'list'>;
  readonly segments: Pick<SegmentStore, 'getMany'>;
  readonly outcomes: Pick<TaskOutcomeStore, 'getMany' | 'recordMissed'>;
  readonly checkpoints: SweepCheckpointStore;
  readonly schedule: ScheduleSource;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface SweepOptions {
  readonly zone?: string;
  readonly budget?: SweepBudget;
  readonly safetyMarginMinutes?: number;
  /** Most slices per call (each at most budget.maxTasks tasks): the bound on one invocation. */
  readonly maxSlices?: number;
  /** Misses written per recordMissed call; the checkpoint moves only after the last chunk. */
  readonly chunkSize?: number;
}

export interface SweepReport {
  readonly tenantId: string;
  readonly runId: string;
  readonly slices: number;
  /** Closed tasks looked at. */
  readonly considered: number;
  /** Misses written by this run. */
  readonly recorded: number;
  /** Closed tasks that had an outcome already (done, rejected, or a miss from an earlier run). */
  readonly alreadyKnown: number;
  readonly caughtUp: boolean;
  /** The checkpoint after the run; undefined when none was written. */
  readonly cursor: SweepCursor | undefined;
  /** True when another run moved the checkpoint first: this one stopped, nothing lost. */
  readonly overtaken: boolean;
}

/**
 * Records a miss for every task of the tenant whose window plus grace closed without an
 * outcome (DESIGN §3 Missed tasks), up to `maxSlices` slices of planSweep. An accepted proof
 * stores a 'done' outcome and an inspector's rejection a 'rejected' one (the proofs module; a
 * refused proof stores none), and recordMissed never overwrites, so neither becomes
 * missed. Errors propagate with the checkpoint where it was: the next run redoes the slice
 * and skips what was written.
 */
export async function sweepMissedTasks(deps: SweepDeps, tenantId: string, options: SweepOptions = {}): Promise<SweepReport> {
  const runId = deps.ids.next();
  const zone = options.zone ?? defaultZone;
  const maxSlices = options.maxSlices ?? 4;
  const chunkSize = options.chunkSize ?? 500;
  let checkpoint = await deps.checkpoints.get(tenantId);
  const contracts = await sweptContracts(deps, tenantId, checkpoint?.cursor, zone);
  const report = { tenantId, runId, slices: 0, considered: 0, recorded: 0, alreadyKnown: 0, caughtUp: false, cursor: checkpoint?.cursor, overtaken: false };
  while (report.slices < maxSlices) {
    const plan = planSweep({
      contracts,
      cursor: checkpoint?.cursor,
      now: deps.clock.now(),
      zone,
      ...(options.budget === undefined ? {} : { budget: options.budget }),
      ...(options.safetyMarginMinutes === undefined ? {} : { safetyMarginMinutes: options.safetyMarginMinutes }),
    });
    report.slices += 1;
    report.considered += plan.candidates.length;
    for (let start = 0; start < plan.candidates.length; start += chunkSize) {
      const chunk = plan.candidates.slice(start, start + chunkSize).map((candidate) => candidate.task);
      const known = await deps.outcomes.getMany(tenantId, chunk);
      const misses = chunk.filter((task) => !known.has(task.taskId)).map((task) => missedOutcome(tenantId, task, { runId, at: deps.clock.now() }));
      report.alreadyKnown += chunk.length - misses.length;
      if (misses.length === 0) continue;
      const result = await deps.outcomes.recordMissed(misses);
      report.recorded += result.recorded;
      report.alreadyKnown += result.alreadyKnown;
    }
    if (plan.next === undefined || sameCursor(plan.next, checkpoint?.cursor)) {
      report.caughtUp = plan.caughtUp;
      break;
    }
    const next = { tenantId, cursor: plan.next, version: (checkpoint?.version ?? 0) + 1, runId, updatedAt: deps.clock.now().toISOString() };
    try {
      await deps.checkpoints.save(next, checkpoint?.version);
    } catch (error) {
      if (!(error instanceof StaleVersionError)) throw error;
      report.overtaken = true;
      break;
    }
    checkpoint = next;
    report.cursor = next.cursor;
    report.caughtUp = plan.caughtUp;
    if (plan.caughtUp) break;
  }
  return report;
}

async function sweptContracts(deps: SweepDeps, tenantId: string, cursor: SweepCursor | undefined, zone: string): Promise<SweepContract[]> {
  const contracts: Contract[] = [];
  let pageCursor: string | undefined;
  do {
    const page = await deps.contracts.list(tenantId, {}, { limit: 100, ...(pageCursor === undefined ? {} : { cursor: pageCursor }) });
    contracts.push(...page.items.filter((contract) => sweptStatuses.includes(contract.status)));
    pageCursor = page.nextCursor;
  } while (pageCursor !== undefined);
  if (contracts.length === 0) return [];

  const segmentIds = new Set<string>();
  for (const contract of contracts) for (const terms of contract.versions) for (const id of terms.scope) segmentIds.add(id);
  const stored = await deps.segments.getMany(tenantId, [...segmentIds]);
  const segments = new Map<string, SegmentInfo>();
  for (const [id, segment] of stored) segments.set(id, { grade: segment.grade, flags: segment.flags });

  // The calendar years this call can touch: from two days before where it starts, to now.
  const fromYear = Number((cursor === undefined ? contracts.reduce((earliest, c) => minDate(earliest, c.startDate), contracts[0]!.startDate) : addDays(localDateOf(Date.parse(cursor.through), zone), -2)).slice(0, 4));
  const toYear = Number(localDateOf(deps.clock.now().getTime(), zone).slice(0, 4)) + 1;
  const years: number[] = [];
  for (let year = Math.min(fromYear, toYear); year <= toYear; year += 1) years.push(year);
  const [calendar, exceptions] = await Promise.all([deps.schedule.calendar(tenantId, years), deps.schedule.exceptions(tenantId)]);
  // A scope segment the store no longer has gets no tasks, as in the task lists (use-cases.ts).
  const only = segments.size < segmentIds.size ? [...segments.keys()] : undefined;
  const prepared: SweepContract[] = [];
  for (const contract of contracts) {
    const known = new Map<string, ServiceStandard | undefined>();
    for (const terms of contract.versions) {
      const ref = terms.standardRef;
      if (ref !== undefined && !known.has(`${ref.standardId}@${ref.version}`)) known.set(`${ref.standardId}@${ref.version}`, await deps.schedule.standard(tenantId, ref));
    }
    const fallback = known.size === 0 ? await deps.schedule.defaultStandard(tenantId, contract.serviceType) : undefined;
    const standards = standardsForContract(
      contract,
      (ref) => known.get(`${ref.standardId}@${ref.version}`),
      () => fallback!,
    );
    prepared.push({ contract, standards, segments, calendar, exceptions, ...(only === undefined ? {} : { segmentIds: only }) });
  }
  return prepared;
}

function sameCursor(a: SweepCursor, b: SweepCursor | undefined): boolean {
  return b !== undefined && a.through === b.through && a.afterTaskId === b.afterTaskId;
}
