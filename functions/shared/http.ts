import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type * as z from 'zod';
import zodZhCN from 'zod/v4/locales/zh-CN.js';
import { ValidationError, type FieldIssue } from '../../domain/errors';
import { fieldMessageZh } from '../../domain/messages-zh';
import type { Actor } from '../../domain/policy';
import { reasonOf, runWithAuditContext, type AuditContext } from './audit-context';
import { actorFromEvent } from './auth';
import {
  HttpError,
  PayloadTooLargeError,
  PreconditionRequiredError,
  RouteNotFoundError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
} from './errors';
import { checkClientLimit } from './client-limit';
import type { IdempotentCall, IdempotentOutcome } from './idempotency';
import { localeOf, type Locale } from './locale';
import { holdsInstants, instantsInZone, tenantZoneReader, type TenantZoneReader } from './instants';
import { logger } from './logger';
import { open311Response, problemFor, problemResponse } from './problem';
import { routeKeyOf, type RouteSpec } from './route';
import { defaultMaxBodyBytes, type Problem } from './schemas';

/**
 * The middy stack every HTTP module shares: route resolution, actor from the JWT claims,
 * JSON body parsing, zod validation of params / query / body, If-Match, Idempotency-Key,
 * and errors as RFC 9457 problem+json. A route implementation receives typed input and
 * returns a status and a body; it never sees the event.
 */

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface HttpRequest<S extends RouteSpec> {
  readonly params: Infer<S['params']>;
  readonly query: Infer<S['query']>;
  readonly body: Infer<S['body']>;
  /** The verified caller; routes with `auth: 'public'` get an anonymous actor with no roles. */
  readonly actor: Actor;
  /** The version from `If-Match`, on routes that declare `ifMatch`. */
  readonly ifMatch: number | undefined;
  readonly requestId: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface BoundRoute {
  readonly spec: RouteSpec;
  readonly run: (request: HttpRequest<RouteSpec>) => Promise<HttpResult>;
  /** How the route answers an error, when not as problem+json or the JSON Open311 array (see {@link ErrorRenderer}). */
  readonly renderError?: ErrorRenderer;
}

/**
 * A route's own rendering of a refused or failed request, given the problem the shared mapper
 * made of the error (status, detail, fields) and the answer the stack would give (whose
 * headers it keeps: request id, Retry-After): the Open311 module answers GeoReport error
 * arrays as JSON or XML by the format the path asks for. It never sees the error itself, so
 * a 5xx stays as generic as problem+json makes it.
 */
export type ErrorRenderer = (problem: Problem, event: APIGatewayProxyEventV2, standard: APIGatewayProxyStructuredResultV2) => APIGatewayProxyStructuredResultV2;

/** Pairs a route spec with its implementation, keeping the input types. */
export function route<S extends RouteSpec>(
  spec: S,
  run: (request: HttpRequest<S>) => Promise<HttpResult>,
  options: { readonly renderError?: ErrorRenderer } = {},
): BoundRoute {
  return { spec, run: run as unknown as BoundRoute['run'], ...(options.renderError === undefined ? {} : { renderError: options.renderError }) };
}

/** A JSON answer; adds the ETag when the body is a versioned record. */
export function ok(body: unknown, status = 200): HttpResult {
  const version = (body as { version?: unknown } | null)?.version;
  return typeof version === 'number' ? { status, body, headers: { etag: `"${version}"` } } : { status, body };
}

/** The documented default (the OpenAPI document shows the same figure as `x-max-body-bytes`). */
const defaultMaxBody = defaultMaxBodyBytes;
const idempotencyHeader = 'idempotency-key';
const anonymous: Actor = { userId: 'anonymous', tenantId: '', roles: [] };

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  return event.headers?.[name] ?? undefined;
}

/**
 * At most this many field issues are listed in a 400. Without a cap a 200 KB body of 100 000
 * wrong array items was answered with 10 MB of problem+json (over Lambda's 6 MB response
 * limit: a 502 in AWS), and 300 000 items overflowed the stack (a 500). Found by the fuzz
 * suite (test/fuzz, issue 8).
 */
export const maxListedIssues = 100;

function prefixed(prefix: string, issues: readonly z.core.$ZodIssue[], zh?: readonly z.core.$ZodIssue[]): FieldIssue[] {
  return issues.map((issue, index) => {
    const path = [prefix, ...issue.path.map(String)].join('.');
    const twin = zh?.[index];
    // The Chinese parse reports the same issues in the same order; a mismatch keeps the English only.
    const same = twin !== undefined && [prefix, ...twin.path.map(String)].join('.') === path;
    if (!same) return { path, message: issue.message };
    // A schema's own message wins over zod's locale: its Chinese comes from the table (issue 14).
    const chinese = twin.message !== issue.message ? twin.message : fieldMessageZh(issue.message);
    return chinese === undefined ? { path, message: issue.message } : { path, message: issue.message, zh: chinese };
  });
}

/**
 * zod 4's own Chinese messages (`z.locales.zhCN()`), given per parse and never installed
 * globally (`z.config`), so an English caller's messages stay byte for byte what they were.
 * A schema's own message (e.g. 'not a contract id') wins over the locale, as in zod; its
 * Chinese comes from domain/messages-zh.ts.
 */
let zhErrorMap: z.core.$ZodErrorMap | undefined;
function zodZh(): z.core.$ZodErrorMap {
  zhErrorMap ??= zodZhCN().localeError;
  return zhErrorMap;
}

/**
 * Text of a request that must be well-formed UTF-8 (issue 13): decoded with a fatal
 * TextDecoder, so an invalid sequence is a 400 naming `where` instead of a U+FFFD stored in
 * its place.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export class InvalidUtf8Error extends ValidationError {
  constructor(where: string) {
    super(`the ${where} is not valid UTF-8`, [
      {
        path: where,
        message: 'not valid UTF-8: send the text encoded as UTF-8 (a character meant as U+FFFD may be written \\ufffd in JSON)',
        zh: '不是有效的 UTF-8：请以 UTF-8 编码发送文本（确需 U+FFFD 字符时，可在 JSON 中写作 \\ufffd）',
      },
    ], { zh: `${where} 不是有效的 UTF-8 文本` });
  }
}

/** Bytes as UTF-8 text, or undefined when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Whether percent-escapes (`%E8%B7%AF`, RFC 3986 §2.1) decode to valid UTF-8. A malformed
 * escape (`%G1`) is not an encoding error: it reaches the schema as sent, as before.
 */
export function percentEscapesAreUtf8(text: string): boolean {
  if (!text.includes('%')) return true;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const escaped = text[i] === '%' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3));
    if (escaped) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const byte of Buffer.from(text[i]!, 'utf8')) bytes.push(byte);
    }
  }
  return decodeUtf8(Uint8Array.from(bytes)) !== undefined;
}

/**
 * Strings that cannot be written as UTF-8: a JSON escape of a lone surrogate (`"\\ud800"`)
 * parses to one, and storing it would put a U+FFFD in its place.
 */
function firstMalformedString(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return !isWellFormed(value);
  if (depth > 64 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => firstMalformedString(item, depth + 1));
  return Object.entries(value).some(([key, item]) => !isWellFormed(key) || firstMalformedString(item, depth + 1));
}

function isWellFormed(text: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/**
 * The body as text. A base64 body (API Gateway's form for a non-text media type) is decoded
 * strictly; a text body already decoded upstream carries U+FFFD where its bytes were not
 * UTF-8, so a raw U+FFFD is refused too (a client that means the character escapes it).
 */
function bodyText(event: APIGatewayProxyEventV2): string | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  if (!event.isBase64Encoded) {
    if (event.body.includes('\ufffd')) throw new InvalidUtf8Error('body');
    return event.body;
  }
  const text = decodeUtf8(Buffer.from(event.body, 'base64'));
  if (text === undefined || text.includes('\ufffd')) throw new InvalidUtf8Error('body');
  return text;
}

function readBody(event: APIGatewayProxyEventV2, spec: RouteSpec): unknown {
  if (spec.body === undefined) return undefined;
  const raw = bodyText(event);
  const size = raw === undefined ? 0 : Buffer.byteLength(raw, 'utf8');
  const limit = spec.maxBodyBytes ?? defaultMaxBody;
  if (size > limit) throw new PayloadTooLargeError(limit, size);
  if (raw === undefined || raw.trim() === '') return undefined;
  const contentType = header(event, 'content-type');
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (spec.bodyFormat === 'form' && mediaType === formMediaType) return parseFormBody(raw);
  if (mediaType === undefined || !(mediaType === 'application/json' || mediaType.endsWith('+json'))) {
    if (spec.bodyFormat === 'form') {
      throw new HttpError(415, 'Unsupported Media Type', `Content-Type '${contentType ?? ''}' is not accepted; send ${formMediaType} or application/json`, {
        zh: `不接受 Content-Type '${contentType ?? ''}'；请发送 ${formMediaType} 或 application/json`,
      });
    }
    throw new UnsupportedMediaTypeError(contentType);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw) as unknown;
  } catch (cause) {
    throw new ValidationError('the body is not valid JSON', [{ path: 'body', message: (cause as Error).message, zh: `不是有效的 JSON：${(cause as Error).message}` }], { cause, zh: '请求体不是有效的 JSON' });
  }
  if (firstMalformedString(parsed)) throw new InvalidUtf8Error('body');
  return parsed;
}

const formMediaType = 'application/x-www-form-urlencoded';

/**
 * An `application/x-www-form-urlencoded` body (WHATWG URL §5: `+` is a space, percent-escapes
 * are UTF-8) as an object: a name given once maps to its string, a repeated name to the array
 * of its values in order. Names are kept whole (`attribute[WHISPAWN]` stays one key): the
 * route's schema decides what it reads.
 */
export function parseFormBody(raw: string): Record<string, string | string[]> {
  if (!percentEscapesAreUtf8(raw)) throw new InvalidUtf8Error('body');
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return fields;
}

/** `If-Match: "3"`, `W/"3"` or `3` → 3. */
export function parseIfMatch(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(?:W\/)?(?:"(\d{1,9})"|(\d{1,9}))\s*$/.exec(value);
  const version = match?.[1] ?? match?.[2];
  if (version === undefined) {
    throw new ValidationError('If-Match must carry a version', [{ path: 'headers.if-match', message: `'${value}' is not a version such as "3"`, zh: `'${value}' 不是版本号，应形如 "3"` }], {
      zh: 'If-Match 必须写明版本号',
    });
  }
  return Number(version);
}

function parseInput(event: APIGatewayProxyEventV2, spec: RouteSpec, locale: Locale = 'en'): Pick<HttpRequest<RouteSpec>, 'params' | 'query' | 'body'> {
  if (!percentEscapesAreUtf8(event.rawPath ?? '')) throw new InvalidUtf8Error('params');
  if (!percentEscapesAreUtf8(event.rawQueryString ?? '')) throw new InvalidUtf8Error('query');
  const issues: FieldIssue[] = [];
  let failed = 0;
  const check = (prefix: string, schema: z.ZodType | undefined, value: unknown): unknown => {
    if (schema === undefined) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    failed += result.error.issues.length;
    const listed = result.error.issues.slice(0, Math.max(0, maxListedIssues - issues.length));
    // Only a refused request of a Chinese caller is parsed again, for zod's Chinese messages.
    const zh = locale === 'zh-CN' && listed.length > 0 ? schema.safeParse(value, { error: zodZh() }).error?.issues : undefined;
    issues.push(...prefixed(prefix, listed, zh));
    return undefined;
  };
  const params = check('params', spec.params, event.pathParameters ?? {});
  const query = check('query', spec.query, event.queryStringParameters ?? {});
  const rawBody = readBody(event, spec);
  const body = check('body', spec.body, rawBody);
  if (failed > 0) {
    const detail = failed > issues.length ? `${failed} field(s) failed validation; the first ${issues.length} are listed` : `${failed} field(s) failed validation`;
    const zh = failed > issues.length ? `${failed} 个字段未通过校验；列出前 ${issues.length} 个` : `${failed} 个字段未通过校验`;
    throw new ValidationError(detail, issues, { zh });
  }
  return { params, query, body } as Pick<HttpRequest<RouteSpec>, 'params' | 'query' | 'body'>;
}

function shape(result: HttpResult, requestId: string, replayed: boolean): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { 'x-request-id': requestId, ...result.headers };
  if (replayed) headers['idempotent-replayed'] = 'true';
  if (result.body === undefined) return { statusCode: result.status, headers };
  // A body already rendered in its own media type (Open311 XML) goes out as it is.
  if (typeof result.body === 'string' && result.headers?.['content-type'] !== undefined) return { statusCode: result.status, headers, body: result.body };
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(result.body),
  };
}

const rooted = /^(body|params|query|headers)(\.|$)/;

/**
 * A use case validates its input with paths relative to it (`widthM`,
 * `featureCollection.features.7...`); on the wire that input is the body, so its problems
 * are reported as `body.widthM`, the same paths the edge validation uses.
 */
async function runRoute(bound: BoundRoute, request: HttpRequest<RouteSpec>): Promise<HttpResult> {
  try {
    return await bound.run(request);
  } catch (error) {
    if (!(error instanceof ValidationError) || bound.spec.body === undefined) throw error;
    if (error.issues.every((issue) => rooted.test(issue.path))) throw error;
    throw new ValidationError(
      error.message,
      error.issues.map((issue) => (rooted.test(issue.path) ? issue : { ...issue, path: issue.path === '' ? 'body' : `body.${issue.path}` })),
      { cause: error, ...(error.zh === undefined ? {} : { zh: error.zh }) },
    );
  }
}

/**
 * Runs a call at most once per key (functions/shared/idempotency.ts). Injected per module so
 * that modules without idempotent routes do not bundle Powertools idempotency and its client.
 */
export type IdempotencyRunner = <T>(call: IdempotentCall<T>, context: Context) => Promise<IdempotentOutcome<T>>;

async function dispatch(
  routes: ReadonlyMap<string, BoundRoute>,
  idempotency: IdempotencyRunner | undefined,
  zones: TenantZoneReader | undefined,
  event: APIGatewayProxyEventV2,
  context: Context,
): Promise<APIGatewayProxyStructuredResultV2> {
  const bound = routes.get(event.routeKey);
  if (bound === undefined) throw new RouteNotFoundError(event.routeKey);
  const { spec } = bound;
  const actor = spec.auth === 'jwt' ? actorFromEvent(event) : anonymous;
  const input = parseInput(event, spec, localeOf(event.headers));
  // A valid request counts against its client's share (RouteSpec.clientLimit); a refused one changes nothing.
  await checkClientLimit(spec, event);
  const ifMatchHeader = header(event, 'if-match');
  if (spec.ifMatch === true && ifMatchHeader === undefined) throw new PreconditionRequiredError();
  const request: HttpRequest<RouteSpec> = {
    ...input,
    actor,
    ifMatch: spec.ifMatch === true ? parseIfMatch(ifMatchHeader) : undefined,
    requestId: event.requestContext.requestId,
    headers: event.headers ?? {},
  };
  // Every write this request makes records its audit entry under this context (issue 8).
  return runWithAuditContext(auditContextOf(spec, request), () => runRequest(bound, idempotency, zones, event, context, request, input));
}

/**
 * The audit context of one request (functions/shared/audit-context.ts): the verified caller
 * (an anonymous one on public routes), the route's operationId, API Gateway's request id (the
 * one the logger and the answer's x-request-id carry), and the validated body's `reason`. Set
 * around the route by `dispatch`, not by a middy `before` hook: the caller and the body are
 * known only once the request is parsed, and AsyncLocalStorage must wrap the call it covers.
 */
export function auditContextOf(spec: RouteSpec, request: Pick<HttpRequest<RouteSpec>, 'actor' | 'requestId' | 'body'>): AuditContext {
  const { actor } = request;
  const reason = reasonOf(request.body);
  return {
    ...(actor.tenantId === '' ? {} : { tenantId: actor.tenantId }),
    actor: { sub: actor.userId, roles: [...actor.roles], ...(actor.contractorId === undefined ? {} : { contractorId: actor.contractorId }) },
    requestId: request.requestId,
    action: spec.operationId,
    ...(reason === undefined ? {} : { reason }),
  };
}

async function runRequest(
  bound: BoundRoute,
  idempotency: IdempotencyRunner | undefined,
  zones: TenantZoneReader | undefined,
  event: APIGatewayProxyEventV2,
  context: Context,
  request: HttpRequest<RouteSpec>,
  input: Pick<HttpRequest<RouteSpec>, 'params' | 'query' | 'body'>,
): Promise<APIGatewayProxyStructuredResultV2> {
  const key = header(event, idempotencyHeader);
  if (bound.spec.idempotent === true && key !== undefined && idempotency !== undefined) {
    const { result, replayed } = await idempotency(
      {
        tenantId: request.actor.tenantId,
        caller: request.actor.userId,
        routeKey: event.routeKey,
        path: event.rawPath,
        key,
        // The version is part of what was asked: the same key with another If-Match is another request.
        payload: { body: input.body ?? null, ifMatch: request.ifMatch ?? null },
        run: () => runRoute(bound, request),
      },
      context,
    );
    return shape(await inTenantZone(result, request.actor, zones), request.requestId, replayed);
  }
  return shape(await inTenantZone(await runRoute(bound, request), request.actor, zones), request.requestId, false);
}

/**
 * The answer with every instant in the tenant's zone (functions/shared/instants.ts), read
 * only when the body holds one. Public routes have no tenant caller: Open311 places its own
 * instants in the jurisdiction's zone.
 */
async function inTenantZone(result: HttpResult, actor: Actor, zones: TenantZoneReader | undefined): Promise<HttpResult> {
  if (result.body === undefined || actor.tenantId === '') return result;
  if (!holdsInstants(result.body)) return result;
  const zone = await (zones ?? tenantZoneReader())(actor.tenantId);
  return { ...result, body: instantsInZone(result.body, zone) };
}

/**
 * Problem+json for every error; 5xx details only in the log (middy habit: error handler last).
 * A route with `errorFormat: 'open311'` gets the same status with the GeoReport v2 error array.
 */
function problemDetails(
  routes: ReadonlyMap<string, BoundRoute>,
): middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2> {
  return {
    onError: async (request) => {
      const requestId = request.event.requestContext?.requestId;
      const locale = localeOf(request.event.headers);
      const problem = problemFor(request.error, requestId, locale);
      // A 503 is a dependency's momentary failure the caller retries (throttling, timeouts): a warning, not an error.
      if (problem.status === 503) logger.warn('request failed; the caller may retry', { error: request.error as Error, requestId });
      else if (problem.status >= 500) logger.error('request failed', { error: request.error as Error, requestId });
      else logger.info('request refused', { status: problem.status, detail: problem.detail, requestId });
      const headers: Record<string, string> = requestId === undefined ? {} : { 'x-request-id': requestId };
      if (request.error instanceof TooManyRequestsError) headers['retry-after'] = String(request.error.retryAfterSeconds);
      const bound = routes.get(request.event.routeKey);
      const standard = bound?.spec.errorFormat === 'open311' ? open311Response(problem, headers) : problemResponse(problem, headers, locale);
      request.response = bound?.renderError === undefined ? standard : bound.renderError(problem, request.event, standard);
    },
  };
}

/** The Lambda handler of one HTTP module: its routes behind the shared middy stack. */
export function httpModule(
  routes: readonly BoundRoute[],
  options: {
    readonly idempotency?: IdempotencyRunner;
    /** The tenant's zone for the answer's instants; the main table's tenant item by default. */
    readonly tenantZone?: TenantZoneReader;
  } = {},
): middy.MiddyfiedHandler<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context> {
  const byKey = new Map(routes.map((bound) => [routeKeyOf(bound.spec), bound]));
  const unguarded = routes.filter((bound) => bound.spec.idempotent === true && options.idempotency === undefined);
  if (unguarded.length > 0) {
    throw new Error(`routes ${unguarded.map((bound) => bound.spec.operationId).join(', ')} are idempotent but the module has no idempotency runner`);
  }
  return middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(problemDetails(byKey))
    .handler((event, context) => dispatch(byKey, options.idempotency, options.tenantZone, event, context));
}
