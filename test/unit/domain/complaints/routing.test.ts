import { describe, expect, it } from 'vitest';
import { beyondReachM, contractFor, defaultMaxDistanceM, nearestSegment, routeComplaint, tieToleranceM } from '../../../../domain/complaints/routing';
import { activeContracts, corner, huanjie, seg, segment, segments } from './fixtures';

/** Metres per degree of latitude at the corner, by the distance module's own radius. */
const mPerDegLat = (6_371_008.8 * Math.PI) / 180;

describe('nearestSegment', () => {
  it('picks the segment a point lies beside, between two segments', () => {
    // Prepare: 30 m north of 南京西路's middle, 170 m east of 石门一路
    const point = { lon: corner.lon + 0.001, lat: corner.lat + 30 / mPerDegLat };

    // Act
    const nearest = nearestSegment(point, segments);

    // Assess
    expect(nearest?.segment.segmentId).toBe(seg.nanjingWest);
    expect(nearest?.distanceM).toBeCloseTo(30, 0);
  });

  it('at the shared end point of two segments chooses the smaller segment id, whatever the listing order', () => {
    // Prepare: exactly on the corner both segments start from
    const point = { ...corner };

    // Act
    const forward = nearestSegment(point, segments);
    const backward = nearestSegment(point, [...segments].reverse());

    // Assess: seg_n4j7… (南京西路) < seg_s9m2… (石门一路)
    expect(forward?.segment.segmentId).toBe(seg.nanjingWest);
    expect(backward?.segment.segmentId).toBe(seg.nanjingWest);
    expect(forward?.distanceM).toBe(0);
  });

  it('treats distances within the tolerance as a tie, but not a clearly nearer segment', () => {
    // Prepare: 5 m from the corner along the diagonal, nudged towards 石门一路 by less (then more) than the tolerance
    const north = 5 / mPerDegLat;
    const east = (metres: number): number => metres / mPerDegLat / Math.cos((corner.lat * Math.PI) / 180);
    const almost = { lon: corner.lon + east(5 - tieToleranceM * 0.4), lat: corner.lat + north };
    const clearly = { lon: corner.lon + east(5 - tieToleranceM * 4), lat: corner.lat + north };

    // Act + Assess: a near-tie goes to the smaller id; a clear difference to the nearer segment
    expect(nearestSegment(almost, segments)?.segment.segmentId).toBe(seg.nanjingWest);
    expect(nearestSegment(clearly, segments)?.segment.segmentId).toBe(seg.shimenOne);
  });

  it('finds nothing beyond the stated distance, and counts the distance inclusively', () => {
    // Prepare: 150 m south of 南京西路
    const far = { lon: corner.lon + 0.001, lat: corner.lat - 150 / mPerDegLat };

    // Act + Assess
    expect(nearestSegment(far, segments)).toBeUndefined();
    expect(nearestSegment(far, segments, 151)?.segment.segmentId).toBe(seg.nanjingWest);
  });

  it('ignores retired segments', () => {
    // Prepare
    const retired = [segment(seg.nanjingWest, [[corner.lon, corner.lat], [corner.lon + 0.002, corner.lat]], 'retired'), segments[1]!];

    // Act
    const nearest = nearestSegment({ lon: corner.lon + 0.001, lat: corner.lat }, retired);

    // Assess: 石门一路 is ~95 m from that point, inside 100 m
    expect(nearest?.segment.segmentId).toBe(seg.shimenOne);
  });

  it('measures a point beyond a segment end to that end (segment-end behaviour)', () => {
    // Prepare: 40 m west of the corner, where only the ends of both segments are near
    const point = { lon: corner.lon - 40 / mPerDegLat / Math.cos((corner.lat * Math.PI) / 180), lat: corner.lat };

    // Act
    const nearest = nearestSegment(point, segments);

    // Assess: both ends are the same point 40 m away: a tie, smaller id
    expect(nearest?.segment.segmentId).toBe(seg.nanjingWest);
    expect(nearest?.distanceM).toBeCloseTo(40, 0);
  });
});

describe('contractFor', () => {
  it('finds the active contract of the service type holding the segment on the date', () => {
    // Act
    const contract = contractFor(seg.shimenOne, 'cleaning', '2025-03-05', activeContracts());

    // Assess
    expect(contract?.contractorId).toBe(huanjie);
  });

  it('finds none outside the contract dates, for another service type, or for a draft', () => {
    // Prepare
    const contracts = activeContracts();

    // Act + Assess
    expect(contractFor(seg.shimenOne, 'cleaning', '2026-01-01', contracts)).toBeUndefined();
    expect(contractFor(seg.shimenOne, 'municipal', '2025-03-05', contracts)).toBeUndefined();
    expect(contractFor(seg.shimenOne, 'cleaning', '2025-03-05', contracts.map((c) => ({ ...c, status: 'draft' as const })))).toBeUndefined();
  });
});

describe('routeComplaint', () => {
  const base = { serviceType: 'cleaning' as const, localDate: '2025-03-05', segments, contracts: activeContracts() };

  it('routes a point near a held segment to its contract', () => {
    // Act
    const outcome = routeComplaint({ ...base, point: { lon: corner.lon, lat: corner.lat + 0.001 } });

    // Assess
    expect(outcome).toMatchObject({ kind: 'routed', segmentId: seg.shimenOne, contract: { contractorId: huanjie } });
  });

  it('queues an address without coordinates, a point far from every segment, and a segment no contract holds', () => {
    // Act + Assess
    expect(routeComplaint({ ...base, point: undefined })).toEqual({ kind: 'unroutable', reason: 'no_location' });
    expect(routeComplaint({ ...base, point: { lon: 121.3, lat: 31.1 } })).toEqual({ kind: 'unroutable', reason: 'no_segment_within_distance' });
    expect(routeComplaint({ ...base, point: { lon: corner.lon + 0.011, lat: corner.lat + 0.01 } })).toEqual({
      kind: 'unroutable',
      reason: 'no_contract',
      segmentId: seg.weihai,
    });
  });
});

describe('beyondReachM (the jurisdiction reach intake checks)', () => {
  it('is undefined within the routing limit of some active segment, inclusive, and the nearest distance beyond it', () => {
    // Prepare: due south of the corner, where 南京西路 and 石门一路 start
    const south = (metres: number) => ({ lon: corner.lon, lat: corner.lat - metres / mPerDegLat });

    // Act + Assess
    expect(beyondReachM(south(defaultMaxDistanceM - 1), segments)).toBeUndefined();
    expect(beyondReachM(south(defaultMaxDistanceM + 1), segments)).toBeCloseTo(defaultMaxDistanceM + 1, 0);
    expect(beyondReachM(south(250), segments, 300)).toBeUndefined();
  });

  it('ignores retired segments, and a tenant without active segments reaches nowhere', () => {
    // Prepare
    const retired = segments.map((s) => ({ ...s, status: 'retired' as const }));

    // Act + Assess
    expect(beyondReachM(corner, retired)).toBe(Number.POSITIVE_INFINITY);
    expect(beyondReachM(corner, [])).toBe(Number.POSITIVE_INFINITY);
  });
});
