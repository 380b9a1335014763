import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  StaleVersionError,
  ValidationError,
} from '../../../../domain/errors';
import { authorize } from '../../../../domain/policy';
import { httpModule, ok, parseIfMatch, route, type HttpRequest, type HttpResult } from '../../../../functions/shared/http';
import { runIdempotently } from '../../../../functions/shared/idempotency';
import { logger } from '../../../../functions/shared/logger';
import type { RouteSpec } from '../../../../functions/shared/route';
import {
  defaultRequestId,
  httpEvent,
  jsonBody,
  lambdaContext,
  problemFields,
  procurementClaims,
  type EventInput,
} from './lambda-events';

/*
 * A small module of our own behind the shared middy stack: a versioned "widget" with a
 * PUT that takes params, query, body and If-Match; an idempotent POST; a public GET; and a
 * DELETE answering 204 without a body. Each route's implementation is a mock so a test can
 * make it answer or throw, and can check it was never reached.
 */

const WidgetParams = z.object({ widgetId: z.string().regex(/^wdg_[0-9a-z]{6,20}$/, 'not a widget id') });
const WidgetQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(20),
  notify: z.enum(['yes', 'no']).optional(),
});
const WidgetBody = z.object({
  name: z.string().trim().min(1).max(40),
  heightCm: z.number().int().positive(),
});
const Widget = z.object({ widgetId: z.string(), name: z.string(), heightCm: z.number(), version: z.number() });

const renameWidgetRoute = {
  operationId: 'renameWidget',
  method: 'PUT',
  path: '/v1/widgets/{widgetId}',
  summary: 'Rename a widget',
  tags: ['widgets'],
  auth: 'jwt',
  params: WidgetParams,
  query: WidgetQuery,
  body: WidgetBody,
  ifMatch: true,
  idempotent: false,
  maxBodyBytes: 256,
  success: { status: 200, description: 'the renamed widget', schema: Widget },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

const createWidgetRoute = {
  operationId: 'createWidget',
  method: 'POST',
  path: '/v1/widgets',
  summary: 'Create a widget',
  tags: ['widgets'],
  auth: 'jwt',
  body: WidgetBody,
  idempotent: true,
  success: { status: 201, description: 'the new widget', schema: Widget },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

const pingRoute = {
  operationId: 'ping',
  method: 'GET',
  path: '/v1/ping',
  summary: 'Liveness',
  tags: ['meta'],
  auth: 'public',
  success: { status: 200, description: 'pong' },
  problems: [],
} as const satisfies RouteSpec;

const deleteWidgetRoute = {
  operationId: 'deleteWidget',
  method: 'DELETE',
  path: '/v1/widgets/{widgetId}',
  summary: 'Delete a widget',
  tags: ['widgets'],
  auth: 'jwt',
  params: WidgetParams,
  success: { status: 204, description: 'deleted' },
  problems: [401, 403, 404],
} as const satisfies RouteSpec;

type Run<S extends RouteSpec> = (request: HttpRequest<S>) => Promise<HttpResult>;

const renameWidget = vi.fn<Run<typeof renameWidgetRoute>>();
const createWidget = vi.fn<Run<typeof createWidgetRoute>>();
const ping = vi.fn<Run<typeof pingRoute>>();
const deleteWidget = vi.fn<Run<typeof deleteWidgetRoute>>();

const handler = httpModule([
  route(renameWidgetRoute, (request) => renameWidget(request)),
  route(createWidgetRoute, (request) => createWidget(request)),
  route(pingRoute, (request) => ping(request)),
  route(deleteWidgetRoute, (request) => deleteWidget(request)),
], { idempotency: runIdempotently });

const renameKey = 'PUT /v1/widgets/{widgetId}';
const widgetId = 'wdg_8f3k2m';

/** A well-formed rename: change any part to make it malformed. */
function renameEvent(overrides: Partial<EventInput> = {}): EventInput {
  return {
    routeKey: renameKey,
    rawPath: `/v1/widgets/${widgetId}`,
    pathParameters: { widgetId },
    queryStringParameters: { limit: '5' },
    headers: { 'content-type': 'application/json', 'if-match': '"3"' },
    body: JSON.stringify({ name: '外滩观景台', heightCm: 180 }),
    ...overrides,
  };
}

function invoke(input: EventInput): ReturnType<typeof handler> {
  return handler(httpEvent(input), lambdaContext());
}

/** The error `action` throws; fails the test when it throws nothing. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

const dynamo = mockClient(DynamoDBClient);
const idempotencyTableBefore = process.env['IDEMPOTENCY_TABLE_NAME'];

beforeAll(() => {
  process.env['IDEMPOTENCY_TABLE_NAME'] = 'xiuhua-unit-idempotency';
});

afterAll(() => {
  dynamo.restore();
  if (idempotencyTableBefore === undefined) delete process.env['IDEMPOTENCY_TABLE_NAME'];
  else process.env['IDEMPOTENCY_TABLE_NAME'] = idempotencyTableBefore;
});

beforeEach(() => {
  vi.restoreAllMocks();
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  dynamo.reset();
  renameWidget.mockReset();
  renameWidget.mockImplementation(async ({ params, body, ifMatch }) =>
    ok({ widgetId: params.widgetId, name: body.name, heightCm: body.heightCm, version: (ifMatch ?? 0) + 1 }),
  );
  createWidget.mockReset();
  createWidget.mockImplementation(async ({ body }) => ok({ widgetId, name: body.name, heightCm: body.heightCm, version: 1 }, 201));
  ping.mockReset();
  ping.mockImplementation(async () => ok({ pong: true }));
  deleteWidget.mockReset();
  deleteWidget.mockImplementation(async () => ({ status: 204 }));
});

describe('httpModule: answers', () => {
  it('answers 200 with the route\'s JSON body, a JSON content type and the request id', async () => {
    // Prepare
    const input = renameEvent({ requestId: 'req-pudong-0001' });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers?.['x-request-id']).toBe('req-pudong-0001');
    expect(jsonBody(response)).toEqual({ widgetId, name: '外滩观景台', heightCm: 180, version: 4 });
  });

  it('sets the ETag of a versioned body', async () => {
    // Prepare
    const input = renameEvent({ headers: { 'content-type': 'application/json', 'if-match': '"6"' } });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.headers?.['etag']).toBe('"7"');
  });

  it('hands the route typed input: params, coerced and defaulted query, parsed body, If-Match, actor', async () => {
    // Prepare
    const input = renameEvent({
      queryStringParameters: { limit: '7' },
      body: JSON.stringify({ name: '  世纪大道  ', heightCm: 95 }),
    });

    // Act
    await invoke(input);

    // Assess
    const request = renameWidget.mock.calls[0]?.[0];
    expect(request?.params).toEqual({ widgetId });
    expect(request?.query).toEqual({ limit: 7 });
    expect(request?.body).toEqual({ name: '世纪大道', heightCm: 95 });
    expect(request?.ifMatch).toBe(3);
    expect(request?.requestId).toBe(defaultRequestId);
    expect(request?.actor).toEqual({ userId: procurementClaims['sub'], tenantId: 'pudong', roles: ['procurement'] });
  });

  it('applies the query schema\'s default when the query string is absent', async () => {
    // Prepare
    const { queryStringParameters: _omitted, ...withoutQuery } = renameEvent();

    // Act
    const response = await invoke(withoutQuery);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(renameWidget.mock.calls[0]?.[0].query).toEqual({ limit: 20 });
  });

  it('decodes a base64-encoded body', async () => {
    // Prepare
    const body = Buffer.from(JSON.stringify({ name: '陆家嘴环路', heightCm: 120 }), 'utf8').toString('base64');

    // Act
    const response = await invoke(renameEvent({ body, isBase64Encoded: true }));

    // Assess
    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)['name']).toBe('陆家嘴环路');
  });

  it('accepts a JSON media type with parameters and a +json suffix', async () => {
    // Prepare
    const headers = { 'content-type': 'application/merge-patch+json; charset=UTF-8', 'if-match': '3' };

    // Act
    const response = await invoke(renameEvent({ headers }));

    // Assess
    expect(response.statusCode).toBe(200);
  });

  it('answers a result without a body with its status, the request id and no content type', async () => {
    // Prepare
    const input: EventInput = { routeKey: 'DELETE /v1/widgets/{widgetId}', pathParameters: { widgetId } };

    // Act
    const response = await invoke(input);

    // Assess
    expect(response).toEqual({ statusCode: 204, headers: { 'x-request-id': defaultRequestId } });
  });

  it('serves a public route without any authorizer, to an anonymous actor with no roles', async () => {
    // Prepare
    const input: EventInput = { routeKey: 'GET /v1/ping', claims: null };

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(200);
    expect(ping.mock.calls[0]?.[0].actor.roles).toEqual([]);
  });
});

describe('httpModule: validation (400)', () => {
  it('lists every failing field of params, query and body at once, as problem+json', async () => {
    // Prepare
    const input = renameEvent({
      pathParameters: { widgetId: 'WIDGET-1' },
      queryStringParameters: { limit: '500' },
      body: JSON.stringify({ name: '', heightCm: -3 }),
    });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(problemFields(response).sort()).toEqual(['body.heightCm', 'body.name', 'params.widgetId', 'query.limit']);
    expect(renameWidget).not.toHaveBeenCalled();
  });

  it('describes a validation problem with type, title, status, detail, request id and a message per field', async () => {
    // Prepare
    const input = renameEvent({ queryStringParameters: { limit: 'many' }, requestId: 'req-bad-limit' });

    // Act
    const response = await invoke(input);

    // Assess
    const problem = jsonBody(response);
    expect(problem).toMatchObject({
      type: '/problems/validation',
      title: 'Invalid request',
      status: 400,
      detail: '1 field(s) failed validation',
      requestId: 'req-bad-limit',
    });
    expect(problem['errors']).toEqual([{ field: 'query.limit', message: expect.any(String) }]);
    expect(response.headers?.['x-request-id']).toBe('req-bad-limit');
  });

  it('names nested body fields with dotted paths', async () => {
    // Prepare
    const input = renameEvent({ body: JSON.stringify({ name: 'x'.repeat(41), heightCm: 1.5 }) });

    // Act
    const response = await invoke(input);

    // Assess
    expect(problemFields(response).sort()).toEqual(['body.heightCm', 'body.name']);
  });

  it('refuses malformed JSON with a 400 naming body', async () => {
    // Prepare
    const input = renameEvent({ body: '{"name": "南京东路", "heightCm": 12' });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(jsonBody(response)['detail']).toBe('the body is not valid JSON');
    expect(problemFields(response)).toEqual(['body']);
  });

  it('refuses a missing body on a route that needs one with a 400 naming body', async () => {
    // Prepare
    const { body: _omitted, ...withoutBody } = renameEvent();

    // Act
    const response = await invoke(withoutBody);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['body']);
  });
});

describe('httpModule: media type and size', () => {
  it('refuses a text/plain body with 415', async () => {
    // Prepare
    const input = renameEvent({ headers: { 'content-type': 'text/plain', 'if-match': '"3"' } });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(415);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(jsonBody(response)).toMatchObject({ type: '/problems/unsupported-media-type', title: 'Unsupported Media Type', status: 415 });
    expect(renameWidget).not.toHaveBeenCalled();
  });

  it('refuses a body without a content type with 415', async () => {
    // Prepare
    const input = renameEvent({ headers: { 'if-match': '"3"' } });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(415);
  });

  it('refuses a body over the route\'s maxBodyBytes with 413', async () => {
    // Prepare
    const input = renameEvent({ body: JSON.stringify({ name: 'a'.repeat(300), heightCm: 1 }) });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(413);
    expect(jsonBody(response)).toMatchObject({ title: 'Payload Too Large', status: 413 });
    expect(renameWidget).not.toHaveBeenCalled();
  });

  it('counts the body size in UTF-8 bytes, not characters', async () => {
    // Prepare: 90 CJK characters are ~110 characters of JSON but ~290 bytes.
    const body = JSON.stringify({ name: '浦'.repeat(90), heightCm: 1 });

    // Act
    const response = await invoke(renameEvent({ body }));

    // Assess
    expect(body.length).toBeLessThan(256);
    expect(response.statusCode).toBe(413);
  });
});

describe('httpModule: If-Match', () => {
  it('answers 428 when an If-Match route gets no If-Match', async () => {
    // Prepare
    const input = renameEvent({ headers: { 'content-type': 'application/json' } });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(428);
    expect(jsonBody(response)).toMatchObject({ title: 'Precondition Required', status: 428 });
    expect(renameWidget).not.toHaveBeenCalled();
  });

  it('answers 400 naming headers.if-match for a garbage If-Match', async () => {
    // Prepare
    const input = renameEvent({ headers: { 'content-type': 'application/json', 'if-match': 'latest-please' } });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['headers.if-match']);
  });

  it('hands a weak ETag\'s version to the route', async () => {
    // Prepare
    const input = renameEvent({ headers: { 'content-type': 'application/json', 'if-match': 'W/"12"' } });

    // Act
    await invoke(input);

    // Assess
    expect(renameWidget.mock.calls[0]?.[0].ifMatch).toBe(12);
  });

  it('ignores If-Match on a route that does not declare it', async () => {
    // Prepare
    const input: EventInput = {
      routeKey: 'POST /v1/widgets',
      headers: { 'content-type': 'application/json', 'if-match': 'garbage' },
      body: JSON.stringify({ name: '张江', heightCm: 10 }),
    };

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(createWidget.mock.calls[0]?.[0].ifMatch).toBeUndefined();
  });
});

describe('httpModule: authentication (401)', () => {
  it('answers 401 with WWW-Authenticate: Bearer when the event carries no claims', async () => {
    // Prepare
    const input = renameEvent({ claims: null });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toBe('Bearer');
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(jsonBody(response)).toMatchObject({ type: '/problems/unauthenticated', title: 'Unauthorized', status: 401 });
    expect(renameWidget).not.toHaveBeenCalled();
  });

  it('answers 401 naming the claim when the token has no tenant', async () => {
    // Prepare
    const { 'custom:tenant': _tenant, ...claims } = procurementClaims;

    // Act
    const response = await invoke(renameEvent({ claims }));

    // Assess
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['www-authenticate']).toBe('Bearer');
    expect(jsonBody(response)['detail']).toContain('custom:tenant');
  });

  it('authenticates before validating, so an anonymous caller learns nothing about the input rules', async () => {
    // Prepare
    const input = renameEvent({ claims: null, body: '{not json' });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(401);
  });

  it('reads API Gateway\'s flattened group string "[procurement finance]" as two roles', async () => {
    // Prepare
    const claims = { ...procurementClaims, 'cognito:groups': '[procurement finance]' };

    // Act
    await invoke(renameEvent({ claims }));

    // Assess
    expect(renameWidget.mock.calls[0]?.[0].actor.roles).toEqual(['procurement', 'finance']);
  });

  it('reads a group array and the contractor id claim into the actor', async () => {
    // Prepare
    const claims = {
      sub: 'b2c4e6f8-0000-4000-8000-000000000042',
      'cognito:groups': ['contractor'],
      'custom:tenant': 'pudong',
      'custom:contractor_id': 'ctr_huanwei01',
    };

    // Act
    await invoke(renameEvent({ claims }));

    // Assess
    expect(renameWidget.mock.calls[0]?.[0].actor).toEqual({
      userId: 'b2c4e6f8-0000-4000-8000-000000000042',
      tenantId: 'pudong',
      roles: ['contractor'],
      contractorId: 'ctr_huanwei01',
    });
  });
});

describe('httpModule: domain errors as problems', () => {
  it('answers 403 when the route\'s policy check throws ForbiddenError', async () => {
    // Prepare
    renameWidget.mockImplementation(async ({ actor }) => {
      authorize(actor, 'segment:write');
      return ok({});
    });
    const claims = { ...procurementClaims, 'cognito:groups': ['inspector'] };

    // Act
    const response = await invoke(renameEvent({ claims }));

    // Assess
    expect(response.statusCode).toBe(403);
    expect(response.headers?.['www-authenticate']).toBeUndefined();
    expect(jsonBody(response)).toMatchObject({ type: '/problems/forbidden', title: 'Forbidden', status: 403, detail: 'role(s) inspector may not segment:write' });
  });

  it.each([
    { error: new NotFoundError('widget', widgetId), status: 404, type: '/problems/not-found' },
    { error: new ConflictError('the widget is retired'), status: 409, type: '/problems/conflict' },
    { error: new StaleVersionError('widget', widgetId, 3, 5), status: 412, type: '/problems/stale-version' },
    { error: new RuleViolationError('too tall for a pavement'), status: 422, type: '/problems/rule-violation' },
  ])('maps $error.name to $status $type with its message as detail', async ({ error, status, type }) => {
    // Prepare
    renameWidget.mockRejectedValue(error);

    // Act
    const response = await invoke(renameEvent());

    // Assess
    expect(response.statusCode).toBe(status);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(jsonBody(response)).toEqual({ type, title: expect.any(String), status, detail: error.message, requestId: defaultRequestId });
  });

  it('lists a rule violation\'s reasons in errors', async () => {
    // Prepare
    renameWidget.mockRejectedValue(new RuleViolationError('refused', ['height exceeds 3 m', 'name already used']));

    // Act
    const response = await invoke(renameEvent());

    // Assess
    expect(jsonBody(response)['errors']).toEqual([
      { field: '', message: 'height exceeds 3 m' },
      { field: '', message: 'name already used' },
    ]);
  });

  it('turns a ValidationError thrown by the route into a 400 with its fields', async () => {
    // Prepare
    renameWidget.mockRejectedValue(new ValidationError('bad feature', [{ path: 'body.features.3.geometry', message: 'not closed' }]));

    // Act
    const response = await invoke(renameEvent());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['body.features.3.geometry']);
  });

  it('keeps the Chinese detail of a use case\'s ValidationError whose paths it roots under body', async () => {
    // Prepare: paths relative to the input (`capturedAt`), as a use case validates them.
    renameWidget.mockRejectedValue(new ValidationError('captured in the future', [{ path: 'capturedAt', message: 'ahead of the clock', zh: '拍摄时间晚于服务器时间' }], { zh: '拍摄时间在未来' }));

    // Act
    const response = await invoke(renameEvent({ headers: { 'content-type': 'application/json', 'if-match': '"3"', 'accept-language': 'zh-CN' } }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['body.capturedAt']);
    expect(jsonBody(response)['detail']).toBe('拍摄时间在未来');
  });
});

describe('httpModule: unexpected errors (500)', () => {
  it('answers a generic 500 that does not leak the error\'s message but carries the request id', async () => {
    // Prepare
    const secret = 'connect ECONNREFUSED 10.0.3.17:5432 (user=xiuhua_admin)';
    renameWidget.mockRejectedValue(new Error(secret));

    // Act
    const response = await invoke(renameEvent({ requestId: 'req-boom-42' }));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.headers?.['x-request-id']).toBe('req-boom-42');
    expect(response.body).not.toContain('ECONNREFUSED');
    expect(response.body).not.toContain('xiuhua_admin');
    expect(jsonBody(response)).toMatchObject({ type: '/problems/internal', status: 500, requestId: 'req-boom-42' });
  });

  it('logs the unexpected error with its request id for the operators', async () => {
    // Prepare
    const error = new TypeError('Cannot read properties of undefined (reading \'version\')');
    renameWidget.mockRejectedValue(error);

    // Act
    await invoke(renameEvent({ requestId: 'req-boom-43' }));

    // Assess
    expect(logger.error).toHaveBeenCalledWith('request failed', { error, requestId: 'req-boom-43' });
  });
});

describe('httpModule: routing', () => {
  it('answers 404 problem+json for a route key the module does not serve', async () => {
    // Prepare
    const input: EventInput = { routeKey: 'GET /v1/gadgets' };

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(404);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(jsonBody(response)).toMatchObject({ type: '/problems/not-found', status: 404, detail: 'no route GET /v1/gadgets' });
  });

  it('matches on the route key, not the raw path', async () => {
    // Prepare: the right path under another method is another route.
    const input: EventInput = { routeKey: `PATCH /v1/widgets/{widgetId}`, rawPath: `/v1/widgets/${widgetId}` };

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(404);
  });
});

describe('httpModule: Idempotency-Key', () => {
  const createEvent = (key: string): EventInput => ({
    routeKey: 'POST /v1/widgets',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify({ name: '川沙新镇', heightCm: 42 }),
  });

  it('refuses a malformed Idempotency-Key with a 400 naming headers.idempotency-key, before any DynamoDB call', async () => {
    // Prepare
    const input = createEvent('short');

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['headers.idempotency-key']);
    expect(dynamo.calls()).toHaveLength(0);
    expect(createWidget).not.toHaveBeenCalled();
  });

  it('refuses an Idempotency-Key with a non-ASCII character', async () => {
    // Prepare
    const input = createEvent('订单-2025-0001-abc');

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['headers.idempotency-key']);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('sends a well-formed key to the idempotency table (the control for the tests above)', async () => {
    // Prepare
    dynamo.onAnyCommand().resolves({});
    const input = createEvent('0e8a4c1d-6b2f-4f7a-9d3e-5c1b2a3f4e5d');

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(201);
    expect(dynamo.commandCalls(UpdateItemCommand)[0]?.args[0].input.TableName).toBe('xiuhua-unit-idempotency');
  });

  it('keys the stored answer by caller too: two users sending the same key and body get two records', async () => {
    // Prepare: the same key, route and body from two subjects of the same tenant.
    dynamo.onAnyCommand().resolves({});
    const input = createEvent('0e8a4c1d-6b2f-4f7a-9d3e-5c1b2a3f4e5d');

    // Act
    await invoke({ ...input, claims: { ...procurementClaims, sub: 'user-a' } });
    await invoke({ ...input, claims: { ...procurementClaims, sub: 'user-b' } });

    // Assess: a replay can never hand one user's answer to another, who is authorized afresh.
    const ids = dynamo.commandCalls(UpdateItemCommand).filter((call) => call.args[0].input.ConditionExpression?.startsWith('attribute_not_exists(#id)') === true).map((call) => JSON.stringify(call.args[0].input.Key?.['id']));
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('refuses to build a module whose idempotent routes have no idempotency runner', () => {
    // Act
    const build = (): unknown => httpModule([route(createWidgetRoute, (request) => createWidget(request))]);

    // Assess
    expect(build).toThrow(/createWidget.*idempotent/);
  });

  it('runs an idempotent route without the header and without DynamoDB', async () => {
    // Prepare
    const { headers: _headers, ...input } = createEvent('unused-key');

    // Act
    const response = await invoke({ ...input, headers: { 'content-type': 'application/json' } });

    // Assess
    expect(response.statusCode).toBe(201);
    expect(dynamo.calls()).toHaveLength(0);
  });
});

describe('ok', () => {
  it('adds ETag "N" for a body with a numeric version', () => {
    // Act
    const result = ok({ segmentId: 'seg_x', version: 9 });

    // Assess
    expect(result).toEqual({ status: 200, body: { segmentId: 'seg_x', version: 9 }, headers: { etag: '"9"' } });
  });

  it('adds no ETag for a body without a version', () => {
    // Act
    const result = ok({ items: [] }, 201);

    // Assess
    expect(result).toEqual({ status: 201, body: { items: [] } });
  });

  it('adds no ETag when the version is not a number', () => {
    // Act
    const result = ok({ version: '9' });

    // Assess
    expect(result.headers).toBeUndefined();
  });

  it('accepts a null body', () => {
    // Act
    const result = ok(null);

    // Assess
    expect(result).toEqual({ status: 200, body: null });
  });
});

describe('parseIfMatch', () => {
  it.each([
    ['"3"', 3],
    ['W/"3"', 3],
    ['3', 3],
    [' "42" ', 42],
    ['"123456789"', 123456789],
  ])('reads %j as version %i', (header, version) => {
    // Act
    const result = parseIfMatch(header);

    // Assess
    expect(result).toBe(version);
  });

  it('returns undefined when the header is absent', () => {
    // Act
    const result = parseIfMatch(undefined);

    // Assess
    expect(result).toBeUndefined();
  });

  it.each(['abc', '', '*', '-1', '1.5', '"3", "4"', 'w/"3"', '"1234567890"'])('refuses %j with a ValidationError naming headers.if-match', (header) => {
    // Act
    const error = thrownBy(() => parseIfMatch(header));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['headers.if-match']);
  });
});

describe('httpModule: the caller\'s language (issue 13)', () => {
  it('answers a 400 in Chinese to Accept-Language: zh-CN, with zod\'s Chinese messages and the schema\'s own message kept', async () => {
    // Prepare
    const input = renameEvent({
      pathParameters: { widgetId: 'WIDGET-1' },
      headers: { 'content-type': 'application/json', 'if-match': '"3"', 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' },
      body: JSON.stringify({ name: '外滩', heightCm: 'tall' }),
    });

    // Act
    const response = await invoke(input);

    // Assess
    const problem = jsonBody(response);
    expect(response.headers?.['content-language']).toBe('zh-CN');
    expect(problem).toMatchObject({ title: '请求无效', detail: '2 个字段未通过校验' });
    expect(problem['errors']).toEqual([
      { field: 'params.widgetId', message: 'not a widget id' },
      { field: 'body.heightCm', message: '无效输入：期望 数字，实际接收 string' },
    ]);
  });

  it('answers the same 400 byte for byte in English without Accept-Language', async () => {
    // Prepare
    const input = renameEvent({ body: JSON.stringify({ name: '外滩', heightCm: 'tall' }) });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.headers?.['content-language']).toBe('en');
    expect(response.body).toBe(
      JSON.stringify({
        type: '/problems/validation',
        title: 'Invalid request',
        status: 400,
        detail: '1 field(s) failed validation',
        errors: [{ field: 'body.heightCm', message: 'Invalid input: expected number, received string' }],
        requestId: defaultRequestId,
      }),
    );
  });

  it('answers a 428 in Chinese', async () => {
    // Prepare
    const input = renameEvent({ headers: { 'content-type': 'application/json', 'accept-language': 'zh' } });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(428);
    expect(jsonBody(response)).toMatchObject({ title: '需要 If-Match', detail: '此修改需要 If-Match 请求头，填写记录的当前版本（即其 ETag）' });
  });
});

describe('httpModule: invalid UTF-8 (issue 13)', () => {
  const invalid = Buffer.concat([Buffer.from('{"name":"南京', 'utf8'), Buffer.from([0xe8, 0xb7]), Buffer.from('","heightCm":12}', 'utf8')]);

  it('refuses a base64 body whose bytes are not UTF-8 with a 400 naming body, before the route runs', async () => {
    // Prepare
    const input = renameEvent({ body: invalid.toString('base64'), isBase64Encoded: true });

    // Act
    const response = await invoke(input);

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['body']);
    expect(jsonBody(response)['detail']).toBe('the body is not valid UTF-8');
    expect(renameWidget).not.toHaveBeenCalled();
  });

  it('refuses a text body carrying U+FFFD (bytes an upstream decoder replaced), but accepts the character escaped in JSON', async () => {
    // Prepare
    const replaced = renameEvent({ body: invalid.toString('utf8') });
    const escaped = renameEvent({ body: '{"name":"南京\\ufffd","heightCm":12}' });

    // Act
    const refused = await invoke(replaced);
    const accepted = await invoke(escaped);

    // Assess
    expect(refused.statusCode).toBe(400);
    expect(problemFields(refused)).toEqual(['body']);
    expect(accepted.statusCode).toBe(200);
    expect(jsonBody(accepted)['name']).toBe('南京\ufffd');
  });

  it('refuses a JSON escape of a lone surrogate, which UTF-8 cannot store', async () => {
    // Act
    const response = await invoke(renameEvent({ body: '{"name":"南京\\ud800","heightCm":12}' }));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['body']);
  });

  it('refuses a query string whose percent-escapes are not UTF-8, naming query', async () => {
    // Prepare
    const event = httpEvent(renameEvent());
    const response = await handler({ ...event, rawQueryString: 'limit=5&notify=%E8%B7' }, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(400);
    expect(problemFields(response)).toEqual(['query']);
  });

  it('accepts a well-formed Chinese body, base64 or not, and a query with UTF-8 escapes', async () => {
    // Prepare
    const body = JSON.stringify({ name: '南京东路', heightCm: 12 });
    const event = httpEvent(renameEvent({ body: Buffer.from(body, 'utf8').toString('base64'), isBase64Encoded: true }));

    // Act
    const response = await handler({ ...event, rawQueryString: 'limit=5&q=%E5%8D%97%E4%BA%AC' }, lambdaContext());

    // Assess
    expect(response.statusCode).toBe(200);
    expect(jsonBody(response)['name']).toBe('南京东路');
  });
});
