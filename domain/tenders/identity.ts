import { derivedId, prefixedUlid } from '../ids';

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

/** The ULID alphabet (Crockford base32) and the one `derivedId` spells its digest in (RFC 4648). */
const ulidAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const derivedAlphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * The ULID under which the award of a lot creates its draft contract (the contracts module
 * names contracts `con_` + a ULID). Derived from (tender, lot) rather than drawn, so a retried
 * award addresses the same contract and can never create a second one. The time part is the
 * tender's own (its id is `tdr_` + a ULID), so the contract sorts with its tender; the other 16
 * characters are `derivedId`'s digest of (tender, lot) re-spelt in the ULID alphabet (both
 * alphabets carry 5 bits a character, so no bit is lost).
 */
export function awardedContractUlid(tenderId: string, lotId: string): string {
  if (!tenderIdPattern.test(tenderId)) throw new RangeError(`'${tenderId}' is not a tender id`);
  const time = tenderId.slice('tdr_'.length, 'tdr_'.length + 10).toUpperCase();
  const digest = derivedId('x', 'tender-award', tenderId, lotId).slice('x_'.length);
  return time + [...digest].map((character) => ulidAlphabet[derivedAlphabet.indexOf(character)]).join('');
}
