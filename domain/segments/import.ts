import { z } from 'zod';
import { RoadGrade, SegmentFlag } from './schema';

/** Most features one import may carry (issue #2). */
export const maxImportFeatures = 5_000;

/**
 * Which GeoJSON property holds each segment field. Defaults follow common district GIS
 * exports; a tenant maps its own column names per import.
 */
export const PropertyMapping = z
  .object({
    externalId: z.string().min(1).default('id'),
    name: z.string().min(1).default('name'),
    street: z.string().min(1).default('street'),
    grid: z.string().min(1).default('grid'),
    grade: z.string().min(1).default('grade'),
    flags: z.string().min(1).default('flags'),
    widthM: z.string().min(1).default('width'),
  })
  .meta({ id: 'ImportPropertyMapping' });
export type PropertyMapping = z.infer<typeof PropertyMapping>;

export const ImportSegmentsInput = z
  .object({
    featureCollection: z.object({
      type: z.literal('FeatureCollection'),
      features: z
        .array(z.unknown())
        .min(1, 'the collection has no features')
        .max(maxImportFeatures, `at most ${maxImportFeatures} features per import`),
    }),
    mapping: PropertyMapping.default(PropertyMapping.parse({})),
    /** Source values → grade, on top of the built-in Chinese and English names (主干道 → primary...). */
    gradeValues: z.record(z.string(), RoadGrade).default({}),
    /** Source values → flag, on top of the built-in ones (严禁路 → strict, 严控路 → controlled). */
    flagValues: z.record(z.string(), SegmentFlag).default({}),
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
