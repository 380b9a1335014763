import * as z from 'zod';
import {
  CreateSegmentInput,
  RetireSegmentInput,
  RoadGrade,
  Segment,
  SegmentFlag,
  UpdateSegmentInput,
} from '../../../domain/segments/schema';
import { ImportSegmentsInput, ImportSegmentsResult } from '../../../domain/segments/import';
import { PageQuery, pageOf } from '../../shared/schemas';
import type { RouteSpec } from '../../shared/route';

const tags = ['segments'] as const;
const SegmentParams = z.object({ segmentId: z.string().regex(/^seg_[0-9a-z]{10,40}$/, 'not a segment id') });

export const createSegmentRoute = {
  operationId: 'createSegment',
  method: 'POST',
  path: '/v1/segments',
  summary: 'Register a road segment or public space',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'segment:write' },
  body: CreateSegmentInput,
  idempotent: true,
  success: { status: 201, description: 'created', schema: Segment },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const getSegmentRoute = {
  operationId: 'getSegment',
  method: 'GET',
  path: '/v1/segments/{segmentId}',
  summary: 'Read one segment (ETag carries its version)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'segment:read' },
  params: SegmentParams,
  success: { status: 200, description: 'the segment', schema: Segment },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const ListSegmentsQuery = PageQuery.extend({
  street: z.string().min(1).max(64).optional(),
  grade: RoadGrade.optional(),
  flag: SegmentFlag.optional(),
  status: z.enum(['active', 'retired', 'all']).default('active'),
});

export const listSegmentsRoute = {
  operationId: 'listSegments',
  method: 'GET',
  path: '/v1/segments',
  summary: 'List segments, filtered by street, grade, flag and status',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'segment:read' },
  query: ListSegmentsQuery,
  success: { status: 200, description: 'one page of segments', schema: pageOf(Segment, 'SegmentPage') },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const updateSegmentRoute = {
  operationId: 'updateSegment',
  method: 'PATCH',
  path: '/v1/segments/{segmentId}',
  summary: 'Change a segment (If-Match: its version)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'segment:write' },
  params: SegmentParams,
  body: UpdateSegmentInput,
  ifMatch: true,
  success: { status: 200, description: 'the changed segment', schema: Segment },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 428],
} as const satisfies RouteSpec;

export const retireSegmentRoute = {
  operationId: 'retireSegment',
  method: 'POST',
  path: '/v1/segments/{segmentId}/retire',
  summary: 'Retire a segment (never deleted; history kept)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'segment:write' },
  params: SegmentParams,
  body: RetireSegmentInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the retired segment', schema: Segment },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const segmentHistoryRoute = {
  operationId: 'listSegmentHistory',
  method: 'GET',
  path: '/v1/segments/{segmentId}/history',
  summary: 'Every version of a segment, newest first',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'segment:read' },
  params: SegmentParams,
  query: PageQuery,
  success: { status: 200, description: 'one page of versions', schema: pageOf(Segment, 'SegmentVersionPage') },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const importSegmentsRoute = {
  operationId: 'importSegments',
  method: 'POST',
  path: '/v1/segments/imports',
  summary: 'Import a GeoJSON FeatureCollection (all-or-nothing; re-import updates by external id)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'segment:write' },
  body: ImportSegmentsInput,
  idempotent: true,
  maxBodyBytes: 6 * 1024 * 1024,
  success: { status: 200, description: 'created / updated / unchanged counts', schema: ImportSegmentsResult },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const segmentRoutes: readonly RouteSpec[] = [
  createSegmentRoute,
  getSegmentRoute,
  listSegmentsRoute,
  updateSegmentRoute,
  retireSegmentRoute,
  segmentHistoryRoute,
  importSegmentsRoute,
];
