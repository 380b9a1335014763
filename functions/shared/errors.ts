/**
 * Errors of the HTTP edge (not domain rules): malformed requests the domain never sees.
 * Each carries its status; functions/shared/problem.ts renders them.
 */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';
  constructor(limit: number, actual: number) {
    super(413, 'Payload Too Large', `the body is ${actual} bytes; this route accepts at most ${limit}`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  override readonly name = 'UnsupportedMediaTypeError';
  constructor(contentType: string | undefined) {
    super(
      415,
      'Unsupported Media Type',
      contentType === undefined
        ? 'the body needs Content-Type: application/json'
        : `Content-Type '${contentType}' is not accepted; send application/json`,
    );
  }
}

export class PreconditionRequiredError extends HttpError {
  override readonly name = 'PreconditionRequiredError';
  constructor() {
    super(428, 'Precondition Required', 'this change needs an If-Match header with the record\'s current version (its ETag)');
  }
}

export class RouteNotFoundError extends HttpError {
  override readonly name = 'RouteNotFoundError';
  constructor(routeKey: string) {
    super(404, 'Not Found', `no route ${routeKey}`);
  }
}
