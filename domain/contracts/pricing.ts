import { divideRoundHalfUp, fen, type Fen } from '../money';

/**
 * The per-m² price unit (`milliFenPerM2Year`, see schema.ts) in arithmetic, so the
 * statement never re-derives it: thousandths of a fen per m² per year.
 */

/**
 * A base for one month under a per-m² price (DESIGN §3 Statement: area x rate per m² per
 * month, prorated by the days in scope): area in hundredths of m² (segments/area.ts, issue
 * 13: the GIS's 12000.5 m²) x rate x days / (100 x 12 x 1000 x days in month), rounded
 * half-up once in BigInt (money.ts). A whole-m² area gives exactly what it gave before.
 */
export function perM2Fen(areaM2X100: number, milliFenPerM2Year: number, daysInScope: number, daysInMonth: number): Fen {
  if (daysInScope < 0 || daysInScope > daysInMonth) throw new RangeError(`days in scope ${daysInScope} must be within 0–${daysInMonth}`);
  if (!Number.isSafeInteger(areaM2X100) || areaM2X100 < 0) throw new RangeError(`an area of ${areaM2X100} hundredths of m² is not a non-negative integer`);
  const numerator = BigInt(areaM2X100) * BigInt(milliFenPerM2Year) * BigInt(daysInScope);
  return fen(Number(divideRoundHalfUp(numerator, 1_200_000n * BigInt(daysInMonth))));
}

/** The tenders module's `fenPer100M2Month` in this unit; exact (x 12 months x 1000 / 100). */
export function fromFenPer100M2Month(fenPer100M2Month: number): number {
  return fenPer100M2Month * 120;
}
