import type { MonthAssessment, MonthFacts } from '../../../../domain/assessment/assess';
import type { Contract, ContractPricing, ContractTerms } from '../../../../domain/contracts/schema';
import { rulebookFromTemplate, templateById } from '../../../../domain/rulebooks/templates';
import type { Rulebook } from '../../../../domain/rulebooks/schema';

/**
 * Shared data for the assessment, statement and ranking tests: 静安区 cleaning contracts
 * under the shipped cleaning-standard rulebook, whose figures the worked examples use:
 * bands ≥ 95 → 10100 (reward), ≥ 90 → 10000, ≥ 80 → 9500, ≥ 75 → 9000, ≥ 60 → 8500,
 * else 8000; bonus cap 100 bps; deduction cap 2000 bps; retention 500 bps; complaints and
 * events capped at 10.00; listing red ≥ 95, black < 75 after 3 months, termination 5
 * quarters < 75.
 */

export const contractId = 'con_01JNQ0000000000000000000A1';
export const contractorId = 'ctr_k2m7q4x9b3n8p5rt';

export const seg = {
  a: 'seg_n4j7w2q8e5r3t6yu',
  b: 'seg_s9m2e5n8o1r4d7ab',
  c: 'seg_w3e6i9h2a5i8c1de',
} as const;

export function cleaningRulebook(): Rulebook {
  const template = templateById('cleaning-standard');
  if (template === undefined) throw new Error('cleaning-standard template missing');
  return rulebookFromTemplate(template) as Rulebook;
}

export function terms(termsVersion: number, effectiveFrom: string, scope: string[], pricing: ContractPricing, extra: Partial<ContractTerms> = {}): ContractTerms {
  return {
    termsVersion,
    effectiveFrom,
    scope,
    pricing,
    rulebook: cleaningRulebook(),
    recordedAt: '2025-01-01T00:00:00.000Z',
    recordedBy: 'usr_procure_wang',
    ...extra,
  };
}

export type ContractDates = Pick<Contract, 'startDate' | 'endDate' | 'endedOn' | 'versions'>;

export function lumpSumContract(monthlyFen: number, startDate = '2025-01-01', endDate = '2027-12-31'): ContractDates {
  return { startDate, endDate, versions: [terms(1, startDate, [seg.a, seg.b], { kind: 'lump_sum', monthlyFen })] };
}

export function noFacts(month: string, overrides: Partial<MonthFacts> = {}): MonthFacts {
  return {
    contractId,
    serviceType: 'cleaning',
    month,
    zone: 'Asia/Shanghai',
    findings: [],
    missedTasks: [],
    lateOrders: [],
    validComplaints: [],
    tasksDue: 0,
    tasksDone: 0,
    ordersDue: 0,
    ordersOnTime: 0,
    complaintsReceived: 0,
    complaintsResolved: 0,
    proofsRefused: 0,
    ...overrides,
  };
}

/** An assessment with a given score and no point sources (for statement examples about money). */
export function assessmentWithScore(month: string, scoreX100: number, fines: Partial<MonthAssessment['fines']> = {}): Pick<MonthAssessment, 'month' | 'scoreX100' | 'categories' | 'fines'> {
  const none = { fineFen: 0, count: 0, ids: [], itemCodes: [], proofIds: [] };
  return { month, scoreX100, categories: [], fines: { findings: none, missedTasks: none, lateOrders: none, ...fines } };
}
