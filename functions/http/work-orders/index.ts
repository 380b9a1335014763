import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/contracts/{contractId}/work-orders', async () => (await import('./create-work-order')).createWorkOrderHandler),
  lazyRoute('GET /v1/contracts/{contractId}/work-orders', async () => (await import('./list-work-orders')).listWorkOrdersHandler),
  lazyRoute('GET /v1/work-orders/{workOrderId}', async () => (await import('./get-work-order')).getWorkOrderHandler),
  lazyRoute('POST /v1/work-orders/{workOrderId}/uploads', async () => (await import('./request-work-order-upload')).requestWorkOrderUploadHandler),
  lazyRoute('POST /v1/work-orders/{workOrderId}/completion', async () => (await import('./complete-work-order')).completeWorkOrderHandler),
  lazyRoute('POST /v1/work-orders/{workOrderId}/acceptance', async () => (await import('./accept-work-order')).acceptWorkOrderHandler),
  lazyRoute('POST /v1/work-orders/{workOrderId}/rejection', async () => (await import('./reject-work-order')).rejectWorkOrderHandler),
];

/** The work-orders Lambda: unit-rate work orders (工单) from creation to acceptance. */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
