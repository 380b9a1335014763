import { describe, expect, it } from 'vitest';
import { perM2Fen } from '../../../../domain/contracts/pricing';
import { areaM2FromX100, areaM2X100, formatAreaX100 } from '../../../../domain/segments/area';
import { measureSegment } from '../../../../domain/segments/metrics';
import { SegmentFields } from '../../../../domain/segments/schema';

const line = { type: 'LineString' as const, coordinates: [[121.44, 31.2231], [121.4412, 31.2237]] as [number, number][] };

describe('areas in hundredths of m² (issue 13)', () => {
  it('takes two-decimal areas to exact hundredths, whatever the double holds', () => {
    expect([areaM2X100(12_000.5), areaM2X100(12_000.07), areaM2X100(0.1 + 0.2), areaM2X100(100_000_000)]).toEqual([1_200_050, 1_200_007, 30, 10_000_000_000]);
    expect(areaM2FromX100(1_200_050)).toBe(12_000.5);
  });

  it('refuses a third decimal or a negative area: converting is never rounding', () => {
    expect(() => areaM2X100(12_000.123)).toThrow(RangeError);
    expect(() => areaM2X100(-1)).toThrow(RangeError);
  });

  it('writes areas for formulas without trailing zeros', () => {
    expect([formatAreaX100(1_200_050), formatAreaX100(1_200_007), formatAreaX100(4_368_000)]).toEqual(['12000.5 m²', '12000.07 m²', '43680 m²']);
  });

  it('accepts the GIS figure 12000.5 m² at the edge and refuses 12000.123', () => {
    const fields = { name: '广场', street: '南京西路街道', grade: 'branch', geometry: line };

    expect(SegmentFields.safeParse({ ...fields, areaM2: 12_000.5 }).success).toBe(true);
    const refused = SegmentFields.safeParse({ ...fields, areaM2: 12_000.123 });
    expect(refused.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['areaM2']);
  });

  it('keeps a given area to the hundredth when measuring', () => {
    const measured = measureSegment({ geometry: line, areaM2: 12_000.5 });

    expect(measured.ok && measured.metrics.areaM2).toBe(12_000.5);
  });

  it('prices 12000.5 m² per m², rounding once to the fen', () => {
    // 1 200 050 x 629 000 x 31 / (1 200 000 x 31) = 629 026.2… → 629 026 fen
    expect(perM2Fen(1_200_050, 629_000, 31, 31)).toBe(629_026);
    // the half m² is paid: 0.26 元 a month more than 12 000 m², not nothing and not a whole m²'s 0.52
    expect(perM2Fen(1_200_050, 629_000, 31, 31) - perM2Fen(1_200_000, 629_000, 31, 31)).toBe(26);
  });
});
