import { randomUUID } from 'node:crypto';
import { nextRequestUuid } from '../../shared/request-ids';
import type { ProofDeps } from '../../../domain/proofs/use-cases';
import { getTask, listContractTasks, type TaskView } from '../../../domain/schedule/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoEvidenceStore } from '../../adapters/dynamodb/evidence-store';
import { DynamoProofStore } from '../../adapters/dynamodb/proof-store';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { S3ProofBlobStore } from '../../adapters/s3/proof-blobs';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';
import { taskDeps } from '../tasks/deps';

let deps: ProofDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function proofDeps(): ProofDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const contracts = new DynamoContractStore(client, table);
  const segments = new DynamoSegmentStore(client, table);
  // Tasks are resolved exactly as the tasks module does (same derivation, same statuses).
  const tasks = taskDeps();
  deps = {
    clock: systemClock,
    ids: ulidIds,
    uuid: () => nextRequestUuid() ?? randomUUID(),
    evidence: new DynamoEvidenceStore(client, table),
    blobs: new S3ProofBlobStore(),
    proofs: new DynamoProofStore(client, table),
    resolveTask: (actor, taskId) => getTask(tasks, actor, taskId),
    getContract: (tenantId, contractId) => contracts.get(tenantId, contractId),
    getSegment: (tenantId, segmentId) => segments.get(tenantId, segmentId),
    async dayTasks(actor, contractId, date) {
      const all: TaskView[] = [];
      let cursor: string | undefined;
      do {
        const page = await listContractTasks(tasks, actor, contractId, { date, limit: 500, ...(cursor === undefined ? {} : { cursor }) });
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      return all;
    },
  };
  return deps;
}
