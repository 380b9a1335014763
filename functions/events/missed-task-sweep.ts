import * as z from 'zod';
import type { TenantDirectory } from '../../domain/schedule/outcomes';
import { calendarOfYears, findStandard } from '../../domain/schedule/use-cases';
import { sweepMissedTasks, type SweepBudget, type SweepDeps, type SweepReport } from '../../domain/schedule/sweep';
import { standardTemplateFor } from '../../domain/schedule/templates';
import { DynamoContractStore } from '../adapters/dynamodb/contract-store';
import { DynamoScheduleStore } from '../adapters/dynamodb/schedule-store';
import { DynamoSegmentStore } from '../adapters/dynamodb/segment-store';
import { DynamoSweepCheckpointStore, DynamoTaskOutcomeStore, DynamoTenantDirectory } from '../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../shared/clients';
import { env } from '../shared/env';
import { withSystemAudit } from '../shared/audit-context';
import { logger } from '../shared/logger';
import { systemClock, ulidIds } from '../shared/system';

/**
 * The missed-task sweep (issue 4; DESIGN §3 Missed tasks), run hourly by EventBridge
 * Scheduler in AWS and by a timer in the local stack (infra/local/start.ts), both with the
 * same module.
 *
 * Which tenants: those in the tenant registry (keys.ts `tenantRegistration`, pk `TENANTS`),
 * the one partition without a tenant in front. The alternatives were worse: a Scan for
 * `TENANT` items reads the whole table every hour; a GSI over tenants costs an index for
 * one query an hour; a list in the schedule's payload or the environment has to be edited
 * by hand with every new district. The payload may still name `tenants`, to rerun a few by
 * hand (and so tests sweep only their own).
 *
 * Per tenant the use case (domain/schedule/sweep.ts) does bounded work (budget below) and
 * leaves a checkpoint; a backlog is caught up over the next runs. A failing tenant does not
 * stop the others; the invocation then fails, so the scheduler's retry and dead-letter queue
 * see it (a retry redoes only what is not yet checkpointed).
 */

/** The schedule's payload: empty, or the tenants to sweep. Unknown fields are ignored. */
export const SweepEvent = z.object({ tenants: z.array(z.string().min(1)).min(1).optional() }).loose();
export type SweepEvent = z.infer<typeof SweepEvent>;

/**
 * Per tenant and invocation: at most 4 slices of 20 000 tasks and 3 days each — a district's
 * few days of closings fit in one run, a week's backlog in a few hourly runs, and the
 * memory of a slice (its candidates) stays small.
 */
export const sweepBudget: SweepBudget = { maxTasks: 20_000, maxDays: 3 };
export const sweepMaxSlices = 4;

export interface SweepHandlerDeps extends SweepDeps {
  readonly tenants: TenantDirectory;
}

export interface SweepSummary {
  readonly tenants: readonly SweepReport[];
  readonly failed: readonly { readonly tenantId: string; readonly error: string }[];
  readonly recorded: number;
}

/** Where the handler reports: the Powertools logger, or a quiet one in tests. */
export type SweepLog = Pick<typeof logger, 'info' | 'error'>;

/** A handler over the given ports (tests wrap a store to inject failures). */
export function createSweepHandler(depsOf: () => SweepHandlerDeps, log: SweepLog = logger): (event: unknown) => Promise<SweepSummary> {
  return withSystemAudit('missed-task-sweep', 'missedTaskSweep', async (event: unknown) => {
    const deps = depsOf();
    const parsed = SweepEvent.safeParse(event ?? {});
    // A malformed payload is a wiring mistake in the schedule: fail loudly, sweep nothing.
    if (!parsed.success) throw new Error(`the sweep event is not { tenants?: string[] }: ${parsed.error.message}`);
    const tenantIds = parsed.data.tenants ?? (await deps.tenants.listTenantIds());
    const reports: SweepReport[] = [];
    const failed: { tenantId: string; error: string }[] = [];
    for (const tenantId of tenantIds) {
      try {
        const zone = await deps.tenants.zoneOf(tenantId);
        if (zone === undefined) throw new Error(`tenant ${tenantId} is not known`);
        const report = await sweepMissedTasks(deps, tenantId, { zone, budget: sweepBudget, maxSlices: sweepMaxSlices });
        reports.push(report);
        log.info('missed-task sweep', { ...report });
      } catch (error) {
        log.error('missed-task sweep failed for a tenant; its checkpoint is unchanged', { tenantId, error: error as Error });
        failed.push({ tenantId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const summary = { tenants: reports, failed, recorded: reports.reduce((sum, report) => sum + report.recorded, 0) };
    if (failed.length > 0) {
      throw new Error(`the missed-task sweep failed for ${failed.length} of ${tenantIds.length} tenants: ${failed.map((f) => f.tenantId).join(', ')}`);
    }
    return summary;
  });
}

let deps: SweepHandlerDeps | undefined;

/**
 * Built once per container. The schedule's data as the task lists read it
 * (domain/schedule/use-cases.ts): a contract's standard is the tenant's stored version, else
 * the shipped template of that id and version (standardTemplateById); the calendar is the
 * tenant's of each year, else the seeded one (2026), else none; only active exceptions count.
 */
export function sweepDeps(): SweepHandlerDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const schedule = new DynamoScheduleStore(client, table);
  deps = {
    contracts: new DynamoContractStore(client, table),
    segments: new DynamoSegmentStore(client, table),
    outcomes: new DynamoTaskOutcomeStore(client, table),
    checkpoints: new DynamoSweepCheckpointStore(client, table),
    tenants: new DynamoTenantDirectory(client, table),
    schedule: {
      standard: (tenantId, ref) => findStandard(schedule, tenantId, ref),
      defaultStandard: async (_tenantId, serviceType) => standardTemplateFor(serviceType),
      calendar: (tenantId, years) => calendarOfYears(schedule, tenantId, years),
      exceptions: async (tenantId) => (await schedule.listExceptions(tenantId)).filter((exception) => exception.status === 'active'),
    },
    clock: systemClock,
    ids: ulidIds,
  };
  return deps;
}

export const handler: (event: unknown) => Promise<SweepSummary> = createSweepHandler(sweepDeps);
