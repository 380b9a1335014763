import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { httpModules } from '../../functions/http/manifest';
import { routeKeyOf, type HttpModuleManifest, type RouteSpec } from '../../functions/shared/route';
import { localRegion } from './credentials';
import { verifyDevToken } from './dev-auth';
import { devSignIn } from './dev-sign-in';
import { serveWeb } from './web-static';
import {
  apiGatewayMaxBodyBytes,
  apiGatewayRequestId,
  gatewayProblem as problem,
  splitUrl,
  unauthorized,
  type AdapterRequest,
  type AdapterResponse,
} from './http-server';

export {
  apiGatewayMaxBodyBytes,
  PortInUseError,
  serveHttp,
  startingUpResponse,
  type AdapterRequest,
  type AdapterResponse,
  type RunningHttpServer,
} from './http-server';

/**
 * The local stand-in for API Gateway HTTP API + Lambda: each request becomes the payload
 * format 2.0 event API Gateway would send, for the very handler module Lambda would run
 * (functions/http/manifest.ts), and the handler's result becomes the HTTP answer the way
 * API Gateway would turn it into one. Where API Gateway answers by itself (no route, bad
 * token, body too large, handler crash, timeout) we keep its status code but answer with
 * RFC 9457 problem+json, as our own handlers do, so clients need one error parser.
 */

/** API Gateway HTTP API's integration timeout is 30 s; Lambda gets what is left after routing. */
export const apiGatewayTimeoutMs = 29_000;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** A Lambda handler as the adapter calls it (promise style; callback style also honoured). */
export type HttpHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
  callback?: (error?: unknown, result?: unknown) => void,
) => unknown;

/** Where the adapter reports handler crashes and (optionally) each request. */
export interface AdapterLogger {
  error(message: string, error: unknown): void;
  request?(line: { method: string; path: string; status: number; ms: number; routeKey: string | undefined }): void;
}

/** Verifies a bearer token and returns its claims; throws to refuse it (→ 401). */
export type TokenVerifier = (token: string) => Promise<JWTPayload>;

export interface HttpAdapterOptions {
  /**
   * Serve the field app's build (web/dist) for GETs no API route matches, as CloudFront will
   * in front of the API: `npm start` sets it. Off by default, so the tests' adapter answers
   * exactly as API Gateway does (404 problem+json for an unknown path). Also serves the
   * app's dev sign-in and /app-config.json (dev-sign-in.ts).
   */
  readonly serveWeb?: boolean;
  /** Modules to serve; default: the manifest, i.e. what the CDK stack deploys. */
  readonly modules?: readonly HttpModuleManifest[];
  /** Root the manifest's `entry` paths are relative to; default: the repository. */
  readonly rootDir?: string;
  /**
   * Written into process.env before the first handler module is imported, because the
   * handlers (like Lambda's) read their configuration from the environment at start.
   */
  readonly env?: Readonly<Record<string, string>>;
  /** Default: the dev-key verifier of dev-auth.ts. */
  readonly verifyToken?: TokenVerifier;
  /** Default: dynamic import of the module's entry (tsx/vitest resolve TypeScript). */
  readonly loadHandler?: (module: HttpModuleManifest, entryPath: string) => Promise<HttpHandler>;
  readonly logger?: AdapterLogger;
  readonly timeoutMs?: number;
  /** Lambda memory size reported in the context; default 512, the Lambda construct's default. */
  readonly memoryLimitInMB?: number;
  /** Region and account reported in ARNs and request contexts. */
  readonly region?: string;
  readonly accountId?: string;
}

/** A compiled route: which module serves it and how its path template matches. */
export interface AdapterRoute {
  readonly module: HttpModuleManifest;
  readonly spec: RouteSpec;
  readonly routeKey: string;
  readonly segments: readonly PathSegment[];
}

/** One `/`-separated piece of a route's path template. */
export type PathSegment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

/** The adapter: dispatch in-process, or serve it on a socket with {@link serveHttp}. */
export interface HttpAdapter {
  readonly routes: readonly AdapterRoute[];
  /** Turns one request into an event, runs the handler, and shapes its answer. Never throws. */
  dispatch(request: AdapterRequest): Promise<AdapterResponse>;
  /** Imports every handler module now, so a broken module fails at start, not at first call. */
  preload(): Promise<void>;
}

/** Builds the adapter for the manifest's modules (or the ones given). */
export function createHttpAdapter(options: HttpAdapterOptions = {}): HttpAdapter {
  const modules = options.modules ?? httpModules;
  const rootDir = options.rootDir ?? repoRoot;
  const routes = compileRoutes(modules);
  const verifyToken = options.verifyToken ?? verifyDevToken;
  const loadHandler = options.loadHandler ?? importHandler;
  const logger = options.logger ?? consoleLogger;
  const timeoutMs = options.timeoutMs ?? apiGatewayTimeoutMs;
  const region = options.region ?? options.env?.['AWS_REGION'] ?? localRegion;
  const accountId = options.accountId ?? '000000000000';
  const memoryLimitInMB = String(options.memoryLimitInMB ?? 512);
  const loaded = new Map<string, Promise<HttpHandler>>();
  const throttles = new RouteThrottles();
  let envApplied = false;

  function handlerOf(module: HttpModuleManifest): Promise<HttpHandler> {
    let handler = loaded.get(module.name);
    if (handler === undefined) {
      if (!envApplied) {
        Object.assign(process.env, options.env ?? {});
        envApplied = true;
      }
      const entryPath = resolve(rootDir, module.entry);
      handler = loadHandler(module, entryPath);
      // A failed import is not kept: the next request tries again, once the developer has
      // fixed the file (Lambda, too, retries a failed init on the next invocation).
      handler.catch(() => loaded.delete(module.name));
      loaded.set(module.name, handler);
    }
    return handler;
  }

  async function dispatch(request: AdapterRequest): Promise<AdapterResponse> {
    const started = Date.now();
    const requestId = apiGatewayRequestId();
    const { path: rawPath, query: rawQueryString } = splitUrl(request.url);
    const method = request.method.toUpperCase();
    let routeKey: string | undefined;
    const answer = await (async (): Promise<AdapterResponse> => {
      const body = toBuffer(request.body);
      if (body.length > apiGatewayMaxBodyBytes) {
        return problem(413, requestId, rawPath, `the request body is ${body.length} bytes; API Gateway accepts at most ${apiGatewayMaxBodyBytes}`);
      }
      const match = matchRoute(routes, method, rawPath);
      if (match.kind === 'bad-path') return problem(400, requestId, rawPath, match.detail);
      if (match.kind === 'none') {
        const dev = options.serveWeb === true ? await devSignIn(method, rawPath, body) : undefined;
        if (dev !== undefined) return dev;
        const web = options.serveWeb === true ? serveWeb(method, rawPath) : undefined;
        if (web !== undefined) return web;
        return problem(404, requestId, rawPath, `no route matches ${method} ${rawPath}`);
      }
      if (match.kind === 'method') {
        // API Gateway answers 404 here too (it has no 405); the detail helps locally.
        return problem(404, requestId, rawPath, `no route matches ${method} ${rawPath} (it accepts ${match.allowed.join(', ')})`);
      }
      routeKey = match.route.routeKey;
      // The route's own throttle (RouteSpec.throttle), as the stage's route setting in AWS.
      const throttled = throttles.take(match.route.spec, started);
      if (throttled !== undefined) return problem(429, requestId, rawPath, throttled, { 'retry-after': '1' });
      const headers = collectHeaders(request.headers);
      let authorizer: APIGatewayEventRequestContextJWTAuthorizer | undefined;
      if (match.route.spec.auth === 'jwt') {
        const token = bearerToken(headers['authorization']);
        if (token === undefined) return unauthorized(requestId, rawPath, 'a bearer token is required (Authorization: Bearer <jwt>)');
        try {
          const claims = await verifyToken(token);
          authorizer = { principalId: '', integrationLatency: 0, jwt: { claims: claimsAsApiGateway(claims), scopes: scopesOf(claims) } };
        } catch (error) {
          return unauthorized(requestId, rawPath, error instanceof Error ? error.message : 'the bearer token is not valid');
        }
      }
      const event = buildEvent({
        method,
        rawPath,
        rawQueryString,
        headers,
        body,
        route: match.route,
        pathParameters: match.pathParameters,
        authorizer,
        requestId,
        sourceIp: request.sourceIp ?? '127.0.0.1',
        protocol: request.protocol ?? 'HTTP/1.1',
        accountId,
        started,
      });
      const functionName = `xiuhua-${match.route.module.name}`;
      const context = lambdaContext({ functionName, region, accountId, memoryLimitInMB, deadline: started + timeoutMs });
      let handler: HttpHandler;
      try {
        handler = await handlerOf(match.route.module);
      } catch (error) {
        logger.error(`${functionName}: the handler module ${match.route.module.entry} failed to load`, error);
        return problem(500, requestId, rawPath, 'the handler failed to start; see the local stack log');
      }
      let result: unknown;
      try {
        result = await invokeWithTimeout(handler, event, context, timeoutMs);
      } catch (error) {
        if (error instanceof IntegrationTimeoutError) {
          logger.error(`${functionName}: ${routeKey} did not answer within ${timeoutMs} ms`, error);
          return problem(503, requestId, rawPath, `the handler did not answer within ${timeoutMs} ms`);
        }
        logger.error(`${functionName}: ${routeKey} threw (request ${requestId})`, error);
        return problem(500, requestId, rawPath, 'the handler failed; see the local stack log');
      }
      try {
        return fromLambdaResult(result, requestId);
      } catch (error) {
        logger.error(`${functionName}: ${routeKey} returned a result API Gateway cannot use`, error);
        return problem(500, requestId, rawPath, 'the handler returned a malformed response');
      }
    })();
    logger.request?.({ method, path: rawPath, status: answer.statusCode, ms: Date.now() - started, routeKey });
    return answer;
  }

  return {
    routes,
    dispatch,
    async preload(): Promise<void> {
      await Promise.all(modules.map((module) => handlerOf(module)));
    },
  };
}

// ---------------------------------------------------------------------------------------
// Routes

function compileRoutes(modules: readonly HttpModuleManifest[]): AdapterRoute[] {
  const seen = new Map<string, string>();
  const routes: AdapterRoute[] = [];
  for (const module of modules) {
    for (const spec of module.routes) {
      const routeKey = routeKeyOf(spec);
      const other = seen.get(routeKey);
      // API Gateway refuses a duplicate route key at deploy; refuse it here at start.
      if (other !== undefined) throw new Error(`route ${routeKey} is declared by both ${other} and ${module.name}`);
      seen.set(routeKey, module.name);
      routes.push({ module, spec, routeKey, segments: parseTemplate(spec.path) });
    }
  }
  return routes;
}

function parseTemplate(path: string): PathSegment[] {
  return path
    .split('/')
    .slice(1)
    .map((part): PathSegment => {
      const greedy = /^\{([A-Za-z0-9_]+)\+\}$/.exec(part);
      if (greedy?.[1] !== undefined) return { kind: 'greedy', name: greedy[1] };
      const param = /^\{([A-Za-z0-9_]+)\}$/.exec(part);
      if (param?.[1] !== undefined) return { kind: 'param', name: param[1] };
      return { kind: 'literal', value: part };
    });
}

type RouteMatch =
  | { readonly kind: 'route'; readonly route: AdapterRoute; readonly pathParameters: Record<string, string> | undefined }
  | { readonly kind: 'method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'bad-path'; readonly detail: string };

/** Literal beats `{param}` beats `{proxy+}`, segment by segment: API Gateway's "most specific". */
const rank = { literal: 0, param: 1, greedy: 2 } as const;

function matchRoute(routes: readonly AdapterRoute[], method: string, rawPath: string): RouteMatch {
  const parts = rawPath.split('/').slice(1);
  const candidates: Array<{ route: AdapterRoute; raw: Record<string, string> }> = [];
  for (const route of routes) {
    const raw = matchSegments(route.segments, parts);
    if (raw !== undefined) candidates.push({ route, raw });
  }
  if (candidates.length === 0) return { kind: 'none' };
  // `ANY` takes every method (API Gateway's catch-all); a route of the method itself wins over it.
  const forMethod = candidates.filter((candidate) => candidate.route.spec.method === method || candidate.route.spec.method === 'ANY');
  if (forMethod.length === 0) {
    return { kind: 'method', allowed: [...new Set(candidates.map((candidate) => candidate.route.spec.method))].sort() };
  }
  forMethod.sort((a, b) => compareSpecificity(a.route.segments, b.route.segments) || Number(a.route.spec.method === 'ANY') - Number(b.route.spec.method === 'ANY'));
  const best = forMethod[0]!;
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(best.raw)) {
    try {
      decoded[name] = decodeURIComponent(value);
    } catch (error) {
      return { kind: 'bad-path', detail: `path parameter ${name} is not valid percent-encoding: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { kind: 'route', route: best.route, pathParameters: Object.keys(decoded).length === 0 ? undefined : decoded };
}

function matchSegments(segments: readonly PathSegment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i]!;
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i).join('/');
      if (rest === '') return undefined;
      params[segment.name] = rest;
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.value) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = part;
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function compareSpecificity(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const diff = rank[a[i]!.kind] - rank[b[i]!.kind];
    if (diff !== 0) return diff;
  }
  return b.length - a.length;
}

// ---------------------------------------------------------------------------------------
// Event

function toBuffer(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** Lower-case names; duplicates joined with a comma, as payload 2.0 does. */
function collectHeaders(input: AdapterRequest['headers']): Record<string, string> {
  const pairs: Array<readonly [string, string]> = [];
  if (input === undefined) {
    // nothing
  } else if (Array.isArray(input)) {
    pairs.push(...(input as ReadonlyArray<readonly [string, string]>));
  } else {
    for (const [name, value] of Object.entries(input as Readonly<Record<string, string | readonly string[]>>)) {
      if (typeof value === 'string') pairs.push([name, value]);
      else for (const one of value) pairs.push([name, one]);
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    headers[key] = headers[key] === undefined ? value : `${headers[key]},${value}`;
  }
  return headers;
}

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  // API Gateway's JWT authorizer takes the token with or without the "Bearer " prefix.
  const token = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
  return token === '' ? undefined : token;
}

/**
 * Claims as API Gateway hands them over: every value a string; arrays flattened to
 * `[a b]` (which functions/shared/auth.ts parses back into groups).
 */
export function claimsAsApiGateway(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) claims[name] = `[${value.map((item) => String(item)).join(' ')}]`;
    else if (typeof value === 'object') claims[name] = JSON.stringify(value);
    else claims[name] = String(value);
  }
  return claims;
}

function scopesOf(payload: JWTPayload): string[] | null {
  const scope = payload['scope'];
  return typeof scope === 'string' && scope.trim() !== '' ? scope.trim().split(/\s+/) : null;
}

/**
 * Media types API Gateway HTTP API passes as text; anything else (images, multipart, forms,
 * a missing content-type) reaches Lambda base64-encoded with `isBase64Encoded: true`.
 */
function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript'
  );
}

interface EventInput {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly route: AdapterRoute;
  readonly pathParameters: Record<string, string> | undefined;
  readonly authorizer: APIGatewayEventRequestContextJWTAuthorizer | undefined;
  readonly requestId: string;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly accountId: string;
  readonly started: number;
}

function buildEvent(input: EventInput): APIGatewayProxyEventV2WithJWTAuthorizer {
  const { cookie, ...otherHeaders } = input.headers;
  const headers: Record<string, string> = {
    ...otherHeaders,
    'x-forwarded-for': otherHeaders['x-forwarded-for'] === undefined ? input.sourceIp : `${otherHeaders['x-forwarded-for']},${input.sourceIp}`,
    'x-forwarded-proto': 'http',
    'x-forwarded-port': portOf(otherHeaders['host']),
    'x-amzn-trace-id': `Root=1-${Math.floor(input.started / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
  };
  if (input.body.length > 0) headers['content-length'] = String(input.body.length);
  const cookies = cookie === undefined ? undefined : cookie.split(/;\s*|,/).map((one) => one.trim()).filter((one) => one !== '');
  const queryStringParameters = parseQuery(input.rawQueryString);
  const domainName = (otherHeaders['host'] ?? '127.0.0.1').split(':')[0]!;
  const text = isTextContentType(otherHeaders['content-type']);
  const requestContext = {
    accountId: input.accountId,
    apiId: 'local',
    domainName,
    domainPrefix: domainName.split('.')[0]!,
    http: {
      method: input.method,
      path: input.rawPath,
      protocol: input.protocol,
      sourceIp: input.sourceIp,
      userAgent: otherHeaders['user-agent'] ?? '',
    },
    requestId: input.requestId,
    routeKey: input.route.routeKey,
    stage: '$default',
    time: clfTime(new Date(input.started)),
    timeEpoch: input.started,
    ...(input.authorizer === undefined ? {} : { authorizer: input.authorizer }),
  };
  const event: APIGatewayProxyEventV2WithJWTAuthorizer = {
    version: '2.0',
    routeKey: input.route.routeKey,
    rawPath: input.rawPath,
    rawQueryString: input.rawQueryString,
    ...(cookies === undefined || cookies.length === 0 ? {} : { cookies }),
    headers,
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    // A public route gets no authorizer at all, as in AWS, though the one handler type
    // (JWT authorizer) says it is always there.
    requestContext: requestContext as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(input.pathParameters === undefined ? {} : { pathParameters: input.pathParameters }),
    ...(input.body.length === 0 ? {} : { body: text ? input.body.toString('utf8') : input.body.toString('base64') }),
    isBase64Encoded: input.body.length > 0 && !text,
  };
  return event;
}

function portOf(host: string | undefined): string {
  const port = host?.split(':')[1];
  return port === undefined || port === '' ? '80' : port;
}

/**
 * Duplicates joined with a comma; names and values decoded as API Gateway decodes them:
 * percent-escapes, and `+` as a space (so an unescaped `+08:00` arrives as ` 08:00`, in AWS
 * too — clients must send `%2B`).
 */
function parseQuery(raw: string): Record<string, string> | undefined {
  if (raw === '') return undefined;
  const params: Record<string, string> = {};
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = safeDecode(at === -1 ? pair : pair.slice(0, at));
    const value = safeDecode(at === -1 ? '' : pair.slice(at + 1));
    params[name] = params[name] === undefined ? value : `${params[name]},${value}`;
  }
  return Object.keys(params).length === 0 ? undefined : params;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    // A malformed escape in a query value reaches the handler as sent, not as a gateway error.
    return value;
  }
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** `12/Mar/2020:19:03:58 +0000`, the format of requestContext.time. */
function clfTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

// ---------------------------------------------------------------------------------------
// Lambda

function lambdaContext(input: {
  functionName: string;
  region: string;
  accountId: string;
  memoryLimitInMB: string;
  deadline: number;
}): Context {
  const awsRequestId = randomUUID();
  const unsupported = (name: string) => (): never => {
    throw new Error(`context.${name}() is the deprecated Node 0.10 API; return a promise instead`);
  };
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: input.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${input.region}:${input.accountId}:function:${input.functionName}`,
    memoryLimitInMB: input.memoryLimitInMB,
    awsRequestId,
    logGroupName: `/aws/lambda/${input.functionName}`,
    logStreamName: `${today}/[$LATEST]${awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, input.deadline - Date.now()),
    done: unsupported('done'),
    fail: unsupported('fail'),
    succeed: unsupported('succeed'),
  };
}

class IntegrationTimeoutError extends Error {
  override readonly name = 'IntegrationTimeoutError';
}

async function invokeWithTimeout(
  handler: HttpHandler,
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
  timeoutMs: number,
): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const invocation = new Promise<unknown>((resolveInvoke, reject) => {
    const callback = (error?: unknown, result?: unknown): void => (error ? reject(error) : resolveInvoke(result));
    const returned = handler(event, context, callback);
    if (returned !== null && typeof returned === 'object' && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then(resolveInvoke, reject);
    }
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IntegrationTimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([invocation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function importHandler(module: HttpModuleManifest, entryPath: string): Promise<HttpHandler> {
  let imported: Record<string, unknown>;
  try {
    imported = (await import(pathToFileURL(entryPath).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot import ${module.entry} (module ${module.name})`, { cause: error });
  }
  const handler = imported['handler'];
  if (typeof handler !== 'function') throw new Error(`${module.entry} does not export a function named handler`);
  return handler as HttpHandler;
}

/**
 * Payload 2.0 response rules: an object with `statusCode` is a structured result; any other
 * value is a 200 `application/json` answer whose body is the value (a string as is, other
 * JSON serialised).
 */
function fromLambdaResult(result: unknown, requestId: string): AdapterResponse {
  const gatewayHeaders = { 'apigw-requestid': requestId };
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const structured = result as APIGatewayProxyStructuredResultV2 & { cookies?: unknown };
    if (typeof structured.statusCode !== 'number' || !Number.isInteger(structured.statusCode) || structured.statusCode < 100 || structured.statusCode > 599) {
      throw new TypeError(`statusCode must be an integer HTTP status, got ${JSON.stringify(structured.statusCode)}`);
    }
    if (structured.body !== undefined && structured.body !== null && typeof structured.body !== 'string') {
      throw new TypeError(`body must be a string, got ${typeof structured.body}`);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(structured.headers ?? {})) headers[name.toLowerCase()] = String(value);
    const cookies = Array.isArray(structured.cookies) ? structured.cookies.map((cookie) => String(cookie)) : [];
    const body = structured.body ?? '';
    return {
      statusCode: structured.statusCode,
      headers: { ...headers, ...gatewayHeaders },
      cookies,
      body: structured.isBase64Encoded === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8'),
    };
  }
  const body = typeof result === 'string' ? result : result === undefined ? '' : JSON.stringify(result);
  return { statusCode: 200, headers: { 'content-type': 'application/json', ...gatewayHeaders }, cookies: [], body: Buffer.from(body, 'utf8') };
}

const consoleLogger: AdapterLogger = {
  error(message, error) {
    console.error(`[xiuhua-local] ${message}`, error);
  },
};

/**
 * API Gateway's per-route throttle as it documents it: a token bucket per route holding
 * `burstLimit` tokens, refilled at `rateLimit` per second; a request without a token is a
 * 429 before the integration runs. `XIUHUA_RATE_LIMITS=off` (the bulk test suites) skips it.
 */
export class RouteThrottles {
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  /** Takes a token for `spec` at `nowMs`; the refusal's detail when there is none. */
  take(spec: RouteSpec, nowMs: number): string | undefined {
    const throttle = spec.throttle;
    if (throttle === undefined || process.env['XIUHUA_RATE_LIMITS'] === 'off') return undefined;
    const key = routeKeyOf(spec);
    const bucket = this.#buckets.get(key) ?? { tokens: throttle.burstLimit, atMs: nowMs };
    bucket.tokens = Math.min(throttle.burstLimit, bucket.tokens + ((nowMs - bucket.atMs) / 1000) * throttle.rateLimit);
    bucket.atMs = nowMs;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < 1) return `${key} is throttled at ${throttle.rateLimit} requests per second (bursts of ${throttle.burstLimit}) for all clients; retry in a moment`;
    bucket.tokens -= 1;
    return undefined;
  }
}
