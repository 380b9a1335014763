/** The photo builders of the local stack (infra/local/photos.ts), one copy for the demo and the tests. */
export { jpegWithExif, pngBytes, type JpegWithExifOptions } from '../../infra/local/photos';
