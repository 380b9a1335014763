import { describe, expect, it } from 'vitest';
import { NotFoundError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import { answerGpsReasons, raiseOrder, sweepOverdue, type RaiseOrderDeps } from '../../../../domain/rectification/use-cases';
import { contractFixture, fixedClock, MemoryContractStore, seg, sequentialIds, tenantId } from '../contracts/fixtures';
import { MemoryOrderStore } from './fakes';

function setup(): { deps: RaiseOrderDeps & { clock: ReturnType<typeof fixedClock> }; orders: MemoryOrderStore; contractId: string } {
  const contract = contractFixture({ status: 'active' });
  const orders = new MemoryOrderStore();
  return {
    deps: { orders, contracts: new MemoryContractStore([contract]), clock: fixedClock(), ids: sequentialIds() },
    orders,
    contractId: contract.contractId,
  };
}

describe('raiseOrder', () => {
  it("raises a complaint's order with the service deadline and no rulebook item", async () => {
    const { deps, contractId } = setup();

    const order = await raiseOrder(deps, {
      tenantId,
      contractId,
      segmentId: seg.nanjingWest,
      origin: { kind: 'complaint', complaintId: 'cmp_01' },
      description: '人行道有大量垃圾',
      dueAt: '2025-03-06T10:00:00+08:00',
      by: 'open311',
    });

    expect(order).toMatchObject({ status: 'open', dueAt: '2025-03-06T02:00:00.000Z', issuedAt: '2025-03-05T02:00:00.000Z', contractorId: 'ctr_k2m7q4x9b3n8p5rt', termsVersion: 1, version: 1 });
    expect(order.orderId).toMatch(/^rec_[0-9a-z]{26}$/);
    // No item: sameAsDefect falls back to the rulebook's complaint points (cleaning: 2.00).
    expect(order.latePenalty).toEqual({ pointsX100: 200, fineFen: 0 });
    expect(order.itemCode).toBeUndefined();
  });

  it('refuses a complaint order without a deadline, naming dueAt', async () => {
    const { deps, contractId } = setup();

    const raising = raiseOrder(deps, { tenantId, contractId, segmentId: seg.nanjingWest, origin: { kind: 'complaint', complaintId: 'cmp_02' }, description: 'x', by: 'open311' });

    await expect(raising).rejects.toThrow(ValidationError);
    await expect(raising).rejects.toMatchObject({ issues: [{ path: 'dueAt' }] });
  });

  it("computes an inspection order's deadline from the item's hours", async () => {
    const { deps, contractId } = setup();

    const order = await raiseOrder(deps, {
      tenantId,
      contractId,
      segmentId: seg.nanjingWest,
      origin: { kind: 'inspection', inspectionId: 'ins_x', lineIndex: 0, itemCode: 'CL-STAIN' },
      description: '油污',
      by: 'usr_inspect_zhao',
    });

    // CL-STAIN: 24 hours; the penalty is the item again (1.00 point, no fine).
    expect(order.dueAt).toBe('2025-03-06T02:00:00.000Z');
    expect(order.latePenalty).toEqual({ pointsX100: 100, fineFen: 0 });
  });

  it('refuses a segment outside the contract scope, and an unknown contract', async () => {
    const { deps, contractId } = setup();
    const input = { tenantId, segmentId: seg.wujiang, origin: { kind: 'complaint' as const, complaintId: 'c' }, description: 'x', dueAt: '2025-03-06T10:00:00+08:00', by: 'open311' };

    await expect(raiseOrder(deps, { ...input, contractId })).rejects.toThrow(RuleViolationError);
    await expect(raiseOrder(deps, { ...input, contractId: 'con_01jnq999999999999999999999' })).rejects.toThrow(NotFoundError);
  });
});

describe('sweepOverdue', () => {
  it('marks each overdue order once: a second run marks nothing', async () => {
    const { deps, orders, contractId } = setup();
    const base = { tenantId, contractId, segmentId: seg.nanjingWest, description: 'x', by: 'open311' };
    const overdue = await raiseOrder(deps, { ...base, origin: { kind: 'complaint', complaintId: 'a' }, dueAt: '2025-03-05T11:00:00+08:00' });
    const notYet = await raiseOrder(deps, { ...base, origin: { kind: 'complaint', complaintId: 'b' }, dueAt: '2025-03-05T14:00:00+08:00' });
    deps.clock.set(new Date('2025-03-05T04:00:00Z')); // 12:00 Shanghai

    const first = await sweepOverdue(deps, tenantId);
    const second = await sweepOverdue(deps, tenantId);

    expect(first).toEqual({ examined: 1, marked: 1, skipped: 0 });
    expect(second).toEqual({ examined: 0, marked: 0, skipped: 0 });
    expect(orders.records.get(overdue.orderId)?.late).toEqual({ markedAt: '2025-03-05T04:00:00.000Z', by: 'system', penalty: { pointsX100: 200, fineFen: 0 } });
    expect(orders.records.get(notYet.orderId)?.late).toBeUndefined();
  });
});

describe('answerGpsReasons', () => {
  // A 12 m wide street along the equator-ish line from (121.46, 31.2231) to (121.4612, 31.2237): geofence max(50, 6 + 30) = 50 m.
  const segment = { geometry: { type: 'LineString' as const, coordinates: [[121.46, 31.2231], [121.4612, 31.2237]] as [number, number][] }, widthM: 12 };

  it('accepts a fix on the segment', () => {
    expect(answerGpsReasons({ lon: 121.4606, lat: 31.2234, accuracyM: 8 }, segment)).toEqual([]);
  });

  it('refuses a fix about 110 m away, and a fix coarser than 100 m', () => {
    // 0.001° of latitude ≈ 111 m.
    expect(answerGpsReasons({ lon: 121.4606, lat: 31.2244, accuracyM: 5 }, segment)[0]).toMatch(/m from the segment, more than the 50 m geofence/);
    expect(answerGpsReasons({ lon: 121.4606, lat: 31.2234, accuracyM: 150 }, segment)[0]).toMatch(/too coarse/);
  });
});
