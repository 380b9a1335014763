import { area } from '@turf/area';
import { length } from '@turf/length';
import { divideRoundHalfUp } from '../money';
import { areaM2FromX100, areaM2X100 } from './area';
import { ValidationError } from '../errors';
import type { FieldIssue } from '../errors';
import { SegmentFields } from './schema';
import type { Position, SegmentGeometry } from './schema';

/**
 * Length and area of a segment: the quantities lump-sum contracts pay per m² and the
 * schedule and geofence read. Measured on the sphere by turf (haversine for length,
 * Chamberlain & Duquette, "Some Algorithms for Polygons on a Sphere", JPL 2007, for area),
 * which is within about 0.5 % of the WGS84 ellipsoid: far finer than a digitised road, but
 * when a contract's quantity comes from a survey (测绘面积) the surveyed figure should be
 * given, and a given figure always wins over a computed one.
 *
 * Decisions, in the terms a district uses:
 * - Length of a line: its length along the ground (all parts of a MultiLineString).
 * - Length of a polygon (square, park, green belt): half its outer perimeter, summed over
 *   the parts. For the long thin shapes that make up most polygon scope (绿化带, 隔离带) that
 *   is the length a person would pace out (a 1000 m x 10 m belt gives 1010 m); for a square
 *   it is a rough size only, and contracts price squares by area, not length.
 * - Area of a polygon: geodesic area, holes subtracted.
 * - Area of a line: length x width, from the length as stored (given or rounded) so the
 *   figures a person reads multiply up. Without a width and without a given area the area
 *   cannot be known; 0 would silently zero a per-m² payment, so it is an error.
 * - Rounding: half-up to whole metres and whole m², once, here. A given area keeps its
 *   hundredths of m² (the GIS's 12000.5 m², issue 13; area.ts): it was measured, not computed.
 */

/** Fields that determine a segment's metrics. */
export interface MeasurableFields {
  readonly geometry: SegmentGeometry;
  readonly widthM?: number | undefined;
  readonly lengthM?: number | undefined;
  readonly areaM2?: number | undefined;
}

export interface SegmentMetrics {
  /** Whole metres. */
  readonly lengthM: number;
  /** Square metres: whole when computed, with the hundredths given (at most two decimals) otherwise. */
  readonly areaM2: number;
}

/** Either the metrics, or every reason they cannot be had (paths relative to the fields). */
export type Measurement =
  | { readonly ok: true; readonly metrics: SegmentMetrics }
  | { readonly ok: false; readonly issues: readonly FieldIssue[] };

export const widthNeededMessage = 'width is needed to compute the area of a line segment (area = length x width)';

// The bounds of the stored figures are SegmentFields' own, so a computed value obeys the
// same limits as a given one.
const maxLengthM = SegmentFields.shape.lengthM.unwrap().maxValue ?? Number.POSITIVE_INFINITY;
const maxAreaM2 = SegmentFields.shape.areaM2.unwrap().maxValue ?? Number.POSITIVE_INFINITY;

/** Widths are taken to the millimetre so length x width can be rounded exactly in integers. */
const widthScale = 1_000;

/** The most crossings listed per geometry; one is enough to find a digitising mistake. */
const maxCrossingsListed = 10;

/**
 * Measures a segment, given figures first (see the module notes for the rules). Never
 * throws for bad data: every problem comes back as an issue, with a path relative to the
 * fields (`widthM`, `lengthM`, `areaM2`, `geometry.coordinates.0`).
 */
export function measureSegment(fields: MeasurableFields): Measurement {
  const { geometry } = fields;
  // Figures measured on a broken outline would only add confusing follow-on messages.
  const broken = geometryIssues(geometry);
  if (broken.length > 0) return { ok: false, issues: broken };
  const issues: FieldIssue[] = [];
  const isLine = geometry.type === 'LineString' || geometry.type === 'MultiLineString';

  let lengthM = fields.lengthM;
  if (lengthM === undefined) {
    const measured = isLine ? lineLengthM(geometry) : outerPerimeterM(geometry) / 2;
    lengthM = Math.round(measured);
    const what = isLine ? 'the line measures' : 'half the outline of the polygon measures';
    if (lengthM < 1) {
      issues.push({ path: 'geometry', message: `${what} ${measured.toFixed(2)} m; a segment must be at least 1 m long (are its positions all the same point?)` });
    } else if (lengthM > maxLengthM) {
      issues.push({ path: 'geometry', message: `${what} ${lengthM} m; a segment may be at most ${maxLengthM} m long: split it` });
    }
  }

  // A given area as exact hundredths (0.1 + 0.2 is stored as 0.3).
  let areaM2 = fields.areaM2 === undefined ? undefined : areaM2FromX100(areaM2X100(fields.areaM2));
  if (areaM2 === undefined) {
    if (isLine) {
      if (fields.widthM === undefined) {
        issues.push({ path: 'widthM', message: `${widthNeededMessage}; none was given` });
      } else {
        areaM2 = Number(divideRoundHalfUp(BigInt(lengthM) * BigInt(Math.round(fields.widthM * widthScale)), BigInt(widthScale)));
        if (areaM2 > maxAreaM2) {
          issues.push({ path: 'areaM2', message: `length ${lengthM} m x width ${fields.widthM} m = ${areaM2} m²; a segment may cover at most ${maxAreaM2} m²: split it` });
        }
      }
    } else {
      const measured = area(geometry);
      areaM2 = Math.round(measured);
      if (areaM2 < 1) {
        issues.push({ path: 'geometry', message: `the polygon's area is ${measured.toFixed(2)} m² (holes are subtracted); a segment must cover at least 1 m² (is a hole as large as its outer ring?)` });
      } else if (areaM2 > maxAreaM2) {
        issues.push({ path: 'geometry', message: `the polygon's area is ${areaM2} m²; a segment may cover at most ${maxAreaM2} m²: split it` });
      }
    }
  }

  if (issues.length > 0 || areaM2 === undefined) return { ok: false, issues };
  return { ok: true, metrics: { lengthM, areaM2 } };
}

/**
 * A segment's length (whole metres) and area (whole m²): given values win; otherwise
 * measured from the geometry as the module notes describe. Throws ValidationError listing
 * every problem (paths relative to the fields) when a figure cannot be had or the geometry
 * is not sane.
 */
export function segmentMetrics(fields: MeasurableFields): SegmentMetrics {
  const measurement = measureSegment(fields);
  if (!measurement.ok) throw new ValidationError('the segment cannot be measured', measurement.issues);
  return measurement.metrics;
}

/**
 * Sanity problems of a geometry that would make its area wrong: a polygon ring whose edges
 * cross (a bow-tie from mixed-up vertex order counts its lobes against each other), a ring
 * that doubles back over itself (a spike), a hole crossing its outer ring, or parts of a
 * MultiPolygon crossing each other (counted twice). Touching at a single point is allowed,
 * as OGC Simple Features allows it between rings and some GIS exports produce it.
 * Lines may cross themselves (ramps and loops do).
 *
 * Why not @turf/boolean-valid: it returns true for a bow-tie polygon (it looks for spikes and
 * ring-to-ring crossings only) and costs O(n²) point-on-line tests per ring (about 200 ms for
 * a 2 000-vertex ring), too slow for 5 000 features. This check sorts edges by longitude and
 * compares only edges whose extents overlap, so it stays near O(n log n) for real outlines.
 * Coordinates are treated as planar: edges of a city outline are short enough for that.
 */
export function geometryIssues(geometry: SegmentGeometry): FieldIssue[] {
  switch (geometry.type) {
    case 'LineString':
    case 'MultiLineString':
      return [];
    case 'Polygon':
      return crossingIssues(geometry.coordinates.map((ring, r) => ({ ring, path: `geometry.coordinates.${r}`, label: ringLabel(r) })));
    case 'MultiPolygon':
      return crossingIssues(
        geometry.coordinates.flatMap((polygon, p) =>
          polygon.map((ring, r) => ({ ring, path: `geometry.coordinates.${p}.${r}`, label: `part ${p}'s ${ringLabel(r)}` })),
        ),
      );
  }
}

function lineLengthM(geometry: Extract<SegmentGeometry, { type: 'LineString' | 'MultiLineString' }>): number {
  return length({ type: 'Feature', properties: {}, geometry }, { units: 'meters' });
}

function outerPerimeterM(geometry: Extract<SegmentGeometry, { type: 'Polygon' | 'MultiPolygon' }>): number {
  const outers = geometry.type === 'Polygon' ? geometry.coordinates.slice(0, 1) : geometry.coordinates.map((polygon) => polygon[0] ?? []);
  return lineLengthM({ type: 'MultiLineString', coordinates: outers });
}

function ringLabel(r: number): string {
  return r === 0 ? 'outer ring' : `hole ${r}`;
}

interface Ring {
  readonly ring: readonly Position[];
  readonly path: string;
  readonly label: string;
}

interface Edge {
  readonly ring: number;
  /** Index of the edge's first position in its ring. */
  readonly at: number;
  readonly ax: number;
  readonly ay: number;
  readonly bx: number;
  readonly by: number;
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
}

/**
 * Relative tolerance for "on the line": differences of coordinates near 121° carry rounding
 * of about 1e-14°, so a cross product within 1e-9 of the edges' scale is collinearity (a few
 * nanometres on the ground), not a crossing.
 */
const collinearTolerance = 1e-9;

function crossingIssues(rings: readonly Ring[]): FieldIssue[] {
  const edges: Edge[] = [];
  rings.forEach(({ ring }, r) => {
    for (let i = 0; i + 1 < ring.length; i += 1) {
      const a = ring[i];
      const b = ring[i + 1];
      if (a === undefined || b === undefined) continue;
      const [ax, ay] = a;
      const [bx, by] = b;
      // A repeated position is harmless and has no direction to cross with.
      if (ax === bx && ay === by) continue;
      edges.push({ ring: r, at: i, ax, ay, bx, by, minX: Math.min(ax, bx), maxX: Math.max(ax, bx), minY: Math.min(ay, by), maxY: Math.max(ay, by) });
    }
  });
  edges.sort((e, f) => e.minX - f.minX);

  const issues: FieldIssue[] = [];
  const reportedPairs = new Set<string>();
  for (let i = 0; i < edges.length; i += 1) {
    const e = edges[i] as Edge;
    for (let j = i + 1; j < edges.length; j += 1) {
      const f = edges[j] as Edge;
      if (f.minX > e.maxX) break;
      if (f.minY > e.maxY || f.maxY < e.minY) continue;
      const kind = crossing(e, f);
      if (kind === undefined) continue;
      const [first, second] = e.ring < f.ring || (e.ring === f.ring && e.at < f.at) ? [e, f] : [f, e];
      const pair = `${first.ring}/${second.ring}`;
      if (reportedPairs.has(pair)) continue;
      reportedPairs.add(pair);
      issues.push(crossingIssue(rings, first, second, kind));
      if (issues.length >= maxCrossingsListed) return issues;
    }
  }
  return issues;
}

function crossingIssue(rings: readonly Ring[], first: Edge, second: Edge, kind: 'cross' | 'overlap'): FieldIssue {
  const ring = rings[first.ring] as Ring;
  const [x, y] = meetingPoint(first, second, kind);
  const where = `at about (${x.toFixed(6)}, ${y.toFixed(6)})`;
  const edge = (e: Edge): string => `the edge from position ${e.at} to ${e.at + 1}`;
  const meets = kind === 'cross' ? 'crosses' : 'runs back over';
  if (first.ring === second.ring) {
    return {
      path: `${ring.path}.${first.at}`,
      message:
        kind === 'cross'
          ? `the ${ring.label} crosses itself: ${edge(first)} ${meets} ${edge(second)} ${where}; a polygon's outline must not cross itself (are positions out of order?)`
          : `the ${ring.label} doubles back on itself: ${edge(first)} and ${edge(second)} share a stretch ${where}; a polygon's outline must not run back over itself (a spike)`,
    };
  }
  const other = rings[second.ring] as Ring;
  return {
    path: `${ring.path}.${first.at}`,
    message: `the ${ring.label} and ${other.label} ${kind === 'cross' ? 'cross' : 'overlap'}: ${edge(first)} ${meets} ${other.label}'s ${edge(second)} ${where}; holes must lie inside their outer ring and parts must not overlap, or the area comes out wrong`,
  };
}

/** Where two edges cross, or where their shared stretch begins, for a person to find it on a map. */
function meetingPoint(e: Edge, f: Edge, kind: 'cross' | 'overlap'): [number, number] {
  if (kind === 'overlap') {
    // Collinear edges: an endpoint inside both extents lies on the shared stretch.
    const within = (x: number, y: number, g: Edge): boolean => x >= g.minX && x <= g.maxX && y >= g.minY && y <= g.maxY;
    const ends: [number, number][] = [[f.ax, f.ay], [f.bx, f.by], [e.ax, e.ay], [e.bx, e.by]];
    return ends.find(([x, y]) => within(x, y, e) && within(x, y, f)) ?? [f.ax, f.ay];
  }
  const ex = e.bx - e.ax;
  const ey = e.by - e.ay;
  const fx = f.bx - f.ax;
  const fy = f.by - f.ay;
  const t = ((f.ax - e.ax) * fy - (f.ay - e.ay) * fx) / (ex * fy - ey * fx);
  return [e.ax + t * ex, e.ay + t * ey];
}

/** How two edges meet in a way that breaks a polygon: a proper crossing or a shared stretch. */
function crossing(e: Edge, f: Edge): 'cross' | 'overlap' | undefined {
  const o1 = orientation(e.ax, e.ay, e.bx, e.by, f.ax, f.ay);
  const o2 = orientation(e.ax, e.ay, e.bx, e.by, f.bx, f.by);
  const o3 = orientation(f.ax, f.ay, f.bx, f.by, e.ax, e.ay);
  const o4 = orientation(f.ax, f.ay, f.bx, f.by, e.bx, e.by);
  if (o1 * o2 < 0 && o3 * o4 < 0) return 'cross';
  if (o1 === 0 && o2 === 0) {
    // Collinear: a shared stretch longer than a point is a spike or an overlap; meeting end
    // to end (consecutive edges of a straight run) is fine.
    const alongX = Math.abs(e.bx - e.ax) >= Math.abs(e.by - e.ay);
    const overlap = alongX ? Math.min(e.maxX, f.maxX) - Math.max(e.minX, f.minX) : Math.min(e.maxY, f.maxY) - Math.max(e.minY, f.minY);
    const scale = alongX ? Math.max(e.maxX - e.minX, f.maxX - f.minX) : Math.max(e.maxY - e.minY, f.maxY - f.minY);
    if (overlap > scale * collinearTolerance) return 'overlap';
  }
  return undefined;
}

/** Sign of the turn a→b→c: 1 left, -1 right, 0 collinear within tolerance. */
function orientation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): -1 | 0 | 1 {
  const abx = bx - ax;
  const aby = by - ay;
  const acx = cx - ax;
  const acy = cy - ay;
  const cross = abx * acy - aby * acx;
  const scale = Math.hypot(abx, aby) * Math.hypot(acx, acy);
  if (Math.abs(cross) <= scale * collinearTolerance) return 0;
  return cross > 0 ? 1 : -1;
}
