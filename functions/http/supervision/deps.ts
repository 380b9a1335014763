import type { SupervisionDeps } from '../../../domain/payments/supervision';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoStatementStore } from '../../adapters/dynamodb/statement-store';
import { DynamoTenantDirectory } from '../../adapters/dynamodb/task-outcome-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock } from '../../shared/system';

let deps: SupervisionDeps | undefined;

/** Built once per container, at first use. */
export function supervisionDeps(): SupervisionDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  deps = {
    statements: new DynamoStatementStore(client, env.mainTable),
    contracts: new DynamoContractStore(client, env.mainTable),
    tenants: new DynamoTenantDirectory(client, env.mainTable),
    clock: systemClock,
  };
  return deps;
}
