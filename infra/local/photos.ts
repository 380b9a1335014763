import { DateTime } from 'luxon';

/**
 * Real photo bytes for `npm run demo` and the tests (test/helpers/photos.ts re-exports them),
 * assembled by hand because the machine has no image tool
 * (no ImageMagick, exiftool or Pillow): a baseline JPEG (an 8x8 mid-grey picture any decoder
 * shows) with an APP1 Exif segment carrying DateTimeOriginal, OffsetTimeOriginal and a GPS
 * IFD, padded with COM segments to the size a test needs; and a valid 1x1 PNG padded with a
 * private ancillary chunk, for "declared JPEG, is a PNG" cases.
 */

export interface JpegWithExifOptions {
  /**
   * EXIF capture time. A string without offset (`2026-11-23T05:12:00`) is written as that wall
   * time with no OffsetTimeOriginal (ingest then reads it in the tenant zone); with an offset
   * (`…+08:00`, `Z`) the wall time in that offset plus OffsetTimeOriginal; a Date is written
   * as China time (+08:00) with OffsetTimeOriginal. Absent: no DateTimeOriginal at all.
   */
  readonly capturedAt?: string | Date;
  /** GPS longitude (degrees, east positive); with `lat`, else no GPS IFD. */
  readonly lon?: number;
  readonly lat?: number;
  /** Total file size in bytes (default 12 KiB, above the 10 KiB minimum). Exact. */
  readonly padToBytes?: number;
}

/** A decodable JPEG with an Exif segment (see JpegWithExifOptions). */
export function jpegWithExif(options: JpegWithExifOptions = {}): Buffer {
  const app1 = exifSegment(options);
  const image = Buffer.concat([dqt(), sof0(), dht(0x00, [0]), dht(0x10, [0x00]), sos(), Buffer.from([0x3f])]);
  const soi = Buffer.from([0xff, 0xd8]);
  const eoi = Buffer.from([0xff, 0xd9]);
  const base = soi.length + app1.length + image.length + eoi.length;
  const target = options.padToBytes ?? 12 * 1024;
  if (target < base) throw new RangeError(`a JPEG with this Exif needs at least ${base} bytes, not ${target}`);
  let gap = target - base;
  // A COM segment costs 4 bytes of marker and length; a gap of 1–3 bytes goes at the end of APP1 instead.
  const app1Tail = gap > 0 && gap < 4 ? gap : 0;
  gap -= app1Tail;
  const padding: Buffer[] = [];
  while (gap > 0) {
    let chunk = Math.min(gap, 65_537);
    if (gap - chunk > 0 && gap - chunk < 4) chunk -= 4;
    padding.push(segment(0xfe, Buffer.alloc(chunk - 4, 0x20)));
    gap -= chunk;
  }
  const exif = app1Tail === 0 ? app1 : exifSegment(options, app1Tail);
  return Buffer.concat([soi, exif, ...padding, image, eoi]);
}

/** A valid 1x1 PNG of exactly `size` bytes (≥ 69; 67 for the bare picture). */
export function pngBytes(size = 12 * 1024): Buffer {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, no interlace
  // zlib stream of one row: filter 0, one grey byte (stored block, so no compressor needed).
  const raw = Buffer.from([0x00, 0x80]);
  const idat = Buffer.concat([Buffer.from([0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff]), raw, u32(adler32(raw))]);
  const parts = [signature, chunk('IHDR', ihdr), chunk('IDAT', idat)];
  const iend = chunk('IEND', Buffer.alloc(0));
  const base = parts.reduce((sum, part) => sum + part.length, 0) + iend.length;
  if (size === base) return Buffer.concat([...parts, iend]);
  if (size < base + 12) throw new RangeError(`a padded PNG has at least ${base + 12} bytes, not ${size}`);
  // 'paDd': ancillary, private, safe to copy — every decoder skips it.
  return Buffer.concat([...parts, chunk('paDd', Buffer.alloc(size - base - 12, 0)), iend]);
}

// ---- JPEG ---------------------------------------------------------------------------------

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** Quantisation table 0: all ones. */
function dqt(): Buffer {
  return segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)]));
}

/** Baseline, 8 bits, 8x8, one component (grey) with table 0. */
function sof0(): Buffer {
  return segment(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
}

/** A Huffman table with one 1-bit code per symbol given (DC: category 0; AC: end of block). */
function dht(classAndId: number, symbols: number[]): Buffer {
  const bits = Buffer.alloc(16, 0);
  bits[0] = symbols.length;
  return segment(0xc4, Buffer.concat([Buffer.from([classAndId]), bits, Buffer.from(symbols)]));
}

/** One component, tables DC 0 / AC 0; the scan's one byte 0x3F = DC diff 0, EOB, 1-bit padding. */
function sos(): Buffer {
  return segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0]));
}

// ---- Exif (TIFF, big-endian) --------------------------------------------------------------

interface Entry {
  readonly tag: number;
  readonly type: 1 | 2 | 4 | 5; // BYTE, ASCII, LONG, RATIONAL
  readonly count: number;
  /** Bytes of the value (inline when ≤ 4), or a LONG filled in later (pointers). */
  readonly data: Buffer;
}

function ascii(text: string): Entry['data'] {
  return Buffer.from(`${text}\0`, 'latin1');
}

function rationals(values: readonly (readonly [number, number])[]): Buffer {
  const out = Buffer.alloc(values.length * 8);
  values.forEach(([numerator, denominator], index) => {
    out.writeUInt32BE(numerator, index * 8);
    out.writeUInt32BE(denominator, index * 8 + 4);
  });
  return out;
}

/** Degrees as degrees, minutes, seconds/1000 — how phones write them. */
function dms(degrees: number): Buffer {
  const absolute = Math.abs(degrees);
  const whole = Math.floor(absolute);
  const minutesFloat = (absolute - whole) * 60;
  const minutes = Math.floor(minutesFloat);
  const milliseconds = Math.round((minutesFloat - minutes) * 60 * 1000);
  return rationals([
    [whole, 1],
    [minutes, 1],
    [milliseconds, 1000],
  ]);
}

function exifTime(capturedAt: string | Date): { wall: string; offset?: string } {
  if (capturedAt instanceof Date) {
    const china = DateTime.fromJSDate(capturedAt, { zone: 'UTC+8' });
    return { wall: china.toFormat('yyyy:MM:dd HH:mm:ss'), offset: '+08:00' };
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(capturedAt);
  if (match === null) throw new RangeError(`capturedAt '${capturedAt}' is not YYYY-MM-DDTHH:mm:ss[offset]`);
  const [, y, mo, d, h, mi, s, zone] = match;
  return { wall: `${y}:${mo}:${d} ${h}:${mi}:${s}`, ...(zone === undefined ? {} : { offset: zone === 'Z' ? '+00:00' : zone }) };
}

/** The APP1 segment: "Exif\0\0", TIFF header, IFD0 → Exif IFD (times) and GPS IFD. */
function exifSegment(options: JpegWithExifOptions, tail = 0): Buffer {
  const exifEntries: Entry[] = [];
  if (options.capturedAt !== undefined) {
    const { wall, offset } = exifTime(options.capturedAt);
    exifEntries.push({ tag: 0x9003, type: 2, count: 20, data: ascii(wall) });
    if (offset !== undefined) exifEntries.push({ tag: 0x9011, type: 2, count: 7, data: ascii(offset) });
  }
  const gpsEntries: Entry[] = [];
  if (options.lon !== undefined && options.lat !== undefined) {
    gpsEntries.push(
      { tag: 0x0000, type: 1, count: 4, data: Buffer.from([2, 3, 0, 0]) },
      { tag: 0x0001, type: 2, count: 2, data: ascii(options.lat < 0 ? 'S' : 'N') },
      { tag: 0x0002, type: 5, count: 3, data: dms(options.lat) },
      { tag: 0x0003, type: 2, count: 2, data: ascii(options.lon < 0 ? 'W' : 'E') },
      { tag: 0x0004, type: 5, count: 3, data: dms(options.lon) },
    );
  }
  // Layout: header(8) | IFD0 | Exif IFD | GPS IFD, each IFD followed by its out-of-line values.
  const ifd0Entries: Entry[] = [];
  const pointerSlots: { tag: number; target: 'exif' | 'gps' }[] = [];
  if (exifEntries.length > 0) pointerSlots.push({ tag: 0x8769, target: 'exif' });
  if (gpsEntries.length > 0) pointerSlots.push({ tag: 0x8825, target: 'gps' });
  const ifdSize = (entries: readonly Entry[]): number =>
    2 + entries.length * 12 + 4 + entries.reduce((sum, entry) => sum + (entry.data.length > 4 ? entry.data.length + (entry.data.length % 2) : 0), 0);
  const ifd0Offset = 8;
  const ifd0Size = 2 + pointerSlots.length * 12 + 4;
  const exifOffset = ifd0Offset + ifd0Size;
  const gpsOffset = exifOffset + (exifEntries.length > 0 ? ifdSize(exifEntries) : 0);
  for (const slot of pointerSlots) {
    ifd0Entries.push({ tag: slot.tag, type: 4, count: 1, data: u32(slot.target === 'exif' ? exifOffset : gpsOffset) });
  }
  const tiff = Buffer.concat([
    Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]),
    ifd(ifd0Entries, ifd0Offset),
    ...(exifEntries.length > 0 ? [ifd(exifEntries, exifOffset)] : []),
    ...(gpsEntries.length > 0 ? [ifd(gpsEntries, gpsOffset)] : []),
  ]);
  return segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff, Buffer.alloc(tail, 0)]));
}

/** One IFD at TIFF offset `at`: entries sorted by tag, next-IFD 0, then the out-of-line values. */
function ifd(entries: readonly Entry[], at: number): Buffer {
  const sorted = [...entries].sort((a, b) => a.tag - b.tag);
  const table = Buffer.alloc(2 + sorted.length * 12 + 4);
  table.writeUInt16BE(sorted.length, 0);
  const values: Buffer[] = [];
  let valueOffset = at + table.length;
  sorted.forEach((entry, index) => {
    const base = 2 + index * 12;
    table.writeUInt16BE(entry.tag, base);
    table.writeUInt16BE(entry.type, base + 2);
    table.writeUInt32BE(entry.count, base + 4);
    if (entry.data.length <= 4) {
      entry.data.copy(table, base + 8);
    } else {
      table.writeUInt32BE(valueOffset, base + 8);
      // Values start on a word boundary (TIFF 6.0, section 2).
      const padded = entry.data.length % 2 === 0 ? entry.data : Buffer.concat([entry.data, Buffer.alloc(1)]);
      values.push(padded);
      valueOffset += padded.length;
    }
  });
  return Buffer.concat([table, ...values]);
}

// ---- PNG ----------------------------------------------------------------------------------

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

function chunk(type: string, data: Buffer): Buffer {
  const typeBytes = Buffer.from(type, 'latin1');
  return Buffer.concat([u32(data.length), typeBytes, data, u32(crc32(Buffer.concat([typeBytes, data])))]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Buffer): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65_521;
    b = (b + a) % 65_521;
  }
  return ((b << 16) | a) >>> 0;
}
