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
}

/** Storage of contracts; every call is scoped to one tenant. */
export interface ContractStore {
  get(tenantId: string, contractId: string): Promise<Contract | undefined>;
  /** Newest first; every filter field given must match. */
  list(tenantId: string, filter: ContractFilter, page: PageRequest): Promise<Page<Contract>>;
  /**
   * Every contract of the service type that holds segments: status active OR suspended
   * (overlap.ts `holdingStatuses` says why suspended ones count). Not paged: the overlap
   * rule needs all of them.
   */
  listActiveByServiceType(tenantId: string, serviceType: ServiceType): Promise<readonly Contract[]>;
  /**
   * Conditional write: ConflictError when a contract that must be new exists,
   * StaleVersionError when the version moved.
   */
  save(write: ContractWrite): Promise<void>;
}
