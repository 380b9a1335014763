import { divideRoundHalfUp, fen, type Fen } from '../money';

/**
 * The per-m² price unit (`milliFenPerM2Year`, see schema.ts) in arithmetic, so the
 * statement never re-derives it: thousandths of a fen per m² per year.
 */

/**
 * One segment's base for one month under a per-m² price (DESIGN §3 Statement: area x rate
 * per m² per month, prorated by the days in scope): area x rate x days / (12 x 1000 x days
 * in month), rounded half-up once in BigInt.
 */
export function perM2Fen(areaM2: number, milliFenPerM2Year: number, daysInScope: number, daysInMonth: number): Fen {
  if (daysInScope < 0 || daysInScope > daysInMonth) throw new RangeError(`days in scope ${daysInScope} must be within 0–${daysInMonth}`);
  const numerator = BigInt(areaM2) * BigInt(milliFenPerM2Year) * BigInt(daysInScope);
  return fen(Number(divideRoundHalfUp(numerator, 12_000n * BigInt(daysInMonth))));
}

/** The tenders module's `fenPer100M2Month` in this unit; exact (x 12 months x 1000 / 100). */
export function fromFenPer100M2Month(fenPer100M2Month: number): number {
  return fenPer100M2Month * 120;
}
