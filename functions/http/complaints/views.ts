import type { Complaint } from '../../../domain/complaints/schema';

/** The internal view of a complaint: everything but the reopen token's hash. */
export function complaintView(complaint: Complaint): Omit<Complaint, 'reopenTokenSha256'> {
  const { reopenTokenSha256: _hash, ...view } = complaint;
  return view;
}
