import { describe, expect, it, vi } from 'vitest';

// i18n reads localStorage and sets document attributes; a bare stand-in is enough here.
vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => undefined });
const { formatBps, formatFen, formatInstant, formatWindow, formatX100, formatDate } = await import('../../../web/src/i18n');
const { toMap, fromMap } = await import('../../../web/src/geo/datum');

describe('field app formats (zh-CN)', () => {
  it('formats basis points as a percentage without floating point', () => {
    expect(formatBps(9512)).toBe('95.12%');
    expect(formatBps(10_000)).toBe('100.00%');
    expect(formatBps(5)).toBe('0.05%');
    expect(() => formatBps(0.5)).toThrow(RangeError);
  });

  it('formats integer fen as yuan without floating point', () => {
    expect(formatFen(58_200_000)).toBe('¥582,000.00');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(-150)).toBe('-¥1.50');
    expect(formatFen(Number.MAX_SAFE_INTEGER)).toBe('¥90,071,992,547,409.91');
    expect(() => formatFen(1.5)).toThrow(RangeError);
  });

  it('reads wall time from the instant as the API wrote it, in the tenant offset', () => {
    expect(formatInstant('2026-12-07T05:00:00+08:00')).toBe('2026年12月7日 05:00 (+08:00)');
    expect(formatInstant('2026-12-07T05:00:00.123+08:00', { withDate: false, withOffset: false })).toBe('05:00');
    expect(formatWindow('2026-12-07T13:30:00+08:00', '2026-12-07T16:00:00+08:00')).toBe('13:30–16:00');
    expect(formatDate('2026-01-09')).toBe('2026年1月9日');
    // The phone's own instants (UTC) are shown in the district's zone.
    expect(formatInstant('2026-12-06T06:00:00.000Z')).toBe('2026年12月6日 14:00 (+08:00)');
  });

  it('formats points held as hundredths', () => {
    expect(formatX100(150)).toBe('1.5');
    expect(formatX100(200)).toBe('2');
    expect(formatX100(5)).toBe('0.05');
  });
});

describe('map datum (web/src/geo/datum.ts)', () => {
  it('leaves WGS84 for Tianditu and shifts to GCJ-02 for AMap by the published offset', () => {
    // People's Square, Shanghai: WGS84 121.4737, 31.2304 is about 121.4781, 31.2284 in GCJ-02.
    expect(toMap([121.4737, 31.2304], 'wgs84')).toEqual([121.4737, 31.2304]);
    const [lon, lat] = toMap([121.4737, 31.2304], 'gcj02');
    expect(lon).toBeCloseTo(121.47814, 3);
    expect(lat).toBeCloseTo(31.22844, 3);
    // And back within a few centimetres (the inverse is iterative).
    const [lon0, lat0] = fromMap([lon, lat], 'gcj02');
    expect(Math.abs(lon0 - 121.4737)).toBeLessThan(1e-6);
    expect(Math.abs(lat0 - 31.2304)).toBeLessThan(1e-6);
  });
});
