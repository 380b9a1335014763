import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/complaints', async () => (await import('./list-complaints')).listComplaintsHandler),
  lazyRoute('GET /v1/complaints/{complaintId}', async () => (await import('./get-complaint')).getComplaintHandler),
  lazyRoute('POST /v1/complaints/{complaintId}/verification', async () => (await import('./verify-complaint')).verifyComplaintHandler),
  lazyRoute('POST /v1/complaints/{complaintId}/assignment', async () => (await import('./assign-complaint')).assignComplaintHandler),
  lazyRoute('POST /v1/complaints/{complaintId}/routing', async () => (await import('./retry-routing')).retryRoutingHandler),
];

/** The complaints Lambda: the internal /v1/complaints routes (queue, assignment, verification). */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
