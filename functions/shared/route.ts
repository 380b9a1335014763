import type * as z from 'zod';
import type { Action } from '../../domain/policy';

/**
 * A route's contract: method, path, schemas, roles' needs and documented answers. Route
 * specs are data (no implementation), so the CDK app, the local HTTP adapter and the
 * OpenAPI generator all read the same list (functions/http/manifest.ts) without importing
 * handler code.
 */

/**
 * `ANY` is API Gateway's catch-all method: the route takes every method no other route of the
 * path takes (the Open311 module's `ANY /open311/{proxy+}` answers unknown paths, methods and
 * formats with the GeoReport error array). It is not an operation: the OpenAPI document skips it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';

export interface SuccessSpec {
  readonly status: 200 | 201 | 202 | 204;
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Media type when not JSON (e.g. Open311 XML, XLSX exports). */
  readonly contentType?: string;
}

export interface RouteSpec<
  TParams extends z.ZodType = z.ZodType,
  TQuery extends z.ZodType = z.ZodType,
  TBody extends z.ZodType = z.ZodType,
> {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/segments/{segmentId}`. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  /** `jwt`: bearer token required (API Gateway JWT authorizer). `public`: no token. */
  readonly auth: 'jwt' | 'public';
  readonly params?: TParams;
  readonly query?: TQuery;
  readonly body?: TBody;
  /** The write needs `If-Match: <version>`; a missing header is 428, a stale one 412. */
  readonly ifMatch?: boolean;
  /** A POST that honours `Idempotency-Key` (DESIGN §6). */
  readonly idempotent?: boolean;
  /** Largest accepted body in bytes; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /**
   * `json` (default): the body must be JSON. `form`: `application/x-www-form-urlencoded` is
   * parsed to an object of strings before the body schema runs (Open311 GeoReport v2 POSTs
   * are form-encoded), and JSON is accepted too.
   */
  readonly bodyFormat?: 'json' | 'form';
  /**
   * `problem` (default): errors are RFC 9457 problem+json. `open311`: the same statuses with
   * the GeoReport v2 error array `[{ "code": 400, "description": "..." }]` as application/json.
   */
  readonly errorFormat?: 'problem' | 'open311';
  /**
   * API Gateway's throttle of this route for all callers together (requests per second and
   * burst), below the stage's: the CDK stack sets it as the stage's route setting, and the
   * local adapter applies the same token bucket (429 before any handler runs).
   */
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Each client's share (issue 13: public intake): at most `requests` per `perSeconds` from
   * one source address, counted in the main table after the input is valid (so a refused
   * request changes nothing) and before the use case runs; over it, 429 with Retry-After.
   */
  readonly clientLimit?: {
    readonly requests: number;
    readonly perSeconds: number;
    /** Routes sharing one count (the JSON and XML forms of one request); the route key when absent. */
    readonly group?: string;
  };
  readonly success: SuccessSpec;
  /** Problem statuses this route can answer, for the OpenAPI document. */
  readonly problems: readonly number[];
  /**
   * Which policy action the route's use case authorizes and which ownership check it applies
   * (issue 8): the authorization matrix (test/authz) derives its expectations from this, and
   * a unit test fails for a route without it. Optional only while modules are being added.
   */
  readonly authz?: RouteAuthz;
}

/**
 * A route's authorization as data (issue 8, DESIGN §4).
 * - `public`: no token, no action (Open311, the OpenAPI document).
 * - `tenant`: the action on the caller's tenant; the records belong to no one contractor.
 * - `own-contractor`: the action on a record (or a list) owned by one contractor; a contractor
 *   user reaches only its own contractor's, every other role the whole tenant's.
 */
export type RouteAuthz =
  | { readonly scope: 'public' }
  | {
      readonly scope: 'tenant' | 'own-contractor';
      readonly action: Action;
      /** Further actions the use case also authorizes (all must be granted). */
      readonly alsoRequires?: readonly Action[];
      /**
       * Another contractor's record answers 404, not 403: the use case hides its existence
       * (proofs, inspections, rectification orders).
       */
      readonly hidesExistence?: boolean;
    };

/** The API Gateway route key of a spec, e.g. `GET /v1/segments/{segmentId}`. */
export function routeKeyOf(spec: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${spec.method} ${spec.path}`;
}

/** A deployable unit: one Lambda serving several routes (STYLE: one Lambda per module). */
export interface HttpModuleManifest {
  /** Short name: the Lambda's logical id and log group suffix. */
  readonly name: string;
  /** Path of the module's entry, relative to the repository root (exports `handler`). */
  readonly entry: string;
  readonly routes: readonly RouteSpec[];
  /** Grants the module needs (least privilege in infra/stateless.ts). */
  readonly needs: {
    readonly mainTable: 'read' | 'readWrite' | 'none';
    readonly idempotencyTable: boolean;
    /**
     * The audit log (issue 8): `read` is Query on the table and its index (the audit module).
     * Every module that writes the main table also gets PutItem on it, and nothing else: the
     * entries ride in its transactions and are never updated or deleted.
     */
    readonly auditTable?: 'read';
    readonly proofsBucket?: 'read' | 'readWrite' | 'put';
    readonly exportsBucket?: 'read' | 'readWrite';
    /**
     * Queues statement export jobs (issue 16): PutItem on the job partitions of the main table
     * only (keys.ts `exportJobs`), and PutObject under `jobs/` of the exports bucket, whose
     * notification runs the export worker.
     */
    readonly exportJobs?: true;
  };
}
