import { describe, expect, it } from 'vitest';
import { assessMonth, type MonthFacts } from '../../../../domain/assessment/assess';
import { cleaningRulebook, noFacts, seg } from '../payments/fixtures';

/**
 * A June 2025 month under the cleaning-standard rulebook (complaints and events capped at
 * 10.00), with every kind of source and both caps binding.
 */
function juneFacts(): MonthFacts {
  return noFacts('2025-06', {
    findings: [
      { inspectionId: 'insp_1', segmentId: seg.a, itemCode: 'CL-LITTER', category: 'road_cleanliness', pointsX100: 200, fineFen: 0, at: '2025-06-03T02:00:00Z' },
      { inspectionId: 'insp_1', segmentId: seg.a, itemCode: 'CL-PILE-M', category: 'road_cleanliness', pointsX100: 800, fineFen: 20_000, at: '2025-06-03T02:00:00Z' },
      // Given out of time order on purpose: the cap is reached in inspection-time order.
      { inspectionId: 'insp_4', segmentId: seg.a, itemCode: 'CL-EVENT', category: 'events', pointsX100: 500, fineFen: 0, at: '2025-06-20T02:00:00Z' },
      { inspectionId: 'insp_2', segmentId: seg.b, itemCode: 'CL-EVENT', category: 'events', pointsX100: 500, fineFen: 0, at: '2025-06-10T02:00:00Z' },
      // The second event finding on seg b, escalated (linear) by the inspection module: 2 x 5.00.
      { inspectionId: 'insp_3', segmentId: seg.b, itemCode: 'CL-EVENT', category: 'events', pointsX100: 1_000, fineFen: 0, at: '2025-06-12T02:00:00Z' },
    ],
    missedTasks: [
      { taskId: 'tsk_1', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 10_000 },
      { taskId: 'tsk_2', segmentId: seg.b, activity: 'patrol_clean', pointsX100: 50, fineFen: 5_000, proofIds: ['prf_9', 'prf_8'] },
    ],
    lateOrders: [{ orderId: 'ord_1', itemCode: 'CL-PILE-M', segmentId: seg.a, pointsX100: 800, fineFen: 20_000 }],
    validComplaints: ['cmp_1', 'cmp_2', 'cmp_3', 'cmp_4', 'cmp_5', 'cmp_6'].map((complaintId) => ({ complaintId, pointsX100: 200 })),
    tasksDue: 300,
    tasksDone: 287,
    ordersDue: 3,
    ordersOnTime: 2,
    complaintsReceived: 8,
    complaintsResolved: 7,
    proofsRefused: 4,
  });
}

describe('assessMonth', () => {
  it('scores 100.00 less each category capped, and says so in the formula', () => {
    // Prepare: road_cleanliness 2.00 + 8.00 = 10.00 (no cap); events 5.00 + 10.00 + 5.00 =
    // 20.00 → cap 10.00; late 8.00; missed 1.00 + 0.50 = 1.50; complaints 6 x 2.00 = 12.00 →
    // cap 10.00. Counted 10 + 10 + 8 + 1.5 + 10 = 39.50 → score 100 − 39.50 = 60.50.
    const facts = juneFacts();

    // Act
    const assessment = assessMonth(facts, cleaningRulebook());

    // Assess
    expect(assessment.scoreX100).toBe(6_050);
    expect(assessment.rawPointsX100).toBe(5_150);
    expect(assessment.countedPointsX100).toBe(3_950);
    expect(assessment.excessPointsX100).toBe(1_200);
    expect(assessment.formula).toBe(
      '100.00 − 10.00 (complaints, 12.00 capped at 10.00) − 10.00 (events, 20.00 capped at 10.00) − 8.00 (late) − 1.50 (missed_tasks) − 10.00 (road_cleanliness) = 60.50',
    );
    expect(assessment.categories.map((c) => [c.category, c.rawX100, c.capX100, c.countedX100, c.excessX100])).toEqual([
      ['complaints', 1_200, 1_000, 1_000, 200],
      ['events', 2_000, 1_000, 1_000, 1_000],
      ['late', 800, null, 800, 0],
      ['missed_tasks', 150, null, 150, 0],
      ['road_cleanliness', 1_000, null, 1_000, 0],
    ]);
  });

  it('shows which sources the cap cut, in inspection-time order, instead of dropping them', () => {
    // Prepare: events in time order: insp_2 5.00 (room 10 → 5 counted), insp_3 10.00 (room 5 →
    // 5 counted, 5 cut), insp_4 5.00 (room 0 → all 5 cut).
    const facts = juneFacts();

    // Act
    const events = assessMonth(facts, cleaningRulebook()).categories.find((c) => c.category === 'events');
    const complaints = assessMonth(facts, cleaningRulebook()).categories.find((c) => c.category === 'complaints');

    // Assess
    expect(events?.sources.map((s) => [s.id, s.pointsX100, s.countedX100, s.excessX100])).toEqual([
      ['insp_2', 500, 500, 0],
      ['insp_3', 1_000, 500, 500],
      ['insp_4', 500, 0, 500],
    ]);
    expect(complaints?.sources.filter((s) => s.excessX100 > 0).map((s) => s.id)).toEqual(['cmp_6']);
  });

  it('breaks points and fines down by segment, complaints without a segment last', () => {
    // Prepare: seg a: 2 + 8 + 5 (insp_4, all cut) + 1 (tsk_1) + 8 (ord_1) = 24.00 raw, 19.00 counted;
    // fines 200 + 100 + 200 元. seg b: 5 + 10 (5 cut) + 0.50 = 15.50 raw, 10.50 counted; fine 50 元.
    const facts = juneFacts();

    // Act
    const { segments } = assessMonth(facts, cleaningRulebook());

    // Assess
    expect(segments).toEqual([
      { segmentId: seg.a, rawX100: 2_400, countedX100: 1_900, fineFen: 50_000, findings: 3, missedTasks: 1, lateOrders: 1, complaints: 0 },
      { segmentId: seg.b, rawX100: 1_550, countedX100: 1_050, fineFen: 5_000, findings: 2, missedTasks: 1, lateOrders: 0, complaints: 0 },
      { segmentId: null, rawX100: 1_200, countedX100: 1_000, fineFen: 0, findings: 0, missedTasks: 0, lateOrders: 0, complaints: 6 },
    ]);
  });

  it('groups the fines the statement takes, with their sources, uncapped', () => {
    // Act
    const { fines } = assessMonth(juneFacts(), cleaningRulebook());

    // Assess: only fined occurrences are sources (CL-LITTER costs no money).
    expect(fines).toEqual({
      findings: { fineFen: 20_000, count: 1, ids: ['insp_1'], itemCodes: ['CL-PILE-M'], proofIds: [] },
      // tsk_2's proof was refused, then a second one rejected by an inspector: both trace the miss.
      missedTasks: { fineFen: 15_000, count: 2, ids: ['tsk_1', 'tsk_2'], itemCodes: [], proofIds: ['prf_8', 'prf_9'] },
      lateOrders: { fineFen: 20_000, count: 1, ids: ['ord_1'], itemCodes: ['CL-PILE-M'], proofIds: [] },
    });
  });

  it('gives KPI rates in basis points rounded half-up once, and no rate when nothing was due', () => {
    // Prepare: 287 / 300 = 95.666…% → 9567; 2 / 3 = 66.666…% → 6667; 7 / 8 = 87.5 % → 8750.
    const withComplaints = assessMonth(juneFacts(), cleaningRulebook());
    const quiet = assessMonth(noFacts('2025-06', { tasksDue: 10, tasksDone: 10 }), cleaningRulebook());

    // Assess
    expect(withComplaints.kpis.taskCompletion).toEqual({ numerator: 287, denominator: 300, rateBps: 9_567, formula: '287 tasks done / 300 tasks due = 95.67 %' });
    expect(withComplaints.kpis.onTimeRectification.rateBps).toBe(6_667);
    expect(withComplaints.kpis.complaintResolution.rateBps).toBe(8_750);
    expect(withComplaints.kpis.proofsRefused).toBe(4);
    expect(quiet.kpis.taskCompletion.rateBps).toBe(10_000);
    expect(quiet.kpis.onTimeRectification).toEqual({ numerator: 0, denominator: 0, rateBps: null, formula: 'no orders due: no rate' });
  });

  it('floors the score at 0.00 when the points exceed 100', () => {
    // Prepare: 11 x 10.00 uncapped road findings = 110.00 → 100 − 110 = −10.00 → 0.00.
    const findings = Array.from({ length: 11 }, (_, i) => ({
      inspectionId: `insp_${String(i).padStart(2, '0')}`,
      segmentId: seg.a,
      itemCode: 'CL-SAND',
      category: 'road_cleanliness',
      pointsX100: 1_000,
      fineFen: 0,
      at: '2025-06-05T00:00:00Z',
    }));

    // Act
    const assessment = assessMonth(noFacts('2025-06', { findings }), cleaningRulebook());

    // Assess
    expect(assessment.scoreX100).toBe(0);
    expect(assessment.formula).toBe('100.00 − 110.00 (road_cleanliness) = -10.00, floored at 0.00 = 0.00');
  });

  it('scores a month without any point 100.00', () => {
    // Act
    const assessment = assessMonth(noFacts('2025-02'), cleaningRulebook());

    // Assess
    expect(assessment).toMatchObject({ scoreX100: 10_000, daysInMonth: 28, categories: [], segments: [], formula: '100.00 = 100.00' });
  });

  it('refuses inconsistent facts as wiring mistakes', () => {
    // Assess
    expect(() => assessMonth(noFacts('2025-06', { tasksDue: 3, tasksDone: 4 }), cleaningRulebook())).toThrow('tasksDone (4) exceeds tasksDue (3)');
    expect(() =>
      assessMonth(
        noFacts('2025-06', {
          missedTasks: [
            { taskId: 'tsk_1', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 0 },
            { taskId: 'tsk_1', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 0 },
          ],
        }),
        cleaningRulebook(),
      ),
    ).toThrow("missedTasks.taskId 'tsk_1' appears twice");
    expect(() => assessMonth(noFacts('2025-06', { validComplaints: [{ complaintId: 'cmp_1', pointsX100: 1.5 }] }), cleaningRulebook())).toThrow(RangeError);
    expect(() => assessMonth(noFacts('2025-13'), cleaningRulebook())).toThrow("'2025-13' is not a month");
  });
});
