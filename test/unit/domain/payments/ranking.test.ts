import { describe, expect, it } from 'vitest';
import { assessMonth } from '../../../../domain/assessment/assess';
import { addMonths } from '../../../../domain/assessment/months';
import {
  contractorCredit,
  creditHistoryOf,
  listsForMonth,
  monthResultOf,
  rankMonth,
  rankQuarter,
  terminationReviews,
  type MonthResult,
} from '../../../../domain/payments/ranking';
import type { Listing } from '../../../../domain/rulebooks/schema';
import type { ServiceType } from '../../../../domain/service-types';
import { creditScore } from '../../../../domain/tenders/credit';
import { cleaningRulebook, noFacts } from './fixtures';

function result(contractId: string, month: string, scoreX100: number, lateOrders = 0, extra: Partial<MonthResult> = {}): MonthResult {
  return { contractId, contractorId: `ctr_${contractId}`, serviceType: 'cleaning', month, scoreX100, lateOrders, validComplaints: 0, ...extra };
}

/** The cleaning template's listing: red ≥ 95, black < 75 after 3 months, review after 5 quarters < 75. */
const listing: Listing = cleaningRulebook().listing;
const listingOf = (): Listing => listing;

describe('rankMonth', () => {
  it('orders each service type by score, then fewer late orders, then contract id, and says how ties broke', () => {
    // Prepare
    const results = [
      result('con_01', '2025-04', 9_200, 1),
      result('con_02', '2025-04', 9_200, 0),
      result('con_03', '2025-04', 9_500, 3),
      result('con_04', '2025-04', 9_200, 0),
      result('con_g1', '2025-04', 8_800, 0, { serviceType: 'greening' as ServiceType }),
      result('con_01', '2025-03', 10_000, 0), // another month: not in April's ranking
    ];

    // Act
    const rankings = rankMonth(results, '2025-04');

    // Assess
    expect(rankings.map((r) => r.serviceType)).toEqual(['cleaning', 'greening']);
    expect(rankings[0]?.rows).toEqual([
      { rank: 1, contractId: 'con_03', contractorId: 'ctr_con_03', scoreX100: 9_500, lateOrders: 3, months: 1 },
      { rank: 2, contractId: 'con_02', contractorId: 'ctr_con_02', scoreX100: 9_200, lateOrders: 0, months: 1 },
      { rank: 3, contractId: 'con_04', contractorId: 'ctr_con_04', scoreX100: 9_200, lateOrders: 0, months: 1, tieBreak: 'tied at 92.00 with con_02 on score and late orders (0): contract id order' },
      { rank: 4, contractId: 'con_01', contractorId: 'ctr_con_01', scoreX100: 9_200, lateOrders: 1, months: 1, tieBreak: 'tied at 92.00 with con_04: more late orders (1 > 0)' },
    ]);
  });

  it('refuses two results of one contract for one month', () => {
    expect(() => rankMonth([result('con_01', '2025-04', 9_000), result('con_01', '2025-04', 9_100)], '2025-04')).toThrow("contract 'con_01' has two results for 2025-04");
  });

  it('ranks from assessments through monthResultOf', () => {
    // Prepare: one late order of 8.00 → score 92.00, late orders 1.
    const assessment = assessMonth(noFacts('2025-04', { lateOrders: [{ orderId: 'ord_1', itemCode: 'CL-PILE-M', pointsX100: 800, fineFen: 0 }] }), cleaningRulebook());

    // Act
    const entry = monthResultOf(assessment, 'ctr_k2m7q4x9b3n8p5rt');

    // Assess
    expect(entry).toMatchObject({ month: '2025-04', scoreX100: 9_200, lateOrders: 1, validComplaints: 0, contractorId: 'ctr_k2m7q4x9b3n8p5rt' });
  });
});

describe('rankQuarter', () => {
  it('ranks by the mean of the months each contract was assessed in, rounded half-up once', () => {
    // Prepare: con_a (90.00 + 91.00 + 90.50) / 3 = 90.50 exactly;
    // con_b (90.00 + 90.01) / 2 = 90.005 → 90.01 (half-up), late 1 + 1 = 2;
    // con_c March only: 90.01, late 0 → above con_b on the tie.
    const results = [
      result('con_a', '2025-01', 9_000),
      result('con_a', '2025-02', 9_100),
      result('con_a', '2025-03', 9_050),
      result('con_b', '2025-01', 9_000, 1),
      result('con_b', '2025-02', 9_001, 1),
      result('con_c', '2025-03', 9_001, 0),
      result('con_a', '2025-04', 0), // the next quarter
    ];

    // Act
    const [cleaning] = rankQuarter(results, '2025-Q1');

    // Assess
    expect(cleaning?.period).toBe('2025-Q1');
    expect(cleaning?.rows.map((row) => [row.rank, row.contractId, row.scoreX100, row.lateOrders, row.months])).toEqual([
      [1, 'con_a', 9_050, 0, 3],
      [2, 'con_c', 9_001, 0, 1],
      [3, 'con_b', 9_001, 2, 2],
    ]);
  });
});

describe('listsForMonth', () => {
  it('lists red at or above the line, black after the consecutive months below, warnings before that', () => {
    // Prepare: black line 75.00 after 3 consecutive months.
    const results = [
      // con_x: Feb 70, Mar 74, Apr 72 → 3 months below → black.
      result('con_x', '2025-02', 7_000),
      result('con_x', '2025-03', 7_400),
      result('con_x', '2025-04', 7_200),
      // con_y: no February result, Mar 70, Apr 71 → 2 → warning (a gap breaks the run).
      result('con_y', '2025-03', 7_000),
      result('con_y', '2025-04', 7_100),
      // con_w: Jan 70, Feb 80, Mar 70, Apr 70 → 2 → warning (a good month breaks the run).
      result('con_w', '2025-01', 7_000),
      result('con_w', '2025-02', 8_000),
      result('con_w', '2025-03', 7_000),
      result('con_w', '2025-04', 7_000),
      result('con_z', '2025-04', 9_600), // red
      result('con_v', '2025-04', 7_500), // exactly 75.00: not below
    ];

    // Act
    const lists = listsForMonth(results, '2025-04', listingOf);

    // Assess
    expect(lists.map((entry) => [entry.list, entry.contractId, entry.consecutiveMonthsBelow])).toEqual([
      ['red', 'con_z', 0],
      ['black', 'con_x', 3],
      ['warning', 'con_y', 2],
      ['warning', 'con_w', 2],
    ]);
    expect(lists[1]?.reason).toBe('score 72.00 < 75.00 for 3 consecutive month(s); black-listed after 3');
  });

  it('lists nobody for a rulebook without thresholds', () => {
    expect(listsForMonth([result('con_x', '2025-04', 1_000)], '2025-04', () => ({}))).toEqual([]);
  });
});

describe('terminationReviews', () => {
  it('opens a review after the rulebook number of consecutive quarters below the line', () => {
    // Prepare: 15 months at 74.00 from 2024-01 → quarters 2024-Q1 … 2025-Q1 all below 75.00.
    // con_u is the same except 2024-Q3 averages 75.00, which breaks its run.
    const months = Array.from({ length: 15 }, (_, i) => addMonths('2024-01', i));
    const results = [
      ...months.map((month) => result('con_t', month, 7_400)),
      ...months.map((month) => result('con_u', month, month >= '2024-07' && month <= '2024-09' ? 7_500 : 7_400)),
    ];

    // Act
    const atFifth = terminationReviews(results, '2025-Q1', listingOf);
    const atFourth = terminationReviews(results, '2024-Q4', listingOf);

    // Assess
    expect(atFifth).toEqual([
      {
        contractId: 'con_t',
        contractorId: 'ctr_con_t',
        serviceType: 'cleaning',
        quarters: ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4', '2025-Q1'].map((quarter) => ({ quarter, meanX100: 7_400 })),
        reason:
          'quarter means 2024-Q1 74.00, 2024-Q2 74.00, 2024-Q3 74.00, 2024-Q4 74.00, 2025-Q1 74.00 all below 75.00: 5 consecutive quarter(s) open a termination review',
      },
    ]);
    expect(atFourth).toEqual([]);
  });
});

describe('contractor credit', () => {
  it('gathers the last 12 months of every contract of the contractor into the history tender evaluation reads', () => {
    // Prepare: window for 2025-04 is 2024-05 … 2025-04. In it: 2025-03 two contracts (90.00,
    // 95.00), 2025-04 one (80.00); 2 late orders, 1 valid complaint, 2 distinct months.
    // credit = 265.00 / 3 = 88.333… → 88.33 − 2.00 x 2 / 2 [2.00] − 1.00 x 1 / 2 [0.50] = 85.83.
    const results = [
      result('con_1', '2024-04', 1_000, 9, { contractorId: 'ctr_a' }), // outside the window
      result('con_1', '2025-03', 9_000, 1, { contractorId: 'ctr_a' }),
      result('con_2', '2025-03', 9_500, 0, { contractorId: 'ctr_a', validComplaints: 1 }),
      result('con_1', '2025-04', 8_000, 1, { contractorId: 'ctr_a' }),
      result('con_9', '2025-04', 5_000, 5, { contractorId: 'ctr_b' }), // another contractor
    ];

    // Act
    const history = creditHistoryOf(results, 'ctr_a', '2025-04');
    const credit = contractorCredit(results, 'ctr_a', '2025-04');

    // Assess
    expect(history).toEqual({
      monthlyScores: [
        { month: '2025-03', scoreX100: 9_000 },
        { month: '2025-03', scoreX100: 9_500 },
        { month: '2025-04', scoreX100: 8_000 },
      ],
      lateRectifications: 2,
      validComplaints: 1,
      months: 2,
    });
    expect(credit.valueX100).toBe(8_583);
    expect(credit).toEqual(creditScore(history));
    expect(contractorCredit(results, 'ctr_new', '2025-04')).toMatchObject({ valueX100: 8_000, neutral: true });
  });
});
