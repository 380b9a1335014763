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
import { HttpError, TemporarilyUnavailableError } from './errors';
import { localized, type Locale } from './locale';
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

/**
 * SDK error names that mean "slow down and try again" (the SDK's own throttling list, plus
 * the timeouts it treats as transient). Matched by name, like the SDK's retry classifier,
 * so that no client package is loaded here.
 */
const throttlingNames = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
  'TransactionInProgressException',
  'PriorRequestNotComplete',
]);
const timeoutNames = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Why an error is a momentary failure of a dependency that the caller may retry, or undefined:
 * a TemporarilyUnavailableError; an AWS SDK error that its retry strategy gave up on
 * (throttling, a 5xx, a timeout or a dropped connection: the SDK already retried it); a
 * TransactionCanceledException whose only reason is TransactionConflict (another transaction
 * on the same items at the same moment: nothing was written); Powertools idempotency's
 * persistence errors caused by one of these. The cause chain (and AggregateError members) is
 * followed: adapters wrap the SDK's error with their own message.
 */
export function transientCause(error: unknown, depth = 0): string | undefined {
  if (depth > 10 || typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { name?: unknown; code?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown }; CancellationReasons?: unknown; cause?: unknown; errors?: unknown };
  const name = typeof candidate.name === 'string' ? candidate.name : '';
  if (error instanceof TemporarilyUnavailableError) return error.message;
  if (throttlingNames.has(name)) return `throttled (${name})`;
  if (timeoutNames.has(name)) return `timed out (${name})`;
  if (typeof candidate.code === 'string' && networkCodes.has(candidate.code)) return `connection failed (${candidate.code})`;
  if (name === 'TransactionCanceledException' && Array.isArray(candidate.CancellationReasons)) {
    const codes = (candidate.CancellationReasons as Array<{ Code?: unknown } | undefined>).map((reason) => reason?.Code);
    if (codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed')) return 'a transaction met another on the same items (TransactionConflict)';
    return undefined;
  }
  const status = candidate.$metadata?.httpStatusCode;
  if (candidate.$metadata !== undefined && ((typeof status === 'number' && status >= 500) || candidate.$fault === 'server')) {
    return `the storage service answered ${typeof status === 'number' ? status : 'a server error'}${name === '' ? '' : ` (${name})`}`;
  }
  if (name === 'IdempotencyInconsistentStateError') return 'the idempotency record changed while it was read';
  if (Array.isArray(candidate.errors)) {
    for (const member of candidate.errors) {
      const found = transientCause(member, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return candidate.cause === undefined ? undefined : transientCause(candidate.cause, depth + 1);
}

/** Seconds a 503 (and an idempotency-in-progress 409) tells the caller to wait. */
export const retryAfterSeconds = 1;

/**
 * The Chinese of every title this module and the HTTP edge answer (issue 13). A title not
 * listed stays English (a route's own HttpError with a new title: add it here).
 */
export const problemTitlesZh: Readonly<Record<string, string>> = {
  'Invalid request': '请求无效',
  Unauthorized: '未认证',
  Forbidden: '无权操作',
  'Not Found': '未找到',
  'Service Unavailable': '服务暂时不可用',
  Conflict: '冲突',
  'Precondition Failed': '版本已变更',
  Unprocessable: '无法处理',
  'Internal Server Error': '服务器内部错误',
  'Payload Too Large': '请求体过大',
  'Unsupported Media Type': '不支持的媒体类型',
  'Precondition Required': '需要 If-Match',
  'Too Many Requests': '请求过于频繁',
};

/** A problem title in the caller's locale. */
export function problemTitle(title: string, locale: Locale): string {
  return localized(locale, title, problemTitlesZh[title]);
}

/** The Chinese detail an error carries (domain errors and HTTP edge errors take `{ zh }`). */
function zhOf(error: unknown): string | undefined {
  const zh = (error as { zh?: unknown } | null)?.zh;
  return error instanceof Error && typeof zh === 'string' ? zh : undefined;
}

/**
 * The problem details of an error, in `locale` (issue 13): title, detail and each field's
 * message in Chinese when the caller asks for zh-CN and the text exists (a domain error's or
 * a field issue's `zh`, the generic texts of this module); English otherwise. `type` and
 * `field` are identifiers and never translated.
 */
export function problemFor(error: unknown, requestId: string | undefined, locale: Locale = 'en'): Problem {
  const withId = (problem: Omit<Problem, 'requestId'>): Problem => {
    const shown = { ...problem, title: problemTitle(problem.title, locale) };
    return requestId === undefined ? shown : { ...shown, requestId };
  };
  const text = (en: string, zh: string | undefined): string => localized(locale, en, zh);
  const detailOf = (error: Error): string => text(error.message, zhOf(error));
  if (error instanceof ValidationError) {
    return withId({
      type: `${problemBase}validation`,
      title: 'Invalid request',
      status: 400,
      detail: detailOf(error),
      errors: error.issues.map((issue) => ({ field: issue.path, message: text(issue.message, issue.zh) })),
    });
  }
  if (error instanceof UnauthenticatedError) {
    return withId({ type: `${problemBase}unauthenticated`, title: 'Unauthorized', status: 401, detail: detailOf(error) });
  }
  if (error instanceof ForbiddenError) {
    return withId({ type: `${problemBase}forbidden`, title: 'Forbidden', status: 403, detail: detailOf(error) });
  }
  if (error instanceof NotFoundError) {
    return withId({ type: `${problemBase}not-found`, title: 'Not Found', status: 404, detail: detailOf(error) });
  }
  // Before conflicts: an adapter reports a TransactionConflict as a ConflictError whose cause
  // is the SDK's cancellation; that one is momentary, nothing was written, and a retry runs.
  const transient = error instanceof StaleVersionError ? undefined : transientCause(error);
  if (transient !== undefined) {
    const seconds = error instanceof TemporarilyUnavailableError ? error.retryAfterSeconds : retryAfterSeconds;
    return withId({
      type: `${problemBase}temporarily-unavailable`,
      title: 'Service Unavailable',
      status: 503,
      detail: text(
        `temporarily unavailable: ${transient}; the change may not have been made: retry the same request (same Idempotency-Key, same If-Match) after ${seconds} s; the retry makes it or finds it made`,
        `服务暂时不可用：${transient}；修改可能尚未完成：请在 ${seconds} 秒后重试同一请求（相同的 Idempotency-Key 和 If-Match），重试会完成修改或确认修改已完成`,
      ),
    });
  }
  if (error instanceof ConflictError) {
    return withId({ type: `${problemBase}conflict`, title: 'Conflict', status: 409, detail: detailOf(error), ...conflictsOf(error), ...(error.rules.length > 0 ? { rules: [...error.rules] } : {}) });
  }
  if (error instanceof StaleVersionError) {
    return withId({ type: `${problemBase}stale-version`, title: 'Precondition Failed', status: 412, detail: detailOf(error) });
  }
  if (error instanceof RuleViolationError) {
    return withId({
      type: `${problemBase}rule-violation`,
      title: 'Unprocessable',
      status: 422,
      detail: detailOf(error),
      ...(error.reasons.length > 0
        ? { errors: error.reasons.map((reason, index) => ({ field: error.fields[index] ?? '', message: text(reason, error.reasonsZh[index]) })) }
        : {}),
    });
  }
  if (isErrorNamed(error, 'IdempotencyValidationError')) {
    return withId({
      type: `${problemBase}idempotency-key-reused`,
      title: 'Unprocessable',
      status: 422,
      detail: text('this Idempotency-Key was already used with a different request body', '此 Idempotency-Key 已用于另一个不同的请求体'),
    });
  }
  if (isErrorNamed(error, 'IdempotencyAlreadyInProgressError')) {
    return withId({
      type: `${problemBase}idempotency-in-progress`,
      title: 'Conflict',
      status: 409,
      detail: text('a request with this Idempotency-Key is still being processed; retry shortly', '使用此 Idempotency-Key 的请求仍在处理中；请稍后重试'),
    });
  }
  if (error instanceof HttpError && error.status < 500) {
    return withId({ type: `${problemBase}${slug(error.title)}`, title: error.title, status: error.status, detail: detailOf(error) });
  }
  return withId({
    type: `${problemBase}internal`,
    title: 'Internal Server Error',
    status: 500,
    detail: text('something went wrong on our side; quote the request id when reporting it', '服务端出错；反馈问题时请提供请求编号（requestId）'),
  });
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

/** `Retry-After` for the answers that ask for a retry: 503 temporarily unavailable, 409 idempotency in progress. */
function retryHeaders(problem: Problem): Record<string, string> {
  return problem.type === `${problemBase}temporarily-unavailable` || problem.type === `${problemBase}idempotency-in-progress` ? { 'retry-after': String(retryAfterSeconds) } : {};
}

/**
 * The language headers of an answer whose text follows Accept-Language: `Content-Language`
 * (RFC 9110 §8.5) names the language of the texts, `Vary` tells caches the answer depends
 * on the header.
 */
export function languageHeaders(locale: Locale): Record<string, string> {
  return { 'content-language': locale, vary: 'Accept-Language' };
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}, locale: Locale = 'en'): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: problem.status,
    headers: {
      'content-type': 'application/problem+json',
      ...languageHeaders(locale),
      ...(problem.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      ...retryHeaders(problem),
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
    headers: { 'content-type': 'application/json; charset=utf-8', ...retryHeaders(problem), ...headers },
    body: JSON.stringify(open311Errors(problem)),
  };
}
