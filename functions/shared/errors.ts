/**
 * Errors of the HTTP edge (not domain rules): malformed requests the domain never sees.
 * Each carries its status; functions/shared/problem.ts renders them, in Chinese (`zh`) when
 * the caller's Accept-Language asks for it.
 */
export class HttpError extends Error {
  override readonly name: string = 'HttpError';
  /** The detail in Chinese (zh-CN), with the same numbers as the English message. */
  readonly zh: string | undefined;
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    options?: { cause?: unknown; zh?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.zh = options?.zh;
  }
}

export class PayloadTooLargeError extends HttpError {
  override readonly name = 'PayloadTooLargeError';
  constructor(limit: number, actual: number) {
    super(413, 'Payload Too Large', `the body is ${actual} bytes; this route accepts at most ${limit}`, {
      zh: `请求体为 ${actual} 字节；此接口最多接受 ${limit} 字节`,
    });
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
      {
        zh:
          contentType === undefined
            ? '请求体需要 Content-Type: application/json'
            : `不接受 Content-Type '${contentType}'；请发送 application/json`,
      },
    );
  }
}

export class PreconditionRequiredError extends HttpError {
  override readonly name = 'PreconditionRequiredError';
  constructor() {
    super(428, 'Precondition Required', 'this change needs an If-Match header with the record\'s current version (its ETag)', {
      zh: '此修改需要 If-Match 请求头，填写记录的当前版本（即其 ETag）',
    });
  }
}

export class RouteNotFoundError extends HttpError {
  override readonly name = 'RouteNotFoundError';
  constructor(routeKey: string) {
    super(404, 'Not Found', `no route ${routeKey}`, { zh: `没有接口 ${routeKey}` });
  }
}

/**
 * A dependency is momentarily unable to serve (throttling, a 5xx, a timeout, a transaction
 * that met another at the same moment) and nothing of the request was written, or a retry
 * converges on what was: the caller should retry the same request (same Idempotency-Key and
 * If-Match) after `retryAfterSeconds`. functions/shared/problem.ts renders it as a 503 with
 * `Retry-After`; it also recognises the SDK's own errors of that kind (see `transientCause`).
 */
export class TemporarilyUnavailableError extends HttpError {
  override readonly name = 'TemporarilyUnavailableError';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    options?: { cause?: unknown; zh?: string },
  ) {
    super(503, 'Service Unavailable', message, options);
  }
}

/**
 * The caller made more requests than its share (a route's per-client limit, RouteSpec
 * clientLimit): 429 with `Retry-After`. Nothing of the request was done.
 */
export class TooManyRequestsError extends HttpError {
  override readonly name = 'TooManyRequestsError';
  constructor(
    readonly limit: { readonly requests: number; readonly perSeconds: number },
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'Too Many Requests', `this client may send at most ${limit.requests} such requests per ${limit.perSeconds} s; retry after ${retryAfterSeconds} s`, {
      zh: `同一客户端每 ${limit.perSeconds} 秒最多提交 ${limit.requests} 次此类请求；请 ${retryAfterSeconds} 秒后再试`,
    });
  }
}
