import { randomUUID } from 'node:crypto';
import { nextRequestUuid } from '../../shared/request-ids';
import { issueUpload } from '../../../domain/proofs/use-cases';
import type { WorkOrderDeps } from '../../../domain/work-orders/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoEvidenceStore } from '../../adapters/dynamodb/evidence-store';
import { findPhotoClaims } from '../../adapters/dynamodb/photo-claims';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { DynamoWorkOrderStore } from '../../adapters/dynamodb/work-order-store';
import { S3ProofBlobStore } from '../../adapters/s3/proof-blobs';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: WorkOrderDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function workOrderDeps(): WorkOrderDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const contracts = new DynamoContractStore(client, table);
  const segments = new DynamoSegmentStore(client, table);
  const evidence = new DynamoEvidenceStore(client, table);
  const blobs = new S3ProofBlobStore();
  const uploads = { evidence, blobs, clock: systemClock, uuid: () => nextRequestUuid() ?? randomUUID() };
  deps = {
    workOrders: new DynamoWorkOrderStore(client, table),
    clock: systemClock,
    ids: ulidIds,
    getContract: (tenantId, contractId) => contracts.get(tenantId, contractId),
    getSegment: (tenantId, segmentId) => segments.get(tenantId, segmentId),
    evidence,
    async findClaims(tenantId, hashes) {
      const claims = await findPhotoClaims(client, table, tenantId, hashes);
      return new Map([...claims].map(([sha256, claim]) => [sha256, claim.proofId]));
    },
    issueUpload: (actor, subject, contentType) => issueUpload(uploads, actor, subject, contentType),
  };
  return deps;
}
