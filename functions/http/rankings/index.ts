import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/rankings', async () => (await import('./get-rankings')).getRankingsHandler),
];

/** The rankings Lambda: GET /v1/rankings. */
export const handler = lazyHttpModule(routes);
