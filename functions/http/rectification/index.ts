import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/rectification-orders', async () => (await import('./list-rectification-orders')).listRectificationOrdersHandler),
  lazyRoute('GET /v1/rectification-orders/{orderId}', async () => (await import('./get-rectification-order')).getRectificationOrderHandler),
  lazyRoute('POST /v1/rectification-orders/{orderId}/uploads', async () => (await import('./request-rectification-upload')).requestRectificationUploadHandler),
  lazyRoute('POST /v1/rectification-orders/{orderId}/answers', async () => (await import('./answer-rectification-order')).answerRectificationOrderHandler),
  lazyRoute('POST /v1/rectification-orders/{orderId}/acceptance', async () => (await import('./accept-rectification-order')).acceptRectificationOrderHandler),
  lazyRoute('POST /v1/rectification-orders/{orderId}/reopening', async () => (await import('./reopen-rectification-order')).reopenRectificationOrderHandler),
];

/** The rectification Lambda: orders (整改通知书) read, photographed, answered and reviewed (issue 6). */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
