import { httpModule } from '../../shared/http';
import { getOpenApiHandler } from './get-openapi';

/** The meta Lambda: the OpenAPI document. */
export const handler = httpModule([getOpenApiHandler]);
