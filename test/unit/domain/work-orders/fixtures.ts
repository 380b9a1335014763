import type { Contract } from '../../../../domain/contracts/schema';
import type { LatePenalty } from '../../../../domain/rulebooks/schema';
import type { WorkOrder } from '../../../../domain/work-orders/schema';
import { contractFixture, seg, tenantId } from '../contracts/fixtures';

/** The seeded municipal rate card (infra/local/seed-procurement.ts). */
export const rateCard = [
  { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 118_000 },
  { code: 'M-02', nameZh: '修补人行道板', unit: 'm²', unitFen: 16_500 },
  { code: 'M-03', nameZh: '修复护栏', unit: 'm', unitFen: 23_000 },
  { code: 'M-04', nameZh: '修补车行道坑槽', unit: 'm²', unitFen: 28_000 },
];

/** An active municipal unit-rate contract, March–December 2025, on 南京西路 and 石门一路. */
export function unitRateContract(overrides: { latePenalty?: LatePenalty } = {}): Contract {
  const base = contractFixture({ serviceType: 'municipal', status: 'active' });
  const [terms] = base.versions as [Contract['versions'][number]];
  return {
    ...base,
    versions: [
      {
        ...terms,
        pricing: { kind: 'unit_rate', items: rateCard },
        rulebook: { ...terms.rulebook, ...(overrides.latePenalty === undefined ? {} : { latePenalty: overrides.latePenalty }) },
      },
    ],
  };
}

/** A completed order (M-02, 1.500 m² measured), ready for a decision; fields overridable. */
export function completedOrder(overrides: Partial<WorkOrder> = {}): WorkOrder {
  return {
    tenantId,
    workOrderId: 'wo_01jnq000000000000000000001',
    contractId: 'con_01jnq000000000000000000001',
    contractorId: 'ctr_k2m7q4x9b3n8p5rt',
    rateItemCode: 'M-02',
    rateItemNameZh: '修补人行道板',
    unit: 'm²',
    unitFen: 16_500,
    termsVersion: 1,
    latePenalty: { sameAsDefect: true },
    estimatedQuantityMilli: 2_000,
    location: { segmentId: seg.nanjingWest },
    description: '南京西路 1025 号门前人行道板破损',
    deadline: '2025-03-07T10:00:00.000Z',
    status: 'completed',
    month: '2025-03',
    completion: {
      evidenceIds: ['ev_0123456789abcdef0123456789abcdef'],
      photoHashes: ['a'.repeat(64)],
      capturedAt: '2025-03-06T02:00:00.000Z',
      gps: { lon: 121.46, lat: 31.23, accuracyM: 8 },
      measuredQuantityMilli: 1_500,
      completedAt: '2025-03-06T02:05:00.000Z',
      completedBy: 'usr_huanjie_chen',
      late: false,
    },
    version: 2,
    createdAt: '2025-03-05T02:00:00.000Z',
    createdBy: 'usr_inspect_zhao',
    updatedAt: '2025-03-06T02:05:00.000Z',
    updatedBy: 'usr_huanjie_chen',
    ...overrides,
  };
}
