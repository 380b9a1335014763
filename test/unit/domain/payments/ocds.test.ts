import { describe, expect, it } from 'vitest';
import { assessMonth } from '../../../../domain/assessment/assess';
import { performanceFailures } from '../../../../domain/payments/ocds';
import { cleaningRulebook, contractId, noFacts, seg } from './fixtures';

describe('performanceFailures', () => {
  it('publishes one OCDS entry per category with events, the contracted price and what was imposed', () => {
    // Prepare: 6 valid complaints x 2.00 = 12.00, capped at 10.00; one missed sweep (1.00, ¥100).
    const rulebook = cleaningRulebook();
    const facts = noFacts('2025-06', {
      missedTasks: [{ taskId: 'tsk_1', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 10_000 }],
      validComplaints: ['cmp_1', 'cmp_2', 'cmp_3', 'cmp_4', 'cmp_5', 'cmp_6'].map((complaintId) => ({ complaintId, pointsX100: 200 })),
    });
    const assessment = assessMonth(facts, rulebook);

    // Act
    const failures = performanceFailures({ assessment, rulebook, qualityDeductionFen: 50_000, paid: false });

    // Assess: the month in Shanghai time, 00:00 on the 1st to the last instant of the 30th.
    expect(failures).toEqual([
      {
        id: `${contractId}-2025-06-complaints`,
        period: { startDate: '2025-06-01T00:00:00+08:00', endDate: '2025-06-30T23:59:59.999+08:00' },
        category: 'complaints',
        events: 6,
        penaltyContracted: 'per valid complaint: 2.00 points; at most 10.00 points a month',
        penaltyImposed: "10.00 points deducted from the month's score (raw 12.00, capped at 10.00), part of a quality deduction of ¥500.00; fines ¥0.00",
        penaltyPaid: false,
      },
      {
        id: `${contractId}-2025-06-missed_tasks`,
        period: { startDate: '2025-06-01T00:00:00+08:00', endDate: '2025-06-30T23:59:59.999+08:00' },
        category: 'missed_tasks',
        events: 1,
        penaltyContracted:
          'per missed task: sweep 1.00 points and ¥100.00; patrol_clean 0.50 points and ¥50.00; wash 1.00 points and ¥100.00; water 0.50 points and ¥50.00; other activities 0.50 points and ¥50.00',
        penaltyImposed: "1.00 points deducted from the month's score, part of a quality deduction of ¥500.00; fines ¥100.00",
        penaltyPaid: false,
      },
    ]);
  });
});
