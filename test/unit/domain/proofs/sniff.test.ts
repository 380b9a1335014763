import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sniffContentType } from '../../../../domain/proofs/sniff';
import { jpegWithExif, pngBytes } from '../../../helpers/photos';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replaceAll(' ', ''), 'hex'));

/** A ftyp box: size, 'ftyp', major brand, minor version 0, compatible brands. */
function ftyp(major: string, compatible: readonly string[]): Uint8Array {
  const size = 16 + compatible.length * 4;
  const box = Buffer.alloc(size + 8);
  box.writeUInt32BE(size, 0);
  box.write('ftyp', 4, 'latin1');
  box.write(major, 8, 'latin1');
  compatible.forEach((brand, index) => box.write(brand, 16 + index * 4, 'latin1'));
  box.write('\0\0\0\x08meta', size, 'latin1'); // the next box, as in a real file
  return box;
}

describe('sniffContentType', () => {
  it.each([
    // First bytes of real files: a camera JPEG (JFIF APP0), an iPhone JPEG (Exif APP1).
    ['a JFIF JPEG', hex('ff d8 ff e0 00 10 4a 46 49 46 00 01 01 00 00 48'), 'image/jpeg'],
    ['an Exif JPEG', hex('ff d8 ff e1 1c 45 45 78 69 66 00 00 4d 4d 00 2a'), 'image/jpeg'],
    ['a PNG', hex('89 50 4e 47 0d 0a 1a 0a 00 00 00 0d 49 48 44 52'), 'image/png'],
    ['a lossy WebP', hex('52 49 46 46 24 b8 01 00 57 45 42 50 56 50 38 20'), 'image/webp'],
    ['an iPhone HEIC (heic, compatible mif1 heic)', ftyp('heic', ['mif1', 'heic']), 'image/heic'],
    ['a Samsung HEIF (mif1 major, heic compatible)', ftyp('mif1', ['heic']), 'image/heic'],
    ['a HEIF sequence (msf1)', ftyp('msf1', ['iso8', 'msf1']), 'image/heic'],
    ['a HEIC behind a foreign major brand', ftyp('isom', ['heix']), 'image/heic'],
    ['our generated JPEG', jpegWithExif({ capturedAt: '2026-11-23T05:00:00' }), 'image/jpeg'],
    ['our generated PNG', pngBytes(), 'image/png'],
    ['the committed sample sweep-1.jpg', readFileSync(new URL('../../../fixtures/photos/sweep-1.jpg', import.meta.url)), 'image/jpeg'],
    ['the committed sample not-a-jpeg.png', readFileSync(new URL('../../../fixtures/photos/not-a-jpeg.png', import.meta.url)), 'image/png'],
  ])('recognises %s', (_label, bytes, expected) => {
    expect(sniffContentType(bytes)).toBe(expected);
  });

  it.each([
    ['an MP4 video (ftyp isom/mp41)', ftyp('isom', ['isom', 'mp41'])],
    ['an AVIF (ftyp avif only)', ftyp('avif', ['avif', 'miaf'])],
    ['a GIF', hex('47 49 46 38 39 61 01 00 01 00')],
    ['a WAV in RIFF', hex('52 49 46 46 24 08 00 00 57 41 56 45 66 6d 74 20')],
    ['a PDF', Uint8Array.from(Buffer.from('%PDF-1.7\n'))],
    ['two bytes of JPEG', hex('ff d8')],
    ['a truncated PNG signature', hex('89 50 4e 47 0d 0a 1a')],
    ['a heic brand outside its ftyp box', (() => {
      const box = Buffer.from(ftyp('isom', ['mp41']));
      box.write('heic', 24, 'latin1'); // inside the next box, not a compatible brand
      return box;
    })()],
    ['nothing', new Uint8Array(0)],
  ])('refuses %s', (_label, bytes) => {
    expect(sniffContentType(bytes)).toBeUndefined();
  });
});
