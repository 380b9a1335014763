import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/segments', async () => (await import('./create-segment')).createSegmentHandler),
  lazyRoute('GET /v1/segments/{segmentId}', async () => (await import('./get-segment')).getSegmentHandler),
  lazyRoute('GET /v1/segments', async () => (await import('./list-segments')).listSegmentsHandler),
  lazyRoute('PATCH /v1/segments/{segmentId}', async () => (await import('./update-segment')).updateSegmentHandler),
  lazyRoute('POST /v1/segments/{segmentId}/retire', async () => (await import('./retire-segment')).retireSegmentHandler),
  lazyRoute('GET /v1/segments/{segmentId}/history', async () => (await import('./list-segment-history')).listSegmentHistoryHandler),
  lazyRoute('POST /v1/segments/imports', async () => (await import('./import-segments')).importSegmentsHandler),
];

/** The segments Lambda: every /v1/segments route. */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
