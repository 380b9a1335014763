import { createHash, timingSafeEqual } from 'node:crypto';
import { DateTime } from 'luxon';
import { ConflictError, ForbiddenError, RuleViolationError } from '../errors';
import { prefixedUlid } from '../ids';
import { withoutUndefined } from '../records';
import type { RectificationOrder } from '../rectification/schema';
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
  /** Routed, no order yet: an inspector verifies on site first. */
  awaitingVerification: '已受理，已分派至所在路段的作业单位，待巡查人员现场核实',
  /** Routed with its order at once (rulebook complaint.orderAtIntake). */
  routed: (dueLocal: string): string => `已转交作业单位整改，期限 ${dueLocal}`,
  /** Shown once the complaint's order is accepted (Open311 closed). */
  rectified: '整改已完成，经巡查人员验收合格，本诉求办结',
} as const;

/**
 * The public note of a verdict when the inspector gives none (status_notes; the inspector's
 * reason is internal). Chinese, as a 12345 reply reads.
 */
export const publicNotes = {
  valid: (dueLocal: string): string => `经现场核实，问题属实，已责令作业单位于 ${dueLocal} 前整改`,
  validAlreadyRectified: '经现场核实，问题属实；整改已完成并通过验收，本诉求办结',
  invalid: `经现场核实，未发现所反映的问题，本诉求办结；如问题仍在，可在 ${reopenWindowDays} 天内重新打开`,
} as const;

function localMinute(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM-dd HH:mm');
}

/** The order of a complaint as a verdict needs it (the order after raising or withdrawing). */
export type VerdictOrder = Pick<RectificationOrder, 'orderId' | 'status' | 'dueAt'>;

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

/**
 * Routed to the contract holding the nearest segment. Without an order (the default) it
 * waits for an inspector's verdict; with one (rulebook complaint.orderAtIntake, or an order
 * an earlier attempt raised) the routing carries the order and its due time.
 */
export function markRouted(complaint: Complaint, routing: ComplaintRouting, zone: string, at: Date): Complaint {
  const notes = routing.dueAt === undefined ? statusNotes.awaitingVerification : statusNotes.routed(localMinute(routing.dueAt, zone));
  return next(complaint, { status: 'routed', statusNotes: notes, routing, unroutedReason: undefined, candidateSegmentId: undefined }, at);
}

/**
 * Refuses a verdict the complaint's state does not allow: none after closing; a valid one
 * needs a contractor to charge (routed) and is given once (a `rectifying` complaint is
 * already valid; an invalid verdict may still correct it while its order is owed).
 */
export function checkVerdict(complaint: Pick<Complaint, 'complaintId' | 'status' | 'routing'>, valid: boolean): void {
  if (complaint.status === 'closed') {
    throw new ConflictError(`complaint '${complaint.complaintId}' is already closed`, { zh: `诉求 ${complaint.complaintId} 已办结` });
  }
  if (valid && complaint.status === 'rectifying') {
    throw new ConflictError(`complaint '${complaint.complaintId}' is already verified as valid; its rectification order is owed`, {
      zh: `诉求 ${complaint.complaintId} 已核实属实，整改通知书正在整改中`,
    });
  }
  if (valid && (complaint.status !== 'routed' || complaint.routing === undefined)) {
    throw new RuleViolationError(
      `complaint '${complaint.complaintId}' has no contractor yet`,
      [`a valid complaint costs a contractor points: assign it to a segment first (status is ${complaint.status})`],
      { zh: `诉求 ${complaint.complaintId} 尚未分派至作业单位`, reasonsZh: ['核实属实的诉求要扣作业单位的分：请先将其分派至路段'] },
    );
  }
}

/**
 * An inspector's verdict, with the complaint's order as it stands after the verdict's effect
 * on it (raised by a valid one, withdrawn by an invalid one; see use-cases.ts):
 * - valid: `rectifying` until the order is accepted (`closed` at once when it already was),
 *   with the rulebook's points recorded once — a complaint reopened and found valid again is
 *   still one complaint (DESIGN §3 counts complaints);
 * - invalid: `closed`; an order it withdrew takes the points with it (none are charged).
 * The reason is kept internal; status_notes is the public note, or the outcome's default.
 */
export function verify(
  complaint: Complaint,
  verdict: { readonly valid: boolean; readonly reason: string; readonly publicNote?: string | undefined; readonly by: string },
  effects: { readonly points?: ComplaintPoints | undefined; readonly order?: VerdictOrder | undefined; readonly withdrewOrderId?: string | undefined },
  zone: string,
  at: Date,
): Complaint {
  checkVerdict(complaint, verdict.valid);
  const { order } = effects;
  const verification = withoutUndefined({
    valid: verdict.valid,
    reason: verdict.reason,
    at: at.toISOString(),
    by: verdict.by,
    withdrewOrderId: effects.withdrewOrderId,
  });
  if (verdict.valid) {
    if (order === undefined || complaint.routing === undefined) throw new RangeError(`a valid verdict on '${complaint.complaintId}' needs its order`);
    const accepted = order.status === 'closed';
    const publicNote = verdict.publicNote ?? (accepted ? publicNotes.validAlreadyRectified : publicNotes.valid(localMinute(order.dueAt, zone)));
    return next(
      complaint,
      {
        status: accepted ? 'closed' : 'rectifying',
        statusNotes: publicNote,
        closedAt: accepted ? at.toISOString() : undefined,
        routing: { ...complaint.routing, orderId: order.orderId, dueAt: order.dueAt },
        verifications: [...complaint.verifications, { ...verification, publicNote }],
        points: complaint.points ?? effects.points,
      },
      at,
    );
  }
  const publicNote = verdict.publicNote ?? publicNotes.invalid;
  return next(
    complaint,
    {
      status: 'closed',
      statusNotes: publicNote,
      closedAt: at.toISOString(),
      verifications: [...complaint.verifications, { ...verification, publicNote }],
      points: effects.withdrewOrderId === undefined ? complaint.points : undefined,
    },
    at,
  );
}

/**
 * Whether the citizen's matter is settled (Open311 `closed`): closed by a verdict, or
 * verified valid and its order accepted. `order` is the complaint's order when it has one.
 */
export function isSettled(complaint: Pick<Complaint, 'status' | 'routing'>, order: Pick<RectificationOrder, 'orderId' | 'status'> | undefined): boolean {
  if (complaint.status === 'closed') return true;
  return complaint.status === 'rectifying' && order !== undefined && order.orderId === complaint.routing?.orderId && order.status === 'closed';
}

/** When the citizen's matter was settled: the verdict's close, or the order's acceptance. */
export function settledAt(complaint: Pick<Complaint, 'status' | 'routing' | 'closedAt'>, order: Pick<RectificationOrder, 'orderId' | 'status' | 'closedAt'> | undefined): string | undefined {
  if (complaint.status === 'closed') return complaint.closedAt;
  return isSettled(complaint, order) ? order?.closedAt : undefined;
}

/** True while `at` is within `reopenWindowDays` (elapsed days) after the matter was settled. */
export function canReopen(
  complaint: Pick<Complaint, 'status' | 'closedAt' | 'routing'>,
  at: Date,
  order?: Pick<RectificationOrder, 'orderId' | 'status' | 'closedAt'>,
): boolean {
  const closedAt = settledAt(complaint, order);
  if (closedAt === undefined) return false;
  return at.getTime() - Date.parse(closedAt) <= reopenWindowDays * 86_400_000;
}

function tokenMatches(complaint: Complaint, token: string): boolean {
  const given = Buffer.from(sha256Hex(token), 'hex');
  const stored = Buffer.from(complaint.reopenTokenSha256, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/**
 * The citizen reopens with the token from the creation answer; back to the inspector's
 * queue. Allowed once Open311 shows it closed (`isSettled`), within the window.
 */
export function reopen(
  complaint: Complaint,
  token: string,
  note: string | undefined,
  at: Date,
  order?: Pick<RectificationOrder, 'orderId' | 'status' | 'closedAt'>,
): Complaint {
  if (!tokenMatches(complaint, token)) throw new ForbiddenError('the reopen_token does not belong to this service request');
  if (!isSettled(complaint, order)) throw new ConflictError(`service request '${complaint.complaintId}' is not closed`, { zh: `诉求 ${complaint.complaintId} 尚未办结` });
  if (!canReopen(complaint, at, order)) {
    const closedAt = settledAt(complaint, order) ?? '?';
    throw new RuleViolationError(
      `service request '${complaint.complaintId}' can no longer be reopened`,
      [`a request may be reopened within ${reopenWindowDays} days of closing; it closed at ${closedAt}`],
      { reasonsZh: [`诉求办结后 ${reopenWindowDays} 天内可以重新打开；本诉求办结于 ${closedAt}`] },
    );
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
