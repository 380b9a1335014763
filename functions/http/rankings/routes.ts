import * as z from 'zod';
import { RankingsQuery } from '../../../domain/payments/standings';
import { ServiceType } from '../../../domain/service-types';
import type { RouteSpec } from '../../shared/route';

const tags = ['rankings'] as const;

/** Names beside the ids (issue 15), read when answering; each absent when its record is not found. */
const names = {
  contractTitle: z.string().optional().describe("the contract's title (合同名称), read when answering"),
  contractorName: z.string().optional().describe("the contractor's registered name (作业单位名称), read when answering"),
};

const RankedRow = z.object({
  rank: z.number().int(),
  contractId: z.string(),
  contractorId: z.string(),
  ...names,
  scoreX100: z.number().int(),
  lateOrders: z.number().int(),
  months: z.number().int().describe('months behind the score (a quarter: 1–3)'),
  tieBreak: z.string().optional(),
});

const ListEntry = z.object({
  list: z.enum(['red', 'black', 'warning']),
  contractId: z.string(),
  contractorId: z.string(),
  ...names,
  serviceType: ServiceType,
  scoreX100: z.number().int(),
  consecutiveMonthsBelow: z.number().int(),
  reason: z.string(),
});

const TerminationReview = z.object({
  contractId: z.string(),
  contractorId: z.string(),
  ...names,
  serviceType: ServiceType,
  quarters: z.array(z.object({ quarter: z.string(), meanX100: z.number().int() })),
  reason: z.string(),
});

export const getRankingsRoute = {
  operationId: 'getRankings',
  method: 'GET',
  path: '/v1/rankings',
  summary: 'Ranking per service type of a month or a quarter (score, then fewer late orders, then contract id), red/black lists, warnings and termination reviews',
  description: 'From the current statement of every contract-month (drafts included: the close computes them on the 1st).',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'ranking:read' },
  query: RankingsQuery,
  success: {
    status: 200,
    description: 'the standings',
    schema: z
      .object({
        period: z.string(),
        rankings: z.array(z.object({ serviceType: ServiceType, period: z.string(), rows: z.array(RankedRow) })),
        lists: z.array(ListEntry),
        terminationReviews: z.array(TerminationReview),
      })
      .meta({ id: 'Standings' }),
  },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const rankingRoutes: readonly RouteSpec[] = [getRankingsRoute];
