import * as z from 'zod';
import { ApiMonth } from '../assessment/months';
import type { Contract } from '../contracts/schema';
import { CalendarDate } from '../dates';
import { NotFoundError, ValidationError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Page } from '../ports';
import { decodeTaskId } from '../schedule/task-id';
import { parseInput } from '../validation';
import type { ProofStore } from './ports';
import type { Proof } from './schema';

/**
 * The inspectors' flagged-proof queue (issue 14): accepted task proofs whose photos' EXIF
 * disagrees with the claim (time or place, ./checks `exifFlags`). They were accepted, because
 * many phones strip or shift EXIF, but an inspector should look at them; the queue lists them
 * across the tenant's contracts, newest task date first, with what the inspector needs to judge
 * one without opening it: the flags with their numbers, the photos' evidence ids (the flagged
 * ones named by each flag), the claim, and the version to reject it with. The photos
 * themselves are fetched through `GET /v1/proofs/{proofId}/photos` (5-minute links), as for
 * any proof. Rejecting takes a proof out of the queue; undoing the rejection puts it back.
 */

export const FlaggedProofQuery = z.object({
  contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id (con_ + 26 characters)').optional().describe("one contract's proofs only"),
  month: ApiMonth.optional().describe("proofs of tasks of this tenant-local month (YYYY-MM); not with from / to"),
  from: CalendarDate.optional().describe('proofs of tasks dated on or after this tenant-local date'),
  to: CalendarDate.optional().describe('proofs of tasks dated on or before this tenant-local date'),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('page size, 1–200'),
  cursor: z.string().min(1).max(2048).optional().describe('opaque cursor from the previous page, with the same filters'),
});
export type FlaggedProofQuery = z.input<typeof FlaggedProofQuery>;

/** One entry of the queue: the proof as an inspector judges it, without its photo hashes. */
export interface FlaggedProof {
  readonly proofId: string;
  readonly version: number;
  readonly status: Proof['status'];
  readonly taskId: string;
  readonly activity: string;
  readonly contractId: string;
  readonly contractorId: string;
  readonly segmentId: string;
  readonly localDate: string;
  readonly windowStart?: string;
  readonly windowEnd?: string;
  readonly capturedAt: string;
  readonly submittedAt: string;
  readonly gps: Proof['gps'];
  readonly geofence?: NonNullable<Proof['geofence']>;
  readonly note?: string;
  readonly flags: Proof['flags'];
  readonly evidenceIds: readonly string[];
  /** The photos some flag names, in the order of `evidenceIds`. */
  readonly flaggedEvidenceIds: readonly string[];
  readonly reviews: Proof['reviews'];
}

export interface FlaggedProofDeps {
  readonly proofs: Pick<ProofStore, 'listFlagged'>;
  getContract(tenantId: string, contractId: string): Promise<Pick<Contract, 'tenantId' | 'contractId' | 'contractorId'> | undefined>;
}

/** The queue entry of a proof; its activity and segment are read back from the task id. */
export function flaggedProofOf(proof: Proof): FlaggedProof {
  const task = decodeTaskId(proof.subject.id);
  const flagged = new Set(proof.flags.map((flag) => flag.evidenceId));
  return {
    proofId: proof.proofId,
    version: proof.version,
    status: proof.status,
    taskId: proof.subject.id,
    // A task proof's subject is a task id the schedule resolved, so it decodes.
    activity: task?.activity ?? 'unknown',
    contractId: proof.contractId,
    contractorId: proof.contractorId,
    segmentId: proof.segmentId ?? task?.segmentId ?? '',
    localDate: proof.localDate,
    ...(proof.windowStart === undefined ? {} : { windowStart: proof.windowStart }),
    ...(proof.windowEnd === undefined ? {} : { windowEnd: proof.windowEnd }),
    capturedAt: proof.capturedAt,
    submittedAt: proof.submittedAt,
    gps: proof.gps,
    ...(proof.geofence === undefined ? {} : { geofence: proof.geofence }),
    ...(proof.note === undefined ? {} : { note: proof.note }),
    flags: proof.flags,
    evidenceIds: proof.evidenceIds,
    flaggedEvidenceIds: proof.evidenceIds.filter((id) => flagged.has(id)),
    reviews: proof.reviews,
  };
}

/** The last day a month can have, as text: `{month}-31` closes every month in a text range. */
const monthEnd = (month: string): string => `${month}-31`;

/**
 * `GET /v1/proofs/flagged` (inspectors, admin; issue 14): one page of the queue, newest task
 * date first and, within a date, newest submission first; optionally of one contract (404
 * when it does not exist) and of a month or a date range. A contractor user is refused (403):
 * the queue spans every contractor of the tenant.
 */
export async function listFlaggedProofs(deps: FlaggedProofDeps, actor: Actor, query: FlaggedProofQuery): Promise<Page<FlaggedProof>> {
  authorize(actor, 'proof:queue');
  const filter = parseInput(FlaggedProofQuery, query, 'query');
  if (filter.month !== undefined && (filter.from !== undefined || filter.to !== undefined)) {
    throw new ValidationError('give a month or a date range, not both', [
      { path: 'query.month', message: 'give month, or from / to, not both', zh: '请只给出 month 或 from / to 其中一种' },
    ], { zh: '请只给出月份或日期范围其中一种' });
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.to < filter.from) {
    throw new ValidationError('the range ends before it starts', [{ path: 'query.to', message: `${filter.to} is before ${filter.from}`, zh: `${filter.to} 早于 ${filter.from}` }], {
      zh: '日期范围的结束早于开始',
    });
  }
  if (filter.contractId !== undefined) {
    const contract = await deps.getContract(actor.tenantId, filter.contractId);
    if (contract === undefined) throw new NotFoundError('contract', filter.contractId);
    authorize(actor, 'proof:queue', { tenantId: contract.tenantId, contractorId: contract.contractorId });
  }
  const from = filter.month === undefined ? filter.from : `${filter.month}-01`;
  const to = filter.month === undefined ? filter.to : monthEnd(filter.month);
  const page = await deps.proofs.listFlagged(
    actor.tenantId,
    { ...(filter.contractId === undefined ? {} : { contractId: filter.contractId }), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
    { limit: filter.limit, ...(filter.cursor === undefined ? {} : { cursor: filter.cursor }) },
  );
  return { ...page, items: page.items.map(flaggedProofOf) };
}
