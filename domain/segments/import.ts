import * as z from 'zod';
import { ConflictError, ValidationError } from '../errors';
import type { FieldIssue } from '../errors';
import { withoutUndefined } from '../records';
import { segmentIdFor } from './identity';
import { measureSegment, segmentMetrics, widthNeededMessage } from './metrics';
import type { SegmentMetrics } from './metrics';
import { RoadGrade, SegmentFields, SegmentFlag } from './schema';
import type { Segment } from './schema';

/** Most features one import may carry (issue #2). */
export const maxImportFeatures = 5_000;

/**
 * Which GeoJSON property holds each segment field. Defaults follow common district GIS
 * exports; a tenant maps its own column names per import.
 */
export const PropertyMapping = z
  .strictObject({
    externalId: z.string().min(1).max(200).default('id'),
    name: z.string().min(1).max(200).default('name'),
    street: z.string().min(1).max(200).default('street'),
    grid: z.string().min(1).max(200).default('grid'),
    grade: z.string().min(1).max(200).default('grade'),
    flags: z.string().min(1).max(200).default('flags'),
    widthM: z.string().min(1).max(200).default('width'),
  })
  .meta({ id: 'ImportPropertyMapping' });
export type PropertyMapping = z.infer<typeof PropertyMapping>;

/** Most entries of a value map (gradeValues, flagValues) and longest source value. */
const maxValueMapEntries = 200;
const maxSourceValueLength = 200;

/** Source value → our value; the OpenAPI generator shows no size of a record, so meta states it. */
function valueMap<T extends z.ZodType>(target: T) {
  return z
    .record(z.string().max(maxSourceValueLength), target)
    .refine((map) => Object.keys(map).length <= maxValueMapEntries, `at most ${maxValueMapEntries} source values`)
    .meta({ maxProperties: maxValueMapEntries, propertyNames: { type: 'string', maxLength: maxSourceValueLength } } as Record<string, unknown>)
    .default({});
}

export const ImportSegmentsInput = z
  .strictObject({
    // Open: a FeatureCollection may carry foreign members (ogr2ogr writes `name` and `crs`).
    featureCollection: z.object({
      type: z.literal('FeatureCollection'),
      features: z
        // Each feature is checked on its own (every failing feature is named by its index):
        // the array takes any value here and the document shows what a feature must be.
        .array(z.unknown().meta({ type: 'object', description: 'a GeoJSON Feature: geometry, and properties read through `mapping`' } as Record<string, unknown>))
        .min(1, 'the collection has no features')
        .max(maxImportFeatures, `at most ${maxImportFeatures} features per import`),
    }),
    mapping: PropertyMapping.default(PropertyMapping.parse({})),
    /** Source values → grade, on top of the built-in Chinese and English names (主干道 → primary...). */
    gradeValues: valueMap(RoadGrade),
    /** Source values → flag, on top of the built-in ones (严禁路 → strict, 严控路 → controlled). */
    flagValues: valueMap(SegmentFlag),
  })
  .meta({ id: 'ImportSegments' });
export type ImportSegmentsInput = z.infer<typeof ImportSegmentsInput>;

export const importOutcomes = ['created', 'updated', 'unchanged'] as const;

export const ImportSegmentsResult = z
  .object({
    featureCount: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    segments: z.array(
      z.object({
        index: z.number().int(),
        externalId: z.string(),
        segmentId: z.string(),
        outcome: z.enum(importOutcomes),
      }),
    ),
  })
  .meta({ id: 'ImportSegmentsResult' });
export type ImportSegmentsResult = z.infer<typeof ImportSegmentsResult>;

// ---------------------------------------------------------------------------------------
// The import planner: pure, all-or-nothing. parseFeatures turns a validated request into
// measured segment fields or one ValidationError listing every problem of every feature;
// planImport compares them with the stored segments and says what each feature will do.
// The handler reads the existing segments, plans, writes with conditional writes, and
// answers with summarizeImport.
// ---------------------------------------------------------------------------------------

/** Segment fields as stored: flags sorted and unique, absent optionals omitted, metrics known. */
export type NormalizedSegmentFields = Omit<SegmentFields, 'lengthM' | 'areaM2'> & SegmentMetrics;

/** Fields of an imported feature: normalized, and always with the external id it is keyed by. */
export type ImportedSegmentFields = NormalizedSegmentFields & { externalId: string };

export interface ParsedFeature {
  /** Position of the feature in the file, for the answer and for error paths. */
  readonly index: number;
  readonly fields: ImportedSegmentFields;
}

export type ImportOutcome = (typeof importOutcomes)[number];

export interface ImportPlanEntry {
  readonly index: number;
  readonly externalId: string;
  readonly segmentId: string;
  readonly outcome: ImportOutcome;
  /** The fields to store, normalized and measured. */
  readonly fields: ImportedSegmentFields;
  /** The stored segment this feature replaces; its version guards the conditional write. */
  readonly previous?: Segment;
  /** The stored segment is retired and the import brings it back (outcome 'updated'). */
  readonly reactivates: boolean;
}

/** Issues listed in one error, so a broken 5 000-feature file gives an answer a person can read. */
export const maxListedImportIssues = 500;

/**
 * Built-in grade names (keys are compared after NFKC, trimming and lower-casing, so
 * full-width digits and 'Primary' match too).
 *
 * - Road classes of CJJ 37-2012 城市道路工程设计规范 (快速路, 主干路, 次干路, 支路) and their
 *   common 道 spellings; 快速路 is cleaned as a primary road.
 * - Lanes: 背街小巷, 街巷, 小巷, and Shanghai's 里弄/弄堂.
 * - Cleaning grades 1–4 (一级–四级): CJJ/T 126 and district rules (e.g. 青浦区道路保洁和
 *   管理制度) rank roads into four cleaning grades, busiest first; they are read in the same
 *   order as the road classes: 1 primary, 2 secondary, 3 branch, 4 alley. A tenant whose
 *   numbers mean otherwise overrides them in gradeValues, which always wins.
 */
export const builtInGradeValues: Readonly<Record<string, RoadGrade>> = {
  primary: 'primary',
  secondary: 'secondary',
  branch: 'branch',
  alley: 'alley',
  快速路: 'primary',
  主干道: 'primary',
  主干路: 'primary',
  次干道: 'secondary',
  次干路: 'secondary',
  支路: 'branch',
  背街小巷: 'alley',
  街巷: 'alley',
  小巷: 'alley',
  里弄: 'alley',
  弄堂: 'alley',
  '1': 'primary',
  '1级': 'primary',
  一级: 'primary',
  '2': 'secondary',
  '2级': 'secondary',
  二级: 'secondary',
  '3': 'branch',
  '3级': 'branch',
  三级: 'branch',
  '4': 'alley',
  '4级': 'alley',
  四级: 'alley',
};

/** Built-in flag names; `null` marks words GIS tables use for "no flag" (无, none). */
export const builtInFlagValues: Readonly<Record<string, SegmentFlag | null>> = {
  strict: 'strict',
  controlled: 'controlled',
  严禁路: 'strict',
  严禁: 'strict',
  严控路: 'controlled',
  严控: 'controlled',
  无: null,
  none: null,
};

/** Separators between flags in one text value: , ; 、 | / and spaces (full-width forms fold to these under NFKC). */
const flagSeparators = /[,;、|/\s]+/u;

/** A width as text: a number of metres, optionally followed by m or 米 ("12.5", "12.5m", "12.5 米"). */
const widthText = /^(\d+(?:\.\d+)?)\s*(?:m|米)?$/u;

const gradeHelp = "use primary/secondary/branch/alley, 主干道/次干道/支路/背街小巷 or 1–4 (一级–四级), or map it in gradeValues";
const flagHelp = 'use strict/controlled or 严禁路/严控路 (several separated by , 、 or ;), or map it in flagValues';
const supportedGeometries = ['LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];

type MappedField = keyof PropertyMapping;

/** Field names in Chinese, for the zh-CN wording of a refusal (issue 15: the console shows it). */
const fieldLabelsZh: Readonly<Record<MappedField, string>> = {
  externalId: 'GIS 编号',
  name: '名称',
  street: '街道',
  grid: '网格',
  grade: '道路等级',
  flags: '管控标记',
  widthM: '宽度',
};
const gradeHelpZh = '请使用 主干道/次干道/支路/背街小巷、primary/secondary/branch/alley 或 1–4（一级–四级），或在 gradeValues 中映射';
const flagHelpZh = '请使用 严禁路/严控路 或 strict/controlled（多个用 , 、 或 ; 分隔），或在 flagValues 中映射';
const geometryHelpZh = '道路用 LineString 或 MultiLineString，广场、公园、绿带用 Polygon 或 MultiPolygon';

const fieldLabels: Readonly<Record<MappedField, string>> = {
  externalId: 'external id',
  name: 'name',
  street: 'street',
  grid: 'grid',
  grade: 'grade',
  flags: 'flags',
  widthM: 'width',
};

/**
 * Reads every feature of an import through the property mapping and validates it as
 * SegmentFields, with length and area measured (segmentMetrics). Returns the features in
 * file order, or throws one ValidationError('N of M features are invalid; nothing was
 * imported') whose issues name every problem of every feature (at most
 * `maxListedImportIssues`, then one saying how many more), each at
 * `featureCollection.features.{index}.properties.{property}` or `...geometry...`. An
 * external id used twice in the file is an error on the later feature naming the earlier.
 */
export function parseFeatures(input: ImportSegmentsInput): ParsedFeature[] {
  const context: ParseContext = {
    mapping: input.mapping,
    gradeValues: normalizedKeys(input.gradeValues),
    flagValues: normalizedKeys(input.flagValues),
  };
  const { features } = input.featureCollection;
  const results = features.map((feature, index) => parseFeature(feature, index, context));

  // Duplicates are a property of the file, so they are found after every feature is read.
  const firstIndexOf = new Map<string, number>();
  results.forEach((result, index) => {
    if (result.externalId === undefined) return;
    const first = firstIndexOf.get(result.externalId);
    if (first === undefined) {
      firstIndexOf.set(result.externalId, index);
      return;
    }
    result.issues.push({
      path: propertyPath(index, context.mapping.externalId),
      message: `external id '${result.externalId}' of feature ${index} is also used by feature ${first} (featureCollection.features.${first}); external ids must be unique within a file`,
      zh: `要素 ${index} 的 GIS 编号「${result.externalId}」与要素 ${first} 重复；同一文件中的编号必须唯一`,
    });
  });

  const invalid = results.filter((result) => result.issues.length > 0);
  if (invalid.length > 0) {
    const issues = invalid.flatMap((result) => result.issues);
    const listed = issues.slice(0, maxListedImportIssues);
    if (issues.length > listed.length) {
      listed.push({
        path: 'featureCollection.features',
        message: `${issues.length - listed.length} more problems are not listed; fix the ones above and import again`,
        zh: `另有 ${issues.length - listed.length} 个问题未列出；请先修正以上问题后重新导入`,
      });
    }
    throw new ValidationError(`${invalid.length} of ${features.length} features are invalid; nothing was imported`, listed, {
      zh: `${features.length} 个要素中有 ${invalid.length} 个有误，未导入任何路段`,
    });
  }
  return results.map((result, index) => ({ index, fields: result.fields as ImportedSegmentFields }));
}

/**
 * The fields as stored: flags sorted and unique, absent optional fields left out (so two
 * equal segments compare equal), and length and area from segmentMetrics (given values
 * win). Hand-created and imported segments go through this same function. Throws
 * ValidationError (paths relative to the fields) when a metric cannot be had, e.g. a line
 * without width or area.
 */
export function normalizedFields(fields: SegmentFields): NormalizedSegmentFields {
  return withMetrics(fields, segmentMetrics(fields));
}

/**
 * Decides, for every parsed feature, whether the import creates, updates or leaves alone
 * the segment with id `segmentIdFor(tenantId, externalId)`. `existing` holds the stored
 * segments of those ids (current versions, retired ones included).
 *
 * - Not stored: 'created'.
 * - Stored, active, every field equal (geometry deeply, flags as a set): 'unchanged'.
 * - Otherwise 'updated'. The file is the district GIS's full record of the segment, so
 *   every field is replaced: a property missing from the file clears that field, and
 *   length and area are measured afresh unless the file gives them.
 * - Stored but retired: 'updated' with `reactivates`, even with equal fields. A feature
 *   still in the GIS is a segment the district still has; refusing it would fail the whole
 *   all-or-nothing import, and ignoring it would hide it. Retirement and reactivation both
 *   stay in the segment's history.
 *
 * Throws ConflictError if a stored segment under a derived id carries another external id
 * (a hash collision or a hand-made record that broke the id rule), and Error if `existing`
 * holds another tenant's segment (a read that ignored the tenant: never write through it).
 */
export function planImport(parsed: readonly ParsedFeature[], existing: ReadonlyMap<string, Segment>, tenantId: string): ImportPlanEntry[] {
  return parsed.map(({ index, fields }) => {
    const { externalId } = fields;
    const segmentId = segmentIdFor(tenantId, externalId);
    const previous = existing.get(segmentId);
    if (previous === undefined) return { index, externalId, segmentId, outcome: 'created', fields, reactivates: false };
    if (previous.tenantId !== tenantId) {
      throw new Error(`segment ${segmentId} belongs to tenant '${previous.tenantId}', not '${tenantId}'; refusing to plan across tenants`);
    }
    if (previous.externalId !== externalId) {
      throw new ConflictError(
        `segment ${segmentId} carries external id '${previous.externalId ?? '(none)'}', not '${externalId}' (feature ${index}); it cannot be imported over`,
      );
    }
    const reactivates = previous.status === 'retired';
    const outcome: ImportOutcome = !reactivates && sameSegmentFields(fields, previous) ? 'unchanged' : 'updated';
    return { index, externalId, segmentId, outcome, fields, previous, reactivates };
  });
}

/** Whether two sets of segment fields say the same thing (absent equals undefined; flags as a set). */
export function sameSegmentFields(a: SegmentFields | Segment, b: SegmentFields | Segment): boolean {
  return comparedFields.every((key) =>
    key === 'flags' ? deepEqual([...new Set(a.flags)].sort(), [...new Set(b.flags)].sort()) : deepEqual(a[key], b[key]),
  );
}

/** The import's answer: counts per outcome and one line per feature, in file order. */
export function summarizeImport(plan: readonly ImportPlanEntry[]): ImportSegmentsResult {
  const count = (outcome: ImportOutcome): number => plan.filter((entry) => entry.outcome === outcome).length;
  return {
    featureCount: plan.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    segments: plan.map(({ index, externalId, segmentId, outcome }) => ({ index, externalId, segmentId, outcome })),
  };
}

const comparedFields = ['externalId', 'name', 'street', 'grid', 'grade', 'flags', 'widthM', 'lengthM', 'areaM2', 'geometry'] as const;

interface ParseContext {
  readonly mapping: PropertyMapping;
  readonly gradeValues: ReadonlyMap<string, RoadGrade>;
  readonly flagValues: ReadonlyMap<string, SegmentFlag>;
}

interface FeatureResult {
  readonly issues: FieldIssue[];
  /** Read even when other fields fail, so duplicates are reported alongside. */
  readonly externalId?: string;
  readonly fields?: ImportedSegmentFields;
}

function parseFeature(feature: unknown, index: number, context: ParseContext): FeatureResult {
  const at = `featureCollection.features.${index}`;
  if (!isRecord(feature)) {
    return { issues: [{ path: at, message: `a feature must be a GeoJSON Feature object; found ${describe(feature)}` }] };
  }
  const issues: FieldIssue[] = [];
  // Fields whose problem is already told in our own words; zod's message for them would repeat it.
  const reported = new Set<string>();

  if (feature.type !== 'Feature') {
    issues.push({ path: `${at}.type`, message: `type is ${describe(feature.type)}; each member of features must have type 'Feature'` });
  }

  const geometry = feature.geometry;
  if (!isRecord(geometry)) {
    issues.push({ path: `${at}.geometry`, message: `the feature has no geometry (found ${describe(geometry)}); use LineString or MultiLineString for roads, Polygon or MultiPolygon for squares, parks and green belts`, zh: `要素没有几何（${describe(geometry)}）；${geometryHelpZh}` });
    reported.add('geometry');
  } else if (typeof geometry.type !== 'string' || !supportedGeometries.includes(geometry.type)) {
    issues.push({ path: `${at}.geometry.type`, message: `geometry type ${describe(geometry.type)} is not supported; use LineString or MultiLineString for roads, Polygon or MultiPolygon for squares, parks and green belts`, zh: `不支持几何类型 ${describe(geometry.type)}；${geometryHelpZh}` });
    reported.add('geometry');
  }

  const properties = feature.properties;
  let props: Record<string, unknown> = {};
  if (isRecord(properties)) {
    props = properties;
  } else if (properties !== null && properties !== undefined) {
    issues.push({ path: `${at}.properties`, message: `properties must be an object; found ${describe(properties)}` });
  }
  const { mapping } = context;
  const valueOf = (field: MappedField): unknown => (Object.hasOwn(props, mapping[field]) ? props[mapping[field]] : undefined);
  const fail = (field: MappedField, message: string, path = propertyPath(index, mapping[field]), zh?: string): undefined => {
    issues.push({ path, message, ...(zh === undefined ? {} : { zh }) });
    reported.add(field);
    return undefined;
  };

  const externalId = readExternalId(valueOf('externalId'), (message, zh) => fail('externalId', message, undefined, zh), mapping);
  const text = (field: 'name' | 'street' | 'grid', required: boolean): string | undefined => {
    const value = valueOf(field);
    if (isBlank(value)) {
      return required
        ? fail(field, `property '${mapping[field]}' (${fieldLabels[field]}) is missing or empty; every feature needs one (or map another property in mapping.${field})`, undefined, `缺少属性「${mapping[field]}」（${fieldLabelsZh[field]}）或为空；每个要素都需要（或在 mapping.${field} 中映射其他属性）`)
        : undefined;
    }
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
    return fail(field, `${fieldLabels[field]} must be text; found ${describe(value)}`);
  };
  const name = text('name', true);
  const street = text('street', true);
  const grid = text('grid', false);
  const grade = readGrade(valueOf('grade'), context, (message, zh) => fail('grade', message, undefined, zh));
  const flags = readFlags(valueOf('flags'), context, (message, item, zh) =>
    fail('flags', message, item === undefined ? propertyPath(index, mapping.flags) : `${propertyPath(index, mapping.flags)}.${item}`, zh),
  );
  const widthM = readWidth(valueOf('widthM'), (message) => fail('widthM', message));

  const candidate = withoutUndefined({ externalId, name, street, grid, grade, flags, widthM, geometry });
  const result = SegmentFields.safeParse(candidate);
  if (!result.success) {
    const own = result.error.issues.filter((issue) => !reported.has(String(issue.path[0])));
    issues.push(...groupAlike(own).map(({ issue, more }) => zodIssue(issue, more, index, feature, props, mapping)));
    return { issues, ...(externalId === undefined ? {} : { externalId }) };
  }
  if (issues.length > 0) return { issues, ...(externalId === undefined ? {} : { externalId }) };

  const measurement = measureSegment(result.data);
  if (!measurement.ok) {
    for (const issue of measurement.issues) issues.push(measurementIssue(issue, index, mapping));
    return { issues, ...(externalId === undefined ? {} : { externalId }) };
  }
  const imported = result.data.externalId;
  // readExternalId reported a missing id above, so this only guards the type.
  if (imported === undefined) throw new Error(`feature ${index} passed validation without an external id`);
  return { issues, externalId: imported, fields: { ...withMetrics(result.data, measurement.metrics), externalId: imported } };
}

function readExternalId(value: unknown, fail: (message: string, zh?: string) => undefined, mapping: PropertyMapping): string | undefined {
  if (isBlank(value)) {
    return fail(
      `property '${mapping.externalId}' (external id) is missing or empty; every feature needs the id it has in the district GIS (or map another property in mapping.externalId)`,
      `缺少属性「${mapping.externalId}」（GIS 编号）或为空；每个要素都需要它在区 GIS 中的编号（或在 mapping.externalId 中映射其他属性）`,
    );
  }
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') {
    // JSON numbers past 2^53 have already lost digits; two different ids could arrive equal.
    if (!Number.isSafeInteger(value) && Number.isInteger(value)) {
      return fail(`external id ${value} is too large to be exact as a JSON number; export the id column as text`);
    }
    return String(value);
  }
  return fail(`external id must be text or a number; found ${describe(value)}`);
}

function readGrade(value: unknown, context: ParseContext, fail: (message: string, zh?: string) => undefined): RoadGrade | undefined {
  if (isBlank(value)) {
    return fail(`property '${context.mapping.grade}' (grade) is missing or empty; every feature needs a grade: ${gradeHelp}`, `缺少属性「${context.mapping.grade}」（道路等级）或为空；${gradeHelpZh}`);
  }
  if (typeof value !== 'string' && typeof value !== 'number') return fail(`grade must be text or a number; found ${describe(value)}`);
  const key = normalizeKey(String(value));
  const grade = context.gradeValues.get(key) ?? builtInGradeValues[key];
  return grade ?? fail(`grade '${String(value).trim()}' is not a known grade; ${gradeHelp}`, `道路等级「${String(value).trim()}」无法识别；${gradeHelpZh}`);
}

function readFlags(value: unknown, context: ParseContext, fail: (message: string, item?: number, zh?: string) => undefined): SegmentFlag[] | undefined {
  if (isBlank(value)) return [];
  const split = (text: string): string[] => text.normalize('NFKC').split(flagSeparators).filter((token) => token.length > 0);
  const tokens: { token: string; item?: number }[] = [];
  let failed = false;
  if (typeof value === 'string') {
    tokens.push(...split(value).map((token) => ({ token })));
  } else if (Array.isArray(value)) {
    for (const [item, element] of value.entries()) {
      if (typeof element === 'string') {
        tokens.push(...split(element).map((token) => ({ token, item })));
      } else {
        failed = true;
        fail(`flags must be text; item ${item} is ${describe(element)}`, item);
      }
    }
  } else {
    return fail(`flags must be text or a list of text; found ${describe(value)}`);
  }
  const flags = new Set<SegmentFlag>();
  for (const { token, item } of tokens) {
    const key = normalizeKey(token);
    const flag = context.flagValues.has(key) ? context.flagValues.get(key) : builtInFlagValues[key];
    if (flag === undefined) {
      failed = true;
      fail(`flag '${token}' is not a known flag; ${flagHelp}`, item, `管控标记「${token}」无法识别；${flagHelpZh}`);
    } else if (flag !== null) {
      flags.add(flag);
    }
  }
  return failed ? undefined : [...flags].sort();
}

function readWidth(value: unknown, fail: (message: string) => undefined): number | undefined {
  if (isBlank(value)) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const match = widthText.exec(normalizeKey(value));
    if (match?.[1] !== undefined) return Number(match[1]);
    return fail(`width '${value.trim()}' is not a number of metres; use a number such as 12.5 or text such as "12.5m"`);
  }
  return fail(`width must be a number of metres; found ${describe(value)}`);
}

/**
 * A zod issue on the mapped candidate, moved back to where the value sits in the file, with
 * the value found there and how many more positions of the feature fail alike.
 */
function zodIssue(
  issue: z.core.$ZodIssue,
  more: number,
  index: number,
  feature: Record<string, unknown>,
  props: Record<string, unknown>,
  mapping: PropertyMapping,
): FieldIssue {
  const [head, ...rest] = issue.path;
  const field = String(head);
  const alike = more === 0 ? '' : ` (and ${more} more like it in this feature)`;
  if (field === 'geometry') {
    const found = valueAt(feature.geometry, rest);
    return {
      path: `featureCollection.features.${index}.geometry${rest.map((key) => `.${String(key)}`).join('')}`,
      message: `${withFound(issue.message, found)}${alike}`,
    };
  }
  if (isMappedField(field)) {
    const property = mapping[field];
    const found = Object.hasOwn(props, property) ? props[property] : undefined;
    return { path: propertyPath(index, property), message: `${fieldLabels[field]}: ${withFound(issue.message, found)}${alike}` };
  }
  return { path: `featureCollection.features.${index}${issue.path.map((key) => `.${String(key)}`).join('')}`, message: `${issue.message}${alike}` };
}

/** A measurement issue (relative to the fields) moved to the property or geometry it comes from. */
function measurementIssue(issue: FieldIssue, index: number, mapping: PropertyMapping): FieldIssue {
  const [head = '', ...rest] = issue.path.split('.');
  if (head === 'widthM' || head === 'areaM2') {
    const hint = issue.message.startsWith(widthNeededMessage)
      ? `; give the feature a '${mapping.widthM}' property in metres (or map the property that holds it in mapping.widthM)`
      : '';
    return { path: propertyPath(index, mapping.widthM), message: `${issue.message}${hint}` };
  }
  if (head === 'geometry') return { path: `featureCollection.features.${index}.${[head, ...rest].join('.')}`, message: issue.message };
  return { path: `featureCollection.features.${index}.geometry`, message: issue.message };
}

/**
 * One issue per distinct message in a feature: a file with swapped lon/lat fails at every
 * position, and 300 identical lines would push every other feature's problems off the list.
 */
function groupAlike(issues: readonly z.core.$ZodIssue[]): { issue: z.core.$ZodIssue; more: number }[] {
  const groups = new Map<string, { issue: z.core.$ZodIssue; more: number }>();
  for (const issue of issues) {
    const key = `${String(issue.path[0])}\u0000${issue.message}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { issue, more: 0 });
    else group.more += 1;
  }
  return [...groups.values()];
}

function withMetrics(fields: SegmentFields, metrics: SegmentMetrics): NormalizedSegmentFields {
  return withoutUndefined({
    externalId: fields.externalId,
    name: fields.name,
    street: fields.street,
    grid: fields.grid,
    grade: fields.grade,
    flags: [...new Set(fields.flags)].sort(),
    widthM: fields.widthM,
    lengthM: metrics.lengthM,
    areaM2: metrics.areaM2,
    geometry: fields.geometry,
  }) as NormalizedSegmentFields;
}

function propertyPath(index: number, property: string): string {
  return `featureCollection.features.${index}.properties.${property}`;
}

function normalizeKey(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase();
}

function normalizedKeys<V>(record: Readonly<Record<string, V>>): ReadonlyMap<string, V> {
  return new Map(Object.entries(record).map(([key, value]) => [normalizeKey(key), value]));
}

function isMappedField(field: string): field is MappedField {
  return Object.hasOwn(fieldLabels, field);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** GIS exports write "no value" as null, a missing key or an empty cell. */
function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim().length === 0);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `'${truncate(value)}'`;
  return String(value);
}

function withFound(message: string, found: unknown): string {
  return typeof found === 'number' || typeof found === 'string' ? `${message} (found ${describe(found)})` : message;
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Equality of JSON values: what a stored segment can hold. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    return keys.length === Object.keys(b).filter((key) => b[key] !== undefined).length && keys.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}
