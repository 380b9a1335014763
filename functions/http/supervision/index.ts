import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/supervision/performance', async () => (await import('./get-performance')).getPerformanceHandler),
  lazyRoute('GET /v1/supervision/{month}/segments', async () => (await import('./get-segment-month')).getSegmentMonthHandler),
];

/** The supervision Lambda (issue 15): GET /v1/supervision/performance and GET /v1/supervision/{month}/segments. */
export const handler = lazyHttpModule(routes);
