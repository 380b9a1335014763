import * as z from 'zod';
import { ContractOrigin, ContractPricing, StandardRef, type CreateContractFields } from '../contracts/schema';
import { CalendarDate, apiInstant } from '../dates';
import { maxRequestFen } from '../money';
import { Rulebook } from '../rulebooks/schema';
import { ServiceType } from '../service-types';

/**
 * Tenders (招标), lots (标段) and bids (投标). Money is integer fen; scores are integer
 * hundredths of a point (`…X100`); quantities integer thousandths (`…X1000`).
 *
 * Per-m² prices are integer thousandths of a fen per m² per year (`…MilliFenPerM2Year`), the
 * contracts module's unit (domain/contracts/schema.ts), so an award passes the rate on as is.
 * Both published quote styles are exact in it: per year to the fen (Boluo: 6.29 元/m²·年 =
 * 629 000) and per month to 0.0001 元 (0.8450 元/m²·月 = 84.50 fen x 12 x 1000 = 1 014 000);
 * whole fen per m² per month could hold neither.
 */

/**
 * Smallest price weight of a weighted evaluation: 财政部令第87号《政府采购货物和服务招标投标管理办法》
 * (综合评分法) puts the price share of a services tender at no less than 10 % of the total.
 */
export const minimumPriceWeight = 10;

const weight = z.number().int().min(0).max(100);

export const EvaluationMethod = z
  .discriminatedUnion('method', [
    z.strictObject({ method: z.literal('lowest_price').describe('最低评标价法: the lowest valid compared price ranks first') }),
    z.strictObject({
      method: z.literal('weighted').describe('综合评分法: price, technical and (optionally) credit points, weights summing to 100'),
      priceWeight: weight.min(minimumPriceWeight, `the price weight of a services tender is at least ${minimumPriceWeight} (财政部令第87号, 综合评分法)`),
      technicalWeight: weight,
      creditWeight: weight.default(0).describe('past performance in this tenant (see the credit formula); 0 leaves it out'),
    }),
  ])
  .superRefine((evaluation, context) => {
    if (evaluation.method !== 'weighted') return;
    const sum = evaluation.priceWeight + evaluation.technicalWeight + evaluation.creditWeight;
    if (sum !== 100) {
      context.addIssue({ code: 'custom', path: ['priceWeight'], message: `price, technical and credit weights must sum to 100, they sum to ${sum}` });
    }
  })
  .meta({ id: 'EvaluationMethod' });
export type EvaluationMethod = z.infer<typeof EvaluationMethod>;

/** Units of rate-card items: DESIGN §1 plus 株 (trees, priced per tree in greening rate cards). */
export const rateCardUnits = ['个', 'm²', 'm', '处', 'm³', 't', '次', '株'] as const;
export const RateCardUnit = z.enum(rateCardUnits).meta({ id: 'RateCardUnit' });
export type RateCardUnit = z.infer<typeof RateCardUnit>;

const positiveFen = z.number().int().positive().max(maxRequestFen, `at most ${maxRequestFen} fen`);
const itemCode = z.string().trim().min(1).max(32);

export const RateCardItem = z
  .strictObject({
    code: itemCode.describe('unique within the lot, e.g. M-01'),
    nameZh: z.string().trim().min(1).max(100).describe('e.g. 更换破损井盖'),
    unit: RateCardUnit,
    ceilingUnitFen: positiveFen.describe('控制价 per unit, fen'),
    estimatedQuantityX1000: z.number().int().min(0).max(1_000_000_000_000).describe('estimated quantity over a month, in thousandths of the unit; the bids are compared at it'),
  })
  .meta({ id: 'RateCardItem' });
export type RateCardItem = z.infer<typeof RateCardItem>;

export const LotPricing = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('lump_sum'), ceilingMonthlyFen: positiveFen.describe('控制价: monthly fee, fen') }),
    z.strictObject({
      kind: z.literal('lump_sum_per_m2'),
      ceilingMilliFenPerM2Year: positiveFen.describe('控制价: thousandths of a fen per m² per year (6.29 元/m²·年 = 629000; 0.8450 元/m²·月 = 1014000)'),
    }),
    z.strictObject({
      kind: z.literal('unit_rate'),
      items: z
        .array(RateCardItem)
        .min(1)
        .max(500)
        .superRefine((items, context) => {
          const seen = new Map<string, number>();
          items.forEach((item, index) => {
            const first = seen.get(item.code);
            if (first !== undefined) context.addIssue({ code: 'custom', path: [index, 'code'], message: `item code '${item.code}' is already used by item ${first}` });
            else seen.set(item.code, index);
          });
        }),
    }),
  ])
  .meta({ id: 'LotPricing', description: 'lump sum (定量) per month or per m² per month, or a unit-rate card (定性)' });
export type LotPricing = z.infer<typeof LotPricing>;
export type PricingKind = LotPricing['kind'];

const segmentIds = z.array(z.string().trim().min(1).max(64)).min(1).max(2_000);

export const CreateLotInput = z
  .strictObject({
    name: z.string().trim().min(1).max(100).describe('e.g. 第一标段 鼓楼片区'),
    serviceType: ServiceType.optional().describe('defaults to the tender\'s'),
    segmentIds: segmentIds.describe('the scope: segments in the tenant\'s registry, each in at most one lot of the tender'),
    pricing: LotPricing,
  })
  .meta({ id: 'CreateLot' });
export type CreateLotInput = z.infer<typeof CreateLotInput>;

const instant = apiInstant('an ISO 8601 instant with offset is expected, e.g. 2025-03-01T09:30:00+08:00');

export const CreateTenderInput = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    serviceType: ServiceType,
    evaluation: EvaluationMethod,
    closesAt: instant.describe('投标截止时间: bids submitted at or after it are late'),
    lots: z.array(CreateLotInput).min(1).max(50),
  })
  .meta({ id: 'CreateTender' });
export type CreateTenderInput = z.input<typeof CreateTenderInput>;

export const tenderStatuses = ['open', 'closed', 'evaluated', 'awarded', 'failed'] as const;
export const TenderStatus = z.enum(tenderStatuses).meta({
  id: 'TenderStatus',
  description: 'open (bids are recorded); closed (开标: no more bids); evaluated (every lot); awarded (every lot awarded or failed); failed (流标: no lot had a valid bid)',
});
export type TenderStatus = z.infer<typeof TenderStatus>;

export const lotStatuses = ['open', 'evaluated', 'failed', 'awarded'] as const;
export type LotStatus = (typeof lotStatuses)[number];

// ---------------------------------------------------------------------------------------------
// Bids

export const BidPrice = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('lump_sum'), monthlyFen: positiveFen }),
    z.strictObject({ kind: z.literal('lump_sum_per_m2'), milliFenPerM2Year: positiveFen.describe('thousandths of a fen per m² per year') }),
    z.strictObject({
      kind: z.literal('unit_rate'),
      items: z.array(z.strictObject({ code: itemCode, unitFen: positiveFen })).min(1).max(500),
    }),
  ])
  .meta({ id: 'BidPrice', description: 'the same kind as the lot\'s pricing' });
export type BidPrice = z.infer<typeof BidPrice>;

export const RecordBidInput = z
  .strictObject({
    lotId: z.string().min(1).max(64),
    contractorId: z.string().min(1).max(64),
    submittedAt: instant.describe('when the bid reached the tenderer (递交时间)'),
    price: BidPrice,
    technicalScoreX100: z.number().int().min(0).max(10_000).optional().describe('技术分 0–100 in hundredths (8850 = 88.50), as the panel scored it; required by weighted tenders'),
  })
  .meta({ id: 'RecordBid' });
export type RecordBidInput = z.infer<typeof RecordBidInput>;

export const bidProblemCodes = [
  'late',
  'over_ceiling',
  'contractor_unknown',
  'contractor_suspended',
  'contractor_blacklisted',
  'unknown_item',
  'missing_item',
  'duplicate_item',
  'price_kind_mismatch',
  'superseded',
] as const;
export const BidProblem = z
  .object({
    code: z.enum(bidProblemCodes),
    message: z.string(),
    itemCode: z.string().optional(),
  })
  .meta({ id: 'BidProblem', description: 'why a bid is invalid; every reason is listed' });
export type BidProblem = z.infer<typeof BidProblem>;

export const BidCheck = z
  .object({ valid: z.boolean(), problems: z.array(BidProblem) })
  .meta({ id: 'BidCheck', description: 'the bid\'s own checks when it was recorded; the evaluation checks again (a contractor may be suspended meanwhile, a later bid may supersede this one)' });
export type BidCheck = z.infer<typeof BidCheck>;

export const Bid = z
  .object({
    bidId: z.string(),
    tenantId: z.string(),
    tenderId: z.string(),
    lotId: z.string(),
    contractorId: z.string(),
    submittedAt: z.string(),
    price: BidPrice,
    technicalScoreX100: z.number().int().optional(),
    check: BidCheck,
    recordedAt: z.string(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Bid' });
export type Bid = z.infer<typeof Bid>;

// ---------------------------------------------------------------------------------------------
// Evaluation

export const CreditScore = z
  .object({
    valueX100: z.number().int().min(0).max(10_000),
    formula: z.string(),
    neutral: z.boolean().describe('true when the contractor has no history in the tenant and got the neutral value'),
  })
  .meta({ id: 'CreditScore' });
export type CreditScore = z.infer<typeof CreditScore>;

export const PriceLine = z
  .object({
    code: z.string(),
    nameZh: z.string(),
    unit: RateCardUnit,
    unitFen: z.number().int(),
    estimatedQuantityX1000: z.number().int(),
    amountFen: z.number().int().describe('unitFen x estimatedQuantityX1000 / 1000, rounded half-up once'),
  })
  .meta({ id: 'PriceLine' });
export type PriceLine = z.infer<typeof PriceLine>;

export const EvaluationRow = z
  .object({
    bidId: z.string(),
    contractorId: z.string(),
    contractorName: z.string().optional(),
    contractorCode: z.string().optional(),
    submittedAt: z.string(),
    price: BidPrice,
    valid: z.boolean(),
    problems: z.array(BidProblem),
    comparedPriceFen: z.number().int().optional().describe('per month; absent when the bid cannot be priced (missing items)'),
    priceLines: z.array(PriceLine).optional().describe('unit-rate lots: the card priced at the estimated quantities'),
    priceScoreX100: z.number().int().optional(),
    technicalScoreX100: z.number().int().optional(),
    technicalPartX100: z.number().int().optional(),
    credit: CreditScore.optional(),
    creditPartX100: z.number().int().optional(),
    totalX100: z.number().int().optional(),
    rank: z.number().int().positive().optional(),
    tieBreak: z.string().optional().describe('how a tie with a neighbouring bid was broken'),
  })
  .meta({ id: 'EvaluationRow' });
export type EvaluationRow = z.infer<typeof EvaluationRow>;

export const EvaluationTable = z
  .object({
    tenderId: z.string(),
    lotId: z.string(),
    method: z.enum(['lowest_price', 'weighted']),
    weights: z.object({ priceWeight: z.number().int(), technicalWeight: z.number().int(), creditWeight: z.number().int() }).optional(),
    pricingKind: z.enum(['lump_sum', 'lump_sum_per_m2', 'unit_rate']),
    lotAreaM2: z.number().optional().describe('m², at most two decimals (per-m² lots)'),
    comparedPriceRule: z.string(),
    scoreRule: z.string(),
    tieBreakRule: z.string(),
    lowestValidPriceFen: z.number().int().optional(),
    bidCount: z.number().int(),
    validBidCount: z.number().int(),
    winnerBidId: z.string().optional(),
    warnings: z.array(z.string()),
    rows: z.array(EvaluationRow).describe('valid bids by rank, then invalid bids by submission time'),
  })
  .meta({ id: 'EvaluationTable' });
export type EvaluationTable = z.infer<typeof EvaluationTable>;

// ---------------------------------------------------------------------------------------------
// Tender and lot records

export const Lot = z
  .object({
    lotId: z.string(),
    name: z.string(),
    serviceType: ServiceType,
    segmentIds: z.array(z.string()),
    areaM2: z.number().describe('sum of the segments\' areas when the tender was created, m² with at most two decimals (summed in hundredths): what bidders priced'),
    pricing: LotPricing,
    status: z.enum(lotStatuses),
    evaluationTable: EvaluationTable.optional(),
    evaluatedAt: z.string().optional(),
    evaluatedBy: z.string().optional(),
    awardedAt: z.string().optional(),
    awardedBy: z.string().optional(),
    awardedBidId: z.string().optional(),
    awardedContractorId: z.string().optional(),
  })
  .meta({ id: 'Lot' });
export type Lot = z.infer<typeof Lot>;

export const Tender = z
  .object({
    tenderId: z.string(),
    tenantId: z.string(),
    title: z.string(),
    serviceType: ServiceType,
    evaluation: EvaluationMethod,
    closesAt: z.string(),
    status: TenderStatus,
    closedAt: z.string().optional(),
    closedBy: z.string().optional(),
    lots: z.array(Lot),
    version: z.number().int().positive(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Tender' });
export type Tender = z.infer<typeof Tender>;

export const TenderFilter = z
  .object({ status: z.enum([...tenderStatuses, 'all']).default('all') })
  .meta({ id: 'TenderFilter' });
export type TenderFilter = z.infer<typeof TenderFilter>;

// ---------------------------------------------------------------------------------------------
// Award

/**
 * What an award hands to the contracts module: the parts of `CreateContractInput`
 * (domain/contracts/schema.ts) a tender decides. The caller adds title, dates, performance
 * bond and rulebook, then creates the draft contract.
 */
export const DraftContractTerms = z
  .object({
    contractorId: z.string(),
    serviceType: ServiceType,
    // Referenced as they are (no .describe) so the document points at the contracts' components.
    origin: ContractOrigin,
    scope: z.array(z.string()).describe('the lot\'s segments'),
    pricing: ContractPricing,
  })
  .meta({ id: 'DraftContractTerms' });
export type DraftContractTerms = Pick<CreateContractFields, 'contractorId' | 'serviceType' | 'origin' | 'scope' | 'pricing'>;

/**
 * What an award request adds to the lot's terms for the draft contract: the parts a tender
 * does not decide. The contracts module validates them with the rest (createContract: dates
 * in order, one of `rulebook` or `rulebookTemplateId`, of the lot's service type).
 */
export const AwardLotInput = z
  .strictObject({
    title: z.string().trim().min(1).max(200).describe('the draft contract\'s title, e.g. 黄浦区道路保洁服务合同(第一标段)'),
    startDate: CalendarDate,
    endDate: CalendarDate.describe('inclusive'),
    performanceBondFen: z.number().int().min(0).max(maxRequestFen).describe('履约保证金, fen'),
    standardRef: StandardRef.optional(),
    rulebook: Rulebook.optional().describe('a full rulebook (needs rulebook:write); or name a template'),
    rulebookTemplateId: z.string().trim().min(1).max(64).optional().describe('a shipped rulebook template of the lot\'s service type, e.g. cleaning-standard'),
  })
  .meta({ id: 'AwardLot', description: 'the draft contract\'s own terms; contractor, service type, scope and prices come from the lot and the winning bid' });
export type AwardLotInput = z.input<typeof AwardLotInput>;
