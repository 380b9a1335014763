import { derivedId } from '../ids';

/**
 * Contractor ids. A contractor's id is derived from (tenant, unified social credit code), so
 * "one contractor per code per tenant" is a conditional write on the id (put if absent) and
 * needs no second index or lock: registering the same code twice addresses the same record.
 *
 * Shape as segment ids (domain/ids.ts `derivedId`): `ctr_` + 16 lowercase RFC 4648 base32
 * characters of the first 10 bytes of SHA-256, so `^ctr_[0-9a-z]{16}$`.
 */

export const contractorIdPattern = /^ctr_[0-9a-z]{16}$/;

/**
 * The id of the contractor holding `code` (already normalised by `validateUscc`) in `tenantId`:
 * `ctr_` + base32(SHA-256(`contractor\u0000${tenantId}\u0000${code}`)[0..10)). The leading
 * `contractor` label keeps these digests apart from other ids hashed from the same tenant.
 */
export function contractorIdFor(tenantId: string, code: string): string {
  return derivedId('ctr', 'contractor', tenantId, code);
}
