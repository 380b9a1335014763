/**
 * Every key of the single table is computed here and nowhere else (STYLE: ElectroDB habit).
 * Every partition key starts with the tenant (DESIGN §5). Every item carries `entity`.
 *
 * Access patterns:
 * - tenant settings                     pk T#{t}            sk TENANT
 * - segment (current)                   pk T#{t}#SEGMENTS   sk SEG#{id}     (list all of a tenant)
 * - segment versions                    pk T#{t}#SEG#{id}   sk V#{version, 8 digits}
 * - segments of a street (GSI byStreet) gsi1pk T#{t}#STREET#{street}  gsi1sk SEG#{id}
 */

export const entityTypes = {
  tenant: 'Tenant',
  segment: 'Segment',
  segmentVersion: 'SegmentVersion',
} as const;

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const keys = {
  tenant(tenantId: string): ItemKey {
    return { pk: `T#${tenantId}`, sk: 'TENANT' };
  },
  segment(tenantId: string, segmentId: string): ItemKey {
    return { pk: `T#${tenantId}#SEGMENTS`, sk: `SEG#${segmentId}` };
  },
  segmentsPartition(tenantId: string): string {
    return `T#${tenantId}#SEGMENTS`;
  },
  segmentVersion(tenantId: string, segmentId: string, version: number): ItemKey {
    return { pk: `T#${tenantId}#SEG#${segmentId}`, sk: `V#${String(version).padStart(8, '0')}` };
  },
  segmentVersionsPartition(tenantId: string, segmentId: string): string {
    return `T#${tenantId}#SEG#${segmentId}`;
  },
  segmentByStreet(tenantId: string, street: string, segmentId: string): { gsi1pk: string; gsi1sk: string } {
    return { gsi1pk: keys.streetPartition(tenantId, street), gsi1sk: `SEG#${segmentId}` };
  },
  streetPartition(tenantId: string, street: string): string {
    return `T#${tenantId}#STREET#${street}`;
  },
} as const;
