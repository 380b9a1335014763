import * as z from 'zod';
import type { Kpi } from '../assessment/assess';
import { addMonths, ApiMonth } from '../assessment/months';
import type { AssessmentSummary, SegmentSummary } from '../assessment/summary';
import type { ContractStore } from '../contracts/ports';
import type { Contract } from '../contracts/schema';
import { defaultZone, localDate } from '../dates';
import { ValidationError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Clock } from '../ports';
import type { KpiTargets } from '../rulebooks/schema';
import type { TenantDirectory } from '../schedule/outcomes';
import { ServiceType } from '../service-types';
import type { StatementStore, StatementSummary } from './ports';
import type { StatementStatus } from './records';
import { rulebookForMonth } from './statement';

/**
 * The supervisor's reads (issue 15 "Supervisors"): a contract's months side by side — score,
 * net, deductions by category, KPIs against the rulebook's targets — and the month's findings,
 * complaints and late orders by segment for a map. Every figure is one the statement records
 * hold (the current record of each contract-month, drafts included, as rankings read them:
 * standings.ts); nothing is recomputed on read. A record computed before its assessment was
 * kept (records.ts `assessment`) answers null KPIs and deductions, and a map leaves it out,
 * naming it.
 *
 * Who reads: the procuring side (policy `supervision:read`: admin, procurement, inspectors,
 * finance). Not contractors: the figures span every contractor of the tenant, as rankings do.
 */

export interface SupervisionDeps {
  readonly statements: Pick<StatementStore, 'listMonth'>;
  readonly contracts: Pick<ContractStore, 'list'>;
  /** The tenant's zone, in which the running month is counted (an unknown tenant: the default zone). */
  readonly tenants: Pick<TenantDirectory, 'zoneOf'>;
  readonly clock: Clock;
}

export const maxPerformanceMonths = 24;

export const PerformanceQuery = z
  .object({
    serviceType: ServiceType.optional(),
    to: ApiMonth.optional().describe("the last month of the window; the tenant's running month when absent"),
    months: z.coerce
      .number()
      .int('months is a whole number')
      .min(1, 'months is at least 1')
      .max(maxPerformanceMonths, `months is at most ${maxPerformanceMonths}`)
      .default(12)
      .describe('how many months up to `to`, 1–24 (12 by default)'),
  })
  .meta({ id: 'PerformanceQuery' });
export type PerformanceQuery = z.input<typeof PerformanceQuery>;

export const SegmentMonthParams = z.object({ month: ApiMonth }).meta({ id: 'SupervisionMonthParams' });
export const SegmentMonthQuery = z.object({ serviceType: ServiceType.optional() }).meta({ id: 'SupervisionSegmentsQuery' });
export type SegmentMonthQuery = z.input<typeof SegmentMonthQuery>;

/** Labels of the categories the templates use and of the three reserved ones; a tenant's own category has none. */
export const categoryLabels: Readonly<Record<string, { readonly zh: string; readonly en: string }>> = {
  road_cleanliness: { zh: '路面保洁', en: 'Road cleanliness' },
  facilities: { zh: '环卫设施', en: 'Facilities' },
  greening: { zh: '绿化养护', en: 'Greening' },
  operations: { zh: '作业规范', en: 'Operations' },
  safety: { zh: '作业安全', en: 'Safety' },
  events: { zh: '保障任务', en: 'Events' },
  missed_tasks: { zh: '漏作业', en: 'Missed tasks' },
  late: { zh: '逾期整改', en: 'Late rectification' },
  complaints: { zh: '群众诉求', en: 'Valid complaints' },
  // month-facts.ts: a measured line (sample score) whose item the rulebook no longer names
  inspection: { zh: '检查扣分', en: 'Inspection' },
};

export const kpiNames = ['taskCompletion', 'onTimeRectification', 'complaintResolution'] as const;
export type KpiName = (typeof kpiNames)[number];

const targetField: Readonly<Record<KpiName, keyof KpiTargets>> = {
  taskCompletion: 'taskCompletionBps',
  onTimeRectification: 'onTimeRectificationBps',
  complaintResolution: 'complaintResolutionBps',
};

/** One KPI of a month beside its target; every figure null when the record kept no assessment. */
export interface KpiPoint {
  readonly numerator: number | null;
  readonly denominator: number | null;
  /** null: nothing was due, or no assessment kept. */
  readonly rateBps: number | null;
  readonly formula: string | null;
  /** The rulebook's target in force that month; null when it names none. */
  readonly targetBps: number | null;
  /** rateBps < targetBps; null when either is null. */
  readonly belowTarget: boolean | null;
}

export interface DeductionPoint {
  readonly category: string;
  readonly labelZh: string | null;
  readonly labelEn: string | null;
  readonly occurrences: number;
  /** Points counted in the score (after the category's cap). */
  readonly pointsX100: number;
  readonly rawPointsX100: number;
  readonly capX100: number | null;
  /** The category's fines before the statement's deduction cap (summary.ts). */
  readonly fineFen: number;
}

export interface PerformanceMonth {
  readonly month: string;
  readonly status: StatementStatus;
  readonly computeVersion: number;
  readonly scoreX100: number;
  readonly netFen: number;
  /** False for a record computed before the assessment was kept: deductions and KPI figures are null. */
  readonly assessmentStored: boolean;
  readonly deductions: readonly DeductionPoint[] | null;
  readonly kpis: Readonly<Record<KpiName, KpiPoint>>;
  readonly proofsRefused: number | null;
}

export interface ContractPerformance {
  readonly contractId: string;
  /** 合同名称, from the contract record; absent when the contract is not found. */
  readonly contractTitle?: string;
  readonly contractorId: string;
  readonly serviceType: ServiceType;
  /** Oldest first; only the months the contract has a statement for. */
  readonly months: readonly PerformanceMonth[];
}

export interface Performance {
  readonly serviceType: ServiceType | null;
  readonly from: string;
  readonly to: string;
  /** Every month of the window, oldest first (the chart's axis). */
  readonly months: readonly string[];
  /** By service type, then contract id. */
  readonly contracts: readonly ContractPerformance[];
}

/** The KPIs of a month against the targets in force (pure). */
export function kpiPoints(summary: AssessmentSummary | undefined, targets: KpiTargets | undefined): Record<KpiName, KpiPoint> {
  const points = {} as Record<KpiName, KpiPoint>;
  for (const name of kpiNames) {
    const kpi: Kpi | undefined = summary?.kpis[name];
    const targetBps = targets?.[targetField[name]] ?? null;
    const rateBps = kpi?.rateBps ?? null;
    points[name] = {
      numerator: kpi?.numerator ?? null,
      denominator: kpi?.denominator ?? null,
      rateBps,
      formula: kpi?.formula ?? null,
      targetBps,
      belowTarget: rateBps === null || targetBps === null ? null : rateBps < targetBps,
    };
  }
  return points;
}

/** One statement record as a point of the series (pure). */
export function performanceMonthOf(summary: StatementSummary, targets: KpiTargets | undefined): PerformanceMonth {
  const assessment = summary.assessment;
  return {
    month: summary.month,
    status: summary.status,
    computeVersion: summary.computeVersion,
    scoreX100: summary.scoreX100,
    netFen: summary.netFen,
    assessmentStored: assessment !== undefined,
    deductions:
      assessment === undefined
        ? null
        : assessment.categories.map((category) => ({
            category: category.category,
            labelZh: categoryLabels[category.category]?.zh ?? null,
            labelEn: categoryLabels[category.category]?.en ?? null,
            occurrences: category.occurrences,
            pointsX100: category.countedX100,
            rawPointsX100: category.rawX100,
            capX100: category.capX100,
            fineFen: category.fineFen,
          })),
    kpis: kpiPoints(assessment, targets),
    proofsRefused: assessment?.kpis.proofsRefused ?? null,
  };
}

/**
 * The series of every contract with a statement in `months` (pure): the targets of each month
 * are the rulebook's in force that month (statement.ts `rulebookForMonth`), else the latest
 * terms' (a contract that ended before it).
 */
export function performanceOf(summaries: readonly StatementSummary[], contracts: ReadonlyMap<string, Contract>): ContractPerformance[] {
  const byContract = new Map<string, StatementSummary[]>();
  for (const summary of summaries) byContract.set(summary.contractId, [...(byContract.get(summary.contractId) ?? []), summary]);
  return [...byContract.values()]
    .map((list): ContractPerformance => {
      const sorted = [...list].sort((a, b) => compare(a.month, b.month));
      const first = sorted[0] as StatementSummary;
      const contract = contracts.get(first.contractId);
      return {
        contractId: first.contractId,
        ...(contract === undefined ? {} : { contractTitle: contract.title }),
        contractorId: first.contractorId,
        serviceType: first.serviceType,
        months: sorted.map((summary) => performanceMonthOf(summary, targetsFor(contract, summary.month))),
      };
    })
    .sort((a, b) => compare(a.serviceType, b.serviceType) || compare(a.contractId, b.contractId));
}

function targetsFor(contract: Contract | undefined, month: string): KpiTargets | undefined {
  if (contract === undefined) return undefined;
  return (rulebookForMonth(contract, month) ?? contract.versions.at(-1)?.rulebook)?.kpiTargets;
}

/** The months of the window ending at `to`, oldest first. */
export function windowMonths(to: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => addMonths(to, index - count + 1));
}

/** Score, net, deductions and KPIs per contract and month (policy `supervision:read`). */
export async function readPerformance(deps: SupervisionDeps, actor: Actor, query: PerformanceQuery): Promise<Performance> {
  authorize(actor, 'supervision:read');
  const parsed = PerformanceQuery.safeParse(query);
  if (!parsed.success) throw invalid('invalid performance query', 'query', parsed.error.issues);
  const { serviceType, months: count } = parsed.data;
  const to = parsed.data.to ?? localDate(deps.clock.now(), (await deps.tenants.zoneOf(actor.tenantId)) ?? defaultZone).slice(0, 7);
  const months = windowMonths(to, count);
  const [summaries, contracts] = await Promise.all([
    Promise.all(months.map((month) => monthSummaries(deps, actor.tenantId, month, serviceType))).then((pages) => pages.flat()),
    contractsOf(deps, actor.tenantId),
  ]);
  return { serviceType: serviceType ?? null, from: months[0] as string, to, months, contracts: performanceOf(summaries, contracts) };
}

// ---------------------------------------------------------------------------------------
// The month's map

/** What the map shows of one segment: the month's occurrences over every contract read. */
export interface SegmentMonthRow {
  readonly segmentId: string;
  readonly findings: number;
  readonly validComplaints: number;
  readonly lateOrders: number;
  readonly missedTasks: number;
  /** Points counted in the scores (after category caps). */
  readonly pointsX100: number;
  readonly rawPointsX100: number;
  readonly fineFen: number;
  /** The contracts whose statements counted them, sorted. */
  readonly contractIds: readonly string[];
}

export type UnlocatedTotals = Omit<SegmentMonthRow, 'segmentId'>;

export interface SegmentMonth {
  readonly month: string;
  readonly serviceType: ServiceType | null;
  /** Segments with at least one occurrence in a kept assessment, by segment id; a segment not listed had none. */
  readonly segments: readonly SegmentMonthRow[];
  /** Complaints and late orders that name no segment. */
  readonly unlocated: UnlocatedTotals;
  /** Statements read. */
  readonly statements: number;
  /** Contracts whose current statement was computed before assessments were kept: not on the map. */
  readonly contractsWithoutAssessment: readonly string[];
}

/** Sums the kept assessments' segment rows (pure). */
export function segmentMonthOf(month: string, serviceType: ServiceType | undefined, summaries: readonly StatementSummary[]): SegmentMonth {
  const rows = new Map<string | null, { totals: Totals; contracts: Set<string> }>();
  const without: string[] = [];
  for (const summary of summaries) {
    if (summary.assessment === undefined) {
      without.push(summary.contractId);
      continue;
    }
    for (const segment of summary.assessment.segments) {
      const row = rows.get(segment.segmentId) ?? { totals: emptyTotals(), contracts: new Set<string>() };
      add(row.totals, segment);
      row.contracts.add(summary.contractId);
      rows.set(segment.segmentId, row);
    }
  }
  const located = [...rows.entries()].flatMap(([segmentId, row]) => (segmentId === null ? [] : [{ segmentId, ...row.totals, contractIds: [...row.contracts].sort(compare) }]));
  const unlocated = rows.get(null);
  return {
    month,
    serviceType: serviceType ?? null,
    segments: located.sort((a, b) => compare(a.segmentId, b.segmentId)),
    unlocated: unlocated === undefined ? { ...emptyTotals(), contractIds: [] } : { ...unlocated.totals, contractIds: [...unlocated.contracts].sort(compare) },
    statements: summaries.length,
    contractsWithoutAssessment: [...new Set(without)].sort(compare),
  };
}

/** The month's occurrences by segment, from the kept assessments (policy `supervision:read`). */
export async function readSegmentMonth(deps: Pick<SupervisionDeps, 'statements'>, actor: Actor, params: { readonly month: string }, query: SegmentMonthQuery): Promise<SegmentMonth> {
  authorize(actor, 'supervision:read');
  const month = SegmentMonthParams.safeParse(params);
  if (!month.success) throw invalid('invalid month', 'params', month.error.issues);
  const parsed = SegmentMonthQuery.safeParse(query);
  if (!parsed.success) throw invalid('invalid segment query', 'query', parsed.error.issues);
  const summaries = await monthSummaries(deps, actor.tenantId, month.data.month, parsed.data.serviceType);
  return segmentMonthOf(month.data.month, parsed.data.serviceType, summaries);
}

// ---------------------------------------------------------------------------------------

type Totals = { -readonly [K in keyof Omit<UnlocatedTotals, 'contractIds'>]: UnlocatedTotals[K] };

function emptyTotals(): Totals {
  return { findings: 0, validComplaints: 0, lateOrders: 0, missedTasks: 0, pointsX100: 0, rawPointsX100: 0, fineFen: 0 };
}

function add(totals: Totals, segment: SegmentSummary): void {
  totals.findings += segment.findings;
  totals.validComplaints += segment.validComplaints;
  totals.lateOrders += segment.lateOrders;
  totals.missedTasks += segment.missedTasks;
  totals.pointsX100 += segment.countedX100;
  totals.rawPointsX100 += segment.rawX100;
  totals.fineFen += segment.fineFen;
}

/** A tenant-month's current statement records, every page (one Query each). */
async function monthSummaries(deps: Pick<SupervisionDeps, 'statements'>, tenantId: string, month: string, serviceType: ServiceType | undefined): Promise<StatementSummary[]> {
  const summaries: StatementSummary[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.statements.listMonth(tenantId, month, serviceType === undefined ? {} : { serviceType }, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    summaries.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return summaries;
}

/** Every contract of the tenant (titles and rulebooks' targets), a few pages. */
async function contractsOf(deps: Pick<SupervisionDeps, 'contracts'>, tenantId: string): Promise<Map<string, Contract>> {
  const contracts = new Map<string, Contract>();
  let cursor: string | undefined;
  do {
    const page = await deps.contracts.list(tenantId, {}, { limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    for (const contract of page.items) contracts.set(contract.contractId, contract);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return contracts;
}

function invalid(message: string, at: 'query' | 'params', issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): ValidationError {
  return new ValidationError(message, issues.map((issue) => ({ path: `${at}.${issue.path.map(String).join('.')}`, message: issue.message })));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
