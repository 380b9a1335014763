import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultZone } from '../../../domain/dates';
import type { TenantProfile, TenantProfileReader } from '../../../domain/tenants/read';
import { keys } from './keys';

/** The tenant item (keys.ts `tenant`), projected to its name and zone: nothing else is read. */
export class DynamoTenantProfileReader implements TenantProfileReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async profileOf(tenantId: string): Promise<TenantProfile | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.tenant(tenantId),
        ProjectionExpression: '#tenantId, #name, #zone',
        ExpressionAttributeNames: { '#tenantId': 'tenantId', '#name': 'name', '#zone': 'zone' },
      }),
    );
    if (Item === undefined || Item['tenantId'] !== tenantId || typeof Item['name'] !== 'string') return undefined;
    // A tenant written before zones were stored is in the default zone (as DynamoTenantDirectory reads it).
    return { tenantId, name: Item['name'], zone: typeof Item['zone'] === 'string' ? Item['zone'] : defaultZone };
  }
}
