import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest, SegmentFilter, SegmentStore, SegmentWrite } from '../../../domain/ports';
import type { Segment } from '../../../domain/segments/schema';
import { mainTable } from '../../../infra/definitions';
import { entityTypes, keys } from './keys';
import { VersionedItems, type RecordCodec } from './versioned-items';

const byStreet = mainTable.globalSecondaryIndexes.find((index) => index.indexName === 'byStreet')!.indexName;

const segmentCodec: RecordCodec<Segment> = {
  entity: entityTypes.segment,
  historyEntity: entityTypes.segmentVersion,
  label: 'segment',
  key: (segment) => keys.segment(segment.tenantId, segment.segmentId),
  id: (segment) => segment.segmentId,
  version: (segment) => segment.version,
  indexKeys: (segment) => keys.segmentByStreet(segment.tenantId, segment.street, segment.segmentId),
  historyKey: (segment) => keys.segmentVersion(segment.tenantId, segment.segmentId, segment.version),
};

/** Segments in the single table: current state plus one item per version (history). */
export class DynamoSegmentStore implements SegmentStore {
  private readonly items: VersionedItems<Segment>;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, segmentCodec);
  }

  get(tenantId: string, segmentId: string): Promise<Segment | undefined> {
    return this.items.get(keys.segment(tenantId, segmentId));
  }

  async getMany(tenantId: string, segmentIds: readonly string[]): Promise<ReadonlyMap<string, Segment>> {
    const found = await this.items.getMany(segmentIds.map((id) => keys.segment(tenantId, id)));
    return new Map(found.map((segment) => [segment.segmentId, segment]));
  }

  list(tenantId: string, filter: SegmentFilter, page: PageRequest): Promise<Page<Segment>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (filter.grade !== undefined) {
      conditions.push('#grade = :grade');
      names['#grade'] = 'grade';
      values[':grade'] = filter.grade;
    }
    if (filter.flag !== undefined) {
      conditions.push('contains(#flags, :flag)');
      names['#flags'] = 'flags';
      values[':flag'] = filter.flag;
    }
    if (filter.status !== 'all') {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    const byTenant = filter.street === undefined;
    const partition = byTenant ? keys.segmentsPartition(tenantId) : keys.streetPartition(tenantId, filter.street!);
    const input: QueryCommandInput = {
      TableName: this.tableName,
      ...(byTenant ? {} : { IndexName: byStreet }),
      KeyConditionExpression: byTenant ? 'pk = :pk' : 'gsi1pk = :pk',
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: { ':pk': partition, ...values },
    };
    return byTenant
      ? this.items.page(input, page, { pk: partition }, ['pk', 'sk'])
      : this.items.page(input, page, { gsi1pk: partition }, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
  }

  history(tenantId: string, segmentId: string, page: PageRequest): Promise<Page<Segment>> {
    const pk = keys.segmentVersionsPartition(tenantId, segmentId);
    return this.items.page(
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false },
      page,
      { pk },
      ['pk', 'sk'],
    );
  }

  save(write: SegmentWrite): Promise<void> {
    return this.items.save({ record: write.segment, expectedVersion: write.expectedVersion });
  }

  saveMany(writes: readonly SegmentWrite[]): Promise<void> {
    return this.items.saveMany(writes.map((write) => ({ record: write.segment, expectedVersion: write.expectedVersion })));
  }
}
