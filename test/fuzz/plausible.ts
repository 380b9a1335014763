import fc from 'fast-check';
import type * as z from 'zod';

/**
 * Plausible values for a route's zod schema, read from zod 4's schema definitions (`_zod.def`):
 * objects with their keys, strings matching their patterns and length bounds, numbers within
 * their bounds, enum members, array lengths. "Plausible", not "valid": refinements and
 * cross-field rules are not modelled, and the fuzzer's ground truth is always the schema's own
 * `safeParse`. The point is to start mutating from something close enough to valid that the
 * mutated field is the one the schema refuses, so validation is reached in depth.
 */

type Def = {
  readonly type: string;
  readonly checks?: ReadonlyArray<{ readonly _zod: { readonly def: CheckDef } }>;
  readonly [key: string]: unknown;
};
type CheckDef = {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly length?: number;
  readonly value?: number | bigint;
  readonly inclusive?: boolean;
};

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function checksOf(def: Def): CheckDef[] {
  return (def.checks ?? []).map((check) => check._zod.def);
}

const maxDepth = 6;

/** Fixed examples for string formats that fc.stringMatching cannot build (lookaheads) or that read better. */
function formatExample(format: string | undefined): fc.Arbitrary<string> | undefined {
  switch (format) {
    case 'date':
      return fc.constantFrom('2026-03-15', '2026-01-01', '2025-12-31', '2026-06-30');
    case 'datetime':
      return fc.constantFrom('2026-03-15T08:00:00Z', '2026-03-15T08:00:00+08:00', '2026-01-01T00:00:00.000Z');
    case 'time':
      return fc.constantFrom('08:00', '08:00:00', '23:59');
    case 'email':
      return fc.constantFrom('li.wei@example.cn', 'ops@xiuhua.gov.cn');
    case 'url':
      return fc.constantFrom('https://example.cn/a', 'https://xiuhua.gov.cn/');
    case 'uuid':
    case 'guid':
      return fc.uuid();
    case 'ulid':
      return fc.ulid();
    default:
      return undefined;
  }
}

function stringArb(def: Def): fc.Arbitrary<string> {
  const checks = checksOf(def);
  let min = 0;
  let max = 24;
  let exact: number | undefined;
  const patterns: RegExp[] = [];
  for (const check of checks) {
    if (check.check === 'min_length' && check.minimum !== undefined) min = check.minimum;
    if (check.check === 'max_length' && check.maximum !== undefined) max = Math.min(check.maximum, 64);
    if (check.check === 'length_equals' && check.length !== undefined) exact = check.length;
    if (check.check === 'string_format' && check.pattern !== undefined) patterns.push(check.pattern);
  }
  const format = def['format'] as string | undefined;
  const fixed = formatExample(format);
  if (fixed !== undefined) return fixed;
  const pattern = (def['pattern'] as RegExp | undefined) ?? patterns[0];
  if (pattern !== undefined) {
    try {
      // The pattern usually carries the length too; a length filter here could reject almost everything.
      return fc.stringMatching(pattern);
    } catch {
      // A pattern fast-check cannot build from (lookarounds): a plain string, refused by the schema.
    }
  }
  if (exact !== undefined) return fc.string({ minLength: exact, maxLength: exact, unit: 'grapheme-ascii' });
  return fc.string({ minLength: min, maxLength: Math.max(min, max), unit: 'grapheme-ascii' });
}

function numberArb(def: Def): fc.Arbitrary<number> {
  let min = -1_000_000;
  let max = 1_000_000;
  let integer = false;
  for (const check of checksOf(def)) {
    if (check.check === 'number_format' && (check.format === 'safeint' || check.format === 'int32' || check.format === 'uint32')) integer = true;
    if (check.check === 'greater_than' && typeof check.value === 'number') min = Math.max(min, check.inclusive === true ? check.value : check.value + (integer ? 1 : 0.001));
    if (check.check === 'less_than' && typeof check.value === 'number') max = Math.min(max, check.inclusive === true ? check.value : check.value - (integer ? 1 : 0.001));
  }
  if (def['format'] === 'safeint' || def['format'] === 'int32') integer = true;
  if (max < min) max = min;
  // Small values first: counts and money of the size the service sees (and shrink well).
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** A plausible value for `schema` (undefined stands for "omit this key"). */
export function plausible(schema: z.ZodType, depth = 0): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (depth > maxDepth) return fc.constant(undefined);
  switch (def.type) {
    case 'string':
      return stringArb(def);
    case 'number':
      return numberArb(def);
    case 'int':
      return fc.integer({ min: 0, max: 1000 });
    case 'boolean':
      return fc.boolean();
    case 'bigint':
      return fc.constant(1);
    case 'null':
      return fc.constant(null);
    case 'undefined':
    case 'void':
      return fc.constant(undefined);
    case 'date':
      return fc.constant('2026-03-15T08:00:00Z');
    case 'literal':
      return fc.constantFrom(...(def['values'] as unknown[]));
    case 'enum':
      return fc.constantFrom(...Object.values(def['entries'] as Record<string, unknown>));
    case 'optional':
    case 'default':
    case 'prefault':
    case 'nullable':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return plausible(def['innerType'] as z.ZodType, depth);
    case 'pipe': {
      // z.preprocess(fn, schema) is pipe(transform, schema): the schema after it says what fits.
      const input = def['in'] as z.ZodType;
      return plausible(defOf(input).type === 'transform' ? (def['out'] as z.ZodType) : input, depth);
    }
    case 'transform':
    case 'any':
    case 'unknown':
    case 'custom':
      return fc.constantFrom<unknown>('x', 1, true);
    case 'lazy':
      return plausible((def['getter'] as () => z.ZodType)(), depth + 1);
    case 'union':
      return fc.oneof(...(def['options'] as z.ZodType[]).map((option) => plausible(option, depth + 1)));
    case 'intersection':
      return fc
        .tuple(plausible(def['left'] as z.ZodType, depth + 1), plausible(def['right'] as z.ZodType, depth + 1))
        .map(([left, right]) => (isRecord(left) && isRecord(right) ? { ...left, ...right } : left));
    case 'object': {
      const shape = def['shape'] as Record<string, z.ZodType>;
      const entries = Object.entries(shape).map(([key, value]) => {
        const optional = (value as unknown as { _zod: { optin?: string } })._zod.optin === 'optional';
        const arb = plausible(value, depth + 1);
        // Optional keys are left out now and then: absent and present both need to be reached.
        return [key, optional ? fc.option(arb, { nil: undefined, freq: 3 }) : arb] as const;
      });
      return fc.record(Object.fromEntries(entries)).map((value) => dropUndefined(value as Record<string, unknown>));
    }
    case 'record':
      return fc
        .array(fc.tuple(plausible(def['keyType'] as z.ZodType, depth + 1), plausible(def['valueType'] as z.ZodType, depth + 1)), { maxLength: 2 })
        .map((pairs) => Object.fromEntries(pairs.map(([key, value]) => [String(key), value])));
    case 'array': {
      let min = 0;
      let max = 3;
      for (const check of checksOf(def)) {
        if (check.check === 'min_length' && check.minimum !== undefined) min = check.minimum;
        if (check.check === 'max_length' && check.maximum !== undefined) max = Math.min(check.maximum, Math.max(min, 3));
        if (check.check === 'length_equals' && check.length !== undefined) min = max = check.length;
      }
      return fc.array(plausible(def['element'] as z.ZodType, depth + 1), { minLength: min, maxLength: Math.max(min, max) });
    }
    case 'tuple':
      return fc.tuple(...(def['items'] as z.ZodType[]).map((item) => plausible(item, depth + 1)));
    default:
      return fc.constant('x');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined));
}

/** The fields of an object schema (through optional/pipe wrappers), for params. */
export function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (schema === undefined) return {};
  let def = defOf(schema);
  for (let i = 0; i < 8 && def.type !== 'object'; i += 1) {
    const inner = (def['innerType'] ?? def['in']) as z.ZodType | undefined;
    if (inner === undefined) return {};
    def = defOf(inner);
  }
  return def.type === 'object' ? (def['shape'] as Record<string, z.ZodType>) : {};
}
