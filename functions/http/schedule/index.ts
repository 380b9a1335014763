import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('POST /v1/standards', async () => (await import('./create-standard')).createStandardHandler),
  lazyRoute('GET /v1/standards', async () => (await import('./list-standards')).listStandardsHandler),
  lazyRoute('GET /v1/standards/{standardId}', async () => (await import('./get-standard')).getStandardHandler),
  lazyRoute('POST /v1/standards/{standardId}/versions', async () => (await import('./amend-standard')).amendStandardHandler),
  lazyRoute('POST /v1/schedule-exceptions', async () => (await import('./create-exception')).createExceptionHandler),
  lazyRoute('GET /v1/schedule-exceptions', async () => (await import('./list-exceptions')).listExceptionsHandler),
  lazyRoute('POST /v1/schedule-exceptions/{exceptionId}/withdraw', async () => (await import('./withdraw-exception')).withdrawExceptionHandler),
  lazyRoute('GET /v1/calendar', async () => (await import('./get-calendar')).getCalendarHandler),
  lazyRoute('PUT /v1/calendar/{year}', async () => (await import('./put-calendar')).putCalendarHandler),
];

/** The schedule Lambda: standards, schedule exceptions and the tenant calendar. */
export const handler = lazyHttpModule(routes, {
  idempotency: async () => (await import('../../shared/idempotency')).runIdempotently,
});
