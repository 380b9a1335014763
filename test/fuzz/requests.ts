import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import type * as z from 'zod';
import { parseFormBody, parseIfMatch } from '../../functions/shared/http';
import { checkIdempotencyKey } from '../../functions/shared/idempotency';
import type { RouteSpec } from '../../functions/shared/route';
import { defaultMaxBodyBytes } from '../../functions/shared/schemas';
import { apiGatewayMaxBodyBytes } from '../../infra/local/http-server';
import {
  badIdempotencyKeys,
  badIfMatch,
  hostileCursor,
  hostilePathSegments,
  hostileString,
  hostileValue,
  madeUpIds,
  wrongContentTypes,
  wrongTypes,
} from './nasty';
import { objectShape, plausible } from './plausible';

/**
 * One route's malformed requests: a plausible request (built from the route's own zod schemas)
 * with one or two parts broken, plus a prediction — from the same schemas and the same edge
 * rules the HTTP stack applies (functions/shared/http.ts) — of whether the request is invalid
 * before any use case runs. Invalid requests must be refused and must write nothing.
 */

export type TokenKind = `role:${string}` | `foreign:${string}` | 'none' | 'expired' | 'garbage' | 'wrong-key' | 'basic';

export interface FuzzRequest {
  readonly operationId: string;
  readonly method: string;
  readonly url: string;
  readonly token: TokenKind;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
  /** What was broken, for the figures and the counterexample. */
  readonly broken: readonly string[];
}

/** What the generators may draw from: minted tokens, real ids, cursors other lists handed out. */
export interface FuzzWorld {
  readonly roles: readonly string[];
  /** Bearer header value (without "Bearer ") per TokenKind; absent kinds send no header. */
  readonly tokens: Readonly<Record<string, string>>;
  readonly realIds: readonly string[];
  readonly cursors: readonly string[];
}

const defaultMaxBody = defaultMaxBodyBytes;

/** encodeURIComponent that survives lone surrogates: they go out as CESU-8 bytes, invalid UTF-8. */
export function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    let out = '';
    for (const char of value) {
      const code = char.codePointAt(0)!;
      if (code >= 0xd800 && code <= 0xdfff) {
        out += Buffer.from([0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)])
          .toString('hex')
          .replace(/(..)/g, '%$1')
          .toUpperCase();
      } else out += encodeURIComponent(char);
    }
    return out;
  }
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(asText).join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1]!);
}

function paramsArb(spec: RouteSpec, world: FuzzWorld): fc.Arbitrary<{ segments: Record<string, string>; broken: string[] }> {
  const shape = objectShape(spec.params);
  const names = pathParamNames(spec.path);
  const entries = names.map((name) => {
    const schema = shape[name];
    const good = (schema === undefined ? fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme-ascii' }) : plausible(schema)).map((value) => ({
      segment: encode(asText(value)),
      broken: undefined as string | undefined,
    }));
    const real = world.realIds.length === 0 ? good : fc.constantFrom(...world.realIds).map((id) => ({ segment: encode(id), broken: `params.${name}:real-id` as string | undefined }));
    const hostile = fc.oneof(
      fc.constantFrom(...madeUpIds).map((id) => ({ segment: encode(id), broken: `params.${name}:made-up-id` })),
      fc.constantFrom(...hostilePathSegments).map((raw) => ({ segment: raw, broken: `params.${name}:path-segment` })),
      hostileString().map((text) => ({ segment: encode(text), broken: `params.${name}:hostile-string` })),
    );
    return fc
      .oneof({ weight: 5, arbitrary: good }, { weight: 2, arbitrary: real }, { weight: 3, arbitrary: hostile })
      .map((choice) => [name, choice] as const);
  });
  return fc.tuple(...entries).map((pairs) => {
    const segments: Record<string, string> = {};
    const broken: string[] = [];
    for (const [name, choice] of pairs) {
      // An empty segment would not reach the route at all (404): keep the route, vary the value.
      segments[name] = choice.segment === '' ? '%20' : choice.segment;
      if (choice.broken !== undefined) broken.push(choice.broken);
    }
    return { segments, broken };
  });
}

type Mutation =
  | { readonly kind: 'set'; readonly pick: number; readonly value: unknown }
  | { readonly kind: 'delete'; readonly pick: number }
  | { readonly kind: 'extra'; readonly pick: number; readonly key: string; readonly value: unknown }
  | { readonly kind: 'root'; readonly value: unknown };

function mutationArb(): fc.Arbitrary<Mutation> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: hostileValue() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('extra' as const),
        pick: fc.nat(),
        key: fc.constantFrom('__proto__', 'constructor', 'tenantId', 'version', 'id', 'status', 'x', '', '\u202Ekey', 'a'.repeat(300)),
        value: hostileValue(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('root' as const), value: fc.constantFrom(...wrongTypes) }) },
  );
}

type Path = ReadonlyArray<string | number>;

/** Every path inside a JSON value (objects' keys and arrays' items), the root excluded. */
function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((item, index) => { out.push([...prefix, index]); pathsOf(item, [...prefix, index], out); });
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

function containersOf(value: unknown): Path[] {
  const all: Path[] = [[], ...pathsOf(value)];
  return all.filter((path) => {
    const at = getAt(value, path);
    return typeof at === 'object' && at !== null && !Array.isArray(at);
  });
}

function getAt(value: unknown, path: Path): unknown {
  let at = value;
  for (const step of path) at = (at as Record<string | number, unknown>)?.[step];
  return at;
}

/** Hostile values are shared constants: every use gets its own copy, or a mutation would alter them for later runs. */
function clone(value: unknown): unknown {
  return structuredClone(value);
}

/** Applies mutations to a copy; returns the new value and what was broken (`body.a.b:set`). */
function mutate(base: unknown, mutations: readonly Mutation[], label: string): { value: unknown; broken: string[] } {
  let value = clone(base);
  const broken: string[] = [];
  for (const mutation of mutations) {
    if (mutation.kind === 'root') {
      value = clone(mutation.value);
      broken.push(`${label}:root-wrong-type`);
      continue;
    }
    if (mutation.kind === 'extra') {
      const containers = containersOf(value);
      if (containers.length === 0) continue;
      const path = containers[mutation.pick % containers.length]!;
      const target = getAt(value, path) as Record<string, unknown>;
      Object.defineProperty(target, mutation.key, { value: clone(mutation.value), enumerable: true, configurable: true, writable: true });
      broken.push(`${[label, ...path].join('.')}:extra-field`);
      continue;
    }
    const paths = pathsOf(value);
    if (paths.length === 0) {
      value = mutation.kind === 'set' ? clone(mutation.value) : undefined;
      broken.push(`${label}:${mutation.kind}`);
      continue;
    }
    const path = paths[mutation.pick % paths.length]!;
    const parent = getAt(value, path.slice(0, -1)) as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (mutation.kind === 'set') parent[last] = clone(mutation.value);
    else if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
    broken.push(`${[label, ...path].join('.')}:${mutation.kind}`);
  }
  return { value, broken };
}

function queryArb(spec: RouteSpec, world: FuzzWorld): fc.Arbitrary<{ query: string; broken: string[] }> {
  const base = spec.query === undefined ? fc.constant({}) : plausible(spec.query);
  const cursorValue = fc.oneof(
    hostileCursor().map((cursor) => ({ cursor, broken: 'query.cursor:bad-cursor' })),
    world.cursors.length === 0
      ? hostileCursor().map((cursor) => ({ cursor, broken: 'query.cursor:bad-cursor' }))
      : fc.constantFrom(...world.cursors).map((cursor) => ({ cursor, broken: 'query.cursor:other-list-cursor' })),
  );
  const limitValue = fc.constantFrom('0', '-1', '1.5', '100000', '1e3', 'NaN', '', ' 5', '5 ', '0x10', '9'.repeat(40));
  const queryMutation = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: hostileString() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('cursor' as const), value: cursorValue }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('limit' as const), value: limitValue }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('extra' as const), key: fc.constantFrom('x', 'tenantId', '__proto__', ''), value: hostileString() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), value: fc.constantFrom('%ZZ=1', '&&&', '=', 'limit', 'limit=1&limit=2', 'cursor=%E0%A4%A', '%00=%00') }) },
  );
  return fc.tuple(base, fc.array(queryMutation, { minLength: 0, maxLength: 2 })).map(([plain, mutations]) => {
    const fields: Record<string, string> = {};
    for (const [key, value] of Object.entries((plain ?? {}) as Record<string, unknown>)) if (value !== undefined) fields[key] = asText(value);
    const broken: string[] = [];
    const raws: string[] = [];
    for (const mutation of mutations) {
      const keys = Object.keys(fields);
      if (mutation.kind === 'set') {
        if (keys.length === 0) continue;
        const key = keys[mutation.pick % keys.length]!;
        fields[key] = mutation.value;
        broken.push(`query.${key}:hostile`);
      } else if (mutation.kind === 'cursor') {
        fields['cursor'] = mutation.value.cursor;
        broken.push(mutation.value.broken);
      } else if (mutation.kind === 'limit') {
        fields['limit'] = mutation.value;
        broken.push('query.limit:bad-number');
      } else if (mutation.kind === 'delete') {
        if (keys.length === 0) continue;
        const key = keys[mutation.pick % keys.length]!;
        delete fields[key];
        broken.push(`query.${key}:missing`);
      } else if (mutation.kind === 'extra') {
        fields[mutation.key] = mutation.value;
        broken.push(`query.${mutation.key}:extra`);
      } else {
        raws.push(mutation.value);
        broken.push('query:raw-malformed');
      }
    }
    const pairs = Object.entries(fields).map(([key, value]) => `${encode(key)}=${encode(value)}`);
    return { query: [...pairs, ...raws].join('&'), broken };
  });
}

interface BodyPlan {
  readonly body: string | undefined;
  readonly contentType: string | undefined;
  readonly broken: string[];
}

function badJson(text: string, cut: number, variant: number): { text: string; broken: string } {
  switch (variant % 7) {
    case 0:
      return { text: text.slice(0, Math.max(1, cut % Math.max(1, text.length))), broken: 'body:truncated-json' };
    case 1:
      return { text: text.replace(/([}\]])$/, ',$1'), broken: 'body:trailing-comma' };
    case 2:
      // Valid JSON by the letter (duplicate keys parse, the last one wins) but a classic trap.
      return { text: text.startsWith('{') && text.length > 2 ? `{"__dup":1,"__dup":"2",${text.slice(1)}` : `{"a":1,"a":2}`, broken: 'body:duplicate-keys' };
    case 3:
      return { text: `\uFEFF${text}`, broken: 'body:bom' };
    case 4:
      return { text: text.replace(/"/g, "'"), broken: 'body:single-quotes' };
    case 5:
      return { text: `${text} /* comment */`, broken: 'body:comment' };
    default:
      return { text: `{"n": NaN, "i": Infinity, "u": undefined}`, broken: 'body:js-literals' };
  }
}

function bodyArb(spec: RouteSpec): fc.Arbitrary<BodyPlan> {
  const schema = spec.body;
  const limit = spec.maxBodyBytes ?? defaultMaxBody;
  const base = schema === undefined ? fc.constant({ note: 'no body expected' } as unknown) : plausible(schema);
  const jsonType = fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'application/merge-patch+json', 'APPLICATION/JSON') },
    { weight: 2, arbitrary: fc.constantFrom<string | undefined>(...wrongContentTypes, undefined) },
  );
  const encoding = fc.oneof(
    { weight: 8, arbitrary: fc.constant('json' as const) },
    { weight: 2, arbitrary: fc.constant('bad-json' as const) },
    { weight: 1, arbitrary: fc.constant('oversized' as const) },
    { weight: spec.bodyFormat === 'form' ? 4 : 1, arbitrary: fc.constant('form' as const) },
    { weight: 1, arbitrary: fc.constant('empty' as const) },
  );
  return fc
    .record({
      base,
      mutations: fc.array(mutationArb(), { minLength: 1, maxLength: 2 }),
      encoding,
      contentType: jsonType,
      cut: fc.nat(),
      variant: fc.nat(),
      // Over the route's limit, now and then over API Gateway's own 10 MiB too.
      over: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 4096 }) }, { weight: 1, arbitrary: fc.constant(apiGatewayMaxBodyBytes) }),
      send: fc.oneof({ weight: schema === undefined ? 1 : 9, arbitrary: fc.constant(true) }, { weight: schema === undefined ? 4 : 1, arbitrary: fc.constant(false) }),
    })
    .map(({ base: plain, mutations, encoding: how, contentType, cut, variant, over, send }): BodyPlan => {
      if (!send) return { body: undefined, contentType: undefined, broken: schema === undefined ? [] : ['body:missing'] };
      const { value, broken } = mutate(plain, mutations, 'body');
      const text = JSON.stringify(value) ?? 'null';
      switch (how) {
        case 'json':
          return { body: text, contentType, broken };
        case 'bad-json': {
          const bad = badJson(text, cut, variant);
          return { body: bad.text, contentType: 'application/json', broken: [...broken, bad.broken] };
        }
        case 'oversized': {
          const padding = Math.max(0, limit + over - text.length - 16);
          return { body: `{"pad":"${'x'.repeat(padding)}","v":${text}}`, contentType: 'application/json', broken: ['body:oversized'] };
        }
        case 'form': {
          const form = new URLSearchParams();
          if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) form.append(key, asText(item));
          return { body: form.toString(), contentType: 'application/x-www-form-urlencoded', broken: [...broken, 'body:form'] };
        }
        default:
          return { body: variant % 2 === 0 ? '' : '   \n', contentType, broken: ['body:empty'] };
      }
    });
}

function tokenArb(spec: RouteSpec, world: FuzzWorld): fc.Arbitrary<TokenKind> {
  const valid = fc.constantFrom(...world.roles).map((role): TokenKind => `role:${role}`);
  const foreign = fc.constantFrom(...world.roles).map((role): TokenKind => `foreign:${role}`);
  const bad = fc.constantFrom<TokenKind>('none', 'expired', 'garbage', 'wrong-key', 'basic');
  return fc.oneof({ weight: 7, arbitrary: valid }, { weight: 2, arbitrary: foreign }, { weight: spec.auth === 'jwt' ? 2 : 1, arbitrary: bad });
}

function ifMatchArb(spec: RouteSpec): fc.Arbitrary<{ value: string | undefined; broken?: string }> {
  const good = fc.constantFrom('"1"', '"2"', 'W/"1"', '7').map((value) => ({ value }));
  const bad = fc.constantFrom(...badIfMatch).map((value) => ({ value, broken: 'headers.if-match:bad' }));
  const missing = fc.constant({ value: undefined, broken: 'headers.if-match:missing' });
  if (spec.ifMatch === true) return fc.oneof({ weight: 4, arbitrary: good }, { weight: 1, arbitrary: missing }, { weight: 3, arbitrary: bad });
  return fc.oneof({ weight: 8, arbitrary: fc.constant({ value: undefined }) }, { weight: 1, arbitrary: bad });
}

function idempotencyArb(spec: RouteSpec): fc.Arbitrary<{ value: string | undefined; broken?: string }> {
  const good = fc.uuid().map((value) => ({ value }));
  const bad = fc.constantFrom(...badIdempotencyKeys).map((value) => ({ value, broken: 'headers.idempotency-key:bad' }));
  if (spec.idempotent === true) return fc.oneof({ weight: 4, arbitrary: good }, { weight: 2, arbitrary: fc.constant({ value: undefined }) }, { weight: 3, arbitrary: bad });
  return fc.oneof({ weight: 8, arbitrary: fc.constant({ value: undefined }) }, { weight: 1, arbitrary: bad });
}

/** The request generator of one route. */
export function requestArb(spec: RouteSpec, world: FuzzWorld): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      token: tokenArb(spec, world),
      params: paramsArb(spec, world),
      query: spec.query === undefined ? fc.oneof({ weight: 5, arbitrary: fc.constant({ query: '', broken: [] as string[] }) }, { weight: 1, arbitrary: queryArb(spec, world) }) : queryArb(spec, world),
      body: bodyArb(spec),
      ifMatch: ifMatchArb(spec),
      idempotencyKey: idempotencyArb(spec),
    })
    .map(({ token, params, query, body, ifMatch, idempotencyKey }): FuzzRequest => {
      const path = spec.path.replace(/\{([^}+]+)\+?\}/g, (_whole, name: string) => params.segments[name]!);
      const headers: Record<string, string> = {};
      if (body.contentType !== undefined && body.body !== undefined) headers['content-type'] = body.contentType;
      if (ifMatch.value !== undefined) headers['if-match'] = ifMatch.value;
      if (idempotencyKey.value !== undefined) headers['idempotency-key'] = idempotencyKey.value;
      const auth = world.tokens[token];
      if (auth !== undefined) headers['authorization'] = token === 'basic' ? auth : `Bearer ${auth}`;
      return withPrinter({
        operationId: spec.operationId,
        method: spec.method,
        url: query.query === '' ? path : `${path}?${query.query}`,
        token,
        headers,
        body: body.body,
        broken: [
          ...(token.startsWith('role:') ? [] : [`token:${token.split(':')[0]}`]),
          ...params.broken,
          ...query.broken,
          ...body.broken,
          ...(ifMatch.broken === undefined ? [] : [ifMatch.broken]),
          ...(idempotencyKey.broken === undefined ? [] : [idempotencyKey.broken]),
        ],
      });
    });
}

function clip(text: string, max = 300): string {
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return text.length > max ? `${shown}… (${text.length} chars)` : shown;
}

/** The exact request, readable: long values clipped with their length, control characters escaped. */
export function describeRequest(request: FuzzRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `    ${name}: ${clip(value, 120)}`);
  return [
    `  ${request.method} ${clip(request.url)}`,
    `  token: ${request.token}`,
    ...headers,
    `  body: ${request.body === undefined ? '(none)' : clip(request.body)}`,
    `  broken: ${request.broken.join(', ') || '(nothing: a plausible request)'}`,
  ].join('\n');
}

/** fast-check prints counterexamples with this: a 6 MiB body must not flood the report. */
function withPrinter(request: FuzzRequest): FuzzRequest {
  Object.defineProperty(request, fc.toStringMethod, { value: () => `\n${describeRequest(request)}\n`, enumerable: false });
  return request;
}

// ——— prediction: would the edge (adapter + functions/shared/http.ts) refuse this request? ———

/** The adapter's query parsing (infra/local/http-adapter.ts parseQuery), as API Gateway does it. */
function parseQuery(raw: string): Record<string, string> | undefined {
  if (raw === '') return undefined;
  const params: Record<string, string> = {};
  const decode = (value: string): string => {
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return value;
    }
  };
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decode(at === -1 ? pair : pair.slice(0, at));
    const value = decode(at === -1 ? '' : pair.slice(at + 1));
    params[name] = params[name] === undefined ? value : `${params[name]},${value}`;
  }
  return Object.keys(params).length === 0 ? undefined : params;
}

function safeParses(schema: z.ZodType | undefined, value: unknown): boolean {
  return schema === undefined || schema.safeParse(value).success;
}

/**
 * Why the edge must refuse the request (empty: it may pass on to the use case). Mirrors
 * the order-independent checks of the adapter and of `dispatch`/`parseInput`/`readBody`.
 */
export function edgeRefusals(spec: RouteSpec, request: FuzzRequest): string[] {
  const reasons: string[] = [];
  const wire = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  if (wire !== undefined && wire.length > apiGatewayMaxBodyBytes) return ['gateway:413'];
  const at = request.url.indexOf('?');
  const rawPath = at === -1 ? request.url : request.url.slice(0, at);
  const rawQuery = at === -1 ? '' : request.url.slice(at + 1);
  if (spec.auth === 'jwt' && !request.token.startsWith('role:') && !request.token.startsWith('foreign:')) reasons.push('401');
  // Path parameters, decoded as the adapter decodes them.
  const templateParts = spec.path.split('/');
  const parts = rawPath.split('/');
  const params: Record<string, string> = {};
  templateParts.forEach((part, index) => {
    const match = /^\{([^}+]+)\}$/.exec(part);
    if (match === null) return;
    try {
      params[match[1]!] = decodeURIComponent(parts[index]!);
    } catch {
      reasons.push('gateway:bad-path');
    }
  });
  if (!safeParses(spec.params, params)) reasons.push('400:params');
  if (!safeParses(spec.query, parseQuery(rawQuery) ?? {})) reasons.push('400:query');
  if (spec.body !== undefined) {
    const raw = wire?.toString('utf8');
    const limit = spec.maxBodyBytes ?? defaultMaxBody;
    if (raw !== undefined && Buffer.byteLength(raw, 'utf8') > limit) reasons.push('413');
    else {
      let parsed: unknown;
      let readable = true;
      if (raw !== undefined && raw.trim() !== '') {
        const contentType = request.headers['content-type'];
        const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
        if (spec.bodyFormat === 'form' && mediaType === 'application/x-www-form-urlencoded') parsed = parseFormBody(raw);
        else if (mediaType === undefined || !(mediaType === 'application/json' || mediaType.endsWith('+json'))) {
          readable = false;
          reasons.push('415');
        } else {
          try {
            parsed = JSON.parse(raw) as unknown;
          } catch {
            readable = false;
            reasons.push('400:json');
          }
        }
      }
      if (readable && !safeParses(spec.body, parsed)) reasons.push('400:body');
    }
  }
  if (spec.ifMatch === true) {
    const value = request.headers['if-match'];
    if (value === undefined) reasons.push('428');
    else {
      try {
        parseIfMatch(value);
      } catch {
        reasons.push('400:if-match');
      }
    }
  }
  const key = request.headers['idempotency-key'];
  if (spec.idempotent === true && key !== undefined) {
    try {
      checkIdempotencyKey(key);
    } catch {
      reasons.push('400:idempotency-key');
    }
  }
  return reasons;
}

/**
 * A request the edge would let through, made definitely invalid: one part the stack must
 * refuse (in this order of preference), so a non-GET fuzz request can never write by chance.
 */
export function forceInvalid(spec: RouteSpec, request: FuzzRequest, choice: number): FuzzRequest | undefined {
  const options: Array<() => FuzzRequest> = [];
  if (spec.auth === 'jwt') options.push(() => ({ ...request, token: 'garbage', headers: { ...request.headers, authorization: 'Bearer not.a.jwt' }, broken: [...request.broken, 'forced:token'] }));
  if (spec.ifMatch === true) options.push(() => ({ ...request, headers: { ...request.headers, 'if-match': 'W/"x"' }, broken: [...request.broken, 'forced:if-match'] }));
  if (spec.idempotent === true) options.push(() => ({ ...request, headers: { ...request.headers, 'idempotency-key': 'k' }, broken: [...request.broken, 'forced:idempotency-key'] }));
  if (spec.body !== undefined) {
    options.push(() => ({ ...request, body: '[[[', headers: { ...request.headers, 'content-type': 'application/json' }, broken: [...request.broken, 'forced:bad-json'] }));
  }
  if (options.length === 0) return undefined;
  const forced = options[choice % options.length]!();
  return edgeRefusals(spec, forced).length > 0 ? forced : undefined;
}

// ——— the answer's properties ———

export type Violation = '5xx' | 'not-problem' | 'no-field' | 'accepted-invalid' | 'oversized-answer';

/**
 * A refusal is a few hundred bytes; one over 64 KB and over twice the request's own size is
 * amplification (a small body answered with megabytes). Echoing a huge URL back in `instance`
 * is not: that grows with the request.
 */
export const maxRefusalBytes = 64 * 1024;

/** The request's size on the wire, roughly: URL, header values and body. */
export function requestBytes(request: FuzzRequest): number {
  return request.url.length + Object.values(request.headers).reduce((sum, value) => sum + value.length, 0) + (request.body?.length ?? 0);
}

const xmlErrors = new XMLParser({ parseTagValue: false, isArray: (_name, jpath) => String(jpath) === 'errors.error' });

/** Checks one answer; returns the violation, if any. */
export function checkAnswer(
  spec: RouteSpec,
  predictedInvalid: boolean,
  answer: { status: number; headers: Readonly<Record<string, string>>; text: string },
  sentBytes = 0,
): { violation?: Violation; detail?: string; gateway?: boolean } {
  if (answer.status >= 500) return { violation: '5xx', detail: answer.text.slice(0, 500) };
  if (answer.status >= 200 && answer.status < 300) {
    return predictedInvalid ? { violation: 'accepted-invalid', detail: `status ${answer.status}` } : {};
  }
  const type = (answer.headers['content-type'] ?? '').toLowerCase();
  if (answer.text.length > maxRefusalBytes && answer.text.length > 2 * sentBytes) return { violation: 'oversized-answer', detail: `${answer.text.length} characters: ${answer.text.slice(0, 200)}` };
  let json: unknown;
  if (spec.errorFormat === 'open311' && type.startsWith('text/xml')) {
    // GeoReport v2's XML error document: <errors><error><code/><description/></error>…</errors>.
    try {
      const parsed = xmlErrors.parse(answer.text) as { errors?: { error?: Array<{ code?: unknown; description?: unknown }> } };
      json = (parsed.errors?.error ?? []).map((entry) => ({ code: Number(entry.code), description: entry.description }));
    } catch {
      return { violation: 'not-problem', detail: `content-type '${type}', body not XML: ${answer.text.slice(0, 200)}` };
    }
  } else {
    try {
      json = JSON.parse(answer.text) as unknown;
    } catch {
      return { violation: 'not-problem', detail: `content-type '${type}', body not JSON: ${answer.text.slice(0, 200)}` };
    }
  }
  if (spec.errorFormat === 'open311' && (type.startsWith('application/json') || type.startsWith('text/xml')) && Array.isArray(json)) {
    const entries = json as Array<{ code?: unknown; description?: unknown }>;
    // The spec's statuses are 400/403/404; a 400 may carry a more specific code (413, 415, 405...).
    const codeFits = (code: unknown): boolean => code === answer.status || (answer.status === 400 && typeof code === 'number' && code >= 400 && code < 500);
    const wellFormed = entries.length > 0 && entries.every((entry) => codeFits(entry.code) && typeof entry.description === 'string');
    if (!wellFormed) return { violation: 'not-problem', detail: `open311 error array malformed: ${answer.text.slice(0, 300)}` };
    // Open311 names fields as `service_code: ...`; an issue with the whole form (no body at all)
    // has no field to name, and GeoReport v2 has no slot for one, so a description suffices.
    if (answer.status === 400 && !entries.some((entry) => String(entry.description).trim() !== '')) {
      return { violation: 'no-field', detail: answer.text.slice(0, 300) };
    }
    return {};
  }
  if (!type.startsWith('application/problem+json')) return { violation: 'not-problem', detail: `content-type '${type}': ${answer.text.slice(0, 200)}` };
  const problem = json as { status?: unknown; title?: unknown; type?: unknown; errors?: Array<{ field?: unknown }> };
  if (problem.status !== answer.status || typeof problem.title !== 'string') {
    return { violation: 'not-problem', detail: `problem body does not match the status: ${answer.text.slice(0, 300)}` };
  }
  // The API Gateway stand-in answers some 400s itself (malformed path escapes), as AWS does: no fields there.
  const gateway = problem.type === 'about:blank';
  if (answer.status === 400 && !gateway) {
    const named = (problem.errors ?? []).some((error) => typeof error.field === 'string' && error.field !== '');
    if (!named) return { violation: 'no-field', detail: answer.text.slice(0, 300) };
  }
  return { gateway };
}
