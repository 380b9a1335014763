import { randomUUID } from 'node:crypto';
import { nextRequestUuid } from '../../shared/request-ids';
import { defaultZone } from '../../../domain/dates';
import type { RectificationDeps } from '../../../domain/rectification/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoEvidenceStore } from '../../adapters/dynamodb/evidence-store';
import { DynamoRectificationStore } from '../../adapters/dynamodb/rectification-store';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { S3ProofBlobStore } from '../../adapters/s3/proof-blobs';
import { DynamoTenantDirectory } from '../../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: RectificationDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function rectificationDeps(): RectificationDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const tenants = new DynamoTenantDirectory(client, table);
  const segments = new DynamoSegmentStore(client, table);
  deps = {
    orders: new DynamoRectificationStore(client, table),
    contracts: new DynamoContractStore(client, table),
    evidence: new DynamoEvidenceStore(client, table),
    blobs: new S3ProofBlobStore(),
    clock: systemClock,
    ids: ulidIds,
    // Deadlines and months in the tenant's own zone (its settings item), Asia/Shanghai when it names none.
    tenantZone: async (tenantId) => (await tenants.zoneOf(tenantId)) ?? defaultZone,
    uuid: () => nextRequestUuid() ?? randomUUID(),
    getSegment: (tenantId, segmentId) => segments.get(tenantId, segmentId),
  };
  return deps;
}
