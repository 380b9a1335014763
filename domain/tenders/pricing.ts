import { divideRoundHalfUp } from '../money';
import { areaM2X100 } from '../segments/area';
import type { BidPrice, Lot, PriceLine } from './schema';

/**
 * The compared price of a bid (评标价): one monthly amount in fen for every pricing kind, so
 * bids of a lot are compared, scored and shown in the same unit.
 *
 * - lump sum: the monthly fee as bid.
 * - per m²: the rate x the lot's area in hundredths of m² (fixed when the tender was created)
 *   / 1 200 000 (the rate is thousandths of a fen per year), rounded half-up once. Ranking by this amount is ranking by the rate
 *   (the area is the same for every bid); the amount is shown because it is what the district
 *   would pay and what the price score formula names (投标报价).
 * - unit rate: the rate card priced at the lot's estimated quantities, each line
 *   unitFen x quantityX1000 / 1000 rounded half-up once (DESIGN §3: once per line), then summed.
 */

export const comparedPriceRules: Readonly<Record<Lot['pricing']['kind'], string>> = {
  lump_sum: 'the monthly fee as bid (fen per month)',
  lump_sum_per_m2: 'rate (thousandths of a fen per m² per year) × lot area (hundredths of m²) / 1200000, rounded half-up to the fen',
  unit_rate: 'Σ over the rate card of unit price × estimated quantity (thousandths) / 1000, each line rounded half-up to the fen',
};

export interface ComparedPrice {
  readonly comparedPriceFen: number;
  readonly priceLines?: readonly PriceLine[];
}

/**
 * Prices `price` against `lot`. Undefined when it cannot be priced: another pricing kind, or a
 * rate card item left unpriced (an incomplete card has no total at the estimated quantities).
 * Prices of items not on the card are ignored here; validity reports them.
 */
export function comparedPrice(lot: Pick<Lot, 'pricing' | 'areaM2'>, price: BidPrice): ComparedPrice | undefined {
  const pricing = lot.pricing;
  if (pricing.kind === 'lump_sum' && price.kind === 'lump_sum') return { comparedPriceFen: price.monthlyFen };
  if (pricing.kind === 'lump_sum_per_m2' && price.kind === 'lump_sum_per_m2') {
    return { comparedPriceFen: Number(divideRoundHalfUp(BigInt(price.milliFenPerM2Year) * BigInt(areaM2X100(lot.areaM2)), 1_200_000n)) };
  }
  if (pricing.kind === 'unit_rate' && price.kind === 'unit_rate') {
    const unitFenByCode = new Map(price.items.map((item) => [item.code, item.unitFen]));
    const lines: PriceLine[] = [];
    for (const item of pricing.items) {
      const unitFen = unitFenByCode.get(item.code);
      if (unitFen === undefined) return undefined;
      lines.push({
        code: item.code,
        nameZh: item.nameZh,
        unit: item.unit,
        unitFen,
        estimatedQuantityX1000: item.estimatedQuantityX1000,
        amountFen: Number(divideRoundHalfUp(BigInt(unitFen) * BigInt(item.estimatedQuantityX1000), 1000n)),
      });
    }
    return { comparedPriceFen: lines.reduce((total, line) => total + line.amountFen, 0), priceLines: lines };
  }
  return undefined;
}
