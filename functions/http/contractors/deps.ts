import type { ContractorDeps } from '../../../domain/contractors/use-cases';
import { DynamoContractorStore } from '../../adapters/dynamodb/contractor-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

let deps: ContractorDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function contractorDeps(): ContractorDeps {
  deps ??= { contractors: new DynamoContractorStore(documentClient(), env.mainTable), clock: systemClock, ids: ulidIds };
  return deps;
}
