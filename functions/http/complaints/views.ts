import type { Complaint } from '../../../domain/complaints/schema';
import type { PartialRef } from '../shared/names';

/** The internal view of a complaint: everything but the reopen token's hash. */
export function complaintView(complaint: Complaint): Omit<Complaint, 'reopenTokenSha256'> {
  const { reopenTokenSha256: _hash, ...view } = complaint;
  return view;
}

/**
 * What a complaint names (issue 14): once routed, its contract, contractor and segment; before,
 * only the candidate segment found near it (if any), to help the hand assignment.
 */
export function complaintRef(complaint: Pick<Complaint, 'routing' | 'candidateSegmentId'>): PartialRef {
  if (complaint.routing !== undefined) {
    return { contractId: complaint.routing.contractId, contractorId: complaint.routing.contractorId, segmentId: complaint.routing.segmentId };
  }
  return complaint.candidateSegmentId === undefined ? {} : { segmentId: complaint.candidateSegmentId };
}
