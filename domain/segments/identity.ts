import { createHash } from 'node:crypto';

/**
 * Segment ids. A segment that came from the district GIS gets an id derived from its
 * external id, so a re-import addresses the same record with a conditional write and can
 * never create a second one; a segment registered by hand (no external id) gets one from a
 * ULID passed in by the caller (ids are injected, never generated inside the domain).
 *
 * The two kinds cannot collide: derived ids are 16 characters after `seg_`, ULID-based
 * ones 26. Both match the route pattern `^seg_[0-9a-z]{10,40}$`.
 *
 * Rule for use cases: a segment that has an external id always gets `segmentIdFor`, also
 * when created by hand, so that a later import of that id finds it.
 */

/** RFC 4648 §6 base32 alphabet, lowercased so ids stay inside `[0-9a-z]`. */
const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * 10 bytes = 80 bits = exactly 16 base32 characters, so no padding is ever needed. 80 bits
 * keep the chance of any collision among a million segments of one tenant below 1 in 10^12
 * (birthday bound n²/2^81).
 */
const digestBytes = 10;

/** Crockford base32, the ULID alphabet (https://github.com/ulid/spec): no I, L, O, U. */
const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

/**
 * The stable id of the segment that carries `externalId` in `tenantId`'s GIS:
 * `seg_` + lowercase RFC 4648 base32 (no padding) of the first 10 bytes of
 * SHA-256(`${tenantId}\u0000${externalId}`). The NUL separator keeps ('ab', 'c') and
 * ('a', 'bc') apart. The external id is used as stored (trimmed, case kept: GIS ids are
 * case-sensitive).
 */
export function segmentIdFor(tenantId: string, externalId: string): string {
  const digest = createHash('sha256').update(`${tenantId}\u0000${externalId}`, 'utf8').digest();
  return `seg_${base32(digest.subarray(0, digestBytes))}`;
}

/**
 * The id of a segment registered by hand without an external id: `seg_` + the caller's
 * ULID lowercased. Throws a RangeError for anything that is not a ULID, since that is a
 * wiring mistake rather than user input.
 */
export function newSegmentId(ulid: string): string {
  if (!ulidPattern.test(ulid)) throw new RangeError(`'${ulid}' is not a ULID (26 Crockford base32 characters)`);
  return `seg_${ulid.toLowerCase()}`;
}

/** RFC 4648 base32 without padding, lowercased. */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += base32Alphabet[(buffer >>> bits) & 31];
    }
    // Keep only the bits not yet emitted so the shift above never overflows 32 bits.
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += base32Alphabet[(buffer << (5 - bits)) & 31];
  return out;
}
