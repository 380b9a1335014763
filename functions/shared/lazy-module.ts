import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { BoundRoute, IdempotencyRunner } from './http';
import { routeKeyOf } from './route';

/**
 * Cold start (issue 16): a module's Lambda entry holds only this table of route keys and
 * loaders. The middy stack (functions/shared/http.ts), a route's zod schemas, its use case,
 * its adapters and their SDK clients are imported by the route's first request, each from a
 * chunk of its own (esbuild code splitting, infra/constructs/lambda.ts), so a cold container
 * parses and builds only what the route it serves needs: a proof submission never loads the
 * statement code, a read never loads Powertools idempotency, and nothing loads the S3 client
 * but the routes that sign or read objects.
 *
 * The key is written beside its loader because reading it from the spec would load the spec's
 * schemas; a unit test (test/unit/functions/http/lazy-modules.test.ts) checks every table
 * against the manifest, and a loaded route whose key differs is refused at its first request.
 */
export interface LazyRoute {
  /** API Gateway route key, e.g. `POST /v1/inspections`: what `routeKeyOf(spec)` gives. */
  readonly routeKey: string;
  readonly load: () => Promise<BoundRoute>;
}

type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** A route of a lazily built module: its key, and how to import its implementation. */
export function lazyRoute(routeKey: string, load: () => Promise<BoundRoute>): LazyRoute {
  return { routeKey, load };
}

export interface LazyModuleOptions {
  /** Imported by the first idempotent request only (functions/shared/idempotency.ts). */
  readonly idempotency?: () => Promise<IdempotencyRunner>;
}

/**
 * The Lambda handler of one HTTP module, built route by route: the first request of a route
 * imports it and builds its middy stack (the same `httpModule` every module used before,
 * holding that one route); later requests reuse it. A route key outside the table gets the
 * stack's own 404 from a module of no routes.
 */
export function lazyHttpModule(routes: readonly LazyRoute[], options: LazyModuleOptions = {}): Handler {
  const byKey = new Map(routes.map((entry) => [entry.routeKey, entry]));
  if (byKey.size !== routes.length) throw new Error('a route key is listed twice');
  const built = new Map<string, Promise<Handler>>();

  async function build(routeKey: string): Promise<Handler> {
    const { httpModule } = await import('./http');
    const entry = byKey.get(routeKey);
    if (entry === undefined) return httpModule([]);
    const bound = await entry.load();
    if (routeKeyOf(bound.spec) !== routeKey) {
      throw new Error(`the route listed as ${routeKey} loads ${routeKeyOf(bound.spec)}`);
    }
    const idempotency = bound.spec.idempotent === true && options.idempotency !== undefined ? await options.idempotency() : undefined;
    // httpModule refuses an idempotent route without a runner, as it did for a whole module.
    return httpModule([bound], idempotency === undefined ? {} : { idempotency });
  }

  return async (event, context) => {
    const routeKey = byKey.has(event.routeKey) ? event.routeKey : '';
    let handler = built.get(routeKey);
    if (handler === undefined) {
      handler = build(routeKey);
      built.set(routeKey, handler);
      // A failed import is not cached: the next request tries again.
      handler.catch(() => built.delete(routeKey));
    }
    return (await handler)(event, context);
  };
}
