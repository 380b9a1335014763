import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../../../domain/contracts/schema';
import { amendTerms, termsAsOf } from '../../../../domain/contracts/terms';
import { addDays } from '../../../../domain/dates';
import { actors, contractFixture } from './fixtures';

const runs = { numRuns: 200 };

/** The fixture contract runs 2025-03-01 – 2025-12-31: 306 days. */
const startDate = '2025-03-01';
const endDate = '2025-12-31';
const days = 306;

/** Built once: parsing the input and copying the template rulebook is the slow part. */
const draft = contractFixture({ startDate, endDate });

/**
 * A draft (drafts may be amended from any date in their term) with up to six amendments in
 * date order, equal dates allowed, each changing the monthly fee; sometimes ended early.
 */
const amendedContract = fc
  .record({
    offsets: fc.array(fc.integer({ min: 0, max: days - 1 }), { maxLength: 6 }).map((list) => [...list].sort((a, b) => a - b)),
    endedAfter: fc.option(fc.integer({ min: -1, max: days - 1 }), { nil: undefined }),
  })
  .map(({ offsets, endedAfter }): Contract => {
    let contract = draft;
    offsets.forEach((offset, index) => {
      contract = amendTerms(
        contract,
        { effectiveFrom: addDays(startDate, offset), reason: `第${index + 1}次变更`, approvedBy: '区市容局 王建国', approvedAt: '2025-01-15', pricing: { kind: 'lump_sum', monthlyFen: 30_000_000 + index } },
        { today: '2025-01-20', amendmentId: `amd_01jnq${String(index + 1).padStart(21, '0')}`, at: new Date('2025-01-20T02:00:00Z'), by: actors.procurement.userId },
      );
    });
    return endedAfter === undefined ? contract : { ...contract, endedOn: addDays(startDate, endedAfter) };
  });

/** Any day from a week before the start to a week after the end. */
const day = fc.integer({ min: -7, max: days + 7 }).map((offset) => addDays(startDate, offset));

describe('termsAsOf properties', () => {
  it('answers the version with the latest effectiveFrom ≤ the date (the later recorded on equal dates), within the days in force', () => {
    fc.assert(
      fc.property(amendedContract, day, (contract, date) => {
        const lastDay = contract.endedOn === undefined || contract.endedOn > endDate ? endDate : contract.endedOn;
        const expected = date < startDate || date > lastDay ? undefined : contract.versions.filter((terms) => terms.effectiveFrom <= date).at(-1);

        expect(termsAsOf(contract, date)?.termsVersion).toBe(expected?.termsVersion);
      }),
      runs,
    );
  });
});
