import * as z from 'zod';
import { ListNoticesQuery, noticeKinds } from '../../../domain/payments/standings';
import { ServiceType } from '../../../domain/service-types';
import type { RouteSpec } from '../../shared/route';

export const RankingNoticeView = z
  .object({
    tenantId: z.string(),
    noticeId: z.string(),
    kind: z.enum(noticeKinds),
    period: z.string().describe('YYYY-MM, or YYYY-Qn for a termination review'),
    contractId: z.string(),
    contractorId: z.string(),
    serviceType: ServiceType,
    reason: z.string(),
    raisedAt: z.string(),
  })
  .meta({ id: 'RankingNotice', description: 'a warning, black-list entry or termination review raised by the monthly close' });

export const listNoticesRoute = {
  operationId: 'listNotices',
  method: 'GET',
  path: '/v1/notices',
  summary: 'Warnings, black-list entries and termination reviews raised to procurement by the monthly close',
  tags: ['notices'],
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'notice:read' },
  query: ListNoticesQuery,
  success: { status: 200, description: 'one page, newest period first', schema: z.object({ items: z.array(RankingNoticeView), nextCursor: z.string().optional() }).meta({ id: 'RankingNoticePage' }) },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const noticeRoutes: readonly RouteSpec[] = [listNoticesRoute];
