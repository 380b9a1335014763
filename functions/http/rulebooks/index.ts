import { lazyHttpModule, lazyRoute, type LazyRoute } from '../../shared/lazy-module';

/** Every route of the module, imported by its first request (functions/shared/lazy-module.ts). */
export const routes: readonly LazyRoute[] = [
  lazyRoute('GET /v1/rulebook-templates', async () => (await import('./list-rulebook-templates')).listRulebookTemplatesHandler),
  lazyRoute('GET /v1/rulebook-templates/{templateId}', async () => (await import('./get-rulebook-template')).getRulebookTemplateHandler),
  lazyRoute('POST /v1/rulebooks/validate', async () => (await import('./validate-rulebook')).validateRulebookHandler),
];

/** The rulebooks Lambda: shipped templates and the dry-run check; it touches no table. */
export const handler = lazyHttpModule(routes);
