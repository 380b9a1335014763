import { brotliDecompressSync } from 'node:zlib';
import { ok, route } from '../../shared/http';
import { openApiRoute } from './routes';

/** The document's JSON, brotli-compressed and base64, when the bundle was built with it (./prebuilt.ts); undefined when running from the sources. */
declare const __XIUHUA_OPENAPI_DOCUMENT__: string | undefined;

let document: Promise<Record<string, unknown>> | undefined;

async function loadDocument(): Promise<Record<string, unknown>> {
  if (typeof __XIUHUA_OPENAPI_DOCUMENT__ === 'string') {
    return JSON.parse(brotliDecompressSync(Buffer.from(__XIUHUA_OPENAPI_DOCUMENT__, 'base64')).toString('utf8')) as Record<string, unknown>;
  }
  return (await import('./build-document')).buildOpenApiDocument();
}

/** The document as the bundle carries it, or built from the route specs at the first request when running from the sources. */
export const getOpenApiHandler = route(openApiRoute, async () => {
  document ??= loadDocument();
  document.catch(() => {
    document = undefined;
  });
  return ok(await document);
});
