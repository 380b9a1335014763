import { randomBytes } from 'node:crypto';
import type { Contract } from '../../../domain/contracts/schema';
import type { SpotCheckDeps } from '../../../domain/spot-checks/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { DynamoSpotCheckStore } from '../../adapters/dynamodb/spot-check-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock } from '../../shared/system';

let deps: SpotCheckDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function spotCheckDeps(): SpotCheckDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  const contracts = new DynamoContractStore(client, table);
  const segments = new DynamoSegmentStore(client, table);
  deps = {
    spotChecks: new DynamoSpotCheckStore(client, table),
    clock: systemClock,
    // The seed must be unpredictable: node's CSPRNG, never Math.random.
    random: { bytes: (count) => randomBytes(count) },
    async holdingContracts(tenantId, serviceType): Promise<readonly Contract[]> {
      return (await contracts.listActiveByServiceType(tenantId, serviceType)).contracts;
    },
    getSegments: (tenantId, segmentIds) => segments.getMany(tenantId, segmentIds),
  };
  return deps;
}
