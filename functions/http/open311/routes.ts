import * as z from 'zod';
import { JurisdictionQuery, ListRequestsQuery, ReopenRequestInput, SubmitRequestInput } from '../../../domain/complaints/inputs';
import type { RouteSpec } from '../../shared/route';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) under /open311/v2, JSON format. Public
 * routes: the tenant is `jurisdiction_id`; errors are the spec's array
 * `[{ "code": 400, "description": "..." }]` with the same HTTP status (errorFormat open311);
 * POST bodies are form-encoded as the spec says, or JSON.
 *
 * API Gateway path variables are whole segments, so "GET Service Request"
 * (`requests/{service_request_id}.json`) is served as `requests/{request}` with `request`
 * ending in `.json`.
 */

const tags = ['open311'] as const;
const open311 = { auth: 'public', authz: { scope: 'public' }, errorFormat: 'open311', tags } as const;

export const Open311Service = z
  .object({
    service_code: z.string(),
    service_name: z.string(),
    description: z.string(),
    metadata: z.boolean().describe('always false: no service needs extra attributes'),
    type: z.literal('realtime'),
    keywords: z.string(),
    group: z.string(),
  })
  .meta({ id: 'Open311Service' });

export const Open311Request = z
  .object({
    service_request_id: z.string(),
    status: z.enum(['open', 'closed']),
    status_notes: z.string().nullable(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string().nullable(),
    agency_responsible: z.string().nullable().describe('the contractor ordered to fix it'),
    service_notice: z.string().nullable(),
    requested_datetime: z.string(),
    updated_datetime: z.string(),
    expected_datetime: z.string(),
    address: z.string().nullable(),
    address_id: z.string().nullable(),
    zipcode: z.null(),
    lat: z.number().nullable(),
    long: z.number().nullable(),
    media_url: z.string().nullable(),
  })
  .meta({ id: 'Open311Request' });

export const Open311Created = z
  .object({
    service_request_id: z.string(),
    service_notice: z.string(),
    account_id: z.null(),
    reopen_token: z
      .string()
      .describe('extension: keep it to reopen the request within 7 days of closing (POST requests/{service_request_id}/reopen.json); shown only here'),
  })
  .meta({ id: 'Open311Created' });

export const listServicesRoute = {
  ...open311,
  operationId: 'open311ListServices',
  method: 'GET',
  path: '/open311/v2/services.json',
  summary: 'GeoReport v2 GET Service List: the complaint types, each mapped to a service type and deadline',
  query: JurisdictionQuery,
  success: { status: 200, description: 'the services', schema: z.array(Open311Service) },
  problems: [400, 404],
} as const satisfies RouteSpec;

/** Open311 intake for all clients together: 5 requests per second, bursts of 10 (API Gateway route throttle). */
export const open311IntakeThrottle = { rateLimit: 5, burstLimit: 10 } as const;
/** Open311 intake per client (source address): 10 requests per 10 minutes. */
export const open311ClientLimit = { requests: 10, perSeconds: 600 } as const;

export const submitRequestRoute = {
  ...open311,
  operationId: 'open311SubmitRequest',
  method: 'POST',
  path: '/open311/v2/requests.json',
  summary: 'GeoReport v2 POST Service Request: record a complaint and route it to the contractor of the nearest segment',
  body: SubmitRequestInput,
  bodyFormat: 'form',
  maxBodyBytes: 64 * 1024,
  // Issue 13: 63 anonymous complaints in 6 s. A citizen files a few a day; an app relaying
  // many citizens shares the gateway's route throttle with everyone.
  throttle: open311IntakeThrottle,
  clientLimit: open311ClientLimit,
  success: { status: 201, description: 'the new request (one element)', schema: z.array(Open311Created) },
  problems: [400, 404, 413, 415],
} as const satisfies RouteSpec;

export const listRequestsRoute = {
  ...open311,
  operationId: 'open311ListRequests',
  method: 'GET',
  path: '/open311/v2/requests.json',
  summary: 'GeoReport v2 GET Service Requests: by ids, or by requested time (90 days at most, default the last 90), service code and status',
  query: ListRequestsQuery,
  success: { status: 200, description: 'at most 1 000 requests, newest first', schema: z.array(Open311Request) },
  problems: [400, 404],
} as const satisfies RouteSpec;

export const getRequestRoute = {
  ...open311,
  operationId: 'open311GetRequest',
  method: 'GET',
  path: '/open311/v2/requests/{request}',
  summary: 'GeoReport v2 GET Service Request: requests/{service_request_id}.json',
  params: z.object({ request: z.string().regex(/^[^/]{1,64}\.json$/, 'ask for {service_request_id}.json (only JSON is served)') }),
  query: JurisdictionQuery,
  success: { status: 200, description: 'the request (one element)', schema: z.array(Open311Request) },
  problems: [400, 404],
} as const satisfies RouteSpec;

export const reopenRequestRoute = {
  ...open311,
  operationId: 'open311ReopenRequest',
  method: 'POST',
  path: '/open311/v2/requests/{service_request_id}/reopen.json',
  summary: 'Extension: the citizen reopens a closed request within 7 days of closing, with the reopen_token from the creation answer',
  params: z.object({ service_request_id: z.string().min(1).max(64) }),
  body: ReopenRequestInput,
  bodyFormat: 'form',
  maxBodyBytes: 16 * 1024,
  success: { status: 200, description: 'the reopened request (one element)', schema: z.array(Open311Request) },
  problems: [400, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const open311Routes: readonly RouteSpec[] = [listServicesRoute, submitRequestRoute, listRequestsRoute, getRequestRoute, reopenRequestRoute];
