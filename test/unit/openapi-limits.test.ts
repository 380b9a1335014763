import { describe, expect, it } from 'vitest';
import { httpModules } from '../../functions/http/manifest';
import { defaultMaxBodyBytes, openApiDocument } from '../../functions/shared/openapi';
import type { RouteSpec } from '../../functions/shared/route';
import { maxPageSize } from '../../functions/shared/schemas';

/**
 * Issue 8 "Limits": every limit the edge enforces is visible in the OpenAPI document. This
 * walks EVERY request-side schema of the generated document (path, query and header
 * parameters, request bodies; $refs followed) and lists each place where a client could
 * not read a bound off the document:
 * - a string without maxLength (an enum, a const or an anchored pattern without `*`/`+` bounds it too);
 * - an array without maxItems;
 * - a number without minimum and maximum, or whose only bound is the safe-integer limit;
 * - an object that takes keys it does not list (no `additionalProperties: false`) unless
 *   it is one of the documented exceptions below, and a map without maxProperties;
 * - a date or instant without a bounded year range (a pattern pinning the century);
 * - a schema that accepts anything (`{}`).
 * And per operation: a body shows its size limit (`x-max-body-bytes` and a sentence in the
 * requestBody description), a list shows `limit` with maximum 200.
 *
 * A failure lists every violation as `operationId  /json/pointer: what is missing`.
 */

type Json = Record<string, unknown>;

interface Operation {
  readonly operationId: string;
  readonly parameters?: ReadonlyArray<{ name: string; in: string; schema: Json }>;
  readonly requestBody?: { description?: string; content: Record<string, { schema: Json }> };
  readonly responses: Record<string, { content?: Record<string, { schema: Json }> }>;
  readonly 'x-max-body-bytes'?: number;
}

interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { schemas?: Record<string, Json> };
}

/**
 * Objects in request bodies that may carry keys they do not list, and why. A key of this
 * table is a JSON pointer into the document (a component or a path inside an operation).
 */
const geoJsonForeignMembers = 'GeoJSON (RFC 7946 §6.1) allows foreign members such as `bbox` and a legacy `crs`, and GIS exports carry them; they are dropped, never stored';
const open311Extra = 'Open311 GeoReport v2 clients send fields the spec defines and we do not keep (api_key, device_id, account_id, attribute[...]): accepted and dropped, as the spec expects';
const openObjectsAllowed: Readonly<Record<string, string>> = {
  '/components/schemas/SegmentGeometry/oneOf/0': geoJsonForeignMembers,
  '/components/schemas/SegmentGeometry/oneOf/1': geoJsonForeignMembers,
  '/components/schemas/SegmentGeometry/oneOf/2': geoJsonForeignMembers,
  '/components/schemas/SegmentGeometry/oneOf/3': geoJsonForeignMembers,
  '/components/schemas/ImportSegments/properties/featureCollection': `${geoJsonForeignMembers} (ogr2ogr writes \`name\` and \`crs\` on the collection)`,
  '/components/schemas/ImportSegments/properties/featureCollection/properties/features/items':
    'a Feature\'s `properties` are the source file\'s own columns, read through `mapping`; each feature is checked on its own so every failing one is named, and the 6 MiB body limit bounds the whole',
  '/components/schemas/Open311ServiceRequestInput': open311Extra,
  '/components/schemas/Open311ReopenInput': open311Extra,
};

/** The largest integer the document may show without it counting as "no bound". */
const unboundedMagnitude = Number.MAX_SAFE_INTEGER;

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolve(document: Document, ref: string): { schema: Json; pointer: string } {
  const pointer = ref.replace(/^#/, '');
  let at: unknown = document;
  for (const raw of pointer.split('/').slice(1)) at = (at as Json)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (typeof at !== 'object' || at === null) throw new Error(`unresolvable $ref ${ref}`);
  return { schema: at as Json, pointer };
}

function typesOf(schema: Json): string[] {
  const type = schema['type'];
  if (Array.isArray(type)) return type.map(String);
  return typeof type === 'string' ? [type] : [];
}

/** A pattern that pins the year to a century or two: `^20\d{2}-…`, `^(?:19|20)\d{2}-…`. */
function pinsYear(pattern: unknown): boolean {
  return typeof pattern === 'string' && /^\^(?:20|\((?:\?:)?19\|20\))\\d\{2\}-/.test(pattern);
}

/**
 * A pattern that bounds the length by itself: anchored at both ends, no `*`, `+` or `{n,}`
 * (ids such as `^seg_[0-9a-z]{10,40}$`). Escaped characters (`\+`) are not quantifiers.
 */
function boundsLength(pattern: unknown): boolean {
  if (typeof pattern !== 'string' || !pattern.startsWith('^') || !pattern.endsWith('$') || pattern.endsWith('\\$')) return false;
  const unescaped = pattern.replace(/\\./g, '');
  return !/[*+]|\{\d*,\}/.test(unescaped);
}

interface Finding {
  readonly operationId: string;
  readonly pointer: string;
  readonly problem: string;
}

/** Walks one request-side schema; reports each finding once per pointer (shared components once). */
function walk(document: Document, schema: Json, pointer: string, operationId: string, out: Finding[], seen: Set<string>, inBody: boolean): void {
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const target = resolve(document, ref);
    if (seen.has(target.pointer)) return;
    seen.add(target.pointer);
    walk(document, target.schema, target.pointer, operationId, out, seen, inBody);
    return;
  }
  const report = (problem: string, at = pointer): void => {
    out.push({ operationId, pointer: at, problem });
  };
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const parts = schema[key];
    if (Array.isArray(parts)) parts.forEach((part, index) => walk(document, part as Json, `${pointer}/${key}/${index}`, operationId, out, seen, inBody));
  }
  if ('const' in schema || Array.isArray(schema['enum'])) return;
  const types = typesOf(schema);
  const combined = ['anyOf', 'oneOf', 'allOf'].some((key) => Array.isArray(schema[key]));
  if (types.length === 0 && !combined && schema['not'] === undefined) {
    report('accepts any value: give it a type and bounds');
    return;
  }
  if (types.includes('string')) {
    if (typeof schema['maxLength'] !== 'number' && !boundsLength(schema['pattern'])) report('string without maxLength (or a pattern that bounds it)');
    const format = schema['format'];
    const looksLikeDate = format === 'date' || format === 'date-time' || (typeof schema['pattern'] === 'string' && /\\d\{4\}-/.test(schema['pattern']));
    if (looksLikeDate && !pinsYear(schema['pattern'])) report(`date/instant (${String(format ?? schema['pattern'])}) without a bounded year range (a pattern such as ^20\\d{2}-)`);
  }
  if (types.includes('number') || types.includes('integer')) {
    const min = typeof schema['minimum'] === 'number' ? schema['minimum'] : schema['exclusiveMinimum'];
    const max = typeof schema['maximum'] === 'number' ? schema['maximum'] : schema['exclusiveMaximum'];
    if (typeof min !== 'number') report('number without minimum');
    else if (min <= -unboundedMagnitude) report(`number whose minimum is only the safe-integer limit (${min})`);
    if (typeof max !== 'number') report('number without maximum');
    else if (max >= unboundedMagnitude) report(`number whose maximum is only the safe-integer limit (${max})`);
  }
  if (types.includes('array')) {
    if (typeof schema['maxItems'] !== 'number') report('array without maxItems');
    const items = schema['items'];
    if (typeof items === 'object' && items !== null) walk(document, items as Json, `${pointer}/items`, operationId, out, seen, inBody);
    const prefixItems = schema['prefixItems'];
    if (Array.isArray(prefixItems)) prefixItems.forEach((item, index) => walk(document, item as Json, `${pointer}/prefixItems/${index}`, operationId, out, seen, inBody));
  }
  if (types.includes('object')) {
    const properties = (schema['properties'] ?? {}) as Record<string, Json>;
    for (const [name, property] of Object.entries(properties)) walk(document, property, `${pointer}/properties/${escapePointer(name)}`, operationId, out, seen, inBody);
    const additional = schema['additionalProperties'];
    if (typeof additional === 'object' && additional !== null) {
      // A map (z.record): its values are walked, and its size must be bounded.
      if (typeof schema['maxProperties'] !== 'number') report('map (additionalProperties schema) without maxProperties');
      const names = schema['propertyNames'] as Json | undefined;
      if (names === undefined || (typeof names['maxLength'] !== 'number' && !Array.isArray(names['enum']) && typeof names['pattern'] !== 'string')) {
        report('map without bounded propertyNames (maxLength, enum or pattern)');
      }
      walk(document, additional as Json, `${pointer}/additionalProperties`, operationId, out, seen, inBody);
    } else if (inBody && additional !== false && !(pointer in openObjectsAllowed)) {
      report('object takes keys it does not list: make it strict (additionalProperties: false) or add it to openObjectsAllowed with the reason');
    }
  }
}

const document = openApiDocument(httpModules) as unknown as Document;
// `ANY /open311/{proxy+}` answers only errors; it is no operation and the document skips it.
const everyRoute: RouteSpec[] = httpModules.flatMap((module) => module.routes.filter((spec) => spec.method !== 'ANY'));

function operationOf(spec: RouteSpec): Operation {
  const operation = document.paths[spec.path]?.[spec.method.toLowerCase()];
  if (operation === undefined) throw new Error(`${spec.operationId} is not in the document`);
  return operation;
}

/** Every finding on the request side of every operation. */
function requestSideFindings(): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const base = `/paths/${escapePointer(path)}/${method}`;
      (operation.parameters ?? []).forEach((parameter, index) => {
        walk(document, parameter.schema, `${base}/parameters/${index}/schema`, operation.operationId, findings, seen, false);
      });
      for (const [mediaType, content] of Object.entries(operation.requestBody?.content ?? {})) {
        walk(document, content.schema, `${base}/requestBody/content/${escapePointer(mediaType)}/schema`, operation.operationId, findings, seen, true);
      }
    }
  }
  return findings;
}

function readable(findings: readonly Finding[]): string[] {
  return findings.map((finding) => `${finding.operationId}  ${finding.pointer}: ${finding.problem}`);
}

describe('the OpenAPI document shows every request-side limit', () => {
  it('bounds every string, array, number, map, date and object of every parameter and body', () => {
    // Act
    const findings = requestSideFindings();

    // Assess
    expect(readable(findings)).toEqual([]);
  });

  it('walks a real amount of the document (the walk is not vacuous)', () => {
    // Prepare: a copy with one unbounded string, one unbounded array and one open object in a body.
    const broken = structuredClone(document) as unknown as { paths: Record<string, Record<string, Json>> };
    broken.paths['/v1/probe'] = {
      post: {
        operationId: 'probe',
        parameters: [{ name: 'q', in: 'query', schema: { type: 'integer', minimum: 0 } }],
        requestBody: {
          content: {
            'application/json': {
              schema: { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string', maxLength: 5 } }, day: { type: 'string', format: 'date', maxLength: 10 } } },
            },
          },
        },
        responses: {},
      },
    };
    const findings: Finding[] = [];
    const probe = (broken.paths['/v1/probe']!['post'] as unknown as Operation);

    // Act
    walk(broken as unknown as Document, probe.parameters![0]!.schema, '/q', 'probe', findings, new Set(), false);
    walk(broken as unknown as Document, probe.requestBody!.content['application/json']!.schema, '/body', 'probe', findings, new Set(), true);

    // Assess
    expect(readable(findings)).toEqual([
      'probe  /q: number without maximum',
      'probe  /body/properties/name: string without maxLength (or a pattern that bounds it)',
      'probe  /body/properties/tags: array without maxItems',
      'probe  /body/properties/day: date/instant (date) without a bounded year range (a pattern such as ^20\\d{2}-)',
      'probe  /body: object takes keys it does not list: make it strict (additionalProperties: false) or add it to openObjectsAllowed with the reason',
    ]);
  });

  it('lists only documented exceptions that still exist', () => {
    // Assess: an exception whose object became strict (or vanished) is stale.
    const stale = Object.keys(openObjectsAllowed).filter((pointer) => {
      try {
        const { schema } = resolve(document, `#${pointer}`);
        return schema['additionalProperties'] === false;
      } catch {
        return true;
      }
    });
    expect(stale).toEqual([]);
  });

  it.each(everyRoute.filter((spec) => spec.body !== undefined).map((spec) => [spec.operationId, spec] as const))(
    '%s shows its body size limit, the one the HTTP stack enforces',
    (_operationId, spec) => {
      // Prepare
      const enforced = spec.maxBodyBytes ?? defaultMaxBodyBytes;

      // Act
      const operation = operationOf(spec);

      // Assess
      expect(operation['x-max-body-bytes']).toBe(enforced);
      expect(operation.requestBody?.description ?? '').toContain(`${enforced.toLocaleString('en-US')} bytes`);
    },
  );

  it.each(everyRoute.filter((spec) => spec.body === undefined).map((spec) => [spec.operationId, spec] as const))('%s without a body shows no body limit', (_operationId, spec) => {
    expect(operationOf(spec)['x-max-body-bytes']).toBeUndefined();
  });

  it('documents a list (an answer with nextCursor) with limit ≤ 200 and a cursor', () => {
    // Prepare
    const pages = everyRoute.filter((spec) => {
      const schema = operationOf(spec).responses[String(spec.success.status)]?.content?.['application/json']?.schema;
      if (schema === undefined) return false;
      const target = typeof schema['$ref'] === 'string' ? resolve(document, schema['$ref']).schema : schema;
      return typeof target['properties'] === 'object' && target['properties'] !== null && 'nextCursor' in (target['properties'] as Json);
    });

    // Act
    const wrong = pages.flatMap((spec) => {
      const parameters = operationOf(spec).parameters ?? [];
      const limit = parameters.find((parameter) => parameter.in === 'query' && parameter.name === 'limit');
      const cursor = parameters.find((parameter) => parameter.in === 'query' && parameter.name === 'cursor');
      return [
        ...(limit?.schema['maximum'] === maxPageSize && limit.schema['minimum'] === 1 ? [] : [`${spec.operationId}: limit is not 1–${maxPageSize}`]),
        ...(cursor === undefined ? [`${spec.operationId}: no cursor`] : []),
      ];
    });

    // Assess
    expect(pages.length).toBeGreaterThanOrEqual(15);
    expect(wrong).toEqual([]);
  });

  it('shows the same maximum on every limit parameter', () => {
    // Act
    const limits = Object.values(document.paths)
      .flatMap((methods) => Object.values(methods))
      .flatMap((operation) => (operation.parameters ?? []).filter((parameter) => parameter.in === 'query' && parameter.name === 'limit').map((parameter) => [operation.operationId, parameter.schema['maximum']]));

    // Assess
    expect(limits.filter(([, maximum]) => maximum !== maxPageSize)).toEqual([]);
  });
});
