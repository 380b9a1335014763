import { randomBytes } from 'node:crypto';
import type { ComplaintDeps } from '../../../domain/complaints/ports';
import type { Segment } from '../../../domain/segments/schema';
import { DynamoComplaintStore } from '../../adapters/dynamodb/complaint-store';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoContractorStore } from '../../adapters/dynamodb/contractor-store';
import { DynamoRectificationStore } from '../../adapters/dynamodb/rectification-store';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { DynamoTenantDirectory } from '../../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: ComplaintDeps | undefined;

/** Segments read per page while routing (the store's pages; a district has a few thousand). */
const segmentPage = 500;

/**
 * Built once per container, at first use (shared by the open311 and complaints modules: both
 * route complaints). Reopen tokens are 128 random bits, base64url.
 */
export function complaintDeps(): ComplaintDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const segments = new DynamoSegmentStore(client, table);
  const contracts = new DynamoContractStore(client, table);
  const contractors = new DynamoContractorStore(client, table);
  const tenants = new DynamoTenantDirectory(client, table);
  deps = {
    complaints: new DynamoComplaintStore(client, table),
    orders: new DynamoRectificationStore(client, table),
    zoneOf: (tenantId) => tenants.zoneOf(tenantId),
    async activeSegments(tenantId) {
      const all: Segment[] = [];
      let cursor: string | undefined;
      do {
        const page = await segments.list(tenantId, { status: 'active' }, { limit: segmentPage, ...(cursor === undefined ? {} : { cursor }) });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return all;
    },
    getSegment: (tenantId, segmentId) => segments.get(tenantId, segmentId),
    getContract: (tenantId, contractId) => contracts.get(tenantId, contractId),
    holdingContracts: async (tenantId, serviceType) => (await contracts.listActiveByServiceType(tenantId, serviceType)).contracts,
    contractorName: async (tenantId, contractorId) => (await contractors.get(tenantId, contractorId))?.name,
    clock: systemClock,
    ids: ulidIds,
    secrets: { next: () => randomBytes(16).toString('base64url') },
  };
  return deps;
}
