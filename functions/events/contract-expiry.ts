import * as z from 'zod';
import type { ContractStore } from '../../domain/contracts/ports';
import { expireEndedContracts, type ContractDeps } from '../../domain/contracts/use-cases';
import type { Clock, IdGenerator } from '../../domain/ports';
import type { TenantDirectory } from '../../domain/schedule/outcomes';
import { DynamoContractStore } from '../adapters/dynamodb/contract-store';
import { DynamoTenantDirectory } from '../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../shared/clients';
import { env } from '../shared/env';
import { withSystemAudit } from '../shared/audit-context';
import { logger } from '../shared/logger';
import { systemClock, ulidIds } from '../shared/system';

/**
 * Contract expiry (issue 3: "active → expired at the end date"), run daily at 00:10
 * Asia/Shanghai by EventBridge Scheduler in AWS (functions/events/manifest.ts `dailyAt`) and
 * by a timer in the local stack, both with this module.
 *
 * Tenants come from the tenant registry, as for the missed-task sweep (missed-task-sweep.ts
 * says why); the payload may name `tenants` to rerun a few by hand (and so tests expire only
 * their own). Per tenant the use case (domain/contracts/use-cases.ts `expireEndedContracts`)
 * takes "today" in the tenant's zone and expires every active or suspended contract whose
 * end date is before it, each with a write conditional on the version it read: a contract
 * changed meanwhile is skipped and retried the next day. Idempotent: an expired contract is
 * no longer listed, so a second run (or a scheduler retry) changes nothing. A failing tenant
 * does not stop the others; the invocation then fails, so the retry and dead-letter queue
 * see it.
 */

/** The schedule's payload: empty, or the tenants to look at. Unknown fields are ignored. */
export const ContractExpiryEvent = z.object({ tenants: z.array(z.string().min(1)).min(1).optional() }).loose();
export type ContractExpiryEvent = z.infer<typeof ContractExpiryEvent>;

export interface ContractExpiryDeps {
  readonly contracts: ContractStore;
  readonly tenants: TenantDirectory;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface ContractExpiryReport {
  readonly tenantId: string;
  readonly expired: readonly string[];
}

export interface ContractExpirySummary {
  readonly tenants: readonly ContractExpiryReport[];
  readonly failed: readonly { readonly tenantId: string; readonly error: string }[];
  readonly expired: number;
}

/** Where the handler reports: the Powertools logger, or a quiet one in tests. */
export type ContractExpiryLog = Pick<typeof logger, 'info' | 'error'>;

/** The use case's ports for one tenant: only the store, clock and the tenant's zone are used. */
function contractDepsFor(deps: ContractExpiryDeps, zone: string): ContractDeps {
  const unused = (): never => {
    throw new Error('contract expiry checks no segments or contractors');
  };
  return {
    contracts: deps.contracts,
    clock: deps.clock,
    ids: deps.ids,
    segmentsExist: unused,
    contractorExists: unused,
    tenantZone: async () => zone,
  };
}

/** A handler over the given ports (tests wrap a store to inject failures). */
export function createContractExpiryHandler(
  depsOf: () => ContractExpiryDeps,
  log: ContractExpiryLog = logger,
): (event: unknown) => Promise<ContractExpirySummary> {
  return withSystemAudit('contract-expiry', 'contractExpiry', async (event: unknown) => {
    const deps = depsOf();
    const parsed = ContractExpiryEvent.safeParse(event ?? {});
    // A malformed payload is a wiring mistake in the schedule: fail loudly, expire nothing.
    if (!parsed.success) throw new Error(`the contract expiry event is not { tenants?: string[] }: ${parsed.error.message}`);
    const tenantIds = parsed.data.tenants ?? (await deps.tenants.listTenantIds());
    const reports: ContractExpiryReport[] = [];
    const failed: { tenantId: string; error: string }[] = [];
    for (const tenantId of tenantIds) {
      try {
        const zone = await deps.tenants.zoneOf(tenantId);
        if (zone === undefined) throw new Error(`tenant ${tenantId} is not known`);
        const expired = await expireEndedContracts(contractDepsFor(deps, zone), tenantId);
        reports.push({ tenantId, expired });
        if (expired.length > 0) log.info('contracts expired', { tenantId, zone, expired });
      } catch (error) {
        log.error('contract expiry failed for a tenant; the next run retries it', { tenantId, error: error as Error });
        failed.push({ tenantId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    const summary: ContractExpirySummary = { tenants: reports, failed, expired: reports.reduce((sum, report) => sum + report.expired.length, 0) };
    log.info('contract expiry', { tenants: tenantIds.length, expired: summary.expired, failed: failed.length });
    if (failed.length > 0) {
      throw new Error(`contract expiry failed for ${failed.length} of ${tenantIds.length} tenants: ${failed.map((f) => f.tenantId).join(', ')}`);
    }
    return summary;
  });
}

let deps: ContractExpiryDeps | undefined;

/** Built once per container. */
export function contractExpiryDeps(): ContractExpiryDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  deps = {
    contracts: new DynamoContractStore(client, table),
    tenants: new DynamoTenantDirectory(client, table),
    clock: systemClock,
    ids: ulidIds,
  };
  return deps;
}

export const handler: (event: unknown) => Promise<ContractExpirySummary> = createContractExpiryHandler(contractExpiryDeps);
