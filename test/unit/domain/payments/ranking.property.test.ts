import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRanked, rankMonth, rankQuarter, type MonthResult } from '../../../../domain/payments/ranking';
import { serviceTypes } from '../../../../domain/service-types';

const runs = { numRuns: 300 };

/** Few distinct scores and late counts, so ties are common. */
const resultsArb: fc.Arbitrary<MonthResult[]> = fc
  .uniqueArray(
    fc.record({
      n: fc.integer({ min: 0, max: 60 }),
      month: fc.constantFrom('2025-01', '2025-02', '2025-03'),
      serviceType: fc.constantFrom(...serviceTypes),
      scoreX100: fc.constantFrom(0, 7_500, 9_000, 9_001, 10_000),
      lateOrders: fc.integer({ min: 0, max: 2 }),
    }),
    { selector: (r) => `${r.n}|${r.month}` },
  )
  .map((rows) =>
    rows.map((r) => ({
      contractId: `con_${String(r.n).padStart(2, '0')}`,
      contractorId: `ctr_${r.n % 7}`,
      // A contract has one service type, whatever month.
      serviceType: serviceTypes[r.n % 3] ?? r.serviceType,
      month: r.month,
      scoreX100: r.scoreX100,
      lateOrders: r.lateOrders,
      validComplaints: 0,
    })),
  );

function reversed<T>(list: readonly T[]): T[] {
  return [...list].reverse();
}

describe('ranking properties', () => {
  it('is a strict total order: each row strictly before the next, ranks 1…n, nobody lost', () => {
    fc.assert(
      fc.property(resultsArb, (results) => {
        for (const ranking of [...rankMonth(results, '2025-02'), ...rankQuarter(results, '2025-Q1')]) {
          ranking.rows.forEach((row, i) => {
            expect(row.rank).toBe(i + 1);
            const next = ranking.rows[i + 1];
            if (next !== undefined) {
              expect(compareRanked(row, next)).toBeLessThan(0);
              expect(compareRanked(next, row)).toBeGreaterThan(0);
            }
          });
        }
        const ranked = rankMonth(results, '2025-02').flatMap((r) => r.rows.map((row) => row.contractId)).sort();
        expect(ranked).toEqual(results.filter((r) => r.month === '2025-02').map((r) => r.contractId).sort());
      }),
      runs,
    );
  });

  it('is stable: the same results in any order rank the same', () => {
    fc.assert(
      fc.property(resultsArb, (results) => {
        expect(rankMonth(reversed(results), '2025-03')).toEqual(rankMonth(results, '2025-03'));
        expect(rankQuarter(reversed(results), '2025-Q1')).toEqual(rankQuarter(results, '2025-Q1'));
      }),
      runs,
    );
  });
});
