import { beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { addDays, localDate } from '../../domain/dates';
import type { RectificationOrder } from '../../domain/rectification/schema';
import type { Segment } from '../../domain/segments/schema';
import type { Problem } from '../../functions/shared/schemas';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';

/**
 * List cursors are bound to their whole query (issue 13): a cursor outside the query's
 * sort-key range, forged or a genuine `nextCursor` reused with another `dueBefore`, reached
 * DynamoDB as an ExclusiveStartKey it refuses, and the caller got a 500. Now it is a 400
 * naming query.cursor, and a genuine cursor reused with its own query still pages on.
 * The list: a contract's rectification orders by due time (dueBefore is a key range).
 */

const today = localDate(new Date(), 'Asia/Shanghai');
type Page = { items: RectificationOrder[]; nextCursor?: string };

describe('list cursors bound to their query', () => {
  let inspector: string;
  let contract: Contract;
  let cursor: string;
  const inThreeHours = new Date(Date.now() + 3 * 3_600_000).toISOString();
  const inThirtyMinutes = new Date(Date.now() + 30 * 60_000).toISOString();
  const list = (query: string): Promise<{ status: number; text: string; json: Page & Problem }> =>
    api.request<Page & Problem>('GET', `/v1/rectification-orders?contractId=${contract.contractId}&limit=1&${query}`, { token: inspector });

  beforeAll(async () => {
    const tenantId = uniqueTenantId('cursors');
    const procurement = await tokenFor('procurement', { tenantId });
    inspector = await tokenFor('inspector', { tenantId });
    const registered = await api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body: { code: '91310106MA1FY0AB17', name: '上海环杰环境服务有限公司' } });
    expect(registered.status, registered.text).toBe(201);
    const segment = await api.request<Segment>('POST', '/v1/segments', {
      token: procurement,
      body: { name: '游标路1号段', street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[121.46, 31.2231], [121.4612, 31.2237]] } },
    });
    expect(segment.status, segment.text).toBe(201);
    const created = await api.request<Contract>('POST', '/v1/contracts', {
      token: procurement,
      body: {
        contractorId: registered.json.contractorId,
        serviceType: 'cleaning',
        title: '游标测试保洁合同',
        startDate: today,
        endDate: addDays(today, 364),
        performanceBondFen: 5_000_000,
        scope: [segment.json.segmentId],
        pricing: { kind: 'lump_sum', monthlyFen: 38_000_000 },
        rulebookTemplateId: 'cleaning-standard',
      },
    });
    expect(created.status, created.text).toBe(201);
    const activated = await api.request<Contract>('POST', `/v1/contracts/${created.json.contractId}/activate`, { token: procurement, headers: { 'if-match': `"${created.json.version}"` }, body: {} });
    expect(activated.status, activated.text).toBe(200);
    contract = activated.json;
    // Two orders: CL-LITTER due in 1 h, CL-PILE-M in 2 h (the cleaning-standard rulebook).
    const inspected = await api.request<{ orders: RectificationOrder[] }>('POST', '/v1/inspections', {
      token: inspector,
      body: { segmentId: segment.json.segmentId, serviceType: 'cleaning', at: new Date().toISOString(), kind: 'patrol', findings: [{ itemCode: 'CL-LITTER', count: 1 }, { itemCode: 'CL-PILE-M', count: 1 }] },
    });
    expect(inspected.status, inspected.text).toBe(201);
    const first = await list(`dueBefore=${encodeURIComponent(inThreeHours)}`);
    expect(first.status, first.text).toBe(200);
    expect(first.json.items).toHaveLength(1);
    cursor = first.json.nextCursor!;
    expect(cursor).toBeDefined();
  });

  it('pages on with a genuine cursor and its own query', async () => {
    // Act
    const next = await list(`dueBefore=${encodeURIComponent(inThreeHours)}&cursor=${cursor}`);

    // Assess
    expect(next.status, next.text).toBe(200);
    expect(next.json.items.map((order) => order.itemCode)).toEqual(['CL-PILE-M']);
  });

  it('refuses a genuine cursor reused with another dueBefore: 400 naming query.cursor, not 500', async () => {
    // Act: the cursor's key (due in 1 h) lies outside "due before 30 minutes from now".
    const reused = await list(`dueBefore=${encodeURIComponent(inThirtyMinutes)}&cursor=${cursor}`);
    const otherFilter = await list(`status=open&dueBefore=${encodeURIComponent(inThreeHours)}&cursor=${cursor}`);

    // Assess
    expect(reused.status, reused.text).toBe(400);
    expect(reused.json.errors?.map((issue) => issue.field)).toEqual(['query.cursor']);
    expect(otherFilter.status, otherFilter.text).toBe(400);
  });

  it('refuses a forged cursor whose key is outside the sort-key range, even with the right digest', async () => {
    // Prepare: the genuine payload with its key moved past the range.
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k: Record<string, string>; q: string };
    const forged = Buffer.from(JSON.stringify({ ...payload, k: { ...payload.k, sk: 'DUE#2099-01-01T00:00:00.000Z#ro_x' } }), 'utf8').toString('base64url');
    const bare = Buffer.from(JSON.stringify(payload.k), 'utf8').toString('base64url');

    // Act
    const answers = await Promise.all([list(`dueBefore=${encodeURIComponent(inThreeHours)}&cursor=${forged}`), list(`dueBefore=${encodeURIComponent(inThreeHours)}&cursor=${bare}`)]);

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([400, 400]);
    expect(answers.map((answer) => answer.json.errors?.[0]?.field)).toEqual(['query.cursor', 'query.cursor']);
  });
});
