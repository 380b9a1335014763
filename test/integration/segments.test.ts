import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Segment } from '../../domain/segments/schema';
import type { ImportSegmentsResult } from '../../domain/segments/import';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * The segment registry end to end on the local stack: adapter → API Gateway v2 event →
 * segments Lambda → DynamoDB Local. Each test works in a tenant of its own.
 */

interface Page<T> {
  readonly items: T[];
  readonly nextCursor?: string;
}

/** A short street-parallel line in Jing'an, offset per index so features differ. */
function road(index: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const lon = 121.445 + index * 0.0021;
  return {
    type: 'Feature',
    properties: {
      id: `GIS-${String(index).padStart(4, '0')}`,
      name: `测试路${index}号段`,
      street: index % 2 === 0 ? '静安寺街道' : '南京西路街道',
      grade: ['主干路', '次干路', '支路', '背街小巷'][index % 4],
      flags: index % 5 === 0 ? '严禁路' : '',
      width: 12 + (index % 3),
      ...overrides,
    },
    geometry: { type: 'LineString', coordinates: [[lon, 31.2231], [lon + 0.0012, 31.2237], [lon + 0.0025, 31.2244]] },
  };
}

function collection(features: unknown[]): { featureCollection: { type: 'FeatureCollection'; features: unknown[] } } {
  return { featureCollection: { type: 'FeatureCollection', features } };
}

const newSegment = {
  name: '威海路(石门一路—茂名北路)',
  street: '南京西路街道',
  grade: 'secondary',
  flags: ['controlled'],
  widthM: 18,
  geometry: { type: 'LineString', coordinates: [[121.4571, 31.2279], [121.4592, 31.2261]] },
};

describe('segments on the local stack', () => {
  let tenantId: string;
  let procurement: string;
  let contractor: string;
  let inspector: string;

  beforeAll(async () => {
    tenantId = uniqueTenantId('segments');
    procurement = await tokenFor('procurement', { tenantId });
    contractor = await tokenFor('contractor', { tenantId, contractorId: 'ctr_demo0001' });
    inspector = await tokenFor('inspector', { tenantId });
  });

  it('creates a segment with computed length and area, and reads it back with its ETag', async () => {
    const created = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body: newSegment });

    expect(created.status).toBe(201);
    expect(created.headers['etag']).toBe('"1"');
    expect(created.json.lengthM).toBeGreaterThan(250);
    expect(created.json.lengthM).toBeLessThan(320);
    expect(created.json.areaM2).toBe(created.json.lengthM * 18);
    const read = await api.request<Segment>('GET', `/v1/segments/${created.json.segmentId}`, { token: inspector });
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
  });

  it('refuses a contractor creating a segment with 403 problem+json', async () => {
    const refused = await api.request<Problem>('POST', '/v1/segments', { token: contractor, body: newSegment });

    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json.title).toBe('Forbidden');
  });

  it('lets a contractor read the registry', async () => {
    const listed = await api.request<Page<Segment>>('GET', '/v1/segments', { token: contractor });

    expect(listed.status).toBe(200);
  });

  it('names every failing field of a bad segment in a 400', async () => {
    const refused = await api.request<Problem>('POST', '/v1/segments', {
      token: procurement,
      body: { ...newSegment, grade: 'motorway', geometry: { type: 'LineString', coordinates: [[31.22, 121.45], [31.23, 121.46]] } },
    });

    expect(refused.status).toBe(400);
    const fields = refused.json.errors?.map((error) => error.field) ?? [];
    expect(fields).toContain('body.grade');
    expect(fields.some((field) => field.startsWith('body.geometry.coordinates.0'))).toBe(true);
  });

  it('creates one segment for two POSTs with the same Idempotency-Key, answering both alike', async () => {
    const key = randomUUID();
    const body = { ...newSegment, name: '幂等测试路' };
    const first = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body, headers: { 'idempotency-key': key } });
    const second = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body, headers: { 'idempotency-key': key } });

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.json).toEqual(first.json);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const all = await api.request<Page<Segment>>('GET', '/v1/segments?limit=200', { token: procurement });
    expect(all.json.items.filter((segment) => segment.name === '幂等测试路')).toHaveLength(1);
  });

  it('refuses the same Idempotency-Key with another body with 422', async () => {
    const key = randomUUID();
    await api.request('POST', '/v1/segments', { token: procurement, body: { ...newSegment, name: '甲' }, headers: { 'idempotency-key': key } });
    const reused = await api.request<Problem>('POST', '/v1/segments', { token: procurement, body: { ...newSegment, name: '乙' }, headers: { 'idempotency-key': key } });

    expect(reused.status).toBe(422);
    expect(reused.json.type).toBe('/problems/idempotency-key-reused');
  });

  it('changes a segment with the current If-Match and refuses a stale one with 412', async () => {
    const created = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body: newSegment });
    const path = `/v1/segments/${created.json.segmentId}`;

    const changed = await api.request<Segment>('PATCH', path, { token: procurement, body: { widthM: 20 }, headers: { 'if-match': '"1"' } });
    const stale = await api.request<Problem>('PATCH', path, { token: procurement, body: { widthM: 22 }, headers: { 'if-match': '"1"' } });
    const missing = await api.request<Problem>('PATCH', path, { token: procurement, body: { widthM: 22 } });

    expect(changed.status).toBe(200);
    expect(changed.json.version).toBe(2);
    expect(changed.json.areaM2).toBe(changed.json.lengthM * 20);
    expect(stale.status).toBe(412);
    expect(stale.json.detail).toContain('version 2');
    expect(missing.status).toBe(428);
  });

  it('lets exactly one of two concurrent changes at the same version win', async () => {
    const created = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body: newSegment });
    const path = `/v1/segments/${created.json.segmentId}`;

    const answers = await Promise.all(
      [19, 21].map((widthM) => api.request('PATCH', path, { token: procurement, body: { widthM }, headers: { 'if-match': '"1"' } })),
    );

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 412]);
  });

  it('retires a segment, keeps it readable, and lists every version newest first', async () => {
    const created = await api.request<Segment>('POST', '/v1/segments', { token: procurement, body: newSegment });
    const path = `/v1/segments/${created.json.segmentId}`;
    await api.request('PATCH', path, { token: procurement, body: { name: '威海路(改名)' }, headers: { 'if-match': '"1"' } });

    const retired = await api.request<Segment>('POST', `${path}/retire`, { token: procurement, body: { reason: '道路拆除' }, headers: { 'if-match': '"2"' } });
    const again = await api.request<Problem>('POST', `${path}/retire`, { token: procurement, body: { reason: '道路拆除' }, headers: { 'if-match': '"3"' } });
    const history = await api.request<Page<Segment>>('GET', `${path}/history`, { token: inspector });

    expect(retired.status).toBe(200);
    expect(retired.json.status).toBe('retired');
    expect(again.status).toBe(409);
    expect(history.json.items.map((version) => [version.version, version.status, version.name])).toEqual([
      [3, 'retired', '威海路(改名)'],
      [2, 'active', '威海路(改名)'],
      [1, 'active', newSegment.name],
    ]);
    const active = await api.request<Page<Segment>>('GET', '/v1/segments?limit=200', { token: procurement });
    expect(active.json.items.some((segment) => segment.segmentId === created.json.segmentId)).toBe(false);
  });

  it('answers 404 for a segment that does not exist', async () => {
    const missing = await api.request<Problem>('GET', '/v1/segments/seg_0000000000000000', { token: procurement });

    expect(missing.status).toBe(404);
  });
});

describe('GeoJSON import on the local stack', () => {
  it('refuses a file with one bad feature among good ones, naming it, and writes nothing', async () => {
    const tenantId = uniqueTenantId('import-bad');
    const token = await tokenFor('procurement', { tenantId });
    const features = Array.from({ length: 12 }, (_, index) => road(index));
    features[7] = road(7, { grade: '高速公路' });

    const refused = await api.request<Problem>('POST', '/v1/segments/imports', { token, body: collection(features) });

    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.json.detail).toContain('1 of 12 features are invalid');
    expect(refused.json.errors).toEqual([expect.objectContaining({ field: 'body.featureCollection.features.7.properties.grade' })]);
    const listed = await api.request<Page<Segment>>('GET', '/v1/segments', { token });
    expect(listed.json.items).toEqual([]);
  });

  it('words a refused import in Chinese for a zh-CN caller (the console shows it as written)', async () => {
    const tenantId = uniqueTenantId('import-zh');
    const token = await tokenFor('procurement', { tenantId });
    const features = [road(0), road(1, { grade: '待定' }), road(2, { name: '' })];

    const refused = await api.request<Problem>('POST', '/v1/segments/imports', { token, body: collection(features), headers: { 'accept-language': 'zh-CN' } });

    expect(refused.status).toBe(400);
    expect(refused.json.detail).toBe('3 个要素中有 2 个有误，未导入任何路段');
    expect(refused.json.errors).toEqual([
      { field: 'body.featureCollection.features.1.properties.grade', message: expect.stringContaining('道路等级「待定」无法识别') },
      { field: 'body.featureCollection.features.2.properties.name', message: expect.stringContaining('缺少属性「name」（名称）') },
    ]);
  });

  it('imports, then re-imports as unchanged, then updates only what changed', async () => {
    const tenantId = uniqueTenantId('import');
    const token = await tokenFor('procurement', { tenantId });
    const features = Array.from({ length: 60 }, (_, index) => road(index));

    const first = await api.request<ImportSegmentsResult>('POST', '/v1/segments/imports', { token, body: collection(features) });
    const second = await api.request<ImportSegmentsResult>('POST', '/v1/segments/imports', { token, body: collection(features) });
    features[3] = road(3, { width: 30 });
    const third = await api.request<ImportSegmentsResult>('POST', '/v1/segments/imports', { token, body: collection(features) });

    expect(first.status).toBe(200);
    expect([first.json.created, first.json.updated, first.json.unchanged]).toEqual([60, 0, 0]);
    expect([second.json.created, second.json.updated, second.json.unchanged]).toEqual([0, 0, 60]);
    expect([third.json.created, third.json.updated, third.json.unchanged]).toEqual([0, 1, 59]);
    expect(third.json.segments[3]).toMatchObject({ externalId: 'GIS-0003', outcome: 'updated', segmentId: first.json.segments[3]!.segmentId });
  });

  it('pages through a tenant\'s segments with opaque cursors, each once, and filters by street, grade and flag', async () => {
    const tenantId = uniqueTenantId('paging');
    const token = await tokenFor('finance', { tenantId });
    const writer = await tokenFor('admin', { tenantId });
    await api.request('POST', '/v1/segments/imports', { token: writer, body: collection(Array.from({ length: 45 }, (_, index) => road(index))) });

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page: { json: Page<Segment>; status: number } = await api.request<Page<Segment>>(
        'GET',
        `/v1/segments?limit=20${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
        { token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((segment) => segment.segmentId));
      cursor = page.json.nextCursor;
      pages += 1;
    } while (cursor !== undefined);

    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(45);
    const street = await api.request<Page<Segment>>('GET', `/v1/segments?street=${encodeURIComponent('静安寺街道')}&limit=200`, { token });
    expect(street.json.items).toHaveLength(23);
    const alleys = await api.request<Page<Segment>>('GET', '/v1/segments?grade=alley&limit=200', { token });
    expect(alleys.json.items.every((segment) => segment.grade === 'alley')).toBe(true);
    expect(alleys.json.items).toHaveLength(11);
    const strict = await api.request<Page<Segment>>('GET', '/v1/segments?flag=strict&limit=200', { token });
    expect(strict.json.items).toHaveLength(9);
    const foreign = await api.request<Problem>('GET', `/v1/segments?cursor=${encodeURIComponent(Buffer.from('{"pk":"T#other#SEGMENTS","sk":"SEG#x"}').toString('base64url'))}`, { token });
    expect(foreign.status).toBe(400);
  });

  it('never shows one tenant\'s segments to another', async () => {
    const owner = uniqueTenantId('owner');
    const other = uniqueTenantId('other');
    const ownerToken = await tokenFor('procurement', { tenantId: owner });
    const otherToken = await tokenFor('procurement', { tenantId: other });
    const created = await api.request<Segment>('POST', '/v1/segments', { token: ownerToken, body: newSegment });

    const read = await api.request('GET', `/v1/segments/${created.json.segmentId}`, { token: otherToken });
    const listed = await api.request<Page<Segment>>('GET', '/v1/segments', { token: otherToken });

    expect(read.status).toBe(404);
    expect(listed.json.items).toEqual([]);
  });
});
