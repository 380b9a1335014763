import { divideRoundHalfUp, formatX100 } from '../money';
import type { CreditScore } from './schema';

/**
 * A contractor's credit (past performance in this tenant) as a 0–100 score for weighted
 * evaluations. Modelled on published Chinese practice, kept to what the product records:
 * Dongguan rates sanitation contractors from a 1 000-point base over 61 indicators grouped as
 * 履约能力 (performance of obligations), 服务质量 (service quality) and 遵纪守法 (compliance), graded
 * 优/良/差 (http://www.tuolqkj.cn/a/202411/1508.html); Changshu links the credit grade to tenders
 * (https://credit.suzhou.gov.cn/news/show/373341.html) — both cited in /work/shared/PRACTICE.md.
 *
 * Formula (in hundredths of a point; each term rounded half-up once; the result clamped to 0–100):
 *
 *   credit = mean monthly score − 2.00 × late rectifications / months − 1.00 × valid complaints / months
 *
 * - mean monthly score: service quality; the mean of the contract-month scores (DESIGN §3
 *   Score) in the window, over all the contractor's contracts in the tenant.
 * - late rectifications and valid complaints per month: reliability and public satisfaction
 *   over time. The monthly score already deducts them once inside each month, where a
 *   category cap can absorb a bad month; the credit counts their rate again, lightly, because
 *   a pattern of lateness or complaints is what a credit rating is for.
 *
 * The window is the last `creditWindowMonths` closed months; the caller (the payments work)
 * gathers the history for that window.
 */

export const creditWindowMonths = 12;

/**
 * Given to a contractor with no history in the tenant: 80.00, the lower bound of 良 (good) in
 * the usual 优 ≥ 90 / 良 ≥ 80 / 中 ≥ 60 / 差 grading. A newcomer then ranks below a contractor
 * with a proven good record and above one with a poor record, so credit neither bars new
 * entrants nor rewards them over incumbents who performed well.
 */
export const neutralCreditX100 = 8_000;

/** Points (hundredths) per late rectification order per month of history. */
export const lateRectificationPenaltyX100 = 200;
/** Points (hundredths) per valid complaint per month of history. */
export const validComplaintPenaltyX100 = 100;

export interface MonthlyScore {
  /** `YYYY-MM`. */
  readonly month: string;
  /** The contract-month score, 0–10000. */
  readonly scoreX100: number;
}

export interface CreditHistory {
  /** One entry per contract-month in the window; a contractor with two contracts has two a month. */
  readonly monthlyScores: readonly MonthlyScore[];
  readonly lateRectifications: number;
  readonly validComplaints: number;
  /** Calendar months in the window in which the contractor had an active contract. */
  readonly months: number;
}

/** No history: the payments work fills this in later; until then every bidder is neutral. */
export const emptyCreditHistory: CreditHistory = { monthlyScores: [], lateRectifications: 0, validComplaints: 0, months: 0 };

/**
 * The credit score of a history, with the computation written out in `formula` so the
 * evaluation table shows how each bidder's credit came about. No monthly scores → the neutral
 * value. Throws a RangeError for an inconsistent history (a wiring mistake, not user input).
 */
export function creditScore(history: CreditHistory): CreditScore {
  const { monthlyScores, lateRectifications, validComplaints, months } = history;
  if (monthlyScores.length === 0) {
    return {
      valueX100: neutralCreditX100,
      formula: `no assessed months in this tenant: neutral ${formatX100(neutralCreditX100)} (the lower bound of 良)`,
      neutral: true,
    };
  }
  for (const entry of monthlyScores) {
    if (!Number.isInteger(entry.scoreX100) || entry.scoreX100 < 0 || entry.scoreX100 > 10_000) {
      throw new RangeError(`monthly score of ${entry.month} must be an integer 0–10000, got ${entry.scoreX100}`);
    }
  }
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`months must be a positive integer when there are monthly scores, got ${months}`);
  if (!Number.isInteger(lateRectifications) || lateRectifications < 0) throw new RangeError(`lateRectifications must be a non-negative integer, got ${lateRectifications}`);
  if (!Number.isInteger(validComplaints) || validComplaints < 0) throw new RangeError(`validComplaints must be a non-negative integer, got ${validComplaints}`);

  // Each term is rounded half-up once and the text shows the rounded terms, so the written
  // subtraction adds up to the value exactly and anyone can redo it from the table.
  const meanX100 = Number(divideRoundHalfUp(monthlyScores.reduce((total, entry) => total + BigInt(entry.scoreX100), 0n), BigInt(monthlyScores.length)));
  const lateX100 = Number(divideRoundHalfUp(BigInt(lateRectificationPenaltyX100 * lateRectifications), BigInt(months)));
  const complaintsX100 = Number(divideRoundHalfUp(BigInt(validComplaintPenaltyX100 * validComplaints), BigInt(months)));
  const raw = meanX100 - lateX100 - complaintsX100;
  const valueX100 = Math.min(10_000, Math.max(0, raw));
  const clamped = raw === valueX100 ? '' : ` = ${formatX100(raw)}, clamped to 0–100`;
  return {
    valueX100,
    formula:
      `mean of ${monthlyScores.length} monthly score(s) ${formatX100(meanX100)}` +
      ` − ${formatX100(lateRectificationPenaltyX100)} × ${lateRectifications} late rectification(s) / ${months} month(s) [${formatX100(lateX100)}]` +
      ` − ${formatX100(validComplaintPenaltyX100)} × ${validComplaints} valid complaint(s) / ${months} month(s) [${formatX100(complaintsX100)}]` +
      `${clamped} = ${formatX100(valueX100)}`,
    neutral: false,
  };
}
