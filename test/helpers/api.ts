import { randomUUID } from 'node:crypto';
import type { Role } from '../../domain/policy';
import { devToken, type DevTokenInput } from '../../infra/local/dev-auth';
import {
  createHttpAdapter,
  serveHttp,
  type AdapterResponse,
  type HttpAdapter,
  type HttpAdapterOptions,
  type RunningHttpServer,
} from '../../infra/local/http-adapter';
import { localStack } from './local-stack';

/**
 * An in-process client of the local API for integration tests: each call goes through the
 * HTTP adapter's dispatch — the same request → API Gateway v2 event → handler → answer path
 * `npm start` serves — without a socket. `serve()` puts the same adapter on a real port.
 *
 *   import { api, tokenFor, uniqueTenantId } from '../helpers/api';
 *   const tenantId = uniqueTenantId('seg');
 *   const token = await tokenFor('procurement', { tenantId });
 *   const res = await api.request('GET', '/v1/segments?limit=5', { token });
 *   expect(res.status).toBe(200);
 */

export interface ApiRequestOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** An object is sent as JSON (with a JSON content type); a string or Buffer as is. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The client's address as API Gateway sees it (requestContext.http.sourceIp); 127.0.0.1 by default. */
  readonly sourceIp?: string;
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly cookies: readonly string[];
  readonly text: string;
  /**
   * The body parsed as JSON when the answer says it is JSON or problem+json and parses;
   * otherwise undefined (API Gateway passes a handler's bare string on as "JSON" too).
   */
  readonly json: T;
  readonly raw: AdapterResponse;
}

export interface ApiClient {
  readonly adapter: HttpAdapter;
  request<T = unknown>(method: string, path: string, options?: ApiRequestOptions): Promise<ApiResponse<T>>;
  /** The same adapter on a real loopback socket (port 0 = a free one); close it after. */
  serve(port?: number): Promise<RunningHttpServer>;
}

/**
 * A client on an adapter of its own: the real manifest by default, or `options.modules`
 * (a fake module, say). The run's local stack environment is applied before any handler
 * module is imported.
 */
export function createApiClient(options: HttpAdapterOptions = {}): ApiClient {
  const adapter = createHttpAdapter({
    ...options,
    env: {
      // Handlers log every refused request at INFO; keep test output to what matters.
      POWERTOOLS_LOG_LEVEL: process.env['POWERTOOLS_LOG_LEVEL'] ?? 'WARN',
      ...localStack().env,
      ...options.env,
    },
  });
  return {
    adapter,
    async request<T>(method: string, path: string, requestOptions: ApiRequestOptions = {}): Promise<ApiResponse<T>> {
      const headers: Record<string, string> = { 'user-agent': 'xiuhua-tests' };
      let body: Buffer | string | undefined;
      const given = requestOptions.body;
      if (given !== undefined) {
        if (typeof given === 'string' || Buffer.isBuffer(given)) {
          body = given;
        } else {
          body = JSON.stringify(given);
          headers['content-type'] = 'application/json';
        }
      }
      if (requestOptions.token !== undefined) headers['authorization'] = `Bearer ${requestOptions.token}`;
      Object.assign(headers, requestOptions.headers);
      const raw = await adapter.dispatch({
        method,
        url: path,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(requestOptions.sourceIp === undefined ? {} : { sourceIp: requestOptions.sourceIp }),
      });
      return toApiResponse<T>(raw);
    },
    serve(port = 0) {
      return serveHttp(adapter.dispatch, { port });
    },
  };
}

function toApiResponse<T>(raw: AdapterResponse): ApiResponse<T> {
  const text = raw.body.toString('utf8');
  const type = raw.headers['content-type'] ?? '';
  let json: unknown;
  if (/json/i.test(type) && text !== '') {
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      // Not JSON after all: the test sees `text` and an undefined `json`, and says so itself.
      json = undefined;
    }
  }
  return { status: raw.statusCode, headers: raw.headers, cookies: raw.cookies, text, json: json as T, raw };
}

let shared: ApiClient | undefined;

/** The shared client on the real manifest (segments, meta, ...), created at first use. */
export const api: Pick<ApiClient, 'request' | 'serve'> = {
  request: (method, path, options) => (shared ??= createApiClient()).request(method, path, options),
  serve: (port) => (shared ??= createApiClient()).serve(port),
};

/** A tenant id no other test uses (tests share one DynamoDB Local per run). */
export function uniqueTenantId(label = 't'): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9-]/g, '').slice(0, 16) || 't';
  return `${clean}-${randomUUID().slice(0, 8)}`;
}

/** A dev token for one role (or several) of a tenant, as the local stack's users carry. */
export function tokenFor(
  roleOrRoles: Role | readonly Role[],
  claims: { readonly tenantId: string } & Omit<DevTokenInput, 'role' | 'roles' | 'tenantId'>,
): Promise<string> {
  return devToken({ ...claims, ...(typeof roleOrRoles === 'string' ? { role: roleOrRoles } : { roles: roleOrRoles }) });
}
