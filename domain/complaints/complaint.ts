import { createHash, timingSafeEqual } from 'node:crypto';
import { DateTime } from 'luxon';
import { ConflictError, ForbiddenError, RuleViolationError } from '../errors';
import { prefixedUlid } from '../ids';
import { withoutUndefined } from '../records';
import type { ServiceDefinition } from './catalogue';
import type { UnroutableReason } from './routing';
import type { Complaint, ComplaintPoints, ComplaintRouting, Contact } from './schema';

/**
 * The complaint lifecycle as pure transitions (see ./schema.ts for the states). Every
 * transition returns the next record with its version advanced; the caller saves it on the
 * version it read.
 */

/** Days after closing in which the citizen may reopen. Our choice: a week, as a 12345 回访 call-back cycle. */
export const reopenWindowDays = 7;

export function complaintIdFrom(ulid: string): string {
  return prefixedUlid('cmp', ulid);
}

/**
 * The one rectification order a complaint may raise: `rec_` + the complaint's own ULID, so a
 * retried routing addresses the same order (a conditional write refuses the duplicate) and
 * an order id leads back to its complaint. The ULID was spent on the complaint, so no other
 * order can have drawn it.
 */
export function orderIdFor(complaintId: string): string {
  return `rec_${complaintId.slice('cmp_'.length)}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export const statusNotes = {
  routing: '已受理，正在分派',
  unrouted: '已受理，待人工分派至作业单位',
  reopened: '市民已重新打开，待重新核实',
  routed: (dueLocal: string): string => `已转交作业单位整改，期限 ${dueLocal}`,
} as const;

export interface NewComplaint {
  readonly complaintId: string;
  readonly tenantId: string;
  readonly service: ServiceDefinition;
  readonly description?: string;
  readonly mediaUrl?: string;
  readonly location?: { readonly lat: number; readonly lon: number };
  readonly addressString?: string;
  readonly addressId?: string;
  readonly contact?: Contact;
  readonly reopenToken: string;
  readonly at: Date;
}

/** A just-received complaint, not yet routed. Contact is kept only when something was given. */
export function newComplaint(input: NewComplaint): Complaint {
  const contact = input.contact === undefined ? undefined : withoutUndefined(input.contact);
  const at = input.at.toISOString();
  return withoutUndefined({
    complaintId: input.complaintId,
    tenantId: input.tenantId,
    serviceCode: input.service.code,
    serviceName: input.service.name,
    serviceType: input.service.serviceType,
    deadlineHours: input.service.deadlineHours,
    description: input.description,
    mediaUrl: input.mediaUrl,
    location: input.location,
    addressString: input.addressString,
    addressId: input.addressId,
    contact: contact === undefined || Object.keys(contact).length === 0 ? undefined : contact,
    requestedAt: at,
    status: 'routing' as const,
    statusNotes: statusNotes.routing,
    verifications: [],
    reopens: [],
    reopenTokenSha256: sha256Hex(input.reopenToken),
    version: 1,
    updatedAt: at,
  });
}

function next(complaint: Complaint, changes: Partial<Complaint>, at: Date): Complaint {
  return withoutUndefined({ ...complaint, ...changes, version: complaint.version + 1, updatedAt: at.toISOString() });
}

export function markUnrouted(complaint: Complaint, reason: UnroutableReason, candidateSegmentId: string | undefined, at: Date): Complaint {
  return next(complaint, { status: 'unrouted', statusNotes: statusNotes.unrouted, unroutedReason: reason, candidateSegmentId }, at);
}

export function markRouted(complaint: Complaint, routing: ComplaintRouting, zone: string, at: Date): Complaint {
  const dueLocal = DateTime.fromISO(routing.dueAt, { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM-dd HH:mm');
  return next(complaint, { status: 'routed', statusNotes: statusNotes.routed(dueLocal), routing, unroutedReason: undefined, candidateSegmentId: undefined }, at);
}

/**
 * An inspector's verdict closes the complaint; its reason becomes status_notes. A valid one
 * needs a contractor to charge (routed), and records the rulebook's points once: a complaint
 * reopened and found valid again is still one complaint (DESIGN §3 counts complaints).
 */
export function verify(
  complaint: Complaint,
  verdict: { readonly valid: boolean; readonly reason: string; readonly by: string },
  points: ComplaintPoints | undefined,
  at: Date,
): Complaint {
  if (complaint.status === 'closed') throw new ConflictError(`complaint '${complaint.complaintId}' is already closed`);
  if (verdict.valid && (complaint.status !== 'routed' || complaint.routing === undefined)) {
    throw new RuleViolationError(`complaint '${complaint.complaintId}' has no contractor yet`, [
      `a valid complaint costs a contractor points: assign it to a segment first (status is ${complaint.status})`,
    ]);
  }
  return next(
    complaint,
    {
      status: 'closed',
      statusNotes: verdict.reason,
      closedAt: at.toISOString(),
      verifications: [...complaint.verifications, { valid: verdict.valid, reason: verdict.reason, at: at.toISOString(), by: verdict.by }],
      points: complaint.points ?? (verdict.valid ? points : undefined),
    },
    at,
  );
}

/** True while `at` is within `reopenWindowDays` (elapsed days) after the complaint closed. */
export function canReopen(complaint: Pick<Complaint, 'status' | 'closedAt'>, at: Date): boolean {
  if (complaint.status !== 'closed' || complaint.closedAt === undefined) return false;
  return at.getTime() - Date.parse(complaint.closedAt) <= reopenWindowDays * 86_400_000;
}

function tokenMatches(complaint: Complaint, token: string): boolean {
  const given = Buffer.from(sha256Hex(token), 'hex');
  const stored = Buffer.from(complaint.reopenTokenSha256, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The citizen reopens with the token from the creation answer; back to the inspector's queue. */
export function reopen(complaint: Complaint, token: string, note: string | undefined, at: Date): Complaint {
  if (!tokenMatches(complaint, token)) throw new ForbiddenError('the reopen_token does not belong to this service request');
  if (complaint.status !== 'closed') throw new ConflictError(`service request '${complaint.complaintId}' is not closed`);
  if (!canReopen(complaint, at)) {
    throw new RuleViolationError(`service request '${complaint.complaintId}' can no longer be reopened`, [
      `a request may be reopened within ${reopenWindowDays} days of closing; it closed at ${complaint.closedAt ?? '?'}`,
    ]);
  }
  return next(
    complaint,
    {
      status: complaint.routing === undefined ? 'unrouted' : 'routed',
      statusNotes: statusNotes.reopened,
      closedAt: undefined,
      reopens: [...complaint.reopens, withoutUndefined({ at: at.toISOString(), note })],
    },
    at,
  );
}
