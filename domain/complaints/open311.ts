import { DateTime } from 'luxon';
import type { RectificationOrder } from '../rectification/schema';
import { isSettled, settledAt, statusNotes } from './complaint';
import type { Complaint } from './schema';

/** What the public view needs of a complaint's order: whether and when it was accepted. */
export type PublicOrder = Pick<RectificationOrder, 'orderId' | 'status' | 'closedAt'>;

/**
 * The Open311 GeoReport v2 view of a complaint (wiki.open311.org/GeoReport_v2, "GET Service
 * Request" response), field names and order as the spec gives them. Instants are w3 format
 * with the tenant's offset (e.g. 2026-11-23T09:30:00+08:00). Contact data never appears here.
 */
export interface Open311Request {
  readonly service_request_id: string;
  readonly status: 'open' | 'closed';
  readonly status_notes: string | null;
  readonly service_name: string;
  readonly service_code: string;
  readonly description: string | null;
  readonly agency_responsible: string | null;
  readonly service_notice: string | null;
  readonly requested_datetime: string;
  readonly updated_datetime: string;
  readonly expected_datetime: string;
  readonly address: string | null;
  readonly address_id: string | null;
  readonly zipcode: null;
  readonly lat: number | null;
  readonly long: number | null;
  readonly media_url: string | null;
}

/**
 * Open311 knows two statuses: a complaint is open to the citizen until it is settled — closed
 * by an inspector's verdict, or verified valid and its rectification order accepted.
 */
export function open311Status(complaint: Pick<Complaint, 'status' | 'routing'>, order?: PublicOrder): 'open' | 'closed' {
  return isSettled(complaint, order) ? 'closed' : 'open';
}

/** The citizen's note: the stored public note, or the rectified note once the order is accepted. */
export function publicStatusNotes(complaint: Pick<Complaint, 'status' | 'routing' | 'statusNotes'>, order?: PublicOrder): string | null {
  if (complaint.status === 'rectifying' && isSettled(complaint, order)) return statusNotes.rectified;
  return complaint.statusNotes === '' ? null : complaint.statusNotes;
}

/** The orders the public view of these complaints needs (those awaiting their order's acceptance). */
export function ordersToRead(complaints: readonly Complaint[]): string[] {
  return complaints.flatMap((complaint) => (complaint.status === 'rectifying' && complaint.routing?.orderId !== undefined ? [complaint.routing.orderId] : []));
}

/** An ISO instant as w3 datetime in `zone`, seconds precision, with the offset. */
export function w3Datetime(iso: string, zone: string): string {
  const value = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).startOf('second').toISO({ suppressMilliseconds: true });
  if (value === null) throw new RangeError(`cannot format '${iso}' in zone '${zone}'`);
  return value;
}

/** When the fix is expected: the order's due time, else the request plus the service's hours. */
export function expectedAt(complaint: Complaint): string {
  if (complaint.routing?.dueAt !== undefined) return complaint.routing.dueAt;
  return new Date(Date.parse(complaint.requestedAt) + complaint.deadlineHours * 3_600_000).toISOString();
}

/** `service_notice`: the deadline, in the words a 12345 reply uses. */
export function serviceNotice(complaint: Complaint, zone: string): string {
  const due = DateTime.fromISO(expectedAt(complaint), { zone: 'utc' }).setZone(zone).toFormat('yyyy-MM-dd HH:mm');
  if (complaint.routing === undefined) return `已受理，将人工分派至作业单位，要求在 ${complaint.deadlineHours} 小时内处理（目标 ${due} 前）`;
  if (complaint.routing.dueAt === undefined) return `已受理，经巡查人员现场核实后由作业单位在 ${complaint.deadlineHours} 小时内处理（预计 ${due} 前）`;
  return `已转交作业单位，要求在 ${complaint.deadlineHours} 小时内处理完毕（${due} 前）`;
}

/** The public view; `order` is the complaint's order when it is awaiting acceptance (`ordersToRead`). */
export function toOpen311Request(complaint: Complaint, zone: string, order?: PublicOrder): Open311Request {
  const settled = settledAt(complaint, order);
  return {
    service_request_id: complaint.complaintId,
    status: open311Status(complaint, order),
    status_notes: publicStatusNotes(complaint, order),
    service_name: complaint.serviceName,
    service_code: complaint.serviceCode,
    description: complaint.description ?? null,
    agency_responsible: complaint.routing?.contractorName ?? null,
    service_notice: serviceNotice(complaint, zone),
    requested_datetime: w3Datetime(complaint.requestedAt, zone),
    updated_datetime: w3Datetime(settled ?? complaint.updatedAt, zone),
    expected_datetime: w3Datetime(expectedAt(complaint), zone),
    address: complaint.addressString ?? null,
    address_id: complaint.addressId ?? null,
    zipcode: null,
    lat: complaint.location?.lat ?? null,
    long: complaint.location?.lon ?? null,
    media_url: complaint.mediaUrl ?? null,
  };
}
