import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp } from '../../../domain/money';

const runs = { numRuns: 200 };

/** Well past Number.MAX_SAFE_INTEGER, as fen x basis points x days can be. */
const big = 2n ** 96n;
const anyInteger = fc.bigInt({ min: -big, max: big });
const nonZero = fc.bigInt({ min: -big, max: big }).filter((value) => value !== 0n);

/** Round half away from zero by remainder: truncate, then step away from zero when |remainder| ≥ |d| / 2. */
function reference(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const abs = (value: bigint): bigint => (value < 0n ? -value : value);
  if (2n * abs(remainder) < abs(denominator)) return quotient;
  return (numerator < 0n) !== (denominator < 0n) ? quotient - 1n : quotient + 1n;
}

describe('divideRoundHalfUp properties', () => {
  it('returns a exactly for (a x b) / b', () => {
    fc.assert(
      fc.property(anyInteger, nonZero, (a, b) => {
        expect(divideRoundHalfUp(a * b, b)).toBe(a);
      }),
      runs,
    );
  });

  it('agrees with a remainder-based BigInt reference, signs included', () => {
    fc.assert(
      fc.property(anyInteger, nonZero, (numerator, denominator) => {
        expect(divideRoundHalfUp(numerator, denominator)).toBe(reference(numerator, denominator));
      }),
      runs,
    );
  });

  it('agrees with the reference on exact halves, where rounding decides', () => {
    // Prepare: (2k + 1) / 2 scaled by d is always a .5 case.
    const half = fc.tuple(anyInteger, nonZero).map(([k, d]) => ({ numerator: (2n * k + 1n) * d, denominator: 2n * d }));

    fc.assert(
      fc.property(half, ({ numerator, denominator }) => {
        expect(divideRoundHalfUp(numerator, denominator)).toBe(reference(numerator, denominator));
      }),
      runs,
    );
  });
});
