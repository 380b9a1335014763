import * as z from 'zod';
import { AssignComplaintInput, VerifyComplaintInput } from '../../../domain/complaints/inputs';
import { Complaint, ComplaintStatus } from '../../../domain/complaints/schema';
import type { RouteSpec } from '../../shared/route';
import { PageQuery, pageOf } from '../../shared/schemas';
import { OrderNames } from '../shared/names';

const tags = ['complaints'] as const;

/** The internal view: the record without the reopen token's hash (nobody needs it). */
export const ComplaintView = Complaint.omit({ reopenTokenSha256: true }).meta({ id: 'ComplaintView', description: '12345 / 12319 诉求 as procurement and inspectors see it' });

/**
 * A complaint as read (get and list, issue 14): with the names of what it names beside the ids,
 * read when answering: once routed, the contract's title, the contractor's name and the routed
 * segment's name and street; before, the candidate segment's name and street when one was found.
 */
export const NamedComplaintView = ComplaintView.extend({
  ...OrderNames.shape,
  segmentName: OrderNames.shape.segmentName.describe("the routed segment's name (路段名称), or the candidate segment's while unrouted"),
  street: OrderNames.shape.street.describe("that segment's street (街道)"),
}).meta({ id: 'NamedComplaint', description: '12345 / 12319 诉求 as read, with contractTitle, contractorName, segmentName and street beside the ids' });

const ComplaintParams = z.object({ complaintId: z.string().min(1).max(64) });

export const listComplaintsRoute = {
  operationId: 'listComplaints',
  method: 'GET',
  path: '/v1/complaints',
  summary: 'Complaints newest first; status=unrouted is the queue for assignment by hand, status=routing those whose routing must be retried',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'complaint:read' },
  query: PageQuery.extend({ status: ComplaintStatus.optional() }),
  success: { status: 200, description: 'one page of complaints, with names beside the ids', schema: pageOf(NamedComplaintView, 'ComplaintPage') },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const getComplaintRoute = {
  operationId: 'getComplaint',
  method: 'GET',
  path: '/v1/complaints/{complaintId}',
  summary: 'One complaint with its routing, verifications and points',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'complaint:read' },
  params: ComplaintParams,
  success: { status: 200, description: 'the complaint, with names beside the ids', schema: NamedComplaintView },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const verifyComplaintRoute = {
  operationId: 'verifyComplaint',
  method: 'POST',
  path: '/v1/complaints/{complaintId}/verification',
  summary:
    "Inspector's verdict: valid raises the complaint's rectification order and records the rulebook's complaint points (rectifying until the order is accepted); invalid withdraws an order it raised, without penalty, and closes it. The reason stays internal; the citizen reads publicNote (default a Chinese note per outcome) as status_notes",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'complaint:verify' },
  params: ComplaintParams,
  body: VerifyComplaintInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the verified complaint (rectifying or closed)', schema: ComplaintView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const assignComplaintRoute = {
  operationId: 'assignComplaint',
  method: 'POST',
  path: '/v1/complaints/{complaintId}/assignment',
  summary: "Assign an unrouted complaint to a segment by hand, to the contract holding it; its order waits for a valid verdict (unless the rulebook's complaint.orderAtIntake raises it at once)",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'complaint:assign' },
  params: ComplaintParams,
  body: AssignComplaintInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the routed complaint', schema: ComplaintView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const retryRoutingRoute = {
  operationId: 'retryComplaintRouting',
  method: 'POST',
  path: '/v1/complaints/{complaintId}/routing',
  summary: 'Finish routing a complaint left in status routing (its order could not be raised at intake); idempotent',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'complaint:assign' },
  params: ComplaintParams,
  body: z.strictObject({}).meta({ id: 'RetryComplaintRouting' }),
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the routed (or queued) complaint', schema: ComplaintView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const complaintRoutes: readonly RouteSpec[] = [listComplaintsRoute, getComplaintRoute, verifyComplaintRoute, assignComplaintRoute, retryRoutingRoute];
