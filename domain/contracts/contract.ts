import { ConflictError } from '../errors';
import { prefixedUlid } from '../ids';
import type { Rulebook } from '../rulebooks/schema';
import { describeConflicts, describeConflictsZh, type ScopeConflict } from './overlap';
import type { Contract, CreateContractFields } from './schema';

/**
 * Building contracts. The rulebook is embedded: the contract holds its own full copy, never
 * a reference to a template or a shared record, because the 考核办法 is an annex of the
 * signed contract. If a template edit reached running contracts, a contractor would be
 * assessed under terms it never signed and an approved statement could no longer be
 * recomputed from its contract; a rulebook changes only by an approved, effective-dated
 * amendment. (`rulebook.basedOn` still says which template and version it was copied from.)
 */

/**
 * `con_` + the caller's ULID lowercased: time-ordered, so listings sort by creation. Not
 * `ctr_`, which contractor ids use. A RangeError for a non-ULID, a wiring mistake.
 */
export function contractIdFrom(ulid: string): string {
  return prefixedUlid('con', ulid);
}

/** `amd_` + ULID: one per amendment, named in the terms version it created. */
export function amendmentIdFrom(ulid: string): string {
  return prefixedUlid('amd', ulid);
}

export interface NewContractContext {
  readonly tenantId: string;
  readonly contractId: string;
  /** The rulebook to embed: the input's own, or a copy of the named template. */
  readonly rulebook: Rulebook;
  readonly at: Date;
  readonly by: string;
}

/** A draft contract whose first terms version takes effect on the start date. */
export function newContract(fields: CreateContractFields, context: NewContractContext): Contract {
  const at = context.at.toISOString();
  return {
    contractId: context.contractId,
    tenantId: context.tenantId,
    contractorId: fields.contractorId,
    serviceType: fields.serviceType,
    title: fields.title,
    origin: fields.origin,
    status: 'draft',
    startDate: fields.startDate,
    endDate: fields.endDate,
    performanceBondFen: fields.performanceBondFen,
    versions: [
      {
        termsVersion: 1,
        effectiveFrom: fields.startDate,
        scope: fields.scope,
        pricing: fields.pricing,
        ...(fields.standardRef === undefined ? {} : { standardRef: fields.standardRef }),
        rulebook: context.rulebook,
        recordedAt: at,
        recordedBy: context.by,
      },
    ],
    statusHistory: [],
    version: 1,
    createdAt: at,
    createdBy: context.by,
    updatedAt: at,
    updatedBy: context.by,
  };
}

/** 409 for overlapping scopes, carrying the conflicts for the problem body. */
export class ScopeConflictError extends ConflictError {
  constructor(
    readonly contractId: string,
    readonly conflicts: readonly ScopeConflict[],
    options?: { cause?: unknown },
  ) {
    super(`contract '${contractId}' overlaps another contract of the same service type: ${describeConflicts(conflicts)}`, {
      ...options,
      zh: `合同 ${contractId} 与同一作业类别的其他合同范围重叠：${describeConflictsZh(conflicts)}`,
    });
  }
}

/**
 * Another scope change of the same tenant and service type committed between this write's
 * overlap check and its save (ports.ts `checkedScopeVersion`). The use case checks again
 * against the new holdings and retries; a 409 only if that keeps happening.
 */
export class ScopeChangedError extends ConflictError {
  constructor(
    readonly tenantId: string,
    readonly serviceType: string,
    options?: { cause?: unknown },
  ) {
    super(`the ${serviceType} contracts of this district changed scope while this change was being checked; retry it`, options);
  }
}
