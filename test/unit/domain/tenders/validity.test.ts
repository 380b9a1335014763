import { describe, expect, it } from 'vitest';
import type { Contractor } from '../../../../domain/contractors/schema';
import { assessBids, checkBid } from '../../../../domain/tenders/validity';
import { contractorFixture } from '../contractors/fakes';
import { bidFixture, closesAt, lotFixture, municipalCard } from './fakes';

const tender = { closesAt };
const lot = lotFixture();
const cardLot = lotFixture({ pricing: municipalCard });
const active = contractorFixture();
const codes = (check: { problems: readonly { code: string }[] }): string[] => check.problems.map((problem) => problem.code);
const fullCard = [
  { code: 'M-01', unitFen: 33_000 },
  { code: 'M-02', unitFen: 11_000 },
  { code: 'M-03', unitFen: 8_500 },
];

describe('checkBid', () => {
  it('accepts an on-time bid within the ceiling from an active, unlisted contractor', () => {
    // Act
    const check = checkBid(tender, lot, bidFixture({ bidId: 'bid_a', contractorId: active.contractorId }), active);

    // Assess
    expect(check).toEqual({ valid: true, problems: [] });
  });

  it('finds a bid submitted exactly at the close instant late, whatever the offset it is written in', () => {
    // Prepare: 09:30 Beijing time is 01:30 UTC.
    const bid = bidFixture({ bidId: 'bid_a', contractorId: active.contractorId, submittedAt: '2025-04-10T01:30:00Z' });

    // Act
    const check = checkBid(tender, lot, bid, active);

    // Assess
    expect(check.problems).toEqual([{ code: 'late', message: 'submitted at 2025-04-10T01:30:00Z, not before the close at 2025-04-10T09:30:00+08:00' }]);
  });

  it('finds a monthly fee above the ceiling', () => {
    // Prepare
    const bid = bidFixture({ bidId: 'bid_a', contractorId: active.contractorId, price: { kind: 'lump_sum', monthlyFen: 90_000_001 } });

    // Act
    const check = checkBid(tender, lot, bid, active);

    // Assess
    expect(check.problems).toEqual([{ code: 'over_ceiling', message: 'monthly fee ¥900,000.01 is above the ceiling ¥900,000.00' }]);
  });

  it('finds a per-m² rate above the ceiling', () => {
    // Prepare
    const perM2Lot = lotFixture({ pricing: { kind: 'lump_sum_per_m2', ceilingMilliFenPerM2Year: 629_000 } });
    const bid = bidFixture({ bidId: 'bid_a', contractorId: active.contractorId, price: { kind: 'lump_sum_per_m2', milliFenPerM2Year: 1_014_120 } });

    // Act
    const check = checkBid(tender, perM2Lot, bid, active);

    // Assess
    expect(check.problems).toEqual([{ code: 'over_ceiling', message: 'rate 10.1412 元/m²·年 is above the ceiling 6.29 元/m²·年' }]);
  });

  it('finds one rate-card unit price above its ceiling even when the card total is low', () => {
    // Prepare
    const bid = bidFixture({
      bidId: 'bid_a',
      contractorId: active.contractorId,
      price: { kind: 'unit_rate', items: [{ code: 'M-01', unitFen: 36_000 }, { code: 'M-02', unitFen: 100 }, { code: 'M-03', unitFen: 100 }] },
    });

    // Act
    const check = checkBid(tender, cardLot, bid, active);

    // Assess
    expect(check.problems).toEqual([{ code: 'over_ceiling', itemCode: 'M-01', message: 'item M-01 更换破损井盖: ¥360.00/个 is above the ceiling ¥350.00/个' }]);
  });

  it('finds a suspended contractor', () => {
    // Prepare
    const suspended: Contractor = contractorFixture({ status: 'suspended', suspendedAt: '2025-04-01T00:00:00.000Z', suspendedReason: '停业整顿' });

    // Act
    const check = checkBid(tender, lot, bidFixture({ bidId: 'bid_a', contractorId: suspended.contractorId }), suspended);

    // Assess
    expect(codes(check)).toEqual(['contractor_suspended']);
  });

  it('finds a black-listed contractor', () => {
    // Prepare
    const listed: Contractor = contractorFixture({ listing: { status: 'black', reason: '连续两个季度排名末位', since: '2025-04-01' } });

    // Act
    const check = checkBid(tender, lot, bidFixture({ bidId: 'bid_a', contractorId: listed.contractorId }), listed);

    // Assess
    expect(check.problems).toEqual([{ code: 'contractor_blacklisted', message: '福州市绿洁环境服务有限公司 is on the black list since 2025-04-01: 连续两个季度排名末位' }]);
  });

  it('finds a price for an item that is not on the rate card', () => {
    // Prepare
    const bid = bidFixture({ bidId: 'bid_a', contractorId: active.contractorId, price: { kind: 'unit_rate', items: [...fullCard, { code: 'M-99', unitFen: 100 }] } });

    // Act
    const check = checkBid(tender, cardLot, bid, active);

    // Assess
    expect(check.problems).toEqual([{ code: 'unknown_item', itemCode: 'M-99', message: "item M-99 is not on the lot's rate card" }]);
  });

  it('finds an item of the rate card left unpriced', () => {
    // Prepare
    const bid = bidFixture({ bidId: 'bid_a', contractorId: active.contractorId, price: { kind: 'unit_rate', items: fullCard.slice(0, 2) } });

    // Act
    const check = checkBid(tender, cardLot, bid, active);

    // Assess
    expect(check.problems).toEqual([{ code: 'missing_item', itemCode: 'M-03', message: 'item M-03 路缘石更换 of the rate card is not priced' }]);
  });

  it('finds an item priced twice', () => {
    // Prepare
    const bid = bidFixture({ bidId: 'bid_a', contractorId: active.contractorId, price: { kind: 'unit_rate', items: [...fullCard, { code: 'M-02', unitFen: 9_000 }] } });

    // Act
    const check = checkBid(tender, cardLot, bid, active);

    // Assess
    expect(codes(check)).toEqual(['duplicate_item']);
  });

  it('lists every reason of a bid that is wrong in several ways', () => {
    // Prepare
    const suspended = contractorFixture({ status: 'suspended', listing: { status: 'black', reason: '黑榜', since: '2025-04-01' } });
    const bid = bidFixture({
      bidId: 'bid_a',
      contractorId: suspended.contractorId,
      submittedAt: '2025-04-10T10:00:00+08:00',
      price: { kind: 'unit_rate', items: [{ code: 'M-01', unitFen: 40_000 }, { code: 'M-99', unitFen: 1 }] },
    });

    // Act
    const check = checkBid(tender, cardLot, bid, suspended);

    // Assess
    expect(codes(check)).toEqual(['late', 'contractor_suspended', 'contractor_blacklisted', 'over_ceiling', 'unknown_item', 'missing_item', 'missing_item']);
  });

  it('finds a contractor that is not in the registry', () => {
    // Act
    const check = checkBid(tender, lot, bidFixture({ bidId: 'bid_a', contractorId: 'ctr_nobody' }), undefined);

    // Assess
    expect(codes(check)).toEqual(['contractor_unknown']);
  });
});

describe('assessBids', () => {
  const contractors = new Map([[active.contractorId, active]]);

  it('lets a contractor\'s latest on-time bid supersede its earlier one', () => {
    // Prepare
    const first = bidFixture({ bidId: 'bid_1', contractorId: active.contractorId, submittedAt: '2025-04-08T10:00:00+08:00' });
    const amended = bidFixture({ bidId: 'bid_2', contractorId: active.contractorId, submittedAt: '2025-04-09T10:00:00+08:00' });

    // Act
    const problems = assessBids(tender, lot, [first, amended], contractors);

    // Assess
    expect(problems.get('bid_1')).toEqual([{ code: 'superseded', message: "superseded by the same contractor's later bid bid_2 submitted at 2025-04-09T10:00:00+08:00" }]);
    expect(problems.get('bid_2')).toEqual([]);
  });

  it('does not let a late bid supersede an on-time one', () => {
    // Prepare
    const onTime = bidFixture({ bidId: 'bid_1', contractorId: active.contractorId });
    const late = bidFixture({ bidId: 'bid_2', contractorId: active.contractorId, submittedAt: '2025-04-10T09:31:00+08:00' });

    // Act
    const problems = assessBids(tender, lot, [onTime, late], contractors);

    // Assess
    expect(problems.get('bid_1')).toEqual([]);
    expect(problems.get('bid_2')?.map((problem) => problem.code)).toEqual(['late']);
  });
});
