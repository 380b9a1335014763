import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../domain/errors';
import type { Stamp } from '../../../../domain/records';
import type { SegmentFields, UpdateSegmentInput } from '../../../../domain/segments/schema';
import {
  completeFields,
  fieldsOf,
  newSegment,
  reimportedSegment,
  retiredSegment,
  updatedSegment,
} from '../../../../domain/segments/segment';
import {
  adminUser,
  centuryAvenue,
  nanjingEastRoad,
  peoplesSquare,
  procurementOfficer,
  segmentFixture,
  tenantId,
} from '../../../helpers/fakes';

const created: Stamp = { actor: procurementOfficer, at: new Date('2025-03-12T08:30:00.000Z') };
const later: Stamp = { actor: adminUser, at: new Date('2025-04-01T02:00:00.000Z') };

const nanjingFields: SegmentFields = {
  externalId: 'HP-NJDL-001',
  name: '南京东路(西藏中路—中山东一路)',
  street: '南京东路街道',
  grade: 'primary',
  flags: ['strict'],
  widthM: 28,
  geometry: nanjingEastRoad,
};

/**
 * Independent check of a small lon/lat rectangle's area: metres per degree at its latitude
 * (equirectangular), good to well under 1 % at this size.
 */
function rectangleAreaM2(west: number, south: number, east: number, north: number): number {
  const metresPerDegree = (Math.PI / 180) * 6_371_008.8;
  const midLatitude = ((south + north) / 2) * (Math.PI / 180);
  return (east - west) * metresPerDegree * Math.cos(midLatitude) * (north - south) * metresPerDegree;
}

/** The error `action` throws; fails the test when it throws nothing. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('newSegment', () => {
  it('starts active at version 1, stamped with the caller and the instant', () => {
    // Act
    const segment = newSegment(tenantId, 'seg_k3v5q2ztb4xw7n6a', nanjingFields, created);

    // Assess
    expect(segment).toMatchObject({
      segmentId: 'seg_k3v5q2ztb4xw7n6a',
      tenantId,
      status: 'active',
      version: 1,
      createdAt: '2025-03-12T08:30:00.000Z',
      createdBy: 'u-procurement-01',
      updatedAt: '2025-03-12T08:30:00.000Z',
      updatedBy: 'u-procurement-01',
    });
  });

  it('measures a road along the ground: Nanjing East Road is about 1.6 km', () => {
    // Act
    const segment = newSegment(tenantId, 'seg_k3v5q2ztb4xw7n6a', nanjingFields, created);

    // Assess
    expect(segment.lengthM).toBeGreaterThan(1_500);
    expect(segment.lengthM).toBeLessThan(1_700);
    expect(Number.isInteger(segment.lengthM)).toBe(true);
  });

  it('gives a road the area length x width', () => {
    // Act
    const segment = newSegment(tenantId, 'seg_k3v5q2ztb4xw7n6a', nanjingFields, created);

    // Assess
    expect(segment.areaM2).toBe(segment.lengthM * 28);
  });

  it('gives a square its geodesic area: a block of People\'s Square', () => {
    // Prepare
    const fields: SegmentFields = { name: '人民广场', street: '南京东路街道', grade: 'branch', flags: [], geometry: peoplesSquare };

    // Act
    const segment = newSegment(tenantId, 'seg_m2rq7wpt5sxc4h8j', fields, created);

    // Assess
    const expected = rectangleAreaM2(121.4716, 31.2317, 121.4773, 31.2355);
    expect(Math.abs(segment.areaM2 - expected) / expected).toBeLessThan(0.01);
  });

  it('keeps surveyed length and area over measured ones', () => {
    // Prepare
    const fields: SegmentFields = { ...nanjingFields, lengthM: 1_560, areaM2: 43_000 };

    // Act
    const segment = newSegment(tenantId, 'seg_k3v5q2ztb4xw7n6a', fields, created);

    // Assess
    expect(segment).toMatchObject({ lengthM: 1_560, areaM2: 43_000 });
  });

  it('leaves absent optional fields out instead of storing undefined', () => {
    // Act
    const segment = newSegment(tenantId, 'seg_k3v5q2ztb4xw7n6a', { ...nanjingFields, grid: undefined }, created);

    // Assess
    expect(Object.keys(segment)).not.toContain('grid');
    expect(Object.values(segment)).not.toContain(undefined);
  });

  it('refuses a road without width or area, naming widthM', () => {
    // Prepare
    const { widthM: _width, ...withoutWidth } = nanjingFields;

    // Act
    const error = thrownBy(() => newSegment(tenantId, 'seg_k3v5q2ztb4xw7n6a', withoutWidth, created));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['widthM']);
  });
});

describe('updatedSegment', () => {
  const stored = segmentFixture({ version: 3 });

  it('bumps the version and stamps the change, keeping who created it', () => {
    // Act
    const next = updatedSegment(stored, { name: '南京东路步行街' }, later);

    // Assess
    expect(next).toMatchObject({
      name: '南京东路步行街',
      version: 4,
      createdAt: stored.createdAt,
      createdBy: stored.createdBy,
      updatedAt: '2025-04-01T02:00:00.000Z',
      updatedBy: 'u-admin-01',
    });
  });

  it('keeps stored length and area when neither geometry nor width changes', () => {
    // Act
    const next = updatedSegment(stored, { name: '南京东路步行街', grade: 'secondary' }, later);

    // Assess
    expect(next).toMatchObject({ lengthM: stored.lengthM, areaM2: stored.areaM2 });
  });

  it('recomputes length and area when the geometry changes', () => {
    // Act
    const next = updatedSegment(stored, { geometry: centuryAvenue }, later);

    // Assess: Century Avenue's line is about 4.2 km, against the 1,560 m stored.
    expect(next.lengthM).toBeGreaterThan(4_000);
    expect(next.lengthM).toBeLessThan(4_400);
    expect(next.areaM2).toBe(next.lengthM * stored.widthM!);
  });

  it('recomputes the area when only the width changes', () => {
    // Act
    const next = updatedSegment(stored, { widthM: 32.5 }, later);

    // Assess
    expect(next.areaM2).toBe(Math.round(next.lengthM * 32.5));
    expect(next.areaM2).not.toBe(stored.areaM2);
  });

  it('takes length and area stated in the same change as the new geometry', () => {
    // Act
    const next = updatedSegment(stored, { geometry: centuryAvenue, lengthM: 4_150, areaM2: 415_000 }, later);

    // Assess
    expect(next).toMatchObject({ lengthM: 4_150, areaM2: 415_000 });
  });

  it('does not change the stored record it was given', () => {
    // Prepare
    const before = structuredClone(stored);
    const patch: UpdateSegmentInput = { geometry: centuryAvenue, flags: [] };

    // Act
    updatedSegment(stored, patch, later);

    // Assess
    expect(stored).toEqual(before);
  });

  it('keeps identity and status: id, tenant, external id', () => {
    // Act
    const next = updatedSegment(stored, { street: '外滩街道' }, later);

    // Assess
    expect(next).toMatchObject({ segmentId: stored.segmentId, tenantId: stored.tenantId, externalId: stored.externalId, status: 'active' });
  });
});

describe('retiredSegment', () => {
  it('retires with the reason and instant, bumping the version', () => {
    // Prepare
    const stored = segmentFixture({ version: 2 });

    // Act
    const next = retiredSegment(stored, '道路拆除', later);

    // Assess
    expect(next).toMatchObject({
      status: 'retired',
      retiredAt: '2025-04-01T02:00:00.000Z',
      retiredReason: '道路拆除',
      version: 3,
      updatedAt: '2025-04-01T02:00:00.000Z',
      updatedBy: 'u-admin-01',
    });
  });

  it('keeps every field of the segment', () => {
    // Prepare
    const stored = segmentFixture();

    // Act
    const next = retiredSegment(stored, '道路拆除', later);

    // Assess
    expect(fieldsOf(next)).toEqual(fieldsOf(stored));
  });
});

describe('reimportedSegment', () => {
  const imported = completeFields({ ...nanjingFields, name: '南京东路(步行街段)', grid: 'HP-08' });

  it('replaces the fields with the imported ones and bumps the version', () => {
    // Prepare
    const stored = segmentFixture({ version: 2 });

    // Act
    const next = reimportedSegment(stored, imported, later);

    // Assess
    expect(fieldsOf(next)).toEqual(fieldsOf({ ...stored, ...imported }));
    expect(next.version).toBe(3);
  });

  it('reactivates a retired segment and drops its retirement', () => {
    // Prepare
    const stored = retiredSegment(segmentFixture(), '道路拆除', created);

    // Act
    const next = reimportedSegment(stored, imported, later);

    // Assess
    expect(next.status).toBe('active');
    expect(next).not.toHaveProperty('retiredAt');
    expect(next).not.toHaveProperty('retiredReason');
  });

  it('clears a field the imported record no longer has (the GIS record is the whole record)', () => {
    // Prepare: stored with grid HP-07 and a width; the new GIS record has neither grid nor width.
    const stored = segmentFixture({ grid: 'HP-07' });
    const { grid: _grid, widthM: _width, ...withoutGrid } = completeFields(nanjingFields);
    const fields: SegmentFields = { ...withoutGrid, areaM2: 40_000 };

    // Act
    const next = reimportedSegment(stored, fields, later);

    // Assess
    expect(fieldsOf(next)).toEqual(fieldsOf({ ...segmentFixture(), ...fields, grid: undefined, widthM: undefined }));
  });
});

describe('fieldsOf', () => {
  it('returns the editable fields only, without undefined', () => {
    // Prepare
    const stored = segmentFixture({ grid: undefined });

    // Act
    const fields = fieldsOf(stored);

    // Assess
    expect(Object.keys(fields).sort()).toEqual(['areaM2', 'externalId', 'flags', 'geometry', 'grade', 'lengthM', 'name', 'street', 'widthM']);
  });
});
