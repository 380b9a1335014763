import exifr from 'exifr';
import type { RawExif } from '../../../domain/proofs/ingest';

/** Only what ingest records: capture time with its offset, and the GPS position. */
const picked = ['DateTimeOriginal', 'OffsetTimeOriginal', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'];

/**
 * EXIF of a photo's leading bytes with exifr (the kept EXIF library, issue 5), as raw values:
 * `reviveValues: false` keeps DateTimeOriginal the zone-less string the camera wrote, where
 * exifr would otherwise build a Date in the machine's zone (UTC on Lambda, anything locally);
 * domain/proofs/ingest.ts resolves it. A photo without EXIF, or with a broken one, gives
 * undefined: missing EXIF is no reason to refuse a photo (DESIGN §3 flags, never refuses, on EXIF).
 */
export async function readExif(head: Uint8Array): Promise<RawExif | undefined> {
  try {
    const parsed = (await exifr.parse(Buffer.from(head.buffer, head.byteOffset, head.byteLength), {
      pick: picked,
      reviveValues: false,
      translateValues: false,
    })) as Record<string, unknown> | undefined;
    if (parsed === undefined || parsed === null) return undefined;
    const raw: Record<string, unknown> = {};
    for (const name of picked) if (parsed[name] !== undefined) raw[name] = parsed[name];
    return Object.keys(raw).length === 0 ? undefined : (raw as RawExif);
  } catch {
    // exifr throws "Unknown file format" for bytes it cannot place; ingest's sniffing decides about those.
    return undefined;
  }
}
