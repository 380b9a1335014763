import type { Contract } from '../../../domain/contracts/schema';
import type { TaskDeps } from '../../../domain/schedule/use-cases';
import { serviceTypes } from '../../../domain/service-types';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoScheduleStore } from '../../adapters/dynamodb/schedule-store';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { DynamoTaskOutcomeStore } from '../../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: TaskDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function taskDeps(): TaskDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const contracts = new DynamoContractStore(client, table);
  const segments = new DynamoSegmentStore(client, table);
  deps = {
    schedule: new DynamoScheduleStore(client, table),
    outcomes: new DynamoTaskOutcomeStore(client, table),
    clock: systemClock,
    ids: ulidIds,
    getContract: (tenantId, contractId) => contracts.get(tenantId, contractId),
    async activeContracts(tenantId) {
      // Holding contracts (active or suspended) per service type; a suspended one has no tasks.
      const holding = await Promise.all(serviceTypes.map((serviceType) => contracts.listActiveByServiceType(tenantId, serviceType)));
      return holding.flatMap((list) => list.contracts).filter((contract: Contract) => contract.status === 'active');
    },
    getSegments: (tenantId, segmentIds) => segments.getMany(tenantId, segmentIds),
  };
  return deps;
}
