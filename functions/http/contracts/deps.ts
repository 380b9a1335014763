import type { ContractDeps } from '../../../domain/contracts/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoContractorStore } from '../../adapters/dynamodb/contractor-store';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: ContractDeps | undefined;

/**
 * Built once per container, at first use, so importing the module reads no environment. A
 * retired segment counts as missing: a new scope may not take on a segment that is gone.
 */
export function contractDeps(): ContractDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const segments = new DynamoSegmentStore(client, table);
  const contractors = new DynamoContractorStore(client, table);
  deps = {
    contracts: new DynamoContractStore(client, table),
    clock: systemClock,
    ids: ulidIds,
    async segmentsExist(tenantId, segmentIds) {
      const found = await segments.getMany(tenantId, segmentIds);
      return segmentIds.filter((id) => found.get(id)?.status !== 'active');
    },
    async contractorExists(tenantId, contractorId) {
      return (await contractors.get(tenantId, contractorId)) !== undefined;
    },
  };
  return deps;
}
