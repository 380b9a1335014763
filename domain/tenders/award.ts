import { ConflictError, RuleViolationError } from '../errors';
import type { Stamp } from '../records';
import type { DraftContractTerms, EvaluationRow, EvaluationTable, Lot, Tender } from './schema';
import { lotOf, statusOf } from './tender';

export interface AwardResult {
  /** The tender with the lot marked awarded, version bumped: save it with the version read. */
  readonly tender: Tender;
  /** The evaluation row ranked first. */
  readonly winner: EvaluationRow;
  /** What the contracts module needs for the draft contract. */
  readonly terms: DraftContractTerms;
}

/**
 * Awards `lot` to the bid ranked first in `evaluation` (中标: the first-ranked candidate, as
 * 财政部令第87号 has the purchaser do) and derives the draft contract's terms: the winner, the
 * lot's service type, the lot's segments as scope, and the winning prices (monthly fee,
 * per-m² rate, or the rate card with the winner's unit prices).
 *
 * A lot is awarded at most once: a second award throws ConflictError naming the first; the
 * store's conditional write on the tender version stops two concurrent awards.
 * No ranked bid (流标) → RuleViolationError.
 */
export function award(tender: Tender, lot: Lot, evaluation: EvaluationTable, stamp: Stamp): AwardResult {
  const current = lotOf(tender, lot.lotId);
  if (current.status === 'awarded' || current.awardedBidId !== undefined) {
    throw new ConflictError(`lot '${current.lotId}' was already awarded on ${current.awardedAt ?? '?'} to bid ${current.awardedBidId ?? '?'}`);
  }
  if (tender.status === 'open') throw new ConflictError(`tender '${tender.tenderId}' is still open; close and evaluate it before awarding`);
  if (evaluation.tenderId !== tender.tenderId || evaluation.lotId !== current.lotId) {
    throw new RangeError(`the evaluation is of ${evaluation.tenderId}/${evaluation.lotId}, not ${tender.tenderId}/${current.lotId}`);
  }
  const winner = evaluation.rows.find((row) => row.rank === 1);
  if (winner === undefined) {
    throw new RuleViolationError(
      `lot '${current.lotId}' has no valid bid; it failed (流标) and cannot be awarded`,
      evaluation.rows.map((row) => `${row.bidId}: ${row.problems.map((problem) => problem.message).join('; ')}`),
    );
  }
  const at = stamp.at.toISOString();
  const lots = tender.lots.map(
    (each): Lot =>
      each.lotId === current.lotId
        ? { ...each, status: 'awarded', awardedAt: at, awardedBy: stamp.actor.userId, awardedBidId: winner.bidId, awardedContractorId: winner.contractorId }
        : each,
  );
  return {
    tender: { ...tender, lots, status: statusOf(lots), version: tender.version + 1, updatedAt: at, updatedBy: stamp.actor.userId },
    winner,
    terms: {
      contractorId: winner.contractorId,
      serviceType: current.serviceType,
      origin: { kind: 'tender', tenderId: tender.tenderId, lotId: current.lotId, bidId: winner.bidId },
      scope: [...current.segmentIds],
      pricing: winningPricing(current, winner),
    },
  };
}

function winningPricing(lot: Lot, winner: EvaluationRow): DraftContractTerms['pricing'] {
  const price = winner.price;
  const pricing = lot.pricing;
  if (price.kind === 'lump_sum') return { kind: 'lump_sum', monthlyFen: price.monthlyFen };
  if (price.kind === 'lump_sum_per_m2') return { kind: 'lump_sum_per_m2', milliFenPerM2Year: price.milliFenPerM2Year };
  if (pricing.kind !== 'unit_rate') throw new RangeError(`lot '${lot.lotId}' is priced ${pricing.kind}, the winning bid unit_rate`);
  const unitFenByCode = new Map(price.items.map((item) => [item.code, item.unitFen]));
  return {
    kind: 'unit_rate',
    items: pricing.items.map((item) => {
      const unitFen = unitFenByCode.get(item.code);
      // A ranked bid priced every item of the card (validity.ts); a gap here is a wiring mistake.
      if (unitFen === undefined) throw new RangeError(`winning bid ${winner.bidId} does not price item ${item.code}`);
      return { code: item.code, nameZh: item.nameZh, unit: item.unit, unitFen };
    }),
  };
}
