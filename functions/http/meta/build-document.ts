import { openApiDocument } from '../../shared/openapi';
import { httpModules } from '../manifest';

/**
 * The OpenAPI document built from every module's route specs. A deployed meta Lambda never
 * runs this: its bundle carries the document built when the bundle was built
 * (./prebuilt.ts); the local stack and the tests, which run the sources, build it here.
 */
export function buildOpenApiDocument(): Record<string, unknown> {
  return openApiDocument(httpModules);
}
