import type { Segment } from './segments/schema';

/**
 * Ports: what the domain needs from the outside world. Adapters in functions/adapters/
 * implement them; tests pass fakes. Time and ids are injected (STYLE habit 2).
 */

export interface Clock {
  /** The current instant. */
  now(): Date;
}

export interface IdGenerator {
  /** A new unique, lexically time-ordered id (ULID). */
  next(): string;
}

/** One page of a list, with an opaque cursor to the next page when there is one. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

/** One write of a segment: the new state and the version the store must still hold. */
export interface SegmentWrite {
  readonly segment: Segment;
  /** The version being replaced; `undefined` when the segment must not exist yet. */
  readonly expectedVersion: number | undefined;
}

export interface SegmentFilter {
  readonly street?: string;
  readonly grade?: Segment['grade'];
  readonly flag?: Segment['flags'][number];
  readonly status: 'active' | 'retired' | 'all';
}

/** Storage of road segments; every call is scoped to one tenant. */
export interface SegmentStore {
  get(tenantId: string, segmentId: string): Promise<Segment | undefined>;
  getMany(tenantId: string, segmentIds: readonly string[]): Promise<ReadonlyMap<string, Segment>>;
  list(tenantId: string, filter: SegmentFilter, page: PageRequest): Promise<Page<Segment>>;
  /** Every version, newest first. */
  history(tenantId: string, segmentId: string, page: PageRequest): Promise<Page<Segment>>;
  /**
   * Writes current state and a version record. Conditional: throws ConflictError when a
   * segment that must be new exists, StaleVersionError when the version moved.
   */
  save(write: SegmentWrite): Promise<void>;
  /**
   * Many writes, each conditional as in `save`, in atomic chunks. A failed chunk throws and
   * writes nothing of that chunk; earlier chunks stay (callers make re-runs converge).
   */
  saveMany(writes: readonly SegmentWrite[]): Promise<void>;
}
