import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AdapterResponse } from './http-server';

/** web/dist, built by `npm run build:web`. */
export const webDistDir = fileURLToPath(new URL('../../web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
};

/** The field app's files for GET/HEAD outside /v1 and /open311; unknown paths fall back to index.html (SPA). */
export function serveWeb(method: string, path: string): AdapterResponse | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  if (path.startsWith('/v1') || path.startsWith('/open311')) return undefined;
  const index = join(webDistDir, 'index.html');
  if (!existsSync(index)) {
    return { statusCode: 503, headers: { 'content-type': 'text/plain; charset=utf-8' }, cookies: [], body: Buffer.from('web/dist is missing: run `npm run build:web`\n') };
  }
  const wanted = normalize(join(webDistDir, decodeURIComponent(path)));
  const inside = wanted.startsWith(webDistDir.endsWith(sep) ? webDistDir : webDistDir + sep);
  const file = inside && existsSync(wanted) && statSync(wanted).isFile() ? wanted : index;
  const type = contentTypes[extname(file)] ?? 'application/octet-stream';
  const cache = file === index ? 'no-cache' : 'public, max-age=31536000, immutable';
  return { statusCode: 200, headers: { 'content-type': type, 'cache-control': cache }, cookies: [], body: method === 'HEAD' ? Buffer.alloc(0) : readFileSync(file) };
}
