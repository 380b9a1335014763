import * as z from 'zod';
import { apiYearPattern } from '../dates';
import { UnifiedSocialCreditCode } from './uscc';

/**
 * Contractors (作业单位): the companies that tender and work. Identified in a tenant by their
 * unified social credit code (GB 32100-2015), which never changes once registered.
 */

export const contractorStatuses = ['active', 'suspended'] as const;
export const ContractorStatus = z.enum(contractorStatuses).meta({
  id: 'ContractorStatus',
  description: 'active; suspended (暂停): its bids are invalid until reinstated',
});
export type ContractorStatus = z.infer<typeof ContractorStatus>;

export const listingStatuses = ['none', 'red', 'black'] as const;
export const ListingStatus = z.enum(listingStatuses).meta({
  id: 'ListingStatus',
  description: '红黑榜: none 未上榜, red 红榜 (commended), black 黑榜 (its bids are invalid)',
});
export type ListingStatus = z.infer<typeof ListingStatus>;

/** A calendar date in the tenant's zone, `YYYY-MM-DD`. */
const isoDate = z.iso.date({ error: 'a date as YYYY-MM-DD is expected' }).max(10).regex(apiYearPattern, 'a date between 2000-01-01 and 2099-12-31 is expected');

/**
 * Mainland phone numbers, checked lightly: a mobile (1[3-9] + 9 digits), a landline with its
 * area code (0 + 2–3 digits, then 7–8 digits, optional extension) or a 400/800 service number;
 * optional +86, spaces and hyphens as people write them. Not a carrier lookup: the aim is to
 * catch a digit too many or too few, not to prove the line exists.
 */
const phonePatterns = [
  /^(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}$/,
  /^(?:\+?86[\s-]?)?(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{3,4}[\s-]?\d{4}(?:(?:-|转|\s?ext\.?\s?)\d{1,6})?$/i,
  /^[48]00[\s-]?\d{3}[\s-]?\d{4}$/,
];
export const ChinesePhone = z
  .string()
  .trim()
  .max(40)
  .refine((value) => phonePatterns.some((pattern) => pattern.test(value)), {
    error: 'a mainland phone number is expected: a mobile such as 13812345678, a landline with area code such as 0591-87654321, or a 400/800 number',
  })
  .meta({ id: 'ChinesePhone', description: 'mobile, landline with area code (optional extension), or 400/800 number', example: '0591-87654321' });

const text = (max: number): z.ZodString => z.string().trim().min(1).max(max);

/** Fields a person may set and later change; the code is not among them. */
export const ContractorFields = z.strictObject({
  name: text(100).describe('registered Chinese name, as on the business licence, e.g. 福州市某某环境服务有限公司'),
  nameEn: text(200).optional(),
  legalRepresentative: text(50).optional().describe('法定代表人'),
  contactName: text(50).optional(),
  contactPhone: ChinesePhone.optional(),
  address: text(200).optional().describe('住所'),
});
export type ContractorFields = z.infer<typeof ContractorFields>;

export const RegisterContractorInput = ContractorFields.extend({ code: UnifiedSocialCreditCode }).meta({ id: 'RegisterContractor' });
export type RegisterContractorInput = z.input<typeof RegisterContractorInput>;

/**
 * A change: any subset of the editable fields. `code` is the contractor's identity and its id
 * is derived from it, so it cannot change: a different code is a different contractor.
 */
export const UpdateContractorInput = z
  .strictObject(ContractorFields.partial().shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' && issue.keys.includes('code')
        ? 'code (统一社会信用代码) is the contractor\'s identity and cannot change; register the other code as its own contractor'
        : undefined,
  })
  .refine((patch) => Object.keys(patch).length > 0, 'a change must set at least one field')
  .meta({ id: 'UpdateContractor' });
export type UpdateContractorInput = z.infer<typeof UpdateContractorInput>;

const reason = text(500);

export const SuspendContractorInput = z
  .strictObject({ reason: reason.describe('why, e.g. 安全生产事故停业整顿') })
  .meta({ id: 'SuspendContractor' });
export type SuspendContractorInput = z.infer<typeof SuspendContractorInput>;

export const ReinstateContractorInput = z
  .strictObject({ reason: reason.describe('why the suspension ends, e.g. 整改验收合格') })
  .meta({ id: 'ReinstateContractor' });
export type ReinstateContractorInput = z.infer<typeof ReinstateContractorInput>;

/** 红黑榜 entry. A red or black listing needs a reason; taking a contractor off a list may give one. */
export const SetListingInput = z
  .strictObject({
    status: ListingStatus,
    reason: reason.optional(),
    since: isoDate.describe('first day the listing applies (tenant zone)'),
    source: text(200).optional().describe('what decided it, e.g. 2025年第一季度考核排名'),
  })
  .refine((listing) => listing.status === 'none' || listing.reason !== undefined, {
    error: 'a red or black listing needs a reason',
    path: ['reason'],
  })
  .meta({ id: 'SetListing' });
export type SetListingInput = z.infer<typeof SetListingInput>;

export const Listing = z
  .object({
    status: ListingStatus,
    reason: z.string().optional(),
    since: z.string().optional(),
    source: z.string().optional(),
  })
  .meta({ id: 'Listing' });
export type Listing = z.infer<typeof Listing>;

export const Contractor = z
  .object({
    contractorId: z.string(),
    tenantId: z.string(),
    code: z.string().describe('统一社会信用代码; immutable'),
    name: z.string(),
    nameEn: z.string().optional(),
    legalRepresentative: z.string().optional(),
    contactName: z.string().optional(),
    contactPhone: z.string().optional(),
    address: z.string().optional(),
    status: ContractorStatus,
    suspendedAt: z.string().optional(),
    suspendedReason: z.string().optional(),
    reinstatedAt: z.string().optional(),
    reinstatedReason: z.string().optional(),
    listing: Listing,
    version: z.number().int().positive(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Contractor' });
export type Contractor = z.infer<typeof Contractor>;

/** `?search=&status=&listing=` of the contractor list. */
export const ContractorFilter = z
  .object({
    search: z.string().trim().min(1).max(100).optional().describe('part of the name, or the start of the code'),
    status: z.enum([...contractorStatuses, 'all']).default('all'),
    listing: ListingStatus.optional(),
  })
  .meta({ id: 'ContractorFilter' });
export type ContractorFilter = z.infer<typeof ContractorFilter>;
