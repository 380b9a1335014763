import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyStore, ApiKeyWrite } from '../../../domain/api-keys/ports';
import type { ApiKey } from '../../../domain/api-keys/schema';
import { entityTypes, keys } from './keys';
import { VersionedItems, type RecordCodec } from './versioned-items';

const apiKeyCodec: RecordCodec<ApiKey> = {
  entity: entityTypes.open311ApiKey,
  label: 'api key',
  key: (key) => keys.open311ApiKey(key.tenantId, key.keyId),
  id: (key) => key.keyId,
  version: (key) => key.version,
};

/**
 * Open311 api_keys (domain/api-keys) in the tenant's keys partition: the hash and who the key
 * is for, never the key. A revoked key stays (status `revoked`, with who and why), so the
 * audit log and a later reader can tell a revoked key from a guessed one; nothing is deleted.
 */
export class DynamoApiKeyStore implements ApiKeyStore {
  private readonly items: VersionedItems<ApiKey>;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, apiKeyCodec);
  }

  get(tenantId: string, keyId: string): Promise<ApiKey | undefined> {
    return this.items.get(keys.open311ApiKey(tenantId, keyId));
  }

  list(tenantId: string): Promise<readonly ApiKey[]> {
    return this.items.all({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.open311ApiKeys(tenantId), ':prefix': keys.open311ApiKeyPrefix },
    });
  }

  save(write: ApiKeyWrite): Promise<void> {
    return this.items.save({ record: write.key, expectedVersion: write.expectedVersion });
  }
}
