import { describe, expect, it } from 'vitest';
import { assessMonth } from '../../../../domain/assessment/assess';
import {
  adjustmentFor,
  coefficientOf,
  computeStatement,
  diffStatements,
  rulebookForMonth,
  serialiseStatement,
  type Statement,
  type StatementInput,
} from '../../../../domain/payments/statement';
import type { Rulebook } from '../../../../domain/rulebooks/schema';
import { assessmentWithScore, cleaningRulebook, contractId, lumpSumContract, noFacts, seg, terms, type ContractDates } from './fixtures';

function input(overrides: Partial<StatementInput> & Pick<StatementInput, 'month' | 'contract'>): StatementInput {
  return {
    contractId,
    segmentAreasM2: {},
    assessment: assessmentWithScore(overrides.month, 9_200),
    workOrders: [],
    adjustments: [],
    ...overrides,
  };
}

function amountOf(statement: Statement, key: string): number | undefined {
  return statement.lines.find((line) => line.key === key)?.amountFen;
}

const fined = (fineFen: number, ids: string[], itemCodes: string[] = []): { fineFen: number; count: number; ids: string[]; itemCodes: string[]; proofIds: string[] } => ({ fineFen, count: ids.length, ids, itemCodes, proofIds: [] });

describe('computeStatement: worked examples', () => {
  it('prorates the base of a partial first month by active days (start on the 11th of a 30-day June)', () => {
    // Prepare: ¥23,456.78 a month; June has 30 days, the contract runs 11–30 = 20 days.
    // base = 2 345 678 x 20 / 30 = 1 563 785.33 → 1 563 785.
    // score 92.00 → band ≥ 90 → 10000: no quality deduction, no bonus.
    // fines: missed sweep 10 000 + finding 20 000 = 30 000; cap = 1 563 785 x 2000 / 10000
    // = 312 757 → not binding. retention = (1 563 785 − 30 000) x 500 / 10000 = 76 689.25 →
    // 76 689. net = 1 563 785 − 30 000 − 76 689 = 1 457 096.
    const contract = lumpSumContract(2_345_678, '2025-06-11');
    const assessment = assessmentWithScore('2025-06', 9_200, {
      missedTasks: fined(10_000, ['tsk_1']),
      findings: fined(20_000, ['insp_1'], ['CL-PILE-M']),
    });

    // Act
    const statement = computeStatement(input({ month: '2025-06', contract, assessment }));

    // Assess
    expect(statement.activeDays).toBe(20);
    expect(statement.lines.find((line) => line.code === 'base')).toEqual({
      key: 'base/2025-06-11..2025-06-30',
      code: 'base',
      labelZh: '基本服务费',
      labelEn: 'Base fee',
      amountFen: 1_563_785,
      formula: '¥23,456.78 per month × 20 / 30 days (2025-06-11 – 2025-06-30, terms v1) = ¥15,637.85',
      formulaZh: '基本价 ¥23,456.78/月 × 履约天数 20/30（2025-06-11 至 2025-06-30，合同条款第 1 版） = ¥15,637.85',
      sources: { segmentIds: [seg.a, seg.b].sort() },
    });
    expect(statement.totals).toEqual({
      baseFen: 1_563_785,
      unitRateFen: 0,
      bonusFen: 0,
      bonusCapFen: 0,
      qualityDeductionFen: 0,
      finesFen: 30_000,
      deductionsBeforeCapFen: 30_000,
      capFen: 312_757,
      excessFen: 0,
      deductionsTakenFen: 30_000,
      retentionFen: 76_689,
      adjustmentsFen: 0,
      netFen: 1_457_096,
    });
    expect(statement.lines.find((line) => line.code === 'fines_findings')?.sources).toEqual({ inspectionIds: ['insp_1'], itemCodes: ['CL-PILE-M'] });
  });

  it('prorates the last month of a contract terminated early by its days in force', () => {
    // Prepare: terminated, last day in force 10 April: 1 000 000 x 10 / 30 = 333 333.33 → 333 333.
    // retention = 333 333 x 500 / 10000 = 16 666.65 → 16 667; net = 316 666.
    const contract = { ...lumpSumContract(1_000_000), endedOn: '2025-04-10' };

    // Act
    const statement = computeStatement(input({ month: '2025-04', contract }));

    // Assess
    expect(statement.activeDays).toBe(10);
    expect(statement.rulebook).toEqual({ name: '城市道路环卫保洁作业考核办法', version: 1, templateId: 'cleaning-standard', templateVersion: 2 });
    expect(statement.totals).toMatchObject({ baseFen: 333_333, retentionFen: 16_667, netFen: 316_666 });
  });

  it('splits a per-m² month at a mid-month scope amendment, each period prorated by its days', () => {
    // Prepare: 6.29 元/m²·年 (629 000 thousandths of a fen). March has 31 days.
    // 1–15 March (15 days): a 10 000 m² + b 5 000 m² = 15 000 m²:
    //   15 000 x 629 000 x 15 / (12 000 x 31) = 380 443.55 → 380 444.
    // 16–31 March (16 days), amendment amd_1 swaps b for c (2 000 m²): 12 000 m²:
    //   12 000 x 629 000 x 16 / (12 000 x 31) = 324 645.16 → 324 645.
    // base = 705 089; score 92 → no deduction; retention = 705 089 x 5 % = 35 254.45 → 35 254;
    // net = 705 089 − 35 254 = 669 835.
    const pricing = { kind: 'lump_sum_per_m2' as const, milliFenPerM2Year: 629_000 };
    const contract: ContractDates = {
      startDate: '2025-01-01',
      endDate: '2027-12-31',
      versions: [
        terms(1, '2025-01-01', [seg.a, seg.b], pricing),
        terms(2, '2025-03-16', [seg.a, seg.c], pricing, {
          amendment: { amendmentId: 'amd_1', reason: '长江路移交市政', approvedBy: '区绿化市容局', approvedAt: '2025-03-10', changes: ['scope'] },
        }),
      ],
    };
    const segmentAreasM2 = { [seg.a]: 10_000, [seg.b]: 5_000, [seg.c]: 2_000 };

    // Act
    const statement = computeStatement(input({ month: '2025-03', contract, segmentAreasM2 }));

    // Assess
    expect(statement.lines.filter((line) => line.code === 'base').map((line) => [line.key, line.amountFen, line.sources.amendmentIds])).toEqual([
      ['base/2025-03-01..2025-03-15', 380_444, undefined],
      ['base/2025-03-16..2025-03-31', 324_645, ['amd_1']],
    ]);
    expect(amountOf(statement, 'base/2025-03-16..2025-03-31')).toBe(324_645);
    expect(statement.lines[1]?.formula).toBe('12000 m² (2 segment(s)) × 6.29 元/m²·年 / 12 × 16 / 31 days (2025-03-16 – 2025-03-31, terms v2) = ¥3,246.45');
    expect(statement.termsVersions).toEqual([1, 2]);
    expect(statement.totals).toMatchObject({ baseFen: 705_089, retentionFen: 35_254, netFen: 669_835 });
  });

  it.each([
    // base 1 000 000 (April, whole month). Quality = 1 000 000 x (10000 − coefficient) / 10000;
    // bonus = min(1 000 000 x (coefficient − 10000) / 10000, 1 000 000 x 100 / 10000 = 10 000).
    { scoreX100: 10_000, coefficientBps: 10_100, bonusFen: 10_000, qualityFen: 0 }, // ≥ 95 → 10100: 1 % bonus = 10 000
    { scoreX100: 9_500, coefficientBps: 10_100, bonusFen: 10_000, qualityFen: 0 }, // the band's lower edge is in it
    { scoreX100: 9_499, coefficientBps: 10_000, bonusFen: 0, qualityFen: 0 }, // 94.99 → ≥ 90 → full fee
    { scoreX100: 8_500, coefficientBps: 9_500, bonusFen: 0, qualityFen: 50_000 }, // ≥ 80 → 9500: 5 % = 50 000
    { scoreX100: 7_700, coefficientBps: 9_000, bonusFen: 0, qualityFen: 100_000 }, // ≥ 75 → 9000: 10 %
    { scoreX100: 6_500, coefficientBps: 8_500, bonusFen: 0, qualityFen: 150_000 }, // ≥ 60 → 8500: 15 %
    { scoreX100: 4_000, coefficientBps: 8_000, bonusFen: 0, qualityFen: 200_000 }, // ≥ 0 → 8000: 20 %
  ])('pays score $scoreX100 at coefficient $coefficientBps', ({ scoreX100, coefficientBps, bonusFen, qualityFen }) => {
    // Act
    const statement = computeStatement(input({ month: '2025-04', contract: lumpSumContract(1_000_000), assessment: assessmentWithScore('2025-04', scoreX100) }));

    // Assess
    expect(statement.coefficientBps).toBe(coefficientBps);
    expect(statement.totals.bonusFen).toBe(bonusFen);
    expect(statement.totals.qualityDeductionFen).toBe(qualityFen);
    expect((amountOf(statement, 'quality_deduction') ?? Number.NaN) + qualityFen).toBe(0);
  });

  it('caps a bonus band at the rulebook bonus cap', () => {
    // Prepare: a band ≥ 98 → 10200 with bonusCapBps 100: 1 000 000 x 200 / 10000 = 20 000,
    // capped at 1 000 000 x 100 / 10000 = 10 000. retention = (1 000 000 + 10 000) x 5 % = 50 500.
    const rulebook: Rulebook = { ...cleaningRulebook(), scoreBands: [{ minScoreX100: 9_800, coefficientBps: 10_200 }, { minScoreX100: 0, coefficientBps: 10_000 }], bonusCapBps: 100 };
    const contract: ContractDates = { startDate: '2025-01-01', endDate: '2027-12-31', versions: [terms(1, '2025-01-01', [seg.a], { kind: 'lump_sum', monthlyFen: 1_000_000 }, { rulebook })] };

    // Act
    const statement = computeStatement(input({ month: '2025-04', contract, assessment: assessmentWithScore('2025-04', 9_900) }));

    // Assess
    expect(statement.lines.find((line) => line.code === 'bonus')).toMatchObject({
      amountFen: 10_000,
      formula: 'score 99.00 in band ≥ 98.00 → coefficient 10200: base ¥10,000.00 × 200 / 10000 = ¥200.00, capped at base ¥10,000.00 × 100 / 10000 = ¥100.00 → ¥100.00',
    });
    expect(statement.totals).toMatchObject({ bonusFen: 10_000, bonusCapFen: 10_000, retentionFen: 50_500, netFen: 959_500 });
  });

  it('takes deductions only up to the cap and shows the excess as its own line', () => {
    // Prepare: base 1 000 000; score 40.00 → 8000 → quality 200 000; fines 50 000 (5 late orders).
    // before cap 250 000; cap = 1 000 000 x 2000 / 10000 = 200 000 → taken 200 000, excess
    // 50 000 shown (+). retention = (1 000 000 − 200 000) x 5 % = 40 000.
    // net = 1 000 000 − 200 000 − 50 000 + 50 000 − 40 000 = 760 000.
    const assessment = assessmentWithScore('2025-04', 4_000, { lateOrders: fined(50_000, ['ord_1', 'ord_2', 'ord_3', 'ord_4', 'ord_5'], ['CL-PILE-M']) });

    // Act
    const statement = computeStatement(input({ month: '2025-04', contract: lumpSumContract(1_000_000), assessment }));

    // Assess
    expect(statement.lines.map((line) => [line.key, line.amountFen])).toEqual([
      ['base/2025-04-01..2025-04-30', 1_000_000],
      ['bonus', 0],
      ['quality_deduction', -200_000],
      ['fines_missed_tasks', 0],
      ['fines_findings', 0],
      ['fines_late_orders', -50_000],
      ['deduction_cap_excess', 50_000],
      ['retention', -40_000],
    ]);
    expect(statement.lines.find((line) => line.code === 'deduction_cap_excess')?.formula).toBe(
      'quality ¥2,000.00 + fines ¥500.00 = ¥2,500.00; cap base ¥10,000.00 × 2000 / 10000 = ¥2,000.00; ¥500.00 above the cap is not taken',
    );
    expect(statement.totals).toMatchObject({ deductionsBeforeCapFen: 250_000, capFen: 200_000, deductionsTakenFen: 200_000, excessFen: 50_000, netFen: 760_000 });
  });

  it('names, on each derived line (bonus, cap excess, retention), the lines it is computed from', () => {
    // Prepare: a unit-rate line beside the base would be another source; a lump sum has the base only.
    const assessment = assessmentWithScore('2025-04', 4_000, { lateOrders: fined(50_000, ['ord_1'], ['CL-PILE-M']) });

    // Act
    const statement = computeStatement(input({ month: '2025-04', contract: lumpSumContract(1_000_000), assessment }));

    // Assess
    const sourcesOf = (key: string): readonly string[] | undefined => statement.lines.find((line) => line.key === key)?.sources.lineKeys;
    const base = 'base/2025-04-01..2025-04-30';
    expect(sourcesOf('bonus')).toEqual([base]);
    expect(sourcesOf('deduction_cap_excess')).toEqual([base, 'fines_findings', 'fines_late_orders', 'fines_missed_tasks', 'quality_deduction']);
    expect(sourcesOf('retention')).toEqual([base, 'bonus', 'deduction_cap_excess', 'fines_findings', 'fines_late_orders', 'fines_missed_tasks', 'quality_deduction']);
    // Every key names a line of the same statement; the lines of facts name no lines.
    const keys = new Set(statement.lines.map((line) => line.key));
    expect(statement.lines.flatMap((line) => line.sources.lineKeys ?? []).every((key) => keys.has(key))).toBe(true);
    expect(statement.lines.filter((line) => line.sources.lineKeys !== undefined).map((line) => line.code)).toEqual(['bonus', 'deduction_cap_excess', 'retention']);
  });

  it('retains a share of what is earned, rounding half a fen up', () => {
    // Prepare: base 1 000 010 (whole month); score 92 → nothing deducted.
    // retention = 1 000 010 x 500 / 10000 = 50 000.5 → 50 001 (half-up); net = 950 009.
    // Act
    const statement = computeStatement(input({ month: '2025-04', contract: lumpSumContract(1_000_010) }));

    // Assess
    expect(statement.lines.find((line) => line.code === 'retention')).toMatchObject({
      amountFen: -50_001,
      formula: '(base ¥10,000.10 + unit-rate ¥0.00 + bonus ¥0.00 − deductions taken ¥0.00) × 500 / 10000 = ¥500.01',
    });
    expect(statement.totals.netFen).toBe(950_009);
  });

  it('carries a correction of an approved month into the next open month, with its source', () => {
    // Prepare: March approved as v2: base 1 000 000, score 92 (an 8.00 pile finding), retention
    // 50 000, net 950 000.
    // In April an inspector rejects a March proof: task tsk_9 is missed after all (1.00 point,
    // fine 10 000). March recomputed: score 91 (same band), fines 10 000, retention =
    // (1 000 000 − 10 000) x 5 % = 49 500, net 940 500 → adjustment 940 500 − 950 000 = −9 500.
    // April (score 92, base 1 000 000): 1 000 000 − 50 000 − 9 500 = 940 500.
    const contract = lumpSumContract(1_000_000);
    const pile = { inspectionId: 'insp_5', segmentId: seg.b, itemCode: 'CL-PILE-M', category: 'road_cleanliness', pointsX100: 800, fineFen: 0, at: '2025-03-09T01:00:00Z' };
    const approvedFacts = noFacts('2025-03', { findings: [pile] });
    const approved = computeStatement(input({ month: '2025-03', contract, assessment: assessMonth(approvedFacts, cleaningRulebook()) }));
    const lateFacts = { ...approvedFacts, missedTasks: [{ taskId: 'tsk_9', segmentId: seg.a, activity: 'sweep', pointsX100: 100, fineFen: 10_000 }] };
    const recomputed = computeStatement(input({ month: '2025-03', contract, assessment: assessMonth(lateFacts, cleaningRulebook()) }));

    // Act
    const adjustment = adjustmentFor(approved, 2, recomputed, 'adj_01');
    const april = computeStatement(input({ month: '2025-04', contract, adjustments: adjustment === undefined ? [] : [adjustment] }));

    // Assess
    expect(adjustment).toEqual({
      adjustmentId: 'adj_01',
      originMonth: '2025-03',
      amountFen: -9_500,
      formula:
        'recomputed after approval (v2): fines_missed_tasks ¥0.00 → -¥100.00; retention -¥500.00 → -¥495.00; net ¥9,500.00 → ¥9,405.00 = -¥95.00',
      sources: { taskIds: ['tsk_9'], statementRefs: [`${contractId}/2025-03/v2`] },
    });
    expect(april.lines.at(-1)).toMatchObject({ key: 'adjustment/adj_01', code: 'adjustment', labelZh: '往月调整', amountFen: -9_500, sources: { statementRefs: [`${contractId}/2025-03/v2`], taskIds: ['tsk_9'] } });
    expect(april.totals).toMatchObject({ adjustmentsFen: -9_500, netFen: 940_500 });
    expect(adjustmentFor(approved, 2, approved, 'adj_02')).toBeUndefined();
  });

  it('pays a unit-rate month by accepted quantities, one rounding per work order', () => {
    // Prepare: rate card M-01 ¥850.00/个, M-02 ¥123.45/m².
    // wo_1: 2.000 个 x 85 000 = 170 000. wo_2: ordered 12.500 m², accepted 10.250 m²:
    // 10 250 x 12 345 / 1000 = 126 536.25 → 126 536. unit-rate = 296 536 (no base: A = 296 536).
    // score 85.00 → 9500: quality = 296 536 x 500 / 10000 = 14 826.8 → 14 827.
    // cap = 296 536 x 2000 / 10000 = 59 307.2 → 59 307 (not binding).
    // retention = (296 536 − 14 827) x 500 / 10000 = 14 085.45 → 14 085.
    // net = 296 536 − 14 827 − 14 085 = 267 624.
    const pricing = {
      kind: 'unit_rate' as const,
      items: [
        { code: 'M-01', nameZh: '更换破损井盖', unit: '个', unitFen: 85_000 },
        { code: 'M-02', nameZh: '路面修补', unit: 'm²', unitFen: 12_345 },
      ],
    };
    const contract: ContractDates = { startDate: '2025-01-01', endDate: '2027-12-31', versions: [terms(1, '2025-01-01', [seg.a], pricing)] };
    const workOrders = [
      { workOrderId: 'wo_2', itemCode: 'M-02', quantityX1000: 10_250, orderedQuantityX1000: 12_500, acceptedOn: '2025-05-20', proofIds: ['prf_2'] },
      { workOrderId: 'wo_1', itemCode: 'M-01', quantityX1000: 2_000, acceptedOn: '2025-05-03' },
    ];

    // Act
    const statement = computeStatement(input({ month: '2025-05', contract, workOrders, assessment: assessmentWithScore('2025-05', 8_500) }));

    // Assess
    expect(statement.lines.filter((line) => line.code === 'unit_rate')).toEqual([
      expect.objectContaining({ key: 'unit_rate/wo_1', amountFen: 170_000, formula: 'M-01 更换破损井盖: 2.000 个 × ¥850.00 = ¥1,700.00' }),
      {
        key: 'unit_rate/wo_2',
        code: 'unit_rate',
        labelZh: '计量服务费',
        labelEn: 'Unit-rate work',
        amountFen: 126_536,
        formula: 'M-02 路面修补: 10.250 m² (ordered 12.500, changed at acceptance) × ¥123.45 = ¥1,265.36',
        formulaZh: 'M-02 路面修补：验收数量 10.250 m²（派单数量 12.500，验收时调整） × 单价 ¥123.45 = ¥1,265.36',
        sources: { workOrderIds: ['wo_2'], itemCodes: ['M-02'], proofIds: ['prf_2'] },
      },
    ]);
    expect(statement.totals).toMatchObject({ baseFen: 0, unitRateFen: 296_536, qualityDeductionFen: 14_827, capFen: 59_307, retentionFen: 14_085, netFen: 267_624 });
  });

  it('traces the quality deduction to the occurrences the score counted', () => {
    // Prepare: two complaints 2 x 2.00, a missed task 1.00 (its proof prf_3 was refused) and an
    // 8.00 pile finding: 100 − 4 − 1 − 8 = 87.00 → band ≥ 80 → 9500: 5 % of 1 000 000 = 50 000,
    // traced to every occurrence the score counted.
    const facts = noFacts('2025-04', {
      findings: [{ inspectionId: 'insp_7', segmentId: seg.a, itemCode: 'CL-PILE-M', category: 'road_cleanliness', pointsX100: 800, fineFen: 0, at: '2025-04-02T01:00:00Z' }],
      missedTasks: [{ taskId: 'tsk_3', segmentId: seg.b, activity: 'sweep', pointsX100: 100, fineFen: 0, proofIds: ['prf_3'] }],
      validComplaints: [
        { complaintId: 'cmp_1', pointsX100: 200 },
        { complaintId: 'cmp_2', pointsX100: 200 },
      ],
    });

    // Act
    const statement = computeStatement(input({ month: '2025-04', contract: lumpSumContract(1_000_000), assessment: assessMonth(facts, cleaningRulebook()) }));

    // Assess
    expect(statement.scoreX100).toBe(8_700);
    expect(statement.lines.find((line) => line.code === 'quality_deduction')).toMatchObject({
      amountFen: -50_000,
      sources: { inspectionIds: ['insp_7'], taskIds: ['tsk_3'], proofIds: ['prf_3'], complaintIds: ['cmp_1', 'cmp_2'], itemCodes: ['CL-PILE-M'] },
    });
  });
});

describe('computeStatement: inputs it refuses', () => {
  it('refuses a month the contract was not in force, a missing area, a work order of another month', () => {
    const perM2: ContractDates = { startDate: '2025-01-01', endDate: '2025-12-31', versions: [terms(1, '2025-01-01', [seg.a], { kind: 'lump_sum_per_m2', milliFenPerM2Year: 629_000 })] };
    expect(() => computeStatement(input({ month: '2026-01', contract: perM2 }))).toThrow('was not in force in 2026-01');
    expect(() => computeStatement(input({ month: '2025-04', contract: perM2 }))).toThrow(`no area (m²) given for segment '${seg.a}'`);
    expect(() => computeStatement(input({ month: '2025-04', contract: lumpSumContract(1), assessment: assessmentWithScore('2025-03', 9_000) }))).toThrow('the assessment is of 2025-03');
    const unitRate: ContractDates = { startDate: '2025-01-01', endDate: '2025-12-31', versions: [terms(1, '2025-01-01', [seg.a], { kind: 'unit_rate', items: [{ code: 'M-01', nameZh: '井盖', unit: '个', unitFen: 100 }] })] };
    expect(() => computeStatement(input({ month: '2025-04', contract: unitRate, workOrders: [{ workOrderId: 'wo_1', itemCode: 'M-01', quantityX1000: 1_000, acceptedOn: '2025-05-01' }] }))).toThrow('outside 2025-04');
    expect(() => computeStatement(input({ month: '2025-04', contract: unitRate, workOrders: [{ workOrderId: 'wo_1', itemCode: 'M-09', quantityX1000: 1_000, acceptedOn: '2025-04-01' }] }))).toThrow("item 'M-09' is not on the rate card");
  });
});

describe('rulebookForMonth and coefficientOf', () => {
  it('assesses a month under the rulebook in force on its last day in force', () => {
    // Prepare: the rulebook changes on 20 April; April is assessed under the new one, May too.
    const stricter: Rulebook = { ...cleaningRulebook(), version: 2, retentionBps: 1_000 };
    const contract: ContractDates = {
      startDate: '2025-01-01',
      endDate: '2025-12-31',
      versions: [terms(1, '2025-01-01', [seg.a], { kind: 'lump_sum', monthlyFen: 100 }), terms(2, '2025-04-20', [seg.a], { kind: 'lump_sum', monthlyFen: 100 }, { rulebook: stricter })],
    };

    // Assess
    expect(rulebookForMonth(contract, '2025-03')?.version).toBe(1);
    expect(rulebookForMonth(contract, '2025-04')?.version).toBe(2);
    expect(rulebookForMonth(contract, '2026-01')).toBeUndefined();
  });

  it('picks the band with the highest threshold at or below the score', () => {
    const bands = cleaningRulebook().scoreBands;
    expect(coefficientOf(8_000, bands).coefficientBps).toBe(9_500);
    expect(coefficientOf(7_999, bands).coefficientBps).toBe(9_000);
    expect(() => coefficientOf(50, [{ minScoreX100: 100, coefficientBps: 10_000 }])).toThrow('no score band covers 0.50');
  });
});

describe('diffStatements and serialiseStatement', () => {
  it('lists the changed lines with before and after amounts', () => {
    // Prepare: the same April at score 92 and then at 85 (quality 5 % of 1 000 000 = 50 000;
    // retention 50 000 → 47 500).
    const contract = lumpSumContract(1_000_000);
    const before = computeStatement(input({ month: '2025-04', contract }));
    const after = computeStatement(input({ month: '2025-04', contract, assessment: assessmentWithScore('2025-04', 8_500) }));

    // Act
    const diff = diffStatements(before, after);

    // Assess
    // The bonus and cap lines keep their amounts; their formulas name the new score and quality.
    expect(diff.lines.map((change) => [change.key, change.beforeFen, change.afterFen, change.deltaFen])).toEqual([
      ['bonus', 0, 0, 0],
      ['quality_deduction', 0, -50_000, -50_000],
      ['deduction_cap_excess', 0, 0, 0],
      ['retention', -50_000, -47_500, 2_500],
    ]);
    expect(diff).toMatchObject({ netBeforeFen: 950_000, netAfterFen: 902_500, netDeltaFen: -47_500, unchanged: false });
    expect(diffStatements(before, before)).toMatchObject({ lines: [], unchanged: true });
  });

  it('serialises with sorted keys so equal statements are equal bytes', () => {
    const statement = computeStatement(input({ month: '2025-04', contract: lumpSumContract(1_000_000) }));
    const text = serialiseStatement(statement);
    expect(text.startsWith('{"activeDays":30,"coefficientBps":10000,"contractId":')).toBe(true);
    expect(text).toBe(serialiseStatement(JSON.parse(text) as Statement));
    expect(text).not.toMatch(/:-0[,}]/);
  });
});
