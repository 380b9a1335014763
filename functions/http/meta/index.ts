import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/openapi.json', async () => (await import('./get-openapi')).getOpenApiHandler),
];

/** The meta Lambda: the OpenAPI document. */
export const handler = lazyHttpModule(routes);
