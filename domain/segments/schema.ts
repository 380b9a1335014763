import * as z from 'zod';

/**
 * Road segments (路段) and public spaces: the unit every schedule, proof and inspection
 * points at. Geometry is WGS84 lon/lat (GeoJSON, RFC 7946) as the district GIS exports it.
 */

export const roadGrades = ['primary', 'secondary', 'branch', 'alley'] as const;
export const RoadGrade = z.enum(roadGrades).meta({
  id: 'RoadGrade',
  description: 'primary 主干道, secondary 次干道, branch 支路, alley 背街小巷',
});
export type RoadGrade = z.infer<typeof RoadGrade>;

export const segmentFlags = ['strict', 'controlled'] as const;
export const SegmentFlag = z.enum(segmentFlags).meta({
  id: 'SegmentFlag',
  description: 'strict 严禁路, controlled 严控路',
});
export type SegmentFlag = z.infer<typeof SegmentFlag>;

/** Most vertices a segment's geometry may have; keeps one item far below DynamoDB's 400 KB. */
export const maxPositions = 5_000;

/**
 * A WGS84 position. Bounds are China's extent with a margin: a GIS export in a projected
 * CRS or with lat/lon swapped fails here with a clear message instead of landing in the sea.
 */
export const Position = z
  .tuple([
    z.number().min(73, 'longitude must be within China (73–136 °E); is the file in WGS84 lon/lat order?').max(136, 'longitude must be within China (73–136 °E); is the file in WGS84 lon/lat order?'),
    z.number().min(3, 'latitude must be within China (3–54 °N); is the file in WGS84 lon/lat order?').max(54, 'latitude must be within China (3–54 °N); is the file in WGS84 lon/lat order?'),
  ])
  .rest(z.number().min(-1_000, 'an altitude is −1 000 to 10 000 m').max(10_000, 'an altitude is −1 000 to 10 000 m'))
  .refine((position) => position.length <= 3, 'a position is [longitude, latitude] with at most an altitude after them')
  // The OpenAPI generator does not state a tuple's length: shown here, enforced by the refine.
  .meta({ id: 'Position', description: '[longitude, latitude] or [longitude, latitude, altitude] in WGS84 (EPSG:4326); an altitude is ignored', minItems: 2, maxItems: 3 } as Record<string, unknown>);
export type Position = z.infer<typeof Position>;

const lineCoordinates = z.array(Position).min(2, 'a line needs at least 2 positions').max(maxPositions);
const ringCoordinates = z
  .array(Position)
  .min(4, 'a polygon ring needs at least 4 positions')
  .max(maxPositions)
  .refine((ring) => {
    const first = ring[0];
    const last = ring[ring.length - 1];
    return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  }, 'a polygon ring must end where it starts');

export const SegmentGeometry = z
  .discriminatedUnion('type', [
    // GeoJSON objects stay open: RFC 7946 §6.1 allows foreign members (`bbox`, a legacy
    // `crs`) and GIS exports carry them; they are dropped, never stored.
    z.object({ type: z.literal('LineString'), coordinates: lineCoordinates }),
    // Each level is capped by the whole's cap (maxPositions); the refine below caps the sum.
    z.object({ type: z.literal('MultiLineString'), coordinates: z.array(lineCoordinates).min(1).max(maxPositions / 2) }),
    z.object({ type: z.literal('Polygon'), coordinates: z.array(ringCoordinates).min(1).max(maxPositions / 4) }),
    z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ringCoordinates).min(1).max(maxPositions / 4)).min(1).max(maxPositions / 4) }),
  ])
  .refine((geometry) => countPositions(geometry) <= maxPositions, `a geometry may have at most ${maxPositions} positions`)
  .meta({
    id: 'SegmentGeometry',
    description: 'GeoJSON LineString, MultiLineString (roads) or Polygon, MultiPolygon (squares, parks, green belts)',
  });
export type SegmentGeometry = z.infer<typeof SegmentGeometry>;

export function countPositions(geometry: { type: string; coordinates: unknown }): number {
  const walk = (value: unknown): number =>
    Array.isArray(value) && typeof value[0] === 'number' ? 1 : Array.isArray(value) ? value.reduce((n: number, v) => n + walk(v), 0) : 0;
  return walk(geometry.coordinates);
}

const name = z.string().trim().min(1).max(100);
const code = z.string().trim().min(1).max(64);

/** Fields a person or an import may set. Length and area are computed when absent. */
export const SegmentFields = z.strictObject({
  externalId: code.optional().describe('id in the district GIS; the key for re-imports; immutable once set'),
  name: name.describe('e.g. 长江路(中山路—解放路)'),
  street: code.describe('街道 code or name (first-level grid)'),
  grid: code.optional().describe('网格 (second-level grid)'),
  grade: RoadGrade,
  flags: z.array(SegmentFlag).max(2).default([]).transform((flags) => [...new Set(flags)].sort()),
  widthM: z.number().positive().max(200).optional().describe('carriageway plus pavements, metres'),
  lengthM: z.number().int().positive().max(100_000).optional().describe('metres; computed from a line geometry when absent'),
  areaM2: z
    .number()
    .positive()
    .max(100_000_000)
    .multipleOf(0.01, 'an area has at most two decimals (hundredths of m², e.g. 12000.5)')
    .optional()
    .describe('square metres with at most two decimals as the district GIS gives them (12000.5); stored exactly and computed with in hundredths of m²; computed when absent (polygon area, or length x width, to whole m²)'),
  geometry: SegmentGeometry,
});
export type SegmentFields = z.infer<typeof SegmentFields>;

export const CreateSegmentInput = SegmentFields.meta({ id: 'CreateSegment' });
export type CreateSegmentInput = z.input<typeof CreateSegmentInput>;

/** A change: any subset of the editable fields. externalId is identity and cannot change. */
export const UpdateSegmentInput = SegmentFields.omit({ externalId: true })
  .partial()
  .extend({ flags: z.array(SegmentFlag).max(2).transform((flags) => [...new Set(flags)].sort()).optional() })
  .refine((patch) => Object.keys(patch).length > 0, 'a change must set at least one field')
  .meta({ id: 'UpdateSegment' });
export type UpdateSegmentInput = z.infer<typeof UpdateSegmentInput>;

export const RetireSegmentInput = z
  .strictObject({ reason: z.string().trim().min(1).max(500).describe('why the segment leaves the registry, e.g. 道路拆除') })
  .meta({ id: 'RetireSegment' });
export type RetireSegmentInput = z.infer<typeof RetireSegmentInput>;

export const segmentStatuses = ['active', 'retired'] as const;

export const Segment = z
  .strictObject({
    segmentId: z.string(),
    tenantId: z.string(),
    externalId: z.string().optional(),
    name: z.string(),
    street: z.string(),
    grid: z.string().optional(),
    grade: RoadGrade,
    flags: z.array(SegmentFlag),
    widthM: z.number().optional(),
    lengthM: z.number().int(),
    areaM2: z.number().describe('square metres, at most two decimals'),
    geometry: SegmentGeometry,
    status: z.enum(segmentStatuses),
    retiredAt: z.string().optional(),
    retiredReason: z.string().optional(),
    version: z.number().int().positive(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  })
  .meta({ id: 'Segment' });
export type Segment = z.infer<typeof Segment>;
