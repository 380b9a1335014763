import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/contracts/{contractId}/statements/{month}/exports', async () => (await import('./export-statement')).exportStatementHandler),
  lazyRoute('GET /v1/contracts/{contractId}/statements/{month}/exports/{jobId}', async () => (await import('./get-export-job')).getExportJobHandler),
  lazyRoute('GET /v1/performance-failures', async () => (await import('./list-performance-failures')).listPerformanceFailuresHandler),
];

/**
 * The exports Lambda: statement export jobs (XLSX, CSV; written by the export worker, issue 16)
 * and the OCDS performance failures.
 */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
