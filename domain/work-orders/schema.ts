import * as z from 'zod';
import { apiInstant } from '../dates';
import { ApiMonth } from '../assessment/months';
import { workOrderIdPattern } from '../proofs/subjects';
import { LatePenalty } from '../rulebooks/schema';

/**
 * Unit-rate work orders (工单, 定性; issue 6 "Unit-rate work orders", DESIGN §3 Statement
 * `unitRate`): an inspector or procurement orders one item of a unit-rate contract's rate card
 * for a place with an estimated quantity and a deadline; the contractor completes it with
 * photos, GPS, time and a measured quantity; an inspector accepts a quantity (which may
 * differ from the measured one, with a reason) or rejects it. An accepted order is one priced
 * line of its month's statement (./work-order.ts `workOrderLine`).
 *
 * Units: quantities in integer thousandths of the rate item's unit (`1.5 m²` = 1500), so a
 * measured 0.375 m² is exact; rates integer fen per unit, copied from the terms in force on
 * the day the order was created (a later amendment of the rate card does not reprice an
 * order already given).
 */

export const workOrderStatuses = ['open', 'completed', 'accepted', 'rejected'] as const;
export const WorkOrderStatus = z.enum(workOrderStatuses).meta({
  id: 'WorkOrderStatus',
  description: 'open → completed (contractor) → accepted | rejected (inspector)',
});
export type WorkOrderStatus = z.infer<typeof WorkOrderStatus>;

export const WorkOrderId = z.string().regex(workOrderIdPattern, "a work order id looks like 'wo_' followed by 26 lower-case letters or digits");

/** Thousandths of a unit; a work order of more than a million units is a typo, not an order. */
const QuantityMilli = z
  .number()
  .int('quantities are integer thousandths of the unit (1.5 m² = 1500)')
  .positive('a quantity must be positive')
  .max(1_000_000_000, 'a quantity may not exceed 1 000 000 units (1000000000 thousandths)');

const Point = z.strictObject({
  lon: z.number().min(73).max(136).describe('WGS84 longitude'),
  lat: z.number().min(3).max(54).describe('WGS84 latitude'),
});

const text = (max: number): z.ZodString => z.string().trim().min(1).max(max);
const Instant = apiInstant('an instant is ISO 8601 with a zone offset, e.g. 2026-03-01T18:00:00+08:00');

export const WorkOrderLocation = z
  .strictObject({
    segmentId: z.string().regex(/^seg_[0-9a-z]{10,40}$/, "a segment id looks like 'seg_' followed by 10–40 lower-case letters or digits"),
    point: Point.optional().describe('the exact place on the segment, when known (a manhole, a pothole)'),
  })
  .meta({ id: 'WorkOrderLocation' });
export type WorkOrderLocation = z.infer<typeof WorkOrderLocation>;

export const CreateWorkOrderInput = z
  .strictObject({
    rateItemCode: text(32).describe("an item code of the contract's rate card in force today, e.g. M-01"),
    estimatedQuantityMilli: QuantityMilli.describe('estimated quantity, thousandths of the unit'),
    location: WorkOrderLocation,
    description: text(2_000).describe('e.g. 长江路 12 号门前井盖破损,需更换'),
    deadline: Instant.describe('when the work must be completed'),
  })
  .meta({ id: 'CreateWorkOrder' });
export type CreateWorkOrderInput = z.infer<typeof CreateWorkOrderInput>;

export const CompleteWorkOrderInput = z
  .strictObject({
    evidenceIds: z.array(z.string().min(1).max(64)).min(1, 'a completion needs at least one photo').max(20),
    capturedAt: Instant.describe('when the crew photographed the finished work, as the phone reports it'),
    gps: Point.extend({ accuracyM: z.number().min(0).max(10_000).describe('the fix radius the phone reports, metres') }),
    measuredQuantityMilli: QuantityMilli.describe('quantity the crew measured, thousandths of the unit'),
    note: text(2_000).optional(),
  })
  .meta({ id: 'CompleteWorkOrder' });
export type CompleteWorkOrderInput = z.infer<typeof CompleteWorkOrderInput>;

export const AcceptWorkOrderInput = z
  .strictObject({
    acceptedQuantityMilli: QuantityMilli.describe('the quantity the inspector accepts for payment'),
    reason: text(500).optional().describe('required when the accepted quantity differs from the measured one'),
  })
  .meta({ id: 'AcceptWorkOrder' });
export type AcceptWorkOrderInput = z.infer<typeof AcceptWorkOrderInput>;

export const RejectWorkOrderInput = z
  .strictObject({ reason: text(500).describe('why the work is not accepted, e.g. 井盖规格不符') })
  .meta({ id: 'RejectWorkOrder' });
export type RejectWorkOrderInput = z.infer<typeof RejectWorkOrderInput>;

export const MonthString = ApiMonth;

export const WorkOrderFilter = z
  .object({
    status: WorkOrderStatus.optional(),
    month: MonthString.optional().describe("the month the order counts in: an accepted order's acceptance month (its priced line), otherwise its creation month"),
  })
  .meta({ id: 'WorkOrderFilter' });
export type WorkOrderFilter = z.infer<typeof WorkOrderFilter>;

export const WorkOrderCompletion = z
  .object({
    evidenceIds: z.array(z.string()),
    photoHashes: z.array(z.string()).describe('distinct sha-256 of the photos, claimed for this order'),
    capturedAt: z.string(),
    gps: z.object({ lon: z.number(), lat: z.number(), accuracyM: z.number() }),
    measuredQuantityMilli: z.number().int(),
    note: z.string().optional(),
    completedAt: z.string().describe('server instant of the completion; lateness is judged on it'),
    completedBy: z.string(),
    late: z.boolean().describe('completedAt after the deadline'),
  })
  .meta({ id: 'WorkOrderCompletion' });
export type WorkOrderCompletion = z.infer<typeof WorkOrderCompletion>;

export const WorkOrderDecision = z
  .discriminatedUnion('outcome', [
    z.object({
      outcome: z.literal('accepted'),
      acceptedQuantityMilli: z.number().int(),
      reason: z.string().optional(),
      at: z.string(),
      by: z.string(),
      month: MonthString.describe('tenant-local month of the acceptance: the statement month of the priced line'),
    }),
    z.object({ outcome: z.literal('rejected'), reason: z.string(), at: z.string(), by: z.string() }),
  ])
  .meta({ id: 'WorkOrderDecision' });
export type WorkOrderDecision = z.infer<typeof WorkOrderDecision>;

export const WorkOrder = z
  .object({
    tenantId: z.string(),
    workOrderId: z.string(),
    contractId: z.string(),
    contractorId: z.string(),
    rateItemCode: z.string(),
    rateItemNameZh: z.string(),
    unit: z.string(),
    unitFen: z.number().int().describe('rate per unit in fen, from the terms in force on the creation date'),
    termsVersion: z.number().int().describe('the terms version the rate was copied from'),
    latePenalty: LatePenalty.describe("the rulebook's late penalty of the same terms (what a late completion costs)"),
    estimatedQuantityMilli: z.number().int(),
    location: WorkOrderLocation,
    description: z.string(),
    deadline: z.string(),
    status: WorkOrderStatus,
    /** The month the order counts in (see WorkOrderFilter.month); the list filter reads it. */
    month: MonthString,
    completion: WorkOrderCompletion.optional(),
    decision: WorkOrderDecision.optional(),
    version: z.number().int().positive(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'WorkOrder', description: '工单: one rate-card item ordered on a unit-rate contract' });
export type WorkOrder = z.infer<typeof WorkOrder>;
