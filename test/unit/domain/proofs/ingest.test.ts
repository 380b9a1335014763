import { describe, expect, it } from 'vitest';
import type { Evidence, IngestResult } from '../../../../domain/proofs/evidence';
import { decideIngest, exifCapturedAt, exifFacts, exifGps, groupDigits, type IngestFacts } from '../../../../domain/proofs/ingest';
import { contractId, contractorId, taskId } from './fixtures';

const key = `proofs/kangbashi/${contractId}/2026-11-23/${taskId}/3f2b8c1e-9a4d-4f6b-8e2a-1c0d9e8f7a6b.jpg`;
const issued: Evidence = {
  tenantId: 'kangbashi',
  evidenceId: 'ev_3f2b8c1e9a4d4f6b8e2a1c0d9e8f7a6b',
  key,
  contractId,
  contractorId,
  subject: { kind: 'task', id: taskId },
  localDate: '2026-11-23',
  status: 'awaiting_upload',
  declaredContentType: 'image/jpeg',
  issuedAt: '2026-11-22T21:00:00.000Z',
  issuedBy: 'user-1',
};

const refusalOf = (result: IngestResult): unknown => ('refusal' in result ? result.refusal : undefined);

function facts(overrides: Partial<IngestFacts> = {}): IngestFacts {
  return {
    issued,
    sizeBytes: 2_345_678,
    detectedContentType: 'image/jpeg',
    leadingBytes: Uint8Array.from([0xff, 0xd8, 0xff, 0xe1]),
    structure: { ok: true, type: 'image/jpeg', width: 4032, height: 3024 },
    header: { width: 4032, height: 3024 },
    sha256: 'ab'.repeat(32),
    exif: { capturedAt: '2026-11-23T05:12:00+08:00', gps: { lon: 109.785, lat: 39.6 } },
    uploadedAt: '2026-11-22T21:13:00.000Z',
    now: new Date('2026-11-22T21:13:02Z'),
    eTag: 'd41d8cd98f00b204e9800998ecf8427e',
    ...overrides,
  };
}

describe('decideIngest', () => {
  it('accepts a photo of the declared type within the bounds, with what was read', () => {
    expect(decideIngest(facts())).toEqual({
      status: 'valid',
      detectedContentType: 'image/jpeg',
      sizeBytes: 2_345_678,
      sha256: 'ab'.repeat(32),
      uploadedAt: '2026-11-22T21:13:00.000Z',
      ingestedAt: '2026-11-22T21:13:02.000Z',
      eTag: 'd41d8cd98f00b204e9800998ecf8427e',
      widthPx: 4032,
      heightPx: 3024,
      exif: { capturedAt: '2026-11-23T05:12:00+08:00', gps: { lon: 109.785, lat: 39.6 } },
    });
  });

  it('accepts exactly the bounds of the upload policy (10 KiB and 15 MiB)', () => {
    expect(decideIngest(facts({ sizeBytes: 10_240 })).status).toBe('valid');
    expect(decideIngest(facts({ sizeBytes: 15_728_640 })).status).toBe('valid');
  });

  it('refuses one byte above 15 MiB, with the numbers', () => {
    const result = decideIngest(facts({ sizeBytes: 15_728_641 }));

    expect(result).toMatchObject({
      status: 'refused',
      sizeBytes: 15_728_641,
      sha256: 'ab'.repeat(32),
      refusal: { code: 'too-large', message: 'the photo is 15.0 MB (15 728 641 bytes), limit 15 MB', zh: '照片 15.0 MB（15 728 641 字节），上限 15 MB' },
    });
  });

  it('refuses one byte below 10 KiB, with the numbers', () => {
    expect(refusalOf(decideIngest(facts({ sizeBytes: 10_239 })))).toEqual({
      code: 'too-small',
      message: 'the photo is 9.9 KB (10 239 bytes), at least 10 KB: a thumbnail, an empty or a truncated file',
      zh: '照片仅 9.9 KB（10 239 字节），至少 10 KB：缩略图、空文件或被截断的文件',
    });
  });

  it('refuses a PNG declared as JPEG, naming both', () => {
    const result = decideIngest(facts({ detectedContentType: 'image/png' }));

    expect(result).toMatchObject({
      status: 'refused',
      detectedContentType: 'image/png',
      refusal: { code: 'type-mismatch', message: 'declared image/jpeg, but the bytes are image/png', zh: '声明为 image/jpeg，但实际内容为 image/png' },
    });
  });

  it('refuses bytes of no allowed type, showing the first of them', () => {
    const result = decideIngest(facts({ detectedContentType: undefined, leadingBytes: Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1') }));

    expect(refusalOf(result)).toMatchObject({ code: 'type-mismatch', message: 'declared image/jpeg, but the leading bytes (47 49 46 38 39 61 01 00) are no allowed photo type (JPEG, PNG, HEIC, WebP)' });
    expect(result).not.toHaveProperty('detectedContentType');
  });

  it('says a 12.4 MB photo is over the limit in MB, with the exact bytes', () => {
    // Prepare: a photo a quarter MB over 16 MB
    const sizeBytes = Math.round(16.25 * 1024 * 1024);

    // Act
    const refusal = refusalOf(decideIngest(facts({ sizeBytes })));

    // Assess
    expect(refusal).toMatchObject({ code: 'too-large', message: `the photo is 16.2 MB (17 039 360 bytes), limit 15 MB` });
  });

  it('refuses a photo whose structure is not whole, with the walk\'s reason in both languages', () => {
    // Prepare
    const structure = { ok: false as const, type: 'image/jpeg' as const, problem: { code: 'malformed' as const, message: 'the JPEG ends inside its image data', zh: 'JPEG 在图像数据中途结束' } };

    // Act
    const result = decideIngest(facts({ structure }));

    // Assess
    expect(result).toMatchObject({ status: 'refused', refusal: { code: 'malformed', message: 'the JPEG ends inside its image data', zh: 'JPEG 在图像数据中途结束' } });
  });

  it('refuses markup found by the walk as markup', () => {
    const structure = { ok: false as const, type: 'image/jpeg' as const, problem: { code: 'markup' as const, message: 'holds <script', zh: '含脚本' } };

    expect(refusalOf(decideIngest(facts({ structure })))).toMatchObject({ code: 'markup' });
  });

  it('refuses a whole structure whose header image-size cannot decode', () => {
    expect(refusalOf(decideIngest(facts({ header: undefined })))).toEqual({
      code: 'malformed',
      message: "the JPEG header could not be decoded to the picture's dimensions",
      zh: '无法从 JPEG 文件头解出图像尺寸',
    });
  });

  it('checks the size before the type: a wrong-size object never had a valid policy', () => {
    expect(refusalOf(decideIngest(facts({ sizeBytes: 100, detectedContentType: 'image/png' })))).toMatchObject({ code: 'too-small' });
  });

  it('keeps a refused photo free of EXIF facts (they describe a photo nobody may use)', () => {
    expect(decideIngest(facts({ sizeBytes: 1 }))).not.toHaveProperty('exif');
  });
});

describe('groupDigits', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [12_345, '12 345'],
    [15_728_640, '15 728 640'],
  ])('%i → %s', (value, text) => {
    expect(groupDigits(value)).toBe(text);
  });
});

describe('exifCapturedAt', () => {
  it('reads a zone-less DateTimeOriginal in the tenant zone', () => {
    expect(exifCapturedAt({ DateTimeOriginal: '2026:11:23 05:12:00' }, 'Asia/Shanghai')).toBe('2026-11-23T05:12:00+08:00');
    expect(exifCapturedAt({ DateTimeOriginal: '2026:11:23 05:12:00' }, 'Asia/Urumqi')).toBe('2026-11-23T05:12:00+06:00');
  });

  it('prefers the photo’s own OffsetTimeOriginal', () => {
    const instant = exifCapturedAt({ DateTimeOriginal: '2026:11:23 05:12:00', OffsetTimeOriginal: '+09:00' }, 'Asia/Shanghai');

    expect(new Date(instant!).toISOString()).toBe('2026-11-22T20:12:00.000Z');
  });

  it('handles a negative offset with minutes', () => {
    const instant = exifCapturedAt({ DateTimeOriginal: '2026:11:23 05:12:00', OffsetTimeOriginal: '-03:30' }, 'Asia/Shanghai');

    expect(new Date(instant!).toISOString()).toBe('2026-11-23T08:42:00.000Z');
  });

  it('falls back to the tenant zone for an offset that is not ±HH:MM', () => {
    expect(exifCapturedAt({ DateTimeOriginal: '2026:11:23 05:12:00', OffsetTimeOriginal: '   :  ' }, 'Asia/Shanghai')).toBe('2026-11-23T05:12:00+08:00');
  });

  it.each([
    ['a camera without a clock', '0000:00:00 00:00:00'],
    ['an impossible day', '2026:02:30 05:12:00'],
    ['an ISO string', '2026-11-23T05:12:00'],
    ['a revived Date', new Date('2026-11-23T05:12:00Z')],
    ['nothing', undefined],
  ])('gives nothing for %s', (_label, value) => {
    expect(exifCapturedAt({ DateTimeOriginal: value }, 'Asia/Shanghai')).toBeUndefined();
  });
});

describe('exifGps', () => {
  it('turns degrees, minutes, seconds into lon/lat', () => {
    expect(exifGps({ GPSLatitude: [39, 36, 0], GPSLatitudeRef: 'N', GPSLongitude: [109, 47, 6], GPSLongitudeRef: 'E' })).toEqual({ lon: 109.785, lat: 39.6 });
  });

  it('makes south and west negative', () => {
    const gps = exifGps({ GPSLatitude: [33, 52, 4.8], GPSLatitudeRef: 'S', GPSLongitude: [151, 12, 36], GPSLongitudeRef: 'W' });

    expect(gps?.lon).toBeCloseTo(-151.21, 9);
    expect(gps?.lat).toBeCloseTo(-33.868, 9);
  });

  it.each([
    ['a missing longitude', { GPSLatitude: [39, 36, 0], GPSLatitudeRef: 'N' }],
    ['no fix (0, 0)', { GPSLatitude: [0, 0, 0], GPSLatitudeRef: 'N', GPSLongitude: [0, 0, 0], GPSLongitudeRef: 'E' }],
    ['a latitude beyond the pole', { GPSLatitude: [91, 0, 0], GPSLatitudeRef: 'N', GPSLongitude: [109, 0, 0], GPSLongitudeRef: 'E' }],
    ['a rational with a zero denominator', { GPSLatitude: [Number.NaN, 0, 0], GPSLatitudeRef: 'N', GPSLongitude: [109, 0, 0], GPSLongitudeRef: 'E' }],
  ])('gives nothing for %s', (_label, raw) => {
    expect(exifGps(raw)).toBeUndefined();
  });
});

describe('exifFacts', () => {
  it('records what the photo has, and nothing for a photo with neither', () => {
    expect(exifFacts({ DateTimeOriginal: '2026:11:23 05:12:00' }, 'Asia/Shanghai')).toEqual({ capturedAt: '2026-11-23T05:12:00+08:00' });
    expect(exifFacts({ DateTimeOriginal: '0000:00:00 00:00:00' }, 'Asia/Shanghai')).toBeUndefined();
    expect(exifFacts(undefined, 'Asia/Shanghai')).toBeUndefined();
  });
});
