import { describe, expect, it } from 'vitest';
import type { Contractor } from '../../../../domain/contractors/schema';
import { creditScore, emptyCreditHistory } from '../../../../domain/tenders/credit';
import { evaluateLot, type CreditLookup } from '../../../../domain/tenders/evaluation';
import type { Bid, EvaluationTable, Tender } from '../../../../domain/tenders/schema';
import { contractorFixture } from '../contractors/fakes';
import { bidFixture, lotFixture, municipalCard, tenderFixture } from './fakes';

const alpha = contractorFixture({ contractorId: 'ctr_alpha', name: '甲环境服务有限公司' });
const beta = contractorFixture({ contractorId: 'ctr_beta', name: '乙环卫集团有限公司' });
const gamma = contractorFixture({ contractorId: 'ctr_gamma', name: '丙城市服务有限公司' });
const delta = contractorFixture({ contractorId: 'ctr_delta', name: '丁物业管理有限公司' });
const registry = (...contractors: Contractor[]): ReadonlyMap<string, Contractor> => new Map(contractors.map((contractor) => [contractor.contractorId, contractor]));
const neutral: CreditLookup = () => creditScore(emptyCreditHistory);

/** 60 / 30 / 10 weighted lump-sum lot; the lowest valid price is ¥800 000.00 a month. */
const weightedBids: Bid[] = [
  bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', price: { kind: 'lump_sum', monthlyFen: 80_000_000 }, technicalScoreX100: 8_500 }),
  bidFixture({ bidId: 'bid_b', contractorId: 'ctr_beta', price: { kind: 'lump_sum', monthlyFen: 85_000_000 }, technicalScoreX100: 9_200 }),
  bidFixture({ bidId: 'bid_c', contractorId: 'ctr_gamma', price: { kind: 'lump_sum', monthlyFen: 88_000_000 }, technicalScoreX100: 9_800 }),
];

function rowOf(table: EvaluationTable, bidId: string): EvaluationTable['rows'][number] | undefined {
  return table.rows.find((row) => row.bidId === bidId);
}

describe('evaluateLot: weighted', () => {
  it('scores price as lowest / this x weight, technical and credit as score x weight / 100, each rounded half-up once', () => {
    // Prepare
    const tender = tenderFixture();

    // Act
    const table = evaluateLot(tender, lotFixture(), weightedBids, registry(alpha, beta, gamma), neutral);

    // Assess: bid_b: 800 000 / 850 000 x 60 = 56.470… → 56.47; 92.00 x 30 / 100 = 27.60; 80.00 x 10 / 100 = 8.00.
    expect(rowOf(table, 'bid_b')).toMatchObject({ comparedPriceFen: 85_000_000, priceScoreX100: 5_647, technicalPartX100: 2_760, creditPartX100: 800, totalX100: 9_207 });
  });

  it('gives the lowest valid price full price marks', () => {
    // Act
    const table = evaluateLot(tenderFixture(), lotFixture(), weightedBids, registry(alpha, beta, gamma), neutral);

    // Assess
    expect(rowOf(table, 'bid_a')).toMatchObject({ priceScoreX100: 6_000, totalX100: 9_350 });
    expect(table.lowestValidPriceFen).toBe(80_000_000);
  });

  it('ranks by total, highest first', () => {
    // Act
    const table = evaluateLot(tenderFixture(), lotFixture(), weightedBids, registry(alpha, beta, gamma), neutral);

    // Assess: totals 93.50, 92.07, 91.95.
    expect(table.rows.map((row) => [row.bidId, row.totalX100, row.rank])).toEqual([
      ['bid_a', 9_350, 1],
      ['bid_b', 9_207, 2],
      ['bid_c', 9_195, 3],
    ]);
    expect(table.winnerBidId).toBe('bid_a');
  });

  it('lets a strong credit history change the ranking against neutral newcomers', () => {
    // Prepare: gamma has a year of 100.00 months; the others are new to the district.
    const history = { monthlyScores: Array.from({ length: 12 }, (_, i) => ({ month: `2024-${String(i + 1).padStart(2, '0')}`, scoreX100: 10_000 })), lateRectifications: 0, validComplaints: 0, months: 12 };
    const credit: CreditLookup = (contractorId) => creditScore(contractorId === 'ctr_gamma' ? history : emptyCreditHistory);

    // Act
    const table = evaluateLot(tenderFixture(), lotFixture(), weightedBids, registry(alpha, beta, gamma), credit);

    // Assess: gamma 54.55 + 29.40 + 10.00 = 93.95 beats alpha's 93.50.
    expect(table.winnerBidId).toBe('bid_c');
    expect(rowOf(table, 'bid_c')?.credit).toMatchObject({ valueX100: 10_000, neutral: false });
    expect(rowOf(table, 'bid_a')?.credit).toMatchObject({ valueX100: 8_000, neutral: true });
  });

  it('breaks a tie on total by the higher technical score and says so on both rows', () => {
    // Prepare: 50 / 50. A: 50.00 + 40.00 = 90.00; B: 100/125 x 50 = 40.00 + 50.00 = 90.00.
    const tender = tenderFixture({ evaluation: { method: 'weighted', priceWeight: 50, technicalWeight: 50, creditWeight: 0 } });
    const bids = [
      bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', price: { kind: 'lump_sum', monthlyFen: 80_000_000 }, technicalScoreX100: 8_000 }),
      bidFixture({ bidId: 'bid_b', contractorId: 'ctr_beta', price: { kind: 'lump_sum', monthlyFen: 100_000_000 }, technicalScoreX100: 10_000 }),
    ];
    const lot = lotFixture({ pricing: { kind: 'lump_sum', ceilingMonthlyFen: 200_000_000 } });

    // Act
    const table = evaluateLot(tender, lot, bids, registry(alpha, beta), neutral);

    // Assess
    expect(table.rows.map((row) => [row.bidId, row.totalX100, row.rank])).toEqual([
      ['bid_b', 9_000, 1],
      ['bid_a', 9_000, 2],
    ]);
    expect(rowOf(table, 'bid_a')?.tieBreak).toBe('tied on total 90.00 with bid_b; ranked below it by higher technical score (80.00 vs 100.00)');
  });

  it('leaves the credit column out when the tender gives credit no weight', () => {
    // Prepare
    const tender = tenderFixture({ evaluation: { method: 'weighted', priceWeight: 60, technicalWeight: 40, creditWeight: 0 } });

    // Act
    const table = evaluateLot(tender, lotFixture(), weightedBids, registry(alpha, beta, gamma), neutral);

    // Assess
    expect(rowOf(table, 'bid_a')).not.toHaveProperty('credit');
    expect(table.scoreRule).not.toContain('credit');
  });
});

describe('evaluateLot: lowest price', () => {
  const tender: Tender = tenderFixture({ evaluation: { method: 'lowest_price' } });

  it('ranks by compared price, lowest first, with no scores', () => {
    // Act
    const table = evaluateLot(tender, lotFixture(), weightedBids, registry(alpha, beta, gamma), neutral);

    // Assess
    expect(table.rows.map((row) => [row.bidId, row.rank])).toEqual([
      ['bid_a', 1],
      ['bid_b', 2],
      ['bid_c', 3],
    ]);
    expect(rowOf(table, 'bid_a')).not.toHaveProperty('totalX100');
  });

  it('breaks a tie on price by the higher technical score', () => {
    // Prepare
    const bids = [
      bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', technicalScoreX100: 8_000 }),
      bidFixture({ bidId: 'bid_b', contractorId: 'ctr_beta', technicalScoreX100: 8_800 }),
    ];

    // Act
    const table = evaluateLot(tender, lotFixture(), bids, registry(alpha, beta), neutral);

    // Assess
    expect(table.winnerBidId).toBe('bid_b');
    expect(rowOf(table, 'bid_b')?.tieBreak).toBe('tied on compared price ¥800,000.00 with bid_a; ranked above it by higher technical score (88.00 vs 80.00)');
  });

  it('breaks a tie on price and technical score by the earlier submission', () => {
    // Prepare
    const bids = [
      bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', submittedAt: '2025-04-09T16:00:00+08:00' }),
      bidFixture({ bidId: 'bid_b', contractorId: 'ctr_beta', submittedAt: '2025-04-09T07:59:00Z' }),
    ];

    // Act
    const table = evaluateLot(tender, lotFixture(), bids, registry(alpha, beta), neutral);

    // Assess: 07:59Z is 15:59 Beijing time, a minute before bid_a.
    expect(table.rows.map((row) => row.bidId)).toEqual(['bid_b', 'bid_a']);
    expect(rowOf(table, 'bid_a')?.tieBreak).toContain('ranked below it by earlier submission');
  });

  it('states the tie-break rule in the table', () => {
    // Act
    const table = evaluateLot(tender, lotFixture(), weightedBids, registry(alpha, beta, gamma), neutral);

    // Assess
    expect(table.tieBreakRule).toBe('lower compared price ranks first; equal prices: higher technical score (absent counts as 0), then earlier submission, then smaller bid id');
  });

  it('compares a rate card at the estimated quantities and shows the priced lines', () => {
    // Prepare
    const lot = lotFixture({ pricing: municipalCard });
    const card = (m1: number, m2: number, m3: number): Bid['price'] => ({ kind: 'unit_rate', items: [{ code: 'M-01', unitFen: m1 }, { code: 'M-02', unitFen: m2 }, { code: 'M-03', unitFen: m3 }] });
    const bids = [
      bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', price: card(30_000, 11_500, 8_000) }),
      bidFixture({ bidId: 'bid_b', contractorId: 'ctr_beta', price: card(34_000, 10_000, 8_800) }),
    ];

    // Act
    const table = evaluateLot(tender, lot, bids, registry(alpha, beta), neutral);

    // Assess: A 375 000 + 922 875 + 240 000 = 1 537 875; B 425 000 + 802 500 + 264 000 = 1 491 500.
    expect(table.rows.map((row) => [row.bidId, row.comparedPriceFen, row.rank])).toEqual([
      ['bid_b', 1_491_500, 1],
      ['bid_a', 1_537_875, 2],
    ]);
    expect(rowOf(table, 'bid_b')?.priceLines).toHaveLength(3);
  });
});

describe('evaluateLot: invalid bids', () => {
  const tender = tenderFixture({ evaluation: { method: 'lowest_price' } });
  const suspended = contractorFixture({ contractorId: 'ctr_beta', status: 'suspended', suspendedAt: '2025-04-01T00:00:00.000Z', suspendedReason: '停业整顿' });
  const blacklisted = contractorFixture({ contractorId: 'ctr_gamma', listing: { status: 'black', reason: '黑榜', since: '2025-04-01' } });
  const bids = [
    bidFixture({ bidId: 'bid_a', contractorId: 'ctr_alpha', price: { kind: 'lump_sum', monthlyFen: 85_000_000 } }),
    bidFixture({ bidId: 'bid_b', contractorId: 'ctr_beta', price: { kind: 'lump_sum', monthlyFen: 70_000_000 } }),
    bidFixture({ bidId: 'bid_c', contractorId: 'ctr_gamma', price: { kind: 'lump_sum', monthlyFen: 71_000_000 } }),
    bidFixture({ bidId: 'bid_d', contractorId: 'ctr_delta', price: { kind: 'lump_sum', monthlyFen: 72_000_000 }, submittedAt: '2025-04-10T09:45:00+08:00' }),
    bidFixture({ bidId: 'bid_e', contractorId: 'ctr_delta', price: { kind: 'lump_sum', monthlyFen: 95_000_000 }, submittedAt: '2025-04-08T09:00:00+08:00' }),
  ];

  it('ranks only valid bids, even when invalid ones are cheaper', () => {
    // Act
    const table = evaluateLot(tender, lotFixture(), bids, registry(alpha, suspended, blacklisted, delta), neutral);

    // Assess
    expect(table.winnerBidId).toBe('bid_a');
    expect(table.validBidCount).toBe(1);
  });

  it('lists every invalid bid after the ranked ones, by submission, unranked, with its reasons', () => {
    // Act
    const table = evaluateLot(tender, lotFixture(), bids, registry(alpha, suspended, blacklisted, delta), neutral);

    // Assess
    expect(table.rows.map((row) => [row.bidId, row.rank, row.problems.map((problem) => problem.code)])).toEqual([
      ['bid_a', 1, []],
      ['bid_e', undefined, ['over_ceiling']],
      ['bid_b', undefined, ['contractor_suspended']],
      ['bid_c', undefined, ['contractor_blacklisted']],
      ['bid_d', undefined, ['late']],
    ]);
  });

  it('warns when fewer than three bids are valid', () => {
    // Act
    const table = evaluateLot(tender, lotFixture(), bids, registry(alpha, suspended, blacklisted, delta), neutral);

    // Assess
    expect(table.warnings).toEqual([expect.stringContaining('only 1 valid bid(s): under 政府采购法 第三十六条')]);
  });

  it('names no winner when no bid is valid', () => {
    // Act
    const table = evaluateLot(tender, lotFixture(), bids.slice(1), registry(suspended, blacklisted, delta), neutral);

    // Assess
    expect(table.winnerBidId).toBeUndefined();
    expect(table.warnings).toEqual(['no valid bid: the lot fails (流标) and cannot be awarded']);
  });

  it('gives the same table for the same input', () => {
    // Act
    const first = evaluateLot(tender, lotFixture(), bids, registry(alpha, suspended, blacklisted, delta), neutral);
    const second = evaluateLot(tender, lotFixture(), [...bids].reverse(), registry(alpha, suspended, blacklisted, delta), neutral);

    // Assess
    expect(second).toEqual(first);
  });
});
