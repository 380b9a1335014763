import { describe, expect, it } from 'vitest';
import { checkStructure, structureScanner } from '../../../../domain/proofs/structure';
import { jpegWithExif, pngBytes } from '../../../helpers/photos';

/** A minimal HEIC: ftyp (heic), meta, mdat of `mdatBytes`, with the mdat size declared as `declared`. */
function heic(mdatBytes: number, declared = mdatBytes + 8): Buffer {
  const box = (type: string, payload: Buffer, size = payload.length + 8): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(size, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, payload]);
  };
  return Buffer.concat([box('ftyp', Buffer.from('heic\0\0\0\0mif1heic', 'latin1')), box('meta', Buffer.alloc(32)), box('mdat', Buffer.alloc(mdatBytes, 0x3c), declared)]);
}

/** A WebP of one VP8L chunk; `extra` bytes after the RIFF size. */
function webp(extra = 0): Buffer {
  const vp8l = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.from([16, 0, 0, 0]), Buffer.alloc(16)]);
  const head = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.alloc(4), Buffer.from('WEBP', 'latin1')]);
  head.writeUInt32LE(4 + vp8l.length, 4);
  return Buffer.concat([head, vp8l, Buffer.alloc(extra)]);
}

describe('checkStructure', () => {
  it('follows a whole JPEG to its end and gives its frame size', () => {
    expect(checkStructure(jpegWithExif())).toEqual({ ok: true, type: 'image/jpeg', width: 8, height: 8 });
  });

  it('gives the same verdict fed one byte at a time as whole', () => {
    // Prepare
    const photo = Buffer.concat([jpegWithExif(), Buffer.from(' <SCRIPT>x</script>', 'latin1')]);
    const scanner = structureScanner();

    // Act
    for (let at = 0; at < photo.length; at += 1) scanner.update(photo.subarray(at, at + 1));

    // Assess
    expect(scanner.finish()).toEqual(checkStructure(photo));
    expect(checkStructure(photo)).toMatchObject({ ok: false, problem: { code: 'markup' } });
  });

  it('allows what phones append after EOI (a second picture, MPF) when it holds no markup', () => {
    expect(checkStructure(Buffer.concat([jpegWithExif(), jpegWithExif()]))).toMatchObject({ ok: true });
  });

  it('refuses a JPEG whose scan comes before its frame header', () => {
    // Prepare: SOI then a bare SOS
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 63, 0, 0x3f, 0xff, 0xd9]);

    // Act + Assess
    expect(checkStructure(bytes)).toMatchObject({ ok: false, problem: { code: 'malformed', message: 'a JPEG scan (FF DA at byte 2) comes before any frame header (SOF)' } });
  });

  it('accepts a whole PNG and refuses one without IEND', () => {
    expect(checkStructure(pngBytes())).toEqual({ ok: true, type: 'image/png', width: 1, height: 1 });
    expect(checkStructure(pngBytes().subarray(0, 2000))).toMatchObject({ ok: false, problem: { code: 'malformed' } });
  });

  it('accepts a HEIC whose boxes cover the file, and refuses a truncated one naming the box', () => {
    // Act
    const whole = checkStructure(heic(1000));
    const cut = checkStructure(heic(1000, 5000));

    // Assess: mdat is image data, so its bytes of '<' are not searched
    expect(whole).toEqual({ ok: true, type: 'image/heic' });
    expect(cut).toMatchObject({ ok: false, problem: { code: 'malformed' } });
    expect(cut.ok ? '' : cut.problem.message).toContain("inside the HEIC box 'mdat', which declares 5 000 bytes");
  });

  it('accepts a WebP of its RIFF size and refuses bytes after it', () => {
    expect(checkStructure(webp())).toEqual({ ok: true, type: 'image/webp' });
    expect(checkStructure(webp(3))).toMatchObject({ ok: false, problem: { code: 'malformed', message: "3 bytes follow the 36 bytes the WebP's RIFF header declares" } });
  });

  it('refuses HTML that is no photo type at all', () => {
    expect(checkStructure(Buffer.from('<html><body>hello</body></html>'.padEnd(200, ' ')))).toMatchObject({ ok: false, type: undefined });
  });
});
