import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../../domain/errors';
import { segmentIdFor } from '../../../../domain/segments/identity';
import { ImportSegmentsInput, normalizedFields, parseFeatures, planImport, summarizeImport } from '../../../../domain/segments/import';
import type { ParsedFeature } from '../../../../domain/segments/import';
import { SegmentFields } from '../../../../domain/segments/schema';
import type { Segment } from '../../../../domain/segments/schema';

const tenantId = 'ten_jingan';

const nanjingRoad = { type: 'LineString', coordinates: [[121.4508, 31.2289], [121.4532, 31.2295], [121.4585, 31.231]] } as const;

function parsedRoads(...overrides: Record<string, unknown>[]): ParsedFeature[] {
  const features = overrides.map((properties, i) => ({
    type: 'Feature',
    properties: { id: `JA-${i + 1}`, name: '南京西路(石门一路—陕西北路)', street: '南京西路街道', grade: '主干道', flags: '严禁路、严控路', width: 32, ...properties },
    geometry: nanjingRoad,
  }));
  return parseFeatures(ImportSegmentsInput.parse({ featureCollection: { type: 'FeatureCollection', features } }));
}

/** The segment as a store hands it back after an earlier import of `feature`. */
function stored(feature: ParsedFeature, overrides: Partial<Segment> = {}): Segment {
  const segment: Segment = {
    ...feature.fields,
    segmentId: segmentIdFor(tenantId, feature.fields.externalId),
    tenantId,
    status: 'active',
    version: 3,
    createdAt: '2025-03-01T09:00:00+08:00',
    createdBy: 'usr_procurement',
    updatedAt: '2025-04-01T09:00:00+08:00',
    updatedBy: 'usr_procurement',
    ...overrides,
  };
  return JSON.parse(JSON.stringify(segment)) as Segment;
}

function storeOf(...segments: Segment[]): ReadonlyMap<string, Segment> {
  return new Map(segments.map((segment) => [segment.segmentId, segment]));
}

describe('planImport', () => {
  it('creates a segment for an external id not stored yet, under its derived id', () => {
    // Prepare
    const parsed = parsedRoads({});

    // Act
    const [entry] = planImport(parsed, storeOf(), tenantId);

    // Assess
    expect(entry).toEqual({
      index: 0,
      externalId: 'JA-1',
      segmentId: segmentIdFor(tenantId, 'JA-1'),
      outcome: 'created',
      fields: parsed[0]?.fields,
      reactivates: false,
    });
  });

  it('leaves a segment unchanged when the file says what is stored', () => {
    // Prepare
    const [feature] = parsedRoads({}) as [ParsedFeature];
    const existing = stored(feature);

    // Act
    const [entry] = planImport([feature], storeOf(existing), tenantId);

    // Assess
    expect(entry).toMatchObject({ outcome: 'unchanged', previous: existing, reactivates: false });
  });

  it('treats flags stored in another order as equal', () => {
    // Prepare
    const [feature] = parsedRoads({}) as [ParsedFeature];
    const existing = stored(feature, { flags: ['strict', 'controlled'] });

    // Act
    const [entry] = planImport([feature], storeOf(existing), tenantId);

    // Assess
    expect(entry?.outcome).toBe('unchanged');
  });

  it('updates a segment when one field differs, keeping the stored one as previous', () => {
    // Prepare
    const [before] = parsedRoads({}) as [ParsedFeature];
    const [after] = parsedRoads({ width: 30 }) as [ParsedFeature];
    const existing = stored(before);

    // Act
    const [entry] = planImport([after], storeOf(existing), tenantId);

    // Assess
    expect(entry).toMatchObject({ outcome: 'updated', previous: existing, fields: { widthM: 30, areaM2: after.fields.lengthM * 30 } });
  });

  it('updates a segment when its geometry moved by one vertex', () => {
    // Prepare
    const [before] = parsedRoads({}) as [ParsedFeature];
    const moved = structuredClone(before);
    moved.fields.geometry = { type: 'LineString', coordinates: [[121.4508, 31.2289], [121.4533, 31.2295], [121.4585, 31.231]] };

    // Act
    const [entry] = planImport([moved], storeOf(stored(before)), tenantId);

    // Assess
    expect(entry?.outcome).toBe('updated');
  });

  it('clears a field the file no longer has', () => {
    // Prepare
    const [before] = parsedRoads({ grid: 'NJ-03' }) as [ParsedFeature];
    const [after] = parsedRoads({}) as [ParsedFeature];

    // Act
    const [entry] = planImport([after], storeOf(stored(before)), tenantId);

    // Assess
    expect(entry?.outcome).toBe('updated');
    expect(entry?.fields).not.toHaveProperty('grid');
  });

  it('reactivates a retired segment that the file still has, as an update', () => {
    // Prepare
    const [feature] = parsedRoads({}) as [ParsedFeature];
    const retired = stored(feature, { status: 'retired', retiredAt: '2025-05-01T09:00:00+08:00', retiredReason: '道路拆除' });

    // Act
    const [entry] = planImport([feature], storeOf(retired), tenantId);

    // Assess
    expect(entry).toMatchObject({ outcome: 'updated', reactivates: true, previous: retired });
  });

  it('refuses to import over a stored segment that carries another external id', () => {
    // Prepare
    const [feature] = parsedRoads({}) as [ParsedFeature];
    const impostor = stored(feature, { externalId: 'JA-999' });

    // Act
    const act = (): unknown => planImport([feature], storeOf(impostor), tenantId);

    // Assess
    expect(act).toThrow(ConflictError);
  });

  it("refuses to plan over another tenant's segment", () => {
    // Prepare
    const [feature] = parsedRoads({}) as [ParsedFeature];
    const foreign = stored(feature, { tenantId: 'ten_huangpu' });

    // Act
    const act = (): unknown => planImport([feature], storeOf(foreign), tenantId);

    // Assess
    expect(act).toThrow(/belongs to tenant 'ten_huangpu'/);
  });
});

describe('summarizeImport', () => {
  it('counts created, updated and unchanged and lists every feature in file order', () => {
    // Prepare
    const parsed = parsedRoads({}, { width: 30 }, {});
    const [same, changed] = parsedRoads({}, {}) as [ParsedFeature, ParsedFeature];
    const plan = planImport(parsed, storeOf(stored(same), stored(changed)), tenantId);

    // Act
    const result = summarizeImport(plan);

    // Assess
    expect(result).toEqual({
      featureCount: 3,
      created: 1,
      updated: 1,
      unchanged: 1,
      segments: [
        { index: 0, externalId: 'JA-1', segmentId: segmentIdFor(tenantId, 'JA-1'), outcome: 'unchanged' },
        { index: 1, externalId: 'JA-2', segmentId: segmentIdFor(tenantId, 'JA-2'), outcome: 'updated' },
        { index: 2, externalId: 'JA-3', segmentId: segmentIdFor(tenantId, 'JA-3'), outcome: 'created' },
      ],
    });
  });
});

describe('normalizedFields', () => {
  it('measures a hand-created segment the same way an import does', () => {
    // Prepare
    const [imported] = parsedRoads({ id: 'JA-1' }) as [ParsedFeature];
    const byHand = SegmentFields.parse({
      externalId: 'JA-1',
      name: '南京西路(石门一路—陕西北路)',
      street: '南京西路街道',
      grade: 'primary',
      flags: ['strict', 'controlled'],
      widthM: 32,
      geometry: nanjingRoad,
    });

    // Act
    const fields = normalizedFields(byHand);

    // Assess
    expect(fields).toEqual(imported.fields);
  });

  it('refuses a hand-created road without width or area', () => {
    // Prepare
    const byHand = SegmentFields.parse({ name: '石门二路 123 弄', street: '石门二路街道', grade: 'alley', geometry: nanjingRoad });

    // Act
    const act = (): unknown => normalizedFields(byHand);

    // Assess
    expect(act).toThrow(ValidationError);
  });
});
