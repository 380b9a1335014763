import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../domain/errors';
import { CreateTenderInput, EvaluationMethod } from '../../../../domain/tenders/schema';
import { closedTender, evaluatedTender, newTender } from '../../../../domain/tenders/tender';
import { procurementOfficer, tenantId } from '../../../helpers/fakes';
import { closesAt, lotFixture, tenderFixture } from './fakes';

const at = (instant: string): { actor: typeof procurementOfficer; at: Date } => ({ actor: procurementOfficer, at: new Date(instant) });

describe('newTender', () => {
  it('numbers the lots, stores their area and defaults their service type to the tender\'s', () => {
    // Prepare
    const fields = CreateTenderInput.parse({
      title: '黄浦区道路保洁',
      serviceType: 'cleaning',
      evaluation: { method: 'lowest_price' },
      closesAt,
      lots: [
        { name: '第一标段', segmentIds: ['seg_a'], pricing: { kind: 'lump_sum', ceilingMonthlyFen: 1_000 } },
        { name: '第二标段', serviceType: 'greening', segmentIds: ['seg_b'], pricing: { kind: 'lump_sum', ceilingMonthlyFen: 1_000 } },
      ],
    });

    // Act
    const tender = newTender(tenantId, 'tdr_x', fields, [43_680, 1_200], at('2025-03-12T08:30:00.000Z'));

    // Assess
    expect(tender.lots.map((lot) => [lot.lotId, lot.serviceType, lot.areaM2, lot.status])).toEqual([
      ['lot_1', 'cleaning', 43_680, 'open'],
      ['lot_2', 'greening', 1_200, 'open'],
    ]);
    expect(tender).toMatchObject({ status: 'open', version: 1 });
  });
});

describe('EvaluationMethod', () => {
  it('refuses weights that do not sum to 100', () => {
    // Act
    const result = EvaluationMethod.safeParse({ method: 'weighted', priceWeight: 60, technicalWeight: 30 });

    // Assess
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: ['priceWeight'], message: 'price, technical and credit weights must sum to 100, they sum to 90' })]);
  });

  it('refuses a price weight below 10 for a services tender', () => {
    // Act
    const result = EvaluationMethod.safeParse({ method: 'weighted', priceWeight: 5, technicalWeight: 95 });

    // Assess
    expect(result.error?.issues[0]?.message).toContain('at least 10');
  });
});

describe('closedTender', () => {
  it('refuses to close before the close instant with ConflictError', () => {
    // Prepare
    const open = tenderFixture({ status: 'open', version: 1 });

    // Act
    const act = (): unknown => closedTender(open, at('2025-04-10T01:29:59.000Z'));

    // Assess
    expect(act).toThrow(ConflictError);
  });

  it('closes at the close instant', () => {
    // Prepare
    const open = tenderFixture({ status: 'open', version: 1 });

    // Act
    const closed = closedTender(open, at('2025-04-10T01:30:00.000Z'));

    // Assess
    expect(closed).toMatchObject({ status: 'closed', closedAt: '2025-04-10T01:30:00.000Z', version: 2 });
  });
});

describe('evaluatedTender', () => {
  it('marks a lot without a winner failed and the tender failed when it is the only lot', () => {
    // Prepare
    const tender = tenderFixture({ lots: [lotFixture()] });
    const table = { tenderId: tender.tenderId, lotId: 'lot_1', method: 'lowest_price' as const, pricingKind: 'lump_sum' as const, comparedPriceRule: '', scoreRule: '', tieBreakRule: '', bidCount: 0, validBidCount: 0, warnings: [], rows: [] };

    // Act
    const next = evaluatedTender(tender, table, at('2025-04-11T02:00:00.000Z'));

    // Assess
    expect(next.lots[0]?.status).toBe('failed');
    expect(next.status).toBe('failed');
  });
});
