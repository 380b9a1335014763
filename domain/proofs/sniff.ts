import type { ProofContentType } from './keys';

/**
 * The photo type by its leading bytes, not by what the phone declared (issue 5: "checks the
 * type by its leading bytes"). Hand-written rather than the `file-type` package: four
 * signatures, a pure domain function with no I/O, and no ESM-only dependency in every bundle.
 *
 * Signatures: JPEG `FF D8 FF` (ITU T.81 SOI + next marker); PNG the 8-byte signature (RFC
 * 2083 §3.1); WebP `RIFF` size `WEBP` (RFC 9649 §2.5); HEIC an ISO-BMFF `ftyp` box first
 * (ISO/IEC 14496-12 §4.3) whose major or a compatible brand is a HEIF image brand (ISO/IEC
 * 23008-12 Annex B: heic, heix, hevc, hevx, heim, heis, and the generic mif1/msf1).
 */

const heifBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);
const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

function ascii(bytes: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(from, from + length));
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return bytes.length >= signature.length && signature.every((byte, index) => bytes[index] === byte);
}

/** True when `bytes` opens with a `ftyp` box naming a HEIF image brand (major or compatible). */
function isHeif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return false;
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  // size 0 ("to end of file") and 1 (64-bit size) are legal for boxes in general, never for a ftyp.
  if (boxSize < 16) return false;
  const end = Math.min(boxSize, bytes.length);
  if (heifBrands.has(ascii(bytes, 8, 4))) return true;
  // Compatible brands follow the 4-byte minor version, four bytes each.
  for (let at = 16; at + 4 <= end; at += 4) {
    if (heifBrands.has(ascii(bytes, at, 4))) return true;
  }
  return false;
}

/** The allowed photo type the leading bytes show, or undefined for anything else (never throws). */
export function sniffContentType(bytes: Uint8Array): ProofContentType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, pngSignature)) return 'image/png';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'image/webp';
  if (isHeif(bytes)) return 'image/heic';
  return undefined;
}
