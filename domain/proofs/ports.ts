import type { Page, PageRequest } from '../ports';
import type { TaskOutcome, TaskRef } from '../schedule/outcomes';
import type { Proof, ProofStatus } from './schema';

/**
 * Storage of proofs (functions/adapters/dynamodb/proof-store.ts). The writes that change a
 * task's outcome do it in the same transaction as the proof, so a proof and the task status
 * it implies can never disagree.
 */

/** What recording an accepted proof did. */
export type AcceptedWrite =
  | { readonly status: 'recorded' }
  /** Another proof claimed one of the photos first (a race): nothing was written. */
  | { readonly status: 'photo-claimed'; readonly sha256: string; readonly otherProofId?: string }
  /** The task's outcome is 'done' already (another proof was accepted first): nothing was written. */
  | { readonly status: 'outcome-taken' };

/** Which flagged proofs a queue page holds: of one contract, and task dates from / to (inclusive, tenant-local). */
export interface FlaggedProofFilter {
  readonly contractId?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface ProofStore {
  get(tenantId: string, proofId: string): Promise<Proof | undefined>;
  /** A contract-day's proofs in submission order, optionally of one status. */
  listByContractDay(tenantId: string, contractId: string, localDate: string, filter: { readonly status?: ProofStatus }, page: PageRequest): Promise<Page<Proof>>;
  /**
   * The inspectors' queue (issue 14): accepted task proofs that carry flags, across the
   * tenant's contracts, newest task date first and, within a date, newest submission first.
   * A rejected proof is not in it (an undo puts it back); nor is a refused one.
   */
  listFlagged(tenantId: string, filter: FlaggedProofFilter, page: PageRequest): Promise<Page<Proof>>;
  /** Every proof of a contract-day (for the report; a day has tens, not thousands). */
  allByContractDay(tenantId: string, contractId: string, localDate: string): Promise<readonly Proof[]>;
  /** sha-256 → the proof that holds it, for the hashes that are claimed. */
  findClaims(tenantId: string, hashes: readonly string[]): Promise<ReadonlyMap<string, string>>;
  getOutcome(tenantId: string, task: TaskRef): Promise<TaskOutcome | undefined>;
  /**
   * One transaction: the proof, a claim per photo hash, and the outcome 'done', on condition
   * that the task has no outcome, or 'missed', or 'rejected'.
   */
  recordAccepted(proof: Proof, outcome: TaskOutcome): Promise<AcceptedWrite>;
  /** A refused proof: the proof alone (nothing claimed, no outcome). */
  recordRefused(proof: Proof): Promise<void>;
  /**
   * A review: the proof's new version (conditional on `expectedVersion`, StaleVersionError
   * otherwise) and the outcome moved from `outcomeFrom` (held by this proof) to `outcome`, in
   * one transaction. ConflictError when the outcome is no longer `outcomeFrom` of this proof.
   */
  recordReview(proof: Proof, expectedVersion: number, outcome: TaskOutcome, outcomeFrom: TaskOutcome['status']): Promise<void>;
}
