import { createHash } from 'node:crypto';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { createHttpAdapter } from '../../infra/local/http-adapter';
import { api, tokenFor, uniqueTenantId, type ApiResponse } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * Open311 GeoReport v2 conformance at the edge (issue 13), on the local stack: XML (the spec's
 * required format) with the same content as JSON, Service Discovery, api_keys per client app
 * (issued by the administrator, stored hashed, 403 when missing or wrong), and every error
 * under /open311/ as the GeoReport error array with the spec's statuses (400/403/404), in the
 * format the path asks for. Element names as the spec gives them (wiki.open311.org/GeoReport_v2,
 * kept in the open311/open311.github.io repository): services/service, service_requests/request,
 * service_definition, errors/error with code and description, discovery/endpoints/endpoint/formats/format.
 */

const zone = 'Asia/Shanghai';
const corner = { lon: 121.47, lat: 31.23 };
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
/** A source address of this file's own: the per-client intake limit counts by address. */
const sourceIp = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;

/** Lists by the spec's element names; every value as text (XML has no types). */
const parser = new XMLParser({
  parseTagValue: false,
  ignoreDeclaration: true,
  isArray: (_name, jpath) => ['services.service', 'service_requests.request', 'errors.error', 'discovery.endpoints.endpoint', 'discovery.endpoints.endpoint.formats.format'].includes(String(jpath)),
});
const xmlOf = (answer: ApiResponse): Record<string, unknown> => parser.parse(answer.text) as Record<string, unknown>;

/** A JSON value as the spec's XML writes it: null as an empty element, numbers and booleans as text. */
function asXmlText(value: unknown): unknown {
  if (value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(asXmlText);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as object).map(([key, one]) => [key, asXmlText(one)]));
  return value;
}

function expectXml(answer: ApiResponse, status: number): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(answer.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
}

function expectJsonErrors(answer: ApiResponse, status: number): Array<{ code: number; description: string }> {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  const errors = answer.json as Array<{ code: number; description: string }>;
  expect(Array.isArray(errors)).toBe(true);
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) expect(Object.keys(error)).toEqual(['code', 'description']);
  return errors;
}

function expectXmlErrors(answer: ApiResponse, status: number): Array<{ code: string; description: string }> {
  expectXml(answer, status);
  const errors = (xmlOf(answer)['errors'] as { error: Array<{ code: string; description: string }> }).error;
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) expect(Object.keys(error)).toEqual(['code', 'description']);
  return errors;
}

describe('Open311 GeoReport v2 conformance on the local stack', () => {
  let tenantId: string;
  let otherTenantId: string;
  let admin: string;
  let apiKey: string;
  let otherTenantKey: string;

  async function issueKey(tenant: string, client: string): Promise<ApiResponse<{ keyId: string; apiKey: string; version: number; status: string }>> {
    return api.request('POST', '/v1/open311/api-keys', { token: await tokenFor('admin', { tenantId: tenant }), body: { client } });
  }

  async function post(path: string, fields: Record<string, string>): Promise<ApiResponse> {
    return api.request('POST', path, { body: form(fields), headers: formHeaders, sourceIp });
  }

  const report = (extra: Record<string, string> = {}): Record<string, string> => ({
    jurisdiction_id: tenantId,
    service_code: 'CL-LITTER',
    lat: String(corner.lat + 0.0002),
    long: String(corner.lon + 0.0005),
    description: '人行道上有纸屑 <script>&',
    ...extra,
  });

  beforeAll(async () => {
    tenantId = uniqueTenantId('o311c');
    otherTenantId = uniqueTenantId('o311c-other');
    const document = DynamoDBDocumentClient.from(localDynamo());
    for (const [id, name] of [[tenantId, '黄浦区'], [otherTenantId, '徐汇区']] as const) {
      await document.send(new PutCommand({ TableName: localStack().tables.main, Item: { ...keys.tenant(id), entity: entityTypes.tenant, tenantId: id, name, zone, createdAt: new Date().toISOString() } }));
    }
    const procurement = await tokenFor('procurement', { tenantId });
    const imported = await api.request('POST', '/v1/segments/imports', {
      token: procurement,
      body: {
        featureCollection: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { id: 'HP-1', name: '南京东路', street: '南京东路街道', grade: '支路', width: 12 },
              geometry: { type: 'LineString', coordinates: [[corner.lon, corner.lat], [corner.lon + 0.002, corner.lat]] },
            },
          ],
        },
      },
    });
    expect(imported.status, imported.text).toBe(200);
    admin = await tokenFor('admin', { tenantId });
    const issued = await issueKey(tenantId, '12345 市民热线 App');
    expect(issued.status, issued.text).toBe(201);
    apiKey = issued.json.apiKey;
    const other = await issueKey(otherTenantId, '徐汇 App');
    expect(other.status, other.text).toBe(201);
    otherTenantKey = other.json.apiKey;
  });

  describe('XML, the required format, with the same content as JSON', () => {
    it('serves services.xml as <services><service> with the fields of services.json', async () => {
      // Act
      const json = await api.request<Record<string, unknown>[]>('GET', `/open311/v2/services.json?jurisdiction_id=${tenantId}`);
      const xml = await api.request('GET', `/open311/v2/services.xml?jurisdiction_id=${tenantId}`);

      // Assess
      expectXml(xml, 200);
      expect(json.status).toBe(200);
      const services = (xmlOf(xml)['services'] as { service: Record<string, string>[] }).service;
      expect(services).toEqual(asXmlText(json.json));
      expect(Object.keys(services[0]!)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
    });

    it('files a report with POST requests.xml and shows it in requests/{id}.xml and requests.xml as in JSON', async () => {
      // Act
      const created = await post('/open311/v2/requests.xml', report({ api_key: apiKey }));
      expectXml(created, 201);
      const request = (xmlOf(created)['service_requests'] as { request: Record<string, string>[] }).request;
      const id = request[0]!['service_request_id']!;
      const oneXml = await api.request('GET', `/open311/v2/requests/${id}.xml?jurisdiction_id=${tenantId}`);
      const oneJson = await api.request<Record<string, unknown>[]>('GET', `/open311/v2/requests/${id}.json?jurisdiction_id=${tenantId}`);
      const listXml = await api.request('GET', `/open311/v2/requests.xml?jurisdiction_id=${tenantId}&service_request_id=${id}`);
      const listJson = await api.request<Record<string, unknown>[]>('GET', `/open311/v2/requests.json?jurisdiction_id=${tenantId}&service_request_id=${id}`);

      // Assess
      expect(request).toHaveLength(1);
      expect(Object.keys(request[0]!)).toEqual(['service_request_id', 'service_notice', 'account_id', 'reopen_token']);
      expect(request[0]).toMatchObject({ account_id: '', service_notice: expect.stringContaining('小时') });
      expectXml(oneXml, 200);
      expect(oneJson.status, oneJson.text).toBe(200);
      expect((xmlOf(oneXml)['service_requests'] as { request: unknown[] }).request).toEqual(asXmlText(oneJson.json));
      expect((xmlOf(listXml)['service_requests'] as { request: unknown[] }).request).toEqual(asXmlText(listJson.json));
      // Escaped, not markup: the description comes back as the citizen wrote it.
      expect(oneXml.text).toContain('人行道上有纸屑 &lt;script&gt;&amp;');
      expect(oneJson.json[0]!['description']).toBe('人行道上有纸屑 <script>&');
    });

    it('serves services/{code}.xml and .json: the service definition, with no attributes', async () => {
      // Act
      const xml = await api.request('GET', `/open311/v2/services/CL-LITTER.xml?jurisdiction_id=${tenantId}`);
      const json = await api.request('GET', `/open311/v2/services/CL-LITTER.json?jurisdiction_id=${tenantId}`);
      const unknown = await api.request('GET', `/open311/v2/services/NO-SUCH.xml?jurisdiction_id=${tenantId}`);

      // Assess
      expectXml(xml, 200);
      expect(xmlOf(xml)).toEqual({ service_definition: { service_code: 'CL-LITTER', attributes: '' } });
      expect(json.status, json.text).toBe(200);
      expect(json.json).toEqual({ service_code: 'CL-LITTER', attributes: [] });
      expect(expectXmlErrors(unknown, 404)).toEqual([{ code: '404', description: "service_code 'NO-SUCH' does not exist" }]);
    });

    it('answers an empty list as an empty root element', async () => {
      // Act
      const xml = await api.request('GET', `/open311/v2/requests.xml?jurisdiction_id=${tenantId}&service_request_id=cmp_00000000000000000000000000`);

      // Assess
      expectXml(xml, 200);
      expect(xmlOf(xml)).toEqual({ service_requests: '' });
    });
  });

  describe('Service Discovery', () => {
    it('lists the GeoReport v2 endpoint with its formats, changeset, contact and key service, in JSON and XML', async () => {
      // Act
      const json = await api.request<Record<string, unknown>>('GET', '/open311/discovery.json', { headers: { host: 'api.example.gov.cn' } });
      const xml = await api.request('GET', '/open311/discovery.xml', { headers: { host: 'api.example.gov.cn' } });

      // Assess
      expect(json.status, json.text).toBe(200);
      expect(Object.keys(json.json)).toEqual(['changeset', 'contact', 'key_service', 'endpoints']);
      expect(json.json['changeset']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      expect(json.json['key_service']).toContain('/v1/open311/api-keys');
      expect(json.json['endpoints']).toEqual([
        { specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://api.example.gov.cn/open311/v2', changeset: json.json['changeset'], type: 'production', formats: ['text/xml', 'application/json'] },
      ]);
      expectXml(xml, 200);
      const discovery = xmlOf(xml)['discovery'] as Record<string, unknown>;
      const endpoint = (discovery['endpoints'] as { endpoint: Record<string, unknown>[] }).endpoint[0]!;
      expect({ ...discovery, endpoints: [{ ...endpoint, formats: (endpoint['formats'] as { format: string[] }).format }] }).toEqual(json.json);
    });

    it('points to an endpoint that answers', async () => {
      // Prepare
      const discovery = await api.request<{ endpoints: { url: string }[] }>('GET', '/open311/discovery.json', { headers: { host: 'localhost:3000' } });
      const path = new URL(discovery.json.endpoints[0]!.url).pathname;

      // Act
      const services = await api.request('GET', `${path}/services.xml?jurisdiction_id=${tenantId}`);

      // Assess
      expectXml(services, 200);
    });
  });

  describe('api_key: per client app, issued by the administrator, stored hashed', () => {
    it('refuses a POST without an api_key, with a wrong one and with another jurisdiction’s key: 403 in the error array', async () => {
      // Act
      const missing = await post('/open311/v2/requests.json', report());
      const wrong = await post('/open311/v2/requests.json', report({ api_key: `${apiKey.slice(0, -4)}AAAA` }));
      const guessed = await post('/open311/v2/requests.xml', report({ api_key: 'xyz' }));
      const foreign = await post('/open311/v2/requests.json', report({ api_key: otherTenantKey }));
      const zh = await api.request('POST', '/open311/v2/requests.json', { body: form(report()), headers: { ...formHeaders, 'accept-language': 'zh-CN' }, sourceIp });

      // Assess
      expect(expectJsonErrors(missing, 403)).toEqual([{ code: 403, description: 'api_key was not provided: POST Service Request needs the api_key issued to your app by the jurisdiction' }]);
      expect(expectJsonErrors(wrong, 403)).toEqual([{ code: 403, description: `invalid api_key: it is not a key of jurisdiction_id '${tenantId}'` }]);
      expect(expectXmlErrors(guessed, 403)).toEqual([{ code: '403', description: `invalid api_key: it is not a key of jurisdiction_id '${tenantId}'` }]);
      expect(expectJsonErrors(foreign, 403)[0]!.description).toContain('invalid api_key');
      expect(expectJsonErrors(zh, 403)[0]!.description).toBe('未提供 api_key：提交诉求需要辖区为您的应用签发的 api_key');
    });

    it('accepts the key in the form or in the query', async () => {
      // Act
      const inForm = await post('/open311/v2/requests.json', report({ api_key: apiKey }));
      const inQuery = await api.request('POST', `/open311/v2/requests.json?api_key=${encodeURIComponent(apiKey)}`, { body: form(report()), headers: formHeaders, sourceIp });

      // Assess
      expect(inForm.status, inForm.text).toBe(201);
      expect(inQuery.status, inQuery.text).toBe(201);
    });

    it('stores only the SHA-256 of a key, never shows it again, and lets only the administrator issue, list and revoke', async () => {
      // Prepare
      const inspector = await tokenFor('inspector', { tenantId });

      // Act
      const issued = await issueKey(tenantId, '微信小程序');
      const stored = await DynamoDBDocumentClient.from(localDynamo()).send(new GetCommand({ TableName: localStack().tables.main, Key: keys.open311ApiKey(tenantId, issued.json.keyId) }));
      const listed = await api.request<{ items: Record<string, unknown>[] }>('GET', '/v1/open311/api-keys', { token: admin });
      const byInspector = await api.request('POST', '/v1/open311/api-keys', { token: inspector, body: { client: '巡查 App' } });
      const listByInspector = await api.request('GET', '/v1/open311/api-keys', { token: inspector });

      // Assess
      expect(issued.status, issued.text).toBe(201);
      expect(issued.json.apiKey).toMatch(/^key_[0-9a-z]{26}\.[A-Za-z0-9_-]{43}$/);
      expect(stored.Item).toMatchObject({ entity: 'Open311ApiKey', keySha256: createHash('sha256').update(issued.json.apiKey).digest('hex'), status: 'active', client: '微信小程序' });
      expect(JSON.stringify(stored.Item)).not.toContain(issued.json.apiKey.split('.')[1]);
      expect(listed.status).toBe(200);
      expect(listed.json.items.map((key) => key['keyId'])).toContain(issued.json.keyId);
      expect(listed.text).not.toContain(issued.json.apiKey.split('.')[1]);
      expect(listed.text).not.toContain('keySha256');
      expect(byInspector.status).toBe(403);
      expect(byInspector.headers['content-type']).toContain('application/problem+json');
      expect(listByInspector.status).toBe(403);
    });

    it('refuses a revoked key with 403 saying so, and audits who issued and revoked it', async () => {
      // Prepare
      const issued = await issueKey(tenantId, '旧版 App');
      const before = await post('/open311/v2/requests.json', report({ api_key: issued.json.apiKey }));

      // Act
      const revoked = await api.request<{ status: string; revokedBy: string }>('POST', `/v1/open311/api-keys/${issued.json.keyId}/revocation`, {
        token: admin,
        headers: { 'if-match': `"${issued.json.version}"` },
        body: { reason: '应用已下线' },
      });
      const after = await post('/open311/v2/requests.json', report({ api_key: issued.json.apiKey }));
      const again = await api.request('POST', `/v1/open311/api-keys/${issued.json.keyId}/revocation`, { token: admin, headers: { 'if-match': '"2"' }, body: { reason: '再次吊销' } });
      const audit = await api.request<{ items: { action: string; status?: string }[] }>('GET', `/v1/audit/entities/Open311ApiKey/${issued.json.keyId}`, { token: admin });

      // Assess
      expect(before.status, before.text).toBe(201);
      expect(revoked.status, revoked.text).toBe(200);
      expect(revoked.json).toMatchObject({ status: 'revoked', revokedBy: expect.any(String) });
      expect(expectJsonErrors(after, 403)[0]!.description).toMatch(new RegExp(`^api_key '${issued.json.keyId}' was revoked on `));
      expect(again.status).toBe(409);
      expect(audit.status, audit.text).toBe(200);
      expect(audit.json.items.map((entry) => [entry.action, entry.status])).toEqual(
        expect.arrayContaining([
          ['issueOpen311ApiKey', 'active'],
          ['revokeOpen311ApiKey', 'revoked'],
        ]),
      );
    });
  });

  describe('every error under /open311/ is the GeoReport error array with the spec’s statuses', () => {
    it('answers unknown paths with 404, in XML when the path asks for XML', async () => {
      // Act
      const json = await api.request('GET', '/open311/v2/tokens/123.json');
      const xml = await api.request('GET', '/open311/v2/nothing/here.xml');
      const bare = await api.request('GET', '/open311/v3/services.json');

      // Assess
      expect(expectJsonErrors(json, 404)[0]!.description).toContain('no Open311 resource at /open311/v2/tokens/123.json');
      expect(expectXmlErrors(xml, 404)[0]).toMatchObject({ code: '404' });
      expect(expectJsonErrors(bare, 404)[0]!.code).toBe(404);
    });

    it('answers a format that is not served with 404 naming the formats that are', async () => {
      // Act
      const list = await api.request('GET', `/open311/v2/services.yaml?jurisdiction_id=${tenantId}`);
      const one = await api.request('GET', `/open311/v2/requests/cmp_00000000000000000000000000.html?jurisdiction_id=${tenantId}`);
      const none = await api.request('GET', `/open311/v2/services?jurisdiction_id=${tenantId}`);

      // Assess
      expect(expectJsonErrors(list, 404)).toEqual([{ code: 404, description: "format 'yaml' is not served: ask for /open311/v2/services.xml or /open311/v2/services.json" }]);
      expect(expectJsonErrors(one, 404)[0]!.description).toBe("format 'html' is not served: ask for requests/cmp_00000000000000000000000000.xml or requests/cmp_00000000000000000000000000.json");
      expect(expectJsonErrors(none, 404)[0]!.description).toContain('needs a format');
    });

    it('answers a method the path does not take with 400, code 405, naming the methods it takes', async () => {
      // Act
      const json = await api.request('DELETE', `/open311/v2/requests.json?jurisdiction_id=${tenantId}`);
      const xml = await api.request('PUT', '/open311/v2/services.xml', { body: '<x/>', headers: { 'content-type': 'text/xml' } });

      // Assess
      expect(expectJsonErrors(json, 400)).toEqual([{ code: 405, description: '/open311/v2/requests.json takes only GET, POST' }]);
      expect(expectXmlErrors(xml, 400)).toEqual([{ code: '405', description: '/open311/v2/services.xml takes only GET' }]);
    });

    it('answers refusals the spec does not name (413, 415) with 400, keeping the specific code', async () => {
      // Act
      const wrongType = await api.request('POST', '/open311/v2/requests.xml', { body: 'jurisdiction_id=x', headers: { 'content-type': 'text/plain' }, sourceIp });
      const tooLarge = await post('/open311/v2/requests.json', report({ api_key: apiKey, description: 'x'.repeat(70 * 1024) }));

      // Assess
      expect(expectXmlErrors(wrongType, 400)[0]).toMatchObject({ code: '415' });
      expect(expectJsonErrors(tooLarge, 400)[0]).toMatchObject({ code: 413 });
    });

    it('answers validation errors as 400 in XML for an XML path', async () => {
      // Act
      const xml = await api.request('GET', '/open311/v2/requests.xml');

      // Assess
      expect(expectXmlErrors(xml, 400)).toEqual([{ code: '400', description: 'jurisdiction_id: jurisdiction_id was not provided' }]);
    });

    it('routes every other path under /open311/ to the Open311 module (ANY /open311/{proxy+}), as API Gateway does', () => {
      // Assess
      expect(createHttpAdapter().routes.filter((route) => route.routeKey === 'ANY /open311/{proxy+}').map((route) => route.module.name)).toEqual(['open311']);
    });
  });
});
