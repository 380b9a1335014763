import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/contracts/{contractId}/statements/{month}/computations', async () => (await import('./compute-statement')).computeStatementHandler),
  lazyRoute('GET /v1/contracts/{contractId}/statements/{month}', async () => (await import('./get-statement')).getStatementHandler),
  lazyRoute('GET /v1/contracts/{contractId}/statements/{month}/versions', async () => (await import('./list-statement-versions')).listStatementVersionsHandler),
  lazyRoute('GET /v1/contracts/{contractId}/statements/{month}/diff', async () => (await import('./diff-statement')).diffStatementHandler),
  lazyRoute('GET /v1/contracts/{contractId}/statements/{month}/lines/{lineKey}', async () => (await import('./get-statement-line')).getStatementLineHandler),
  lazyRoute('POST /v1/contracts/{contractId}/statements/{month}/review', async () => (await import('./review-statement')).reviewStatementHandler),
  lazyRoute('POST /v1/contracts/{contractId}/statements/{month}/approval', async () => (await import('./approve-statement')).approveStatementHandler),
  lazyRoute('POST /v1/contracts/{contractId}/statements/{month}/payment', async () => (await import('./record-statement-payment')).recordStatementPaymentHandler),
  lazyRoute('GET /v1/statements', async () => (await import('./list-statements')).listStatementsHandler),
];

/** The statements Lambda (issue 7): compute, read, diff, expand, review, approve, pay. */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
