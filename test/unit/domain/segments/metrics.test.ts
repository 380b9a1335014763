import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../domain/errors';
import { geometryIssues, measureSegment, segmentMetrics } from '../../../../domain/segments/metrics';
import type { Position, SegmentGeometry } from '../../../../domain/segments/schema';

/** Mean earth radius turf measures with (@turf/helpers earthRadius, IUGG mean radius R1). */
const earthRadiusM = 6_371_008.8;
const rad = Math.PI / 180;

/** Haversine distance between two points on the same parallel, in closed form. */
function alongParallelM(lat: number, lon1: number, lon2: number): number {
  return 2 * earthRadiusM * Math.asin(Math.cos(lat * rad) * Math.sin(((lon2 - lon1) * rad) / 2));
}

/** Area of a latitude/longitude rectangle on the sphere: R² Δλ (sin φ2 − sin φ1). */
function rectangleAreaM2(lon1: number, lat1: number, lon2: number, lat2: number): number {
  return earthRadiusM ** 2 * (lon2 - lon1) * rad * (Math.sin(lat2 * rad) - Math.sin(lat1 * rad));
}

function rectangle(lon1: number, lat1: number, lon2: number, lat2: number): Position[] {
  return [[lon1, lat1], [lon2, lat1], [lon2, lat2], [lon1, lat2], [lon1, lat1]];
}

// 延安中路 in 静安区, about 1 km along the parallel 31.23 °N.
const yananRoad: SegmentGeometry = { type: 'LineString', coordinates: [[121.445, 31.23], [121.4505, 31.23], [121.4555, 31.23]] };
// 静安公园, roughly.
const jinganPark: SegmentGeometry = { type: 'Polygon', coordinates: [rectangle(121.4455, 31.2225, 121.448, 31.2245)] };

describe('segmentMetrics: length', () => {
  it('measures a ~1 km line in Shanghai to within 1 m of the haversine distance', () => {
    // Prepare
    const expected = alongParallelM(31.23, 121.445, 121.4555);

    // Act
    const { lengthM } = segmentMetrics({ geometry: yananRoad, widthM: 40 });

    // Assess
    expect(expected).toBeGreaterThan(995);
    expect(expected).toBeLessThan(1_005);
    expect(Math.abs(lengthM - expected)).toBeLessThanOrEqual(1);
  });

  it('adds up the parts of a MultiLineString', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'MultiLineString',
      coordinates: [
        [[121.445, 31.23], [121.4505, 31.23]],
        [[121.4505, 31.23], [121.4555, 31.23]],
      ],
    };

    // Act
    const multi = segmentMetrics({ geometry, widthM: 40 });

    // Assess
    expect(multi.lengthM).toBe(segmentMetrics({ geometry: yananRoad, widthM: 40 }).lengthM);
  });

  it("takes half a polygon's outer perimeter as its length, so a thin green belt gets its own length", () => {
    // Prepare: a belt about 1000 m long and 10 m wide along the parallel.
    const dLat = 10 / (earthRadiusM * rad);
    const geometry: SegmentGeometry = { type: 'Polygon', coordinates: [rectangle(121.445, 31.23, 121.4555, 31.23 + dLat)] };

    // Act
    const { lengthM } = segmentMetrics({ geometry });

    // Assess
    const side = alongParallelM(31.23, 121.445, 121.4555);
    expect(Math.abs(lengthM - (side + 10))).toBeLessThanOrEqual(1);
  });

  it('ignores holes when taking the length of a polygon', () => {
    // Prepare
    const outer = rectangle(121.4455, 31.2225, 121.448, 31.2245);
    const withHole: SegmentGeometry = { type: 'Polygon', coordinates: [outer, rectangle(121.4460, 31.2230, 121.4470, 31.2240)] };

    // Act
    const { lengthM } = segmentMetrics({ geometry: withHole });

    // Assess
    expect(lengthM).toBe(segmentMetrics({ geometry: jinganPark }).lengthM);
  });

  it('refuses a line whose positions are all the same point', () => {
    // Prepare
    const geometry: SegmentGeometry = { type: 'LineString', coordinates: [[121.45, 31.23], [121.45, 31.23]] };

    // Act
    const measurement = measureSegment({ geometry, widthM: 10 });

    // Assess
    expect(measurement).toEqual({
      ok: false,
      issues: [{ path: 'geometry', message: expect.stringContaining('a segment must be at least 1 m long') }],
    });
  });
});

describe('segmentMetrics: area', () => {
  it("measures a polygon's area on the sphere", () => {
    // Prepare
    const expected = rectangleAreaM2(121.4455, 31.2225, 121.448, 31.2245);

    // Act
    const { areaM2 } = segmentMetrics({ geometry: jinganPark });

    // Assess
    expect(areaM2).toBe(Math.round(expected));
  });

  it('subtracts holes from the area', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'Polygon',
      coordinates: [rectangle(121.4455, 31.2225, 121.448, 31.2245), rectangle(121.446, 31.223, 121.447, 31.224)],
    };
    const expected = rectangleAreaM2(121.4455, 31.2225, 121.448, 31.2245) - rectangleAreaM2(121.446, 31.223, 121.447, 31.224);

    // Act
    const { areaM2 } = segmentMetrics({ geometry });

    // Assess
    expect(Math.abs(areaM2 - expected)).toBeLessThanOrEqual(1);
  });

  it('computes the area of a line as stored length x width', () => {
    // Prepare
    const { lengthM } = segmentMetrics({ geometry: yananRoad, widthM: 1 });

    // Act
    const { areaM2 } = segmentMetrics({ geometry: yananRoad, widthM: 32 });

    // Assess
    expect(areaM2).toBe(lengthM * 32);
  });

  it('rounds length x width half-up exactly, where floating point would round down', () => {
    // Prepare: 15 x 4.1 is 61.49999999999999 in binary floating point.
    const fields = { geometry: yananRoad, lengthM: 15, widthM: 4.1 };

    // Act
    const { areaM2 } = segmentMetrics(fields);

    // Assess
    expect(areaM2).toBe(62);
  });

  it('refuses to guess the area of a line without a width', () => {
    // Prepare
    const fields = { geometry: yananRoad };

    // Act
    const act = (): unknown => segmentMetrics(fields);

    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(expect.objectContaining({
      issues: [{ path: 'widthM', message: 'width is needed to compute the area of a line segment (area = length x width); none was given' }],
    }));
  });
});

describe('segmentMetrics: given values', () => {
  it('keeps a given length and area over the measured ones', () => {
    // Prepare
    const fields = { geometry: jinganPark, lengthM: 180, areaM2: 51_000 };

    // Act
    const metrics = segmentMetrics(fields);

    // Assess
    expect(metrics).toEqual({ lengthM: 180, areaM2: 51_000 });
  });

  it('multiplies a given length by the width', () => {
    // Prepare
    const fields = { geometry: yananRoad, lengthM: 1_200, widthM: 12.5 };

    // Act
    const metrics = segmentMetrics(fields);

    // Assess
    expect(metrics).toEqual({ lengthM: 1_200, areaM2: 15_000 });
  });

  it('accepts a line without a width when its area is given', () => {
    // Prepare
    const fields = { geometry: yananRoad, areaM2: 30_000 };

    // Act
    const metrics = segmentMetrics(fields);

    // Assess
    expect(metrics.areaM2).toBe(30_000);
  });
});

describe('geometryIssues', () => {
  it('finds a bow-tie polygon whose outline crosses itself', () => {
    // Prepare: the last two corners swapped.
    const geometry: SegmentGeometry = {
      type: 'Polygon',
      coordinates: [[[121.4455, 31.2225], [121.448, 31.2225], [121.4455, 31.2245], [121.448, 31.2245], [121.4455, 31.2225]]],
    };

    // Act
    const issues = geometryIssues(geometry);

    // Assess
    expect(issues).toEqual([
      {
        path: 'geometry.coordinates.0.1',
        message: expect.stringMatching(/^the outer ring crosses itself: the edge from position 1 to 2 crosses the edge from position 3 to 4 at about \(121\.446750, 31\.223500\)/),
      },
    ]);
  });

  it('finds a spike where the outline runs back over itself', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'Polygon',
      coordinates: [[[121.4455, 31.2225], [121.448, 31.2225], [121.449, 31.2225], [121.448, 31.2225], [121.448, 31.2245], [121.4455, 31.2225]]],
    };

    // Act
    const issues = geometryIssues(geometry);

    // Assess
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toContain('doubles back on itself');
  });

  it('finds a hole that crosses its outer ring', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'Polygon',
      coordinates: [rectangle(121.4455, 31.2225, 121.448, 31.2245), rectangle(121.447, 31.223, 121.449, 31.224)],
    };

    // Act
    const issues = geometryIssues(geometry);

    // Assess
    expect(issues).toEqual([{ path: expect.stringMatching(/^geometry\.coordinates\.0\.\d$/), message: expect.stringContaining('the outer ring and hole 1 cross') }]);
  });

  it('finds parts of a MultiPolygon that overlap', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rectangle(121.4455, 31.2225, 121.448, 31.2245)], [rectangle(121.447, 31.223, 121.449, 31.224)]],
    };

    // Act
    const issues = geometryIssues(geometry);

    // Assess
    expect(issues).toEqual([{ path: expect.stringMatching(/^geometry\.coordinates\.0\.0\.\d$/), message: expect.stringContaining("part 0's outer ring and part 1's outer ring cross") }]);
  });

  it('accepts a polygon with a hole inside it', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'Polygon',
      coordinates: [rectangle(121.4455, 31.2225, 121.448, 31.2245), rectangle(121.446, 31.223, 121.447, 31.224)],
    };

    // Act
    const issues = geometryIssues(geometry);

    // Assess
    expect(issues).toEqual([]);
  });

  it('accepts parts of a MultiPolygon that only touch along a corner', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'MultiPolygon',
      coordinates: [[rectangle(121.4455, 31.2225, 121.448, 31.2245)], [rectangle(121.448, 31.2245, 121.449, 31.2255)]],
    };

    // Act
    const issues = geometryIssues(geometry);

    // Assess
    expect(issues).toEqual([]);
  });

  it('accepts a line that crosses itself, as a ramp does', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'LineString',
      coordinates: [[121.445, 31.223], [121.447, 31.225], [121.447, 31.223], [121.445, 31.225]],
    };

    // Act
    const issues = geometryIssues(geometry);

    // Assess
    expect(issues).toEqual([]);
  });

  it('accepts a finely drawn 2 000-vertex outline with repeated and collinear positions', () => {
    // Prepare: a round flower bed, with one position repeated and one mid-edge point.
    const ring: Position[] = Array.from({ length: 2_000 }, (_, i): Position => {
      const angle = (2 * Math.PI * i) / 2_000;
      return [121.4468 + 0.001 * Math.cos(angle), 31.2235 + 0.001 * Math.sin(angle)];
    });
    const [first, second] = ring as [Position, Position];
    ring.splice(1, 0, first, [(first[0] + second[0]) / 2, (first[1] + second[1]) / 2]);
    ring.push(first);

    // Act
    const issues = geometryIssues({ type: 'Polygon', coordinates: [ring] });

    // Assess
    expect(issues).toEqual([]);
  });

  it('makes a crossing polygon unmeasurable', () => {
    // Prepare
    const geometry: SegmentGeometry = {
      type: 'Polygon',
      coordinates: [[[121.4455, 31.2225], [121.448, 31.2225], [121.4455, 31.2245], [121.448, 31.2245], [121.4455, 31.2225]]],
    };

    // Act
    const measurement = measureSegment({ geometry });

    // Assess
    expect(measurement.ok).toBe(false);
  });
});
