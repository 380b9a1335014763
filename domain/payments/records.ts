import type { AssessmentSummary } from '../assessment/summary';
import type { ServiceType } from '../service-types';
import type { Statement, StatementDiff } from './statement';

/**
 * A contract-month's statement as stored (issue 7 Lifecycle): the computed `Statement`
 * (statement.ts, pure) wrapped in its lifecycle and versions.
 *
 * - `version` is the record version that `If-Match` names: every write (a computation, a
 *   review, the approval, the payment) advances it by one.
 * - `computeVersion` counts computations: 1 for the first, +1 for every recompute whose
 *   inputs changed. A recompute with the same `inputsDigest` writes nothing (the monthly close
 *   re-run is idempotent). Every computation is kept as a history item.
 * - Status: draft → reviewed → approved → paid. Only a draft is recomputed (a recompute of a
 *   reviewed statement whose facts changed sends it back to draft: the reviewer saw other
 *   numbers). Approval is allowed from `reviewed` only (two eyes: the reviewer and the approver
 *   may be the same finance user, but the two steps are separate records of who looked).
 *   Approved and paid records never change except approved → paid; every store write is
 *   conditional on the status it expects.
 */

export const statementStatuses = ['draft', 'reviewed', 'approved', 'paid'] as const;
export type StatementStatus = (typeof statementStatuses)[number];

/** Statuses whose statement is final: the source of adjustments, visible to the contractor. */
export const finalStatuses: readonly StatementStatus[] = ['approved', 'paid'];

/** `'system'` is the monthly close (no user). */
export type ComputedBy = string;
export const systemActor = 'system';

/** A review or an approval: who, when, and optionally why. */
export interface LifecycleEntry {
  readonly by: string;
  /** ISO instant. */
  readonly at: string;
  readonly reason?: string;
}

/** The payment of an approved statement (issue 7: payment reference and date). */
export interface PaymentEntry {
  readonly by: string;
  readonly at: string;
  readonly reference: string;
  /** `YYYY-MM-DD`, the day the money left. */
  readonly paidOn: string;
}

/** What a computation changed against the previous one (a summary of `diffStatements`). */
export interface ComputeChangeSummary {
  readonly previousComputeVersion: number;
  readonly netBeforeFen: number;
  readonly netAfterFen: number;
  readonly netDeltaFen: number;
  /** Keys of the lines added, removed or changed. */
  readonly changedLineKeys: readonly string[];
}

export interface StatementRecord {
  readonly tenantId: string;
  readonly contractId: string;
  readonly contractorId: string;
  readonly serviceType: ServiceType;
  /** `YYYY-MM`. */
  readonly month: string;
  /** Record version (If-Match). */
  readonly version: number;
  /** The n-th computation whose inputs differed from the previous one. */
  readonly computeVersion: number;
  readonly status: StatementStatus;
  readonly statement: Statement;
  /** sha-256 (hex) of the canonical inputs (facts.ts `inputsDigest`). */
  readonly inputsDigest: string;
  readonly computedAt: string;
  readonly computedBy: ComputedBy;
  readonly review?: LifecycleEntry;
  readonly approval?: LifecycleEntry;
  readonly payment?: PaymentEntry;
  /** Absent on the first computation. */
  readonly changes?: ComputeChangeSummary;
  /**
   * The month's assessment as this computation made it (KPIs, categories, segments; issue 15).
   * Absent on records computed before it was kept: they are not recomputed to fill it (a
   * recompute with unchanged inputs writes nothing), so readers answer null for them.
   */
  readonly assessment?: AssessmentSummary;
}

/** Builds the change summary stored on a record from a full diff. */
export function changeSummary(previousComputeVersion: number, diff: StatementDiff): ComputeChangeSummary {
  return {
    previousComputeVersion,
    netBeforeFen: diff.netBeforeFen,
    netAfterFen: diff.netAfterFen,
    netDeltaFen: diff.netDeltaFen,
    changedLineKeys: diff.lines.map((change) => change.key),
  };
}

/** The reference an adjustment line names as its source: `contractId/month/v{computeVersion}`. */
export function statementRef(record: Pick<StatementRecord, 'contractId' | 'month' | 'computeVersion'>): string {
  return `${record.contractId}/${record.month}/v${record.computeVersion}`;
}
