import type { StatementExportSubject } from '../../../../domain/payments/export-table';
import { computeStatement } from '../../../../domain/payments/statement';
import type { StatementStatus } from '../../../../domain/payments/records';
import { assessmentWithScore, contractId, contractorId, lumpSumContract } from './fixtures';

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
  return { tenantId: 'huangpu', contractId, contractorId, serviceType: 'cleaning', month: '2025-06', version: 3, computeVersion: 2, status, statement };
}
