import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SpotCheckStore } from '../../../domain/spot-checks/ports';
import type { SpotCheckDraw } from '../../../domain/spot-checks/schema';
import { entityTypes, keys } from './keys';
import { VersionedItems, type RecordCodec } from './versioned-items';

/**
 * Spot-check draws: one item per (tenant, month, service type). The seed sits on the item
 * from the commit on; only the use cases' view decides when it is shown (after the reveal).
 * The item is never deleted, so a published commitment can always be checked later.
 */
const drawCodec: RecordCodec<SpotCheckDraw> = {
  entity: entityTypes.spotCheckDraw,
  label: 'spot-check draw',
  key: (draw) => keys.spotCheckDraw(draw.tenantId, draw.month, draw.serviceType),
  id: (draw) => `${draw.month} ${draw.serviceType}`,
  version: (draw) => draw.version,
};

export class DynamoSpotCheckStore implements SpotCheckStore {
  private readonly items: VersionedItems<SpotCheckDraw>;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.items = new VersionedItems(client, tableName, drawCodec);
  }

  get(tenantId: string, month: string, serviceType: string): Promise<SpotCheckDraw | undefined> {
    return this.items.get(keys.spotCheckDraw(tenantId, month, serviceType));
  }

  create(draw: SpotCheckDraw): Promise<void> {
    return this.items.save({ record: draw, expectedVersion: undefined });
  }

  save(draw: SpotCheckDraw, expectedVersion: number): Promise<void> {
    return this.items.save({ record: draw, expectedVersion });
  }
}
