import { randomUUID } from 'node:crypto';
import { nextRequestUuid } from '../../shared/request-ids';
import { defaultZone } from '../../../domain/dates';
import type { InspectionDeps } from '../../../domain/inspections/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoEvidenceStore } from '../../adapters/dynamodb/evidence-store';
import { DynamoInspectionStore } from '../../adapters/dynamodb/inspection-store';
import { findPhotoClaims } from '../../adapters/dynamodb/photo-claims';
import { DynamoRectificationStore } from '../../adapters/dynamodb/rectification-store';
import { DynamoTenantDirectory } from '../../adapters/dynamodb/task-outcome-store';
import { S3ProofBlobStore } from '../../adapters/s3/proof-blobs';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: InspectionDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function inspectionDeps(): InspectionDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const tenants = new DynamoTenantDirectory(client, table);
  deps = {
    inspections: new DynamoInspectionStore(client, table, new DynamoRectificationStore(client, table)),
    contracts: new DynamoContractStore(client, table),
    evidence: new DynamoEvidenceStore(client, table),
    blobs: new S3ProofBlobStore(),
    async findClaims(tenantId, hashes) {
      const claims = await findPhotoClaims(client, table, tenantId, hashes);
      return new Map([...claims].map(([sha256, claim]) => [sha256, claim.proofId]));
    },
    clock: systemClock,
    ids: ulidIds,
    uuid: () => nextRequestUuid() ?? randomUUID(),
    // Deadlines and months in the tenant's own zone (its settings item), Asia/Shanghai when it names none.
    tenantZone: async (tenantId) => (await tenants.zoneOf(tenantId)) ?? defaultZone,
  };
  return deps;
}
