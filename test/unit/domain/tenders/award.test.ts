import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError } from '../../../../domain/errors';
import { award } from '../../../../domain/tenders/award';
import { creditScore, emptyCreditHistory } from '../../../../domain/tenders/credit';
import { evaluateLot } from '../../../../domain/tenders/evaluation';
import type { Bid, Lot, Tender } from '../../../../domain/tenders/schema';
import { evaluatedTender } from '../../../../domain/tenders/tender';
import { procurementOfficer } from '../../../helpers/fakes';
import { contractorFixture } from '../contractors/fakes';
import { bidFixture, lotFixture, municipalCard, tenderFixture } from './fakes';

const stamp = { actor: procurementOfficer, at: new Date('2025-04-15T02:00:00.000Z') };
const alpha = contractorFixture({ contractorId: 'ctr_alpha' });
const beta = contractorFixture({ contractorId: 'ctr_beta' });
const contractors = new Map([[alpha.contractorId, alpha], [beta.contractorId, beta]]);

/** The tender with lot_1 evaluated from `bids`, as the evaluate use case stores it. */
function evaluated(bids: Bid[], lot: Lot = lotFixture(), tender: Tender = tenderFixture({ lots: [lot] })): Tender {
  const table = evaluateLot(tender, lot, bids, contractors, () => creditScore(emptyCreditHistory));
  return evaluatedTender(tender, table, stamp);
}

function lotAndTable(tender: Tender): [Lot, NonNullable<Lot['evaluationTable']>] {
  const lot = tender.lots[0];
  if (lot?.evaluationTable === undefined) throw new Error('fixture: lot_1 has no table');
  return [lot, lot.evaluationTable];
}

const lumpSumBids = [
  bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', price: { kind: 'lump_sum', monthlyFen: 80_000_000 } }),
  bidFixture({ bidId: 'bid_b', contractorId: 'ctr_beta', price: { kind: 'lump_sum', monthlyFen: 85_000_000 } }),
];

describe('award', () => {
  it('awards the first-ranked bid and hands its monthly fee, the lot scope and the origin to the contract', () => {
    // Prepare
    const tender = evaluated(lumpSumBids);
    const [lot, table] = lotAndTable(tender);

    // Act
    const result = award(tender, lot, table, stamp);

    // Assess
    expect(result.terms).toEqual({
      contractorId: 'ctr_alpha',
      serviceType: 'cleaning',
      origin: { kind: 'tender', tenderId: tender.tenderId, lotId: 'lot_1', bidId: 'bid_a' },
      scope: ['seg_k3v5q2ztb4xw7n6a', 'seg_century0000001'],
      pricing: { kind: 'lump_sum', monthlyFen: 80_000_000 },
    });
  });

  it('marks the lot awarded and the tender awarded when it was the last lot', () => {
    // Prepare
    const tender = evaluated(lumpSumBids);
    const [lot, table] = lotAndTable(tender);

    // Act
    const result = award(tender, lot, table, stamp);

    // Assess
    expect(result.tender.lots[0]).toMatchObject({ status: 'awarded', awardedBidId: 'bid_a', awardedContractorId: 'ctr_alpha', awardedAt: '2025-04-15T02:00:00.000Z' });
    expect(result.tender).toMatchObject({ status: 'awarded', version: tender.version + 1 });
  });

  it('refuses to award a lot twice with ConflictError naming the first award', () => {
    // Prepare
    const once = award(...awardArguments(evaluated(lumpSumBids)));

    // Act
    const act = (): unknown => award(...awardArguments(once.tender));

    // Assess
    expect(act).toThrow(ConflictError);
    expect(act).toThrow("lot 'lot_1' was already awarded on 2025-04-15T02:00:00.000Z to bid bid_a");
  });

  it('hands the rate card with the winner\'s unit prices to a unit-rate contract', () => {
    // Prepare
    const lot = lotFixture({ pricing: municipalCard, serviceType: 'municipal' });
    const bids = [
      bidFixture({
        bidId: 'bid_a',
        contractorId: 'ctr_alpha',
        price: { kind: 'unit_rate', items: [{ code: 'M-03', unitFen: 8_000 }, { code: 'M-01', unitFen: 30_000 }, { code: 'M-02', unitFen: 11_500 }] },
      }),
    ];
    const tender = evaluated(bids, lot, tenderFixture({ evaluation: { method: 'lowest_price' }, lots: [lot] }));

    // Act
    const result = award(...awardArguments(tender));

    // Assess: in the card's order, whatever order the bid listed them in.
    expect(result.terms.pricing).toEqual({
      kind: 'unit_rate',
      items: [
        { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 30_000 },
        { code: 'M-02', nameZh: '人行道板修补', unit: 'm²', unitFen: 11_500 },
        { code: 'M-03', nameZh: '路缘石更换', unit: 'm', unitFen: 8_000 },
      ],
    });
  });

  it('refuses a lot without a valid bid (流标) with RuleViolationError', () => {
    // Prepare
    const late = [bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', submittedAt: '2025-04-10T10:00:00+08:00' })];
    const tender = evaluated(late);

    // Act
    const act = (): unknown => award(...awardArguments(tender));

    // Assess
    expect(act).toThrow(RuleViolationError);
  });
});

function awardArguments(tender: Tender): Parameters<typeof award> {
  const [lot, table] = lotAndTable(tender);
  return [tender, lot, table, stamp];
}
