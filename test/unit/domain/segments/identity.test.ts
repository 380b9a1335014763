import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newSegmentId, segmentIdFor } from '../../../../domain/segments/identity';

/** The pattern the segment routes accept (functions/http/segments/routes.ts). */
const routeSegmentId = /^seg_[0-9a-z]{10,40}$/;

/** RFC 4648 base32 of 80 bits, written independently: 16 groups of 5 bits from the top. */
function referenceId(tenantId: string, externalId: string): string {
  const digest = createHash('sha256').update(`${tenantId}\u0000${externalId}`).digest().subarray(0, 10);
  const bits = BigInt(`0x${digest.toString('hex')}`);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = '';
  for (let group = 15; group >= 0; group -= 1) out += alphabet[Number((bits >> BigInt(group * 5)) & 31n)];
  return `seg_${out.toLowerCase()}`;
}

describe('segmentIdFor', () => {
  it('gives the same id for the same tenant and external id, release after release', () => {
    // Prepare
    const tenantId = 'ten_jingan';
    const externalId = 'JA-NJXL-001';

    // Act
    const id = segmentIdFor(tenantId, externalId);

    // Assess: pinned (computed with Python's hashlib and base64.b32encode), because a changed
    // derivation would duplicate every imported segment on the next re-import.
    expect(id).toBe(segmentIdFor(tenantId, externalId));
    expect(id).toBe('seg_h3hr6zzeex5tsieb');
  });

  it('is seg_ and 16 lowercase base32 characters, as the routes accept', () => {
    // Prepare
    const externalIds = ['JA-NJXL-001', '5', '南京西路-001', 'x'.repeat(64)];

    // Act
    const ids = externalIds.map((externalId) => segmentIdFor('ten_jingan', externalId));

    // Assess
    for (const id of ids) {
      expect(id).toMatch(/^seg_[a-z2-7]{16}$/);
      expect(id).toMatch(routeSegmentId);
    }
  });

  it('matches an independent RFC 4648 encoding', () => {
    // Prepare
    const pairs = [['ten_jingan', 'JA-YAZL-002'], ['ten_huangpu', '12345'], ['t', '']] as const;

    // Act
    const ids = pairs.map(([tenantId, externalId]) => segmentIdFor(tenantId, externalId));

    // Assess
    expect(ids).toEqual(pairs.map(([tenantId, externalId]) => referenceId(tenantId, externalId)));
  });

  it('differs between tenants for the same external id', () => {
    // Prepare
    const externalId = 'JA-NJXL-001';

    // Act
    const jingan = segmentIdFor('ten_jingan', externalId);
    const huangpu = segmentIdFor('ten_huangpu', externalId);

    // Assess
    expect(jingan).not.toBe(huangpu);
  });

  it('keeps the tenant and the external id apart', () => {
    // Prepare, Act
    const one = segmentIdFor('ten_a', 'bc');
    const other = segmentIdFor('ten_ab', 'c');

    // Assess
    expect(one).not.toBe(other);
  });

  it('treats external ids as case-sensitive', () => {
    // Prepare, Act
    const upper = segmentIdFor('ten_jingan', 'JA-1');
    const lower = segmentIdFor('ten_jingan', 'ja-1');

    // Assess
    expect(upper).not.toBe(lower);
  });
});

describe('newSegmentId', () => {
  it('is seg_ and the ULID lowercased, as the routes accept', () => {
    // Prepare
    const ulid = '01JZ3K8V2Q7XW5M4N6P9R0STBC';

    // Act
    const id = newSegmentId(ulid);

    // Assess
    expect(id).toBe('seg_01jz3k8v2q7xw5m4n6p9r0stbc');
    expect(id).toMatch(routeSegmentId);
  });

  it('never collides with a derived id, which is shorter', () => {
    // Prepare, Act
    const byHand = newSegmentId('01JZ3K8V2Q7XW5M4N6P9R0STBC');
    const derived = segmentIdFor('ten_jingan', 'JA-NJXL-001');

    // Assess
    expect(byHand.length).toBe(30);
    expect(derived.length).toBe(20);
  });

  it('refuses something that is not a ULID', () => {
    // Prepare
    const notUlid = 'seg-123';

    // Act
    const act = (): string => newSegmentId(notUlid);

    // Assess
    expect(act).toThrow(RangeError);
  });
});
