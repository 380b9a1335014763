import type { Contract } from '../contracts/schema';
import type { Clock, IdGenerator, Page, PageRequest } from '../ports';
import type { RectificationOrderStore } from '../rectification/ports';
import type { Segment } from '../segments/schema';
import type { ServiceType } from '../service-types';
import type { Complaint, ComplaintStatus } from './schema';

/** One write of a complaint: the new state and the version the store must still hold. */
export interface ComplaintWrite {
  readonly complaint: Complaint;
  /** The version being replaced; `undefined` when the complaint must not exist yet. */
  readonly expectedVersion: number | undefined;
}

export interface RequestedBetweenFilter {
  readonly statuses?: readonly ComplaintStatus[];
  readonly serviceCodes?: readonly string[];
}

/** Storage of complaints; every call is scoped to one tenant. Lists are newest first. */
export interface ComplaintStore {
  get(tenantId: string, complaintId: string): Promise<Complaint | undefined>;
  getMany(tenantId: string, complaintIds: readonly string[]): Promise<ReadonlyMap<string, Complaint>>;
  list(tenantId: string, filter: { readonly status?: ComplaintStatus }, page: PageRequest): Promise<Page<Complaint>>;
  /** Requested within [from, to] (ISO instants), at most `limit`, newest first. */
  listRequestedBetween(tenantId: string, from: string, to: string, filter: RequestedBetweenFilter, limit: number): Promise<readonly Complaint[]>;
  /** Conditional: ConflictError when a new complaint exists, StaleVersionError when the version moved. */
  save(write: ComplaintWrite): Promise<void>;
}

/** Unguessable secrets (the reopen token); random in the adapter, fixed in tests. */
export interface SecretGenerator {
  next(): string;
}

export interface ComplaintDeps {
  readonly complaints: ComplaintStore;
  readonly orders: RectificationOrderStore;
  /** The tenant's zone, or undefined when there is no such tenant (Open311: unknown jurisdiction). */
  zoneOf(tenantId: string): Promise<string | undefined>;
  activeSegments(tenantId: string): Promise<readonly Segment[]>;
  getSegment(tenantId: string, segmentId: string): Promise<Segment | undefined>;
  getContract(tenantId: string, contractId: string): Promise<Contract | undefined>;
  /** Active and suspended contracts of a service type. */
  holdingContracts(tenantId: string, serviceType: ServiceType): Promise<readonly Contract[]>;
  /** The contractor's registered name, for Open311 `agency_responsible`. */
  contractorName?(tenantId: string, contractorId: string): Promise<string | undefined>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly secrets: SecretGenerator;
  /** Routing distance; default domain/complaints/routing.ts `defaultMaxDistanceM`. */
  readonly maxDistanceM?: number;
}
