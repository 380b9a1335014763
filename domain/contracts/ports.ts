import type { Page, PageRequest } from '../ports';
import type { ServiceType } from '../service-types';
import type { Contract, ContractFilter } from './schema';

/**
 * What the contract use cases need from storage. Kept beside the module until the lead moves
 * it into domain/ports.ts with the other stores.
 */

/** One write of a contract: the new state and the version the store must still hold. */
export interface ContractWrite {
  readonly contract: Contract;
  /** The version being replaced; `undefined` when the contract must not exist yet. */
  readonly expectedVersion: number | undefined;
  /**
   * Set by a write that passed the overlap check (an activation, an amendment of a holding
   * contract): the `scopeVersion` of the HoldingContracts it checked against. The store
   * advances the service type's scope version in the same atomic write, on condition that it
   * is still this one, and throws ScopeChangedError otherwise. Without it two concurrent
   * activations could each pass a check against a list that does not yet hold the other.
   */
  readonly checkedScopeVersion?: number;
}

/** The contracts holding segments of one service type, read at one scope version. */
export interface HoldingContracts {
  readonly contracts: readonly Contract[];
  /**
   * The tenant's scope version for the service type, read BEFORE the contracts: every write
   * that can add segment-days to the holding set advances it, so a save conditional on it
   * fails if such a write committed after this list was read.
   */
  readonly scopeVersion: number;
}

/** Storage of contracts; every call is scoped to one tenant. */
export interface ContractStore {
  get(tenantId: string, contractId: string): Promise<Contract | undefined>;
  /** Newest first; every filter field given must match. */
  list(tenantId: string, filter: ContractFilter, page: PageRequest): Promise<Page<Contract>>;
  /**
   * Every contract of the service type that holds segments: status active OR suspended
   * (overlap.ts `holdingStatuses` says why suspended ones count), with the scope version
   * they were read at. Not paged: the overlap rule needs all of them. Read consistently.
   */
  listActiveByServiceType(tenantId: string, serviceType: ServiceType): Promise<HoldingContracts>;
  /**
   * Conditional write: ConflictError when a contract that must be new exists,
   * StaleVersionError when the version moved, ScopeChangedError when `checkedScopeVersion`
   * is given and the scope version moved (the caller checks again and retries).
   */
  save(write: ContractWrite): Promise<void>;
}
