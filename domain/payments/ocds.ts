import { DateTime } from 'luxon';
import { lateCategory, missedTasksCategory, complaintsCategory, type MonthAssessment } from '../assessment/assess';
import { monthBounds } from '../assessment/months';
import { fen, formatX100, formatYuan } from '../money';
import type { Rulebook } from '../rulebooks/schema';

/**
 * Performance failures of a contract-month in the shape of the OCDS performance failures
 * extension (`contracts[].implementation.performanceFailures[]`: id, period, category,
 * events, penaltyContracted, penaltyImposed, penaltyPaid —
 * https://github.com/open-contracting-extensions/ocds_performance_failures_extension), for
 * open-data publication of approved months (issue 7 Exports). One entry per score category
 * with at least one occurrence; the texts state the rulebook's price and what was imposed.
 */
export interface PerformanceFailure {
  readonly id: string;
  readonly period: { readonly startDate: string; readonly endDate: string };
  readonly category: string;
  readonly events: number;
  readonly penaltyContracted: string;
  readonly penaltyImposed: string;
  readonly penaltyPaid: boolean;
}

export interface PerformanceFailuresInput {
  readonly assessment: Pick<MonthAssessment, 'contractId' | 'month' | 'zone' | 'categories'>;
  readonly rulebook: Pick<Rulebook, 'defectItems' | 'missedTasks' | 'latePenalty' | 'complaint' | 'categoryCaps'>;
  /** The month's quality deduction (statement total), named in each entry as where points went. */
  readonly qualityDeductionFen: number;
  /** True once the statement is paid (issue 7 Lifecycle: paid). */
  readonly paid: boolean;
}

/** The month's performance failures, categories in the assessment's (sorted) order. */
export function performanceFailures(input: PerformanceFailuresInput): PerformanceFailure[] {
  const { assessment, rulebook } = input;
  const { first, last } = monthBounds(assessment.month);
  const startDate = DateTime.fromISO(first, { zone: assessment.zone }).startOf('day').toISO({ suppressMilliseconds: true });
  const endDate = DateTime.fromISO(last, { zone: assessment.zone }).endOf('day').toISO({ suppressMilliseconds: true });
  if (startDate === null || endDate === null) throw new RangeError(`cannot place ${assessment.month} in zone '${assessment.zone}'`);
  return assessment.categories
    .filter((category) => category.sources.length > 0)
    .map((category) => {
      const fineFen = category.sources.reduce((total, source) => total + source.fineFen, 0);
      const cap = category.capX100 === null ? '' : ` (raw ${formatX100(category.rawX100)}, capped at ${formatX100(category.capX100)})`;
      return {
        id: `${assessment.contractId}-${assessment.month}-${category.category}`,
        period: { startDate, endDate },
        category: category.category,
        events: category.sources.length,
        penaltyContracted: contractedText(category.category, rulebook),
        penaltyImposed:
          `${formatX100(category.countedX100)} points deducted from the month's score${cap}, part of a quality deduction of ${formatYuan(fen(input.qualityDeductionFen))}; ` +
          `fines ${formatYuan(fen(fineFen))}`,
        penaltyPaid: input.paid,
      };
    });
}

function contractedText(category: string, rulebook: PerformanceFailuresInput['rulebook']): string {
  const cap = rulebook.categoryCaps.find((entry) => entry.category === category);
  const capText = cap === undefined ? '' : `; at most ${formatX100(cap.capX100)} points a month`;
  const price = (pointsX100: number, fineFen: number): string => `${formatX100(pointsX100)} points and ${formatYuan(fen(fineFen))}`;
  if (category === missedTasksCategory) {
    const rows = rulebook.missedTasks.byActivity.map((row) => `${row.activity} ${price(row.pointsX100, row.fineFen)}`);
    return `per missed task: ${[...rows, `other activities ${price(rulebook.missedTasks.defaultPrice.pointsX100, rulebook.missedTasks.defaultPrice.fineFen)}`].join('; ')}${capText}`;
  }
  if (category === lateCategory) {
    const late = rulebook.latePenalty;
    const text = late.sameAsDefect ? "the defect item's points and fine again" : price(late.pointsX100 ?? 0, late.fineFen ?? 0);
    return `per rectification order fixed late: ${text}${capText}`;
  }
  if (category === complaintsCategory) return `per valid complaint: ${formatX100(rulebook.complaint.pointsX100)} points${capText}`;
  const items = rulebook.defectItems.filter((item) => item.category === category).map((item) => `${item.code} ${item.descriptionZh}: ${price(item.pointsX100, item.fineFen)} per ${item.unitZh ?? 'occurrence'}`);
  return `per occurrence: ${items.join('; ')}${capText}`;
}
