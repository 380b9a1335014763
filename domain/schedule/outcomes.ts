import * as z from 'zod';
import { CalendarDate } from '../dates';

/**
 * What happened to a task (DESIGN §3 Tasks: "what happens to tasks is what gets stored").
 * Tasks themselves are derived, never stored; an outcome is stored once per task id and is
 * the only record a task ever gets. One outcome per task: the first writer wins, so a task
 * with an accepted proof is never later marked missed, and a miss is recorded once however
 * many sweeps see it.
 */

/**
 * 'missed' (the sweep), 'done' (an accepted proof), 'rejected' (an inspector rejected that
 * proof: the task is not done). A REFUSED proof writes no outcome: the task stays pending and
 * the crew may submit again. The proofs module overwrites 'missed' with 'done' when a photo
 * captured inside the window is submitted after the sweep ran (the work was done in time),
 * and 'rejected' with 'done' when a new proof is accepted after a rejection; the sweep itself
 * only ever writes where no outcome exists.
 */
export const taskOutcomeStatuses = ['missed', 'done', 'rejected'] as const;
export type TaskOutcomeStatus = (typeof taskOutcomeStatuses)[number];

/** Who wrote the outcome: the missed-task sweep (one run) or a proof decision. */
export const OutcomeSource = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('sweep'), runId: z.string().min(1) }),
    z.object({ kind: z.literal('proof'), proofId: z.string().min(1) }),
  ])
  .meta({ id: 'TaskOutcomeSource' });
export type OutcomeSource = z.infer<typeof OutcomeSource>;

export const TaskOutcome = z
  .object({
    tenantId: z.string(),
    taskId: z.string(),
    contractId: z.string(),
    segmentId: z.string(),
    activity: z.string(),
    /** ISO 8601 instant with the tenant's offset, as the derived task has it. */
    windowStart: z.string(),
    windowEnd: z.string(),
    /** The tenant-local date the window starts on: the contract-day the outcome is listed under. */
    localDate: CalendarDate,
    status: z.enum(taskOutcomeStatuses),
    /** Instant the outcome was recorded (ISO 8601, UTC). */
    at: z.string(),
    source: OutcomeSource,
  })
  .meta({ id: 'TaskOutcome' });
export type TaskOutcome = z.infer<typeof TaskOutcome>;

/** What a recordMissed call did: misses written, and tasks that already had an outcome. */
export interface RecordMissedResult {
  readonly recorded: number;
  readonly alreadyKnown: number;
}

/** Storage of task outcomes; every call is scoped to one tenant. */
export interface TaskOutcomeStore {
  /** By TaskRef, not the bare id: the key holds the contract-day, and the date needs the tenant's zone. */
  get(tenantId: string, task: TaskRef): Promise<TaskOutcome | undefined>;
  /** Outcomes of these tasks, by task id; tasks without an outcome are absent. */
  getMany(tenantId: string, tasks: readonly TaskRef[]): Promise<ReadonlyMap<string, TaskOutcome>>;
  /** Every outcome of one contract's tasks on one tenant-local date. */
  listByContractDay(tenantId: string, contractId: string, localDate: string): Promise<readonly TaskOutcome[]>;
  /**
   * Writes each outcome (status 'missed') only if the task has none yet: never overwrites an
   * outcome, so a task done in the meantime stays done and a repeated call records nothing
   * twice. Not atomic as a whole: an error part way leaves the earlier writes, which a
   * repeated call then finds (callers converge by repeating).
   */
  recordMissed(outcomes: readonly TaskOutcome[]): Promise<RecordMissedResult>;
}

/**
 * What locates an outcome: the key holds the contract and the local date (so a contract-day
 * lists with one query), and the task id. A task id decodes to the contract but the local
 * date needs the tenant's zone, so callers pass the derived task's own fields.
 */
export interface TaskRef {
  readonly taskId: string;
  readonly contractId: string;
  readonly localDate: string;
}

/**
 * The sweep's position in one tenant's stream of task closings (sweep.ts): every task whose
 * close (window end + grace) orders at or before (`through`, `afterTaskId`) has been handled.
 */
export const SweepCursor = z.object({
  /** ISO 8601 instant (UTC). */
  through: z.string(),
  /**
   * Set when a run stopped inside the tasks closing exactly at `through` (budget reached):
   * those with task ids up to and including this one are done, the rest are not.
   */
  afterTaskId: z.string().optional(),
});
export type SweepCursor = z.infer<typeof SweepCursor>;

export const SweepCheckpoint = z
  .object({
    tenantId: z.string(),
    cursor: SweepCursor,
    /** Advances by one with every write; the conditional write compares it. */
    version: z.number().int().positive(),
    runId: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SweepCheckpoint' });
export type SweepCheckpoint = z.infer<typeof SweepCheckpoint>;

/** Storage of the sweep checkpoint, one per tenant. */
export interface SweepCheckpointStore {
  get(tenantId: string): Promise<SweepCheckpoint | undefined>;
  /**
   * Writes the checkpoint on condition that the stored version is still `expectedVersion`
   * (undefined: none stored yet); a StaleVersionError otherwise (another run moved it).
   */
  save(checkpoint: SweepCheckpoint, expectedVersion: number | undefined): Promise<void>;
}

/** The tenants the sweep visits (see functions/adapters/dynamodb/task-outcome-store.ts). */
export interface TenantDirectory {
  listTenantIds(): Promise<readonly string[]>;
  /** The tenant's IANA zone; undefined when the tenant is unknown. */
  zoneOf(tenantId: string): Promise<string | undefined>;
}
