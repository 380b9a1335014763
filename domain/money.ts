/**
 * Money is integer fen (分); points are integer hundredths; ratios are basis points.
 * The one rounding rule of the product lives here (DESIGN §3: half-up to the fen, once per
 * line). Callers pass exact integer numerators and denominators and round exactly once.
 */

/** An amount in fen. A branded integer so a float or a yuan figure cannot slip in. */
export type Fen = number & { readonly __unit: 'fen' };

/**
 * The largest amount a request may state: 10^12 fen (100 亿元). Far above any contract of a
 * district (a year of a whole district's cleaning is well under 10^10 fen), far below the
 * safe-integer limit, so sums of many such amounts stay exact (issue 8 "Limits").
 */
export const maxRequestFen = 1_000_000_000_000;

/** Largest record version a request may name (If-Match carries at most 9 digits). */
export const maxRequestVersion = 999_999_999;

export function fen(value: number): Fen {
  if (!Number.isSafeInteger(value)) throw new RangeError(`fen must be a safe integer, got ${value}`);
  return value as Fen;
}

/**
 * numerator / denominator rounded half-up (away from zero on .5) to an integer, computed in
 * BigInt so products of fen x basis points x days cannot lose precision.
 */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (2n * n + d) / (2n * d);
  return negative ? -quotient : quotient;
}

/** fen x (numerator / denominator), rounded half-up once. */
export function prorate(amount: Fen, numerator: number, denominator: number): Fen {
  const result = divideRoundHalfUp(BigInt(amount) * BigInt(numerator), BigInt(denominator));
  return fen(Number(result));
}

/** Formats hundredths (points, scores) for people: 9325 → "93.25", -50 → "-0.50". */
export function formatX100(valueX100: number): string {
  const sign = valueX100 < 0 ? '-' : '';
  const abs = Math.abs(valueX100);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Formats fen as yuan with two decimals for people (¥1,234.50); never parsed back. */
export function formatYuan(amount: Fen): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
