import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [lazyRoute('GET /v1/tenant', async () => (await import('./get-tenant')).getTenantHandler)];

/** The tenant Lambda (issue 15): GET /v1/tenant, the caller's district by name. */
export const handler = lazyHttpModule(routes);
