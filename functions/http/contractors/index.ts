import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/contractors', async () => (await import('./register-contractor')).registerContractorHandler),
  lazyRoute('GET /v1/contractors/{contractorId}', async () => (await import('./get-contractor')).getContractorHandler),
  lazyRoute('GET /v1/contractors', async () => (await import('./list-contractors')).listContractorsHandler),
  lazyRoute('PATCH /v1/contractors/{contractorId}', async () => (await import('./update-contractor')).updateContractorHandler),
  lazyRoute('POST /v1/contractors/{contractorId}/suspend', async () => (await import('./suspend-contractor')).suspendContractorHandler),
  lazyRoute('POST /v1/contractors/{contractorId}/reinstate', async () => (await import('./reinstate-contractor')).reinstateContractorHandler),
  lazyRoute('PUT /v1/contractors/{contractorId}/listing', async () => (await import('./set-contractor-listing')).setContractorListingHandler),
  lazyRoute('GET /v1/contractors/{contractorId}/history', async () => (await import('./list-contractor-history')).listContractorHistoryHandler),
];

/** The contractors Lambda: every /v1/contractors route. */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
