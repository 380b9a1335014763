import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConflictError, StaleVersionError } from '../../../domain/errors';
import { TemporarilyUnavailableError } from '../../shared/errors';
import type { Page, PageRequest } from '../../../domain/ports';
import { isOwing } from '../../../domain/rectification/order';
import type { OrderFilter, OrderWrite, RectificationOrderStore } from '../../../domain/rectification/ports';
import type { RectificationOrder } from '../../../domain/rectification/schema';
import { entityTypes, keys } from './keys';
import { guardTransactItem, photoClaimGuards } from './photo-claims';
import { VersionedItems, sendTransaction, type GuardItem, type RecordCodec } from './versioned-items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const orderCodec: RecordCodec<RectificationOrder> = {
  entity: entityTypes.rectificationOrder,
  label: 'rectification order',
  key: (order) => keys.rectificationOrder(order.tenantId, order.orderId),
  id: (order) => order.orderId,
  version: (order) => order.version,
};

/** How long a settled owing-index item stays before TTL removes it. */
const settledIndexTtlSeconds = 7 * 24 * 3600;

/** The owing index holds the orders the overdue sweep must still look at (keys.ts). */
function indexedAsOwing(order: RectificationOrder): boolean {
  return isOwing(order) && order.late === undefined;
}

/**
 * Rectification orders: the current item (by id), a full copy in the contract's list sorted by
 * due time, and the owing index item, all written in one transaction conditional on the
 * current item's version. dueAt never moves, so the copy and index keys never move either.
 */
export class DynamoRectificationStore implements RectificationOrderStore {
  private readonly items: VersionedItems<RectificationOrder>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, orderCodec);
  }

  get(tenantId: string, orderId: string): Promise<RectificationOrder | undefined> {
    return this.items.get(keys.rectificationOrder(tenantId, orderId));
  }

  async getMany(tenantId: string, orderIds: readonly string[]): Promise<ReadonlyMap<string, RectificationOrder>> {
    const found = await this.items.getMany(orderIds.map((id) => keys.rectificationOrder(tenantId, id)));
    return new Map(found.map((order) => [order.orderId, order]));
  }

  /** By due time, earliest first; status and contractor as filters, dueBefore as a key range. */
  list(tenantId: string, filter: OrderFilter, page: PageRequest): Promise<Page<RectificationOrder>> {
    if (filter.contractId === undefined) throw new RangeError('orders are listed per contract');
    const pk = keys.rectificationsOfContract(tenantId, filter.contractId);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': pk, ':prefix': keys.rectificationDuePrefix };
    const conditions: string[] = [];
    if (filter.status !== undefined) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
      conditions.push('#status = :status');
    }
    if (filter.contractorId !== undefined) {
      values[':contractorId'] = filter.contractorId;
      conditions.push('contractorId = :contractorId');
    }
    let keyCondition = 'pk = :pk AND begins_with(sk, :prefix)';
    if (filter.dueBefore !== undefined) {
      // sk < DUE#{dueBefore}: every order due strictly before that instant (ids follow the '#').
      keyCondition = 'pk = :pk AND sk BETWEEN :prefix AND :before';
      values[':before'] = `${keys.rectificationDuePrefix}${filter.dueBefore}`;
    }
    return this.items.page(
      {
        TableName: this.tableName,
        KeyConditionExpression: keyCondition,
        ...(conditions.length === 0 ? {} : { FilterExpression: conditions.join(' AND ') }),
        ...(Object.keys(names).length === 0 ? {} : { ExpressionAttributeNames: names }),
        ExpressionAttributeValues: values,
        ConsistentRead: true,
      },
      page,
      { pk },
      ['pk', 'sk'],
    );
  }

  async owingDueBy(tenantId: string, dueBy: string, limit: number): Promise<readonly RectificationOrder[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          FilterExpression: 'attribute_not_exists(settled)',
          ExpressionAttributeValues: {
            ':pk': keys.rectificationsOwing(tenantId),
            ':from': keys.rectificationDuePrefix,
            // '~' sorts after every id character, so orders due exactly at dueBy are included.
            ':to': `${keys.rectificationDuePrefix}${dueBy}~`,
          },
          ConsistentRead: true,
          Limit: limit - ids.length,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of result.Items ?? []) if (typeof item['orderId'] === 'string') ids.push(item['orderId']);
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined && ids.length < limit);
    const found = await this.getMany(tenantId, ids);
    return ids.map((id) => found.get(id)).filter((order): order is RectificationOrder => order !== undefined);
  }

  /**
   * The transaction items of one order write: current (conditional), list copy, owing index,
   * and last the order's audit entry (the copies are not records of their own).
   */
  transactItemsOf(write: OrderWrite): TransactItem[] {
    const { order } = write;
    const [current, ...audit] = this.items.itemsOf({ record: order, expectedVersion: write.expectedVersion });
    const owingKey = keys.rectificationOwing(order.tenantId, order.dueAt, order.orderId);
    return [
      current!,
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.rectificationByContract(order.tenantId, order.contractId, order.dueAt, order.orderId), entity: entityTypes.rectificationListing, ...order },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...owingKey,
            entity: entityTypes.rectificationOwing,
            orderId: order.orderId,
            contractId: order.contractId,
            dueAt: order.dueAt,
            // Settled instead of deleted: the scheduled sweep has no DeleteItem grant (events
            // manifest), and TTL clears settled index items a week later. A reopening puts the
            // item back without the mark.
            ...(indexedAsOwing(order) ? {} : { settled: true, expiresAt: Math.floor(Date.parse(order.updatedAt) / 1000) + settledIndexTtlSeconds }),
          },
        },
      },
      ...audit,
    ];
  }

  async save(write: OrderWrite, options: { readonly photoClaims?: readonly { readonly sha256: string; readonly proofId: string; readonly subjectId: string }[] } = {}): Promise<void> {
    const claims = photoClaimGuards(write.order.tenantId, options.photoClaims ?? []);
    const orderItems = this.transactItemsOf(write);
    const items = [...orderItems, ...claims.map((guard) => guardTransactItem(this.tableName, guard))];
    try {
      await sendTransaction(this.client, { TransactItems: items });
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      throw orderConflict(error, write, claims, orderItems.length);
    }
  }
}

/**
 * The domain error of a cancelled order transaction: item 0 is the order (new → exists,
 * else stale version); items from `claimsStart` are photo claims (their messages).
 */
export function orderConflict(
  error: TransactionCanceledException,
  write: OrderWrite,
  claims: readonly Pick<GuardItem, 'message' | 'messageZh'>[],
  claimsStart: number,
  orderIndex = 0,
): Error {
  const reasons = error.CancellationReasons ?? [];
  const own = reasons[orderIndex];
  if (own?.Code === 'ConditionalCheckFailed') {
    if (write.expectedVersion === undefined) {
      return new ConflictError(`rectification order '${write.order.orderId}' already exists`, { cause: error, zh: `整改通知书 '${write.order.orderId}' 已存在` });
    }
    const actual = own.Item?.['version']?.N;
    return new StaleVersionError('rectification order', write.order.orderId, write.expectedVersion, actual === undefined ? undefined : Number(actual), { cause: error });
  }
  for (let i = 0; i < claims.length; i += 1) {
    const claim = claims[i]!;
    if (reasons[claimsStart + i]?.Code === 'ConditionalCheckFailed') return new ConflictError(claim.message, { cause: error, ...(claim.messageZh === undefined ? {} : { zh: claim.messageZh }) });
  }
  if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
    return new TemporarilyUnavailableError('the rectification order was being changed by another request at the same moment; nothing was written, retry', 1, { cause: error });
  }
  return new Error(`rectification order write cancelled: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`, { cause: error });
}
