import { describe, expect, it } from 'vitest';
import {
  HttpError,
  PayloadTooLargeError,
  PreconditionRequiredError,
  RouteNotFoundError,
  UnsupportedMediaTypeError,
} from '../../../../functions/shared/errors';

describe('HTTP edge errors', () => {
  it.each([
    { error: new PayloadTooLargeError(1024, 2048), name: 'PayloadTooLargeError', status: 413, title: 'Payload Too Large' },
    { error: new UnsupportedMediaTypeError('text/plain'), name: 'UnsupportedMediaTypeError', status: 415, title: 'Unsupported Media Type' },
    { error: new PreconditionRequiredError(), name: 'PreconditionRequiredError', status: 428, title: 'Precondition Required' },
    { error: new RouteNotFoundError('GET /v1/nowhere'), name: 'RouteNotFoundError', status: 404, title: 'Not Found' },
  ])('$name carries status $status, title and name, and is an HttpError', ({ error, name, status, title }) => {
    // Assess
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.status).toBe(status);
    expect(error.title).toBe(title);
  });

  it('states both the limit and the actual size of a too large body', () => {
    // Act
    const error = new PayloadTooLargeError(6_291_456, 7_000_000);

    // Assess
    expect(error.message).toBe('the body is 7000000 bytes; this route accepts at most 6291456');
  });

  it('quotes the refused content type', () => {
    // Act
    const error = new UnsupportedMediaTypeError('text/csv; charset=GBK');

    // Assess
    expect(error.message).toBe("Content-Type 'text/csv; charset=GBK' is not accepted; send application/json");
  });

  it('asks for JSON when there was no content type', () => {
    // Act
    const error = new UnsupportedMediaTypeError(undefined);

    // Assess
    expect(error.message).toBe('the body needs Content-Type: application/json');
  });

  it('names the missing route key', () => {
    // Act
    const error = new RouteNotFoundError('DELETE /v1/segments/{segmentId}');

    // Assess
    expect(error.message).toBe('no route DELETE /v1/segments/{segmentId}');
  });

  it('keeps the cause of an HttpError', () => {
    // Prepare
    const cause = new Error('socket hang up');

    // Act
    const error = new HttpError(502, 'Bad Gateway', 'upstream failed', { cause });

    // Assess
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('HttpError');
  });
});
