import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/notices', async () => (await import('./list-notices')).listNoticesHandler),
];

/** The notices Lambda: GET /v1/notices. */
export const handler = lazyHttpModule(routes);
