/**
 * Areas in hundredths of a square metre (issue 13): the district GIS gives areas such as
 * 12000.5 m², and a per-m² contract pays for them. The API and the segment record carry
 * `areaM2` in m² with at most two decimals (a DynamoDB number is decimal, so 12000.07 is
 * stored exactly); every computation first takes it to integer hundredths here, sums and
 * multiplies integers, and rounds once, to the fen, in money.ts (`divideRoundHalfUp`).
 * Converting is not rounding: a value with a third decimal is refused at the edge
 * (`multipleOf: 0.01`), and here it is a RangeError.
 */

/** The area in integer hundredths of m² (12000.5 → 1200050). */
export function areaM2X100(areaM2: number): number {
  const scaled = areaM2 * 100;
  const whole = Math.round(scaled);
  // A double holds 12000.07 as 12000.0699999…; anything farther from a hundredth is a third decimal.
  if (!Number.isFinite(areaM2) || areaM2 < 0 || Math.abs(scaled - whole) > Math.max(1e-9, Math.abs(scaled) * 1e-12) || !Number.isSafeInteger(whole)) {
    throw new RangeError(`an area of ${areaM2} m² is not a non-negative number of hundredths of m²`);
  }
  return whole;
}

/** Hundredths of m² back to m² (1200050 → 12000.5), the API's unit. */
export function areaM2FromX100(hundredths: number): number {
  return hundredths / 100;
}

/** An area for a formula: `12000.5 m²`, `43680 m²` (no trailing zeros). */
export function formatAreaX100(hundredths: number): string {
  const whole = Math.trunc(hundredths / 100);
  const rest = hundredths % 100;
  return rest === 0 ? `${whole} m²` : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')} m²`;
}
