import { describe, expect, it } from 'vitest';
import type { AssessmentSummary } from '../../../../domain/assessment/summary';
import type { Contract } from '../../../../domain/contracts/schema';
import { ForbiddenError, ValidationError } from '../../../../domain/errors';
import type { StatementListFilter, StatementSummary } from '../../../../domain/payments/ports';
import { kpiPoints, readPerformance, readSegmentMonth, segmentMonthOf, windowMonths, type SupervisionDeps } from '../../../../domain/payments/supervision';
import type { Page, PageRequest } from '../../../../domain/ports';
import { contractFixture, huanjie, lvyuan, MemoryContractStore, tenantId } from '../contracts/fixtures';
import { actorWith, FixedClock } from '../../../helpers/fakes';

/**
 * The supervisor's reads (issue 15) over in-memory statements: every figure is the record's,
 * the targets are the rulebook's (the templates: tasks 98 %, on time 95 %, complaints 85 %).
 */

const inspector = actorWith({ userId: 'u-inspector-01', tenantId, roles: ['inspector'] });

function kpi(numerator: number, denominator: number): AssessmentSummary['kpis']['taskCompletion'] {
  return { numerator, denominator, rateBps: denominator === 0 ? null : Math.round((numerator * 10_000) / denominator), formula: `${numerator} / ${denominator}` };
}

function assessment(overrides: Partial<AssessmentSummary> = {}): AssessmentSummary {
  return {
    scoreX100: 9_600,
    kpis: { taskCompletion: kpi(99, 100), onTimeRectification: kpi(9, 10), complaintResolution: kpi(0, 0), proofsRefused: 1 },
    categories: [
      { category: 'late', occurrences: 1, rawX100: 200, capX100: null, countedX100: 200, excessX100: 0, fineFen: 0 },
      { category: 'road_cleanliness', occurrences: 2, rawX100: 200, capX100: null, countedX100: 200, excessX100: 0, fineFen: 10_000 },
      { category: 'tenant_own', occurrences: 1, rawX100: 0, capX100: null, countedX100: 0, excessX100: 0, fineFen: 500 },
    ],
    segments: [
      { segmentId: 'seg_b', findings: 2, validComplaints: 0, lateOrders: 1, missedTasks: 0, rawX100: 400, countedX100: 400, fineFen: 10_000 },
      { segmentId: null, findings: 0, validComplaints: 1, lateOrders: 0, missedTasks: 0, rawX100: 200, countedX100: 200, fineFen: 0 },
    ],
    counts: { findings: 2, missedTasks: 0, lateOrders: 1, validComplaints: 1 },
    ...overrides,
  };
}

function summary(contract: Contract, month: string, kept: AssessmentSummary | undefined, netFen = 1_000_000): StatementSummary {
  return {
    tenantId,
    contractId: contract.contractId,
    contractorId: contract.contractorId,
    serviceType: contract.serviceType,
    month,
    version: 1,
    computeVersion: 1,
    status: 'draft',
    inputsDigest: '0'.repeat(64),
    computedAt: `${month}-02T00:00:00.000Z`,
    computedBy: 'system',
    netFen,
    scoreX100: kept?.scoreX100 ?? 10_000,
    ...(kept === undefined ? {} : { assessment: kept }),
  };
}

function depsWith(summaries: readonly StatementSummary[], contracts: readonly Contract[]): SupervisionDeps & { listed: string[] } {
  const listed: string[] = [];
  return {
    listed,
    statements: {
      async listMonth(tenant: string, month: string, filter: StatementListFilter, _page: PageRequest): Promise<Page<StatementSummary>> {
        listed.push(month);
        return { items: summaries.filter((s) => s.tenantId === tenant && s.month === month && (filter.serviceType === undefined || s.serviceType === filter.serviceType)) };
      },
    },
    contracts: new MemoryContractStore(contracts),
    tenants: { zoneOf: async () => 'Asia/Shanghai' },
    // 1 April 2025, 10:00 in Shanghai: April is running.
    clock: new FixedClock('2025-04-01T02:00:00.000Z'),
  };
}

const cleaning = contractFixture({ contractId: 'con_01jnq000000000000000000c1', contractorId: huanjie, startDate: '2025-01-01', endDate: '2026-12-31', status: 'active' });
const greening = contractFixture({ contractId: 'con_01jnq000000000000000000g1', contractorId: lvyuan, serviceType: 'greening', startDate: '2025-01-01', endDate: '2026-12-31', status: 'active' });

describe('kpiPoints', () => {
  it('sets each rate beside its target, below when under it, and null where either is missing', () => {
    // Act
    const points = kpiPoints(assessment(), { taskCompletionBps: 9_800, onTimeRectificationBps: 9_500 });

    // Assess: 99.00 % ≥ 98 %; 90.00 % < 95 %; no complaints received and no target.
    expect(points.taskCompletion).toEqual({ numerator: 99, denominator: 100, rateBps: 9_900, formula: '99 / 100', targetBps: 9_800, belowTarget: false });
    expect(points.onTimeRectification).toMatchObject({ rateBps: 9_000, targetBps: 9_500, belowTarget: true });
    expect(points.complaintResolution).toMatchObject({ rateBps: null, targetBps: null, belowTarget: null });
  });

  it('answers null figures for a record without a kept assessment, its targets still shown', () => {
    expect(kpiPoints(undefined, { onTimeRectificationBps: 9_500 }).onTimeRectification).toEqual({ numerator: null, denominator: null, rateBps: null, formula: null, targetBps: 9_500, belowTarget: null });
  });
});

describe('windowMonths', () => {
  it('counts back across a year end, oldest first', () => {
    expect(windowMonths('2025-02', 4)).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });
});

describe('readPerformance', () => {
  it('gives each contract its months with score, net, labelled deductions and KPIs against the template targets', async () => {
    // Prepare: cleaning in February (kept) and March (computed before assessments were kept); greening in March.
    const deps = depsWith([summary(cleaning, '2025-02', assessment(), 1_234_500), summary(cleaning, '2025-03', undefined), summary(greening, '2025-03', assessment())], [cleaning, greening]);

    // Act
    const answer = await readPerformance(deps, inspector, { months: '3' } as never);

    // Assess: the window ends at the running month, April.
    expect(answer).toMatchObject({ serviceType: null, from: '2025-02', to: '2025-04', months: ['2025-02', '2025-03', '2025-04'] });
    expect(answer.contracts.map((c) => [c.contractId, c.serviceType, c.months.map((m) => m.month)])).toEqual([
      [cleaning.contractId, 'cleaning', ['2025-02', '2025-03']],
      [greening.contractId, 'greening', ['2025-03']],
    ]);
    const [february, march] = answer.contracts[0]!.months;
    expect(answer.contracts[0]).toMatchObject({ contractTitle: cleaning.title, contractorId: huanjie });
    expect(february).toMatchObject({ scoreX100: 9_600, netFen: 1_234_500, assessmentStored: true, proofsRefused: 1 });
    expect(february!.deductions).toEqual([
      { category: 'late', labelZh: '逾期整改', labelEn: 'Late rectification', occurrences: 1, pointsX100: 200, rawPointsX100: 200, capX100: null, fineFen: 0 },
      { category: 'road_cleanliness', labelZh: '路面保洁', labelEn: 'Road cleanliness', occurrences: 2, pointsX100: 200, rawPointsX100: 200, capX100: null, fineFen: 10_000 },
      { category: 'tenant_own', labelZh: null, labelEn: null, occurrences: 1, pointsX100: 0, rawPointsX100: 0, capX100: null, fineFen: 500 },
    ]);
    expect(february!.kpis.onTimeRectification).toMatchObject({ rateBps: 9_000, targetBps: 9_500, belowTarget: true });
    expect(february!.kpis.complaintResolution).toMatchObject({ rateBps: null, targetBps: 8_500, belowTarget: null });
    expect(march).toMatchObject({ assessmentStored: false, deductions: null, proofsRefused: null });
    expect(march!.kpis.taskCompletion).toMatchObject({ rateBps: null, targetBps: 9_800 });
  });

  it('reads one service type, up to a given month, one list per month', async () => {
    const deps = depsWith([summary(cleaning, '2025-02', assessment()), summary(greening, '2025-02', assessment())], [cleaning, greening]);

    const answer = await readPerformance(deps, inspector, { serviceType: 'greening', to: '2025-02', months: '2' } as never);

    expect(answer.contracts.map((c) => c.contractId)).toEqual([greening.contractId]);
    expect(deps.listed.sort()).toEqual(['2025-01', '2025-02']);
  });

  it('refuses a contractor, and more than 24 months naming the field', async () => {
    const deps = depsWith([], []);

    await expect(readPerformance(deps, actorWith({ roles: ['contractor'], contractorId: huanjie }), {})).rejects.toBeInstanceOf(ForbiddenError);
    const invalid = await readPerformance(deps, inspector, { months: '25' } as never).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(ValidationError);
    expect((invalid as ValidationError).issues.map((issue) => issue.path)).toEqual(['query.months']);
  });
});

describe('segmentMonthOf / readSegmentMonth', () => {
  it('sums the kept segment rows of every contract, keeps the segment-less bucket apart and names the records without one', () => {
    // Prepare: two contracts on seg_b; a third record computed before assessments were kept.
    const other = contractFixture({ contractId: 'con_01jnq000000000000000000c2', startDate: '2025-01-01', endDate: '2026-12-31' });
    const second = assessment({ segments: [{ segmentId: 'seg_b', findings: 1, validComplaints: 2, lateOrders: 0, missedTasks: 3, rawX100: 100, countedX100: 50, fineFen: 700 }, { segmentId: 'seg_a', findings: 1, validComplaints: 0, lateOrders: 0, missedTasks: 0, rawX100: 100, countedX100: 100, fineFen: 0 }] });

    // Act
    const month = segmentMonthOf('2025-03', 'cleaning', [summary(cleaning, '2025-03', assessment()), summary(other, '2025-03', second), summary(greening, '2025-03', undefined)]);

    // Assess
    expect(month.segments).toEqual([
      { segmentId: 'seg_a', findings: 1, validComplaints: 0, lateOrders: 0, missedTasks: 0, pointsX100: 100, rawPointsX100: 100, fineFen: 0, contractIds: [other.contractId] },
      { segmentId: 'seg_b', findings: 3, validComplaints: 2, lateOrders: 1, missedTasks: 3, pointsX100: 450, rawPointsX100: 500, fineFen: 10_700, contractIds: [cleaning.contractId, other.contractId].sort() },
    ]);
    expect(month.unlocated).toEqual({ findings: 0, validComplaints: 1, lateOrders: 0, missedTasks: 0, pointsX100: 200, rawPointsX100: 200, fineFen: 0, contractIds: [cleaning.contractId] });
    expect(month).toMatchObject({ month: '2025-03', serviceType: 'cleaning', statements: 3, contractsWithoutAssessment: [greening.contractId] });
  });

  it('reads the month of one service type, and refuses a month outside 2000–2099', async () => {
    const deps = depsWith([summary(cleaning, '2025-03', assessment()), summary(greening, '2025-03', assessment())], [cleaning, greening]);

    const month = await readSegmentMonth(deps, inspector, { month: '2025-03' }, { serviceType: 'greening' });

    expect(month.segments.map((row) => row.contractIds)).toEqual([[greening.contractId]]);
    await expect(readSegmentMonth(deps, inspector, { month: '1999-12' }, {})).rejects.toBeInstanceOf(ValidationError);
  });
});
