import * as z from 'zod';
import { rectificationModes } from '../rulebooks/schema';
import { ServiceType } from '../service-types';

/**
 * Rectification orders (整改通知书, DESIGN §1, §3 "Inspections", "Rectification modes"): a
 * defect the contractor must fix by a deadline. Raised by an inspection finding whose rulebook
 * item has `rectify`, or by a routed citizen complaint (which brings its own service deadline
 * and may name no rulebook item).
 *
 * Lifecycle:
 * - `open` → (contractor answers with a proof) `answered` → (inspector) `closed`, or
 *   `reopened` with a reason. `reopened` behaves exactly like `open` (it may be answered; it
 *   is swept when overdue); it is a separate value only so lists show a second round.
 * - `withdrawn`: an order raised by a citizen complaint that an inspector then found invalid
 *   (domain/complaints). Final; it owes nothing and costs nothing, a late mark it may carry
 *   included (domain/payments/month-facts.ts leaves it out). Open, reopened and answered
 *   orders can be withdrawn; an accepted (closed) one stays closed.
 * - The due time never moves: reopening does not grant a new period.
 * - Late (DESIGN §3 "A late order adds the rulebook's late penalty"), decided in ./order.ts
 *   `isSettledInTime`: an order is in time when the answer that is finally accepted was
 *   submitted at or before `dueAt`. An answer in time that is accepted after `dueAt` is in
 *   time (the inspector's review speed is not the contractor's fault); an answer in time that
 *   is reopened no longer counts. `late` is set once, by whichever comes first after dueAt:
 *   the overdue sweep (order still open/reopened), an answer submitted after dueAt, or a
 *   reopening after dueAt. Its penalty is fixed when the order is raised (`latePenalty`) from
 *   the rulebook in force at the finding, so a later rulebook amendment cannot reprice it.
 */

export const rectificationOrderIdPattern = /^rec_[0-9a-z]{26}$/;
export const RectificationOrderId = z
  .string()
  .regex(rectificationOrderIdPattern, "a rectification order id looks like 'rec_' followed by 26 lower-case letters or digits");

export const rectificationStatuses = ['open', 'answered', 'closed', 'reopened', 'withdrawn'] as const;
export const RectificationStatus = z.enum(rectificationStatuses).meta({ id: 'RectificationStatus' });
export type RectificationStatus = z.infer<typeof RectificationStatus>;

/** Statuses in which the contractor still owes a fix (the sweep's concern). */
export const owingStatuses: readonly RectificationStatus[] = ['open', 'reopened'];

export const Penalty = z
  .object({
    pointsX100: z.number().int().min(0),
    fineFen: z.number().int().min(0),
  })
  .meta({ id: 'RectificationPenalty', description: 'points in hundredths and a fine in fen' });
export type Penalty = z.infer<typeof Penalty>;

export const RectificationOrigin = z
  .discriminatedUnion('kind', [
    z.object({
      kind: z.literal('inspection'),
      inspectionId: z.string(),
      /** Index of the priced line in the inspection's `lines` (a finding, or a dust sample line). */
      lineIndex: z.number().int().min(0),
      itemCode: z.string(),
    }),
    z.object({ kind: z.literal('complaint'), complaintId: z.string() }),
  ])
  .meta({ id: 'RectificationOrigin', description: 'an inspection finding, or a routed citizen complaint' });
export type RectificationOrigin = z.infer<typeof RectificationOrigin>;

export const GpsPoint = z
  .strictObject({
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    accuracyM: z.number().min(0).max(10_000).optional(),
  })
  .meta({ id: 'RectificationGps' });
export type GpsPoint = z.infer<typeof GpsPoint>;

export const RectificationAnswer = z
  .object({
    evidenceIds: z.array(z.string()).describe('photos uploaded for this order (subject kind rectification)'),
    proofId: z.string().optional(),
    gps: GpsPoint.optional(),
    capturedAt: z.string().optional().describe('when the fix was photographed, ISO instant'),
    at: z.string().describe('instant the answer was recorded'),
    by: z.string(),
    note: z.string().optional(),
  })
  .meta({ id: 'RectificationAnswer' });
export type RectificationAnswer = z.infer<typeof RectificationAnswer>;

export const RectificationReview = z
  .object({
    decision: z.enum(['accepted', 'reopened']),
    at: z.string(),
    by: z.string(),
    reason: z.string().optional().describe('required when reopened'),
  })
  .meta({ id: 'RectificationReview' });
export type RectificationReview = z.infer<typeof RectificationReview>;

export const Withdrawal = z
  .object({
    at: z.string(),
    by: z.string().describe('the inspector whose verdict found the complaint invalid'),
    reason: z.string(),
  })
  .meta({ id: 'RectificationWithdrawal', description: "a complaint's order withdrawn without penalty" });
export type Withdrawal = z.infer<typeof Withdrawal>;

export const LateMark = z
  .object({
    markedAt: z.string(),
    by: z.string().describe("'system' for the overdue sweep, else the user whose action found it late"),
    penalty: Penalty,
  })
  .meta({ id: 'RectificationLate' });
export type LateMark = z.infer<typeof LateMark>;

export const RectificationOrder = z
  .object({
    orderId: RectificationOrderId,
    tenantId: z.string(),
    contractId: z.string(),
    contractorId: z.string(),
    segmentId: z.string(),
    serviceType: ServiceType,
    origin: RectificationOrigin,
    itemCode: z.string().optional().describe('the rulebook item, when there is one (always for inspections)'),
    mode: z.enum(rectificationModes).optional().describe("the item's rectify mode; absent for a complaint without an item (treated as deduct)"),
    description: z.string(),
    /** The contract terms version whose rulebook priced this order. */
    termsVersion: z.number().int().positive(),
    latePenalty: Penalty.describe('what marking this order late costs, fixed when raised; 0 for waive_if_rectified items, whose un-waived deduction is the price of lateness'),
    issuedAt: z.string().describe('ISO instant (the finding time for inspections)'),
    issuedBy: z.string(),
    dueAt: z.string().describe('ISO instant; never moves'),
    status: RectificationStatus,
    answers: z.array(RectificationAnswer),
    reviews: z.array(RectificationReview),
    closedAt: z.string().optional(),
    late: LateMark.optional(),
    withdrawal: Withdrawal.optional().describe('set when the order was withdrawn (status withdrawn)'),
    version: z.number().int().positive(),
    updatedAt: z.string(),
  })
  .meta({ id: 'RectificationOrder', description: '整改通知书' });
export type RectificationOrder = z.infer<typeof RectificationOrder>;

/** What raiseOrder needs; the contract's rulebook supplies the rest. */
export const RaiseOrderInput = z.object({
  tenantId: z.string().min(1),
  contractId: z.string().min(1),
  segmentId: z.string().min(1),
  origin: RectificationOrigin,
  /** A rulebook item of the contract; inspections always name one, complaints may. */
  itemCode: z.string().optional(),
  description: z.string().trim().min(1).max(4000),
  /** Defaults to the clock's now. */
  issuedAt: z.iso.datetime({ offset: true }).optional(),
  /**
   * Complaints: required (the service's deadline). Inspections: refused — computed from the
   * item's `rectify.hours` so a deadline always follows the rulebook.
   */
  dueAt: z.iso.datetime({ offset: true }).optional(),
  /** User id, or 'system' / 'open311' for automatic routing. */
  by: z.string().min(1),
});
export type RaiseOrderInput = z.input<typeof RaiseOrderInput>;
