import { HEIF } from 'image-size/types/heif';
import { JPG } from 'image-size/types/jpg';
import { PNG } from 'image-size/types/png';
import { WEBP } from 'image-size/types/webp';
import type { ProofContentType } from '../../../domain/proofs/keys';

/**
 * The header of a photo's leading bytes decoded with image-size (issue 13: "decode the image
 * header fully … with a kept library"): pure JavaScript, no dependencies; only the four
 * decoders of the allowed types are imported, so a bundle carries those and not its twenty
 * others. The walk of the whole structure (domain/proofs/structure.ts) is what image-size does
 * not do; this gives the picture's pixels. The type is the sniffed one (domain/proofs/sniff),
 * so a PNG declared as JPEG never reaches the JPEG decoder.
 */
const decoders = { 'image/jpeg': JPG, 'image/png': PNG, 'image/heic': HEIF, 'image/webp': WEBP } as const;

/** Width and height in pixels, or undefined when the header cannot be decoded as `type` (never throws). */
export function readImageHeader(head: Uint8Array, type: ProofContentType): { readonly width: number; readonly height: number } | undefined {
  const decoder = decoders[type];
  try {
    if (!decoder.validate(head)) return undefined;
    const { width, height } = decoder.calculate(head);
    return Number.isSafeInteger(width) && Number.isSafeInteger(height) && width > 0 && height > 0 ? { width, height } : undefined;
  } catch {
    // image-size throws TypeError("Invalid JPG, no size found", "Corrupt JPG, exceeded buffer limits"…) for what it cannot place.
    return undefined;
  }
}
