import { defaultZone } from '../../../domain/dates';
import { statementCreditHistory, statementMonthResults } from '../../../domain/payments/standings';
import { finalStatuses } from '../../../domain/payments/records';
import type { AwardDeps } from '../../../domain/tenders/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoContractorStore } from '../../adapters/dynamodb/contractor-store';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { DynamoStatementStore } from '../../adapters/dynamodb/statement-store';
import { DynamoTenantDirectory } from '../../adapters/dynamodb/task-outcome-store';
import { DynamoTenderStore } from '../../adapters/dynamodb/tender-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';
import { contractDeps } from '../contracts/deps';

let deps: AwardDeps | undefined;

/**
 * Built once per container, at first use, so importing the module reads no environment. The
 * award's contract is created through the contracts module's own deps (createContract checks
 * the contractor and the segments as a direct contract would be checked).
 */
export function tenderDeps(): AwardDeps {
  if (deps !== undefined) return deps;
  const client = documentClient();
  const table = env.mainTable;
  // The award writes the draft contract's items (as the contracts store makes them) in the tender's transaction.
  const contracts = new DynamoContractStore(client, table);
  const tenders = new DynamoTenderStore(client, table, (write) => contracts.itemsOf(write));
  const tenantDirectory = new DynamoTenantDirectory(client, table);
  deps = {
    tenders,
    awards: tenders,
    contractors: new DynamoContractorStore(client, table),
    segments: new DynamoSegmentStore(client, table),
    // Credit from the contractor's approved and paid statements of the last 12 closed months
    // (domain/payments/standings.ts `statementCreditHistory`; formula in domain/tenders/credit.ts).
    // A contractor without any is neutral (80.00), as before statements existed.
    credit: statementCreditHistory(statementMonthResults(new DynamoStatementStore(client, table), { statuses: finalStatuses }), systemClock, async (tenantId) => (await tenantDirectory.zoneOf(tenantId)) ?? defaultZone),
    contracting: contractDeps(),
    clock: systemClock,
    ids: ulidIds,
  };
  return deps;
}
