import { describe, expect, it } from 'vitest';
import { divideRoundHalfUp, fen, formatYuan, prorate } from '../../../domain/money';

describe('divideRoundHalfUp', () => {
  it.each([
    [10n, 5n, 2n],
    [0n, 7n, 0n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [249n, 100n, 2n],
    [251n, 100n, 3n],
  ])('%i / %i = %i', (numerator, denominator, quotient) => {
    // Act
    const result = divideRoundHalfUp(numerator, denominator);

    // Assess
    expect(result).toBe(quotient);
  });

  it.each([
    [1n, 2n, 1n],
    [5n, 2n, 3n],
    [7n, 2n, 4n],
    [250n, 100n, 3n],
    [12_345n, 10n, 1_235n],
  ])('rounds the half %i / %i up to %i', (numerator, denominator, quotient) => {
    // Act
    const result = divideRoundHalfUp(numerator, denominator);

    // Assess
    expect(result).toBe(quotient);
  });

  it.each([
    [-1n, 2n, -1n],
    [-5n, 2n, -3n],
    [5n, -2n, -3n],
    [-250n, 100n, -3n],
  ])('rounds the negative half %i / %i away from zero to %i', (numerator, denominator, quotient) => {
    // Act
    const result = divideRoundHalfUp(numerator, denominator);

    // Assess
    expect(result).toBe(quotient);
  });

  it.each([
    [-249n, 100n, -2n],
    [-251n, 100n, -3n],
    [-1n, 3n, 0n],
    [-2n, 3n, -1n],
  ])('rounds the negative %i / %i to the nearest, %i', (numerator, denominator, quotient) => {
    // Act
    const result = divideRoundHalfUp(numerator, denominator);

    // Assess
    expect(result).toBe(quotient);
  });

  it('gives a positive quotient for two negatives', () => {
    // Act
    const result = divideRoundHalfUp(-5n, -2n);

    // Assess
    expect(result).toBe(3n);
  });

  it('stays exact far beyond Number\'s safe range', () => {
    // Prepare: fen x basis points x days, as a statement line multiplies them.
    const numerator = 9_007_199_254_740_993n * 9_800n * 17n;

    // Act
    const result = divideRoundHalfUp(numerator, 10_000n * 17n);

    // Assess
    expect(result).toBe(8_827_055_269_646_173n);
  });

  it('refuses a zero denominator', () => {
    // Act
    const attempt = (): bigint => divideRoundHalfUp(1n, 0n);

    // Assess
    expect(attempt).toThrow(RangeError);
  });
});

describe('prorate', () => {
  it('prorates a monthly lump sum by active days, rounding once', () => {
    // Prepare: ¥3,000.00 for 17 of 31 days = 164,516.129... fen.
    const monthly = fen(300_000);

    // Act
    const result = prorate(monthly, 17, 31);

    // Assess
    expect(result).toBe(164_516);
  });

  it('rounds a half fen up', () => {
    // Act
    const result = prorate(fen(100), 1, 8);

    // Assess
    expect(result).toBe(13);
  });

  it('rounds a negative half fen away from zero', () => {
    // Act
    const result = prorate(fen(-100), 1, 8);

    // Assess
    expect(result).toBe(-13);
  });

  it('applies basis points: 9,800 bps of ¥12,345.67', () => {
    // Act
    const result = prorate(fen(1_234_567), 9_800, 10_000);

    // Assess
    expect(result).toBe(1_209_876);
  });

  it('does not lose precision on the largest amounts', () => {
    // Prepare: in floating point, MAX_SAFE_INTEGER x 9,999 is not exact.
    const amount = fen(Number.MAX_SAFE_INTEGER);

    // Act
    const result = prorate(amount, 9_999, 10_000);

    // Assess
    expect(BigInt(result)).toBe(divideRoundHalfUp(BigInt(Number.MAX_SAFE_INTEGER) * 9_999n, 10_000n));
  });

  it('refuses a fractional ratio', () => {
    // Act
    const attempt = (): number => prorate(fen(100), 0.5, 1);

    // Assess
    expect(attempt).toThrow(RangeError);
  });

  it('refuses a result beyond the safe integers', () => {
    // Act
    const attempt = (): number => prorate(fen(Number.MAX_SAFE_INTEGER), 2, 1);

    // Assess
    expect(attempt).toThrow(RangeError);
  });
});

describe('fen', () => {
  it.each([0, 1, -1, 123_450, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])('accepts the integer %i', (value) => {
    // Act
    const result = fen(value);

    // Assess
    expect(result).toBe(value);
  });

  it.each([12.5, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('refuses %d', (value) => {
    // Act
    const attempt = (): number => fen(value);

    // Assess
    expect(attempt).toThrow(RangeError);
  });
});

describe('formatYuan', () => {
  it.each([
    [123_450, '¥1,234.50'],
    [5, '¥0.05'],
    [0, '¥0.00'],
    [100, '¥1.00'],
    [100_000_000_07, '¥100,000,000.07'],
    [-123_456, '-¥1,234.56'],
    [-5, '-¥0.05'],
  ])('formats %i fen as %s', (amount, text) => {
    // Act
    const result = formatYuan(fen(amount));

    // Assess
    expect(result).toBe(text);
  });
});
