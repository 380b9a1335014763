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
