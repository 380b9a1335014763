import * as z from 'zod';
import type { RouteSpec } from '../../shared/route';

export const getTenantRoute = {
  operationId: 'getTenant',
  method: 'GET',
  path: '/v1/tenant',
  summary: "The caller's own district: its id, name (the 单位 a printed 结算单 names) and zone",
  description: "Every signed-in role of the tenant; the tenant is the token's (`custom:tenant`), so there is no other to ask for. Nothing but these three fields of the tenant's settings is shown.",
  tags: ['tenant'],
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'tenant:read' },
  success: {
    status: 200,
    description: 'the district',
    schema: z
      .object({
        tenantId: z.string().describe('e.g. demo-jingan'),
        name: z.string().describe("the authority's name, e.g. 静安区城市管理局"),
        zone: z.string().describe('IANA zone of every local time of the tenant, e.g. Asia/Shanghai'),
      })
      .meta({ id: 'TenantProfile' }),
  },
  problems: [401, 403, 404],
} as const satisfies RouteSpec;

export const tenantRoutes: readonly RouteSpec[] = [getTenantRoute];
