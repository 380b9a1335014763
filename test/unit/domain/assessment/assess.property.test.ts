import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessMonth, type MonthFacts } from '../../../../domain/assessment/assess';
import { canonicalJson } from '../../../../domain/payments/statement';
import { noFacts } from '../payments/fixtures';

const runs = { numRuns: 200 };

const segments = ['seg_aaaaaaaaaa', 'seg_bbbbbbbbbb', 'seg_cccccccccc'];
const categories = ['road_cleanliness', 'events', 'safety'];
const points = fc.integer({ min: 0, max: 3_000 });

const factsArb: fc.Arbitrary<MonthFacts> = fc
  .record({
    findings: fc.array(
      fc.record({
        inspectionId: fc.constantFrom('insp_1', 'insp_2', 'insp_3'),
        segmentId: fc.constantFrom(...segments),
        itemCode: fc.constantFrom('CL-LITTER', 'CL-EVENT'),
        category: fc.constantFrom(...categories),
        pointsX100: points,
        fineFen: fc.integer({ min: 0, max: 50_000 }),
        at: fc.constantFrom('2025-06-01T00:00:00Z', '2025-06-15T00:00:00Z'),
      }),
      { maxLength: 20 },
    ),
    missed: fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 10 }),
    late: fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 5 }),
    complaints: fc.uniqueArray(fc.integer({ min: 0, max: 999 }), { maxLength: 10 }),
    pointsEach: points,
  })
  .map(({ findings, missed, late, complaints, pointsEach }) =>
    noFacts('2025-06', {
      findings,
      missedTasks: missed.map((n) => ({ taskId: `tsk_${n}`, segmentId: segments[n % 3] as string, activity: 'sweep', pointsX100: pointsEach, fineFen: 100 })),
      lateOrders: late.map((n) => ({ orderId: `ord_${n}`, itemCode: 'CL-LITTER', pointsX100: pointsEach, fineFen: 0 })),
      validComplaints: complaints.map((n) => ({ complaintId: `cmp_${n}`, pointsX100: 200 })),
    }),
  );

const capsArb = fc.array(
  fc.record({ category: fc.constantFrom(...categories, 'complaints', 'missed_tasks', 'late'), capX100: fc.integer({ min: 1, max: 5_000 }) }),
  { maxLength: 6 },
).map((caps) => [...new Map(caps.map((cap) => [cap.category, cap])).values()]);

describe('assessMonth properties', () => {
  it('never lets a category exceed its cap, and counts what the cap lets through', () => {
    fc.assert(
      fc.property(factsArb, capsArb, (facts, caps) => {
        const assessment = assessMonth(facts, { categoryCaps: caps });
        for (const category of assessment.categories) {
          const cap = caps.find((c) => c.category === category.category)?.capX100;
          expect(category.countedX100).toBe(cap === undefined ? category.rawX100 : Math.min(category.rawX100, cap));
          expect(category.sources.reduce((t, s) => t + s.countedX100, 0)).toBe(category.countedX100);
          expect(category.sources.reduce((t, s) => t + s.excessX100, 0)).toBe(category.excessX100);
        }
        expect(assessment.scoreX100).toBe(Math.max(0, 10_000 - assessment.countedPointsX100));
        expect(assessment.segments.reduce((t, s) => t + s.countedX100, 0)).toBe(assessment.countedPointsX100);
        expect(assessment.segments.reduce((t, s) => t + s.rawX100, 0)).toBe(assessment.rawPointsX100);
      }),
      runs,
    );
  });

  it('does not depend on the order the facts are given in', () => {
    fc.assert(
      fc.property(factsArb, capsArb, fc.integer(), (facts, caps, seed) => {
        const shuffle = <T>(list: readonly T[]): T[] =>
          list.map((value, i) => ({ value, key: (Math.imul(i + 1, 2_654_435_761) ^ seed) >>> 0 })).sort((a, b) => a.key - b.key).map((e) => e.value);
        const shuffled = { ...facts, findings: shuffle(facts.findings), missedTasks: shuffle(facts.missedTasks), lateOrders: shuffle(facts.lateOrders), validComplaints: shuffle(facts.validComplaints) };
        expect(canonicalJson(assessMonth(shuffled, { categoryCaps: caps }))).toBe(canonicalJson(assessMonth(facts, { categoryCaps: caps })));
      }),
      runs,
    );
  });
});
