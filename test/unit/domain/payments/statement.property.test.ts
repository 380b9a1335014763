import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysInMonth } from '../../../../domain/assessment/months';
import type { ContractPricing } from '../../../../domain/contracts/schema';
import { computeStatement, serialiseStatement, type StatementInput } from '../../../../domain/payments/statement';
import type { Rulebook } from '../../../../domain/rulebooks/schema';
import { assessmentWithScore, cleaningRulebook, contractId, seg, terms } from './fixtures';

const runs = { numRuns: 300 };

const rulebookArb: fc.Arbitrary<Rulebook> = fc
  .record({
    retentionBps: fc.integer({ min: 0, max: 3_000 }),
    deductionCapBps: fc.integer({ min: 1, max: 10_000 }),
    rewardBps: fc.integer({ min: 10_000, max: 15_000 }),
    bonusCapBps: fc.integer({ min: 1, max: 10_000 }),
  })
  .map(({ retentionBps, deductionCapBps, rewardBps, bonusCapBps }) => ({
    ...cleaningRulebook(),
    retentionBps,
    deductionCapBps,
    bonusCapBps,
    scoreBands: [
      { minScoreX100: 9_500, coefficientBps: rewardBps },
      { minScoreX100: 8_000, coefficientBps: 9_500 },
      { minScoreX100: 0, coefficientBps: 8_000 },
    ],
  }));

const lumpSum = fc.oneof(
  fc.integer({ min: 1, max: 1_000_000_000 }).map((monthlyFen): ContractPricing => ({ kind: 'lump_sum', monthlyFen })),
  fc.integer({ min: 1, max: 5_000_000 }).map((milliFenPerM2Year): ContractPricing => ({ kind: 'lump_sum_per_m2', milliFenPerM2Year })),
);
const unitRate = fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 3 }).map(
  (prices): ContractPricing => ({ kind: 'unit_rate', items: prices.map((unitFen, i) => ({ code: `M-0${i + 1}`, nameZh: '维修', unit: '个', unitFen })) }),
);

const fines = fc.integer({ min: 0, max: 50_000_000 }).map((fineFen) => ({ fineFen, count: fineFen === 0 ? 0 : 1, ids: fineFen === 0 ? [] : ['x_1'], itemCodes: [], proofIds: [] }));

const inputArb: fc.Arbitrary<StatementInput> = fc
  .record({
    month: fc.constantFrom('2024-02', '2025-02', '2025-04', '2025-07'),
    startDay: fc.integer({ min: 1, max: 28 }),
    amendDay: fc.option(fc.integer({ min: 2, max: 28 })),
    unit: fc.boolean(),
    pricing: fc.tuple(lumpSum, lumpSum, unitRate, unitRate),
    rulebook: rulebookArb,
    scoreX100: fc.integer({ min: 0, max: 10_000 }),
    fines: fc.tuple(fines, fines, fines),
    areas: fc.tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 })),
    orders: fc.uniqueArray(fc.record({ n: fc.integer({ min: 0, max: 99 }), item: fc.integer({ min: 0, max: 2 }), quantityX1000: fc.integer({ min: 0, max: 10_000_000 }), day: fc.integer({ min: 1, max: 28 }) }), { selector: (o) => o.n, maxLength: 6 }),
    adjustments: fc.uniqueArray(fc.record({ n: fc.integer({ min: 0, max: 99 }), amountFen: fc.integer({ min: -10_000_000, max: 10_000_000 }) }), { selector: (a) => a.n, maxLength: 3 }),
  })
  .map((g) => {
    const day = (d: number): string => `${g.month}-${String(d).padStart(2, '0')}`;
    const [first, second] = g.unit ? [g.pricing[2], g.pricing[3]] : [g.pricing[0], g.pricing[1]];
    // A lump-sum contract stays lump-sum across amendments (contracts/terms.ts), and so here.
    const secondSameFamily = first.kind === 'unit_rate' || second.kind !== 'unit_rate' ? second : first;
    const startDate = day(g.startDay);
    const versions = [terms(1, startDate, [seg.a, seg.b], first, { rulebook: g.rulebook })];
    if (g.amendDay !== null && g.amendDay > g.startDay) {
      versions.push(terms(2, day(g.amendDay), [seg.a, seg.c], secondSameFamily, { rulebook: g.rulebook, amendment: { amendmentId: 'amd_1', reason: 'r', approvedBy: 'p', approvedAt: startDate, changes: ['scope', 'pricing'] } }));
    }
    const orderDay = (d: number): number => Math.max(d, g.startDay);
    const workOrders = g.unit
      ? g.orders.flatMap((o) => {
          const acceptedOn = day(orderDay(o.day));
          const inForce = [...versions].reverse().find((v) => v.effectiveFrom <= acceptedOn);
          const items = inForce?.pricing.kind === 'unit_rate' ? inForce.pricing.items : [];
          const item = items[o.item % Math.max(1, items.length)];
          return item === undefined ? [] : [{ workOrderId: `wo_${String(o.n).padStart(2, '0')}`, itemCode: item.code, quantityX1000: o.quantityX1000, acceptedOn }];
        })
      : [];
    return {
      contractId,
      month: g.month,
      contract: { startDate, endDate: '2030-12-31', versions },
      segmentAreasM2: { [seg.a]: g.areas[0], [seg.b]: g.areas[1], [seg.c]: g.areas[2] },
      assessment: assessmentWithScore(g.month, g.scoreX100, { findings: g.fines[0], missedTasks: g.fines[1], lateOrders: g.fines[2] }),
      workOrders,
      adjustments: g.adjustments.map((a) => ({ adjustmentId: `adj_${a.n}`, originMonth: '2024-01', amountFen: a.amountFen, formula: 'carried', sources: { statementRefs: ['c/2024-01/v1'] } })),
    };
  });

function total(lines: readonly { code: string; amountFen: number }[], ...codes: string[]): number {
  return lines.filter((line) => codes.includes(line.code)).reduce((sum, line) => sum + line.amountFen, 0);
}

describe('computeStatement properties', () => {
  it('makes every total the sum of its lines, and net the sum of all lines', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { lines, totals, activeDays } = computeStatement(input);
        expect(totals.netFen).toBe(total(lines, ...lines.map((line) => line.code)));
        expect(totals.baseFen).toBe(total(lines, 'base'));
        expect(totals.unitRateFen).toBe(total(lines, 'unit_rate'));
        expect(totals.bonusFen).toBe(total(lines, 'bonus'));
        expect(totals.qualityDeductionFen).toBe(0 - total(lines, 'quality_deduction'));
        expect(totals.finesFen).toBe(0 - total(lines, 'fines_missed_tasks', 'fines_findings', 'fines_late_orders'));
        expect(totals.excessFen).toBe(total(lines, 'deduction_cap_excess'));
        expect(totals.retentionFen).toBe(0 - total(lines, 'retention'));
        expect(totals.adjustmentsFen).toBe(total(lines, 'adjustment'));
        expect(totals.deductionsTakenFen).toBe(Math.min(totals.deductionsBeforeCapFen, totals.capFen));
        expect(totals.deductionsBeforeCapFen - totals.excessFen).toBe(totals.deductionsTakenFen);
        expect(new Set(lines.map((line) => line.key)).size).toBe(lines.length);
        expect(activeDays).toBeLessThanOrEqual(daysInMonth(input.month));
      }),
      runs,
    );
  });

  it('never pays more than base + unit-rate + the bonus cap before adjustments, nor retains a negative amount', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { totals } = computeStatement(input);
        expect(totals.netFen - totals.adjustmentsFen).toBeLessThanOrEqual(totals.baseFen + totals.unitRateFen + totals.bonusCapFen);
        expect(totals.bonusFen).toBeLessThanOrEqual(totals.bonusCapFen);
        expect(totals.retentionFen).toBeGreaterThanOrEqual(0);
        expect(totals.netFen - totals.adjustmentsFen).toBeGreaterThanOrEqual(0);
      }),
      runs,
    );
  });

  it('recomputes byte-identically from unchanged inputs, whatever order the lists come in', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const reordered = { ...input, workOrders: [...input.workOrders].reverse(), adjustments: [...input.adjustments].reverse() };
        const first = serialiseStatement(computeStatement(input));
        expect(serialiseStatement(computeStatement(structuredClone(input)))).toBe(first);
        expect(serialiseStatement(computeStatement(reordered))).toBe(first);
      }),
      runs,
    );
  });
});
