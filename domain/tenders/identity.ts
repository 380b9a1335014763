import { prefixedUlid } from '../ids';

/**
 * Tender and bid ids: a prefix and the caller's ULID, lowercased (ids are injected, never
 * generated in the domain). Lot ids are their position in the tender (`lot_1`, `lot_2`…), as
 * tender documents number lots (第一标段, 第二标段); a tender's lots never change after creation.
 */

export const tenderIdPattern = /^tdr_[0-9a-z]{26}$/;
export const bidIdPattern = /^bid_[0-9a-z]{26}$/;
export const lotIdPattern = /^lot_[1-9][0-9]{0,2}$/;

/** `tdr_` + the ULID lowercased; RangeError for anything that is not a ULID. */
export function newTenderId(ulid: string): string {
  return prefixedUlid('tdr', ulid);
}

/** `bid_` + the ULID lowercased; bid ids order bids by recording time (supersession uses that on equal instants). */
export function newBidId(ulid: string): string {
  return prefixedUlid('bid', ulid);
}

/** The id of the lot at `index` (0-based) of a tender's lots. */
export function lotIdAt(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`a lot index is a non-negative integer, got ${index}`);
  return `lot_${index + 1}`;
}
