import { brotliDecompressSync } from 'node:zlib';
import { ok, route } from '../../shared/http';
import { memoizedUntilFailure } from '../../shared/memo';
import { openApiRoute } from './routes';

/** The document's JSON, brotli-compressed and base64, when the bundle was built with it (./prebuilt.ts); undefined when running from the sources. */
declare const __XIUHUA_OPENAPI_DOCUMENT__: string | undefined;

/** Once per container; a failed build is tried again at the next request. */
const loadDocument = memoizedUntilFailure(async (): Promise<Record<string, unknown>> => {
  if (typeof __XIUHUA_OPENAPI_DOCUMENT__ === 'string') {
    return JSON.parse(brotliDecompressSync(Buffer.from(__XIUHUA_OPENAPI_DOCUMENT__, 'base64')).toString('utf8')) as Record<string, unknown>;
  }
  return (await import('./build-document')).buildOpenApiDocument();
});

/** The document as the bundle carries it, or built from the route specs at the first request when running from the sources. */
export const getOpenApiHandler = route(openApiRoute, async () => ok(await loadDocument()));
