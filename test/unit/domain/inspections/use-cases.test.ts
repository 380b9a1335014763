import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import { correctInspection, recordInspection, type InspectionDeps } from '../../../../domain/inspections/use-cases';
import { actors, contractFixture, fixedClock, MemoryContractStore, seg, sequentialIds } from '../contracts/fixtures';
import { FakeBlobs, InMemoryEvidenceStore } from '../proofs/proof-fakes';
import { MemoryInspectionStore, MemoryOrderStore } from '../rectification/fakes';

/** 2025-03-05 10:00 Shanghai; the fixture contract runs March–December 2025 on 南京西路 and 石门一路. */
const at = '2025-03-05T09:30:00+08:00';

function setup(): { deps: InspectionDeps; orders: MemoryOrderStore; contractId: string } {
  const contract = contractFixture({ status: 'active' });
  const orders = new MemoryOrderStore();
  return {
    deps: {
      inspections: new MemoryInspectionStore(orders),
      contracts: new MemoryContractStore([contract]),
      clock: fixedClock(),
      ids: sequentialIds(),
      // No photos in these tests (./photos.test.ts has them): nothing is uploaded or claimed.
      evidence: new InMemoryEvidenceStore(),
      blobs: new FakeBlobs(),
      findClaims: async () => new Map(),
      uuid: () => '00000000-0000-4000-8000-000000000001',
    },
    orders,
    contractId: contract.contractId,
  };
}

describe('recordInspection', () => {
  it('resolves the contract from segment and service type and prices with its rulebook', async () => {
    const { deps, orders, contractId } = setup();

    const { inspection, orders: raised } = await recordInspection(deps, actors.inspector, {
      segmentId: seg.nanjingWest,
      serviceType: 'cleaning',
      at,
      kind: 'patrol',
      findings: [{ itemCode: 'CL-LITTER', count: 2 }, { itemCode: 'CL-VEHICLE', count: 1 }],
    });

    expect(inspection).toMatchObject({ contractId, month: '2025-03', localDate: '2025-03-05', termsVersion: 1, inspectorIds: ['usr_inspect_zhao'] });
    // CL-LITTER 2 x 2.00 (rectify 1 h); CL-VEHICLE 1 x 2.00 + 200 元 (no rectify).
    expect(inspection.totals).toEqual({ pointsX100: 600, fineFen: 20_000, provisionalPointsX100: 0, provisionalFineFen: 0 });
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ itemCode: 'CL-LITTER', dueAt: '2025-03-05T02:30:00.000Z', latePenalty: { pointsX100: 400, fineFen: 0 } });
    expect(inspection.lines[0]?.orderId).toBe(raised[0]?.orderId);
    expect(orders.records.size).toBe(1);
  });

  it('names an unknown item code by its finding index', async () => {
    const { deps } = setup();
    const findings = ['CL-LITTER', 'CL-BAG', 'CL-BIN', 'CL-NOPE'].map((itemCode) => ({ itemCode, count: 1 }));

    const recording = recordInspection(deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', at, kind: 'patrol', findings });

    await expect(recording).rejects.toThrow(ValidationError);
    await expect(recording).rejects.toMatchObject({ issues: [{ path: 'findings.3.itemCode' }] });
  });

  it('escalates a linear item found again on the segment in the same month', async () => {
    const { deps } = setup();
    const input = { segmentId: seg.nanjingWest, serviceType: 'cleaning' as const, at, kind: 'patrol' as const, findings: [{ itemCode: 'CL-DRAIN', count: 1 }] };

    await recordInspection(deps, actors.inspector, input);
    const second = await recordInspection(deps, actors.inspector, input);
    const otherSegment = await recordInspection(deps, actors.inspector, { ...input, segmentId: seg.shimenOne });

    expect(second.inspection.lines[0]).toMatchObject({ ordinal: 2, pointsX100: 400, fineFen: 40_000 });
    expect(otherSegment.inspection.lines[0]).toMatchObject({ ordinal: 1, pointsX100: 200 });
  });

  it('refuses protocol results outside the weather gates, naming each gate', async () => {
    const { deps } = setup();

    const recording = recordInspection(deps, actors.inspector, {
      segmentId: seg.nanjingWest,
      serviceType: 'cleaning',
      at,
      kind: 'spot_check',
      protocol: { dustByWeight: { readingsMgPerM2: [5_000] } },
      weather: { precipitation: 'snow', roadDry: true, windBeaufort: 5, humidityPct: 50 },
    });

    await expect(recording).rejects.toThrow(RuleViolationError);
    await expect(recording).rejects.toMatchObject({ reasons: [expect.stringMatching(/^precipitation/), expect.stringMatching(/^windBeaufort/)] });
  });

  it('requires the weather with protocol results', async () => {
    const { deps } = setup();

    const recording = recordInspection(deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', at, kind: 'spot_check', protocol: { dustByWeight: { readingsMgPerM2: [5_000] } } });

    await expect(recording).rejects.toMatchObject({ issues: [{ path: 'weather' }] });
  });

  it('refuses a segment no contract holds, and contractors', async () => {
    const { deps } = setup();
    const input = { segmentId: seg.wujiang, serviceType: 'cleaning' as const, at, kind: 'patrol' as const };

    await expect(recordInspection(deps, actors.inspector, input)).rejects.toThrow(RuleViolationError);
    await expect(recordInspection(deps, actors.huanjieUser, input)).rejects.toThrow(ForbiddenError);
  });

  it('refuses an inspection in the future', async () => {
    const { deps } = setup();

    await expect(recordInspection(deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', at: '2025-03-05T11:00:00+08:00', kind: 'patrol' })).rejects.toMatchObject({ issues: [{ path: 'body.at' }] });
  });
});

describe('correctInspection', () => {
  it('supersedes once, excludes the corrected findings from repeats, and refuses a second correction', async () => {
    const { deps } = setup();
    const input = { segmentId: seg.nanjingWest, serviceType: 'cleaning' as const, at, kind: 'patrol' as const, findings: [{ itemCode: 'CL-DRAIN', count: 1 }] };
    const original = await recordInspection(deps, actors.inspector, input);

    const corrected = await correctInspection(deps, actors.inspector, original.inspection.inspectionId, { ...input, findings: [{ itemCode: 'CL-DRAIN', count: 2 }], reason: '数量记错' });

    // The corrected inspection no longer counts: this is again the 1st CL-DRAIN of the month.
    expect(corrected.inspection.lines[0]).toMatchObject({ ordinal: 1, pointsX100: 400 });
    expect(corrected.inspection.supersedes).toEqual({ inspectionId: original.inspection.inspectionId, reason: '数量记错' });
    await expect(correctInspection(deps, actors.inspector, original.inspection.inspectionId, { ...input, reason: '再改' })).rejects.toThrow(ConflictError);
  });

  it("links the corrected inspection's orders instead of raising them again", async () => {
    const { deps, orders } = setup();
    const input = { segmentId: seg.nanjingWest, serviceType: 'cleaning' as const, at, kind: 'patrol' as const, findings: [{ itemCode: 'CL-LITTER', count: 3 }] };
    const original = await recordInspection(deps, actors.inspector, input);

    const corrected = await correctInspection(deps, actors.inspector, original.inspection.inspectionId, {
      ...input,
      findings: [{ itemCode: 'CL-LITTER', count: 1 }, { itemCode: 'CL-BAG', count: 1 }],
      reason: '漏记垃圾袋',
    });

    // CL-LITTER keeps its order; only the new CL-BAG line raises one.
    expect(corrected.inspection.lines[0]?.orderId).toBe(original.orders[0]?.orderId);
    expect(corrected.orders.map((order) => order.itemCode)).toEqual(['CL-BAG']);
    expect(orders.records.size).toBe(2);
  });
});
