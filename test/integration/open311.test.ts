import { readFileSync } from 'node:fs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Complaint } from '../../domain/complaints/schema';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { RectificationOrder } from '../../domain/rectification/schema';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';
import { open311KeyFor } from '../helpers/open311-keys';

/**
 * Citizen complaints through Open311 GeoReport v2 on the local stack. No Open311 client is
 * published on npm, so requests and answers are checked against the spec's own examples
 * (test/fixtures/open311/, byte for byte). Fixtures through the API: segments imported as
 * GeoJSON, a contractor, an active cleaning contract on two segments meeting at a corner.
 */

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const fixture = (name: string): string => readFileSync(`test/fixtures/open311/${name}`, 'utf8');
/** Field names of the first object of a spec example, in order (the examples are not strict JSON). */
const specFields = (name: string): string[] => {
  const text = fixture(name);
  const first = text.slice(0, text.indexOf('}'));
  return [...first.matchAll(/"(\w+)":/g)].map((match) => match[1]!);
};

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

/** 8 m per 0.0001° of longitude is not exact; every point below is well inside or outside 100 m. */
const corner = { lon: 121.53, lat: 31.25 };

interface Created {
  service_request_id: string;
  service_notice: string;
  account_id: null;
  reopen_token: string;
}

describe('Open311 GeoReport v2 on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let inspector: string;
  let contractorToken: string;
  let contractorId: string;
  let east: string;
  let north: string;

  beforeAll(async () => {
    tenantId = uniqueTenantId('open311');
    const document = DynamoDBDocumentClient.from(localDynamo());
    await document.send(
      new PutCommand({ TableName: localStack().tables.main, Item: { ...keys.tenant(tenantId), entity: entityTypes.tenant, tenantId, name: '静安区', zone, createdAt: new Date().toISOString() } }),
    );
    procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    const imported = await api.request<{ segments: { externalId: string; segmentId: string }[] }>('POST', '/v1/segments/imports', {
      token: procurement,
      body: {
        featureCollection: {
          type: 'FeatureCollection',
          features: [
            ['JA-E-1', '南京西路(东段)', [[corner.lon, corner.lat], [corner.lon + 0.002, corner.lat]]],
            ['JA-N-2', '石门一路', [[corner.lon, corner.lat], [corner.lon, corner.lat + 0.002]]],
            ['JA-F-3', '威海路', [[corner.lon + 0.02, corner.lat + 0.02], [corner.lon + 0.022, corner.lat + 0.02]]],
          ].map(([id, name, coordinates]) => ({
            type: 'Feature',
            properties: { id, name, street: '南京西路街道', grade: '支路', width: 12 },
            geometry: { type: 'LineString', coordinates },
          })),
        },
      },
    });
    expect(imported.status, imported.text).toBe(200);
    const idOf = (externalId: string): string => imported.json.segments.find((s) => s.externalId === externalId)!.segmentId;
    east = idOf('JA-E-1');
    north = idOf('JA-N-2');
    const registered = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' } });
    expect(registered.status, registered.text).toBe(201);
    contractorId = registered.json.contractorId;
    contractorToken = await tokenFor('contractor', { tenantId, contractorId });
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: {
        contractorId,
        serviceType: 'cleaning',
        title: '南京西路街道道路保洁服务合同',
        startDate: today,
        endDate: addDays(today, 364),
        performanceBondFen: 5_000_000,
        scope: [east, north],
        pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
        rulebookTemplateId: 'cleaning-standard',
      },
    });
    expect(created.status, created.text).toBe(201);
    const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, {
      token: procurement,
      headers: { 'if-match': `"${created.json.version}"` },
      body: {},
    });
    expect(activated.status, activated.text).toBe(200);
  });

  async function submit(fields: Record<string, string>): Promise<Created> {
    const answer = await api.request<Created[]>('POST', '/open311/v2/requests.json', { body: form({ jurisdiction_id: tenantId, ...fields, api_key: await open311KeyFor(tenantId) }), headers: formHeaders });
    expect(answer.status, answer.text).toBe(201);
    return answer.json[0]!;
  }

  it("lists the services with the spec's fields", async () => {
    // Act
    const answer = await api.request<Record<string, unknown>[]>('GET', `/open311/v2/services.json?jurisdiction_id=${tenantId}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Object.keys(answer.json[0]!)).toEqual(specFields('services.response.json'));
    expect(answer.json.find((service) => service['service_code'] === 'MU-COVER')).toMatchObject({ group: 'municipal', type: 'realtime', metadata: false });
  });

  it("answers the spec's example POST, byte for byte, with the spec's error array: its api_key is not one of ours (403)", async () => {
    // Act
    const answer = await api.request<unknown[]>('POST', '/open311/v2/requests.json', { body: fixture('post-request.form.txt'), headers: formHeaders });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual([{ code: 403, description: "invalid api_key: it is not a key of jurisdiction_id 'city.gov'" }]);
    expect(Object.keys(answer.json[0] as object)).toEqual(specFields('errors.response.json'));
  });

  it('refuses a request without jurisdiction_id with 400 in the Open311 shape', async () => {
    // Act
    const answer = await api.request<unknown[]>('GET', '/open311/v2/requests.json');

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual([{ code: 400, description: 'jurisdiction_id: jurisdiction_id was not provided' }]);
  });

  it('routes a POST near a segment to the contractor holding it, whose rectification order a valid verdict raises, and shows it to the citizen', async () => {
    // Act: about 50 m north of the corner, on 石门一路, with the spec's optional fields
    const created = await submit({
      api_key: 'xyz',
      service_code: 'CL-LITTER',
      lat: String(corner.lat + 0.00045),
      long: String(corner.lon + 0.00002),
      description: '路口有大量纸屑和烟头',
      media_url: 'https://example.org/photo/1.jpg',
      phone: '13800000000',
      device_id: 'tt222111',
    });
    const orderId = `rec_${created.service_request_id.slice('cmp_'.length)}`;
    // A citizen report becomes an order only when an inspector verifies it (issue 13).
    const routed = await api.request<Complaint>('GET', `/v1/complaints/${created.service_request_id}`, { token: inspector });
    await api.request('POST', `/v1/complaints/${created.service_request_id}/verification`, { token: inspector, headers: { 'if-match': `"${routed.json.version}"` }, body: { valid: true, reason: '属实' } });
    const order = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${orderId}`, { token: contractorToken });
    const shown = await api.request<Record<string, unknown>[]>('GET', `/open311/v2/requests/${created.service_request_id}.json?jurisdiction_id=${tenantId}`);

    // Assess
    expect(Object.keys(created)).toEqual([...specFields('post-request.response.json'), 'reopen_token']);
    expect(created).toMatchObject({ account_id: null, service_notice: expect.stringContaining('24 小时内') });
    expect(order.status, order.text).toBe(200);
    expect(order.json).toMatchObject({ contractorId, segmentId: north, origin: { kind: 'complaint', complaintId: created.service_request_id }, status: 'open' });
    expect(shown.status).toBe(200);
    expect(shown.json).toHaveLength(1);
    expect(Object.keys(shown.json[0]!)).toEqual(specFields('get-request.response.json'));
    expect(shown.json[0]).toMatchObject({ status: 'open', service_code: 'CL-LITTER', agency_responsible: '上海环杰环境服务有限公司', long: corner.lon + 0.00002 });
    expect(shown.json[0]!['requested_datetime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(shown.text).not.toContain('13800000000');
  });

  it('lists requests by id, status and service code', async () => {
    // Prepare
    const litter = await submit({ service_code: 'CL-LITTER', lat: String(corner.lat), long: String(corner.lon + 0.001) });
    const bin = await submit({ service_code: 'CL-BIN', lat: String(corner.lat), long: String(corner.lon + 0.0012) });

    // Act
    const byIds = await api.request<{ service_request_id: string }[]>('GET', `/open311/v2/requests.json?jurisdiction_id=${tenantId}&service_request_id=${bin.service_request_id},${litter.service_request_id}`);
    const bins = await api.request<{ service_request_id: string }[]>('GET', `/open311/v2/requests.json?jurisdiction_id=${tenantId}&service_code=CL-BIN&status=open`);
    const closed = await api.request<{ service_request_id: string }[]>('GET', `/open311/v2/requests.json?jurisdiction_id=${tenantId}&status=closed&start_date=2010-01-01T00:00:00Z&end_date=2010-02-01T00:00:00Z`);
    const tooLong = await api.request<unknown[]>('GET', `/open311/v2/requests.json?jurisdiction_id=${tenantId}&start_date=2010-01-01T00:00:00Z&end_date=2010-06-01T00:00:00Z`);

    // Assess
    expect(byIds.json.map((r) => r.service_request_id)).toEqual([bin.service_request_id, litter.service_request_id]);
    expect(bins.json.map((r) => r.service_request_id)).toEqual([bin.service_request_id]);
    expect(closed.json).toEqual([]);
    expect(tooLong.status).toBe(400);
  });

  it("verifies a complaint as valid, records the rulebook's complaint points, and keeps it open to the citizen, who cannot reopen it before its order is accepted", async () => {
    // Prepare
    const created = await submit({ service_code: 'CL-WATER', lat: String(corner.lat + 0.0001), long: String(corner.lon + 0.0015) });
    const before = await api.request<Complaint>('GET', `/v1/complaints/${created.service_request_id}`, { token: inspector });
    const rulebookPoints = rulebookFromTemplate(templateById('cleaning-standard')!).complaint.pointsX100;

    // Act
    const verified = await api.request<Complaint>('POST', `/v1/complaints/${created.service_request_id}/verification`, {
      token: inspector,
      headers: { 'if-match': `"${before.json.version}"` },
      body: { valid: true, reason: '经核实属实，已责令整改' },
    });
    const shown = await api.request<Record<string, unknown>[]>('GET', `/open311/v2/requests/${created.service_request_id}.json?jurisdiction_id=${tenantId}`);
    const wrongToken = await api.request<unknown[]>('POST', `/open311/v2/requests/${created.service_request_id}/reopen.json`, {
      body: form({ jurisdiction_id: tenantId, reopen_token: 'guess' }),
      headers: formHeaders,
    });
    const reopened = await api.request<Record<string, unknown>[]>('POST', `/open311/v2/requests/${created.service_request_id}/reopen.json`, {
      body: form({ jurisdiction_id: tenantId, reopen_token: created.reopen_token, description: '积水仍在' }),
      headers: formHeaders,
    });

    // Assess
    expect(before.json).toMatchObject({ status: 'routed' });
    expect(verified.status, verified.text).toBe(200);
    expect(verified.json.points).toMatchObject({ pointsX100: rulebookPoints, contractorId, localDate: today });
    // Open until the order is accepted; the reason is internal, the default public note is shown (issue 13).
    expect(verified.json.status).toBe('rectifying');
    expect(shown.json[0]).toMatchObject({ status: 'open', status_notes: expect.stringMatching(/^经现场核实，问题属实，已责令作业单位于 /) });
    expect(wrongToken.status).toBe(403);
    expect(wrongToken.json).toEqual([{ code: 403, description: 'the reopen_token does not belong to this service request' }]);
    expect(reopened.status, reopened.text).toBe(400);
    expect(reopened.json[0]).toMatchObject({ description: `service request '${created.service_request_id}' is not closed` });
  });

  it('queues an unroutable complaint for procurement, who assigns it to a segment by hand', async () => {
    // Prepare: on 威海路, which no contract holds (a report beyond every segment's reach is refused: issue 13)
    const created = await submit({ service_code: 'CL-PILE', lat: String(corner.lat + 0.02), long: String(corner.lon + 0.021) });

    // Act
    const queue = await api.request<{ items: Complaint[] }>('GET', '/v1/complaints?status=unrouted', { token: procurement });
    const queued = queue.json.items.find((item) => item.complaintId === created.service_request_id);
    const assigned = await api.request<Complaint>('POST', `/v1/complaints/${created.service_request_id}/assignment`, {
      token: procurement,
      headers: { 'if-match': `"${queued?.version ?? 0}"` },
      body: { segmentId: east },
    });
    const verified = await api.request<Complaint>('POST', `/v1/complaints/${created.service_request_id}/verification`, { token: inspector, headers: { 'if-match': `"${assigned.json.version}"` }, body: { valid: true, reason: '属实' } });
    const order = await api.request<RectificationOrder>('GET', `/v1/rectification-orders/${verified.json.routing?.orderId ?? 'none'}`, { token: contractorToken });

    // Assess
    expect(queued).toMatchObject({ status: 'unrouted', unroutedReason: 'no_contract' });
    expect('reopenTokenSha256' in (queued ?? {})).toBe(false);
    expect(assigned.status, assigned.text).toBe(200);
    expect(assigned.json).toMatchObject({ status: 'routed', routing: { segmentId: east, contractorId } });
    expect(order.json).toMatchObject({ contractorId, segmentId: east });
  });
});
