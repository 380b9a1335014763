import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/spot-checks/{month}/commit', async () => (await import('./commit-spot-check')).commitSpotCheckHandler),
  lazyRoute('POST /v1/spot-checks/{month}/reveal', async () => (await import('./reveal-spot-check')).revealSpotCheckHandler),
  lazyRoute('GET /v1/spot-checks/{month}', async () => (await import('./get-spot-check')).getSpotCheckHandler),
];

/** The spot-checks Lambda: commit, reveal and read the monthly verifiable draws. */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
