import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  StaleVersionError,
  ValidationError,
} from '../../../../domain/errors';
import { UnauthenticatedError } from '../../../../functions/shared/auth';
import { HttpError, PayloadTooLargeError, TemporarilyUnavailableError, UnsupportedMediaTypeError } from '../../../../functions/shared/errors';
import { problemFor, problemResponse, transientCause } from '../../../../functions/shared/problem';
import { Problem } from '../../../../functions/shared/schemas';

const requestId = 'Yx3KpgGXtjMEbcA=';

describe('problemFor', () => {
  it.each([
    { error: new ValidationError('2 field(s) failed validation', []), status: 400, type: '/problems/validation', title: 'Invalid request' },
    { error: new UnauthenticatedError('a bearer token is required'), status: 401, type: '/problems/unauthenticated', title: 'Unauthorized' },
    { error: new ForbiddenError('role(s) contractor may not segment:write'), status: 403, type: '/problems/forbidden', title: 'Forbidden' },
    { error: new NotFoundError('segment', 'seg_abcdefghijklmnop'), status: 404, type: '/problems/not-found', title: 'Not Found' },
    { error: new ConflictError("segment 'seg_x' already exists"), status: 409, type: '/problems/conflict', title: 'Conflict' },
    { error: new StaleVersionError('segment', 'seg_x', 3, 5), status: 412, type: '/problems/stale-version', title: 'Precondition Failed' },
    { error: new RuleViolationError('outside the contract period'), status: 422, type: '/problems/rule-violation', title: 'Unprocessable' },
    { error: new PayloadTooLargeError(10, 20), status: 413, type: '/problems/payload-too-large', title: 'Payload Too Large' },
    { error: new UnsupportedMediaTypeError('text/plain'), status: 415, type: '/problems/unsupported-media-type', title: 'Unsupported Media Type' },
  ])('maps $error.name to $status with type $type and the error message as detail', ({ error, status, type, title }) => {
    // Act
    const problem = problemFor(error, requestId);

    // Assess
    expect(problem).toMatchObject({ type, title, status, detail: error.message, requestId });
  });

  it('lists each failing field of a ValidationError under errors', () => {
    // Prepare
    const error = new ValidationError('2 field(s) failed validation', [
      { path: 'body.name', message: 'Too small: expected string to have >=1 characters' },
      { path: 'query.limit', message: 'Too big: expected number to be <=200' },
    ]);

    // Act
    const problem = problemFor(error, requestId);

    // Assess
    expect(problem.errors).toEqual([
      { field: 'body.name', message: 'Too small: expected string to have >=1 characters' },
      { field: 'query.limit', message: 'Too big: expected number to be <=200' },
    ]);
  });

  it('lists a rule violation\'s reasons, and omits errors when it has none', () => {
    // Act
    const withReasons = problemFor(new RuleViolationError('refused', ['photo count 1 < 2']), requestId);
    const without = problemFor(new RuleViolationError('refused'), requestId);

    // Assess
    expect(withReasons.errors).toEqual([{ field: '', message: 'photo count 1 < 2' }]);
    expect(without).not.toHaveProperty('errors');
  });

  it('maps a reused Idempotency-Key with another body to 422 without Powertools internals', () => {
    // Act
    const problem = problemFor(new IdempotencyValidationError('Payload does not match stored record for idempotency key'), requestId);

    // Assess
    expect(problem).toMatchObject({ type: '/problems/idempotency-key-reused', status: 422 });
    expect(problem.detail).not.toContain('stored record');
  });

  it('maps a request whose Idempotency-Key is still running to 409', () => {
    // Act
    const problem = problemFor(new IdempotencyAlreadyInProgressError('There is already an execution in progress'), requestId);

    // Assess
    expect(problem).toMatchObject({ type: '/problems/idempotency-in-progress', status: 409 });
  });

  it('turns an unknown error into a generic 500 that does not repeat its message', () => {
    // Act
    const problem = problemFor(new Error('ProvisionedThroughputExceededException on table xiuhua-main-prod'), requestId);

    // Assess
    expect(problem).toEqual({
      type: '/problems/internal',
      title: 'Internal Server Error',
      status: 500,
      detail: 'something went wrong on our side; quote the request id when reporting it',
      requestId,
    });
  });

  it('turns an HttpError of status 5xx into the generic 500 too', () => {
    // Act
    const problem = problemFor(new HttpError(503, 'Service Unavailable', 'DynamoDB endpoint 10.0.0.5 unreachable'), requestId);

    // Assess
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('10.0.0.5');
  });

  it('turns a thrown non-Error value into the generic 500', () => {
    // Act
    const problem = problemFor('a string was thrown', requestId);

    // Assess
    expect(problem.status).toBe(500);
  });

  it('omits requestId when there is none', () => {
    // Act
    const problem = problemFor(new ConflictError('taken'), undefined);

    // Assess
    expect(problem).not.toHaveProperty('requestId');
  });

  it('names the rules a refused step breaks (409 rules), in Chinese when asked', () => {
    // Prepare
    const error = new ConflictError('user usr_a reviewed it', { rules: ['reviewer-not-approver'], zh: '用户 usr_a 已复核' });

    // Act
    const english = problemFor(error, undefined);
    const chinese = problemFor(error, undefined, 'zh-CN');
    const plain = problemFor(new ConflictError('taken'), undefined);

    // Assess
    expect(english).toMatchObject({ status: 409, rules: ['reviewer-not-approver'], detail: 'user usr_a reviewed it' });
    expect(chinese).toMatchObject({ status: 409, rules: ['reviewer-not-approver'], detail: '用户 usr_a 已复核', title: '冲突' });
    expect(plain).not.toHaveProperty('rules');
  });

  it('produces problems that satisfy the documented Problem schema', () => {
    // Prepare
    const errors = [
      new ValidationError('bad', [{ path: 'body', message: 'Unexpected end of JSON input' }]),
      new RuleViolationError('refused', ['late']),
      new Error('boom'),
    ];

    // Act
    const results = errors.map((error) => Problem.safeParse(problemFor(error, requestId)).success);

    // Assess
    expect(results).toEqual([true, true, true]);
  });
});

describe('problemResponse', () => {
  it('answers with the problem\'s status, application/problem+json and the JSON problem', () => {
    // Prepare
    const problem = problemFor(new NotFoundError('segment', 'seg_abcdefghijklmnop'), requestId);

    // Act
    const response = problemResponse(problem);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers).toEqual({ 'content-type': 'application/problem+json', 'content-language': 'en', vary: 'Accept-Language' });
    expect(JSON.parse(response.body ?? '')).toEqual(problem);
  });

  it('adds WWW-Authenticate: Bearer to a 401', () => {
    // Prepare
    const problem = problemFor(new UnauthenticatedError('a bearer token is required'), requestId);

    // Act
    const response = problemResponse(problem);

    // Assess
    expect(response.headers?.['www-authenticate']).toBe('Bearer');
  });

  it('adds no WWW-Authenticate to a 403', () => {
    // Prepare
    const problem = problemFor(new ForbiddenError('no'), requestId);

    // Act
    const response = problemResponse(problem);

    // Assess
    expect(response.headers).not.toHaveProperty('www-authenticate');
  });

  it('merges extra headers such as the request id', () => {
    // Prepare
    const problem = problemFor(new ConflictError('taken'), requestId);

    // Act
    const response = problemResponse(problem, { 'x-request-id': requestId });

    // Assess
    expect(response.headers).toEqual({ 'content-type': 'application/problem+json', 'content-language': 'en', vary: 'Accept-Language', 'x-request-id': requestId });
  });
});

describe('momentary failures of a dependency (issue 8, fault injection)', () => {
  const sdkError = (name: string, httpStatusCode: number | undefined, fields: Record<string, unknown> = {}): Error =>
    Object.assign(new Error(`${name} (as the SDK throws it)`), { name, $metadata: httpStatusCode === undefined ? {} : { httpStatusCode }, ...fields });

  it.each([
    { what: 'ProvisionedThroughputExceededException', error: sdkError('ProvisionedThroughputExceededException', 400, { $fault: 'client' }) },
    { what: 'ThrottlingException', error: sdkError('ThrottlingException', 400, { $fault: 'client' }) },
    { what: 'a DynamoDB 500', error: sdkError('InternalServerError', 500, { $fault: 'server' }) },
    { what: 'S3 SlowDown (503)', error: sdkError('SlowDown', 503) },
    { what: 'a socket timeout', error: sdkError('TimeoutError', undefined, { code: 'ETIMEDOUT' }) },
    { what: 'a reset connection', error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) },
    { what: 'a TransactionConflict cancellation', error: sdkError('TransactionCanceledException', 400, { CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] }) },
    { what: 'a ConflictError an adapter made of a TransactionConflict', error: new ConflictError('nothing was written, retry', { cause: sdkError('TransactionCanceledException', 400, { CancellationReasons: [{ Code: 'TransactionConflict' }] }) }) },
    { what: 'an adapter\'s wrapper around throttling', error: new Error('could not record task tsk_x as missed', { cause: sdkError('ProvisionedThroughputExceededException', 400) }) },
    { what: 'proof ingest\'s AggregateError', error: new AggregateError([new Error('x', { cause: sdkError('InternalServerError', 500) })], 'proof ingest failed for 1 of 1 objects') },
    { what: 'Powertools failing to release the idempotency record', error: Object.assign(new Error('Failed to delete record from idempotency store', { cause: sdkError('ThrottlingException', 400) }), { name: 'IdempotencyPersistenceLayerError' }) },
    { what: 'a TemporarilyUnavailableError', error: new TemporarilyUnavailableError('the store is busy') },
  ])('maps $what to 503 temporarily-unavailable', ({ error }) => {
    // Act
    const problem = problemFor(error, requestId);

    // Assess
    expect(problem).toMatchObject({ type: '/problems/temporarily-unavailable', title: 'Service Unavailable', status: 503, requestId });
    expect(problem.detail).toMatch(/the change may not have been made: retry the same request .*the retry makes it or finds it made/);
    expect(transientCause(error)).toBeDefined();
  });

  it.each([
    { what: 'a cancellation on a failed condition', error: sdkError('TransactionCanceledException', 400, { CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'TransactionConflict' }] }) },
    { what: 'a ConflictError of a real conflict', error: new ConflictError('segment exists') },
    { what: 'a validation error from DynamoDB (400)', error: sdkError('ValidationException', 400, { $fault: 'client' }) },
    { what: 'a plain bug', error: new TypeError('undefined is not a function') },
  ])('does not take $what for a momentary failure', ({ error }) => {
    // Act
    const problem = problemFor(error, requestId);

    // Assess
    expect(problem.status).not.toBe(503);
    expect(transientCause(error)).toBeUndefined();
  });

  it('keeps a stale version a 412 whatever its cause (the caller must read again, not retry)', () => {
    // Prepare
    const error = new StaleVersionError('statement', 'c/2026-11', 3, 4, { cause: sdkError('TransactionCanceledException', 400, { CancellationReasons: [{ Code: 'TransactionConflict' }] }) });

    // Act
    const problem = problemFor(error, requestId);

    // Assess
    expect(problem).toMatchObject({ type: '/problems/stale-version', status: 412 });
  });

  it('answers a 503 with Retry-After, and the 409 of an idempotency key in progress too', () => {
    // Prepare
    const unavailable = problemFor(sdkError('ThrottlingException', 400), requestId);
    const inProgress = problemFor(new IdempotencyAlreadyInProgressError('in progress'), requestId);
    const conflict = problemFor(new ConflictError('taken'), requestId);

    // Act
    const [a, b, c] = [problemResponse(unavailable), problemResponse(inProgress), problemResponse(conflict)];

    // Assess
    expect([a.statusCode, a.headers?.['retry-after']]).toEqual([503, '1']);
    expect([b.statusCode, b.headers?.['retry-after']]).toEqual([409, '1']);
    expect(c.headers).not.toHaveProperty('retry-after');
  });
});
