import { DateTime } from 'luxon';
import type { Evidence, IngestResult } from './evidence';
import type { ProofContentType } from './keys';
import type { StructureVerdict } from './structure';
import { maxProofBytes, minProofBytes } from './upload-policy';

/**
 * What ingest decides about one uploaded object, as a pure function of what was read (issue 5,
 * "Ingest"; DESIGN §3 "every photo uploaded, of an allowed type and size"). The use case
 * (./ingest-use-case) reads the object and records the result; nothing here does I/O.
 */

/** EXIF values as the photo holds them (no Date built in the machine's zone). */
export interface RawExif {
  /** `YYYY:MM:DD HH:mm:ss`, a wall time without zone (EXIF 2.32 §4.6.6, tag 0x9003). */
  readonly DateTimeOriginal?: unknown;
  /** `±HH:MM`, the zone of DateTimeOriginal (EXIF 2.31+, tag 0x9011); phones write it, cameras often do not. */
  readonly OffsetTimeOriginal?: unknown;
  /** Degrees, minutes, seconds. */
  readonly GPSLatitude?: unknown;
  readonly GPSLatitudeRef?: unknown;
  readonly GPSLongitude?: unknown;
  readonly GPSLongitudeRef?: unknown;
}

export interface IngestFacts {
  /** The item the upload route issued for this key's evidence id (already checked to be this key). */
  readonly issued: Evidence;
  /** Bytes actually read to the end (not the event's claim). */
  readonly sizeBytes: number;
  /** ./sniff on the leading bytes; undefined when they are no allowed photo type. */
  readonly detectedContentType: ProofContentType | undefined;
  /** The first bytes, only to name them when the type is unknown. */
  readonly leadingBytes: Uint8Array;
  /** The walk of the whole object (./structure): complete, and free of markup? */
  readonly structure: StructureVerdict;
  /** The decoded header (image-size): the picture's pixels; undefined when it cannot be decoded. */
  readonly header: { readonly width: number; readonly height: number } | undefined;
  readonly sha256: string;
  readonly exif: Evidence['exif'];
  /** The S3 event time: when the object was stored. */
  readonly uploadedAt: string;
  readonly now: Date;
  readonly objectVersionId?: string;
  readonly eTag?: string;
}

/** `15728640` → `15 728 640`: digits grouped the way the refusal messages in issue 5 show them. */
export function groupDigits(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/**
 * A size as a person reads it: `12.4 MB`, `5.0 KB` (binary units, 1 MB = 1 048 576 bytes, the
 * unit phones show), whole numbers without a decimal (`15 MB`, `10 KB`).
 */
export function humanBytes(bytes: number): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : bytes >= 1024 ? [bytes / 1024, 'KB'] : [bytes, 'bytes'];
  if (unit === 'bytes') return `${groupDigits(bytes)} bytes`;
  const shown = Number.isInteger(value) ? String(value) : (Math.floor(value * 10) / 10).toFixed(1);
  return `${shown} ${unit}`;
}

const typeNames: Readonly<Record<ProofContentType, string>> = { 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/heic': 'HEIC', 'image/webp': 'WebP' };

/**
 * Valid, or refused with one reason and its numbers, in English and Chinese: too large, too
 * small (bounds of the upload policy), leading bytes that are not the declared type, a
 * structure that is not a whole photo or holds markup (./structure), or a header that cannot
 * be decoded. The size goes first: an object of the wrong size never had a valid policy,
 * whatever its bytes.
 */
export function decideIngest(facts: IngestFacts): IngestResult {
  const common = {
    sizeBytes: facts.sizeBytes,
    sha256: facts.sha256,
    uploadedAt: facts.uploadedAt,
    ingestedAt: facts.now.toISOString(),
    ...(facts.objectVersionId === undefined ? {} : { objectVersionId: facts.objectVersionId }),
    ...(facts.eTag === undefined ? {} : { eTag: facts.eTag }),
  };
  const detected = facts.detectedContentType === undefined ? {} : { detectedContentType: facts.detectedContentType };
  const refused = (code: 'too-large' | 'too-small' | 'type-mismatch' | 'malformed' | 'markup', message: string, zh: string): IngestResult => ({
    status: 'refused',
    ...common,
    ...detected,
    refusal: { code, message, zh },
  });
  const size = humanBytes(facts.sizeBytes);
  const exact = groupDigits(facts.sizeBytes);
  if (facts.sizeBytes > maxProofBytes) {
    return refused('too-large', `the photo is ${size} (${exact} bytes), limit ${humanBytes(maxProofBytes)}`, `照片 ${size}（${exact} 字节），上限 ${humanBytes(maxProofBytes)}`);
  }
  if (facts.sizeBytes < minProofBytes) {
    return refused('too-small', `the photo is ${size} (${exact} bytes), at least ${humanBytes(minProofBytes)}: a thumbnail, an empty or a truncated file`, `照片仅 ${size}（${exact} 字节），至少 ${humanBytes(minProofBytes)}：缩略图、空文件或被截断的文件`);
  }
  const declared = facts.issued.declaredContentType;
  if (facts.detectedContentType === undefined) {
    const head = Array.from(facts.leadingBytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
    return refused(
      'type-mismatch',
      `declared ${declared}, but the leading bytes (${head || 'none'}) are no allowed photo type (JPEG, PNG, HEIC, WebP)`,
      `声明为 ${declared}，但开头字节（${head || '无'}）不是允许的照片类型（JPEG、PNG、HEIC、WebP）`,
    );
  }
  if (facts.detectedContentType !== declared) {
    return refused('type-mismatch', `declared ${declared}, but the bytes are ${facts.detectedContentType}`, `声明为 ${declared}，但实际内容为 ${facts.detectedContentType}`);
  }
  if (!facts.structure.ok) return refused(facts.structure.problem.code, facts.structure.problem.message, facts.structure.problem.zh);
  const name = typeNames[facts.detectedContentType];
  if (facts.header === undefined || facts.header.width <= 0 || facts.header.height <= 0) {
    return refused('malformed', `the ${name} header could not be decoded to the picture's dimensions`, `无法从 ${name} 文件头解出图像尺寸`);
  }
  return {
    status: 'valid',
    ...common,
    detectedContentType: facts.detectedContentType,
    widthPx: facts.header.width,
    heightPx: facts.header.height,
    ...(facts.exif === undefined ? {} : { exif: facts.exif }),
  };
}

/** The refusal of an object no upload was issued for, or whose object could not be read. */
export function refusedIngest(
  code: 'not-issued' | 'unreadable',
  message: string,
  zh: string,
  at: { readonly uploadedAt: string; readonly now: Date; readonly sizeBytes?: number; readonly objectVersionId?: string; readonly eTag?: string },
): IngestResult {
  return {
    status: 'refused',
    uploadedAt: at.uploadedAt,
    ingestedAt: at.now.toISOString(),
    ...(at.sizeBytes === undefined ? {} : { sizeBytes: at.sizeBytes }),
    ...(at.objectVersionId === undefined ? {} : { objectVersionId: at.objectVersionId }),
    ...(at.eTag === undefined ? {} : { eTag: at.eTag }),
    refusal: { code, message, zh },
  };
}

const exifDateTime = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/;
const exifOffset = /^([+-])(\d{2}):(\d{2})$/;

/**
 * The capture instant: DateTimeOriginal is a wall time without zone, so it is read in its
 * OffsetTimeOriginal when the photo has one, else in the tenant's zone (the phone was in the
 * district). Cameras' "0000:00:00 00:00:00" and other impossible values give undefined.
 */
export function exifCapturedAt(raw: RawExif, tenantZone: string): string | undefined {
  if (typeof raw.DateTimeOriginal !== 'string') return undefined;
  const match = exifDateTime.exec(raw.DateTimeOriginal.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number) as [number, number, number, number, number, number, number];
  const offset = typeof raw.OffsetTimeOriginal === 'string' ? exifOffset.exec(raw.OffsetTimeOriginal.trim()) : null;
  const zone = offset === null ? tenantZone : `UTC${offset[1]}${offset[2]}:${offset[3]}`;
  const instant = DateTime.fromObject({ year, month, day, hour, minute, second }, { zone });
  if (!instant.isValid) return undefined;
  return instant.toISO({ suppressMilliseconds: true }) ?? undefined;
}

/** Degrees from EXIF's [degrees, minutes, seconds] (or a plain number), negative for S/W. */
function coordinate(value: unknown, ref: unknown, negativeRef: 'S' | 'W', limit: number): number | undefined {
  let degrees: number;
  if (typeof value === 'number') degrees = value;
  else if (Array.isArray(value) && value.length === 3 && value.every((part) => typeof part === 'number' && Number.isFinite(part) && part >= 0)) {
    const [d, m, s] = value as [number, number, number];
    degrees = d + m / 60 + s / 3600;
  } else return undefined;
  if (!Number.isFinite(degrees) || Math.abs(degrees) > limit) return undefined;
  const negative = typeof ref === 'string' && ref.trim().toUpperCase() === negativeRef;
  return negative ? -Math.abs(degrees) : degrees;
}

/**
 * GPS as lon/lat. A fix of exactly 0, 0 is what phones write with no fix at all, so it counts
 * as absent rather than as a point in the Gulf of Guinea that would flag every proof.
 */
export function exifGps(raw: RawExif): { lon: number; lat: number } | undefined {
  const lat = coordinate(raw.GPSLatitude, raw.GPSLatitudeRef, 'S', 90);
  const lon = coordinate(raw.GPSLongitude, raw.GPSLongitudeRef, 'W', 180);
  if (lat === undefined || lon === undefined || (lat === 0 && lon === 0)) return undefined;
  return { lon, lat };
}

/** The EXIF facts recorded on an evidence item, or undefined when the photo carries neither. */
export function exifFacts(raw: RawExif | undefined, tenantZone: string): Evidence['exif'] {
  if (raw === undefined) return undefined;
  const capturedAt = exifCapturedAt(raw, tenantZone);
  const gps = exifGps(raw);
  if (capturedAt === undefined && gps === undefined) return undefined;
  return { ...(capturedAt === undefined ? {} : { capturedAt }), ...(gps === undefined ? {} : { gps }) };
}
