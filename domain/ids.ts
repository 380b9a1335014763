import { createHash } from 'node:crypto';

/**
 * Record ids: a short type prefix, `_`, then either a digest of what identifies the record
 * (`derivedId`, so a repeated registration or import addresses the same record with a
 * conditional write) or the caller's ULID (`prefixedUlid`, ids are injected, never generated
 * in the domain). Both stay inside `[0-9a-z]` after the prefix, and cannot collide: derived
 * ids have 16 characters, ULID-based ones 26.
 */

/** RFC 4648 §6 base32 alphabet, lowercased so ids stay inside `[0-9a-z]`. */
const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * 10 bytes = 80 bits = exactly 16 base32 characters, so no padding is ever needed. 80 bits
 * keep the chance of any collision among a million records of one tenant below 1 in 10^12
 * (birthday bound n²/2^81).
 */
const digestBytes = 10;

/** Crockford base32, the ULID alphabet (https://github.com/ulid/spec): no I, L, O, U. */
const ulidPattern = /^[0-9A-HJKMNP-TV-Z]{26}$/i;

/**
 * `${prefix}_` + lowercase RFC 4648 base32 (no padding) of the first 10 bytes of
 * SHA-256(parts joined by U+0000). The NUL separator keeps ('ab', 'c') and ('a', 'bc')
 * apart. Stored ids depend on every byte of this: never change it.
 */
export function derivedId(prefix: string, ...parts: string[]): string {
  const digest = createHash('sha256').update(parts.join('\u0000'), 'utf8').digest();
  return `${prefix}_${base32(digest.subarray(0, digestBytes))}`;
}

/**
 * `${prefix}_` + the caller's ULID lowercased: time-ordered, so listings sort by creation.
 * Throws a RangeError for anything that is not a ULID, a wiring mistake rather than user input.
 */
export function prefixedUlid(prefix: string, ulid: string): string {
  if (!ulidPattern.test(ulid)) throw new RangeError(`'${ulid}' is not a ULID (26 Crockford base32 characters)`);
  return `${prefix}_${ulid.toLowerCase()}`;
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
