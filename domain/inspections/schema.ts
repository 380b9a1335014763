import * as z from 'zod';
import { ContractStatus } from '../contracts/schema';
import { apiInstant } from '../dates';
import { evidenceIdPattern } from '../proofs/evidence';
import { Penalty } from '../rectification/schema';
import { rectificationModes } from '../rulebooks/schema';
import { ServiceType } from '../service-types';

/**
 * Inspections (检查 / 考核, DESIGN §1, §3 "Inspections"): a quality check of one segment at
 * one time, priced with the rulebook of the contract version in force that tenant-local day.
 * Append-only: a correction is a new inspection that `supersedes` the old one with a reason;
 * the old record is never rewritten (the store marks it superseded with a guard item).
 */

export const inspectionIdPattern = /^ins_[0-9a-z]{26}$/;
export const inspectionKinds = ['patrol', 'spot_check', 'joint', 'complaint_check'] as const;
export const InspectionKind = z.enum(inspectionKinds).meta({ id: 'InspectionKind', description: 'patrol 日检查, spot_check 月抽查, joint 联查, complaint_check 诉求核查' });

const Gps = z.strictObject({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90), accuracyM: z.number().min(0).max(10_000).optional() });

export const FindingInput = z
  .strictObject({
    itemCode: z.string().trim().min(1).max(32).describe('a defect item code of the contract rulebook, e.g. CL-LITTER'),
    count: z.number().int().min(1).max(1000).describe('occurrences (处, 辆次, 人次...)'),
    note: z.string().trim().max(1000).optional(),
    evidenceIds: z
      .array(z.string().regex(evidenceIdPattern, 'not an evidence id'))
      .max(20)
      .default([])
      .describe('photos uploaded for this inspection (POST /v1/inspections/uploads); each must be ingested, valid and used by no other record'),
  })
  .meta({ id: 'InspectionFinding' });
export type FindingInput = z.infer<typeof FindingInput>;

export const sides = ['left', 'right'] as const;
export const RatingSet = z
  .strictObject({
    inspectorId: z.string().trim().min(1).max(64),
    side: z.enum(sides).describe('one side of the road: a 300 m sample each'),
    ratings: z
      .record(z.string().min(1).max(64), z.number().int().min(0).max(10))
      .refine((ratings) => Object.keys(ratings).length <= 50, 'at most 50 rated items')
      .meta({ maxProperties: 50, propertyNames: { type: 'string', minLength: 1, maxLength: 64 } } as Record<string, unknown>)
      .describe('item key → rating 0..maxItemScore, e.g. { overall: 5, surface: 4, edges: 4, gullies: 5 }'),
  })
  .meta({ id: 'InspectionRatingSet' });
export type RatingSet = z.infer<typeof RatingSet>;

export const ProtocolInput = z
  .strictObject({
    sampleScore: z
      .strictObject({ sampleLengthM: z.number().int().min(1).max(2000).default(300), ratingSets: z.array(RatingSet).min(1).max(40) })
      .optional()
      .describe('CJJ/T 126-style sensory sample'),
    dustByWeight: z
      .strictObject({ readingsMgPerM2: z.array(z.number().int().min(0).max(10_000_000)).min(1).max(20).describe('dust per m² at each sampling point, mg (10 g/m² = 10000)') })
      .optional()
      .describe('以克论净'),
  })
  .meta({ id: 'InspectionProtocolInput' });
export type ProtocolInput = z.infer<typeof ProtocolInput>;

export const precipitations = ['none', 'rain', 'snow'] as const;
export const Weather = z
  .strictObject({
    precipitation: z.enum(precipitations),
    roadDry: z.boolean(),
    windBeaufort: z.number().int().min(0).max(17),
    humidityPct: z.number().int().min(0).max(100),
  })
  .meta({ id: 'InspectionWeather', description: 'recorded at the sample; protocol results need no rain or snow, a dry road, wind below force 4, humidity ≤ 80 %' });
export type Weather = z.infer<typeof Weather>;

export const RecordInspectionInput = z
  .strictObject({
    segmentId: z.string().regex(/^seg_[0-9a-z]{10,40}$/, 'not a segment id'),
    serviceType: ServiceType.optional().describe('with the segment, finds the contract in force; required unless contractId is given'),
    contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id').optional().describe('named instead of resolved; checked to cover the segment then'),
    inspectionId: z
      .string()
      .regex(inspectionIdPattern, 'not an inspection id')
      .optional()
      .describe('the id the photo uploads allocated (POST /v1/inspections/uploads); required when findings name photos, allocated here otherwise'),
    at: apiInstant().describe('when the inspection took place'),
    kind: InspectionKind,
    gps: Gps.optional(),
    inspectorIds: z.array(z.string().trim().min(1).max(64)).max(10).default([]).describe('co-inspectors; the caller is always one'),
    findings: z.array(FindingInput).max(100).default([]),
    protocol: ProtocolInput.optional(),
    weather: Weather.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .meta({ id: 'RecordInspectionInput' });
export type RecordInspectionInput = z.input<typeof RecordInspectionInput>;
export type RecordInspectionFields = z.infer<typeof RecordInspectionInput>;

export const CorrectionInput = RecordInspectionInput.extend({
  reason: z.string().trim().min(1).max(1000).describe('why the earlier inspection is corrected'),
}).meta({ id: 'InspectionCorrectionInput' });
export type CorrectionInput = z.input<typeof CorrectionInput>;

export const lineSources = ['finding', 'dustByWeight', 'sampleScore'] as const;

/**
 * One priced line. `pointsX100` / `fineFen` are what the line costs when it is charged;
 * whether it is charged is `charge` — `final` for deduct items and items without rectify,
 * `provisional` for waive_if_rectified items, whose final charge depends on their order
 * (pricing.ts `findingCharge`).
 */
export const PricedLine = z
  .object({
    source: z.enum(lineSources),
    /** Index into `findings` for source finding. */
    findingIndex: z.number().int().min(0).optional(),
    itemCode: z.string().optional(),
    count: z.number().int().min(0),
    /** The n-th finding of this item on this segment in the local month (1 = first). */
    ordinal: z.number().int().min(1).optional(),
    factorBps: z.number().int().min(0).describe('repeat factor, 10000 = once'),
    unitPointsX100: z.number().int().min(0),
    unitFineFen: z.number().int().min(0),
    pointsX100: z.number().int().min(0),
    fineFen: z.number().int().min(0),
    mode: z.enum([...rectificationModes, 'none']).describe("the item's rectify mode, none when it raises no order"),
    charge: z.enum(['final', 'provisional']).describe('provisional: waived if its order closes in time'),
    orderId: z.string().optional(),
  })
  .meta({ id: 'InspectionPricedLine' });
export type PricedLine = z.infer<typeof PricedLine>;

export const SampleScoreResult = z
  .object({
    standard: z.string(),
    ratingSets: z.number().int(),
    scoreX100: z.number().int().describe('0–100.00 averaged over inspectors and sides'),
    pointsX100: z.number().int(),
  })
  .meta({ id: 'InspectionSampleScoreResult' });
export type SampleScoreResult = z.infer<typeof SampleScoreResult>;

export const DustResult = z
  .object({ limitMgPerM2: z.number().int(), readingsMgPerM2: z.array(z.number().int()), samplesAbove: z.number().int(), defectCode: z.string() })
  .meta({ id: 'InspectionDustResult' });
export type DustResult = z.infer<typeof DustResult>;

export const Totals = z
  .object({
    pointsX100: z.number().int().describe('every line, provisional ones included'),
    fineFen: z.number().int(),
    provisionalPointsX100: z.number().int().describe('the part that a timely rectification waives'),
    provisionalFineFen: z.number().int(),
  })
  .meta({ id: 'InspectionTotals' });
export type Totals = z.infer<typeof Totals>;

export const Inspection = z
  .object({
    inspectionId: z.string(),
    tenantId: z.string(),
    contractId: z.string(),
    contractorId: z.string(),
    serviceType: ServiceType,
    termsVersion: z.number().int().positive(),
    segmentId: z.string(),
    at: z.string().describe('ISO instant (UTC)'),
    localDate: z.string().describe('tenant-local date of `at`'),
    month: z.string().describe('tenant-local YYYY-MM of `at`'),
    kind: InspectionKind,
    gps: Gps.optional(),
    inspectorIds: z.array(z.string()),
    findings: z.array(FindingInput),
    protocol: ProtocolInput.optional(),
    weather: Weather.optional(),
    note: z.string().optional(),
    sampleScore: SampleScoreResult.optional(),
    dust: DustResult.optional(),
    lines: z.array(PricedLine),
    totals: Totals,
    orderIds: z.array(z.string()).describe('rectification orders raised by this inspection'),
    supersedes: z.object({ inspectionId: z.string(), reason: z.string() }).optional(),
    recordedAt: z.string(),
    recordedBy: z.string(),
    version: z.literal(1).describe('inspections are never rewritten'),
  })
  .meta({ id: 'Inspection', description: '检查/考核 record with priced lines' });
export type Inspection = z.infer<typeof Inspection>;

// ---------------------------------------------------------------------------------------
// Preview (issue 14): what recording would price and raise, with nothing written.

/** An order recording WOULD raise: no id (a preview allocates none), the rest as buildOrder makes it. */
export const PreviewOrder = z
  .object({
    lineIndex: z.number().int().min(0).describe('the priced line that raises it'),
    itemCode: z.string(),
    mode: z.enum(rectificationModes),
    description: z.string().describe('the order text, as recording writes it'),
    issuedAt: z.string().describe('the inspection time'),
    dueAt: z.string().describe("issuedAt plus the item's rectify hours (the rectification rule, domain/rectification/order.ts dueAtFor)"),
    latePenalty: Penalty.describe('what the order costs if it is late; 0 for waive_if_rectified items, whose un-waived deduction is the price of lateness'),
  })
  .meta({ id: 'InspectionPreviewOrder' });
export type PreviewOrder = z.infer<typeof PreviewOrder>;

export const previewWarningCodes = ['photos-not-checked', 'inspection-id-missing', 'inspection-recorded', 'contract-suspended', 'provisional', 'category-cap'] as const;

export const PreviewWarning = z
  .object({
    code: z.enum(previewWarningCodes).describe(
      'photos-not-checked: the findings name photos, which a preview does not check; inspection-id-missing: recording will refuse photos without the inspectionId of their uploads; inspection-recorded: the inspectionId is recorded already (recording answers 409); contract-suspended: the contract in force is suspended; provisional: part of the deduction is waived if the orders close in time; category-cap: a category of these lines has a monthly cap, so the score counts at most the cap',
    ),
    message: z.string(),
    zh: z.string().describe('the message in Chinese'),
  })
  .meta({ id: 'InspectionPreviewWarning' });
export type PreviewWarning = z.infer<typeof PreviewWarning>;

export const InspectionPreview = z
  .object({
    contract: z
      .object({ contractId: z.string(), contractorId: z.string(), title: z.string(), status: ContractStatus, serviceType: ServiceType, termsVersion: z.number().int().positive() })
      .describe('the contract in force for the segment that day, resolved as recording resolves it; termsVersion is the rulebook priced with'),
    segmentId: z.string(),
    at: z.string().describe('ISO instant of the inspection'),
    localDate: z.string().describe('tenant-local date of `at`'),
    month: z.string().describe('tenant-local YYYY-MM of `at`: the month whose earlier findings set the ordinals'),
    kind: InspectionKind,
    sampleScore: SampleScoreResult.optional(),
    dust: DustResult.optional(),
    lines: z.array(PricedLine).describe('priced exactly as recording prices them (same function), ordinals counting the findings already recorded on the segment this month; no orderId'),
    totals: Totals.describe('points x100 and fines in fen, as the recorded inspection would hold them'),
    orders: z.array(PreviewOrder).describe('rectification orders recording would raise, one per line whose item has rectify'),
    photos: z
      .object({
        checked: z.literal(false).describe('a preview never checks photos'),
        named: z.number().int().min(0).describe('distinct photos the findings name'),
      })
      .describe('photo checks skipped: recording checks each photo is uploaded for this inspection, processed, valid and used by no other record (422 otherwise)'),
    warnings: z.array(PreviewWarning),
  })
  .meta({ id: 'InspectionPreview', description: 'what POST /v1/inspections would record and raise; nothing was written and no id allocated' });
export type InspectionPreview = z.infer<typeof InspectionPreview>;

/** How the store reports that a later inspection corrected this one. */
export interface Supersession {
  readonly inspectionId: string;
  readonly supersededBy: string;
  readonly reason: string;
  readonly at: string;
}
