import type { SegmentGeometry } from '../segments/schema';

/**
 * Distance in metres from a WGS84 point to a segment geometry, for geofences of tens to
 * hundreds of metres.
 *
 * Method: a local equirectangular projection centred on the point (x = Δlon·cos(lat₀)·R,
 * y = Δlat·R, R = 6 371 008.8 m, the IUGG mean radius), then plane geometry. Within a few
 * hundred metres of the point the error is far below a metre (a relative error of the order
 * of (d/R)·tan(lat), about 10⁻⁵ at 50 m), which is below any phone's GPS accuracy; at
 * kilometres it is still within a fraction of a percent, enough to say "3 km away". No turf
 * module for point-to-line distance is installed, and this keeps the rule dependency-free.
 *
 * Lines (and multi-lines): the distance to the nearest point of any part. Polygons (and
 * multi-polygons): 0 inside (holes count as outside), otherwise the distance to the nearest
 * ring edge.
 */

const earthRadiusM = 6_371_008.8;
const radPerDeg = Math.PI / 180;

type Xy = readonly [number, number];
type Lonlat = readonly number[];

function projector(lon0: number, lat0: number): (position: Lonlat) => Xy {
  const kx = Math.cos(lat0 * radPerDeg) * earthRadiusM * radPerDeg;
  const ky = earthRadiusM * radPerDeg;
  return (position) => {
    // Wrap Δlon into [−180, 180) so a point near the antimeridian stays near; harmless in China.
    const dLon = ((((position[0] ?? 0) - lon0 + 540) % 360) - 180);
    return [dLon * kx, ((position[1] ?? 0) - lat0) * ky];
  };
}

/** Distance from the origin to the segment a–b. */
function originToSegment(a: Xy, b: Xy): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, -(a[0] * dx + a[1] * dy) / lengthSquared));
  return Math.hypot(a[0] + t * dx, a[1] + t * dy);
}

function originToPath(path: readonly Xy[]): number {
  let best = Infinity;
  for (let i = 1; i < path.length; i += 1) best = Math.min(best, originToSegment(path[i - 1]!, path[i]!));
  if (path.length === 1) best = Math.hypot(path[0]![0], path[0]![1]);
  return best;
}

/** Even-odd rule: a ray from the origin along +x crosses the ring an odd number of times. */
function ringContainsOrigin(ring: readonly Xy[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > 0 !== yj > 0 && 0 < xj + ((0 - yj) * (xi - xj)) / (yi - yj)) inside = !inside;
  }
  return inside;
}

function originToPolygon(rings: readonly (readonly Xy[])[]): number {
  const boundary = Math.min(...rings.map(originToPath));
  const [outer, ...holes] = rings;
  const inside = outer !== undefined && ringContainsOrigin(outer) && !holes.some(ringContainsOrigin);
  return inside ? 0 : boundary;
}

/** Metres from `point` ([lon, lat]) to the geometry; never negative. */
export function distanceToGeometryM(point: { lon: number; lat: number }, geometry: SegmentGeometry): number {
  const project = projector(point.lon, point.lat);
  const path = (positions: readonly Lonlat[]): Xy[] => positions.map(project);
  switch (geometry.type) {
    case 'LineString':
      return originToPath(path(geometry.coordinates));
    case 'MultiLineString':
      return Math.min(...geometry.coordinates.map((line) => originToPath(path(line))));
    case 'Polygon':
      return originToPolygon(geometry.coordinates.map(path));
    case 'MultiPolygon':
      return Math.min(...geometry.coordinates.map((polygon) => originToPolygon(polygon.map(path))));
  }
}

/** Metres between two WGS84 points, by the same projection (for EXIF-vs-claim comparisons). */
export function distanceBetweenM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const [x, y] = projector(a.lon, a.lat)([b.lon, b.lat]);
  return Math.hypot(x, y);
}
