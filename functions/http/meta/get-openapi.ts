import { openApiDocument } from '../../shared/openapi';
import { ok, route } from '../../shared/http';
import { httpModules } from '../manifest';
import { openApiRoute } from './routes';

let document: Record<string, unknown> | undefined;

/** Generated on first request, not at import, to keep the cold start small. */
export const getOpenApiHandler = route(openApiRoute, async () => {
  document ??= openApiDocument(httpModules);
  return ok(document);
});
