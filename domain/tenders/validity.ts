import type { Contractor } from '../contractors/schema';
import { formatYuan, fen } from '../money';
import type { Bid, BidCheck, BidProblem, Lot, Tender } from './schema';

/**
 * Whether a bid counts. An invalid bid is never dropped: it is kept and shown with every
 * reason, so the table accounts for each bid received.
 *
 * Decisions:
 * - Late: a bid must arrive before the close instant (招标投标法 第二十八条: 截止时间前送达); one
 *   submitted at or after it is late.
 * - Over the ceiling (最高限价): the monthly fee, the per-m² rate, or any single rate-card unit
 *   price above its ceiling (a card is refused on one item, not on its total, so it cannot
 *   hide a high unit price behind low ones: the unit prices become the contract's rates).
 * - Contractor: unknown to the registry, suspended, or on the black list (黑榜) when checked.
 * - Rate card: an item not on the card, an item priced twice, and an item of the card left
 *   unpriced (漏项) all make the bid invalid: an incomplete card has no total at the estimated
 *   quantities and would leave work without a rate in the contract.
 * - Several bids of one contractor on one lot: a bidder may amend its bid before the close
 *   (招标投标法 第二十九条), so its latest on-time bid counts and earlier ones are `superseded`.
 *   Late bids supersede nothing. Two on-time bids at the same instant: the later recorded one
 *   (greater bid id; ids are time-ordered ULIDs) counts.
 */

/**
 * The checks of one bid on its own (everything but supersession), as stored when the bid is
 * recorded. `contractor` is the registry's current record, or undefined when it has none.
 */
export function checkBid(tender: Pick<Tender, 'closesAt'>, lot: Lot, bid: Pick<Bid, 'submittedAt' | 'price'>, contractor: Contractor | undefined): BidCheck {
  const problems: BidProblem[] = [];
  if (Date.parse(bid.submittedAt) >= Date.parse(tender.closesAt)) {
    problems.push({ code: 'late', message: `submitted at ${bid.submittedAt}, not before the close at ${tender.closesAt}` });
  }
  if (contractor === undefined) {
    problems.push({ code: 'contractor_unknown', message: 'the contractor is not in the registry' });
  } else {
    if (contractor.status === 'suspended') {
      problems.push({ code: 'contractor_suspended', message: `${contractor.name} is suspended since ${contractor.suspendedAt ?? '?'}: ${contractor.suspendedReason ?? 'no reason recorded'}` });
    }
    if (contractor.listing.status === 'black') {
      problems.push({ code: 'contractor_blacklisted', message: `${contractor.name} is on the black list since ${contractor.listing.since ?? '?'}: ${contractor.listing.reason ?? 'no reason recorded'}` });
    }
  }
  problems.push(...priceProblems(lot, bid.price));
  return { valid: problems.length === 0, problems };
}

/**
 * Checks every bid of a lot, including supersession. Returns the problems by bid id, for all
 * bids given (bids of other lots are ignored).
 */
export function assessBids(tender: Pick<Tender, 'closesAt'>, lot: Lot, bids: readonly Bid[], contractors: ReadonlyMap<string, Contractor>): ReadonlyMap<string, readonly BidProblem[]> {
  const ofLot = bids.filter((bid) => bid.lotId === lot.lotId);
  const result = new Map<string, BidProblem[]>();
  for (const bid of ofLot) {
    result.set(bid.bidId, [...checkBid(tender, lot, bid, contractors.get(bid.contractorId)).problems]);
  }
  const closes = Date.parse(tender.closesAt);
  const latestOnTime = new Map<string, Bid>();
  for (const bid of ofLot) {
    if (Date.parse(bid.submittedAt) >= closes) continue;
    const current = latestOnTime.get(bid.contractorId);
    if (current === undefined || compareSubmission(bid, current) > 0) latestOnTime.set(bid.contractorId, bid);
  }
  for (const bid of ofLot) {
    const latest = latestOnTime.get(bid.contractorId);
    if (latest !== undefined && latest.bidId !== bid.bidId && Date.parse(bid.submittedAt) < closes) {
      result.get(bid.bidId)?.push({ code: 'superseded', message: `superseded by the same contractor's later bid ${latest.bidId} submitted at ${latest.submittedAt}` });
    }
  }
  return result;
}

/** Later submission first by instant, then by bid id. */
function compareSubmission(a: Bid, b: Bid): number {
  const byTime = Date.parse(a.submittedAt) - Date.parse(b.submittedAt);
  if (byTime !== 0) return byTime;
  return a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0;
}

function priceProblems(lot: Lot, price: Bid['price']): BidProblem[] {
  const pricing = lot.pricing;
  if (pricing.kind !== price.kind) {
    return [{ code: 'price_kind_mismatch', message: `the lot is priced ${pricing.kind}, the bid ${price.kind}` }];
  }
  if (pricing.kind === 'lump_sum' && price.kind === 'lump_sum') {
    return price.monthlyFen > pricing.ceilingMonthlyFen
      ? [{ code: 'over_ceiling', message: `monthly fee ${yuan(price.monthlyFen)} is above the ceiling ${yuan(pricing.ceilingMonthlyFen)}` }]
      : [];
  }
  if (pricing.kind === 'lump_sum_per_m2' && price.kind === 'lump_sum_per_m2') {
    return price.milliFenPerM2Year > pricing.ceilingMilliFenPerM2Year
      ? [{ code: 'over_ceiling', message: `rate ${perM2(price.milliFenPerM2Year)} is above the ceiling ${perM2(pricing.ceilingMilliFenPerM2Year)}` }]
      : [];
  }
  if (pricing.kind === 'unit_rate' && price.kind === 'unit_rate') {
    const problems: BidProblem[] = [];
    const card = new Map(pricing.items.map((item) => [item.code, item]));
    const priced = new Set<string>();
    for (const item of price.items) {
      const cardItem = card.get(item.code);
      if (priced.has(item.code)) {
        problems.push({ code: 'duplicate_item', itemCode: item.code, message: `item ${item.code} is priced more than once` });
        continue;
      }
      priced.add(item.code);
      if (cardItem === undefined) {
        problems.push({ code: 'unknown_item', itemCode: item.code, message: `item ${item.code} is not on the lot's rate card` });
      } else if (item.unitFen > cardItem.ceilingUnitFen) {
        problems.push({
          code: 'over_ceiling',
          itemCode: item.code,
          message: `item ${item.code} ${cardItem.nameZh}: ${yuan(item.unitFen)}/${cardItem.unit} is above the ceiling ${yuan(cardItem.ceilingUnitFen)}/${cardItem.unit}`,
        });
      }
    }
    for (const cardItem of pricing.items) {
      if (!priced.has(cardItem.code)) {
        problems.push({ code: 'missing_item', itemCode: cardItem.code, message: `item ${cardItem.code} ${cardItem.nameZh} of the rate card is not priced` });
      }
    }
    return problems;
  }
  return [];
}

/** 629000 → "6.29 元/m²·年", 1014120 → "10.1412 元/m²·年": a thousandth of a fen is 10⁻⁵ yuan. */
function perM2(milliFenPerM2Year: number): string {
  const decimals = String(milliFenPerM2Year % 100_000).padStart(5, '0').replace(/0{1,3}$/, '');
  return `${Math.trunc(milliFenPerM2Year / 100_000)}.${decimals} 元/m²·年`;
}

function yuan(amount: number): string {
  return formatYuan(fen(amount));
}
