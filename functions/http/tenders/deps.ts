import { emptyCreditHistory } from '../../../domain/tenders/credit';
import type { CreditHistoryReader } from '../../../domain/tenders/ports';
import type { AwardDeps } from '../../../domain/tenders/use-cases';
import { DynamoContractStore } from '../../adapters/dynamodb/contract-store';
import { DynamoContractorStore } from '../../adapters/dynamodb/contractor-store';
import { DynamoSegmentStore } from '../../adapters/dynamodb/segment-store';
import { DynamoTenderStore } from '../../adapters/dynamodb/tender-store';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';
import { contractDeps } from '../contracts/deps';

/**
 * Credit until assessments exist: no contractor has an assessed month yet, so every bidder
 * gets the neutral credit (domain/tenders/credit.ts `neutralCreditX100`, shown as such in the
 * evaluation table). The payments work replaces this with a reader of the monthly scores.
 */
const noAssessmentsYet: CreditHistoryReader = { history: async () => emptyCreditHistory };

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
  deps = {
    tenders,
    awards: tenders,
    contractors: new DynamoContractorStore(client, table),
    segments: new DynamoSegmentStore(client, table),
    credit: noAssessmentsYet,
    contracting: contractDeps(),
    clock: systemClock,
    ids: ulidIds,
  };
  return deps;
}
