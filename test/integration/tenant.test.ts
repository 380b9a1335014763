import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { roles } from '../../domain/policy';
import type { TenantProfile } from '../../domain/tenants/read';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * GET /v1/tenant on the local stack (issue 15): every role of a district reads its id, name and
 * zone (the 单位 of a printed 结算单) and nothing else of the tenant item; a token of a tenant
 * without its item gets a 404 worded in Chinese for a zh-CN caller.
 */
describe('the caller’s district', () => {
  const tenantId = uniqueTenantId('tenant');

  beforeAll(async () => {
    const document = DynamoDBDocumentClient.from(localDynamo());
    await document.send(
      new PutCommand({
        TableName: localStack().tables.main,
        Item: { ...keys.tenant(tenantId), entity: entityTypes.tenant, tenantId, name: '静安区城市管理局', zone: 'Asia/Shanghai', createdAt: new Date().toISOString(), notForCallers: 'kept out' },
      }),
    );
  });

  it.each(roles)('answers %s with the id, name and zone only', async (role) => {
    // Prepare
    const token = await tokenFor(role, { tenantId, ...(role === 'contractor' ? { contractorId: 'ctr_0000000000000001' } : {}) });

    // Act
    const answer = await api.request<TenantProfile>('GET', '/v1/tenant', { token });

    // Assess
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ tenantId, name: '静安区城市管理局', zone: 'Asia/Shanghai' });
  });

  it('answers a tenant without its item 404, in Chinese for zh-CN', async () => {
    // Prepare
    const stranger = uniqueTenantId('no-item');
    const token = await tokenFor('finance', { tenantId: stranger });

    // Act
    const answer = await api.request<{ detail: string }>('GET', '/v1/tenant', { token, headers: { 'accept-language': 'zh-CN' } });

    // Assess
    expect(answer.status, answer.text).toBe(404);
    expect(answer.json.detail).toBe(`辖区 '${stranger}' 不存在`);
  });

  it('refuses a request without a token', async () => {
    // Act
    const answer = await api.request('GET', '/v1/tenant');

    // Assess
    expect(answer.status).toBe(401);
  });
});
