import { describe, expect, it } from 'vitest';
import type { Contract } from '../../../../domain/contracts/schema';
import { StaleVersionError } from '../../../../domain/errors';
import type { Page } from '../../../../domain/ports';
import type { SweepCheckpoint, SweepCheckpointStore, SweepCursor, TaskOutcome, TaskRef } from '../../../../domain/schedule/outcomes';
import { forEachTask, type Task } from '../../../../domain/schedule/derive';
import { china2026Calendar } from '../../../../domain/schedule/calendar';
import { closingMs, planSweep, sweepMissedTasks, type SweepContract, type SweepDeps } from '../../../../domain/schedule/sweep';
import type { Segment } from '../../../../domain/segments/schema';
import { input, oneActivityStandard, scheduledContract, segments } from './fixtures';

// Two windows a day, 30 min grace, every fixture segment (6): 12 tasks a day.
const standard = oneActivityStandard({
  seasons: [{ name: 'all', from: '01-01', to: '12-31', days: { kind: 'every_day' }, windows: [{ start: '05:00', end: '07:00' }, { start: '13:00', end: '14:00' }] }],
});
const contract = scheduledContract({ startDate: '2026-07-01', endDate: '2026-12-31', versions: [{ effectiveFrom: '2026-07-01', scope: [...segments.keys()] }] });
const { range: _range, ...base } = input({ contract, standards: standard, range: { from: '2026-07-01', to: '2026-07-02' } });
const sweepContract: SweepContract = base;

/** Shanghai wall time → Date. */
const at = (local: string): Date => new Date(`${local}+08:00`);

function allTasks(from: string, to: string): Task[] {
  const tasks: Task[] = [];
  forEachTask({ ...sweepContract, range: { from, to } }, (task) => tasks.push(task));
  return tasks;
}

/** Runs planSweep until caught up (or `limit` runs), as hourly invocations at the same `now` would. */
function drain(now: Date, budget: { maxTasks: number; maxDays: number }, limit = 100): { ids: string[]; runs: number; cursor: SweepCursor | undefined } {
  let cursor: SweepCursor | undefined;
  const ids: string[] = [];
  for (let runs = 1; runs <= limit; runs += 1) {
    const plan = planSweep({ contracts: [sweepContract], cursor, now, budget, safetyMarginMinutes: 5, zone: 'Asia/Shanghai' });
    ids.push(...plan.candidates.map((candidate) => candidate.task.taskId));
    cursor = plan.next;
    if (plan.caughtUp) return { ids, runs, cursor };
  }
  throw new Error(`not caught up after ${limit} runs`);
}

describe('planSweep', () => {
  it('does not offer a task whose window plus grace has not closed (nor within the safety margin)', () => {
    // Morning window ends 07:00, grace 30 min, margin 5 min: closed for the sweep at 07:35.
    const early = planSweep({ contracts: [sweepContract], cursor: undefined, now: at('2026-07-01T07:34:00'), safetyMarginMinutes: 5 });
    const late = planSweep({ contracts: [sweepContract], cursor: undefined, now: at('2026-07-01T07:35:00'), safetyMarginMinutes: 5 });

    expect(early.candidates).toHaveLength(0);
    expect(late.candidates).toHaveLength(6);
    expect(late.candidates.every((candidate) => candidate.task.windowStart === '2026-07-01T05:00:00+08:00')).toBe(true);
  });

  it('starts a tenant without checkpoint at its earliest contract start and offers nothing twice', () => {
    const now = at('2026-07-02T12:00:00');
    const first = planSweep({ contracts: [sweepContract], cursor: undefined, now });
    const again = planSweep({ contracts: [sweepContract], cursor: first.next, now });

    // 07-01 both windows and 07-02 morning: 3 windows x 6 segments.
    expect(first.candidates).toHaveLength(18);
    expect(first.caughtUp).toBe(true);
    expect(again.candidates).toHaveLength(0);
    expect(again.next).toEqual(first.next);
  });

  it('orders candidates by closing instant, then task id', () => {
    const plan = planSweep({ contracts: [sweepContract], cursor: undefined, now: at('2026-07-03T00:00:00') });
    const keys = plan.candidates.map((candidate) => [candidate.closesAtMs, candidate.task.taskId] as const);

    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)));
    expect(plan.candidates.every((candidate) => candidate.closesAtMs === closingMs(candidate.task))).toBe(true);
  });

  it('stops at the task budget inside one closing instant and leaves a cursor there', () => {
    const plan = planSweep({ contracts: [sweepContract], cursor: undefined, now: at('2026-07-01T23:00:00'), budget: { maxTasks: 4, maxDays: 3 } });

    expect(plan.candidates).toHaveLength(4);
    expect(plan.caughtUp).toBe(false);
    expect(plan.next).toEqual({ through: '2026-06-30T23:30:00.000Z', afterTaskId: plan.candidates[3]!.task.taskId });
  });

  it('catches a backlog of days up over several runs, without skipping or doubling', () => {
    // 10 days of backlog, at most 5 tasks and 1 day per run.
    const now = at('2026-07-11T00:00:00');
    const expected = allTasks('2026-07-01', '2026-07-11').map((task) => task.taskId);

    const { ids, runs } = drain(now, { maxTasks: 5, maxDays: 1 });

    expect(runs).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...expected].sort());
  });

  it('gives the same tasks whatever the budget', () => {
    const now = at('2026-07-04T20:00:00');
    const whole = drain(now, { maxTasks: 1_000_000, maxDays: 30 });
    const sliced = drain(now, { maxTasks: 7, maxDays: 1 });

    expect(whole.runs).toBe(1);
    expect(sliced.ids).toEqual(whole.ids);
    expect(sliced.cursor).toEqual(whole.cursor);
  });

  it('continues from a cursor where a later run left it, with new closings only', () => {
    const morning = planSweep({ contracts: [sweepContract], cursor: undefined, now: at('2026-07-01T08:00:00') });
    const afternoon = planSweep({ contracts: [sweepContract], cursor: morning.next, now: at('2026-07-01T15:00:00') });

    expect(morning.candidates).toHaveLength(6);
    expect(afternoon.candidates).toHaveLength(6);
    expect(afternoon.candidates.every((candidate) => candidate.task.windowStart === '2026-07-01T13:00:00+08:00')).toBe(true);
  });

  it('writes no checkpoint ahead of what has closed (a contract starting later)', () => {
    const plan = planSweep({ contracts: [sweepContract], cursor: undefined, now: at('2026-06-20T12:00:00') });

    expect(plan).toEqual({ candidates: [], next: undefined, caughtUp: true });
  });

  it('starts a first sweep at most initialLookbackDays back', () => {
    const plan = planSweep({ contracts: [sweepContract], cursor: undefined, now: at('2026-08-15T00:00:00'), initialLookbackDays: 2, budget: { maxTasks: 1_000, maxDays: 30 } });

    // 08-13 and 08-14, both windows, 6 segments.
    expect(plan.candidates).toHaveLength(24);
    expect(plan.candidates[0]!.task.localDate).toBe('2026-08-13');
  });

  it('has nothing to start from without checkpoint and contracts', () => {
    expect(planSweep({ contracts: [], cursor: undefined, now: at('2026-07-01T08:00:00') })).toEqual({ candidates: [], next: undefined, caughtUp: true });
  });
});

// ---------------------------------------------------------------------------------------

class MemoryOutcomes {
  readonly items = new Map<string, TaskOutcome>();
  writes = 0;
  /** Throws on the n-th recordMissed call (1-based), once. */
  failOnCall: number | undefined;
  private calls = 0;

  async getMany(_tenantId: string, tasks: readonly TaskRef[]): Promise<ReadonlyMap<string, TaskOutcome>> {
    const found = new Map<string, TaskOutcome>();
    for (const task of tasks) {
      const outcome = this.items.get(task.taskId);
      if (outcome !== undefined) found.set(task.taskId, outcome);
    }
    return found;
  }

  async recordMissed(outcomes: readonly TaskOutcome[]): Promise<{ recorded: number; alreadyKnown: number }> {
    this.calls += 1;
    if (this.calls === this.failOnCall) {
      this.failOnCall = undefined;
      throw new Error('injected failure');
    }
    let recorded = 0;
    for (const outcome of outcomes) {
      if (this.items.has(outcome.taskId)) continue;
      this.items.set(outcome.taskId, outcome);
      this.writes += 1;
      recorded += 1;
    }
    return { recorded, alreadyKnown: outcomes.length - recorded };
  }
}

class MemoryCheckpoints implements SweepCheckpointStore {
  stored: SweepCheckpoint | undefined;
  async get(): Promise<SweepCheckpoint | undefined> {
    return this.stored;
  }
  async save(checkpoint: SweepCheckpoint, expectedVersion: number | undefined): Promise<void> {
    if (this.stored?.version !== expectedVersion) throw new StaleVersionError('sweep checkpoint', checkpoint.tenantId, expectedVersion ?? 0, this.stored?.version);
    this.stored = checkpoint;
  }
}

function depsAt(now: Date, outcomes: MemoryOutcomes, checkpoints: MemoryCheckpoints): SweepDeps {
  const stored = { ...contract, tenantId: 't1', status: 'active' } as unknown as Contract;
  let id = 0;
  return {
    contracts: { list: async (): Promise<Page<Contract>> => ({ items: [stored] }) },
    segments: {
      getMany: async (_tenantId, ids) => new Map(ids.map((segmentId) => [segmentId, { segmentId, ...segments.get(segmentId)! } as unknown as Segment])),
    },
    outcomes,
    checkpoints,
    schedule: {
      standard: async () => standard,
      defaultStandard: async () => standard,
      calendar: async () => china2026Calendar,
      exceptions: async () => [],
    },
    clock: { now: () => now },
    ids: { next: () => `run-${(id += 1)}` },
  };
}

describe('sweepMissedTasks', () => {
  const now = at('2026-07-03T00:00:00');

  it('records every closed task once, however often it runs', async () => {
    const outcomes = new MemoryOutcomes();
    const checkpoints = new MemoryCheckpoints();

    const first = await sweepMissedTasks(depsAt(now, outcomes, checkpoints), 't1', { zone: 'Asia/Shanghai' });
    const second = await sweepMissedTasks(depsAt(now, outcomes, checkpoints), 't1', { zone: 'Asia/Shanghai' });

    expect(first.recorded).toBe(24);
    expect(first.caughtUp).toBe(true);
    expect(second.recorded).toBe(0);
    expect(outcomes.writes).toBe(24);
  });

  it('does not mark a task with an outcome (a done proof) missed', async () => {
    const outcomes = new MemoryOutcomes();
    const done = allTasks('2026-07-01', '2026-07-02')[0]!;
    outcomes.items.set(done.taskId, { ...done, tenantId: 't1', status: 'done', at: now.toISOString(), source: { kind: 'proof', proofId: 'prf_1' } } as TaskOutcome);

    const report = await sweepMissedTasks(depsAt(now, outcomes, new MemoryCheckpoints()), 't1', { zone: 'Asia/Shanghai' });

    expect(report.recorded).toBe(23);
    expect(report.alreadyKnown).toBe(1);
    expect(outcomes.items.get(done.taskId)?.status).toBe('done');
  });

  it('keeps the checkpoint on a failure part way and completes on the next run without doubles', async () => {
    const outcomes = new MemoryOutcomes();
    const checkpoints = new MemoryCheckpoints();
    outcomes.failOnCall = 2;

    await expect(sweepMissedTasks(depsAt(now, outcomes, checkpoints), 't1', { zone: 'Asia/Shanghai', chunkSize: 5 })).rejects.toThrow('injected failure');
    expect(checkpoints.stored).toBeUndefined();
    expect(outcomes.writes).toBe(5);

    const resumed = await sweepMissedTasks(depsAt(now, outcomes, checkpoints), 't1', { zone: 'Asia/Shanghai', chunkSize: 5 });

    expect(resumed.recorded).toBe(19);
    expect(resumed.alreadyKnown).toBe(5);
    expect(outcomes.writes).toBe(24);
    expect(checkpoints.stored?.cursor.through).toBe('2026-07-02T15:55:00.000Z');
  });

  it('does bounded work per call and catches up over the next calls', async () => {
    const outcomes = new MemoryOutcomes();
    const checkpoints = new MemoryCheckpoints();
    const options = { zone: 'Asia/Shanghai', budget: { maxTasks: 5, maxDays: 1 }, maxSlices: 2 };

    const first = await sweepMissedTasks(depsAt(now, outcomes, checkpoints), 't1', options);
    expect(first.recorded).toBe(10);
    expect(first.caughtUp).toBe(false);

    let report = first;
    for (let call = 0; call < 10 && !report.caughtUp; call += 1) report = await sweepMissedTasks(depsAt(now, outcomes, checkpoints), 't1', options);

    expect(report.caughtUp).toBe(true);
    expect(outcomes.writes).toBe(24);
  });
});
