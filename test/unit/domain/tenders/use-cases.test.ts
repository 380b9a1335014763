import { beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import type { CreateTenderInput, RecordBidInput, Tender } from '../../../../domain/tenders/schema';
import {
  awardTenderLot,
  closeTender,
  createTender,
  evaluateTenderLot,
  getTender,
  recordBid,
  type TenderDeps,
} from '../../../../domain/tenders/use-cases';
import {
  contractorUser,
  FixedClock,
  InMemorySegmentStore,
  inspectorUser,
  procurementOfficer,
  segmentFixture,
  SequentialIds,
  tenantId,
} from '../../../helpers/fakes';
import { contractorFixture, InMemoryContractorStore } from '../contractors/fakes';
import { closesAt, InMemoryTenderStore } from './fakes';

let tenders: InMemoryTenderStore;
let contractors: InMemoryContractorStore;
let clock: FixedClock;
let deps: TenderDeps;

const nanjing = segmentFixture();
const century = segmentFixture({ segmentId: 'seg_century0000001', externalId: 'PD-SJDD-001', name: '世纪大道', areaM2: 160_000 });
const retired = segmentFixture({ segmentId: 'seg_retired0000001', externalId: 'HP-OLD-001', status: 'retired', retiredAt: '2025-01-01T00:00:00.000Z' });

beforeEach(() => {
  tenders = new InMemoryTenderStore();
  contractors = new InMemoryContractorStore();
  const segments = new InMemorySegmentStore();
  segments.seed(nanjing, century, retired);
  contractors.seed(
    contractorFixture({ contractorId: 'ctr_alpha', name: '甲环境服务有限公司' }),
    contractorFixture({ contractorId: 'ctr_beta', name: '乙环卫集团有限公司' }),
    contractorFixture({ contractorId: 'ctr_gamma', name: '丙城市服务有限公司' }),
  );
  clock = new FixedClock('2025-03-12T08:30:00.000Z');
  deps = { tenders, contractors, segments, clock, ids: new SequentialIds() };
});

const tenderInput: CreateTenderInput = {
  title: '黄浦区2025—2027年道路保洁服务采购',
  serviceType: 'cleaning',
  evaluation: { method: 'weighted', priceWeight: 60, technicalWeight: 30, creditWeight: 10 },
  closesAt,
  lots: [{ name: '第一标段', segmentIds: [nanjing.segmentId, century.segmentId], pricing: { kind: 'lump_sum', ceilingMonthlyFen: 90_000_000 } }],
};

const bid = (contractorId: string, monthlyFen: number, submittedAt = '2025-04-09T15:00:00+08:00'): RecordBidInput => ({
  lotId: 'lot_1',
  contractorId,
  submittedAt,
  price: { kind: 'lump_sum', monthlyFen },
  technicalScoreX100: 8_500,
});

/** Error `promise` rejects with; fails the test when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** A tender with bids recorded after the close instant has passed, closed. */
async function closedWithBids(...bids: RecordBidInput[]): Promise<Tender> {
  const tender = await createTender(deps, procurementOfficer, tenderInput);
  clock.set('2025-04-10T02:00:00.000Z');
  for (const each of bids) await recordBid(deps, procurementOfficer, tender.tenderId, each);
  return closeTender(deps, procurementOfficer, tender.tenderId, tender.version);
}

describe('createTender', () => {
  it('stores each lot with the area of its segments', async () => {
    // Act
    const tender = await createTender(deps, procurementOfficer, tenderInput);

    // Assess
    expect(tender.lots[0]?.areaM2).toBe(43_680 + 160_000);
    expect(await tenders.get(tenantId, tender.tenderId)).toEqual(tender);
  });

  it('refuses unknown and retired segments, naming each one\'s field', async () => {
    // Prepare
    const input: CreateTenderInput = { ...tenderInput, lots: [{ ...tenderInput.lots[0]!, segmentIds: [nanjing.segmentId, 'seg_nowhere0000001', retired.segmentId] }] };

    // Act
    const error = await rejectionOf(createTender(deps, procurementOfficer, input));

    // Assess
    expect((error as ValidationError).issues).toEqual([
      { path: 'body.lots.0.segmentIds.1', message: "no segment 'seg_nowhere0000001' in this tenant" },
      { path: 'body.lots.0.segmentIds.2', message: "segment 'seg_retired0000001' (南京东路(西藏中路—中山东一路)) was retired on 2025-01-01T00:00:00.000Z" },
    ]);
  });

  it('refuses a segment in two lots of the tender', async () => {
    // Prepare
    const lot = tenderInput.lots[0]!;
    const input: CreateTenderInput = { ...tenderInput, lots: [lot, { ...lot, name: '第二标段', segmentIds: [century.segmentId] }] };

    // Act
    const error = await rejectionOf(createTender(deps, procurementOfficer, input));

    // Assess
    expect((error as ValidationError).issues).toEqual([{ path: 'body.lots.1.segmentIds.0', message: "segment 'seg_century0000001' is already in lot 1" }]);
  });
});

describe('recordBid', () => {
  it('keeps a bid above the ceiling and stores why it is invalid', async () => {
    // Prepare
    const tender = await createTender(deps, procurementOfficer, tenderInput);
    clock.set('2025-04-09T08:00:00.000Z');

    // Act
    const recorded = await recordBid(deps, procurementOfficer, tender.tenderId, bid('ctr_alpha', 95_000_000));

    // Assess
    expect(recorded.check).toEqual({ valid: false, problems: [{ code: 'over_ceiling', message: 'monthly fee ¥950,000.00 is above the ceiling ¥900,000.00' }] });
    expect(await tenders.bids(tenantId, tender.tenderId)).toEqual([recorded]);
  });

  it('refuses a bid of another pricing kind than the lot\'s at body.price.kind', async () => {
    // Prepare
    const tender = await createTender(deps, procurementOfficer, tenderInput);
    clock.set('2025-04-09T08:00:00.000Z');

    // Act
    const error = await rejectionOf(recordBid(deps, procurementOfficer, tender.tenderId, { ...bid('ctr_alpha', 1), price: { kind: 'lump_sum_per_m2', milliFenPerM2Year: 629_000 } }));

    // Assess
    expect((error as ValidationError).issues).toEqual([{ path: 'body.price.kind', message: "lot 'lot_1' is priced lump_sum; the bid must use the same kind" }]);
  });

  it('refuses a bid once the tender is closed with ConflictError', async () => {
    // Prepare
    const tender = await closedWithBids();

    // Act
    const error = await rejectionOf(recordBid(deps, procurementOfficer, tender.tenderId, bid('ctr_alpha', 80_000_000)));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
  });
});

describe('tender to award', () => {
  it('evaluates three bids (one late, one over the ceiling) and awards the valid one', async () => {
    // Prepare
    const tender = await closedWithBids(bid('ctr_alpha', 82_000_000), bid('ctr_beta', 70_000_000, '2025-04-10T09:31:00+08:00'), bid('ctr_gamma', 95_000_000));

    // Act
    const { tender: evaluated, table } = await evaluateTenderLot(deps, procurementOfficer, tender.tenderId, 'lot_1', tender.version);
    const result = await awardTenderLot(deps, procurementOfficer, tender.tenderId, 'lot_1', evaluated.version);

    // Assess
    expect(table.rows.map((row) => [row.contractorId, row.rank, row.problems.map((problem) => problem.code)])).toEqual([
      ['ctr_alpha', 1, []],
      ['ctr_gamma', undefined, ['over_ceiling']],
      ['ctr_beta', undefined, ['late']],
    ]);
    expect(result.terms).toMatchObject({ contractorId: 'ctr_alpha', pricing: { kind: 'lump_sum', monthlyFen: 82_000_000 } });
    expect((await tenders.get(tenantId, tender.tenderId))?.status).toBe('awarded');
  });

  it('gives every bidder the neutral credit when there is no credit reader', async () => {
    // Prepare
    const tender = await closedWithBids(bid('ctr_alpha', 82_000_000));

    // Act
    const { table } = await evaluateTenderLot(deps, procurementOfficer, tender.tenderId, 'lot_1', tender.version);

    // Assess
    expect(table.rows[0]?.credit).toMatchObject({ valueX100: 8_000, neutral: true });
  });

  it('reads each bidder\'s credit history when there is a credit reader', async () => {
    // Prepare
    const tender = await closedWithBids(bid('ctr_alpha', 82_000_000));
    const withCredit: TenderDeps = {
      ...deps,
      credit: { history: async () => ({ monthlyScores: [{ month: '2025-03', scoreX100: 9_600 }], lateRectifications: 0, validComplaints: 0, months: 1 }) },
    };

    // Act
    const { table } = await evaluateTenderLot(withCredit, procurementOfficer, tender.tenderId, 'lot_1', tender.version);

    // Assess
    expect(table.rows[0]?.credit).toMatchObject({ valueX100: 9_600, neutral: false });
  });

  it('refuses a second award of the lot with ConflictError', async () => {
    // Prepare
    const tender = await closedWithBids(bid('ctr_alpha', 82_000_000));
    const { tender: evaluated } = await evaluateTenderLot(deps, procurementOfficer, tender.tenderId, 'lot_1', tender.version);
    const first = await awardTenderLot(deps, procurementOfficer, tender.tenderId, 'lot_1', evaluated.version);

    // Act
    const error = await rejectionOf(awardTenderLot(deps, procurementOfficer, tender.tenderId, 'lot_1', first.tender.version));

    // Assess
    expect(error).toBeInstanceOf(ConflictError);
  });

  it('refuses to award a winner suspended after the evaluation', async () => {
    // Prepare
    const tender = await closedWithBids(bid('ctr_alpha', 82_000_000));
    const { tender: evaluated } = await evaluateTenderLot(deps, procurementOfficer, tender.tenderId, 'lot_1', tender.version);
    contractors.seed(contractorFixture({ contractorId: 'ctr_alpha', status: 'suspended', suspendedAt: '2025-04-11T00:00:00.000Z', suspendedReason: '停业整顿' }));

    // Act
    const error = await rejectionOf(awardTenderLot(deps, procurementOfficer, tender.tenderId, 'lot_1', evaluated.version));

    // Assess
    expect(error).toBeInstanceOf(RuleViolationError);
    expect((error as Error).message).toContain('was suspended after the evaluation');
  });
});

describe('who may read tenders', () => {
  it('lets an inspector read a tender', async () => {
    // Prepare
    const tender = await createTender(deps, procurementOfficer, tenderInput);

    // Act
    const read = await getTender(deps, inspectorUser, tender.tenderId);

    // Assess
    expect(read.tenderId).toBe(tender.tenderId);
  });

  it('refuses a contractor user with ForbiddenError', async () => {
    // Prepare
    const tender = await createTender(deps, procurementOfficer, tenderInput);

    // Act
    const error = await rejectionOf(getTender(deps, contractorUser, tender.tenderId));

    // Assess
    expect(error).toBeInstanceOf(ForbiddenError);
  });
});
