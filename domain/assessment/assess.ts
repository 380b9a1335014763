import { divideRoundHalfUp, formatX100 } from '../money';
import type { CategoryCap, Rulebook } from '../rulebooks/schema';
import type { ServiceType } from '../service-types';
import { daysInMonth } from './months';

/**
 * The monthly assessment of one contract (DESIGN §3 Score; issue 7 "Assessment"): the score
 * from inspection, missed-task, late-rectification and valid-complaint points with the
 * rulebook's per-category caps, a breakdown by category and by segment, the fines that the
 * statement takes, and the KPI figures users ask for. Pure: the caller maps stored records
 * into `MonthFacts` (already priced, waived findings left out) and passes the rulebook in
 * force (see `rulebookForMonth` in payments/statement.ts).
 */

/** One inspection finding, priced by the inspection module (count x item, escalation included). */
export interface FindingFact {
  readonly inspectionId: string;
  readonly segmentId: string;
  readonly itemCode: string;
  /** The rulebook item's category (road_cleanliness, facilities...). */
  readonly category: string;
  readonly pointsX100: number;
  readonly fineFen: number;
  /** ISO instant of the inspection; orders findings when a cap cuts them. */
  readonly at: string;
}

/** A task missed (DESIGN §3 Missed tasks), priced by the rulebook's missedTasks table. */
export interface MissedTaskFact {
  readonly taskId: string;
  readonly segmentId: string;
  readonly activity: string;
  readonly pointsX100: number;
  readonly fineFen: number;
  /** Refused or rejected proofs of the task, when there were any: why it counts as missed. */
  readonly proofIds?: readonly string[];
}

/** A rectification order fixed late or not at all, priced by the rulebook's late penalty. */
export interface LateOrderFact {
  readonly orderId: string;
  readonly itemCode: string;
  readonly segmentId?: string;
  readonly pointsX100: number;
  readonly fineFen: number;
}

/** A complaint verified as valid (DESIGN §3: costs the rulebook's complaint points). */
export interface ComplaintFact {
  readonly complaintId: string;
  readonly segmentId?: string;
  readonly pointsX100: number;
}

/** Everything one contract-month's assessment reads. */
export interface MonthFacts {
  readonly contractId: string;
  readonly serviceType: ServiceType;
  /** `YYYY-MM`. */
  readonly month: string;
  /** The tenant's zone, in which the month's days are counted. */
  readonly zone: string;
  readonly findings: readonly FindingFact[];
  readonly missedTasks: readonly MissedTaskFact[];
  readonly lateOrders: readonly LateOrderFact[];
  readonly validComplaints: readonly ComplaintFact[];
  readonly tasksDue: number;
  readonly tasksDone: number;
  readonly ordersDue: number;
  readonly ordersOnTime: number;
  readonly complaintsReceived: number;
  readonly complaintsResolved: number;
  readonly proofsRefused: number;
}

export const missedTasksCategory = 'missed_tasks';
export const lateCategory = 'late';
export const complaintsCategory = 'complaints';

export type SourceKind = 'finding' | 'missed_task' | 'late_order' | 'complaint';

/** One occurrence that costs points, with what the category cap let through. */
export interface PointSource {
  readonly kind: SourceKind;
  /** inspectionId, taskId, orderId or complaintId. */
  readonly id: string;
  readonly segmentId: string | null;
  readonly itemCode: string | null;
  readonly pointsX100: number;
  /** The occurrence's fine (never capped by a category cap). */
  readonly fineFen: number;
  /** Points counted in the score after the category cap. */
  readonly countedX100: number;
  /** pointsX100 − countedX100: what the cap cut from this source (shown, not dropped). */
  readonly excessX100: number;
  /** Proofs behind a missed task, when the facts name any. */
  readonly proofIds?: readonly string[];
}

export interface CategoryResult {
  readonly category: string;
  readonly rawX100: number;
  readonly capX100: number | null;
  readonly countedX100: number;
  readonly excessX100: number;
  /** In counting order (see `assessMonth`). */
  readonly sources: readonly PointSource[];
}

export interface SegmentResult {
  /** null for complaints and late orders that name no segment. */
  readonly segmentId: string | null;
  readonly rawX100: number;
  readonly countedX100: number;
  readonly fineFen: number;
  readonly findings: number;
  readonly missedTasks: number;
  readonly lateOrders: number;
  readonly complaints: number;
}

/** The fines of one kind (DESIGN §3 Statement `fines`), with their sources. */
export interface FineGroup {
  readonly fineFen: number;
  /** Occurrences with a fine above 0 (the ones listed as sources). */
  readonly count: number;
  readonly ids: readonly string[];
  readonly itemCodes: readonly string[];
  readonly proofIds: readonly string[];
}

/** A rate in basis points; null when nothing was due (a rate of nothing is not 100 %). */
export interface Kpi {
  readonly numerator: number;
  readonly denominator: number;
  readonly rateBps: number | null;
  readonly formula: string;
}

export interface MonthAssessment {
  readonly contractId: string;
  readonly serviceType: ServiceType;
  readonly month: string;
  readonly zone: string;
  readonly daysInMonth: number;
  /** max(0, 10000 − countedPointsX100). */
  readonly scoreX100: number;
  readonly rawPointsX100: number;
  readonly countedPointsX100: number;
  readonly excessPointsX100: number;
  /** Sorted by category. */
  readonly categories: readonly CategoryResult[];
  /** Sorted by segment id, the segment-less bucket last. */
  readonly segments: readonly SegmentResult[];
  readonly fines: { readonly findings: FineGroup; readonly missedTasks: FineGroup; readonly lateOrders: FineGroup };
  readonly kpis: {
    readonly taskCompletion: Kpi;
    /** 限时整改率: rectification orders fixed on time / orders due this month. */
    readonly onTimeRectification: Kpi;
    readonly complaintResolution: Kpi;
    readonly proofsRefused: number;
  };
  readonly counts: { readonly findings: number; readonly missedTasks: number; readonly lateOrders: number; readonly validComplaints: number };
  /** The score written out: 100.00 − each category's counted points = score. */
  readonly formula: string;
}

interface Occurrence {
  readonly kind: SourceKind;
  readonly id: string;
  readonly category: string;
  readonly segmentId: string | null;
  readonly itemCode: string | null;
  readonly pointsX100: number;
  readonly fineFen: number;
  /** Inspection instant for findings, '' for the others (ordered by id). */
  readonly at: string;
  readonly proofIds: readonly string[];
}

/**
 * Assesses one contract-month (DESIGN §3 Score):
 * `score = max(0, 100.00 − Σ over categories min(Σ points of the category, cap))`.
 * Findings count in their item's category; missed tasks in `missed_tasks`, late orders in
 * `late`, valid complaints in `complaints` (rulebook `reservedCapCategories`). A category's
 * cap (rulebook `categoryCaps`) is reached in counting order — findings by inspection time,
 * the others by id — so the occurrences that arrive after the cap carry the excess, and the
 * excess stays visible per source. Caps act on points only: fines are never capped here
 * (the statement's deduction cap bounds money).
 *
 * KPI rates: numerator x 10000 / denominator, rounded half-up once (money.ts
 * divideRoundHalfUp); null when the denominator is 0.
 *
 * Throws a RangeError for inconsistent facts (negative or fractional figures, a count done
 * above its count due, a source id twice): those are wiring mistakes, not user input.
 */
export function assessMonth(facts: MonthFacts, rulebook: Pick<Rulebook, 'categoryCaps'>): MonthAssessment {
  checkFacts(facts);
  const occurrences = occurrencesOf(facts);
  const caps = new Map<string, CategoryCap>(rulebook.categoryCaps.map((cap) => [cap.category, cap]));

  const countedOf = new Map<Occurrence, number>();
  const byCategory = new Map<string, Occurrence[]>();
  for (const occurrence of occurrences) {
    const list = byCategory.get(occurrence.category) ?? [];
    list.push(occurrence);
    byCategory.set(occurrence.category, list);
  }

  const categories: CategoryResult[] = [...byCategory.keys()].sort(compareText).map((category) => {
    const list = (byCategory.get(category) ?? []).sort(countingOrder);
    const capX100 = caps.get(category)?.capX100 ?? null;
    let counted = 0;
    const sources: PointSource[] = list.map((occurrence) => {
      const room = capX100 === null ? occurrence.pointsX100 : Math.max(0, capX100 - counted);
      const countedX100 = Math.min(occurrence.pointsX100, room);
      counted += countedX100;
      countedOf.set(occurrence, countedX100);
      return {
        kind: occurrence.kind,
        id: occurrence.id,
        segmentId: occurrence.segmentId,
        itemCode: occurrence.itemCode,
        pointsX100: occurrence.pointsX100,
        fineFen: occurrence.fineFen,
        countedX100,
        excessX100: occurrence.pointsX100 - countedX100,
        ...(occurrence.proofIds.length > 0 ? { proofIds: uniqueSorted(occurrence.proofIds) } : {}),
      };
    });
    const rawX100 = sum(list.map((occurrence) => occurrence.pointsX100));
    return { category, rawX100, capX100, countedX100: counted, excessX100: rawX100 - counted, sources };
  });

  const rawPointsX100 = sum(categories.map((category) => category.rawX100));
  const countedPointsX100 = sum(categories.map((category) => category.countedX100));
  const scoreX100 = Math.max(0, 10_000 - countedPointsX100);

  return {
    contractId: facts.contractId,
    serviceType: facts.serviceType,
    month: facts.month,
    zone: facts.zone,
    daysInMonth: daysInMonth(facts.month),
    scoreX100,
    rawPointsX100,
    countedPointsX100,
    excessPointsX100: rawPointsX100 - countedPointsX100,
    categories,
    segments: segmentsOf(occurrences, countedOf),
    fines: {
      findings: fineGroup(occurrences.filter((o) => o.kind === 'finding')),
      missedTasks: fineGroup(occurrences.filter((o) => o.kind === 'missed_task')),
      lateOrders: fineGroup(occurrences.filter((o) => o.kind === 'late_order')),
    },
    kpis: {
      taskCompletion: kpi('tasks done', facts.tasksDone, 'tasks due', facts.tasksDue),
      onTimeRectification: kpi('orders fixed on time', facts.ordersOnTime, 'orders due', facts.ordersDue),
      complaintResolution: kpi('complaints resolved', facts.complaintsResolved, 'complaints received', facts.complaintsReceived),
      proofsRefused: facts.proofsRefused,
    },
    counts: {
      findings: facts.findings.length,
      missedTasks: facts.missedTasks.length,
      lateOrders: facts.lateOrders.length,
      validComplaints: facts.validComplaints.length,
    },
    formula: scoreFormula(categories, countedPointsX100, scoreX100),
  };
}

function occurrencesOf(facts: MonthFacts): Occurrence[] {
  return [
    ...facts.findings.map((f) => ({
      kind: 'finding' as const,
      id: f.inspectionId,
      category: f.category,
      segmentId: f.segmentId,
      itemCode: f.itemCode,
      pointsX100: f.pointsX100,
      fineFen: f.fineFen,
      at: f.at,
      proofIds: [],
    })),
    ...facts.missedTasks.map((t) => ({
      kind: 'missed_task' as const,
      id: t.taskId,
      category: missedTasksCategory,
      segmentId: t.segmentId,
      itemCode: null,
      pointsX100: t.pointsX100,
      fineFen: t.fineFen,
      at: '',
      proofIds: t.proofIds ?? [],
    })),
    ...facts.lateOrders.map((o) => ({
      kind: 'late_order' as const,
      id: o.orderId,
      category: lateCategory,
      segmentId: o.segmentId ?? null,
      itemCode: o.itemCode,
      pointsX100: o.pointsX100,
      fineFen: o.fineFen,
      at: '',
      proofIds: [],
    })),
    ...facts.validComplaints.map((c) => ({
      kind: 'complaint' as const,
      id: c.complaintId,
      category: complaintsCategory,
      segmentId: c.segmentId ?? null,
      itemCode: null,
      pointsX100: c.pointsX100,
      fineFen: 0,
      at: '',
      proofIds: [],
    })),
  ];
}

function segmentsOf(occurrences: readonly Occurrence[], countedOf: ReadonlyMap<Occurrence, number>): SegmentResult[] {
  const rows = new Map<string | null, { rawX100: number; countedX100: number; fineFen: number; findings: number; missedTasks: number; lateOrders: number; complaints: number }>();
  // Sums only, so the order of occurrences does not matter here.
  for (const occurrence of occurrences) {
    const countedX100 = countedOf.get(occurrence) ?? 0;
    const row = rows.get(occurrence.segmentId) ?? { rawX100: 0, countedX100: 0, fineFen: 0, findings: 0, missedTasks: 0, lateOrders: 0, complaints: 0 };
    row.rawX100 += occurrence.pointsX100;
    row.countedX100 += countedX100;
    row.fineFen += occurrence.fineFen;
    if (occurrence.kind === 'finding') row.findings += 1;
    if (occurrence.kind === 'missed_task') row.missedTasks += 1;
    if (occurrence.kind === 'late_order') row.lateOrders += 1;
    if (occurrence.kind === 'complaint') row.complaints += 1;
    rows.set(occurrence.segmentId, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : compareText(a, b)))
    .map(([segmentId, row]) => ({ segmentId, ...row }));
}

function fineGroup(occurrences: readonly Occurrence[]): FineGroup {
  const fined = occurrences.filter((o) => o.fineFen > 0);
  return {
    fineFen: sum(fined.map((o) => o.fineFen)),
    count: fined.length,
    ids: uniqueSorted(fined.map((o) => o.id)),
    itemCodes: uniqueSorted(fined.flatMap((o) => (o.itemCode === null ? [] : [o.itemCode]))),
    proofIds: uniqueSorted(fined.flatMap((o) => o.proofIds)),
  };
}

function kpi(numeratorName: string, numerator: number, denominatorName: string, denominator: number): Kpi {
  if (denominator === 0) return { numerator, denominator, rateBps: null, formula: `no ${denominatorName}: no rate` };
  const rateBps = Number(divideRoundHalfUp(BigInt(numerator) * 10_000n, BigInt(denominator)));
  return { numerator, denominator, rateBps, formula: `${numerator} ${numeratorName} / ${denominator} ${denominatorName} = ${formatX100(rateBps)} %` };
}

function scoreFormula(categories: readonly CategoryResult[], countedX100: number, scoreX100: number): string {
  const terms = categories.map((category) => {
    const capped = category.excessX100 > 0 ? `, ${formatX100(category.rawX100)} capped at ${formatX100(category.capX100 ?? 0)}` : '';
    return ` − ${formatX100(category.countedX100)} (${category.category}${capped})`;
  });
  const floor = 10_000 - countedX100 < 0 ? ` = ${formatX100(10_000 - countedX100)}, floored at 0.00` : '';
  return `100.00${terms.join('')}${floor} = ${formatX100(scoreX100)}`;
}

function checkFacts(facts: MonthFacts): void {
  daysInMonth(facts.month);
  const check = (value: number, path: () => string): void => {
    // The path is built only on failure: a city-month checks millions of figures.
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${path()} must be a non-negative integer, got ${value}`);
  };
  facts.findings.forEach((f, i) => {
    check(f.pointsX100, () => `findings.${i}.pointsX100`);
    check(f.fineFen, () => `findings.${i}.fineFen`);
  });
  facts.missedTasks.forEach((t, i) => {
    check(t.pointsX100, () => `missedTasks.${i}.pointsX100`);
    check(t.fineFen, () => `missedTasks.${i}.fineFen`);
  });
  facts.lateOrders.forEach((o, i) => {
    check(o.pointsX100, () => `lateOrders.${i}.pointsX100`);
    check(o.fineFen, () => `lateOrders.${i}.fineFen`);
  });
  facts.validComplaints.forEach((c, i) => check(c.pointsX100, () => `validComplaints.${i}.pointsX100`));
  const counts = ['tasksDue', 'tasksDone', 'ordersDue', 'ordersOnTime', 'complaintsReceived', 'complaintsResolved', 'proofsRefused'] as const;
  for (const name of counts) check(facts[name], () => name);
  const pairs: [string, number, string, number][] = [
    ['tasksDone', facts.tasksDone, 'tasksDue', facts.tasksDue],
    ['ordersOnTime', facts.ordersOnTime, 'ordersDue', facts.ordersDue],
    ['complaintsResolved', facts.complaintsResolved, 'complaintsReceived', facts.complaintsReceived],
  ];
  for (const [partName, part, wholeName, whole] of pairs) {
    if (part > whole) throw new RangeError(`${partName} (${part}) exceeds ${wholeName} (${whole})`);
  }
  for (const [name, ids] of [
    ['missedTasks.taskId', facts.missedTasks.map((t) => t.taskId)],
    ['lateOrders.orderId', facts.lateOrders.map((o) => o.orderId)],
    ['validComplaints.complaintId', facts.validComplaints.map((c) => c.complaintId)],
  ] as const) {
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id)) throw new RangeError(`${name} '${id}' appears twice: each occurrence is one fact`);
      seen.add(id);
    }
  }
}

/**
 * Findings by inspection time, then every other field, so occurrences that differ in anything
 * sort the same whatever order they were given in (fully equal ones are interchangeable);
 * the other kinds by id.
 */
function countingOrder(a: Occurrence, b: Occurrence): number {
  return (
    compareText(a.at, b.at) ||
    compareText(a.id, b.id) ||
    compareText(a.itemCode ?? '', b.itemCode ?? '') ||
    compareText(a.segmentId ?? '', b.segmentId ?? '') ||
    compareText(a.category, b.category) ||
    a.pointsX100 - b.pointsX100 ||
    a.fineFen - b.fineFen
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareText);
}

/** Code-unit order, the same on every machine (localeCompare is not). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
