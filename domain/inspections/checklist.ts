import * as z from 'zod';
import { ContractStatus } from '../contracts/schema';
import { apiInstant } from '../dates';
import { Escalation, rectificationModes, type Rulebook } from '../rulebooks/schema';
import { ServiceType } from '../service-types';

/**
 * The inspection checklist (issue 14): the defect items of the rulebook in force for a
 * segment on a day, as the field app renders its sheet — grouped by category, categories in
 * the order the rulebook first names them, items in the rulebook's order. Pure: the use case
 * (./use-cases `inspectionChecklist`) resolves the contract as recording does.
 */

export const ChecklistQuery = z
  .object({
    segmentId: z.string().regex(/^seg_[0-9a-z]{10,40}$/, 'not a segment id'),
    serviceType: ServiceType.optional().describe('with the segment, finds the contract in force; required unless contractId is given'),
    contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id').optional().describe('named instead of resolved; checked to cover the segment then'),
    at: apiInstant().optional().describe('the inspection time whose tenant-local day picks the terms in force (default now); write + as %2B'),
  })
  .refine((query) => query.serviceType !== undefined || query.contractId !== undefined, { message: 'give serviceType (or contractId)', path: ['serviceType'] });
export type ChecklistQuery = z.input<typeof ChecklistQuery>;

export const ChecklistItem = z
  .object({
    code: z.string().describe('the itemCode of a finding'),
    category: z.string(),
    descriptionZh: z.string().describe('as printed on the inspection sheet'),
    descriptionEn: z.string().optional(),
    unitZh: z.string().optional().describe('what one occurrence is: 处, 辆次, 人次...'),
    pointsX100: z.number().int().min(0).describe('points per occurrence, hundredths'),
    fineFen: z.number().int().min(0).describe('fine per occurrence, fen'),
    mode: z.enum([...rectificationModes, 'none']).describe('rectify mode; none when the item raises no order'),
    rectifyHours: z.number().int().min(1).optional().describe('the order is due this many hours after the finding; absent when mode is none'),
    escalation: Escalation.optional().describe('how repeats in a month cost more; absent: every finding costs the same'),
    photosRequired: z
      .boolean()
      .describe('whether recording refuses a finding of this item without photos; rulebooks state no photo requirement today, so always false (photos are optional evidence)'),
  })
  .meta({ id: 'InspectionChecklistItem' });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const ChecklistCategory = z
  .object({ category: z.string().describe('e.g. road_cleanliness, facilities, operations'), items: z.array(ChecklistItem).describe("in the rulebook's order") })
  .meta({ id: 'InspectionChecklistCategory' });
export type ChecklistCategory = z.infer<typeof ChecklistCategory>;

export const InspectionChecklist = z
  .object({
    segmentId: z.string(),
    at: z.string().describe('the instant asked for (now when not given)'),
    localDate: z.string().describe('its tenant-local date: the terms in force that day'),
    contract: z
      .object({ contractId: z.string(), title: z.string(), contractorId: z.string(), status: ContractStatus, serviceType: ServiceType, termsVersion: z.number().int().positive() })
      .describe('the contract holding the segment that day, resolved as recording resolves it'),
    rulebook: z.object({ name: z.string(), version: z.number().int().positive(), templateId: z.string().optional() }),
    protocols: z.object({ sampleScore: z.boolean(), dustByWeight: z.boolean() }).describe('which measured protocols the rulebook defines (protocol results need the weather)'),
    categories: z.array(ChecklistCategory).describe('categories in the order the rulebook first names them'),
  })
  .meta({ id: 'InspectionChecklist' });
export type InspectionChecklist = z.infer<typeof InspectionChecklist>;

/** The rulebook's defect items as checklist categories. */
export function checklistCategories(rulebook: Pick<Rulebook, 'defectItems'>): ChecklistCategory[] {
  const byCategory = new Map<string, ChecklistItem[]>();
  for (const item of rulebook.defectItems) {
    const entry: ChecklistItem = {
      code: item.code,
      category: item.category,
      descriptionZh: item.descriptionZh,
      ...(item.descriptionEn === undefined ? {} : { descriptionEn: item.descriptionEn }),
      ...(item.unitZh === undefined ? {} : { unitZh: item.unitZh }),
      pointsX100: item.pointsX100,
      fineFen: item.fineFen,
      mode: item.rectify?.mode ?? 'none',
      ...(item.rectify === undefined ? {} : { rectifyHours: item.rectify.hours }),
      ...(item.escalation === undefined ? {} : { escalation: item.escalation }),
      // The rulebook has no photo requirement per item, and recording takes findings without photos.
      photosRequired: false,
    };
    const items = byCategory.get(item.category);
    if (items === undefined) byCategory.set(item.category, [entry]);
    else items.push(entry);
  }
  return [...byCategory].map(([category, items]) => ({ category, items }));
}
