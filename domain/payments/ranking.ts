import { compareText, type MonthAssessment } from '../assessment/assess';
import { addMonths, addQuarters, quarterMonths } from '../assessment/months';
import { divideRoundHalfUp, formatX100 } from '../money';
import type { Listing } from '../rulebooks/schema';
import { serviceTypes, type ServiceType } from '../service-types';
import { creditScore, creditWindowMonths, type CreditHistory } from '../tenders/credit';
import type { CreditScore } from '../tenders/schema';

/**
 * Rankings, red/black lists, termination review and contractor credit from assessed months
 * (DESIGN §3 Ranking; issue 7 "Rankings and credit"). Pure functions over `MonthResult`s,
 * one per assessed contract-month, which the close stores next to each statement.
 */

export interface MonthResult {
  readonly contractId: string;
  readonly contractorId: string;
  readonly serviceType: ServiceType;
  /** `YYYY-MM`. */
  readonly month: string;
  readonly scoreX100: number;
  readonly lateOrders: number;
  readonly validComplaints: number;
}

/** The ranking record of an assessment. */
export function monthResultOf(assessment: MonthAssessment, contractorId: string): MonthResult {
  return {
    contractId: assessment.contractId,
    contractorId,
    serviceType: assessment.serviceType,
    month: assessment.month,
    scoreX100: assessment.scoreX100,
    lateOrders: assessment.counts.lateOrders,
    validComplaints: assessment.counts.validComplaints,
  };
}

export interface RankedRow {
  /** 1, 2, 3…: the order is total, so every row has its own rank. */
  readonly rank: number;
  readonly contractId: string;
  readonly contractorId: string;
  readonly scoreX100: number;
  readonly lateOrders: number;
  /** Months behind the score (1 for a month; 1–3 for a quarter). */
  readonly months: number;
  /** How a tie on score with the row above was broken. */
  readonly tieBreak?: string;
}

export interface Ranking {
  readonly serviceType: ServiceType;
  /** `YYYY-MM` or `YYYY-Qn`. */
  readonly period: string;
  readonly rows: readonly RankedRow[];
}

/**
 * DESIGN §3 ranking order: score descending; ties by fewer late orders, then contract id
 * (code-unit order). Contract ids are unique within a ranking, so this is a total order.
 */
export function compareRanked(a: Pick<RankedRow, 'scoreX100' | 'lateOrders' | 'contractId'>, b: Pick<RankedRow, 'scoreX100' | 'lateOrders' | 'contractId'>): number {
  return b.scoreX100 - a.scoreX100 || a.lateOrders - b.lateOrders || compareText(a.contractId, b.contractId);
}

/** Per service type (in the order of `serviceTypes`, types without results left out), one month. */
export function rankMonth(results: readonly MonthResult[], month: string): Ranking[] {
  const rows = uniqueByContract(results.filter((result) => result.month === month), month).map((result) => ({
    contractId: result.contractId,
    contractorId: result.contractorId,
    serviceType: result.serviceType,
    scoreX100: result.scoreX100,
    lateOrders: result.lateOrders,
    months: 1,
  }));
  return rankGroups(rows, month);
}

/**
 * A quarter ranks by the mean of its months (DESIGN §3): for each contract, the mean of the
 * scores of the quarter's months it was assessed in, Σ scores / months rounded half-up to the
 * hundredth once (money.ts divideRoundHalfUp); late orders are the quarter's sum. A contract
 * that started in the quarter's last month ranks on that month alone (`months` says so).
 */
export function rankQuarter(results: readonly MonthResult[], quarter: string): Ranking[] {
  return rankGroups(quarterRows(results, quarter), quarter);
}

interface Row {
  readonly contractId: string;
  readonly contractorId: string;
  readonly serviceType: ServiceType;
  readonly scoreX100: number;
  readonly lateOrders: number;
  readonly months: number;
}

function quarterRows(results: readonly MonthResult[], quarter: string): Row[] {
  const months = new Set(quarterMonths(quarter));
  const byContract = new Map<string, MonthResult[]>();
  for (const month of months) {
    for (const result of uniqueByContract(results.filter((r) => r.month === month), month)) {
      byContract.set(result.contractId, [...(byContract.get(result.contractId) ?? []), result]);
    }
  }
  return [...byContract.values()].map((list) => {
    const first = list[0] as MonthResult;
    const total = list.reduce((sum, result) => sum + BigInt(result.scoreX100), 0n);
    return {
      contractId: first.contractId,
      contractorId: first.contractorId,
      serviceType: first.serviceType,
      scoreX100: Number(divideRoundHalfUp(total, BigInt(list.length))),
      lateOrders: list.reduce((sum, result) => sum + result.lateOrders, 0),
      months: list.length,
    };
  });
}

function rankGroups(rows: readonly Row[], period: string): Ranking[] {
  return serviceTypes
    .map((serviceType) => {
      const sorted = rows.filter((row) => row.serviceType === serviceType).sort(compareRanked);
      return {
        serviceType,
        period,
        rows: sorted.map((row, index): RankedRow => {
          const above = sorted[index - 1];
          const tieBreak =
            above === undefined || above.scoreX100 !== row.scoreX100
              ? undefined
              : above.lateOrders !== row.lateOrders
                ? `tied at ${formatX100(row.scoreX100)} with ${above.contractId}: more late orders (${row.lateOrders} > ${above.lateOrders})`
                : `tied at ${formatX100(row.scoreX100)} with ${above.contractId} on score and late orders (${row.lateOrders}): contract id order`;
          return {
            rank: index + 1,
            contractId: row.contractId,
            contractorId: row.contractorId,
            scoreX100: row.scoreX100,
            lateOrders: row.lateOrders,
            months: row.months,
            ...(tieBreak === undefined ? {} : { tieBreak }),
          };
        }),
      };
    })
    .filter((ranking) => ranking.rows.length > 0);
}

function uniqueByContract(results: readonly MonthResult[], period: string): MonthResult[] {
  const seen = new Set<string>();
  for (const result of results) {
    if (seen.has(result.contractId)) throw new RangeError(`contract '${result.contractId}' has two results for ${period}`);
    seen.add(result.contractId);
  }
  return [...results];
}

export type ListKind = 'red' | 'black' | 'warning';

export interface ListEntry {
  readonly list: ListKind;
  readonly contractId: string;
  readonly contractorId: string;
  readonly serviceType: ServiceType;
  readonly scoreX100: number;
  /** Consecutive months below the black-list line, ending with this month (0 for red). */
  readonly consecutiveMonthsBelow: number;
  readonly reason: string;
}

/**
 * Red and black lists of one month by each contract's rulebook `listing` (the rulebook of that
 * month, given by `listingOf`):
 * - red (红榜): score ≥ redAtOrAboveX100;
 * - black (黑榜): score < blackBelowX100 in this month and the months before it, without a gap,
 *   for blackAfterConsecutiveMonths months (1 when not set);
 * - warning: below the black line but not yet for enough months — a notice to procurement.
 * A month without a result breaks a run (the contract was not assessed then). Sorted by list
 * (red, black, warning), then by the ranking order.
 */
export function listsForMonth(results: readonly MonthResult[], month: string, listingOf: (contractId: string) => Listing | undefined): ListEntry[] {
  const byKey = new Map(results.map((result) => [`${result.contractId}|${result.month}`, result]));
  const entries: ListEntry[] = [];
  for (const result of uniqueByContract(results.filter((r) => r.month === month), month)) {
    const listing = listingOf(result.contractId);
    if (listing === undefined) continue;
    const base = { contractId: result.contractId, contractorId: result.contractorId, serviceType: result.serviceType, scoreX100: result.scoreX100 };
    if (listing.redAtOrAboveX100 !== undefined && result.scoreX100 >= listing.redAtOrAboveX100) {
      entries.push({ ...base, list: 'red', consecutiveMonthsBelow: 0, reason: `score ${formatX100(result.scoreX100)} ≥ ${formatX100(listing.redAtOrAboveX100)}` });
      continue;
    }
    const line = listing.blackBelowX100;
    if (line === undefined || result.scoreX100 >= line) continue;
    let run = 0;
    for (let m = month; ; m = addMonths(m, -1)) {
      const earlier = byKey.get(`${result.contractId}|${m}`);
      if (earlier === undefined || earlier.scoreX100 >= line) break;
      run += 1;
    }
    const needed = listing.blackAfterConsecutiveMonths ?? 1;
    entries.push({
      ...base,
      list: run >= needed ? 'black' : 'warning',
      consecutiveMonthsBelow: run,
      reason: `score ${formatX100(result.scoreX100)} < ${formatX100(line)} for ${run} consecutive month(s); black-listed after ${needed}`,
    });
  }
  const order: Record<ListKind, number> = { red: 0, black: 1, warning: 2 };
  return entries.sort((a, b) => order[a.list] - order[b.list] || compareRanked({ ...a, lateOrders: 0 }, { ...b, lateOrders: 0 }));
}

export interface TerminationReview {
  readonly contractId: string;
  readonly contractorId: string;
  readonly serviceType: ServiceType;
  /** The quarters below, oldest first, each with its mean. */
  readonly quarters: readonly { readonly quarter: string; readonly meanX100: number }[];
  readonly reason: string;
}

/**
 * Contracts whose rulebook `listing.terminationReview` is met at `quarter`: the quarter mean
 * (as in `rankQuarter`) below `belowX100` for `consecutiveQuarters` quarters in a row ending
 * with `quarter` (Haikou: 5 quarters < 75). A quarter without any assessed month breaks the
 * run. Raised as a notice to procurement; terminating is a person's decision.
 */
export function terminationReviews(results: readonly MonthResult[], quarter: string, listingOf: (contractId: string) => Listing | undefined): TerminationReview[] {
  const meansByQuarter = new Map<string, Map<string, Row>>();
  const meansOf = (q: string): Map<string, Row> => {
    let means = meansByQuarter.get(q);
    if (means === undefined) {
      means = new Map(quarterRows(results, q).map((row) => [row.contractId, row]));
      meansByQuarter.set(q, means);
    }
    return means;
  };
  const reviews: TerminationReview[] = [];
  for (const row of [...meansOf(quarter).values()].sort(compareRanked)) {
    const rule = listingOf(row.contractId)?.terminationReview;
    if (rule === undefined) continue;
    const below: { quarter: string; meanX100: number }[] = [];
    for (let q = quarter; below.length < rule.consecutiveQuarters; q = addQuarters(q, -1)) {
      const mean = meansOf(q).get(row.contractId);
      if (mean === undefined || mean.scoreX100 >= rule.belowX100) break;
      below.unshift({ quarter: q, meanX100: mean.scoreX100 });
    }
    if (below.length < rule.consecutiveQuarters) continue;
    reviews.push({
      contractId: row.contractId,
      contractorId: row.contractorId,
      serviceType: row.serviceType,
      quarters: below,
      reason: `quarter means ${below.map((entry) => `${entry.quarter} ${formatX100(entry.meanX100)}`).join(', ')} all below ${formatX100(rule.belowX100)}: ${rule.consecutiveQuarters} consecutive quarter(s) open a termination review`,
    });
  }
  return reviews;
}

/**
 * The credit history tender evaluation reads (tenders/ports.ts `CreditHistoryReader`) for one
 * contractor: every contract-month of the contractor in the `windowMonths` months ending with
 * `asOfMonth` (default `creditWindowMonths` = 12), with the late rectifications and valid
 * complaints summed and `months` the distinct calendar months with an assessment.
 */
export function creditHistoryOf(results: readonly MonthResult[], contractorId: string, asOfMonth: string, windowMonths: number = creditWindowMonths): CreditHistory {
  const from = addMonths(asOfMonth, -(windowMonths - 1));
  const inWindow = results
    .filter((result) => result.contractorId === contractorId && result.month >= from && result.month <= asOfMonth)
    .sort((a, b) => compareText(a.month, b.month) || compareText(a.contractId, b.contractId));
  return {
    monthlyScores: inWindow.map((result) => ({ month: result.month, scoreX100: result.scoreX100 })),
    lateRectifications: inWindow.reduce((sum, result) => sum + result.lateOrders, 0),
    validComplaints: inWindow.reduce((sum, result) => sum + result.validComplaints, 0),
    months: new Set(inWindow.map((result) => result.month)).size,
  };
}

/**
 * A contractor's credit score from its assessed months, with the one formula tender
 * evaluation uses (tenders/credit.ts `creditScore`), so the figure a bidder sees in an
 * evaluation table is the figure computed here:
 *
 *   credit = mean of the contract-month scores in the last 12 months
 *            − 2.00 × late rectifications / months − 1.00 × valid complaints / months,
 *
 * each term rounded half-up to the hundredth once, clamped to 0–100; no assessed month →
 * the neutral 80.00.
 */
export function contractorCredit(results: readonly MonthResult[], contractorId: string, asOfMonth: string): CreditScore {
  return creditScore(creditHistoryOf(results, contractorId, asOfMonth));
}
