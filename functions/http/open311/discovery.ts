import { route } from '../../shared/http';
import { answer, open311MediaTypes, renderOpen311Error, type Open311Format } from './format';
import { discoveryRoute, discoveryXmlRoute } from './routes';

/**
 * Open311 Service Discovery (wiki.open311.org/Service_Discovery): where the GeoReport v2
 * endpoint is, in which formats, and how a client app gets its api_key. The endpoint's URL is
 * built from the host the client called (API Gateway's domain, or the local stack's), so the
 * document is right on every stage without configuration.
 */

/** When the Open311 edge last changed (issue 13: XML, discovery, api_keys, the error array). */
export const open311Changeset = '2026-12-07T00:00:00+08:00';
const specification = 'http://wiki.open311.org/GeoReport_v2';

export function discoveryDocument(origin: string): Record<string, unknown> {
  return {
    changeset: open311Changeset,
    contact: 'xiuhua (绣花) Open311 GeoReport v2: each district is one jurisdiction_id; ask the district administrator (区市容管理部门) about this API',
    key_service:
      'POST Service Request needs an api_key per client app, issued by the district administrator (POST /v1/open311/api-keys); 提交诉求需要辖区管理员为每个客户端应用签发的 api_key',
    endpoints: [
      {
        specification,
        url: `${origin}/open311/v2`,
        changeset: open311Changeset,
        type: 'production',
        formats: [open311MediaTypes.xml.split(';')[0]!, open311MediaTypes.json.split(';')[0]!],
      },
    ],
  };
}

/** `https://{host}` of the request, as API Gateway forwards it (x-forwarded-proto, host). */
export function originOf(headers: Readonly<Record<string, string | undefined>>): string {
  const proto = headers['x-forwarded-proto']?.split(',')[0]?.trim() || 'https';
  const host = headers['host'] ?? 'localhost';
  return `${proto}://${host}`;
}

const discoveryIn = (format: Open311Format) => async ({ headers }: { headers: Readonly<Record<string, string | undefined>> }) =>
  answer(format, discoveryDocument(originOf(headers)), { root: 'discovery' });

export const discoveryHandler = route(discoveryRoute, discoveryIn('json'), { renderError: renderOpen311Error });
export const discoveryXmlHandler = route(discoveryXmlRoute, discoveryIn('xml'), { renderError: renderOpen311Error });
