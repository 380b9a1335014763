import { compareText, type ComplaintFact, type FindingFact, type LateOrderFact, type MissedTaskFact, type MonthAssessment } from '../assessment/assess';
import { daysBetweenInclusive, daysInMonth, monthBounds } from '../assessment/months';
import { perM2Fen } from '../contracts/pricing';
import type { Contract, ContractTerms } from '../contracts/schema';
import { termsAsOf, termsPeriods } from '../contracts/terms';
import { maxDate, minDate } from '../dates';
import { divideRoundHalfUp, fen, formatX100, formatYuan, prorate } from '../money';
import {
  adjustmentFormula,
  assessedText as assessedTextOf,
  bonusFormula as bonusFormulaOf,
  deductionCapFormula,
  fineFormula,
  lumpSumBaseFormula,
  perM2BaseFormula,
  qualityDeductionFormula,
  retentionFormula as retentionFormulaOf,
  unitRateFormula,
  type FormulaText,
} from './formulas';
import { bandFor } from '../rulebooks/rules';
import { areaM2X100 } from '../segments/area';
import type { Rulebook, ScoreBand } from '../rulebooks/schema';

/**
 * The monthly statement of one contract (DESIGN §3 Statement; issue 7 "Statement"): every
 * amount a line, every line its formula with the numbers and its sources, totals that are
 * the sum of the lines. Pure: the caller gathers the contract, the segment areas, the month's
 * assessment, the work orders accepted in the month and the adjustments carried into it.
 *
 * Signs: a line's `amountFen` is what it adds to the payment; deductions, fines and
 * retention are negative. The deduction cap is shown as its own positive line (the excess
 * released), so `net` is the plain sum of the lines.
 *
 * Rounding: half-up to the fen once per line through money.ts `divideRoundHalfUp` (via
 * `prorate` and contracts/pricing `perM2Fen`); totals add rounded lines and never round.
 */

export const lineCodes = [
  'base',
  'unit_rate',
  'bonus',
  'quality_deduction',
  'fines_missed_tasks',
  'fines_findings',
  'fines_late_orders',
  'deduction_cap_excess',
  'retention',
  'adjustment',
] as const;
export type LineCode = (typeof lineCodes)[number];

export const lineLabels: Readonly<Record<LineCode, { readonly zh: string; readonly en: string }>> = {
  base: { zh: '基本服务费', en: 'Base fee' },
  unit_rate: { zh: '计量服务费', en: 'Unit-rate work' },
  bonus: { zh: '考核奖励', en: 'Quality bonus' },
  quality_deduction: { zh: '考核扣款', en: 'Quality deduction' },
  fines_missed_tasks: { zh: '漏作业罚款', en: 'Fines: missed tasks' },
  fines_findings: { zh: '检查问题罚款', en: 'Fines: inspection findings' },
  fines_late_orders: { zh: '逾期整改罚款', en: 'Fines: late rectification' },
  deduction_cap_excess: { zh: '超出扣款上限部分(不扣)', en: 'Deductions above the cap (not taken)' },
  retention: { zh: '质量保证金暂扣', en: 'Retention' },
  adjustment: { zh: '往月调整', en: 'Adjustment from an earlier month' },
};

/** Where a line's amount comes from; each list sorted and without repeats. */
export interface LineSources {
  readonly taskIds?: readonly string[];
  readonly proofIds?: readonly string[];
  readonly inspectionIds?: readonly string[];
  readonly orderIds?: readonly string[];
  readonly workOrderIds?: readonly string[];
  readonly complaintIds?: readonly string[];
  readonly itemCodes?: readonly string[];
  readonly amendmentIds?: readonly string[];
  readonly segmentIds?: readonly string[];
  /** For adjustments: the approved statements (`contractId/month/vN`) they correct. */
  readonly statementRefs?: readonly string[];
  /**
   * For lines computed from other lines of the same statement (the bonus, the deduction-cap
   * excess, the retention): the keys of those lines.
   */
  readonly lineKeys?: readonly string[];
}

export interface StatementLine {
  /** Unique within a statement and stable across recomputes: the line's identity in a diff. */
  readonly key: string;
  readonly code: LineCode;
  readonly labelZh: string;
  readonly labelEn: string;
  readonly amountFen: number;
  readonly formula: string;
  /**
   * The same formula as a Chinese finance officer reads it (formulas.ts writes both from the
   * same numbers). Absent on statements computed before it existed: a recompute whose inputs
   * did not change keeps the stored record (inputsDigest), so those keep reading without it.
   */
  readonly formulaZh?: string;
  readonly sources: LineSources;
}

export interface StatementTotals {
  readonly baseFen: number;
  readonly unitRateFen: number;
  readonly bonusFen: number;
  /** bonusCapBps x assessed amount: the most a bonus could be (0 without a reward band). */
  readonly bonusCapFen: number;
  readonly qualityDeductionFen: number;
  readonly finesFen: number;
  readonly deductionsBeforeCapFen: number;
  readonly capFen: number;
  readonly excessFen: number;
  readonly deductionsTakenFen: number;
  readonly retentionFen: number;
  readonly adjustmentsFen: number;
  readonly netFen: number;
}

export interface Statement {
  readonly contractId: string;
  readonly month: string;
  readonly daysInMonth: number;
  /** Days of the month the contract was in force. */
  readonly activeDays: number;
  readonly scoreX100: number;
  readonly coefficientBps: number;
  readonly termsVersions: readonly number[];
  /** The assessing rulebook (`rulebookForMonth`): the issuer's edition and its template, if any. */
  readonly rulebook: { readonly name: string; readonly version: number; readonly templateId?: string; readonly templateVersion?: number };
  readonly lines: readonly StatementLine[];
  readonly totals: StatementTotals;
}

/** A work order accepted in the month (unit-rate contracts). */
export interface WorkOrderFact {
  readonly workOrderId: string;
  /** The rate-card item of the terms in force on `acceptedOn`. */
  readonly itemCode: string;
  /** The quantity accepted, thousandths of the item's unit (what is paid). */
  readonly quantityX1000: number;
  /** The quantity ordered, when acceptance changed it (shown in the formula). */
  readonly orderedQuantityX1000?: number;
  /** `YYYY-MM-DD`, tenant-local, within the month. */
  readonly acceptedOn: string;
  readonly proofIds?: readonly string[];
}

/** A correction carried from an approved month (see `adjustmentFor`). */
export interface AdjustmentFact {
  readonly adjustmentId: string;
  readonly originMonth: string;
  readonly amountFen: number;
  /** Why, with the numbers (e.g. the line changes that make up the amount). */
  readonly formula: string;
  readonly sources: LineSources;
  /**
   * The origin month's records that `sources` names, as the correction read them (facts.ts
   * `originFactsOf`): what expanding the adjustment line shows. Not read by the statement.
   */
  readonly originFacts?: OriginFacts;
}

/** Records of an earlier month, by kind, as its facts hold them (an adjustment's origin). */
export interface OriginFacts {
  readonly missedTasks: readonly MissedTaskFact[];
  readonly findings: readonly FindingFact[];
  readonly lateOrders: readonly LateOrderFact[];
  readonly validComplaints: readonly ComplaintFact[];
  readonly workOrders: readonly WorkOrderFact[];
  /** Task id → its tenant-local date. */
  readonly taskDates: Readonly<Record<string, string>>;
}

export interface StatementInput {
  readonly contractId: string;
  /** `YYYY-MM`. */
  readonly month: string;
  readonly contract: Pick<Contract, 'startDate' | 'endDate' | 'endedOn' | 'versions'>;
  /** Area of every segment in scope during the month (per-m² pricing), m² with at most two decimals; summed in hundredths. */
  readonly segmentAreasM2: Readonly<Record<string, number>>;
  readonly assessment: Pick<MonthAssessment, 'month' | 'scoreX100' | 'categories' | 'fines'>;
  readonly workOrders: readonly WorkOrderFact[];
  readonly adjustments: readonly AdjustmentFact[];
}

/** A terms version clipped to the days of one month. */
interface MonthPeriod {
  readonly terms: ContractTerms;
  readonly from: string;
  readonly to: string;
  readonly days: number;
}

function monthPeriods(contract: StatementInput['contract'], month: string): MonthPeriod[] {
  const { first, last } = monthBounds(month);
  return termsPeriods(contract)
    .map((period) => {
      const from = maxDate(period.from, first);
      const to = minDate(period.to, last);
      return { terms: period.terms, from, to, days: from <= to ? daysBetweenInclusive(from, to) : 0 };
    })
    .filter((period) => period.days > 0);
}

/**
 * The rulebook that assesses a month: the one in force on the contract's last day in force
 * in that month (an amendment of the rulebook mid-month applies to that whole month's score,
 * since a score is one figure per month). Undefined when the contract was not in force.
 */
export function rulebookForMonth(contract: StatementInput['contract'], month: string): Rulebook | undefined {
  return monthPeriods(contract, month).at(-1)?.terms.rulebook;
}

/**
 * The band of a score (rulebooks/rules.ts `bandFor`: the highest `minScoreX100` ≤ score), kept
 * whole so the statement can name its threshold; validate.ts guarantees a band at 0.
 */
export function coefficientOf(scoreX100: number, bands: readonly ScoreBand[]): ScoreBand {
  const band = bandFor(bands, scoreX100);
  if (band === undefined) throw new RangeError(`no score band covers ${formatX100(scoreX100)}: the rulebook needs a band at 0.00`);
  return band;
}

/**
 * Computes the statement of one contract-month, exactly DESIGN §3 Statement:
 * - `base`: per terms period in the month (amendments split it), lump sum x days / days in
 *   month, or Σ segment area x rate per m² x days / (12 x 1000 x days in month) (pricing.ts);
 * - `unitRate`: per accepted work order, quantity (thousandths) x rate fen / 1000;
 * - `qualityDeduction = A x (10000 − coefficient) / 10000`, or when the band rewards,
 *   `bonus = min(A x (coefficient − 10000) / 10000, A x bonusCapBps / 10000)`;
 * - `fines`: misses, findings, late orders (sums of integer fen, no rounding);
 * - `cap = A x deductionCapBps / 10000`; `deductionsTaken = min(quality + fines, cap)`, the
 *   excess shown as its own line;
 * - `retention = (base + unitRate + bonus − deductionsTaken) x retentionBps / 10000`;
 * - adjustments as carried; `net` = Σ lines.
 * A, the assessed amount, is base + unitRate: a lump-sum contract has no rate card (A = base,
 * DESIGN literally) and a unit-rate contract has no base (A = the month's unit-rate work, so
 * its score still costs money). The rulebook is `rulebookForMonth`.
 * Throws a RangeError when the input is inconsistent (no terms in the month, a missing area
 * or rate item, a work order outside the month, an assessment of another month).
 */
export function computeStatement(input: StatementInput): Statement {
  const { contract, month, assessment } = input;
  if (assessment.month !== month) throw new RangeError(`the assessment is of ${assessment.month}, the statement of ${month}`);
  const periods = monthPeriods(contract, month);
  const lastPeriod = periods.at(-1);
  if (lastPeriod === undefined) throw new RangeError(`contract '${input.contractId}' was not in force in ${month}`);
  const rulebook = lastPeriod.terms.rulebook;
  const dim = daysInMonth(month);

  const baseLines = periods.flatMap((period) => baseLine(period, dim, input.segmentAreasM2));
  const unitRateLines = [...input.workOrders].sort((a, b) => compareText(a.workOrderId, b.workOrderId)).map((order) => unitRateLine(order, input));
  const baseFen = sumAmounts(baseLines);
  const unitRateFen = sumAmounts(unitRateLines);
  const assessedFen = baseFen + unitRateFen;
  const assessedText = assessedTextOf({ baseFen, unitRateFen, hasBase: baseLines.length > 0, hasUnitRate: unitRateLines.length > 0 });

  const band = coefficientOf(assessment.scoreX100, rulebook.scoreBands);
  const coefficientBps = band.coefficientBps;
  const bandFacts = { scoreX100: assessment.scoreX100, minScoreX100: band.minScoreX100, coefficientBps };
  const rewardBps = Math.max(0, coefficientBps - 10_000);
  const bonusCapFen = rulebook.bonusCapBps === undefined ? 0 : bps(assessedFen, rulebook.bonusCapBps);
  const bonusUncapped = bps(assessedFen, rewardBps);
  const bonusFen = rulebook.bonusCapBps === undefined ? bonusUncapped : Math.min(bonusUncapped, bonusCapFen);
  const bonusFormula = bonusFormulaOf(bandFacts, assessedText, {
    rewardBps,
    uncappedFen: bonusUncapped,
    ...(rulebook.bonusCapBps === undefined ? {} : { capBps: rulebook.bonusCapBps }),
    capFen: bonusCapFen,
    bonusFen,
  });

  const qualityBps = Math.max(0, 10_000 - coefficientBps);
  const qualityFen = bps(assessedFen, qualityBps);
  const qualityFormula = qualityDeductionFormula(bandFacts, assessedText, { bps: qualityBps, amountFen: qualityFen });

  const fines = assessment.fines;
  const fineLines: StatementLine[] = [
    line('fines_missed_tasks', 'fines_missed_tasks', -fines.missedTasks.fineFen, fineFormula('missed_tasks', fines.missedTasks.count, fines.missedTasks.fineFen), { taskIds: fines.missedTasks.ids, proofIds: fines.missedTasks.proofIds }),
    line('fines_findings', 'fines_findings', -fines.findings.fineFen, fineFormula('findings', fines.findings.count, fines.findings.fineFen), {
      inspectionIds: fines.findings.ids,
      itemCodes: fines.findings.itemCodes,
    }),
    line('fines_late_orders', 'fines_late_orders', -fines.lateOrders.fineFen, fineFormula('late_orders', fines.lateOrders.count, fines.lateOrders.fineFen), {
      orderIds: fines.lateOrders.ids,
      itemCodes: fines.lateOrders.itemCodes,
    }),
  ];
  const finesFen = fines.missedTasks.fineFen + fines.findings.fineFen + fines.lateOrders.fineFen;

  const deductionsBeforeCapFen = qualityFen + finesFen;
  const capFen = bps(assessedFen, rulebook.deductionCapBps);
  const deductionsTakenFen = Math.min(deductionsBeforeCapFen, capFen);
  const excessFen = deductionsBeforeCapFen - deductionsTakenFen;
  const capFormula = deductionCapFormula(assessedText, { qualityFen, finesFen, beforeCapFen: deductionsBeforeCapFen, capBps: rulebook.deductionCapBps, capFen, excessFen });

  const retainedOnFen = baseFen + unitRateFen + bonusFen - deductionsTakenFen;
  const retentionFen = bps(retainedOnFen, rulebook.retentionBps);
  const retentionFormula = retentionFormulaOf({ baseFen, unitRateFen, bonusFen, deductionsTakenFen, retentionBps: rulebook.retentionBps, retentionFen });

  const adjustmentLines = [...input.adjustments]
    .sort((a, b) => compareText(a.adjustmentId, b.adjustmentId))
    .map((adjustment) => line(`adjustment/${adjustment.adjustmentId}`, 'adjustment', adjustment.amountFen, adjustmentFormula({ ...adjustment, ...(adjustment.sources.statementRefs === undefined ? {} : { statementRefs: adjustment.sources.statementRefs }) }), adjustment.sources));

  // The lines each derived line is computed from (issue 13: derived lines name their sources).
  const assessedKeys = [...baseLines, ...unitRateLines].map((entry) => entry.key);
  const deductionKeys = ['quality_deduction', ...fineLines.map((entry) => entry.key)];
  const lines: StatementLine[] = [
    ...baseLines,
    ...unitRateLines,
    line('bonus', 'bonus', bonusFen, bonusFormula, { lineKeys: assessedKeys }),
    line('quality_deduction', 'quality_deduction', -qualityFen, qualityFormula, qualityDeductionSources(assessment, qualityFen)),
    ...fineLines,
    line('deduction_cap_excess', 'deduction_cap_excess', excessFen, capFormula, { lineKeys: [...assessedKeys, ...deductionKeys] }),
    line('retention', 'retention', -retentionFen, retentionFormula, { lineKeys: [...assessedKeys, 'bonus', ...deductionKeys, 'deduction_cap_excess'] }),
    ...adjustmentLines,
  ];

  const adjustmentsFen = sumAmounts(adjustmentLines);
  return {
    contractId: input.contractId,
    month,
    daysInMonth: dim,
    activeDays: periods.reduce((total, period) => total + period.days, 0),
    scoreX100: assessment.scoreX100,
    coefficientBps,
    termsVersions: periods.map((period) => period.terms.termsVersion),
    rulebook: {
      name: rulebook.name,
      version: rulebook.version,
      ...(rulebook.basedOn === undefined ? {} : { templateId: rulebook.basedOn.templateId, templateVersion: rulebook.basedOn.templateVersion }),
    },
    lines,
    totals: {
      baseFen,
      unitRateFen,
      bonusFen,
      bonusCapFen: rewardBps === 0 ? 0 : rulebook.bonusCapBps === undefined ? bonusUncapped : bonusCapFen,
      qualityDeductionFen: qualityFen,
      finesFen,
      deductionsBeforeCapFen,
      capFen,
      excessFen,
      deductionsTakenFen,
      retentionFen,
      adjustmentsFen,
      netFen: sumAmounts(lines),
    },
  };
}

function baseLine(period: MonthPeriod, dim: number, areas: Readonly<Record<string, number>>): StatementLine[] {
  const { terms, from, to, days } = period;
  const pricing = terms.pricing;
  const amendmentIds = terms.amendment === undefined ? [] : [terms.amendment.amendmentId];
  const key = `base/${from}..${to}`;
  const periodDays = { days, daysInMonth: dim, from, to, termsVersion: terms.termsVersion };
  if (pricing.kind === 'unit_rate') return [];
  if (pricing.kind === 'lump_sum') {
    const amount = prorate(fen(pricing.monthlyFen), days, dim);
    return [line(key, 'base', amount, lumpSumBaseFormula(periodDays, pricing.monthlyFen, amount), { amendmentIds, segmentIds: terms.scope })];
  }
  let totalAreaX100 = 0;
  for (const segmentId of terms.scope) {
    const area = areas[segmentId];
    if (area === undefined || !Number.isFinite(area) || area < 0) throw new RangeError(`no area (m²) given for segment '${segmentId}' in scope ${from} – ${to}`);
    totalAreaX100 += areaM2X100(area);
  }
  const amount = perM2Fen(totalAreaX100, pricing.milliFenPerM2Year, days, dim);
  return [
    line(
      key,
      'base',
      amount,
      perM2BaseFormula(periodDays, { totalAreaX100, segments: terms.scope.length, yuanPerM2Year: yuanOfMilliFen(pricing.milliFenPerM2Year) }, amount),
      { amendmentIds, segmentIds: terms.scope },
    ),
  ];
}

function unitRateLine(order: WorkOrderFact, input: StatementInput): StatementLine {
  const { first, last } = monthBounds(input.month);
  if (order.acceptedOn < first || order.acceptedOn > last) throw new RangeError(`work order '${order.workOrderId}' was accepted on ${order.acceptedOn}, outside ${input.month}`);
  if (!Number.isSafeInteger(order.quantityX1000) || order.quantityX1000 < 0) throw new RangeError(`work order '${order.workOrderId}' quantity must be a non-negative integer (thousandths)`);
  const terms = termsAsOf(input.contract, order.acceptedOn);
  if (terms === undefined || terms.pricing.kind !== 'unit_rate') {
    throw new RangeError(`work order '${order.workOrderId}': no unit-rate terms in force on ${order.acceptedOn}`);
  }
  const item = terms.pricing.items.find((candidate) => candidate.code === order.itemCode);
  if (item === undefined) throw new RangeError(`work order '${order.workOrderId}': item '${order.itemCode}' is not on the rate card of terms v${terms.termsVersion}`);
  const amount = fen(Number(divideRoundHalfUp(BigInt(order.quantityX1000) * BigInt(item.unitFen), 1_000n)));
  const changed = order.orderedQuantityX1000 !== undefined && order.orderedQuantityX1000 !== order.quantityX1000;
  return line(
    `unit_rate/${order.workOrderId}`,
    'unit_rate',
    amount,
    unitRateFormula(item, { accepted: quantityText(order.quantityX1000), ...(changed ? { ordered: quantityText(order.orderedQuantityX1000!) } : {}) }, amount),
    {
      workOrderIds: [order.workOrderId],
      itemCodes: [item.code],
      proofIds: order.proofIds ?? [],
      amendmentIds: terms.amendment === undefined ? [] : [terms.amendment.amendmentId],
    },
  );
}

/** The occurrences whose points the score counted: what the quality deduction traces to. */
function qualityDeductionSources(assessment: StatementInput['assessment'], qualityFen: number): LineSources {
  if (qualityFen === 0) return {};
  const counted = assessment.categories.flatMap((category) => category.sources.filter((source) => source.countedX100 > 0));
  const ids = (kind: string): string[] => counted.filter((source) => source.kind === kind).map((source) => source.id);
  return {
    inspectionIds: ids('finding'),
    taskIds: ids('missed_task'),
    orderIds: ids('late_order'),
    complaintIds: ids('complaint'),
    proofIds: counted.flatMap((source) => source.proofIds ?? []),
    itemCodes: counted.flatMap((source) => (source.itemCode === null ? [] : [source.itemCode])),
  };
}

function line(key: string, code: LineCode, amountFen: number, formula: FormulaText, sources: LineSources): StatementLine {
  // `0 - 0` is -0 in JavaScript; a deduction of nothing must serialise as 0.
  const amount = amountFen === 0 ? 0 : amountFen;
  return { key, code, labelZh: lineLabels[code].zh, labelEn: lineLabels[code].en, amountFen: fen(amount), formula: formula.en, formulaZh: formula.zh, sources: normaliseSources(sources) };
}

function normaliseSources(sources: LineSources): LineSources {
  const result: Record<string, string[]> = {};
  for (const [name, ids] of Object.entries(sources) as [string, readonly string[] | undefined][]) {
    if (ids !== undefined && ids.length > 0) result[name] = [...new Set(ids)].sort(compareText);
  }
  return result;
}

/** amount x basisPoints / 10000, half-up once. */
function bps(amountFen: number, basisPoints: number): number {
  return Number(divideRoundHalfUp(BigInt(amountFen) * BigInt(basisPoints), 10_000n));
}

function sumAmounts(lines: readonly StatementLine[]): number {
  return lines.reduce((total, entry) => total + entry.amountFen, 0);
}

function quantityText(quantityX1000: number): string {
  return `${Math.trunc(quantityX1000 / 1000)}.${String(quantityX1000 % 1000).padStart(3, '0')}`;
}

/** 629000 thousandths of a fen → "6.29"; exact, at least two decimals. */
function yuanOfMilliFen(milliFen: number): string {
  const whole = Math.trunc(milliFen / 100_000);
  const decimals = String(milliFen % 100_000).padStart(5, '0').replace(/0{1,3}$/, '');
  return `${whole}.${decimals}`;
}

/**
 * The statement as canonical JSON: object keys sorted at every depth, arrays as given (the
 * statement orders them itself), no whitespace. Recomputing from unchanged inputs gives the
 * same bytes, so a close that recomputes can compare serialisations instead of versions.
 */
export function serialiseStatement(statement: Statement): string {
  return canonicalJson(statement);
}

export function canonicalJson(value: unknown): string {
  // Sort keys into a copy, then let the native JSON.stringify write it: several times faster
  // than writing every value by hand, which matters for statements with thousands of ids.
  return JSON.stringify(sortedKeys(value));
}

function sortedKeys(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`cannot serialise ${value}`);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string') ? value : value.map(sortedKeys);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareText)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) result[key] = sortedKeys(item);
  }
  return result;
}

export interface LineChange {
  readonly key: string;
  readonly code: LineCode;
  readonly labelZh: string;
  readonly labelEn: string;
  /** null when the line is new. */
  readonly beforeFen: number | null;
  /** null when the line is gone. */
  readonly afterFen: number | null;
  readonly deltaFen: number;
  readonly beforeFormula: string | null;
  readonly afterFormula: string | null;
  /** null when the line is new, or was stored before lines had a Chinese formula. */
  readonly beforeFormulaZh: string | null;
  readonly afterFormulaZh: string | null;
}

export interface StatementDiff {
  /** Lines whose amount, formula or sources differ, in the order of `after` then removed ones. */
  readonly lines: readonly LineChange[];
  readonly netBeforeFen: number;
  readonly netAfterFen: number;
  readonly netDeltaFen: number;
  readonly unchanged: boolean;
}

/**
 * What changed between two versions of a statement (issue 7 Lifecycle: every recompute is a
 * new version with a diff against the previous one). Lines are matched by `key`. A line's
 * `formulaZh` is left out of the comparison: it is written from the same numbers as `formula`
 * (formulas.ts), and a computation stored before it existed has none, which is no change.
 */
export function diffStatements(before: Statement, after: Statement): StatementDiff {
  const beforeByKey = new Map(before.lines.map((entry) => [entry.key, entry]));
  const afterKeys = new Set(after.lines.map((entry) => entry.key));
  const changes: LineChange[] = [];
  for (const entry of after.lines) {
    const previous = beforeByKey.get(entry.key);
    if (previous !== undefined && canonicalJson(comparable(previous)) === canonicalJson(comparable(entry))) continue;
    changes.push({
      key: entry.key,
      code: entry.code,
      labelZh: entry.labelZh,
      labelEn: entry.labelEn,
      beforeFen: previous?.amountFen ?? null,
      afterFen: entry.amountFen,
      deltaFen: entry.amountFen - (previous?.amountFen ?? 0),
      beforeFormula: previous?.formula ?? null,
      afterFormula: entry.formula,
      beforeFormulaZh: previous?.formulaZh ?? null,
      afterFormulaZh: entry.formulaZh ?? null,
    });
  }
  for (const entry of before.lines) {
    if (afterKeys.has(entry.key)) continue;
    changes.push({
      key: entry.key,
      code: entry.code,
      labelZh: entry.labelZh,
      labelEn: entry.labelEn,
      beforeFen: entry.amountFen,
      afterFen: null,
      deltaFen: -entry.amountFen,
      beforeFormula: entry.formula,
      afterFormula: null,
      beforeFormulaZh: entry.formulaZh ?? null,
      afterFormulaZh: null,
    });
  }
  const netDeltaFen = after.totals.netFen - before.totals.netFen;
  const withoutZh = (statement: Statement): Statement => ({ ...statement, lines: statement.lines.map(comparable) });
  return {
    lines: changes,
    netBeforeFen: before.totals.netFen,
    netAfterFen: after.totals.netFen,
    netDeltaFen,
    unchanged: changes.length === 0 && canonicalJson(withoutZh(before)) === canonicalJson(withoutZh(after)),
  };
}

/** A line without its Chinese formula: what a diff compares. */
function comparable(entry: StatementLine): StatementLine {
  const { formulaZh: _zh, ...rest } = entry;
  return rest;
}

/**
 * The adjustment that carries a late correction of an approved month into an open one
 * (DESIGN §2.5; issue 7: evidence that arrives after approval becomes an adjustment line in
 * the next open month, with its source): the net difference between the approved statement
 * and the same month recomputed with the late evidence, excluding the adjustments the
 * approved month itself carried (they were paid already). Sources: the union of the changed
 * lines' sources plus the approved statement's reference. Undefined when nothing changed.
 */
export function adjustmentFor(
  approved: Statement,
  approvedVersion: number,
  recomputed: Statement,
  adjustmentId: string,
): AdjustmentFact | undefined {
  if (approved.contractId !== recomputed.contractId || approved.month !== recomputed.month) {
    throw new RangeError(`an adjustment compares one contract-month: got ${approved.contractId}/${approved.month} and ${recomputed.contractId}/${recomputed.month}`);
  }
  const withoutAdjustments = (statement: Statement): Statement => ({
    ...statement,
    lines: statement.lines.filter((entry) => entry.code !== 'adjustment'),
    totals: { ...statement.totals, adjustmentsFen: 0, netFen: statement.totals.netFen - statement.totals.adjustmentsFen },
  });
  const diff = diffStatements(withoutAdjustments(approved), withoutAdjustments(recomputed));
  const moved = diff.lines.filter((change) => change.deltaFen !== 0);
  if (diff.netDeltaFen === 0 && moved.length === 0) return undefined;
  const recomputedByKey = new Map(recomputed.lines.map((entry) => [entry.key, entry]));
  const approvedByKey = new Map(approved.lines.map((entry) => [entry.key, entry]));
  const merged: Record<string, string[]> = {};
  for (const change of moved) {
    for (const source of [approvedByKey.get(change.key)?.sources, recomputedByKey.get(change.key)?.sources]) {
      for (const [name, ids] of Object.entries(source ?? {}) as [string, readonly string[]][]) {
        // Line keys name lines of the origin month's statement, not of the one that carries it.
        if (name !== 'lineKeys') merged[name] = [...(merged[name] ?? []), ...ids];
      }
    }
  }
  merged.statementRefs = [`${approved.contractId}/${approved.month}/v${approvedVersion}`];
  const parts = moved.map((change) => `${change.key} ${formatYuan(fen(change.beforeFen ?? 0))} → ${formatYuan(fen(change.afterFen ?? 0))}`);
  return {
    adjustmentId,
    originMonth: approved.month,
    amountFen: diff.netDeltaFen,
    formula: `recomputed after approval (v${approvedVersion}): ${parts.join('; ')}; net ${formatYuan(fen(diff.netBeforeFen))} → ${formatYuan(fen(diff.netAfterFen))} = ${formatYuan(fen(diff.netDeltaFen))}`,
    sources: merged,
  };
}
