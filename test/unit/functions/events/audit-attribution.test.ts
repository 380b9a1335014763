import { describe, expect, it } from 'vitest';
import { createContractExpiryHandler, type ContractExpiryDeps } from '../../../../functions/events/contract-expiry';
import { createExportWorker } from '../../../../functions/events/export-worker';
import type { RunExportJobDeps } from '../../../../domain/payments/export-jobs';
import { eventHandlers, objectCreatedHandlers } from '../../../../functions/events/manifest';
import { createSweepHandler, type SweepHandlerDeps } from '../../../../functions/events/missed-task-sweep';
import { createMonthlyCloseHandler, type MonthlyCloseDeps } from '../../../../functions/events/monthly-close';
import { createIngestHandler } from '../../../../functions/events/proof-ingest';
import { createOverdueSweepHandler, type OverdueSweepDeps } from '../../../../functions/events/rectification-overdue-sweep';
import { currentAuditContext, type AuditContext } from '../../../../functions/shared/audit-context';
import type { IngestDeps } from '../../../../domain/proofs/ingest-use-case';

/**
 * Every event handler of the manifest runs under a system audit context named after its
 * function (issue 8): the writes it makes are never `unattributed`. Each handler is built
 * over ports that capture the context they are asked for in, on a run with nothing to do.
 */

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const noTenants = { listTenantIds: async () => [], zoneOf: async () => undefined };

function capture<D>(deps: D): { readonly depsOf: () => D; readonly seen: () => AuditContext | undefined } {
  let seen: AuditContext | undefined;
  return {
    depsOf: () => {
      seen = currentAuditContext();
      return deps;
    },
    seen: () => seen,
  };
}

describe('event handlers and the audit log', () => {
  it('attributes every handler of the manifest to its own function, with its action and the invocation id', async () => {
    // Prepare
    const sweep = capture({ tenants: noTenants } as unknown as SweepHandlerDeps);
    const expiry = capture({ tenants: noTenants } as unknown as ContractExpiryDeps);
    const overdue = capture({ tenants: noTenants } as unknown as OverdueSweepDeps);
    const close = capture({ tenants: noTenants } as unknown as MonthlyCloseDeps);
    const ingest = capture({} as unknown as IngestDeps);
    const exportWorker = capture({} as unknown as RunExportJobDeps);
    const invocation = { awsRequestId: 'aws-req-1' };

    // Act: each with Lambda's (event, context), as Lambda calls them.
    await (createSweepHandler(sweep.depsOf, quiet) as (event: unknown, context: unknown) => Promise<unknown>)({}, invocation);
    await (createContractExpiryHandler(expiry.depsOf, quiet) as (event: unknown, context: unknown) => Promise<unknown>)({}, invocation);
    await (createOverdueSweepHandler(overdue.depsOf, quiet) as (event: unknown, context: unknown) => Promise<unknown>)({}, invocation);
    await (createMonthlyCloseHandler(close.depsOf, quiet) as (event: unknown, context: unknown) => Promise<unknown>)({}, invocation);
    await (createIngestHandler(ingest.depsOf, quiet) as (event: unknown, context: unknown) => Promise<unknown>)({ Records: [] }, invocation);
    await (createExportWorker(exportWorker.depsOf, quiet) as (event: unknown, context: unknown) => Promise<unknown>)({ Records: [] }, invocation);
    const seen = new Map([
      ['missed-task-sweep', sweep.seen()],
      ['contract-expiry', expiry.seen()],
      ['rectification-overdue-sweep', overdue.seen()],
      ['monthly-close', close.seen()],
      ['proof-ingest', ingest.seen()],
      ['export-worker', exportWorker.seen()],
    ]);

    // Assess: the map names every handler of the manifest, so a new one fails here until it is added.
    expect([...seen.keys()].sort()).toEqual([...eventHandlers, ...objectCreatedHandlers].map((handler) => handler.name).sort());
    for (const [name, context] of seen) {
      expect(context?.actor, name).toEqual({ system: name });
      expect(context?.requestId, name).toBe('aws-req-1');
      expect(context?.action, name).toMatch(/^[a-z][A-Za-z]+$/);
    }
  });
});
