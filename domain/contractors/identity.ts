import { createHash } from 'node:crypto';

/**
 * Contractor ids. A contractor's id is derived from (tenant, unified social credit code), so
 * "one contractor per code per tenant" is a conditional write on the id (put if absent) and
 * needs no second index or lock: registering the same code twice addresses the same record.
 *
 * Shape as segment ids (domain/segments/identity.ts): `ctr_` + 16 lowercase RFC 4648 base32
 * characters of the first 10 bytes of SHA-256, so `^ctr_[0-9a-z]{16}$`.
 */

const base32Alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

/** 80 bits: no collision among a million contractors of one tenant short of 1 in 10^12 (n²/2^81). */
const digestBytes = 10;

export const contractorIdPattern = /^ctr_[0-9a-z]{16}$/;

/**
 * The id of the contractor holding `code` (already normalised by `validateUscc`) in `tenantId`:
 * `ctr_` + base32(SHA-256(`contractor\u0000${tenantId}\u0000${code}`)[0..10)). The leading
 * `contractor` label keeps these digests apart from other ids hashed from the same tenant; the
 * NUL separators keep ('ab', 'c') and ('a', 'bc') apart.
 */
export function contractorIdFor(tenantId: string, code: string): string {
  const digest = createHash('sha256').update(`contractor\u0000${tenantId}\u0000${code}`, 'utf8').digest();
  return `ctr_${base32(digest.subarray(0, digestBytes))}`;
}

/** RFC 4648 base32 without padding, lowercased (same as the segment ids'). */
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
