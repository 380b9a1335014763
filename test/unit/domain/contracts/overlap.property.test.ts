import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scopeConflicts } from '../../../../domain/contracts/overlap';
import type { Contract } from '../../../../domain/contracts/schema';
import { addDays } from '../../../../domain/dates';
import { contractFixture, seg } from './fixtures';

const runs = { numRuns: 200 };

const segments = Object.values(seg);
const origin = '2025-01-01';

/** A non-empty part of the five fixture segments. */
const scope = fc.subarray(segments, { minLength: 1 });

/** Built once: parsing the input and copying the template rulebook is the slow part. */
const base = contractFixture();
const original = base.versions[0]!;

/**
 * An active contract of the fixtures' tenant and service type: any term in 2025–2026, any
 * scope, and sometimes a second terms version that changes the scope part-way, perhaps
 * ended early. Versions are set directly (terms.property.test.ts covers amendTerms).
 */
const activeContract = (contractId: string): fc.Arbitrary<Contract> =>
  fc
    .record({
      start: fc.integer({ min: 0, max: 500 }),
      length: fc.integer({ min: 0, max: 300 }),
      scope,
      amendment: fc.option(fc.record({ after: fc.integer({ min: 0, max: 300 }), scope }), { nil: undefined }),
      endedAfter: fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
    })
    .map(({ start, length, scope: initial, amendment, endedAfter }): Contract => {
      const startDate = addDays(origin, start);
      const endDate = addDays(startDate, length);
      const versions = [{ ...original, effectiveFrom: startDate, scope: [...initial].sort() }];
      if (amendment !== undefined) {
        versions.push({ ...original, termsVersion: 2, effectiveFrom: addDays(startDate, Math.min(amendment.after, length)), scope: [...amendment.scope].sort() });
      }
      return {
        ...base,
        contractId,
        status: 'active',
        startDate,
        endDate,
        ...(endedAfter === undefined ? {} : { endedOn: addDays(startDate, Math.min(endedAfter, length)) }),
        versions,
      };
    });

const withoutOther = (conflicts: ReturnType<typeof scopeConflicts>): unknown[] => conflicts.map(({ otherContractId: _other, ...rest }) => rest);

describe('scopeConflicts properties', () => {
  it('finds the same segment-days whichever of two active contracts is the candidate', () => {
    fc.assert(
      fc.property(activeContract('con_01jnq000000000000000000a01'), activeContract('con_01jnq000000000000000000b01'), (a, b) => {
        const aAgainstB = scopeConflicts(a, [b]);
        const bAgainstA = scopeConflicts(b, [a]);

        expect(withoutOther(aAgainstB)).toEqual(withoutOther(bAgainstA));
        expect(aAgainstB.every((conflict) => conflict.otherContractId === b.contractId)).toBe(true);
        expect(bAgainstA.every((conflict) => conflict.otherContractId === a.contractId)).toBe(true);
      }),
      runs,
    );
  });
});
