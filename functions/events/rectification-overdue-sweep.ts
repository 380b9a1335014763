import * as z from 'zod';
import type { TenantDirectory } from '../../domain/schedule/outcomes';
import { sweepOverdue, type OverdueSweepResult, type RaiseOrderDeps } from '../../domain/rectification/use-cases';
import { DynamoRectificationStore } from '../adapters/dynamodb/rectification-store';
import { DynamoTenantDirectory } from '../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../shared/clients';
import { env } from '../shared/env';
import { withSystemAudit } from '../shared/audit-context';
import { logger } from '../shared/logger';
import { systemClock } from '../shared/system';

/**
 * The overdue sweep of rectification orders (issue 6; DESIGN §2.4 "a sweep marks late
 * rectification orders"), every 15 minutes by EventBridge Scheduler in AWS and by a timer in
 * the local stack, both with this module (functions/events/manifest.ts).
 *
 * Tenants come from the tenant registry, as for the missed-task sweep (missed-task-sweep.ts
 * says why); the payload may name `tenants` (tests sweep only their own). Per tenant the use
 * case (domain/rectification/use-cases.ts `sweepOverdue`) reads the owing index up to now with
 * one query and marks each overdue order late once, conditional on its version; a marked
 * order leaves the index in the same write, so running twice marks once. A failing tenant
 * does not stop the others; the invocation then fails, so the retry and dead-letter queue see it.
 */

export const OverdueSweepEvent = z.object({ tenants: z.array(z.string().min(1)).min(1).optional() }).loose();
export type OverdueSweepEvent = z.infer<typeof OverdueSweepEvent>;

export interface OverdueSweepDeps extends Pick<RaiseOrderDeps, 'orders' | 'clock'> {
  readonly tenants: Pick<TenantDirectory, 'listTenantIds'>;
}

export interface OverdueSweepSummary {
  readonly tenants: readonly (OverdueSweepResult & { readonly tenantId: string })[];
  readonly failed: readonly { readonly tenantId: string; readonly error: string }[];
  readonly marked: number;
}

export type OverdueSweepLog = Pick<typeof logger, 'info' | 'error'>;

/** A handler over the given ports (tests pass fakes or a fixed clock). */
export function createOverdueSweepHandler(depsOf: () => OverdueSweepDeps, log: OverdueSweepLog = logger): (event: unknown) => Promise<OverdueSweepSummary> {
  return withSystemAudit('rectification-overdue-sweep', 'rectificationOverdueSweep', async (event: unknown) => {
    const deps = depsOf();
    const parsed = OverdueSweepEvent.safeParse(event ?? {});
    if (!parsed.success) throw new Error(`the overdue sweep event is not { tenants?: string[] }: ${parsed.error.message}`);
    const tenantIds = parsed.data.tenants ?? (await deps.tenants.listTenantIds());
    const reports: (OverdueSweepResult & { tenantId: string })[] = [];
    const failed: { tenantId: string; error: string }[] = [];
    for (const tenantId of tenantIds) {
      try {
        const result = await sweepOverdue(deps, tenantId);
        reports.push({ tenantId, ...result });
        if (result.marked > 0 || result.skipped > 0) log.info('rectification overdue sweep', { tenantId, ...result });
      } catch (error) {
        log.error('rectification overdue sweep failed for a tenant; the next run retries it', { tenantId, error: error as Error });
        failed.push({ tenantId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (failed.length > 0) {
      throw new Error(`the rectification overdue sweep failed for ${failed.length} of ${tenantIds.length} tenants: ${failed.map((f) => f.tenantId).join(', ')}`);
    }
    return { tenants: reports, failed, marked: reports.reduce((sum, report) => sum + report.marked, 0) };
  });
}

let deps: OverdueSweepDeps | undefined;

/** Built once per container. */
export function overdueSweepDeps(): OverdueSweepDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  deps = { orders: new DynamoRectificationStore(client, table), tenants: new DynamoTenantDirectory(client, table), clock: systemClock };
  return deps;
}

export const handler: (event: unknown) => Promise<OverdueSweepSummary> = createOverdueSweepHandler(overdueSweepDeps);
