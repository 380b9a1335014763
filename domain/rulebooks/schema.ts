import * as z from 'zod';
import { maxRequestVersion } from '../money';
import { RoadGrade, SegmentFlag } from '../segments/schema';
import { ServiceType } from '../service-types';
import { validateRulebook } from './validate';

/**
 * The rulebook (考核办法) as data: what each defect costs, how a month's score becomes a
 * payment coefficient, caps, retention, list thresholds and the spot-check plan (DESIGN §3).
 * Units: points in integer hundredths (`pointsX100`: 2 points = 200), money in integer fen,
 * ratios in basis points (10000 = 100 %). Shape lives here; the cross-field rules (bands
 * cover 0–100, unique codes...) live in validate.ts and are attached with a superRefine so
 * the HTTP layer answers 400 naming each failing field.
 */

/** Points in hundredths, one occurrence or one cap: 0 to 100.00. */
const PointsX100 = z.number().int('points are integer hundredths (2 points = 200)').min(0, 'points may not be negative').max(10_000, 'points may not exceed 100.00 (10000)');
/** A fine per occurrence in fen; 10 万元 per occurrence is far above any published table. */
const FineFen = z.number().int('money is integer fen').min(0, 'a fine may not be negative').max(10_000_000, 'a fine per occurrence may not exceed 100 000.00 元 (10000000 fen)');
/** A score threshold in hundredths, 0.00–100.00. */
const ScoreX100 = z.number().int('scores are integer hundredths (80 = 8000)').min(0, 'a score runs from 0.00 (0)').max(10_000, 'a score runs to 100.00 (10000)');

/** Item codes as printed on inspection sheets: upper case, digits, dashes (e.g. `CL-LITTER`). */
export const DefectCode = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9-]{1,31}$/, 'a code is 2–32 characters: upper-case letters, digits and dashes, starting with a letter (e.g. CL-LITTER)');

/** Lower-case slug for categories and activities (`road_cleanliness`, `patrol_clean`). */
const Slug = z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, 'a slug is 2–40 characters: lower-case letters, digits and underscores, starting with a letter');

/**
 * Score categories with their own caps (DESIGN §3 Score). Defect items use any category
 * slug; these three are reserved for the other score components.
 */
export const reservedCapCategories = ['complaints', 'missed_tasks', 'late'] as const;

/** The categories the shipped templates use; a tenant's rulebook may add its own. */
export const commonDefectCategories = ['road_cleanliness', 'facilities', 'greening', 'operations', 'safety', 'events'] as const;

export const rectificationModes = ['deduct', 'waive_if_rectified'] as const;

export const Rectify = z
  .strictObject({
    hours: z.number().int('hours are whole hours').min(1, 'a rectification period is at least 1 hour').max(744, 'a rectification period is at most 744 hours (31 days)'),
    mode: z.enum(rectificationModes).describe(
      'deduct: the finding costs at once and a late fix adds the late penalty (Chinese practice); waive_if_rectified: no deduction if fixed in time, else counted from the finding (PFI, SoPC4 §8.7)',
    ),
  })
  .meta({ id: 'RulebookRectify', description: 'the item raises a rectification order (整改通知书) due in `hours`' });
export type Rectify = z.infer<typeof Rectify>;

export const Escalation = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('linear') }).describe('the n-th finding of the item on the same segment in a month costs n times'),
    z
      .strictObject({
        kind: z.literal('multiplier'),
        multiplierBps: z.number().int().min(0).max(50_000, 'a repeat multiplier above 50000 (5x) is not a deduction any published table uses'),
      })
      .describe('the 2nd and later findings of the item on the same segment in a month cost multiplierBps / 10000 times'),
  ])
  .meta({ id: 'RulebookEscalation', description: 'repeats cost more (SoPC4 §7.2: deductions increase for persistent failures)' });
export type Escalation = z.infer<typeof Escalation>;

export const DefectItem = z
  .strictObject({
    code: DefectCode,
    category: Slug.describe("e.g. road_cleanliness, facilities, greening, operations, safety; not 'complaints', 'missed_tasks' or 'late'"),
    descriptionZh: z.string().trim().min(1).max(300).describe('as printed on the inspection sheet, e.g. 路面有果皮、纸屑、烟头等可见垃圾'),
    descriptionEn: z.string().trim().min(1).max(300).optional(),
    unitZh: z.string().trim().min(1).max(20).optional().describe('what one occurrence is: 处, 辆次, 人次, 株, m², 个百分点'),
    pointsX100: PointsX100.describe('points per occurrence, hundredths'),
    fineFen: FineFen.describe('fine per occurrence, fen'),
    rectify: Rectify.optional(),
    escalation: Escalation.optional(),
  })
  .meta({ id: 'RulebookDefectItem' });
export type DefectItem = z.infer<typeof DefectItem>;

export const MissedTaskPrice = z
  .strictObject({ pointsX100: PointsX100, fineFen: FineFen })
  .meta({ id: 'RulebookMissedTaskPrice' });
export type MissedTaskPrice = z.infer<typeof MissedTaskPrice>;

export const MissedTaskPricing = z
  .strictObject({
    defaultPrice: MissedTaskPrice.describe('for activities not listed'),
    byActivity: z
      .array(MissedTaskPrice.extend({ activity: Slug.describe('sweep, patrol_clean, wash, water, prune, irrigate, pest, facility_patrol...') }))
      .max(50)
      .default([]),
  })
  .meta({ id: 'RulebookMissedTasks', description: 'DESIGN §3 Missed tasks: the price of one missed task per activity' });
export type MissedTaskPricing = z.infer<typeof MissedTaskPricing>;

export const LatePenalty = z
  .strictObject({
    sameAsDefect: z.boolean().describe('true (DESIGN default): a late order costs the defect item again'),
    pointsX100: PointsX100.optional(),
    fineFen: FineFen.optional(),
  })
  .meta({ id: 'RulebookLatePenalty', description: 'added when a rectification order is fixed late or not at all' });
export type LatePenalty = z.infer<typeof LatePenalty>;

export const ComplaintRule = z
  .strictObject({
    pointsX100: PointsX100.describe('per complaint verified as valid'),
    orderAtIntake: z
      .boolean()
      .optional()
      .describe(
        "true: a citizen complaint routed to the contract raises its rectification order at once, before an inspector verifies it (an invalid verdict then withdraws the order without penalty). Absent or false (the default): only an inspector's valid verdict raises the order",
      ),
  })
  .meta({ id: 'RulebookComplaint' });
export type ComplaintRule = z.infer<typeof ComplaintRule>;

export const CategoryCap = z
  .strictObject({
    category: Slug.describe("a defect category, or 'complaints', 'missed_tasks', 'late'"),
    capX100: z.number().int().min(1, 'a cap must be positive (omit the cap for none)').max(10_000),
  })
  .meta({ id: 'RulebookCategoryCap', description: 'most points a category may take from one contract-month (Suqian: social supervision at most 10)' });
export type CategoryCap = z.infer<typeof CategoryCap>;

export const ScoreBand = z
  .strictObject({
    minScoreX100: ScoreX100.describe('the band applies to scores ≥ this'),
    coefficientBps: z
      .number()
      .int()
      .min(0)
      .max(15_000, 'a coefficient above 15000 (a 50 % reward) is not a quality coefficient'),
  })
  .meta({ id: 'RulebookScoreBand', description: 'score ≥ min → payment coefficient; above 10000 is a reward' });
export type ScoreBand = z.infer<typeof ScoreBand>;

export const Listing = z
  .strictObject({
    redAtOrAboveX100: ScoreX100.optional().describe('红榜: monthly score at or above'),
    blackBelowX100: ScoreX100.optional().describe('黑榜: monthly score below'),
    blackAfterConsecutiveMonths: z.number().int().min(1).max(24).optional().describe('black-listed only after this many consecutive months below'),
    terminationReview: z
      .strictObject({
        belowX100: ScoreX100,
        consecutiveQuarters: z.number().int().min(1).max(12),
      })
      .optional()
      .describe('quarters with a mean below the threshold that open termination (Haikou: 5 quarters < 75)'),
  })
  .meta({ id: 'RulebookListing' });
export type Listing = z.infer<typeof Listing>;

/** A rate target in basis points (9500 = 95.00 %). */
const TargetBps = z.number().int('a target is integer basis points (95 % = 9500)').min(1, 'a target is at least 1 basis point (0.01 %): omit it for none').max(10_000, 'a target is at most 10000 basis points (100 %)');

/**
 * The rates a contract-month is held to (issue 15: the supervisor's plots draw each KPI of
 * assess.ts against its line). A target is met at or above it; a missing target draws no line.
 * Shown, never priced: the score and the statement do not read these.
 */
export const KpiTargets = z
  .strictObject({
    taskCompletionBps: TargetBps.optional().describe('tasks done / tasks due (作业完成率) at or above'),
    onTimeRectificationBps: TargetBps.optional().describe('orders fixed on time / orders due (限时整改率) at or above'),
    complaintResolutionBps: TargetBps.optional().describe('complaints resolved / complaints received (诉求办结率, read for 群众满意率) at or above'),
  })
  .meta({ id: 'RulebookKpiTargets', description: 'KPI targets in basis points; shown beside the month\'s rates, not priced' });
export type KpiTargets = z.infer<typeof KpiTargets>;

export const SpotCheckQuota = z
  .strictObject({
    flag: SegmentFlag.nullable().describe('strict 严禁路, controlled 严控路, or null for any'),
    grade: RoadGrade.optional(),
    count: z.number().int().min(1).max(100),
  })
  .meta({ id: 'RulebookSpotCheckQuota', description: 'draw `count` segments with this flag (and grade) each month' });
export type SpotCheckQuota = z.infer<typeof SpotCheckQuota>;

export const SampleScoreBand = z
  .strictObject({ minScoreX100: ScoreX100, pointsX100: PointsX100.describe('points deducted for a sample scoring ≥ min') })
  .meta({ id: 'RulebookSampleScoreBand' });
export type SampleScoreBand = z.infer<typeof SampleScoreBand>;

/**
 * A CJJ/T 126-style sensory sample: each inspector rates each item 0..maxItemScore on one
 * side of a 300 m sample; sample score = Σ weight x rating (must reach 100 at the maximum),
 * averaged over inspectors and sides; the bands turn it into points deducted.
 */
export const SampleScoreProtocol = z
  .strictObject({
    standard: z.string().trim().min(1).max(60).describe('e.g. CJJ/T 126-2022'),
    maxItemScore: z.number().int().min(1).max(10),
    items: z
      .array(
        z.strictObject({
          key: Slug,
          nameZh: z.string().trim().min(1).max(60),
          weight: z.number().int().min(1).max(100),
        }),
      )
      .min(1)
      .max(20),
    deductions: z.array(SampleScoreBand).min(1).max(20),
  })
  .meta({ id: 'RulebookSampleScoreProtocol' });
export type SampleScoreProtocol = z.infer<typeof SampleScoreProtocol>;

/**
 * 以克论净 (dust by weight): dust swept from a frame is weighed; each sample above the limit
 * counts as one occurrence of `defectCode`, so its price lives with the other items.
 */
export const DustByWeightProtocol = z
  .strictObject({
    samplesPerSegment: z.number().int().min(1).max(20),
    frameM2: z.number().int().min(1).max(10).describe('sampling frame, m² (Zhengzhou: 1)'),
    limitMgPerM2: z.number().int().min(1).max(1_000_000).describe('milligrams per m²; 10 g/m² = 10000'),
    defectCode: DefectCode.describe('the defect item one sample above the limit counts as'),
  })
  .meta({ id: 'RulebookDustByWeightProtocol' });
export type DustByWeightProtocol = z.infer<typeof DustByWeightProtocol>;

export const Protocols = z
  .strictObject({
    sampleScore: SampleScoreProtocol.optional(),
    dustByWeight: DustByWeightProtocol.optional(),
  })
  .meta({ id: 'RulebookProtocols', description: 'how measured inspections turn into points' });
export type Protocols = z.infer<typeof Protocols>;

export const RulebookBasis = z
  .strictObject({ templateId: z.string().min(1).max(64), templateVersion: z.number().int().positive().max(maxRequestVersion) })
  .meta({ id: 'RulebookBasis', description: 'the template (and its version) this rulebook was copied from' });
export type RulebookBasis = z.infer<typeof RulebookBasis>;

/** The shape without cross-field rules; validate.ts checks those on this type. */
export const RulebookFields = z.strictObject({
  name: z.string().trim().min(1).max(200).describe('e.g. 环卫保洁作业考核办法'),
  serviceType: ServiceType,
  version: z.number().int().positive().max(maxRequestVersion).describe("the issuer's edition of this scheme"),
  basedOn: RulebookBasis.optional(),
  defectItems: z.array(DefectItem).min(1, 'a rulebook needs at least one defect item').max(500),
  missedTasks: MissedTaskPricing,
  latePenalty: LatePenalty,
  complaint: ComplaintRule,
  categoryCaps: z.array(CategoryCap).max(50).default([]),
  scoreBands: z.array(ScoreBand).min(1, 'a rulebook needs score bands, at least one at ≥ 0.00').max(20),
  bonusCapBps: z.number().int().min(1).max(10_000).optional().describe('largest reward, basis points of base; required when a band pays above 10000'),
  deductionCapBps: z.number().int().min(1, 'the deduction cap must be positive (10000 = no cap below the whole base)').max(10_000).describe('quality deduction + fines ≤ this share of base'),
  retentionBps: z.number().int().min(0).max(3_000, 'a retention above 3000 (30 %) is no longer a retention; our ceiling'),
  listing: Listing.default({}),
  spotCheckPlan: z.array(SpotCheckQuota).max(20).default([]),
  protocols: Protocols.default({}),
  kpiTargets: KpiTargets.optional().describe('absent on rulebooks written before issue 15: no target lines'),
});
export type RulebookFields = z.infer<typeof RulebookFields>;

/**
 * The most a rulebook may take as JSON (UTF-8), 256 KiB. A contract stores each distinct
 * rulebook of its terms as one DynamoDB item of its own (contract-store.ts), and an item holds
 * at most 400 KB; this budget leaves room for the item's keys and DynamoDB's own encoding with a
 * wide margin, and is about twenty times the largest shipped template (cleaning-standard, ~12
 * KB). Without it the schema's counts alone allowed ~700 KB (500 items with 300-character
 * Chinese descriptions), which no item can hold.
 */
export const maxRulebookBytes = 256 * 1024;

const utf8 = new TextEncoder();

/** The rulebook's size as stored: its JSON in UTF-8 bytes. */
export function rulebookBytes(rulebook: unknown): number {
  return utf8.encode(JSON.stringify(rulebook)).length;
}

/**
 * A rulebook with every cross-field rule checked. Each issue of `validateRulebook` becomes a
 * zod issue at its path, so a nested rulebook (e.g. `body.rulebook`) is named in full.
 */
export const Rulebook = RulebookFields.superRefine((rulebook, ctx) => {
  const bytes = rulebookBytes(rulebook);
  if (bytes > maxRulebookBytes) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `the rulebook takes ${bytes} bytes as JSON; at most ${maxRulebookBytes} (256 KiB) fit the record that stores it: shorten descriptions or split the scheme`,
    });
  }
  for (const issue of validateRulebook(rulebook)) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: pathSegments(issue.path) });
  }
}).meta({
  id: 'Rulebook',
  description: `考核办法 as data (DESIGN §3); at most ${maxRulebookBytes} bytes (256 KiB) as JSON in UTF-8, the budget of the item that stores it`,
});
export type Rulebook = z.infer<typeof Rulebook>;
export type RulebookInput = z.input<typeof Rulebook>;

function pathSegments(path: string): (string | number)[] {
  if (path === '') return [];
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
