import { derivedId, prefixedUlid } from '../ids';

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

/**
 * The stable id of the segment that carries `externalId` in `tenantId`'s GIS:
 * `seg_` + lowercase RFC 4648 base32 (no padding) of the first 10 bytes of
 * SHA-256(`${tenantId}\u0000${externalId}`) (domain/ids.ts). The external id is used as
 * stored (trimmed, case kept: GIS ids are case-sensitive).
 */
export function segmentIdFor(tenantId: string, externalId: string): string {
  return derivedId('seg', tenantId, externalId);
}

/**
 * The id of a segment registered by hand without an external id: `seg_` + the caller's
 * ULID lowercased. Throws a RangeError for anything that is not a ULID.
 */
export function newSegmentId(ulid: string): string {
  return prefixedUlid('seg', ulid);
}
