import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/tenders', async () => (await import('./create-tender')).createTenderHandler),
  lazyRoute('GET /v1/tenders', async () => (await import('./list-tenders')).listTendersHandler),
  lazyRoute('GET /v1/tenders/{tenderId}', async () => (await import('./get-tender')).getTenderHandler),
  lazyRoute('POST /v1/tenders/{tenderId}/bids', async () => (await import('./record-bid')).recordBidHandler),
  lazyRoute('GET /v1/tenders/{tenderId}/bids', async () => (await import('./list-bids')).listBidsHandler),
  lazyRoute('POST /v1/tenders/{tenderId}/close', async () => (await import('./close-tender')).closeTenderHandler),
  lazyRoute('POST /v1/tenders/{tenderId}/lots/{lotId}/evaluation', async () => (await import('./evaluate-lot')).evaluateLotHandler),
  lazyRoute('GET /v1/tenders/{tenderId}/lots/{lotId}/evaluation', async () => (await import('./get-lot-evaluation')).getLotEvaluationHandler),
  lazyRoute('POST /v1/tenders/{tenderId}/lots/{lotId}/award', async () => (await import('./award-lot')).awardLotHandler),
];

/** The tenders Lambda: every /v1/tenders route (tenders, bids, evaluation, award). */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
