import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { NotFoundError } from '../../../../domain/errors';
import { httpModule, ok, parseFormBody, route, type HttpRequest, type HttpResult } from '../../../../functions/shared/http';
import { logger } from '../../../../functions/shared/logger';
import { open311Errors } from '../../../../functions/shared/problem';
import type { RouteSpec } from '../../../../functions/shared/route';
import { httpEvent, lambdaContext, type EventInput } from './lambda-events';

/*
 * The two additive RouteSpec options of the shared stack: `bodyFormat: 'form'` (the Open311
 * GeoReport v2 POST is application/x-www-form-urlencoded) and `errorFormat: 'open311'` (the
 * spec's error array instead of problem+json). Checked against the spec's own example body
 * and error, kept byte for byte in test/fixtures/open311/.
 */

const fixture = (name: string): string => readFileSync(`test/fixtures/open311/${name}`, 'utf8');

const FormBody = z.object({ jurisdiction_id: z.string({ error: 'jurisdiction_id was not provided' }), lat: z.coerce.number(), description: z.string().optional() });

const formRoute = {
  operationId: 'postForm',
  method: 'POST',
  path: '/open311/v2/requests.json',
  summary: 'a form route',
  tags: ['test'],
  auth: 'public',
  body: FormBody,
  bodyFormat: 'form',
  errorFormat: 'open311',
  success: { status: 201, description: 'created' },
  problems: [400, 404, 413, 415],
} as const satisfies RouteSpec;

const jsonRoute = {
  operationId: 'postJson',
  method: 'POST',
  path: '/v1/things',
  summary: 'a JSON route',
  tags: ['test'],
  auth: 'public',
  body: FormBody,
  success: { status: 201, description: 'created' },
  problems: [400, 413, 415],
} as const satisfies RouteSpec;

type Run<S extends RouteSpec> = (request: HttpRequest<S>) => Promise<HttpResult>;
const postForm = vi.fn<Run<typeof formRoute>>();
const postJson = vi.fn<Run<typeof jsonRoute>>();
const handler = httpModule([route(formRoute, (request) => postForm(request)), route(jsonRoute, (request) => postJson(request))]);

function invoke(input: EventInput): ReturnType<typeof handler> {
  return handler(httpEvent({ claims: null, ...input }), lambdaContext());
}

const form = (body: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8'): EventInput => ({
  routeKey: 'POST /open311/v2/requests.json',
  headers: { 'content-type': contentType },
  body,
});

beforeEach(() => {
  vi.restoreAllMocks();
  vi.spyOn(logger, 'info').mockImplementation(() => undefined);
  vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  postForm.mockReset();
  postForm.mockImplementation(async ({ body }) => ok(body, 201));
  postJson.mockReset();
  postJson.mockImplementation(async ({ body }) => ok(body, 201));
});

describe('parseFormBody', () => {
  it("parses the spec's example POST body byte for byte: + as space, percent escapes, bracketed names kept whole", () => {
    // Act
    const fields = parseFormBody(fixture('post-request.form.txt'));

    // Assess
    expect(fields).toMatchObject({
      jurisdiction_id: 'city.gov',
      service_code: '001',
      lat: '37.76524078',
      long: '-122.4212043',
      address_string: '1234 5th street',
      email: 'smit333@sfgov.edu',
      description: 'A large sinkhole is destroying the street',
      media_url: 'http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg',
      'attribute[WHISPAWN]': '123456',
      'attribute[WHISDORN]': 'COISL001',
    });
  });

  it('decodes UTF-8 and collects a repeated name into an array', () => {
    // Act
    const fields = parseFormBody('description=%E4%BA%95%E7%9B%96%E7%BC%BA%E5%A4%B1&a[]=1&a[]=2');

    // Assess
    expect(fields).toEqual({ description: '井盖缺失', 'a[]': ['1', '2'] });
  });
});

describe("bodyFormat: 'form'", () => {
  it('hands a form-encoded body to the schema as an object', async () => {
    // Act
    const response = await invoke(form('jurisdiction_id=jingan&lat=31.23&description=%E5%9E%83%E5%9C%BE'));

    // Assess
    expect(response.statusCode).toBe(201);
    expect(JSON.parse(response.body as string)).toEqual({ jurisdiction_id: 'jingan', lat: 31.23, description: '垃圾' });
  });

  it('accepts JSON too', async () => {
    // Act
    const response = await invoke(form(JSON.stringify({ jurisdiction_id: 'jingan', lat: 31.23 }), 'application/json'));

    // Assess
    expect(response.statusCode).toBe(201);
  });

  it('refuses another media type with 415 in the Open311 shape', async () => {
    // Act
    const response = await invoke(form('jurisdiction_id=jingan', 'text/plain'));

    // Assess
    expect(response.statusCode).toBe(415);
    expect(JSON.parse(response.body as string)).toEqual([{ code: 415, description: expect.stringContaining('application/x-www-form-urlencoded') }]);
  });

  it('leaves JSON-only routes refusing form bodies with problem+json', async () => {
    // Act
    const response = await invoke({ routeKey: 'POST /v1/things', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'lat=1' });

    // Assess
    expect(response.statusCode).toBe(415);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
  });
});

describe("errorFormat: 'open311'", () => {
  it('answers a validation error as the spec array, one entry per field, without the body. prefix, status kept', async () => {
    // Act
    const response = await invoke(form('lat=north'));

    // Assess
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['content-type']).toBe('application/json; charset=utf-8');
    const errors = JSON.parse(response.body as string) as { code: number; description: string }[];
    expect(errors).toEqual([
      { code: 400, description: 'jurisdiction_id: jurisdiction_id was not provided' },
      { code: 400, description: expect.stringMatching(/^lat: /) },
    ]);
  });

  it("has exactly the spec example's fields, in its order", async () => {
    // Prepare: the spec's error example's field names, in order
    const specFields = [...fixture('errors.response.json').matchAll(/"(\w+)":/g)].map((match) => match[1]);
    postForm.mockImplementation(async () => {
      throw new NotFoundError('jurisdiction_id', 'city.gov');
    });

    // Act
    const response = await invoke(form('jurisdiction_id=city.gov&lat=1'));

    // Assess
    const errors = JSON.parse(response.body as string) as Record<string, unknown>[];
    expect(response.statusCode).toBe(404);
    expect(errors.map((error) => Object.keys(error))).toEqual([specFields]);
    expect(errors[0]).toEqual({ code: 404, description: "jurisdiction_id 'city.gov' does not exist" });
  });

  it('turns an unexpected error into a generic 500 entry that quotes the request id', async () => {
    // Prepare
    postForm.mockImplementation(async () => {
      throw new Error('secret internals');
    });

    // Act
    const response = await invoke(form('jurisdiction_id=a&lat=1'));

    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('secret internals');
    expect(JSON.parse(response.body as string)[0]).toMatchObject({ code: 500, description: expect.stringContaining('Yx3KpgGXtjMEbcA=') });
  });
});

describe('open311Errors', () => {
  it('uses the detail when a problem lists no fields', () => {
    // Act + Assess
    expect(open311Errors({ type: '/problems/conflict', title: 'Conflict', status: 409, detail: 'already closed' })).toEqual([{ code: 409, description: 'already closed' }]);
  });
});
