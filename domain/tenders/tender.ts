import type * as z from 'zod';
import { ConflictError, NotFoundError } from '../errors';
import type { Stamp } from '../records';
import { lotIdAt } from './identity';
import type { CreateTenderInput, EvaluationTable, Lot, Tender, TenderStatus } from './schema';

/**
 * State changes of a tender as pure functions: each returns the next record with its version
 * bumped, or throws ConflictError when the change is not allowed in the current state.
 *
 * open ──close (at or after closesAt)──▶ closed ──evaluate each lot──▶ evaluated ──award──▶ awarded
 * A lot without a valid bid fails (流标); a tender whose lots all failed is `failed`.
 */

export type TenderFields = z.output<typeof CreateTenderInput>;

/**
 * A new open tender. `areasM2[i]` is the area of lot i's segments now: stored on the lot so
 * per-m² bids are compared at the area the bidders priced, whatever the registry says later.
 */
export function newTender(tenantId: string, tenderId: string, fields: TenderFields, areasM2: readonly number[], stamp: Stamp): Tender {
  const at = stamp.at.toISOString();
  return {
    tenderId,
    tenantId,
    title: fields.title,
    serviceType: fields.serviceType,
    evaluation: fields.evaluation,
    closesAt: fields.closesAt,
    status: 'open',
    lots: fields.lots.map(
      (lot, index): Lot => ({
        lotId: lotIdAt(index),
        name: lot.name,
        serviceType: lot.serviceType ?? fields.serviceType,
        segmentIds: [...lot.segmentIds],
        areaM2: areasM2[index] ?? 0,
        pricing: lot.pricing,
        status: 'open',
      }),
    ),
    version: 1,
    createdAt: at,
    createdBy: stamp.actor.userId,
    updatedAt: at,
    updatedBy: stamp.actor.userId,
  };
}

/** 开标: no more bids. Not before the close instant, since bidders may still submit until then. */
export function closedTender(tender: Tender, stamp: Stamp): Tender {
  if (tender.status !== 'open') throw new ConflictError(`tender '${tender.tenderId}' is ${tender.status}; only an open tender can be closed`);
  if (stamp.at.getTime() < Date.parse(tender.closesAt)) {
    throw new ConflictError(`tender '${tender.tenderId}' closes at ${tender.closesAt}; bidders may submit until then, so it cannot be closed earlier`);
  }
  const at = stamp.at.toISOString();
  return { ...tender, status: 'closed', closedAt: at, closedBy: stamp.actor.userId, version: tender.version + 1, updatedAt: at, updatedBy: stamp.actor.userId };
}

/**
 * Stores a lot's evaluation table. Evaluating again (before the award) replaces the table:
 * the function is reproducible, so a second run differs only if a contractor's status or
 * credit changed meanwhile, and then the newer table is the right one.
 */
export function evaluatedTender(tender: Tender, table: EvaluationTable, stamp: Stamp): Tender {
  if (tender.status === 'open') throw new ConflictError(`tender '${tender.tenderId}' is still open; close it before evaluating`);
  const lot = lotOf(tender, table.lotId);
  if (table.tenderId !== tender.tenderId) throw new RangeError(`the table is of tender '${table.tenderId}', not '${tender.tenderId}'`);
  if (lot.status === 'awarded') throw new ConflictError(`lot '${lot.lotId}' was awarded on ${lot.awardedAt ?? '?'}; its evaluation can no longer change`);
  const at = stamp.at.toISOString();
  const lots = tender.lots.map(
    (each): Lot =>
      each.lotId === lot.lotId
        ? { ...each, status: table.winnerBidId === undefined ? 'failed' : 'evaluated', evaluationTable: table, evaluatedAt: at, evaluatedBy: stamp.actor.userId }
        : each,
  );
  return { ...tender, lots, status: statusOf(lots), version: tender.version + 1, updatedAt: at, updatedBy: stamp.actor.userId };
}

/** The lot with `lotId`, or NotFoundError. */
export function lotOf(tender: Tender, lotId: string): Lot {
  const lot = tender.lots.find((each) => each.lotId === lotId);
  if (lot === undefined) throw new NotFoundError('lot', `${tender.tenderId}/${lotId}`);
  return lot;
}

/** A closed tender's status from its lots' (an open tender stays open until closed). */
export function statusOf(lots: readonly Lot[]): TenderStatus {
  if (lots.some((lot) => lot.status === 'open')) return 'closed';
  if (lots.every((lot) => lot.status === 'failed')) return 'failed';
  if (lots.every((lot) => lot.status === 'awarded' || lot.status === 'failed')) return 'awarded';
  return 'evaluated';
}
