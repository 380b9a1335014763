import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import type { HttpModuleManifest, RouteSpec } from './route';
import { defaultMaxBodyBytes, maxPageSize, Problem } from './schemas';

export { defaultMaxBodyBytes };

/**
 * The OpenAPI 3.1 document, generated from the same route specs and zod schemas that
 * validate requests (STYLE habit 4), so the document cannot drift from the code.
 */

const problemTitles: Readonly<Record<number, string>> = {
  400: 'Invalid request: each failing field is listed in `errors`',
  401: 'Missing or invalid bearer token',
  403: 'The caller\'s role may not do this',
  404: 'No such record (or not in the caller\'s tenant)',
  409: 'Conflict with the current state',
  412: 'If-Match names a version that is no longer current',
  413: 'Body too large',
  415: 'Body is not application/json',
  422: 'Well-formed but refused by a business rule',
  428: 'If-Match is required',
};

const IfMatch = z.string().max(40).meta({ description: 'the record\'s current version, as its ETag, e.g. "3"' });
const IdempotencyKey = z.string().min(8).max(255).meta({ description: 'a repeat with the same key returns the first answer and writes nothing' });

/** The body limit the HTTP stack enforces for a route (functions/shared/http.ts reads the same). */
export function maxBodyBytesOf(spec: Pick<RouteSpec, 'maxBodyBytes'>): number {
  return spec.maxBodyBytes ?? defaultMaxBodyBytes;
}

/** `1,048,576 bytes (1 MiB)`: the limit as the requestBody description states it. */
function bodyLimitText(bytes: number): string {
  const units = bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : undefined;
  return `${bytes.toLocaleString('en-US')} bytes${units === undefined ? '' : ` (${units})`}`;
}

function bodyDescription(spec: RouteSpec): string {
  const media = spec.bodyFormat === 'form' ? 'application/x-www-form-urlencoded or application/json' : 'application/json';
  return `${media}, at most ${bodyLimitText(maxBodyBytesOf(spec))}; a larger body is refused with 413 before it is parsed.`;
}

function register(registry: OpenAPIRegistry, spec: RouteSpec): void {
  const headers: Record<string, z.ZodType> = {};
  if (spec.ifMatch === true) headers['if-match'] = IfMatch;
  if (spec.idempotent === true) headers['idempotency-key'] = IdempotencyKey.optional();
  const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {
    [spec.success.status]: {
      description: spec.success.description,
      ...(spec.success.schema === undefined
        ? {}
        : { content: { [spec.success.contentType ?? 'application/json']: { schema: spec.success.schema } } }),
    },
  };
  for (const status of spec.problems) {
    responses[status] = {
      description: problemTitles[status] ?? 'Problem',
      content: { 'application/problem+json': { schema: Problem } },
    };
  }
  responses['500'] = { description: 'Internal error (details are logged, not returned)', content: { 'application/problem+json': { schema: Problem } } };
  registry.registerPath({
    method: spec.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    tags: [...spec.tags],
    ...(spec.auth === 'jwt' ? { security: [{ bearer: [] }] } : { security: [] }),
    request: {
      ...(spec.params === undefined ? {} : { params: spec.params as z.ZodObject }),
      ...(spec.query === undefined ? {} : { query: spec.query as z.ZodObject }),
      ...(Object.keys(headers).length === 0 ? {} : { headers: z.object(headers) }),
      ...(spec.body === undefined
        ? {}
        : { body: { required: true, description: bodyDescription(spec), content: { 'application/json': { schema: spec.body } } } }),
    },
    responses,
    // Issue 8 "Limits": the enforced body limit, machine-readable next to the sentence above.
    ...(spec.body === undefined ? {} : { 'x-max-body-bytes': maxBodyBytesOf(spec) }),
  });
}

/** Builds the document for every route of every module. */
export function openApiDocument(modules: readonly HttpModuleManifest[], serverUrl = '/'): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Cognito ID token (local stack: a dev token printed by `npm start`)',
  });
  // An `ANY` catch-all (Open311's unknown paths) is no operation of its own: nothing to document.
  for (const module of modules) for (const spec of module.routes) if (spec.method !== 'ANY') register(registry, spec);
  const generator = new OpenApiGeneratorV31(registry.definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'xiuhua API',
      version: '1',
      description:
        '绣花 — tenders, schedules, proofs, inspections and payments of a district\'s marketized street cleaning, greening and municipal upkeep. Money in integer fen, points in hundredths, ratios in basis points. ' +
        `Limits: a request body is at most ${bodyLimitText(defaultMaxBodyBytes)} unless its operation states otherwise (\`x-max-body-bytes\`); ` +
        `lists page with \`limit\` (1–${maxPageSize}) and an opaque \`cursor\`; every string, array and number of a request states its bounds.`,
    },
    servers: [{ url: serverUrl }],
  }) as unknown as Record<string, unknown>;
}
