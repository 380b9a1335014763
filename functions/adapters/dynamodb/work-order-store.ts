import { GetCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../../domain/ports';
import type { WorkOrderPhotoClaim, WorkOrderStore } from '../../../domain/work-orders/ports';
import type { WorkOrder, WorkOrderFilter } from '../../../domain/work-orders/schema';
import { entityTypes, keys } from './keys';
import { photoClaimGuards } from './photo-claims';
import { VersionedItems, type RecordCodec } from './versioned-items';

/**
 * Work orders in the single table: one item per order in its contract's partition (a
 * contract's list, by status and month, is one Query with a small FilterExpression: a
 * contract gives hundreds of orders a year, not millions), and a locator item per order
 * (id → contract) for reads by id. No history items: an order carries its completion and
 * decision inline, which is its whole history.
 */
const workOrderCodec: RecordCodec<WorkOrder> = {
  entity: entityTypes.workOrder,
  label: 'work order',
  key: (order) => keys.workOrder(order.tenantId, order.contractId, order.workOrderId),
  id: (order) => order.workOrderId,
  version: (order) => order.version,
};

function filterOf(filter: WorkOrderFilter): Pick<QueryCommandInput, 'FilterExpression' | 'ExpressionAttributeNames'> & { values: Record<string, unknown> } {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const field of ['status', 'month'] as const) {
    const value = filter[field];
    if (value === undefined) continue;
    conditions.push(`#${field} = :${field}`);
    names[`#${field}`] = field;
    values[`:${field}`] = value;
  }
  return conditions.length === 0 ? { values } : { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names, values };
}

export class DynamoWorkOrderStore implements WorkOrderStore {
  private readonly items: VersionedItems<WorkOrder>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, workOrderCodec);
  }

  async get(tenantId: string, workOrderId: string): Promise<WorkOrder | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.workOrderLocator(tenantId, workOrderId), ConsistentRead: true }),
    );
    const contractId = Item?.['contractId'];
    if (typeof contractId !== 'string') return undefined;
    return this.items.get(keys.workOrder(tenantId, contractId, workOrderId));
  }

  async create(order: WorkOrder): Promise<void> {
    await this.items.save({ record: order, expectedVersion: undefined }, [
      {
        key: keys.workOrderLocator(order.tenantId, order.workOrderId),
        attributes: { entity: entityTypes.workOrderLocator, tenantId: order.tenantId, workOrderId: order.workOrderId, contractId: order.contractId },
        message: `work order '${order.workOrderId}' already exists`,
        messageZh: `工单 '${order.workOrderId}' 已存在`,
      },
    ]);
  }

  async save(order: WorkOrder, expectedVersion: number, claims: readonly WorkOrderPhotoClaim[] = []): Promise<void> {
    await this.items.save({ record: order, expectedVersion }, photoClaimGuards(order.tenantId, claims));
  }

  /** Oldest first: order ids are ULIDs, so the sort key orders them by creation. */
  list(tenantId: string, contractId: string, filter: WorkOrderFilter, page: PageRequest): Promise<Page<WorkOrder>> {
    const pk = keys.workOrdersPartition(tenantId, contractId);
    return this.items.page(this.query(pk, filter), page, { pk }, ['pk', 'sk']);
  }

  all(tenantId: string, contractId: string, filter: WorkOrderFilter): Promise<WorkOrder[]> {
    return this.items.all({ ...this.query(keys.workOrdersPartition(tenantId, contractId), filter), ConsistentRead: true });
  }

  private query(pk: string, filter: WorkOrderFilter): QueryCommandInput {
    const { values, ...expression } = filterOf(filter);
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ...expression,
      ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.workOrderPrefix, ...values },
    };
  }
}
