import * as z from 'zod';
import { ServiceType } from '../service-types';
import { unroutableReasons } from './routing';

/**
 * Citizen complaints (12345 / 12319 诉求, DESIGN §1, §2.3). Received through Open311
 * GeoReport v2, routed by geometry to a contract, verified by an inspector.
 *
 * Lifecycle (`status`):
 * - `routing`: recorded, routing not finished. The record is written before anything else
 *   so no complaint is lost; if raising the rectification order fails it stays here and
 *   `retryRouting` finishes it (the order id is derived from the complaint id, so a retry
 *   cannot raise a second order).
 * - `unrouted`: no segment within the distance, no contract, or an address without
 *   coordinates: waits in the queue for procurement to assign a segment by hand.
 * - `routed`: the segment and the contract holding it are found; it waits for an inspector's
 *   verdict. A citizen report is not yet an order: the rectification order is raised by a
 *   valid verdict, or already at routing when the contract's rulebook says so explicitly
 *   (`complaint.orderAtIntake`, default off).
 * - `rectifying`: verified valid; its order is owed by the contractor. A corrected verdict
 *   (invalid) may still withdraw the order, without penalty, until the order is accepted.
 * - `closed`: verified invalid (an order it raised is withdrawn), or valid when its order was
 *   already accepted. The inspector's `reason` stays internal; the citizen reads the
 *   verdict's public note (Chinese, a default per outcome) as status_notes.
 * A citizen may reopen a request Open311 shows as closed within `reopenWindowDays` of closing
 * with the reopen token returned at creation; it then goes back to `routed` (or `unrouted`)
 * for another verification. No second order is raised: the first order's proof and review
 * cover it.
 * Open311 shows `closed` as closed, `rectifying` as closed once its order is accepted (the
 * order's acceptance is when the citizen's matter is settled), everything else as open.
 */

export const complaintIdPattern = /^cmp_[0-9a-z]{26}$/;
export const ComplaintId = z.string().regex(complaintIdPattern, "a complaint id looks like 'cmp_' followed by 26 lower-case letters or digits");

export const complaintStatuses = ['routing', 'unrouted', 'routed', 'rectifying', 'closed'] as const;
export const ComplaintStatus = z.enum(complaintStatuses).meta({ id: 'ComplaintStatus' });
export type ComplaintStatus = z.infer<typeof ComplaintStatus>;

export const Contact = z
  .object({
    email: z.string().max(254).optional(),
    firstName: z.string().max(100).optional(),
    lastName: z.string().max(100).optional(),
    phone: z.string().max(40).optional(),
  })
  .meta({ id: 'ComplaintContact', description: 'kept only when the citizen gave it; never shown in Open311 answers' });
export type Contact = z.infer<typeof Contact>;

export const ComplaintRouting = z
  .object({
    segmentId: z.string(),
    distanceM: z.number().min(0).optional().describe('absent when assigned by hand'),
    contractId: z.string(),
    contractorId: z.string(),
    contractorName: z.string().optional(),
    orderId: z
      .string()
      .optional()
      .describe("rec_ + the complaint's ULID: one order per complaint; set once the order is raised (a valid verdict, or routing when the rulebook's complaint.orderAtIntake is true)"),
    dueAt: z.string().optional().describe('ISO instant the order is due; set with orderId'),
    routedAt: z.string(),
    routedBy: z.string().describe("'open311' for automatic routing, else the user who assigned it"),
  })
  .meta({ id: 'ComplaintRouting' });
export type ComplaintRouting = z.infer<typeof ComplaintRouting>;

export const Verification = z
  .object({
    valid: z.boolean(),
    reason: z.string().describe("the inspector's reason: internal, never shown to the citizen"),
    publicNote: z.string().optional().describe('what the citizen reads as status_notes (absent on verdicts recorded before issue 13)'),
    withdrewOrderId: z.string().optional().describe('the order this (invalid) verdict withdrew'),
    at: z.string(),
    by: z.string(),
  })
  .meta({ id: 'ComplaintVerification' });
export type Verification = z.infer<typeof Verification>;

export const ComplaintPoints = z
  .object({
    pointsX100: z.number().int().min(0).describe("the rulebook's complaint points (DESIGN §3), hundredths"),
    contractId: z.string(),
    contractorId: z.string(),
    termsVersion: z.number().int().positive().describe('the contract terms whose rulebook priced it'),
    localDate: z.string().describe('tenant-local date of the request: the month the statement counts it in'),
    recordedAt: z.string(),
  })
  .meta({ id: 'ComplaintPoints', description: 'set once, by the first valid verification' });
export type ComplaintPoints = z.infer<typeof ComplaintPoints>;

export const Complaint = z
  .object({
    complaintId: ComplaintId,
    tenantId: z.string(),
    serviceCode: z.string(),
    serviceName: z.string(),
    serviceType: ServiceType,
    deadlineHours: z.number().int().positive(),
    description: z.string().optional(),
    mediaUrl: z.string().optional(),
    location: z.object({ lat: z.number(), lon: z.number() }).optional(),
    addressString: z.string().optional(),
    addressId: z.string().optional(),
    contact: Contact.optional(),
    requestedAt: z.string().describe('ISO instant (UTC)'),
    status: ComplaintStatus,
    statusNotes: z.string(),
    unroutedReason: z.enum([...unroutableReasons, 'routing_failed']).optional(),
    /** The segment found when no contract holds it, to help the hand assignment. */
    candidateSegmentId: z.string().optional(),
    routing: ComplaintRouting.optional(),
    verifications: z.array(Verification),
    points: ComplaintPoints.optional(),
    closedAt: z.string().optional(),
    reopens: z.array(z.object({ at: z.string(), note: z.string().optional() })),
    /** sha-256 (hex) of the reopen token; the token itself is only in the creation answer. */
    reopenTokenSha256: z.string(),
    version: z.number().int().positive(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Complaint' });
export type Complaint = z.infer<typeof Complaint>;
