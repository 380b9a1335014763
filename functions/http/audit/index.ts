import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/audit/entities/{entity}/{entityId}', async () => (await import('./list-entity-audit')).listEntityAuditHandler),
  lazyRoute('GET /v1/audit', async () => (await import('./list-tenant-audit')).listTenantAuditHandler),
];

/** The audit Lambda: GET /v1/audit and GET /v1/audit/entities/{entity}/{entityId} (issue 8). */
export const handler = lazyHttpModule(routes);
