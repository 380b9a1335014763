import { describe, expect, it } from 'vitest';
import { computeStatement, diffStatements, lineCodes, type Statement, type StatementInput, type StatementLine } from '../../../../domain/payments/statement';
import { assessmentWithScore, contractId, lumpSumContract, seg, terms, type ContractDates } from './fixtures';

/**
 * The Chinese formula of every line code (formulas.ts), from worked examples under the
 * cleaning-standard rulebook (bands ≥ 95 → 10100, ≥ 90 → 10000, ≥ 80 → 9500, …, else 8000;
 * bonus cap 100 bps; deduction cap 2000 bps; retention 500 bps).
 */

const fined = (fineFen: number, count: number): { fineFen: number; count: number; ids: string[]; itemCodes: string[]; proofIds: string[] } => ({
  fineFen,
  count,
  ids: Array.from({ length: count }, (_, index) => `id_${index}`),
  itemCodes: [],
  proofIds: [],
});

function statementOf(overrides: Partial<StatementInput> & Pick<StatementInput, 'month' | 'contract'>): Statement {
  return computeStatement({ contractId, segmentAreasM2: {}, assessment: assessmentWithScore(overrides.month, 9_200), workOrders: [], adjustments: [], ...overrides });
}

const zhOf = (statement: Statement, key: string): string | undefined => statement.lines.find((line) => line.key === key)?.formulaZh;

/**
 * ¥120,000.00 a month, all 30 days of November 2026, score 96.50 → 10100: bonus
 * 12 000 000 x 100 / 10000 = 120 000 (the cap is the same 100 bps); fines 2 missed tasks
 * ¥200.00 and 1 finding ¥500.00; cap 2 400 000, not binding; retention
 * (12 000 000 + 120 000 − 70 000) x 500 / 10000 = 602 500.
 */
const rewarded = (): Statement =>
  statementOf({
    month: '2026-11',
    contract: lumpSumContract(12_000_000, '2026-01-01'),
    assessment: assessmentWithScore('2026-11', 9_650, { missedTasks: fined(20_000, 2), findings: fined(50_000, 1) }),
  });

describe('formulaZh', () => {
  it('reads a lump-sum base as 基本价 x 履约天数', () => {
    expect(zhOf(rewarded(), 'base/2026-11-01..2026-11-30')).toBe('基本价 ¥120,000.00/月 × 履约天数 30/30（2026-11-01 至 2026-11-30，合同条款第 1 版） = ¥120,000.00');
  });

  it('reads a per-m² base with the area, the segments and the yearly rate', () => {
    // Prepare: 12 000 m² x 6.29 元/m²·年 x 16 / (12 x 31) = 324 645.16 → 324 645.
    const pricing = { kind: 'lump_sum_per_m2' as const, milliFenPerM2Year: 629_000 };
    const contract: ContractDates = { startDate: '2025-03-16', endDate: '2027-12-31', versions: [terms(2, '2025-03-16', [seg.a, seg.c], pricing)] };

    // Act
    const statement = statementOf({ month: '2025-03', contract, segmentAreasM2: { [seg.a]: 10_000, [seg.c]: 2_000 } });

    // Assess
    expect(zhOf(statement, 'base/2025-03-16..2025-03-31')).toBe('作业面积 12000 m²（2 个路段）× 单价 6.29 元/m²·年 ÷ 12 × 履约天数 16/31（2025-03-16 至 2025-03-31，合同条款第 2 版） = ¥3,246.45');
  });

  it('reads a work order as 验收数量 x 单价, naming a quantity changed at acceptance', () => {
    // Prepare: 10.250 m² x ¥123.45 = 126 536.25 → 126 536; 2.000 个 x ¥850.00 = 170 000.
    const pricing = {
      kind: 'unit_rate' as const,
      items: [
        { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 85_000 },
        { code: 'M-02', nameZh: '路面修补', unit: 'm²', unitFen: 12_345 },
      ],
    };
    const contract: ContractDates = { startDate: '2025-01-01', endDate: '2027-12-31', versions: [terms(1, '2025-01-01', [seg.a], pricing)] };
    const workOrders = [
      { workOrderId: 'wo_1', itemCode: 'M-01', quantityX1000: 2_000, acceptedOn: '2025-05-03' },
      { workOrderId: 'wo_2', itemCode: 'M-02', quantityX1000: 10_250, orderedQuantityX1000: 12_500, acceptedOn: '2025-05-20' },
    ];

    // Act
    const statement = statementOf({ month: '2025-05', contract, workOrders });

    // Assess
    expect(zhOf(statement, 'unit_rate/wo_1')).toBe('M-01 更换破损井盖：验收数量 2.000 个 × 单价 ¥850.00 = ¥1,700.00');
    expect(zhOf(statement, 'unit_rate/wo_2')).toBe('M-02 路面修补：验收数量 10.250 m²（派单数量 12.500，验收时调整） × 单价 ¥123.45 = ¥1,265.36');
  });

  it('reads the bonus with the score, its band and the cap', () => {
    expect(zhOf(rewarded(), 'bonus')).toBe(
      '考核得分 96.50，系数 10100（≥ 95.00 档）：基本服务费 ¥120,000.00 × 100 / 10000 = ¥1,200.00；奖励上限 基本服务费 ¥120,000.00 × 100 / 10000 = ¥1,200.00；计奖励 ¥1,200.00',
    );
  });

  it('says 无奖励 and 不扣款 in the neutral band', () => {
    // Act: score 92.00 → band ≥ 90 → 10000.
    const statement = statementOf({ month: '2026-11', contract: lumpSumContract(12_000_000, '2026-01-01') });

    // Assess
    expect(zhOf(statement, 'bonus')).toBe('考核得分 92.00，系数 10000（≥ 90.00 档）：无奖励');
    expect(zhOf(statement, 'quality_deduction')).toBe('考核得分 92.00，系数 10000（≥ 90.00 档）：不扣款');
  });

  it('reads the quality deduction as A x (10000 − coefficient) / 10000', () => {
    // Act: score 85.00 → band ≥ 80 → 9500: 12 000 000 x 500 / 10000 = 600 000.
    const statement = statementOf({ month: '2026-11', contract: lumpSumContract(12_000_000, '2026-01-01'), assessment: assessmentWithScore('2026-11', 8_500) });

    // Assess
    expect(zhOf(statement, 'quality_deduction')).toBe('考核得分 85.00，系数 9500（≥ 80.00 档）：基本服务费 ¥120,000.00 × (10000 − 9500) / 10000 = ¥6,000.00');
  });

  it('reads each kind of fine with its count, and says when there is none', () => {
    const statement = rewarded();

    expect(zhOf(statement, 'fines_missed_tasks')).toBe('漏作业 2 次，罚款合计 = ¥200.00');
    expect(zhOf(statement, 'fines_findings')).toBe('检查问题 1 项，罚款合计 = ¥500.00');
    expect(zhOf(statement, 'fines_late_orders')).toBe('无逾期整改罚款');
  });

  it('reads the deduction cap within the cap and above it', () => {
    // Prepare: ¥10,000.00, score 50.00 → 8000: quality 200 000; a late order ¥300.00;
    // cap 1 000 000 x 2000 / 10000 = 200 000 → ¥300.00 above the cap is not taken.
    const above = statementOf({
      month: '2026-11',
      contract: lumpSumContract(1_000_000, '2026-01-01'),
      assessment: assessmentWithScore('2026-11', 5_000, { lateOrders: fined(30_000, 1) }),
    });

    // Assess
    expect(zhOf(rewarded(), 'deduction_cap_excess')).toBe('考核扣款 ¥0.00 + 罚款 ¥700.00 = ¥700.00；扣款上限 基本服务费 ¥120,000.00 × 2000 / 10000 = ¥24,000.00：未超过上限');
    expect(zhOf(above, 'fines_late_orders')).toBe('逾期整改 1 单，罚款合计 = ¥300.00');
    expect(zhOf(above, 'deduction_cap_excess')).toBe('考核扣款 ¥2,000.00 + 罚款 ¥300.00 = ¥2,300.00；扣款上限 基本服务费 ¥10,000.00 × 2000 / 10000 = ¥2,000.00；超出上限的 ¥300.00 不扣');
  });

  it('reads the retention from the lines it is computed on', () => {
    expect(zhOf(rewarded(), 'retention')).toBe('（基本服务费 ¥120,000.00 + 计量服务费 ¥0.00 + 考核奖励 ¥1,200.00 − 实际扣款 ¥700.00）× 500 / 10000 = ¥6,025.00');
  });

  it('reads an adjustment with the month and the approved version it corrects', () => {
    // Act
    const statement = statementOf({
      month: '2026-11',
      contract: lumpSumContract(12_000_000, '2026-01-01'),
      adjustments: [
        {
          adjustmentId: 'adj_1',
          originMonth: '2026-10',
          amountFen: -30_000,
          formula: 'recomputed after approval (v2): fines_findings ¥0.00 → -¥300.00; net ¥100.00 → -¥200.00 = -¥300.00',
          sources: { statementRefs: [`${contractId}/2026-10/v2`], inspectionIds: ['ins_9'] },
        },
      ],
    });

    // Assess
    expect(zhOf(statement, 'adjustment/adj_1')).toBe('2026-10 结算单第 2 版批准后依据补充记录重新计算，应付金额差额 = -¥300.00');
    expect(statement.lines.find((line) => line.key === 'adjustment/adj_1')?.formula).toBe(
      'from 2026-10: recomputed after approval (v2): fines_findings ¥0.00 → -¥300.00; net ¥100.00 → -¥200.00 = -¥300.00',
    );
  });

  it('gives every line of every code a Chinese formula', () => {
    // Act
    const codes = new Set(rewarded().lines.filter((line) => (line.formulaZh ?? '').length > 0).map((line) => line.code));

    // Assess: adjustment and unit_rate are covered above; the rest are in every lump-sum month.
    expect([...codes].sort()).toEqual(lineCodes.filter((code) => code !== 'adjustment' && code !== 'unit_rate').sort());
  });
});

describe('diffStatements and formulaZh', () => {
  it('sees no change between a stored computation without formulaZh and the same one with it', () => {
    // Prepare: a computation stored before lines carried a Chinese formula.
    const current = rewarded();
    const stored: Statement = { ...current, lines: current.lines.map(({ formulaZh: _zh, ...line }): StatementLine => line) };

    // Act
    const diff = diffStatements(stored, current);

    // Assess
    expect(diff).toMatchObject({ lines: [], netDeltaFen: 0, unchanged: true });
  });

  it('shows both formulas of a changed line', () => {
    // Prepare: one more missed task.
    const before = rewarded();
    const after = statementOf({
      month: '2026-11',
      contract: lumpSumContract(12_000_000, '2026-01-01'),
      assessment: assessmentWithScore('2026-11', 9_650, { missedTasks: fined(30_000, 3), findings: fined(50_000, 1) }),
    });

    // Act
    const change = diffStatements(before, after).lines.find((line) => line.key === 'fines_missed_tasks');

    // Assess
    expect(change).toMatchObject({ labelZh: '漏作业罚款', beforeFormulaZh: '漏作业 2 次，罚款合计 = ¥200.00', afterFormulaZh: '漏作业 3 次，罚款合计 = ¥300.00', deltaFen: -10_000 });
  });
});
