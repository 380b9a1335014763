import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distanceBetweenM, distanceToGeometryM } from '../../../../domain/proofs/distance';
import type { SegmentGeometry } from '../../../../domain/segments/schema';

const runs = { numRuns: 200 };
const metresPerDegree = (6_371_008.8 * Math.PI) / 180;

/** A point in China's extent, away from the poles of the allowed box. */
const origin = fc.record({ lon: fc.double({ min: 74, max: 135, noNaN: true }), lat: fc.double({ min: 4, max: 53, noNaN: true }) });
/** An offset of up to ~2 km, in metres. */
const offset = fc.tuple(fc.double({ min: -2000, max: 2000, noNaN: true }), fc.double({ min: -2000, max: 2000, noNaN: true }));

function shifted(point: { lon: number; lat: number }, [east, north]: readonly [number, number]): [number, number] {
  return [point.lon + east / (metresPerDegree * Math.cos((point.lat * Math.PI) / 180)), point.lat + north / metresPerDegree];
}

/** Great-circle distance on the same sphere, as an independent reference. */
function haversineM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

const geometry: fc.Arbitrary<{ point: { lon: number; lat: number }; geometry: SegmentGeometry }> = fc
  .tuple(origin, fc.array(offset, { minLength: 3, maxLength: 8 }), fc.constantFrom('LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'))
  .map(([point, offsets, type]) => {
    const positions = offsets.map((o) => shifted(point, o));
    const ring = [...positions, positions[0]!];
    const shapes: Record<string, SegmentGeometry> = {
      LineString: { type: 'LineString', coordinates: positions },
      MultiLineString: { type: 'MultiLineString', coordinates: [positions.slice(0, 2), positions.slice(1)] },
      Polygon: { type: 'Polygon', coordinates: [ring] },
      MultiPolygon: { type: 'MultiPolygon', coordinates: [[ring]] },
    };
    return { point, geometry: shapes[type]! };
  });

describe('distance properties', () => {
  it('is never negative nor NaN', () => {
    fc.assert(
      fc.property(geometry, ({ point, geometry: shape }) => {
        const distance = distanceToGeometryM(point, shape);
        expect(distance).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(distance)).toBe(true);
      }),
      runs,
    );
  });

  it('puts a point on a line at ~0 m', () => {
    fc.assert(
      fc.property(origin, offset, offset, fc.double({ min: 0, max: 1, noNaN: true }), (base, a, b, t) => {
        const [p, q] = [shifted(base, a), shifted(base, b)];
        const on = { lon: p[0] + t * (q[0] - p[0]), lat: p[1] + t * (q[1] - p[1]) };
        expect(distanceToGeometryM(on, { type: 'LineString', coordinates: [p, q] })).toBeLessThan(0.001);
      }),
      runs,
    );
  });

  it('never decreases as the point moves away along the normal, and matches the offset', () => {
    fc.assert(
      fc.property(
        origin,
        fc.double({ min: 0, max: Math.PI, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (foot, heading, d1, d2) => {
          const [near, far] = d1 <= d2 ? [d1, d2] : [d2, d1];
          // A 600 m line through `foot` along `heading`; its normal is heading + 90°.
          const along: [number, number] = [300 * Math.cos(heading), 300 * Math.sin(heading)];
          const line: SegmentGeometry = { type: 'LineString', coordinates: [shifted(foot, along), shifted(foot, [-along[0], -along[1]])] };
          const away = (d: number): { lon: number; lat: number } => {
            const [lon, lat] = shifted(foot, [-d * Math.sin(heading), d * Math.cos(heading)]);
            return { lon, lat };
          };
          const distanceNear = distanceToGeometryM(away(near), line);
          const distanceFar = distanceToGeometryM(away(far), line);
          expect(distanceFar).toBeGreaterThanOrEqual(distanceNear - 0.01);
          expect(Math.abs(distanceFar - far)).toBeLessThanOrEqual(Math.max(0.05, far * 1e-3));
        },
      ),
      runs,
    );
  });

  it('agrees with the great-circle distance within 0.1 % up to 2 km', () => {
    fc.assert(
      fc.property(origin, offset, (a, o) => {
        const [lon, lat] = shifted(a, o);
        const reference = haversineM(a, { lon, lat });
        expect(Math.abs(distanceBetweenM(a, { lon, lat }) - reference)).toBeLessThanOrEqual(Math.max(0.01, reference * 1e-3));
      }),
      runs,
    );
  });
});
