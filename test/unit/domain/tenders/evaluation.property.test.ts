import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contractor } from '../../../../domain/contractors/schema';
import { creditScore, emptyCreditHistory } from '../../../../domain/tenders/credit';
import { evaluateLot, type CreditLookup } from '../../../../domain/tenders/evaluation';
import type { Bid, EvaluationMethod } from '../../../../domain/tenders/schema';
import { contractorFixture } from '../contractors/fakes';
import { bidFixture, closesAt, lotFixture, tenderFixture } from './fakes';

const runs = { numRuns: 200 };

/** The fixtures' lot: lump sum, ceiling ¥900 000.00 a month. */
const lot = lotFixture();
const ceiling = 90_000_000;
const closes = Date.parse(closesAt);

const neutral: CreditLookup = () => creditScore(emptyCreditHistory);

/** Lowest price, or weighted with any legal split: price ≥ 10, the three weights summing to 100. */
const method: fc.Arbitrary<EvaluationMethod> = fc.oneof(
  fc.constant({ method: 'lowest_price' as const }),
  fc
    .tuple(fc.integer({ min: 10, max: 100 }), fc.integer({ min: 0, max: 90 }))
    .filter(([price, technical]) => price + technical <= 100)
    .map(([priceWeight, technicalWeight]) => ({ method: 'weighted' as const, priceWeight, technicalWeight, creditWeight: 100 - priceWeight - technicalWeight })),
);

/**
 * Up to 8 bids of distinct contractors: prices around the ceiling (some above it, so
 * invalid), some late, some from a suspended contractor; few distinct prices and scores so
 * ties are common and the tie-breaks are exercised.
 */
const bidsAndRegistry = fc
  .array(
    fc.record({
      monthlyFen: fc.oneof(fc.constantFrom(60_000_000, 75_000_000, 80_000_000), fc.integer({ min: 1, max: 2 * ceiling })),
      technicalScoreX100: fc.option(fc.constantFrom(0, 7_500, 8_500, 10_000), { nil: undefined }),
      minutesBeforeClose: fc.integer({ min: -12 * 60, max: 3 * 24 * 60 }),
      suspended: fc.constantFrom(false, false, false, true),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((entries) => {
    const bids: Bid[] = entries.map((entry, index) =>
      bidFixture({
        bidId: `bid_${String(index).padStart(2, '0')}`,
        contractorId: `ctr_${index}`,
        price: { kind: 'lump_sum', monthlyFen: entry.monthlyFen },
        technicalScoreX100: entry.technicalScoreX100,
        // Late bids (at or after the close) are invalid; the rest are on time.
        submittedAt: new Date(closes - entry.minutesBeforeClose * 60_000).toISOString(),
      }),
    );
    const registry = new Map<string, Contractor>(
      entries.map((entry, index) => [`ctr_${index}`, contractorFixture({ contractorId: `ctr_${index}`, status: entry.suspended ? 'suspended' : 'active' })]),
    );
    return { bids, registry };
  });

const scenario = fc.tuple(method, bidsAndRegistry).chain(([evaluation, { bids, registry }]) =>
  fc.record({
    evaluation: fc.constant(evaluation),
    bids: fc.constant(bids),
    shuffled: fc.shuffledSubarray(bids, { minLength: bids.length, maxLength: bids.length }),
    registry: fc.constant(registry),
  }),
);

describe('evaluateLot properties', () => {
  it('gives the same table whatever order the bids are given in', () => {
    fc.assert(
      fc.property(scenario, ({ evaluation, bids, shuffled, registry }) => {
        const tender = tenderFixture({ evaluation });

        expect(evaluateLot(tender, lot, shuffled, registry, neutral)).toEqual(evaluateLot(tender, lot, bids, registry, neutral));
      }),
      runs,
    );
  });

  it('ranks the valid bids 1..n, first in the table, and leaves the invalid ones unranked', () => {
    fc.assert(
      fc.property(scenario, ({ evaluation, bids, registry }) => {
        const table = evaluateLot(tenderFixture({ evaluation }), lot, bids, registry, neutral);
        const valid = table.rows.filter((row) => row.valid);

        expect(table.rows.map((row) => row.rank)).toEqual([...valid.map((_, index) => index + 1), ...table.rows.slice(valid.length).map(() => undefined)]);
        expect(table.validBidCount).toBe(valid.length);
        expect(table.winnerBidId).toBe(valid[0]?.bidId);
      }),
      runs,
    );
  });

  it('gives every bid at the lowest valid price the full price weight, and no bid more', () => {
    const weighted = scenario.filter(({ evaluation }) => evaluation.method === 'weighted');

    fc.assert(
      fc.property(weighted, ({ evaluation, bids, registry }) => {
        if (evaluation.method !== 'weighted') return;
        const table = evaluateLot(tenderFixture({ evaluation }), lot, bids, registry, neutral);
        const full = evaluation.priceWeight * 100;

        for (const row of table.rows.filter((each) => each.valid)) {
          if (row.comparedPriceFen === table.lowestValidPriceFen) expect(row.priceScoreX100).toBe(full);
          else expect(row.priceScoreX100).toBeLessThanOrEqual(full);
        }
      }),
      runs,
    );
  });
});
