import { describe, expect, it } from 'vitest';
import { assessMonth } from '../../../../domain/assessment/assess';
import { assessmentSummaryOf } from '../../../../domain/assessment/summary';
import { noFacts } from '../payments/fixtures';

/** What a statement record keeps of its month's assessment (issue 15). */

const month = '2025-03';

describe('assessmentSummaryOf', () => {
  it('keeps the KPIs, each category with its fines, and each segment with its counts', () => {
    // Prepare: two litter findings on segment A (2.00 points, ¥50.00 each), a late order on A,
    // a valid complaint without a segment; 18 of 20 orders on time, 9 of 10 complaints resolved.
    const facts = noFacts(month, {
      findings: [
        { inspectionId: 'ins_1', segmentId: 'seg_a', itemCode: 'CL-LITTER', category: 'road_cleanliness', pointsX100: 200, fineFen: 5_000, at: '2025-03-02T01:00:00.000Z' },
        { inspectionId: 'ins_2', segmentId: 'seg_a', itemCode: 'CL-LITTER', category: 'road_cleanliness', pointsX100: 200, fineFen: 5_000, at: '2025-03-03T01:00:00.000Z' },
      ],
      lateOrders: [{ orderId: 'rec_1', itemCode: 'CL-LITTER', segmentId: 'seg_a', pointsX100: 200, fineFen: 0 }],
      validComplaints: [{ complaintId: 'cmp_1', pointsX100: 200 }],
      tasksDue: 40,
      tasksDone: 39,
      ordersDue: 20,
      ordersOnTime: 18,
      complaintsReceived: 10,
      complaintsResolved: 9,
      proofsRefused: 2,
    });

    // Act
    const summary = assessmentSummaryOf(assessMonth(facts, { categoryCaps: [{ category: 'road_cleanliness', capX100: 300 }] }));

    // Assess: the cap lets 3.00 of the 4.00 litter points count; 100 − 3 − 2 − 2 = 93.00.
    expect(summary.scoreX100).toBe(9_300);
    expect(summary.kpis.onTimeRectification).toMatchObject({ numerator: 18, denominator: 20, rateBps: 9_000 });
    expect(summary.kpis.taskCompletion.rateBps).toBe(9_750);
    expect(summary.kpis.complaintResolution.rateBps).toBe(9_000);
    expect(summary.kpis.proofsRefused).toBe(2);
    expect(summary.categories).toEqual([
      { category: 'complaints', occurrences: 1, rawX100: 200, capX100: null, countedX100: 200, excessX100: 0, fineFen: 0 },
      { category: 'late', occurrences: 1, rawX100: 200, capX100: null, countedX100: 200, excessX100: 0, fineFen: 0 },
      { category: 'road_cleanliness', occurrences: 2, rawX100: 400, capX100: 300, countedX100: 300, excessX100: 100, fineFen: 10_000 },
    ]);
    expect(summary.segments).toEqual([
      { segmentId: 'seg_a', findings: 2, validComplaints: 0, lateOrders: 1, missedTasks: 0, rawX100: 600, countedX100: 500, fineFen: 10_000 },
      { segmentId: null, findings: 0, validComplaints: 1, lateOrders: 0, missedTasks: 0, rawX100: 200, countedX100: 200, fineFen: 0 },
    ]);
    expect(summary.counts).toEqual({ findings: 2, missedTasks: 0, lateOrders: 1, validComplaints: 1 });
  });

  it('keeps a rate of nothing due as null, not 100 %', () => {
    const summary = assessmentSummaryOf(assessMonth(noFacts(month), { categoryCaps: [] }));

    expect(summary.kpis.onTimeRectification).toMatchObject({ numerator: 0, denominator: 0, rateBps: null });
    expect(summary.categories).toEqual([]);
    expect(summary.segments).toEqual([]);
  });
});
