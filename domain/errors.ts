/**
 * Domain errors. They carry no HTTP status: functions/shared/problem.ts maps each class to
 * one (STYLE habit 5). Every class sets `name` and accepts `{ cause }` (habit 6).
 */

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `body.features.3.geometry`. */
  readonly path: string;
  readonly message: string;
}

export abstract class DomainError extends Error {
  /** Stable machine-readable slug; becomes the problem `type` URI's last segment. */
  abstract readonly code: string;
}

/** Input breaks a rule about its shape or content; nothing was changed. */
export class ValidationError extends DomainError {
  override readonly name = 'ValidationError';
  readonly code = 'validation';
  constructor(
    message: string,
    readonly issues: readonly FieldIssue[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class NotFoundError extends DomainError {
  override readonly name = 'NotFoundError';
  readonly code = 'not-found';
  constructor(readonly entity: string, readonly id: string, options?: { cause?: unknown }) {
    super(`${entity} '${id}' does not exist`, options);
  }
}

/** The caller may not do this (DESIGN §4, decided by domain/policy.ts). */
export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'forbidden';
}

/** A record that must be unique already exists, or a state transition is not allowed now. */
export class ConflictError extends DomainError {
  override readonly name = 'ConflictError';
  readonly code = 'conflict';
}

/** The caller's `If-Match` version is not the record's current version. */
export class StaleVersionError extends DomainError {
  override readonly name = 'StaleVersionError';
  readonly code = 'stale-version';
  constructor(
    readonly entity: string,
    readonly id: string,
    readonly expected: number,
    readonly actual: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      actual === undefined
        ? `${entity} '${id}' was changed concurrently; version ${expected} is no longer current`
        : `${entity} '${id}' is at version ${actual}, not ${expected}`,
      options,
    );
  }
}

/** Well-formed input that a business rule refuses (HTTP 422). */
export class RuleViolationError extends DomainError {
  override readonly name = 'RuleViolationError';
  readonly code = 'rule-violation';
  constructor(
    message: string,
    readonly reasons: readonly string[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
