import type { Kpi, MonthAssessment } from './assess';

/**
 * What a statement record keeps of its month's assessment (issue 15): the KPIs, the points and
 * fines per category and the counts per segment, as `assessMonth` computed them with the
 * statement. Stored beside the statement, so the supervisor's screens read figures and never
 * recompute one. The per-source lists stay out (the statement's lines and the kept inputs
 * already name every source); what is kept is what a chart or a map shows.
 *
 * An output, not an input: it is not part of `inputsDigest` (facts.ts), so storing it changed
 * no digest, and a record computed before it existed has none until its facts change.
 */

export interface CategorySummary {
  /** A defect category of the rulebook (road_cleanliness, facilities…) or missed_tasks, late, complaints. */
  readonly category: string;
  /** Occurrences in the category. */
  readonly occurrences: number;
  /** Points before the category's cap. */
  readonly rawX100: number;
  readonly capX100: number | null;
  /** Points counted in the score after the cap. */
  readonly countedX100: number;
  readonly excessX100: number;
  /**
   * Σ of the occurrences' fines (category caps act on points only). Before the statement's
   * deduction cap, which bounds the month's fines and quality deduction together, not per
   * category: the statement's lines say what was taken.
   */
  readonly fineFen: number;
}

export interface SegmentSummary {
  /** null: complaints and late orders that name no segment. */
  readonly segmentId: string | null;
  readonly findings: number;
  readonly validComplaints: number;
  readonly lateOrders: number;
  readonly missedTasks: number;
  readonly rawX100: number;
  readonly countedX100: number;
  readonly fineFen: number;
}

export interface AssessmentSummary {
  readonly scoreX100: number;
  readonly kpis: {
    readonly taskCompletion: Kpi;
    /** 限时整改率. */
    readonly onTimeRectification: Kpi;
    readonly complaintResolution: Kpi;
    readonly proofsRefused: number;
  };
  /** Sorted by category (assess.ts order). */
  readonly categories: readonly CategorySummary[];
  /** Segments with at least one occurrence, sorted by id, the segment-less bucket last. */
  readonly segments: readonly SegmentSummary[];
  readonly counts: MonthAssessment['counts'];
}

/** The summary kept of `assessment`. Pure; the same assessment gives the same summary. */
export function assessmentSummaryOf(assessment: MonthAssessment): AssessmentSummary {
  return {
    scoreX100: assessment.scoreX100,
    kpis: {
      taskCompletion: assessment.kpis.taskCompletion,
      onTimeRectification: assessment.kpis.onTimeRectification,
      complaintResolution: assessment.kpis.complaintResolution,
      proofsRefused: assessment.kpis.proofsRefused,
    },
    categories: assessment.categories.map((category) => ({
      category: category.category,
      occurrences: category.sources.length,
      rawX100: category.rawX100,
      capX100: category.capX100,
      countedX100: category.countedX100,
      excessX100: category.excessX100,
      fineFen: category.sources.reduce((total, source) => total + source.fineFen, 0),
    })),
    segments: assessment.segments.map((segment) => ({
      segmentId: segment.segmentId,
      findings: segment.findings,
      validComplaints: segment.complaints,
      lateOrders: segment.lateOrders,
      missedTasks: segment.missedTasks,
      rawX100: segment.rawX100,
      countedX100: segment.countedX100,
      fineFen: segment.fineFen,
    })),
    counts: assessment.counts,
  };
}
