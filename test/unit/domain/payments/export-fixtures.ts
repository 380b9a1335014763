import type { ExportNames, StatementExportSubject } from '../../../../domain/payments/export-table';
import { computeStatement } from '../../../../domain/payments/statement';
import type { StatementStatus } from '../../../../domain/payments/records';
import { assessmentWithScore, contractId, contractorId, lumpSumContract, seg } from './fixtures';

/**
 * A computed statement to export: ¥23,456.78 a month, a full 30-day June, score 92.00 (no
 * quality deduction), one missed task fined ¥100.00 and one finding fined ¥200.00 with a
 * comma in nothing but the formula texts.
 */
export function exportSubject(status: StatementStatus = 'draft'): StatementExportSubject {
  const statement = computeStatement({
    contractId,
    month: '2025-06',
    contract: lumpSumContract(2_345_678, '2025-01-01'),
    segmentAreasM2: {},
    assessment: assessmentWithScore('2025-06', 9_200, {
      missedTasks: { fineFen: 10_000, count: 1, ids: ['tsk_1'], itemCodes: [], proofIds: ['prf_1'] },
      findings: { fineFen: 20_000, count: 1, ids: ['ins_1'], itemCodes: ['CL-PILE-M'], proofIds: [] },
    }),
    workOrders: [],
    adjustments: [],
  });
  const reviewed = status === 'draft' ? {} : { review: { by: 'usr_fin_li', at: '2025-07-01T01:30:00.000Z' } };
  const approved = status === 'approved' || status === 'paid' ? { approval: { by: 'usr_fin_zhao', at: '2025-07-02T08:05:00.000Z' } } : {};
  const paid = status === 'paid' ? { payment: { by: 'usr_fin_li', at: '2025-07-10T02:00:00.000Z', reference: 'HP-2025-0711', paidOn: '2025-07-10' } } : {};
  return { tenantId: 'huangpu', contractId, contractorId, serviceType: 'cleaning', month: '2025-06', version: 3, computeVersion: 2, status, statement, ...reviewed, ...approved, ...paid };
}

/** What the export reads of the district, the contract, the contractor and the segments (seg.a, seg.b are in scope). */
export const exportNames: ExportNames = {
  tenantName: '黄浦区',
  contractTitle: '南京东路街道道路保洁服务合同',
  contractorName: '上海某某环境服务有限公司',
  segmentNames: { [seg.a]: '南京东路(河南中路—西藏中路)', [seg.b]: '九江路(江西中路—河南中路)' },
  zone: 'Asia/Shanghai',
};
