import type { Page, PageRequest } from '../ports';
import type { Contractor, ContractorFilter } from './schema';

/** One write of a contractor: the new state and the version the store must still hold. */
export interface ContractorWrite {
  readonly contractor: Contractor;
  /** The version being replaced; `undefined` when the contractor must not exist yet. */
  readonly expectedVersion: number | undefined;
}

/** Storage of contractors; every call is scoped to one tenant. */
export interface ContractorStore {
  get(tenantId: string, contractorId: string): Promise<Contractor | undefined>;
  /** The contractors that exist among `contractorIds`; absent ids are simply missing from the map. */
  getMany(tenantId: string, contractorIds: readonly string[]): Promise<ReadonlyMap<string, Contractor>>;
  /** Ordered by name; `filter` means what `matchesContractorFilter` says. */
  list(tenantId: string, filter: ContractorFilter, page: PageRequest): Promise<Page<Contractor>>;
  /** Every version, newest first (suspensions, listings and changes are audit-relevant). */
  history(tenantId: string, contractorId: string, page: PageRequest): Promise<Page<Contractor>>;
  /**
   * Writes current state and a version record. Conditional: throws ConflictError when a
   * contractor that must be new exists (the same code registered twice in the tenant: the id
   * is derived from it), StaleVersionError when the version moved.
   */
  save(write: ContractorWrite): Promise<void>;
}
