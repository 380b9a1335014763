import type { Contractor } from '../contractors/schema';
import { divideRoundHalfUp, formatX100, formatYuan, fen } from '../money';
import { withoutUndefined } from '../records';
import { comparedPrice, comparedPriceRules } from './pricing';
import type { Bid, CreditScore, EvaluationRow, EvaluationTable, Lot, Tender } from './schema';
import { assessBids } from './validity';

/**
 * Bid evaluation (评标) of one lot as a pure, reproducible function: the same tender, bids,
 * contractor records and credit give the same table, and the table shows every figure a
 * procurement officer needs to redo and defend the ranking.
 *
 * Weighted (综合评分法), in hundredths of a point, each part rounded half-up once (money.ts):
 *   price score     = lowest valid compared price / this compared price × price weight
 *                     (低价优先法 of 财政部令第87号: the lowest valid price scores full marks)
 *   technical part  = technical score × technical weight / 100
 *   credit part     = credit score × credit weight / 100
 *   total           = price score + technical part + credit part; higher ranks first.
 * Lowest price (最低评标价法): lower compared price ranks first; no scores.
 *
 * Ties (a product decision, stated in every table): higher technical score (absent counts as
 * 0), then earlier submission, then the smaller bid id, so the order is always total. Note:
 * 财政部令第87号 orders equal weighted totals by lower price first; for tenders under it, put
 * the compared price before the technical score in `rankingCriteria`.
 */

const tieBreakRules = {
  weighted: 'higher total ranks first; equal totals: higher technical score, then earlier submission, then smaller bid id',
  lowest_price: 'lower compared price ranks first; equal prices: higher technical score (absent counts as 0), then earlier submission, then smaller bid id',
} as const;

/** Fewer valid bids than this draws a warning (政府采购法 第三十六条: fewer than three responsive suppliers → 废标). */
export const minimumResponsiveBids = 3;

export type CreditLookup = (contractorId: string) => CreditScore;

interface Candidate {
  readonly bid: Bid;
  readonly row: EvaluationRow;
  readonly compared: number;
  readonly total: number;
  readonly technical: number;
  readonly submitted: number;
}

interface Criterion {
  readonly label: string;
  /** Negative when `a` ranks before `b`. */
  readonly compare: (a: Candidate, b: Candidate) => number;
  readonly show: (c: Candidate) => string;
}

/**
 * Evaluates `lot` of `tender` from its bids. Bids of other lots are ignored. Valid bids are
 * ranked; invalid ones are listed after them, unranked, with every reason. `contractors` are
 * the registry's records of the bidders now (status and listing are checked at evaluation);
 * `credit` gives each bidder's credit score (used only when the tender gives credit a weight).
 */
export function evaluateLot(tender: Tender, lot: Lot, bids: readonly Bid[], contractors: ReadonlyMap<string, Contractor>, credit: CreditLookup): EvaluationTable {
  const method = tender.evaluation;
  const ofLot = bids.filter((bid) => bid.lotId === lot.lotId);
  const problemsByBid = assessBids(tender, lot, ofLot, contractors);

  const rows = ofLot.map((bid): { bid: Bid; row: EvaluationRow } => {
    const contractor = contractors.get(bid.contractorId);
    const priced = comparedPrice(lot, bid.price);
    const problems = [...(problemsByBid.get(bid.bidId) ?? [])];
    return {
      bid,
      row: withoutUndefined({
        bidId: bid.bidId,
        contractorId: bid.contractorId,
        contractorName: contractor?.name,
        contractorCode: contractor?.code,
        submittedAt: bid.submittedAt,
        price: bid.price,
        valid: problems.length === 0 && priced !== undefined,
        problems,
        comparedPriceFen: priced?.comparedPriceFen,
        priceLines: priced?.priceLines === undefined ? undefined : [...priced.priceLines],
        technicalScoreX100: bid.technicalScoreX100,
      }),
    };
  });

  const valid = rows.filter(({ row }) => row.valid);
  const lowest = valid.length === 0 ? undefined : Math.min(...valid.map(({ row }) => row.comparedPriceFen ?? Number.POSITIVE_INFINITY));

  const candidates: Candidate[] = valid.map(({ bid, row }) => {
    const compared = row.comparedPriceFen ?? 0;
    const technical = bid.technicalScoreX100 ?? 0;
    if (method.method !== 'weighted' || lowest === undefined) {
      return { bid, row, compared, total: 0, technical, submitted: Date.parse(bid.submittedAt) };
    }
    const priceScoreX100 = Number(divideRoundHalfUp(BigInt(lowest) * BigInt(method.priceWeight) * 100n, BigInt(compared)));
    const technicalPartX100 = Number(divideRoundHalfUp(BigInt(technical) * BigInt(method.technicalWeight), 100n));
    const creditOfBidder = method.creditWeight > 0 ? credit(bid.contractorId) : undefined;
    const creditPartX100 = creditOfBidder === undefined ? 0 : Number(divideRoundHalfUp(BigInt(creditOfBidder.valueX100) * BigInt(method.creditWeight), 100n));
    const total = priceScoreX100 + technicalPartX100 + creditPartX100;
    const scored: EvaluationRow = withoutUndefined({
      ...row,
      priceScoreX100,
      technicalPartX100,
      credit: creditOfBidder,
      creditPartX100: creditOfBidder === undefined ? undefined : creditPartX100,
      totalX100: total,
    });
    return { bid, row: scored, compared, total, technical, submitted: Date.parse(bid.submittedAt) };
  });

  const criteria = rankingCriteria(method.method);
  const ranked = [...candidates].sort((a, b) => {
    for (const criterion of criteria) {
      const order = criterion.compare(a, b);
      if (order !== 0) return order;
    }
    return 0;
  });
  const tieNotes = describeTies(ranked, criteria);
  const rankedRows = ranked.map((candidate, index) =>
    withoutUndefined({ ...candidate.row, rank: index + 1, tieBreak: tieNotes.get(candidate.bid.bidId) }),
  );
  const invalidRows = rows
    .filter(({ row }) => !row.valid)
    .sort((a, b) => Date.parse(a.bid.submittedAt) - Date.parse(b.bid.submittedAt) || (a.bid.bidId < b.bid.bidId ? -1 : 1))
    .map(({ row }) => row);

  return withoutUndefined({
    tenderId: tender.tenderId,
    lotId: lot.lotId,
    method: method.method,
    weights: method.method === 'weighted' ? { priceWeight: method.priceWeight, technicalWeight: method.technicalWeight, creditWeight: method.creditWeight } : undefined,
    pricingKind: lot.pricing.kind,
    lotAreaM2: lot.pricing.kind === 'lump_sum_per_m2' ? lot.areaM2 : undefined,
    comparedPriceRule: comparedPriceRules[lot.pricing.kind],
    scoreRule: scoreRule(tender),
    tieBreakRule: tieBreakRules[method.method],
    lowestValidPriceFen: lowest,
    bidCount: rows.length,
    validBidCount: valid.length,
    winnerBidId: rankedRows[0]?.bidId,
    warnings: warnings(valid.length),
    rows: [...rankedRows, ...invalidRows],
  });
}

function rankingCriteria(method: EvaluationTable['method']): readonly Criterion[] {
  const primary: Criterion =
    method === 'weighted'
      ? { label: 'total', compare: (a, b) => b.total - a.total, show: (c) => formatX100(c.total) }
      : { label: 'compared price', compare: (a, b) => a.compared - b.compared, show: (c) => formatYuan(fen(c.compared)) };
  return [
    primary,
    { label: 'higher technical score', compare: (a, b) => b.technical - a.technical, show: (c) => formatX100(c.technical) },
    { label: 'earlier submission', compare: (a, b) => a.submitted - b.submitted, show: (c) => c.bid.submittedAt },
    { label: 'smaller bid id', compare: (a, b) => (a.bid.bidId < b.bid.bidId ? -1 : a.bid.bidId > b.bid.bidId ? 1 : 0), show: (c) => c.bid.bidId },
  ];
}

/** For each pair of neighbours equal on the primary criterion, says on both rows what separated them. */
function describeTies(ranked: readonly Candidate[], criteria: readonly Criterion[]): ReadonlyMap<string, string> {
  const notes = new Map<string, string[]>();
  const add = (bidId: string, note: string): void => {
    notes.set(bidId, [...(notes.get(bidId) ?? []), note]);
  };
  const [primary, ...breakers] = criteria;
  if (primary === undefined) return new Map();
  for (let i = 1; i < ranked.length; i += 1) {
    const above = ranked[i - 1];
    const below = ranked[i];
    if (above === undefined || below === undefined || primary.compare(above, below) !== 0) continue;
    const decider = breakers.find((criterion) => criterion.compare(above, below) !== 0);
    if (decider === undefined) continue;
    const tie = `tied on ${primary.label} ${primary.show(above)}`;
    add(above.bid.bidId, `${tie} with ${below.bid.bidId}; ranked above it by ${decider.label} (${decider.show(above)} vs ${decider.show(below)})`);
    add(below.bid.bidId, `${tie} with ${above.bid.bidId}; ranked below it by ${decider.label} (${decider.show(below)} vs ${decider.show(above)})`);
  }
  return new Map([...notes].map(([bidId, list]) => [bidId, list.join('; ')]));
}

function scoreRule(tender: Tender): string {
  const method = tender.evaluation;
  if (method.method === 'lowest_price') return 'lowest price: no scores; valid bids are ranked by compared price';
  const creditPart = method.creditWeight > 0 ? ` + credit score × ${method.creditWeight} / 100` : '';
  return (
    `total = lowest valid compared price / compared price × ${method.priceWeight}` +
    ` + technical score × ${method.technicalWeight} / 100${creditPart};` +
    ' in hundredths of a point, each part rounded half-up once'
  );
}

function warnings(validBids: number): string[] {
  if (validBids === 0) return ['no valid bid: the lot fails (流标) and cannot be awarded'];
  if (validBids < minimumResponsiveBids) {
    return [
      `only ${validBids} valid bid(s): under 政府采购法 第三十六条 a public tender with fewer than ${minimumResponsiveBids} responsive suppliers is normally abandoned (废标); the decision is the procurement officer's`,
    ];
  }
  return [];
}
