import { statementMonthResults, type StandingsDeps } from '../../../domain/payments/standings';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoStatementStore } from '../../adapters/dynamodb/statement-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';

let deps: StandingsDeps | undefined;

/** Built once per container, at first use. */
export function rankingDeps(): StandingsDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  deps = {
    results: statementMonthResults(new DynamoStatementStore(client, env.mainTable)),
    contracts: new DynamoContractStore(client, env.mainTable),
  };
  return deps;
}
