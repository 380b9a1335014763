import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  StaleVersionError,
  ValidationError,
} from '../../domain/errors';
import { UnauthenticatedError } from './auth';
import { HttpError } from './errors';
import type { Problem } from './schemas';

/**
 * The one mapping from errors to RFC 9457 problem details (STYLE habit 5). Anything not
 * meant for the caller (unknown errors, status ≥ 500) becomes a generic message so internals
 * never leak; the caller gets the request id to quote.
 */

const problemBase = '/problems/';

/**
 * Powertools idempotency errors, recognised by name: importing their classes here would load
 * the idempotency package into every Lambda at cold start, even those that never use it.
 */
function isErrorNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/**
 * The clashes a conflict carries (the contracts domain's ScopeConflictError: segment, other
 * contract, overlap dates), recognised by shape for the same cold-start reason.
 */
function conflictsOf(error: ConflictError): Pick<Problem, 'conflicts'> {
  const { conflicts } = error as { conflicts?: unknown };
  return Array.isArray(conflicts) && conflicts.length > 0 ? { conflicts: conflicts as NonNullable<Problem['conflicts']> } : {};
}

export function problemFor(error: unknown, requestId: string | undefined): Problem {
  const withId = (problem: Omit<Problem, 'requestId'>): Problem =>
    requestId === undefined ? problem : { ...problem, requestId };
  if (error instanceof ValidationError) {
    return withId({
      type: `${problemBase}validation`,
      title: 'Invalid request',
      status: 400,
      detail: error.message,
      errors: error.issues.map((issue) => ({ field: issue.path, message: issue.message })),
    });
  }
  if (error instanceof UnauthenticatedError) {
    return withId({ type: `${problemBase}unauthenticated`, title: 'Unauthorized', status: 401, detail: error.message });
  }
  if (error instanceof ForbiddenError) {
    return withId({ type: `${problemBase}forbidden`, title: 'Forbidden', status: 403, detail: error.message });
  }
  if (error instanceof NotFoundError) {
    return withId({ type: `${problemBase}not-found`, title: 'Not Found', status: 404, detail: error.message });
  }
  if (error instanceof ConflictError) {
    return withId({ type: `${problemBase}conflict`, title: 'Conflict', status: 409, detail: error.message, ...conflictsOf(error) });
  }
  if (error instanceof StaleVersionError) {
    return withId({ type: `${problemBase}stale-version`, title: 'Precondition Failed', status: 412, detail: error.message });
  }
  if (error instanceof RuleViolationError) {
    return withId({
      type: `${problemBase}rule-violation`,
      title: 'Unprocessable',
      status: 422,
      detail: error.message,
      ...(error.reasons.length > 0 ? { errors: error.reasons.map((reason) => ({ field: '', message: reason })) } : {}),
    });
  }
  if (isErrorNamed(error, 'IdempotencyValidationError')) {
    return withId({
      type: `${problemBase}idempotency-key-reused`,
      title: 'Unprocessable',
      status: 422,
      detail: 'this Idempotency-Key was already used with a different request body',
    });
  }
  if (isErrorNamed(error, 'IdempotencyAlreadyInProgressError')) {
    return withId({
      type: `${problemBase}idempotency-in-progress`,
      title: 'Conflict',
      status: 409,
      detail: 'a request with this Idempotency-Key is still being processed; retry shortly',
    });
  }
  if (error instanceof HttpError && error.status < 500) {
    return withId({ type: `${problemBase}${slug(error.title)}`, title: error.title, status: error.status, detail: error.message });
  }
  return withId({
    type: `${problemBase}internal`,
    title: 'Internal Server Error',
    status: 500,
    detail: 'something went wrong on our side; quote the request id when reporting it',
  });
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      ...(problem.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      ...headers,
    },
    body: JSON.stringify(problem),
  };
}

/** One entry of the Open311 GeoReport v2 error array (wiki.open311.org/GeoReport_v2 "Errors"). */
export interface Open311Error {
  readonly code: number;
  readonly description: string;
}

/** Field paths as an Open311 client named them: `query.jurisdiction_id` → `jurisdiction_id`. */
function open311Field(path: string): string {
  return path.replace(/^(body|query|params)(\.|$)/, '');
}

/**
 * A problem as the GeoReport v2 error array: one entry per failing field (the spec allows
 * several), else one entry with the problem's detail. `code` is the HTTP status, as the spec
 * recommends; the request id rides along in the description of a 5xx so it can be quoted.
 */
export function open311Errors(problem: Problem): Open311Error[] {
  const fields = problem.errors ?? [];
  if (problem.status < 500 && fields.length > 0) {
    return fields.map((issue) => {
      const field = open311Field(issue.field);
      return { code: problem.status, description: field === '' ? issue.message : `${field}: ${issue.message}` };
    });
  }
  const detail = problem.detail ?? problem.title;
  return [{ code: problem.status, description: problem.status >= 500 && problem.requestId !== undefined ? `${detail} (request ${problem.requestId})` : detail }];
}

export function open311Response(problem: Problem, headers: Record<string, string> = {}): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(open311Errors(problem)),
  };
}
