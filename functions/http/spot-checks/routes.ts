import { SpotCheckDrawView, SpotCheckParams, SpotCheckQuery, SpotCheckRequest } from '../../../domain/spot-checks/schema';
import type { RouteSpec } from '../../shared/route';

const tags = ['spot-checks'] as const;

export const commitSpotCheckRoute = {
  operationId: 'commitSpotCheck',
  method: 'POST',
  path: '/v1/spot-checks/{month}/commit',
  summary: "Publish sha-256 of a fresh secret seed for a month's draw, before the month starts (inspector; a repeat answers the stored commitment)",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'spotcheck:draw' },
  params: SpotCheckParams,
  body: SpotCheckRequest,
  idempotent: true,
  success: { status: 201, description: 'the committed draw: commitment and candidates, no seed', schema: SpotCheckDrawView },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const revealSpotCheckRoute = {
  operationId: 'revealSpotCheck',
  method: 'POST',
  path: '/v1/spot-checks/{month}/reveal',
  summary: 'Publish the seed and the selection once the month has started (inspector; a repeat answers the stored draw)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'spotcheck:draw' },
  params: SpotCheckParams,
  body: SpotCheckRequest,
  idempotent: true,
  success: { status: 200, description: 'the revealed draw with its verification', schema: SpotCheckDrawView },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const getSpotCheckRoute = {
  operationId: 'getSpotCheck',
  method: 'GET',
  path: '/v1/spot-checks/{month}',
  summary: "A month's draw: commitment, candidates, and after the reveal the seed, the selection and a recomputation anyone can repeat",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'spotcheck:read' },
  params: SpotCheckParams,
  query: SpotCheckQuery,
  success: { status: 200, description: 'the draw', schema: SpotCheckDrawView },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const spotCheckRoutes: readonly RouteSpec[] = [commitSpotCheckRoute, revealSpotCheckRoute, getSpotCheckRoute];
