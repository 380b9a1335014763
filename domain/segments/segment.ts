import { withoutUndefined, type Stamp } from '../records';
import { segmentMetrics } from './metrics';
import type { Segment, SegmentFields, UpdateSegmentInput } from './schema';

/**
 * State changes of a segment as pure functions: each returns the next record with its
 * version bumped. Timestamps and ids come from the caller.
 */

/** Fields with length and area filled in, as stored. */
export function completeFields(fields: SegmentFields): SegmentFields & { lengthM: number; areaM2: number } {
  const metrics = segmentMetrics(fields);
  return { ...fields, lengthM: metrics.lengthM, areaM2: metrics.areaM2 };
}

export function newSegment(tenantId: string, segmentId: string, fields: SegmentFields, stamp: Stamp): Segment {
  const at = stamp.at.toISOString();
  return {
    ...withoutUndefined(completeFields(fields)),
    segmentId,
    tenantId,
    status: 'active',
    version: 1,
    createdAt: at,
    createdBy: stamp.actor.userId,
    updatedAt: at,
    updatedBy: stamp.actor.userId,
  };
}

/**
 * Applies a change. Length and area are recomputed when the geometry (or, for the area, the
 * width) changes and the change does not state them, so a stale figure never survives.
 */
export function updatedSegment(segment: Segment, patch: UpdateSegmentInput, stamp: Stamp): Segment {
  // A new shape invalidates both figures; a new width only the area (length x width).
  const reshaped = patch.geometry !== undefined;
  const rewidened = patch.widthM !== undefined;
  const merged: SegmentFields = {
    ...fieldsOf(segment),
    ...withoutUndefined(patch),
    ...(reshaped ? { lengthM: patch.lengthM } : {}),
    ...(reshaped || rewidened ? { areaM2: patch.areaM2 } : {}),
  };
  return {
    ...segment,
    ...withoutUndefined(completeFields(merged)),
    version: segment.version + 1,
    updatedAt: stamp.at.toISOString(),
    updatedBy: stamp.actor.userId,
  };
}

export function retiredSegment(segment: Segment, reason: string, stamp: Stamp): Segment {
  const at = stamp.at.toISOString();
  return {
    ...segment,
    status: 'retired',
    retiredAt: at,
    retiredReason: reason,
    version: segment.version + 1,
    updatedAt: at,
    updatedBy: stamp.actor.userId,
  };
}

/** The record a re-import produces: new fields, reactivated when it had been retired. */
export function reimportedSegment(segment: Segment, fields: SegmentFields, stamp: Stamp): Segment {
  // The GIS is the master copy: a property the file no longer has is cleared, not kept.
  return {
    ...withoutUndefined(completeFields(fields)),
    segmentId: segment.segmentId,
    tenantId: segment.tenantId,
    createdAt: segment.createdAt,
    createdBy: segment.createdBy,
    status: 'active',
    version: segment.version + 1,
    updatedAt: stamp.at.toISOString(),
    updatedBy: stamp.actor.userId,
  };
}

/** The editable fields of a stored segment. */
export function fieldsOf(segment: Segment): SegmentFields {
  return withoutUndefined({
    externalId: segment.externalId,
    name: segment.name,
    street: segment.street,
    grid: segment.grid,
    grade: segment.grade,
    flags: segment.flags,
    widthM: segment.widthM,
    lengthM: segment.lengthM,
    areaM2: segment.areaM2,
    geometry: segment.geometry,
  }) as SegmentFields;
}
