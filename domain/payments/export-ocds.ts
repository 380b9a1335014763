import * as z from 'zod';
import { ApiMonth } from '../assessment/months';
import { assessMonth } from '../assessment/assess';
import { authorize, type Actor } from '../policy';
import { performanceFailures, type PerformanceFailure } from './ocds';
import type { StatementStore, StatementSummary } from './ports';
import { finalStatuses } from './records';
import { rulebookForMonth } from './statement';
import { statementFrom } from './use-cases';

/**
 * Performance failures of a tenant-month for open-data publication (issue 7 Exports; OCDS
 * performance failures extension, ocds.ts): APPROVED and PAID statements only — a draft may
 * still change, and what a district publishes must be what it paid on.
 *
 * Not a public route: publishing is the jurisdiction's act. Under the PRC Regulations on the
 * Disclosure of Government Information (政府信息公开条例, art. 17–19), information is released
 * by the body that holds it after a confidentiality review, so the API gives finance and
 * admin the document to review and publish; citizens' anonymous access stays with Open311.
 */

export const PerformanceFailuresQuery = z
  .object({ month: ApiMonth })
  .meta({ id: 'PerformanceFailuresQuery' });
export type PerformanceFailuresQuery = z.infer<typeof PerformanceFailuresQuery>;

/** One OCDS contract entry: its id and `implementation.performanceFailures`. */
export interface OcdsContractFailures {
  readonly id: string;
  readonly implementation: { readonly performanceFailures: readonly PerformanceFailure[] };
}

export interface PerformanceFailuresDocument {
  readonly month: string;
  /** Every approved or paid contract of the month, in contract id order (with or without failures). */
  readonly contracts: readonly OcdsContractFailures[];
}

/**
 * Finance and admin (policy `performance:read`). Per final statement, its kept computation's
 * inputs are assessed again (pure; the same bytes as when it was computed, statement.ts).
 */
export async function listPerformanceFailures(deps: { readonly statements: Pick<StatementStore, 'listMonth' | 'getComputation'> }, actor: Actor, query: PerformanceFailuresQuery): Promise<PerformanceFailuresDocument> {
  authorize(actor, 'performance:read');
  const { month } = PerformanceFailuresQuery.parse(query);
  const finals: StatementSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.statements.listMonth(actor.tenantId, month, {}, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    finals.push(...page.items.filter((summary) => finalStatuses.includes(summary.status)));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  const contracts = await Promise.all(
    finals
      .sort((a, b) => (a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0))
      .map(async (summary): Promise<OcdsContractFailures> => {
        const kept = await deps.statements.getComputation(actor.tenantId, summary.contractId, month, summary.computeVersion);
        if (kept === undefined) throw new Error(`the computation v${summary.computeVersion} of ${summary.contractId} ${month} is missing`);
        const rulebook = rulebookForMonth(kept.inputs.contract, month);
        if (rulebook === undefined) throw new Error(`contract '${summary.contractId}' has no rulebook in ${month}`);
        const assessment = assessMonth(kept.inputs.monthFacts.facts, rulebook);
        return {
          id: summary.contractId,
          implementation: {
            performanceFailures: performanceFailures({ assessment, rulebook, qualityDeductionFen: statementFrom(kept.inputs).totals.qualityDeductionFen, paid: summary.status === 'paid' }),
          },
        };
      }),
  );
  return { month, contracts };
}
