import { DateTime } from 'luxon';
import { addMonths } from '../assessment/months';
import type { ContractStore } from '../contracts/ports';
import type { Contract } from '../contracts/schema';
import { ConflictError, ValidationError } from '../errors';
import { systemActor } from './records';
import { rulebookForMonth } from './statement';
import { computeContractMonth, type StatementDeps } from './use-cases';

/**
 * The monthly close (issue 7 "The monthly close"): on the 1st, in the tenant's zone, every
 * contract in force during the previous month gets its statement computed by the system.
 *
 * - Idempotent and resumable by the core's design: `computeContractMonth` writes nothing when
 *   the inputs' digest is unchanged, so a rerun (after a crash, or by hand) redoes only what
 *   changed or failed, and never creates a new version of an unchanged draft.
 * - One contract's failure does not stop the others: it is reported with its error.
 * - A month already approved or paid (409 from the core) is skipped, not failed: later
 *   evidence reaches it as an adjustment of the next open month.
 *
 * The same use case runs per contract in the AWS Step Functions map (functions/events/
 * monthly-close.ts `compute` step) and whole in the local stack and `npm run close`.
 */

export interface CloseDeps extends StatementDeps {
  readonly contracts: Pick<ContractStore, 'get' | 'list'>;
  /** The computation of one contract-month; the core's `computeContractMonth` unless a test swaps it. */
  readonly compute?: typeof computeContractMonth;
}

export interface CloseRequest {
  readonly tenantId: string;
  /** `YYYY-MM`: the month being closed. */
  readonly month: string;
}

export type ContractCloseOutcome =
  | { readonly contractId: string; readonly outcome: 'computed'; readonly version: number; readonly computeVersion: number }
  | { readonly contractId: string; readonly outcome: 'unchanged'; readonly version: number; readonly computeVersion: number }
  | { readonly contractId: string; readonly outcome: 'skipped'; readonly reason: string }
  | { readonly contractId: string; readonly outcome: 'failed'; readonly error: string };

export interface CloseReport {
  readonly tenantId: string;
  readonly month: string;
  readonly contracts: readonly ContractCloseOutcome[];
  readonly computed: number;
  readonly unchanged: number;
  readonly skipped: number;
  readonly failed: number;
}

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month a close run on `now` closes: the calendar month before `now` in `zone`. */
export function monthToClose(now: Date, zone: string): string {
  const local = DateTime.fromJSDate(now, { zone });
  if (!local.isValid) throw new RangeError(`cannot place ${now.toISOString()} in zone '${zone}'`);
  return addMonths(local.toFormat('yyyy-MM'), -1);
}

/**
 * Contracts in force on at least one day of `month` (any status but draft: a contract that
 * expired or was terminated mid-month is still paid for its days). Read page by page; a
 * district has hundreds of contracts, so the list fits in memory.
 */
export async function contractsInForce(deps: Pick<CloseDeps, 'contracts'>, tenantId: string, month: string): Promise<Contract[]> {
  if (!monthPattern.test(month)) throw new ValidationError('invalid month', [{ path: 'month', message: `a month is YYYY-MM, got '${month}'` }]);
  const found: Contract[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.contracts.list(tenantId, {}, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    for (const contract of page.items) {
      if (contract.status !== 'draft' && rulebookForMonth(contract, month) !== undefined) found.push(contract);
    }
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  // Oldest first (ids are ULIDs): a report reads in creation order, and reruns visit in the same order.
  return found.sort((a, b) => (a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0));
}

/** Closes one contract-month; never throws for the contract's own failure (it is the outcome). */
export async function closeContractMonth(deps: StatementDeps & Pick<CloseDeps, 'compute'>, tenantId: string, month: string, contractId: string): Promise<ContractCloseOutcome> {
  try {
    const { record, changed } = await (deps.compute ?? computeContractMonth)(deps, systemActor, { tenantId, contractId, month });
    return { contractId, outcome: changed ? 'computed' : 'unchanged', version: record.version, computeVersion: record.computeVersion };
  } catch (error) {
    if (error instanceof ConflictError) return { contractId, outcome: 'skipped', reason: error.message };
    return { contractId, outcome: 'failed', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Sums the outcomes of a close (also the Step Functions failure-report step). */
export function closeReportOf(tenantId: string, month: string, outcomes: readonly ContractCloseOutcome[]): CloseReport {
  const count = (kind: ContractCloseOutcome['outcome']): number => outcomes.filter((outcome) => outcome.outcome === kind).length;
  return { tenantId, month, contracts: outcomes, computed: count('computed'), unchanged: count('unchanged'), skipped: count('skipped'), failed: count('failed') };
}

/**
 * Closes `month` for a tenant: every contract in force, a few at a time (`concurrency`, so a
 * district of hundreds of contracts does not open hundreds of reads at once).
 */
export async function closeMonth(deps: CloseDeps, request: CloseRequest, options: { readonly concurrency?: number } = {}): Promise<CloseReport> {
  const contracts = await contractsInForce(deps, request.tenantId, request.month);
  const outcomes: ContractCloseOutcome[] = new Array(contracts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < contracts.length) {
      const index = next++;
      outcomes[index] = await closeContractMonth(deps, request.tenantId, request.month, (contracts[index] as Contract).contractId);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, contracts.length)) }, worker));
  return closeReportOf(request.tenantId, request.month, outcomes);
}
