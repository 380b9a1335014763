import * as z from 'zod';
import { IssueApiKeyInput, RevokeApiKeyInput } from '../../../domain/api-keys/inputs';
import { ApiKeyView, IssuedApiKey } from '../../../domain/api-keys/schema';
import { JurisdictionQuery, ListRequestsQuery, ReopenRequestInput, SubmitRequestInput } from '../../../domain/complaints/inputs';
import type { RouteSpec } from '../../shared/route';

/**
 * Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) under /open311/v2, in XML (the spec's
 * required format) and JSON, with Service Discovery at /open311/discovery.{xml,json}. Public
 * routes: the tenant is `jurisdiction_id`; POST Service Request needs an `api_key` issued by
 * the tenant's administrator (/v1/open311/api-keys); POST bodies are form-encoded as the spec
 * says, or JSON. Every error under /open311/ is the spec's array
 * `[{ "code": 400, "description": "..." }]` (`<errors><error>…` in XML) with the spec's
 * statuses (format.ts `open311Status`); unknown paths, methods and formats reach the module
 * through `ANY /open311/{proxy+}` and get the same array.
 *
 * API Gateway path variables are whole segments, so `requests/{service_request_id}.{format}`
 * is served as `requests/{request}` with `request` ending in the format, and so is
 * `services/{service_code}.{format}`; the lists have a route per format.
 */

const tags = ['open311'] as const;
const open311 = { auth: 'public', authz: { scope: 'public' }, errorFormat: 'open311', tags } as const;
const xml = 'text/xml; charset=utf-8';
/** The spec's XML documents carry the same fields; documented as the JSON schema. */
const sameAsJson = 'the same content as the .json route, as GeoReport v2 XML';

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

export const Open311ServiceDefinition = z
  .object({
    service_code: z.string(),
    attributes: z.array(z.unknown()).max(0).describe('always empty: no service needs extra attributes (metadata false)'),
  })
  .meta({ id: 'Open311ServiceDefinition' });

export const Open311Discovery = z
  .object({
    changeset: z.string().describe('when this API last changed (w3 datetime)'),
    contact: z.string(),
    key_service: z.string().describe('how a client app gets an api_key'),
    endpoints: z.array(
      z.object({
        specification: z.string(),
        url: z.string(),
        changeset: z.string(),
        type: z.enum(['production', 'test']),
        formats: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'Open311Discovery' });

/** An api_key may ride in the form (as the spec's example sends it) or in the query. */
const ApiKeyField = z.preprocess((value) => (value === '' || value === null ? undefined : value), z.string().max(300).optional());
export const ApiKeyQuery = z.object({ api_key: ApiKeyField });
export const SubmitRequestForm = SubmitRequestInput.safeExtend({ api_key: ApiKeyField }).meta({
  id: 'Open311ServiceRequestInput',
  description: 'GeoReport v2 POST Service Request (form-encoded or JSON), with the api_key issued to the client app',
});

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

export const listServicesXmlRoute = {
  ...listServicesRoute,
  operationId: 'open311ListServicesXml',
  path: '/open311/v2/services.xml',
  success: { ...listServicesRoute.success, description: `<services><service>…: ${sameAsJson}`, contentType: xml },
} as const satisfies RouteSpec;

export const getServiceDefinitionRoute = {
  ...open311,
  operationId: 'open311GetServiceDefinition',
  method: 'GET',
  path: '/open311/v2/services/{service}',
  summary: 'GeoReport v2 GET Service Definition: services/{service_code}.xml or .json (no service has attributes)',
  params: z.object({ service: z.string().min(1).max(80).describe('{service_code}.xml or {service_code}.json') }),
  query: JurisdictionQuery,
  success: { status: 200, description: 'the definition (service_definition in XML)', schema: Open311ServiceDefinition },
  problems: [400, 404],
} as const satisfies RouteSpec;

/** Open311 intake for all clients together: 5 requests per second, bursts of 10 (API Gateway route throttle). */
export const open311IntakeThrottle = { rateLimit: 5, burstLimit: 10 } as const;
/** Open311 intake per client (source address): 10 requests per 10 minutes, JSON and XML together. */
export const open311ClientLimit = { requests: 10, perSeconds: 600, group: 'open311-intake' } as const;

export const submitRequestRoute = {
  ...open311,
  operationId: 'open311SubmitRequest',
  method: 'POST',
  path: '/open311/v2/requests.json',
  summary: 'GeoReport v2 POST Service Request: record a complaint and route it to the contractor of the nearest segment',
  body: SubmitRequestForm,
  bodyFormat: 'form',
  maxBodyBytes: 64 * 1024,
  // Issue 13: 63 anonymous complaints in 6 s. A citizen files a few a day; an app relaying
  // many citizens shares the gateway's route throttle with everyone.
  throttle: open311IntakeThrottle,
  clientLimit: open311ClientLimit,
  query: ApiKeyQuery,
  success: { status: 201, description: 'the new request (one element)', schema: z.array(Open311Created) },
  problems: [400, 403, 404, 429],
} as const satisfies RouteSpec;

export const submitRequestXmlRoute = {
  ...submitRequestRoute,
  operationId: 'open311SubmitRequestXml',
  path: '/open311/v2/requests.xml',
  success: { ...submitRequestRoute.success, description: `<service_requests><request>…: ${sameAsJson}`, contentType: xml },
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

export const listRequestsXmlRoute = {
  ...listRequestsRoute,
  operationId: 'open311ListRequestsXml',
  path: '/open311/v2/requests.xml',
  success: { ...listRequestsRoute.success, description: `<service_requests><request>…: ${sameAsJson}`, contentType: xml },
} as const satisfies RouteSpec;

export const getRequestRoute = {
  ...open311,
  operationId: 'open311GetRequest',
  method: 'GET',
  path: '/open311/v2/requests/{request}',
  summary: 'GeoReport v2 GET Service Request: requests/{service_request_id}.xml or .json',
  params: z.object({ request: z.string().min(1).max(80).describe('{service_request_id}.xml or {service_request_id}.json') }),
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
  problems: [400, 403, 404],
} as const satisfies RouteSpec;

export const discoveryRoute = {
  ...open311,
  operationId: 'open311Discovery',
  method: 'GET',
  path: '/open311/discovery.json',
  summary: 'Open311 Service Discovery: the GeoReport v2 endpoint, its formats, and how to get an api_key',
  success: { status: 200, description: 'the discovery document', schema: Open311Discovery },
  problems: [],
} as const satisfies RouteSpec;

export const discoveryXmlRoute = {
  ...discoveryRoute,
  operationId: 'open311DiscoveryXml',
  path: '/open311/discovery.xml',
  success: { ...discoveryRoute.success, description: `<discovery>…: ${sameAsJson}`, contentType: xml },
} as const satisfies RouteSpec;

/**
 * Every other method and path under /open311/: API Gateway sends them here (a full match of
 * another route wins), and the module answers the GeoReport error array: 404 for a path or a
 * format that does not exist, 400 (code 405) for a method the path does not take.
 */
export const open311FallbackRoute = {
  ...open311,
  operationId: 'open311Fallback',
  method: 'ANY',
  path: '/open311/{proxy+}',
  summary: 'Unknown paths, methods and formats under /open311/: the GeoReport error array',
  params: z.object({ proxy: z.string() }),
  success: { status: 200, description: 'never: every request here is refused' },
  problems: [400, 404],
} as const satisfies RouteSpec;

/** The administrator's desk for the api_keys of the client apps (issue 13). */
const adminTags = ['open311'] as const;

export const issueApiKeyRoute = {
  operationId: 'issueOpen311ApiKey',
  method: 'POST',
  path: '/v1/open311/api-keys',
  summary: 'Issue an Open311 api_key to a client app of the tenant; the key is shown only in this answer (stored as its SHA-256)',
  tags: adminTags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'apikey:manage' },
  body: IssueApiKeyInput,
  success: { status: 201, description: 'the key, with apiKey shown this once', schema: IssuedApiKey },
  problems: [400, 401, 403, 413, 415],
} as const satisfies RouteSpec;

export const listApiKeysRoute = {
  operationId: 'listOpen311ApiKeys',
  method: 'GET',
  path: '/v1/open311/api-keys',
  summary: "The tenant's Open311 api_keys: client, status, who issued and revoked them (never the keys)",
  tags: adminTags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'apikey:manage' },
  success: { status: 200, description: 'every key, oldest first', schema: z.object({ items: z.array(ApiKeyView) }) },
  problems: [401, 403],
} as const satisfies RouteSpec;

export const revokeApiKeyRoute = {
  operationId: 'revokeOpen311ApiKey',
  method: 'POST',
  path: '/v1/open311/api-keys/{keyId}/revocation',
  summary: 'Revoke an Open311 api_key: its app can no longer file reports (403)',
  tags: adminTags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'apikey:manage' },
  params: z.object({ keyId: z.string().min(1).max(64) }),
  ifMatch: true,
  body: RevokeApiKeyInput,
  success: { status: 200, description: 'the revoked key', schema: ApiKeyView },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 428],
} as const satisfies RouteSpec;

export const open311Routes: readonly RouteSpec[] = [
  discoveryRoute,
  discoveryXmlRoute,
  listServicesRoute,
  listServicesXmlRoute,
  getServiceDefinitionRoute,
  submitRequestRoute,
  submitRequestXmlRoute,
  listRequestsRoute,
  listRequestsXmlRoute,
  getRequestRoute,
  reopenRequestRoute,
  open311FallbackRoute,
  issueApiKeyRoute,
  listApiKeysRoute,
  revokeApiKeyRoute,
];
