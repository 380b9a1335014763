import * as z from 'zod';
import { CalendarDate } from '../dates';
import { maxRequestFen, maxRequestVersion } from '../money';
import { Rulebook } from '../rulebooks/schema';
import { ServiceType } from '../service-types';

/**
 * Contracts (合同): who serves which segments, for which price, under which rulebook, from
 * when to when (DESIGN §1, §2.1, issue 3 "Contracts"). The effective-dated part — scope,
 * price, standard, rulebook — is a history of `ContractTerms` versions so that amendments
 * (变更) never rewrite what was in force on an earlier day.
 */

const fen = z.number().int('money is integer fen').max(maxRequestFen, `at most ${maxRequestFen} fen`);
const positiveFen = fen.positive('an amount must be positive');
const text = (max: number): z.ZodString => z.string().trim().min(1).max(max);

export const segmentIdPattern = /^seg_[0-9a-z]{10,40}$/;
const SegmentId = z.string().regex(segmentIdPattern, "a segment id looks like 'seg_' followed by 10–40 lower-case letters or digits");

/** Segment ids, de-duplicated and sorted so that equal scopes compare equal. */
export const Scope = z
  .array(SegmentId)
  .min(1, 'a contract covers at least one segment')
  .max(5_000, 'a contract covers at most 5 000 segments')
  .transform((ids) => [...new Set(ids)].sort())
  .describe('segment ids in scope');

export const RateItem = z
  .strictObject({
    code: text(32).describe('unique within the contract, e.g. M-01'),
    nameZh: text(100).describe('e.g. 更换破损井盖'),
    unit: text(16).describe('个, m², m, 处, m³, t, 次, 株'),
    unitFen: positiveFen.describe('price per unit, fen'),
  })
  .meta({ id: 'ContractRateItem' });
export type RateItem = z.infer<typeof RateItem>;

/**
 * Price. The per-m² rate is in thousandths of a fen per m² per YEAR (`milliFenPerM2Year`),
 * chosen so that every published quote is an exact integer:
 * - per-year quotes (Boluo: 6.29 元/m²·年) = 629 000; a per-month unit cannot hold 629 / 12;
 * - per-month quotes to the 0.0001 元 (0.8451 元/m²·月 = 84.51 fen x 12 x 1000) = 1 014 120;
 *   a fen-per-year unit cannot hold 1 014.12;
 * - the tenders module's `fenPer100M2Month` converts exactly (x 120: `fromFenPer100M2Month`);
 * - a month's amount is area (hundredths of m²) x rate x days / (1 200 000 x days in month),
 *   rounded half-up once (`perM2Fen` in pricing.ts); areas may have two decimals (12000.5 m²).
 */
export const ContractPricing = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('lump_sum'), monthlyFen: positiveFen.describe('定量: fee per month, fen') }),
    z.strictObject({
      kind: z.literal('lump_sum_per_m2'),
      milliFenPerM2Year: positiveFen.describe('thousandths of a fen per m² per year: 6.29 元/m²·年 = 629000'),
    }),
    z.strictObject({
      kind: z.literal('unit_rate'),
      items: z
        .array(RateItem)
        .min(1, 'a rate card has at least one item')
        .max(500)
        .superRefine((items, ctx) => {
          const seen = new Map<string, number>();
          items.forEach((item, index) => {
            const first = seen.get(item.code);
            if (first === undefined) seen.set(item.code, index);
            else ctx.addIssue({ code: 'custom', path: [index, 'code'], message: `code '${item.code}' is already used by items.${first}: codes must be unique` });
          });
        }),
    }),
  ])
  .meta({ id: 'ContractPricing', description: 'lump_sum 定量 (monthly, or per m²) or unit_rate 定性 (rate card)' });
export type ContractPricing = z.infer<typeof ContractPricing>;

export const StandardRef = z
  .strictObject({ standardId: text(64), version: z.number().int().positive().max(maxRequestVersion) })
  .meta({ id: 'ContractStandardRef', description: 'the service standard (作业标准) version the schedule follows' });
export type StandardRef = z.infer<typeof StandardRef>;

export const termsParts = ['scope', 'pricing', 'standardRef', 'rulebook'] as const;
export type TermsPart = (typeof termsParts)[number];

export const Amendment = z
  .object({
    amendmentId: z.string(),
    reason: z.string(),
    approvedBy: z.string().describe('who approved the change, as on the approval document'),
    approvedAt: CalendarDate,
    changes: z.array(z.enum(termsParts)).describe('the parts this version changed'),
  })
  .meta({ id: 'ContractAmendment' });
export type Amendment = z.infer<typeof Amendment>;

export const ContractTerms = z
  .object({
    termsVersion: z.number().int().positive(),
    effectiveFrom: CalendarDate,
    scope: z.array(z.string()),
    pricing: ContractPricing,
    standardRef: StandardRef.optional(),
    rulebook: Rulebook,
    amendment: Amendment.optional().describe('absent on the original terms'),
    recordedAt: z.string().describe('instant the version was recorded'),
    recordedBy: z.string(),
  })
  .meta({ id: 'ContractTerms' });
export type ContractTerms = z.infer<typeof ContractTerms>;

export const ContractOrigin = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('tender'), tenderId: text(64), lotId: text(64), bidId: text(64) }),
    z.strictObject({ kind: z.literal('direct') }),
  ])
  .meta({ id: 'ContractOrigin', description: 'awarded from a tender lot, or signed directly' });
export type ContractOrigin = z.infer<typeof ContractOrigin>;

export const contractStatuses = ['draft', 'active', 'suspended', 'terminated', 'expired'] as const;
export const ContractStatus = z.enum(contractStatuses).meta({ id: 'ContractStatus' });
export type ContractStatus = z.infer<typeof ContractStatus>;

export const StatusChange = z
  .object({
    from: ContractStatus,
    to: ContractStatus,
    at: z.string().describe('instant'),
    by: z.string().describe("user id, or 'system' for expiry"),
    reason: z.string().optional(),
  })
  .meta({ id: 'ContractStatusChange' });
export type StatusChange = z.infer<typeof StatusChange>;

export const Contract = z
  .object({
    contractId: z.string(),
    tenantId: z.string(),
    contractorId: z.string(),
    serviceType: ServiceType,
    title: z.string(),
    origin: ContractOrigin,
    status: ContractStatus,
    startDate: CalendarDate,
    endDate: CalendarDate.describe('inclusive'),
    endedOn: CalendarDate.optional().describe('last day in force when terminated or expired'),
    performanceBondFen: fen,
    versions: z.array(ContractTerms).min(1).describe('terms history, in the order recorded; effectiveFrom never decreases'),
    statusHistory: z.array(StatusChange),
    version: z.number().int().positive().describe('record version for If-Match'),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Contract' });
export type Contract = z.infer<typeof Contract>;

const templateIdField = text(64).describe('a shipped rulebook template, e.g. cleaning-standard; instead of `rulebook`');

/**
 * A new contract, direct or from an award. The rulebook is either a full rulebook or a
 * template id (copied into the contract). They are two fields rather than one union because
 * a zod union that fails reports only "invalid input" at `rulebook`, hiding which field of a
 * hand-written rulebook is wrong; with two fields every 400 names the field.
 */
export const CreateContractInput = z
  .strictObject({
    contractorId: text(64),
    serviceType: ServiceType,
    title: text(200).describe('e.g. 静安区南京西路街道道路保洁服务合同'),
    origin: ContractOrigin.default({ kind: 'direct' }),
    startDate: CalendarDate,
    endDate: CalendarDate.describe('inclusive'),
    performanceBondFen: fen.min(0, 'a performance bond may not be negative').describe('履约保证金, fen'),
    scope: Scope,
    pricing: ContractPricing,
    standardRef: StandardRef.optional(),
    rulebook: Rulebook.optional(),
    rulebookTemplateId: templateIdField.optional(),
  })
  .superRefine((input, ctx) => {
    // Format checks do not abort, so this runs on malformed dates too: compare only real ones.
    const datesValid = CalendarDate.safeParse(input.startDate).success && CalendarDate.safeParse(input.endDate).success;
    if (datesValid && input.startDate > input.endDate) {
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: `the end date ${input.endDate} is before the start date ${input.startDate}` });
    }
    if ((input.rulebook === undefined) === (input.rulebookTemplateId === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['rulebook'], message: 'give either a rulebook or a rulebookTemplateId, not both and not neither' });
    }
    if (input.rulebook !== undefined && input.rulebook.serviceType !== input.serviceType) {
      ctx.addIssue({
        code: 'custom',
        path: ['rulebook', 'serviceType'],
        message: `a ${input.serviceType} contract needs a ${input.serviceType} rulebook, not ${input.rulebook.serviceType}`,
      });
    }
  })
  .meta({ id: 'CreateContract' });
export type CreateContractInput = z.input<typeof CreateContractInput>;
export type CreateContractFields = z.infer<typeof CreateContractInput>;

/**
 * An amendment (变更): what changes, from when, why, and who approved it. Parts left out stay
 * as they were; at least one must be given.
 */
export const AmendContractInput = z
  .strictObject({
    effectiveFrom: CalendarDate.describe(
      'first day of the new terms; a change of the rulebook (考核办法) takes effect on the 1st of a month (or the start date): a mid-month date is refused with 422 naming this field',
    ),
    reason: text(500).describe('e.g. 道路改造,长江路移交市政'),
    approvedBy: text(100),
    approvedAt: CalendarDate.describe('date of the approval document'),
    scope: Scope.optional(),
    pricing: ContractPricing.optional(),
    standardRef: StandardRef.optional(),
    rulebook: Rulebook.optional(),
    rulebookTemplateId: templateIdField.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.rulebook !== undefined && input.rulebookTemplateId !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['rulebook'], message: 'give either a rulebook or a rulebookTemplateId, not both' });
    }
    const parts = [input.scope, input.pricing, input.standardRef, input.rulebook, input.rulebookTemplateId];
    if (parts.every((part) => part === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'an amendment changes at least one of scope, pricing, standardRef, rulebook (or rulebookTemplateId)' });
    }
  })
  .meta({ id: 'AmendContract' });
export type AmendContractInput = z.input<typeof AmendContractInput>;
export type AmendContractFields = z.infer<typeof AmendContractInput>;

export const TransitionInput = z
  .strictObject({ reason: text(500).optional().describe('required to suspend or terminate') })
  .meta({ id: 'ContractTransition' });
export type TransitionInput = z.infer<typeof TransitionInput>;

export const ContractFilter = z
  .object({
    status: ContractStatus.optional(),
    contractorId: z.string().optional(),
    serviceType: ServiceType.optional(),
  })
  .meta({ id: 'ContractFilter' });
export type ContractFilter = z.infer<typeof ContractFilter>;
