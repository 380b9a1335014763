import { ConflictError } from '../errors';
import type { Ownership } from '../policy';
import { withoutUndefined, type Stamp } from '../records';
import type { Contractor, ContractorFields, ContractorFilter, SetListingInput, UpdateContractorInput } from './schema';

/**
 * State changes of a contractor as pure functions: each returns the next record with its
 * version bumped, or throws ConflictError when the change makes no sense in the current state
 * (so the API answers 409 naming the state). Timestamps come from the caller.
 */

/** What `authorize` needs: a contractor's record belongs to that contractor. */
export function contractorOwnership(contractor: Pick<Contractor, 'tenantId' | 'contractorId'>): Ownership {
  return { tenantId: contractor.tenantId, contractorId: contractor.contractorId };
}

/** A newly registered contractor: active, on no list, version 1. `code` is already normalised. */
export function newContractor(tenantId: string, contractorId: string, code: string, fields: ContractorFields, stamp: Stamp): Contractor {
  const at = stamp.at.toISOString();
  return {
    ...withoutUndefined(fields),
    contractorId,
    tenantId,
    code,
    status: 'active',
    listing: { status: 'none' },
    version: 1,
    createdAt: at,
    createdBy: stamp.actor.userId,
    updatedAt: at,
    updatedBy: stamp.actor.userId,
  };
}

/** Applies a change of the editable fields; the code never changes (the schema refuses it). */
export function updatedContractor(contractor: Contractor, patch: UpdateContractorInput, stamp: Stamp): Contractor {
  return {
    ...contractor,
    ...withoutUndefined(patch),
    version: contractor.version + 1,
    updatedAt: stamp.at.toISOString(),
    updatedBy: stamp.actor.userId,
  };
}

/** Suspends an active contractor; its bids are invalid from now on (see tenders/validity.ts). */
export function suspendedContractor(contractor: Contractor, reason: string, stamp: Stamp): Contractor {
  if (contractor.status === 'suspended') {
    throw new ConflictError(`contractor '${contractor.contractorId}' has been suspended since ${contractor.suspendedAt ?? '?'}; reinstate it first`);
  }
  const at = stamp.at.toISOString();
  const { reinstatedAt: _reinstatedAt, reinstatedReason: _reinstatedReason, ...rest } = contractor;
  return {
    ...rest,
    status: 'suspended',
    suspendedAt: at,
    suspendedReason: reason,
    version: contractor.version + 1,
    updatedAt: at,
    updatedBy: stamp.actor.userId,
  };
}

/** Ends a suspension. The suspension itself stays in the store's version history. */
export function reinstatedContractor(contractor: Contractor, reason: string, stamp: Stamp): Contractor {
  if (contractor.status !== 'suspended') {
    throw new ConflictError(`contractor '${contractor.contractorId}' is ${contractor.status}, not suspended; only a suspended contractor can be reinstated`);
  }
  const at = stamp.at.toISOString();
  const { suspendedAt: _suspendedAt, suspendedReason: _suspendedReason, ...rest } = contractor;
  return {
    ...rest,
    status: 'active',
    reinstatedAt: at,
    reinstatedReason: reason,
    version: contractor.version + 1,
    updatedAt: at,
    updatedBy: stamp.actor.userId,
  };
}

/**
 * Puts the contractor on the red or black list, or takes it off (红黑榜). The source defaults to
 * the user who set it, so a listing always says who or what decided it.
 */
export function listedContractor(contractor: Contractor, listing: SetListingInput, stamp: Stamp): Contractor {
  return {
    ...contractor,
    listing: withoutUndefined({
      status: listing.status,
      reason: listing.reason,
      since: listing.since,
      source: listing.source ?? `set by ${stamp.actor.userId}`,
    }),
    version: contractor.version + 1,
    updatedAt: stamp.at.toISOString(),
    updatedBy: stamp.actor.userId,
  };
}

/**
 * The list filter's meaning, shared by every store so search behaves the same everywhere:
 * `search` matches a part of the Chinese or English name (case-insensitive, full-width folded)
 * or the start of the code (people type codes from the left).
 */
export function matchesContractorFilter(contractor: Contractor, filter: ContractorFilter): boolean {
  if (filter.status !== 'all' && contractor.status !== filter.status) return false;
  if (filter.listing !== undefined && contractor.listing.status !== filter.listing) return false;
  if (filter.search === undefined) return true;
  const needle = fold(filter.search);
  return (
    fold(contractor.name).includes(needle) ||
    (contractor.nameEn !== undefined && fold(contractor.nameEn).includes(needle)) ||
    contractor.code.startsWith(needle.toUpperCase())
  );
}

function fold(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}
