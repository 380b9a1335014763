import { describe, expect, it } from 'vitest';
import { comparedPrice } from '../../../../domain/tenders/pricing';
import { lotFixture, municipalCard } from './fakes';

describe('comparedPrice', () => {
  it('takes a lump-sum bid\'s monthly fee as it is', () => {
    // Act
    const price = comparedPrice(lotFixture(), { kind: 'lump_sum', monthlyFen: 80_000_000 });

    // Assess
    expect(price).toEqual({ comparedPriceFen: 80_000_000 });
  });

  it('prices a per-m² bid at the lot area, a month, rounded half-up once', () => {
    // Prepare: 0.8451 元/m²·月 = 1 014 120 thousandths of a fen per m² per year.
    const lot = lotFixture({ areaM2: 43_680, pricing: { kind: 'lump_sum_per_m2', ceilingMilliFenPerM2Year: 1_200_000 } });

    // Act
    const price = comparedPrice(lot, { kind: 'lump_sum_per_m2', milliFenPerM2Year: 1_014_120 });

    // Assess: 1 014 120 x 43 680 / 12 000 = 3 691 396.8 → 3 691 397 fen.
    expect(price).toEqual({ comparedPriceFen: 3_691_397 });
  });

  it('prices a rate card at the estimated quantities, rounding each line half-up once before the sum', () => {
    // Prepare
    const lot = lotFixture({ pricing: municipalCard });

    // Act
    const price = comparedPrice(lot, {
      kind: 'unit_rate',
      items: [
        { code: 'M-01', unitFen: 33_333 },
        { code: 'M-02', unitFen: 11_111 },
        { code: 'M-03', unitFen: 8_500 },
      ],
    });

    // Assess: 416 662.5 → 416 663; 891 657.75 → 891 658; 255 000. Rounding the exact sum
    // (1 563 320.25) once would give 1 563 320: the per-line rule gives 1 563 321.
    expect(price?.priceLines?.map((line) => line.amountFen)).toEqual([416_663, 891_658, 255_000]);
    expect(price?.comparedPriceFen).toBe(1_563_321);
  });

  it('cannot price a rate card with an item left out', () => {
    // Prepare
    const lot = lotFixture({ pricing: municipalCard });

    // Act
    const price = comparedPrice(lot, { kind: 'unit_rate', items: [{ code: 'M-01', unitFen: 33_333 }] });

    // Assess
    expect(price).toBeUndefined();
  });
});
