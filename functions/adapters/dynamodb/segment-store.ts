import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, StaleVersionError } from '../../../domain/errors';
import type { Page, PageRequest, SegmentFilter, SegmentStore, SegmentWrite } from '../../../domain/ports';
import type { Segment } from '../../../domain/segments/schema';
import { decodeCursor, encodeCursor, type StartKey } from './cursor';
import { entityTypes, keys } from './keys';
import { mainTable } from '../../../infra/definitions';

const byStreet = mainTable.globalSecondaryIndexes.find((index) => index.indexName === 'byStreet')!.indexName;
const keyAttributes = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'entity'] as const;

/** DynamoDB caps: 100 actions and 4 MB per transaction, 100 keys per BatchGet. */
const maxTransactionItems = 100;
const maxTransactionBytes = 3_500_000;
const maxBatchGet = 100;
const writeConcurrency = 4;

function toSegment(item: Record<string, unknown>): Segment {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of keyAttributes) delete copy[attribute];
  return copy as Segment;
}

/** Segments in the single table: current state plus one item per version (history). */
export class DynamoSegmentStore implements SegmentStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, segmentId: string): Promise<Segment | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.segment(tenantId, segmentId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toSegment(Item);
  }

  async getMany(tenantId: string, segmentIds: readonly string[]): Promise<ReadonlyMap<string, Segment>> {
    const found = new Map<string, Segment>();
    const unique = [...new Set(segmentIds)];
    for (let start = 0; start < unique.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] | undefined = unique
        .slice(start, start + maxBatchGet)
        .map((id): Record<string, unknown> => ({ ...keys.segment(tenantId, id) }));
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error(`BatchGet left ${pending.length} keys unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const segment = toSegment(item);
          found.set(segment.segmentId, segment);
        }
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  async list(tenantId: string, filter: SegmentFilter, page: PageRequest): Promise<Page<Segment>> {
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
    const base: QueryCommandInput =
      filter.street === undefined
        ? {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.segmentsPartition(tenantId) },
          }
        : {
            TableName: this.tableName,
            IndexName: byStreet,
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': keys.streetPartition(tenantId, filter.street) },
          };
    const expected: Record<string, string> =
      filter.street === undefined ? { pk: keys.segmentsPartition(tenantId) } : { gsi1pk: keys.streetPartition(tenantId, filter.street) };
    return this.queryPage(
      {
        ...base,
        ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
        ExpressionAttributeValues: { ...base.ExpressionAttributeValues, ...values },
      },
      page,
      expected,
      filter.street === undefined ? ['pk', 'sk'] : ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    );
  }

  async history(tenantId: string, segmentId: string, page: PageRequest): Promise<Page<Segment>> {
    const pk = keys.segmentVersionsPartition(tenantId, segmentId);
    return this.queryPage(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
      },
      page,
      { pk },
      ['pk', 'sk'],
    );
  }

  /**
   * Reads until the page is full: a filter may drop items, and a short page with a cursor
   * would make clients think they had to page through empty answers.
   */
  private async queryPage(
    input: QueryCommandInput,
    page: PageRequest,
    expected: Record<string, string>,
    cursorAttributes: readonly string[],
  ): Promise<Page<Segment>> {
    const items: Record<string, unknown>[] = [];
    let startKey: StartKey | undefined = decodeCursor(page.cursor, expected, cursorAttributes);
    let more = true;
    while (more && items.length < page.limit) {
      const result = await this.client.send(
        new QueryCommand({ ...input, Limit: page.limit - items.length, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }),
      );
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey as StartKey | undefined;
      more = startKey !== undefined;
    }
    const last = items[items.length - 1];
    const nextCursor =
      more && last !== undefined
        ? encodeCursor(Object.fromEntries(cursorAttributes.map((name) => [name, String(last[name])])))
        : undefined;
    return { items: items.map(toSegment), ...(nextCursor === undefined ? {} : { nextCursor }) };
  }

  async save(write: SegmentWrite): Promise<void> {
    await this.transact([write]);
  }

  async saveMany(writes: readonly SegmentWrite[]): Promise<void> {
    const chunks: SegmentWrite[][] = [];
    let chunk: SegmentWrite[] = [];
    let bytes = 0;
    for (const write of writes) {
      // Two items per write (current + version); size estimated from the JSON's UTF-8 bytes.
      const size = 2 * Buffer.byteLength(JSON.stringify(write.segment), 'utf8');
      if (chunk.length > 0 && (2 * (chunk.length + 1) > maxTransactionItems || bytes + size > maxTransactionBytes)) {
        chunks.push(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(write);
      bytes += size;
    }
    if (chunk.length > 0) chunks.push(chunk);
    for (let start = 0; start < chunks.length; start += writeConcurrency) {
      await Promise.all(chunks.slice(start, start + writeConcurrency).map((part) => this.transact(part)));
    }
  }

  private async transact(writes: readonly SegmentWrite[]): Promise<void> {
    const transactItems = writes.flatMap(({ segment, expectedVersion }) => {
      const current = {
        ...keys.segment(segment.tenantId, segment.segmentId),
        ...keys.segmentByStreet(segment.tenantId, segment.street, segment.segmentId),
        entity: entityTypes.segment,
        ...segment,
      };
      const version = {
        ...keys.segmentVersion(segment.tenantId, segment.segmentId, segment.version),
        entity: entityTypes.segmentVersion,
        ...segment,
      };
      return [
        {
          Put: {
            TableName: this.tableName,
            Item: current,
            ...(expectedVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
          },
        },
        { Put: { TableName: this.tableName, Item: version, ConditionExpression: 'attribute_not_exists(pk)' } },
      ];
    });
    // The token makes an SDK retry of a transaction that did go through a no-op, instead of
    // a false conflict on its own write.
    const token = createHash('sha256').update(JSON.stringify(transactItems)).digest('base64url').slice(0, 36);
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: transactItems, ClientRequestToken: token }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw conflictFrom(error, writes);
      throw error;
    }
  }
}

function conflictFrom(error: TransactionCanceledException, writes: readonly SegmentWrite[]): Error {
  const reasons = error.CancellationReasons ?? [];
  for (let index = 0; index < reasons.length; index += 1) {
    const reason = reasons[index];
    if (reason?.Code !== 'ConditionalCheckFailed') continue;
    const write = writes[Math.floor(index / 2)];
    if (write === undefined) continue;
    const { segment, expectedVersion } = write;
    if (expectedVersion === undefined) {
      return new ConflictError(`segment '${segment.segmentId}' already exists`, { cause: error });
    }
    const actual = reason.Item?.['version']?.N;
    return new StaleVersionError('segment', segment.segmentId, expectedVersion, actual === undefined ? undefined : Number(actual), { cause: error });
  }
  return new Error(`segment write cancelled: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`, { cause: error });
}

async function backoff(attempt: number): Promise<void> {
  const delay = Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
  await new Promise((resolve) => setTimeout(resolve, delay));
}
