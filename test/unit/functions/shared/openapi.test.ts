import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { httpModules } from '../../../../functions/http/manifest';
import { openApiDocument } from '../../../../functions/shared/openapi';
import type { RouteSpec } from '../../../../functions/shared/route';

/** The parts of an OpenAPI operation these tests read. */
interface Operation {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { required?: boolean; content: Record<string, unknown> };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

const document = openApiDocument(httpModules) as unknown as Document;

/** A deep copy for the validator, which dereferences in place. */
function copyForValidator(value: unknown): Parameters<typeof validate>[0] {
  return structuredClone(value) as Parameters<typeof validate>[0];
}

/** Every documented route: API Gateway's ANY catch-all (Open311's unknown paths) is not an operation. */
const everyRoute: { module: string; spec: RouteSpec }[] = httpModules.flatMap((module) =>
  module.routes.filter((spec) => spec.method !== 'ANY').map((spec) => ({ module: module.name, spec })),
);

function operationOf(spec: RouteSpec): Operation | undefined {
  return document.paths[spec.path]?.[spec.method.toLowerCase()];
}

describe('openApiDocument', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // Act
    const result = await validate(copyForValidator(document), { resolve: { external: false } });

    // Assess
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.specification).toBe('OpenAPI');
  }, 30_000);

  it('is checked by a validator that does refuse a broken document (control)', async () => {
    // Prepare
    const { info: _info, ...broken } = structuredClone(document) as unknown as Record<string, unknown>;

    // Act
    const result = await validate(copyForValidator(broken), { resolve: { external: false } });

    // Assess
    expect(result.valid).toBe(false);
  }, 30_000);

  it('declares openapi 3.1.0', () => {
    // Assess
    expect(document.openapi).toBe('3.1.0');
  });

  it('covers routes of every module (the manifest is not empty)', () => {
    // Assess
    expect(new Set(everyRoute.map((route) => route.module))).toEqual(new Set(httpModules.map((module) => module.name)));
    expect(everyRoute.length).toBeGreaterThanOrEqual(8);
  });

  it.each(everyRoute)('documents $module: $spec.method $spec.path as $spec.operationId', ({ spec }) => {
    // Act
    const operation = operationOf(spec);

    // Assess
    expect(operation?.operationId).toBe(spec.operationId);
    expect(operation?.tags).toEqual([...spec.tags]);
  });

  it.each(everyRoute)('states the security of $spec.operationId', ({ spec }) => {
    // Act
    const operation = operationOf(spec);

    // Assess
    expect(operation?.security).toEqual(spec.auth === 'jwt' ? [{ bearer: [] }] : []);
  });

  it('defines the bearer scheme the operations name', () => {
    // Assess
    expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it.each(everyRoute)('documents each problem of $spec.operationId, and a 500, as application/problem+json', ({ spec }) => {
    // Act
    const responses = operationOf(spec)?.responses ?? {};

    // Assess
    for (const status of [...spec.problems, 500]) {
      expect(Object.keys(responses[String(status)]?.content ?? {}), `status ${status}`).toEqual(['application/problem+json']);
    }
  });

  it.each(everyRoute)('documents the success answer of $spec.operationId', ({ spec }) => {
    // Act
    const success = operationOf(spec)?.responses[String(spec.success.status)];

    // Assess
    expect(success?.description).toBe(spec.success.description);
    if (spec.success.schema !== undefined) expect(Object.keys(success?.content ?? {})).toEqual([spec.success.contentType ?? 'application/json']);
  });

  it.each(everyRoute.filter(({ spec }) => spec.body !== undefined))('documents the required JSON body of $spec.operationId', ({ spec }) => {
    // Act
    const body = operationOf(spec)?.requestBody;

    // Assess
    expect(body?.required).toBe(true);
    expect(Object.keys(body?.content ?? {})).toEqual(['application/json']);
  });

  it.each(everyRoute.filter(({ spec }) => spec.ifMatch === true))('documents the required If-Match header of $spec.operationId', ({ spec }) => {
    // Act
    const header = operationOf(spec)?.parameters?.find((parameter) => parameter.in === 'header' && parameter.name === 'if-match');

    // Assess
    expect(header?.required).toBe(true);
  });

  it.each(everyRoute.filter(({ spec }) => spec.idempotent === true))('documents the optional Idempotency-Key header of $spec.operationId', ({ spec }) => {
    // Act
    const header = operationOf(spec)?.parameters?.find((parameter) => parameter.in === 'header' && parameter.name === 'idempotency-key');

    // Assess
    expect(header).toBeDefined();
    expect(header?.required ?? false).toBe(false);
  });

  it.each(everyRoute.filter(({ spec }) => spec.params !== undefined))('documents the path parameters of $spec.operationId as required', ({ spec }) => {
    // Prepare
    const names = [...spec.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);

    // Act
    const parameters = operationOf(spec)?.parameters?.filter((parameter) => parameter.in === 'path') ?? [];

    // Assess
    expect(parameters.map((parameter) => parameter.name).sort()).toEqual(names.sort());
    expect(parameters.every((parameter) => parameter.required === true)).toBe(true);
  });
});

/**
 * What the shared middy stack can answer, per route trait (functions/shared/http.ts and
 * idempotency.ts). A route's `problems` feed the document, so a missing status is a
 * response clients cannot know about.
 */
describe('documented problems match what the HTTP stack can answer', () => {
  // GeoReport v2 names 400, 403 and 404 only: an Open311 route answers a 409, 413, 415 or 422 as
  // HTTP 400 with the specific code in the error array (functions/http/open311).
  const open311Status = (status: number): number => ([409, 413, 415, 422].includes(status) ? 400 : status);
  const expectedProblems = (spec: RouteSpec): number[] =>
    [
      ...(spec.auth === 'jwt' ? [401] : []),
      ...(spec.body !== undefined || spec.params !== undefined || spec.query !== undefined ? [400] : []),
      ...(spec.body !== undefined ? [413, 415] : []),
      ...(spec.ifMatch === true ? [412, 428] : []),
      ...(spec.idempotent === true ? [400, 409, 422] : []),
      ...(spec.clientLimit !== undefined ? [429] : []),
    ].map((status) => (spec.errorFormat === 'open311' ? open311Status(status) : status));

  it.each(everyRoute)('$spec.operationId lists every status its traits produce', ({ spec }) => {
    // Act
    const missing = [...new Set(expectedProblems(spec))].filter((status) => !spec.problems.includes(status)).sort();

    // Assess
    expect(missing).toEqual([]);
  });
});
