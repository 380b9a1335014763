import { describe, expect, it } from 'vitest';
import { ForbiddenError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import { checklistCategories } from '../../../../domain/inspections/checklist';
import { inspectionChecklist, previewInspection, recordInspection, type InspectionDeps } from '../../../../domain/inspections/use-cases';
import type { Contract } from '../../../../domain/contracts/schema';
import { actors, cleaningRulebook, contractFixture, fixedClock, MemoryContractStore, seg, sequentialIds } from '../contracts/fixtures';
import { FakeBlobs, InMemoryEvidenceStore } from '../proofs/proof-fakes';
import { MemoryInspectionStore, MemoryOrderStore } from '../rectification/fakes';

/** 2025-03-05 09:30 Shanghai; the fixture contract runs March–December 2025 on 南京西路 and 石门一路. */
const at = '2025-03-05T09:30:00+08:00';

interface Setup {
  readonly deps: InspectionDeps;
  readonly store: MemoryInspectionStore;
  readonly orders: MemoryOrderStore;
  readonly contract: Contract;
  /** Ids handed out so far (recording allocates; previewing must not). */
  readonly allocated: () => number;
}

function setup(edit: (contract: Contract) => void = () => {}): Setup {
  const contract = contractFixture({ status: 'active' });
  edit(contract);
  const orders = new MemoryOrderStore();
  const store = new MemoryInspectionStore(orders);
  const ids = sequentialIds();
  let allocated = 0;
  return {
    deps: {
      inspections: store,
      contracts: new MemoryContractStore([contract]),
      clock: fixedClock(),
      ids: { next: () => ((allocated += 1), ids.next()) },
      evidence: new InMemoryEvidenceStore(),
      blobs: new FakeBlobs(),
      findClaims: async () => new Map(),
      uuid: () => '00000000-0000-4000-8000-000000000001',
    },
    store,
    orders,
    contract,
    allocated: () => allocated,
  };
}

const patrol = (findings: { itemCode: string; count: number; evidenceIds?: string[] }[], extra: Record<string, unknown> = {}) => ({
  segmentId: seg.nanjingWest,
  serviceType: 'cleaning' as const,
  at,
  kind: 'patrol' as const,
  findings,
  ...extra,
});

describe('previewInspection', () => {
  it('prices as recording then records, and writes and allocates nothing', async () => {
    const { deps, store, orders, allocated } = setup();
    const input = patrol([{ itemCode: 'CL-LITTER', count: 2 }, { itemCode: 'CL-VEHICLE', count: 1 }]);

    const preview = await previewInspection(deps, actors.inspector, input);
    const idsAfterPreview = allocated();
    const writesAfterPreview = store.records.size + orders.records.size;
    const recorded = await recordInspection(deps, actors.inspector, input);

    expect([idsAfterPreview, writesAfterPreview]).toEqual([0, 0]);
    expect(preview.totals).toEqual(recorded.inspection.totals);
    expect(preview.lines).toEqual(recorded.inspection.lines.map(({ orderId: _orderId, ...line }) => line));
    expect(preview.orders).toEqual(
      recorded.orders.map((order) => ({ lineIndex: 0, itemCode: order.itemCode, mode: order.mode, description: order.description, issuedAt: order.issuedAt, dueAt: order.dueAt, latePenalty: order.latePenalty })),
    );
    // CL-LITTER is due in 1 h (rectify hours), with its own price as the late penalty.
    expect(preview.orders[0]).toMatchObject({ dueAt: '2025-03-05T02:30:00.000Z', latePenalty: { pointsX100: 400, fineFen: 0 } });
    expect(preview.contract).toMatchObject({ contractId: recorded.inspection.contractId, termsVersion: 1, status: 'active' });
    expect(preview.warnings).toEqual([]);
  });

  it('counts the findings already stored this month for the repeat factor', async () => {
    const { deps } = setup();
    const input = patrol([{ itemCode: 'CL-DRAIN', count: 1 }]);
    await recordInspection(deps, actors.inspector, input);

    const preview = await previewInspection(deps, actors.inspector, input);

    expect(preview.lines[0]).toMatchObject({ ordinal: 2, factorBps: 20_000, pointsX100: 400, fineFen: 40_000 });
  });

  it('skips only the photo checks, and says so', async () => {
    const { deps } = setup();
    const photo = `ev_${'0'.repeat(31)}3`;

    const preview = await previewInspection(deps, actors.inspector, patrol([{ itemCode: 'CL-PILE-S', count: 1, evidenceIds: [photo, photo] }]));
    const recording = recordInspection(deps, actors.inspector, patrol([{ itemCode: 'CL-PILE-S', count: 1, evidenceIds: [photo] }]));

    expect(preview.photos).toEqual({ checked: false, named: 1 });
    expect(preview.warnings.map((warning) => warning.code)).toEqual(['photos-not-checked', 'inspection-id-missing']);
    expect(preview.lines).toHaveLength(1);
    // Recording asks for the inspectionId of the uploads (and would then check each photo).
    await expect(recording).rejects.toMatchObject({ issues: [{ path: 'inspectionId' }] });
  });

  it("refuses as recording does: unknown items, the weather gates, contractors", async () => {
    const { deps } = setup();

    await expect(previewInspection(deps, actors.inspector, patrol([{ itemCode: 'CL-NOPE', count: 1 }]))).rejects.toThrow(ValidationError);
    await expect(
      previewInspection(deps, actors.inspector, patrol([], { kind: 'spot_check', protocol: { dustByWeight: { readingsMgPerM2: [5_000] } }, weather: { precipitation: 'rain', roadDry: true, windBeaufort: 1, humidityPct: 50 } })),
    ).rejects.toMatchObject({ reasonsZh: ['precipitation：有雨（采样须无雨雪）'] });
    await expect(previewInspection(deps, actors.inspector, { ...patrol([]), segmentId: seg.wujiang })).rejects.toThrow(RuleViolationError);
    await expect(previewInspection(deps, actors.huanjieUser, patrol([]))).rejects.toThrow(ForbiddenError);
  });

  it('warns of provisional deductions, capped categories, a suspended contract and an id already recorded', async () => {
    const { deps } = setup((contract) => {
      contract.status = 'suspended';
      const litter = contract.versions[0]!.rulebook.defectItems.find((item) => item.code === 'CL-LITTER')!;
      litter.rectify = { hours: 1, mode: 'waive_if_rectified' };
    });
    const recorded = await recordInspection(deps, actors.inspector, patrol([]));

    const preview = await previewInspection(deps, actors.inspector, patrol([{ itemCode: 'CL-LITTER', count: 1 }, { itemCode: 'CL-EVENT', count: 1 }], { inspectionId: recorded.inspection.inspectionId }));

    expect(preview.warnings.map((warning) => warning.code)).toEqual(['inspection-recorded', 'contract-suspended', 'provisional', 'category-cap']);
    expect(preview.warnings.find((warning) => warning.code === 'provisional')?.message).toBe('2.00 points and 0.00 yuan are waived if their orders close in time (waive_if_rectified)');
    expect(preview.orders[0]).toMatchObject({ mode: 'waive_if_rectified', latePenalty: { pointsX100: 0, fineFen: 0 } });
  });
});

describe('inspectionChecklist', () => {
  it("groups the rulebook's items by category, in its order, for the contract in force", async () => {
    const { deps, contract } = setup();

    const checklist = await inspectionChecklist(deps, actors.inspector, { segmentId: seg.nanjingWest, serviceType: 'cleaning', at });

    expect(checklist.contract).toMatchObject({ contractId: contract.contractId, title: contract.title, contractorId: contract.contractorId, termsVersion: 1 });
    expect(checklist.localDate).toBe('2025-03-05');
    expect(checklist.rulebook).toMatchObject({ templateId: 'cleaning-standard' });
    expect(checklist.categories).toEqual(checklistCategories(contract.versions[0]!.rulebook));
  });

  it('lets a contractor read its own checklist only, and needs a service type or contract', async () => {
    const { deps } = setup();

    await expect(inspectionChecklist(deps, actors.huanjieUser, { segmentId: seg.nanjingWest, serviceType: 'cleaning', at })).resolves.toBeDefined();
    await expect(inspectionChecklist(deps, actors.lvyuanUser, { segmentId: seg.nanjingWest, serviceType: 'cleaning', at })).rejects.toThrow(ForbiddenError);
    await expect(inspectionChecklist(deps, actors.inspector, { segmentId: seg.nanjingWest })).rejects.toMatchObject({ issues: [{ path: 'query.serviceType' }] });
  });
});

describe('checklistCategories', () => {
  it('keeps categories in first-named order and items in rulebook order, with rectify and photo facts', () => {
    const rulebook = cleaningRulebook();

    const categories = checklistCategories(rulebook);

    const first = [...new Set(rulebook.defectItems.map((item) => item.category))];
    expect(categories.map((category) => category.category)).toEqual(first);
    expect(categories.flatMap((category) => category.items.map((item) => item.code))).toEqual(
      first.flatMap((category) => rulebook.defectItems.filter((item) => item.category === category).map((item) => item.code)),
    );
    const all = categories.flatMap((category) => category.items);
    expect(all.find((item) => item.code === 'CL-LITTER')).toEqual({
      code: 'CL-LITTER',
      category: 'road_cleanliness',
      descriptionZh: rulebook.defectItems[0]!.descriptionZh,
      ...(rulebook.defectItems[0]!.descriptionEn === undefined ? {} : { descriptionEn: rulebook.defectItems[0]!.descriptionEn }),
      ...(rulebook.defectItems[0]!.unitZh === undefined ? {} : { unitZh: rulebook.defectItems[0]!.unitZh }),
      pointsX100: 200,
      fineFen: 0,
      mode: 'deduct',
      rectifyHours: 1,
      photosRequired: false,
    });
    expect(all.find((item) => item.code === 'CL-DRAIN')).toMatchObject({ mode: 'none', escalation: { kind: 'linear' } });
    expect(all.every((item) => item.photosRequired === false)).toBe(true);
  });
});
