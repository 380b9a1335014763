import { describe, expect, it } from 'vitest';
import { computeStatement } from '../../../../domain/payments/statement';
import { assessmentWithScore, contractId, seg, terms } from './fixtures';

describe('per-m² base with fractional areas (issue 13)', () => {
  it('sums 12000.5 m² and 0.25 m² in hundredths and rounds the line once', () => {
    // Prepare: 12 000.75 m² at 6.29 元/m²·年 for all of April:
    // 1 200 075 x 629 000 x 30 / (1 200 000 x 30) = 629 039.3… → 629 039 fen.
    const pricing = { kind: 'lump_sum_per_m2' as const, milliFenPerM2Year: 629_000 };
    const contract = { startDate: '2025-01-01', endDate: '2027-12-31', versions: [terms(1, '2025-01-01', [seg.a, seg.b], pricing)] };

    // Act
    const statement = computeStatement({
      contractId,
      month: '2025-04',
      contract,
      segmentAreasM2: { [seg.a]: 12_000.5, [seg.b]: 0.25 },
      assessment: assessmentWithScore('2025-04', 10_000),
      workOrders: [],
      adjustments: [],
    });

    // Assess
    const base = statement.lines.find((line) => line.code === 'base');
    expect(base?.amountFen).toBe(629_039);
    expect(base?.formula).toMatch(/^12000\.75 m² \(2 segment\(s\)\)/);
  });
});
