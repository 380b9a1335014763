import { HttpError } from '../../shared/errors';
import { route } from '../../shared/http';
import type { RouteSpec } from '../../shared/route';
import { renderOpen311Error } from './format';
import { open311FallbackRoute, open311Routes } from './routes';

/**
 * What `ANY /open311/{proxy+}` answers: a request no other Open311 route took. The path of a
 * known resource in another format is a resource that does not exist (404, naming the formats
 * we serve); a known path asked with another method cannot be fulfilled (400, code 405,
 * naming the methods it takes); anything else does not exist (404).
 */

const served = open311Routes.filter((spec) => spec.method !== 'ANY' && spec.path.startsWith('/open311/'));

function matcherOf(spec: RouteSpec): RegExp {
  const pattern = spec.path
    .split('/')
    .map((part) => (/^\{\w+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

const matchers = served.map((spec) => ({ spec, matches: matcherOf(spec) }));

/** The routes serving `path` (any method). */
function routesAt(path: string): RouteSpec[] {
  return matchers.filter(({ matches }) => matches.test(path)).map(({ spec }) => spec);
}

export class MethodNotAllowedError extends HttpError {
  override readonly name = 'MethodNotAllowedError';
  constructor(path: string, allowed: readonly string[]) {
    super(405, 'Method Not Allowed', `${path} takes only ${allowed.join(', ')}`, { zh: `${path} 仅支持 ${allowed.join('、')} 方法` });
  }
}

/** The refusal of a request for `rawPath` (under /open311/) that no route took. */
export function refusalOf(rawPath: string): HttpError {
  const path = rawPath.replace(/\/+$/, '') || rawPath;
  const here = routesAt(path);
  if (here.length > 0) return new MethodNotAllowedError(path, [...new Set(here.map((spec) => spec.method))].sort());
  const dot = path.lastIndexOf('.');
  const slash = path.lastIndexOf('/');
  if (dot > slash) {
    const base = path.slice(0, dot);
    const extension = path.slice(dot + 1);
    if (routesAt(`${base}.json`).length > 0) {
      return new HttpError(404, 'Not Found', `format '${extension}' is not served: ask for ${base}.xml or ${base}.json`, { zh: `不提供 '${extension}' 格式：请求 ${base}.xml 或 ${base}.json` });
    }
  } else if (routesAt(`${path}.json`).length > 0) {
    return new HttpError(404, 'Not Found', `${path} needs a format: ask for ${path}.xml or ${path}.json`, { zh: `${path} 需要注明格式：请求 ${path}.xml 或 ${path}.json` });
  }
  return new HttpError(404, 'Not Found', `no Open311 resource at ${path}; the GeoReport v2 endpoint is /open311/v2 (see /open311/discovery.xml)`, {
    zh: `${path} 没有 Open311 资源；GeoReport v2 接口位于 /open311/v2（见 /open311/discovery.xml）`,
  });
}

export const open311FallbackHandler = route(
  open311FallbackRoute,
  async ({ params }) => {
    throw refusalOf(`/open311/${params.proxy}`);
  },
  { renderError: renderOpen311Error },
);
