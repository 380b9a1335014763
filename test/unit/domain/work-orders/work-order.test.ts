import { describe, expect, it } from 'vitest';
import { termsAsOf } from '../../../../domain/contracts/terms';
import { ConflictError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import type { CreateWorkOrderInput } from '../../../../domain/work-orders/schema';
import {
  acceptWorkOrder,
  completeWorkOrder,
  lateChargeOf,
  newWorkOrder,
  rejectWorkOrder,
  workOrderAmountFen,
  workOrderIdFrom,
  workOrderLine,
} from '../../../../domain/work-orders/work-order';
import { contractFixture, seg, tenantId } from '../contracts/fixtures';
import { completedOrder, unitRateContract } from './fixtures';

const marchFifth = new Date('2025-03-05T02:00:00Z'); // 10:00 in Shanghai
const input: CreateWorkOrderInput = {
  rateItemCode: 'M-02',
  estimatedQuantityMilli: 2_000,
  location: { segmentId: seg.nanjingWest },
  description: '南京西路 1025 号门前人行道板破损',
  deadline: '2025-03-07T18:00:00+08:00',
};

function create(contract = unitRateContract(), overrides: Partial<CreateWorkOrderInput> = {}): ReturnType<typeof newWorkOrder> {
  return newWorkOrder(contract, { ...input, ...overrides }, {
    tenantId,
    workOrderId: workOrderIdFrom('01JNQ00000000000000000000A'),
    today: '2025-03-05',
    terms: termsAsOf(contract, '2025-03-05'),
    at: marchFifth,
    by: 'usr_inspect_zhao',
  });
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('workOrderAmountFen (quantity thousandths x rate fen / 1000, half-up once)', () => {
  it.each([
    // 1.500 m² x 165.00 元: 1500 x 16500 / 1000 = 24750 fen exactly
    [1_500, 16_500, 24_750],
    // 0.333 m² x 280.00 元: 333 x 28000 / 1000 = 9324 fen exactly
    [333, 28_000, 9_324],
    // 0.001 个 x 0.05 元: 1 x 5 / 1000 = 0.005 → 0 (below half)
    [1, 5, 0],
    // 0.100 x 5 fen: 100 x 5 / 1000 = 0.5 → 1 (half rounds up)
    [100, 5, 1],
    // 2.345 m x 0.03 元: 2345 x 3 / 1000 = 7.035 → 7
    [2_345, 3, 7],
    // 1.499 x 1 fen: 1499 / 1000 = 1.499 → 1; 1.500 → 2
    [1_499, 1, 1],
    [1_500, 1, 2],
    // 3.000 个 x 1180.00 元 = 354000 fen
    [3_000, 118_000, 354_000],
  ])('%i thousandths x %i fen = %i fen', (quantityMilli, unitFen, expected) => {
    expect(workOrderAmountFen(quantityMilli, unitFen)).toBe(expected);
  });

  it('stays exact beyond float precision: 1 000 000.000 units x 99 999 999.99 元', () => {
    // 1e9 x 9_999_999_999 / 1000 = 9_999_999_999_000_000 > 2^53: the one rounding function
    // works in BigInt, so the result is refused as unsafe rather than silently rounded.
    expect(() => workOrderAmountFen(1_000_000_000, 9_999_999_999)).toThrow(RangeError);
  });
});

describe('newWorkOrder', () => {
  it('copies the rate, unit and late penalty of the terms in force on the creation date', () => {
    const order = create();

    expect(order).toMatchObject({
      workOrderId: 'wo_01jnq00000000000000000000a',
      rateItemCode: 'M-02',
      rateItemNameZh: '修补人行道板',
      unit: 'm²',
      unitFen: 16_500,
      termsVersion: 1,
      latePenalty: { sameAsDefect: true },
      status: 'open',
      month: '2025-03',
      version: 1,
      deadline: '2025-03-07T10:00:00.000Z',
    });
  });

  it('refuses a code that is not on the rate card with a 400 naming rateItemCode', () => {
    const refusal = catchError(() => create(undefined, { rateItemCode: 'M-99' }));

    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).issues).toEqual([expect.objectContaining({ path: 'rateItemCode', message: expect.stringContaining("no item 'M-99'") })]);
  });

  it('refuses a lump-sum contract: only unit-rate contracts take work orders', () => {
    const lumpSum = contractFixture({ serviceType: 'municipal', status: 'active' });

    expect(() => create(lumpSum)).toThrow(RuleViolationError);
  });

  it('refuses a contract that is not active', () => {
    const refusal = catchError(() => create({ ...unitRateContract(), status: 'suspended' }));

    expect(refusal).toBeInstanceOf(RuleViolationError);
    expect((refusal as RuleViolationError).reasons).toEqual(['the contract is suspended, not active']);
  });

  it('refuses a segment outside the scope, naming location.segmentId', () => {
    expect(() => create(undefined, { location: { segmentId: seg.weihai } })).toThrow(ValidationError);
  });

  it('refuses a deadline that has already passed', () => {
    expect(() => create(undefined, { deadline: '2025-03-05T09:00:00+08:00' })).toThrow(/deadline/);
  });
});

describe('transitions', () => {
  const decision = { at: new Date('2025-03-31T15:30:00Z'), by: 'usr_inspect_zhao', month: '2025-03' };

  it('marks a completion after the deadline late, one on time not late', () => {
    const open = create();
    const base = { evidenceIds: ['ev_1'], photoHashes: ['h'], capturedAt: '2025-03-07T09:00:00Z', gps: { lon: 121.46, lat: 31.23, accuracyM: 5 }, measuredQuantityMilli: 1_800, completedBy: 'u' };

    expect(completeWorkOrder(open, { ...base, completedAt: '2025-03-07T10:00:00.000Z' }).completion?.late).toBe(false);
    expect(completeWorkOrder(open, { ...base, completedAt: '2025-03-07T10:00:00.001Z' }).completion?.late).toBe(true);
  });

  it('accepts the measured quantity without a reason', () => {
    const accepted = acceptWorkOrder(completedOrder(), 1_500, undefined, decision);

    expect(accepted).toMatchObject({ status: 'accepted', version: 3, month: '2025-03', decision: { outcome: 'accepted', acceptedQuantityMilli: 1_500 } });
  });

  it('requires a reason when the accepted quantity differs from the measured one', () => {
    expect(() => acceptWorkOrder(completedOrder(), 1_200, undefined, decision)).toThrow(ValidationError);
    const blank = catchError(() => acceptWorkOrder(completedOrder(), 1_200, '  ', decision));

    expect((blank as ValidationError).issues).toEqual([
      { path: 'reason', message: 'the accepted quantity 1200 differs from the measured 1500: state why', zh: '验收数量 1200 与实测数量 1500 不同：请说明理由' },
    ]);
  });

  it('accepts a different quantity with a reason and prices the accepted one', () => {
    const accepted = acceptWorkOrder(completedOrder(), 1_200, '复测面积 1.2 m²', decision);

    // 1.200 m² x 165.00 元 = 1200 x 16500 / 1000 = 19800 fen (not the measured 24750)
    expect(workOrderLine(accepted)?.amountFen).toBe(19_800);
    expect(accepted.decision).toMatchObject({ reason: '复测面积 1.2 m²' });
  });

  it('refuses to accept an order that is not completed', () => {
    expect(() => acceptWorkOrder(create(), 1_000, undefined, decision)).toThrow(ConflictError);
  });

  it('rejects with a reason, and a rejected order has no line', () => {
    const rejected = rejectWorkOrder(completedOrder(), '井盖规格不符', decision);

    expect(rejected).toMatchObject({ status: 'rejected', decision: { outcome: 'rejected', reason: '井盖规格不符' } });
    expect(workOrderLine(rejected)).toBeUndefined();
    expect(() => acceptWorkOrder(rejected, 1_500, undefined, decision)).toThrow(ConflictError);
  });
});

describe('workOrderLine', () => {
  it('belongs to the acceptance month and lists its sources', () => {
    // Completed on 31 March, accepted at 00:10 on 1 April Shanghai time: an April line.
    const accepted = acceptWorkOrder(completedOrder(), 1_500, undefined, { at: new Date('2025-03-31T16:10:00Z'), by: 'insp', month: '2025-04' });

    expect(workOrderLine(accepted)).toEqual({
      contractId: 'con_01jnq000000000000000000001',
      month: '2025-04',
      workOrderId: 'wo_01jnq000000000000000000001',
      rateItemCode: 'M-02',
      unit: 'm²',
      unitFen: 16_500,
      quantityMilli: 1_500,
      amountFen: 24_750,
      sources: { workOrderIds: ['wo_01jnq000000000000000000001'], rateItemCodes: ['M-02'], evidenceIds: ['ev_0123456789abcdef0123456789abcdef'] },
    });
  });

  it('carries no late charge for a late order under sameAsDefect (no defect item to charge again)', () => {
    const late = completedOrder({ completion: { ...completedOrder().completion!, late: true } });
    const line = workOrderLine(acceptWorkOrder(late, 1_500, undefined, { at: new Date(), by: 'insp', month: '2025-03' }));

    expect(line?.amountFen).toBe(24_750);
    expect(line?.late).toEqual({ pointsX100: 0, fineFen: 0, basis: 'same-as-defect-none' });
  });

  it("charges the rulebook's stated late points and fine once, and still pays the line", () => {
    const late = completedOrder({
      latePenalty: { sameAsDefect: false, pointsX100: 100, fineFen: 50_000 },
      completion: { ...completedOrder().completion!, late: true },
    });
    const line = workOrderLine(acceptWorkOrder(late, 1_500, undefined, { at: new Date(), by: 'insp', month: '2025-03' }));

    expect(line?.late).toEqual({ pointsX100: 100, fineFen: 50_000, basis: 'stated' });
    expect(line?.amountFen).toBe(24_750);
  });

  it('has no late charge for an order completed on time', () => {
    const line = workOrderLine(acceptWorkOrder(completedOrder({ latePenalty: { sameAsDefect: false, fineFen: 50_000 } }), 1_500, undefined, { at: new Date(), by: 'i', month: '2025-03' }));

    expect(line?.late).toBeUndefined();
  });

  it('reads a penalty stating only a fine as zero points', () => {
    expect(lateChargeOf({ sameAsDefect: false, fineFen: 20_000 })).toEqual({ pointsX100: 0, fineFen: 20_000, basis: 'stated' });
  });
});
