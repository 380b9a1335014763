import * as z from 'zod';
import type { RouteSpec } from '../../shared/route';

export const openApiRoute = {
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/v1/openapi.json',
  summary: 'This API as an OpenAPI 3.1 document, generated from the route schemas',
  tags: ['meta'],
  auth: 'public',
  authz: { scope: 'public' },
  success: { status: 200, description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) },
  problems: [],
} as const satisfies RouteSpec;

export const metaRoutes: readonly RouteSpec[] = [openApiRoute];
