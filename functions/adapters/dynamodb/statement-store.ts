import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, StaleVersionError } from '../../../domain/errors';
import { TemporarilyUnavailableError } from '../../shared/errors';
import type { ComputationInputs } from '../../../domain/payments/facts';
import type { StatementListFilter, StatementStore, StatementSummary, StoredComputation } from '../../../domain/payments/ports';
import type { StatementRecord, StatementStatus } from '../../../domain/payments/records';
import type { Page, PageRequest } from '../../../domain/ports';
import { entityTypes, keys } from './keys';
import { VersionedItems, withRequestToken, type RecordCodec } from './versioned-items';

/**
 * Statements (issue 7): the current record of a contract-month in the tenant-month partition
 * (keys.ts `statement`), and every computation kept with its inputs (`statementComputation`).
 *
 * Every write is conditional on the status it expects, besides the version: a computation
 * only over a draft or reviewed record (or none), a lifecycle step only from its `from`
 * status. So an approved or paid statement can never be overwritten, whatever a caller read
 * before, and of two approvals racing on one version exactly one commits. Every write is one
 * transaction with the statement's audit entry (last item).
 */

const codec: RecordCodec<StatementRecord> = {
  entity: entityTypes.statement,
  label: 'statement',
  key: (record) => keys.statement(record.tenantId, record.month, record.contractId),
  id: (record) => `${record.contractId}/${record.month}`,
  version: (record) => record.version,
};

/** The statuses a computation may replace. */
const recomputable: readonly StatementStatus[] = ['draft', 'reviewed'];

/** The list's projection: the record without its lines (the list stays one small page). */
const summaryAttributes = [
  'tenantId',
  'contractId',
  'contractorId',
  'serviceType',
  'month',
  'version',
  'computeVersion',
  'status',
  'inputsDigest',
  'computedAt',
  'computedBy',
  'review',
  'approval',
  'payment',
  'changes',
  // The kept assessment summary (issue 15): rankings and the supervisor's reads take it from the list.
  'assessment',
  'pk',
  'sk',
];

export class DynamoStatementStore implements StatementStore {
  private readonly items: VersionedItems<StatementRecord>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, codec);
  }

  get(tenantId: string, contractId: string, month: string): Promise<StatementRecord | undefined> {
    return this.items.get(keys.statement(tenantId, month, contractId));
  }

  getMonths(tenantId: string, contractId: string, months: readonly string[]): Promise<StatementRecord[]> {
    return this.items.getMany(months.map((month) => keys.statement(tenantId, month, contractId)));
  }

  async getComputation(tenantId: string, contractId: string, month: string, computeVersion: number): Promise<StoredComputation | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.statementComputation(tenantId, contractId, month, computeVersion), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    // Written as { record, inputs } (saveComputation: the record under its own attribute, so a
    // version list projects it alone); the record is that attribute, not the item's top level.
    const { record, inputs } = Item as { record: StatementRecord; inputs: ComputationInputs };
    return { record, inputs };
  }

  async listComputations(tenantId: string, contractId: string, month: string): Promise<StatementRecord[]> {
    const records: StatementRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          // The inputs can be large (every missed task of the month): a version list leaves them out.
          ProjectionExpression: '#record',
          ExpressionAttributeNames: { '#record': 'record' },
          ExpressionAttributeValues: { ':pk': keys.statementComputations(tenantId, contractId, month), ':prefix': keys.statementComputationPrefix },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of result.Items ?? []) records.push(item['record'] as StatementRecord);
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return records;
  }

  async listMonth(tenantId: string, month: string, filter: StatementListFilter, page: PageRequest): Promise<Page<StatementSummary>> {
    const pk = keys.statementsOfMonth(tenantId, month);
    const names: Record<string, string> = Object.fromEntries(summaryAttributes.map((name, index) => [`#a${index}`, name]));
    names['#statement'] = 'statement';
    names['#totals'] = 'totals';
    names['#netFen'] = 'netFen';
    names['#scoreX100'] = 'scoreX100';
    const values: Record<string, unknown> = { ':pk': pk };
    const conditions: string[] = [];
    if (filter.serviceType !== undefined) {
      names['#serviceType'] = 'serviceType';
      values[':serviceType'] = filter.serviceType;
      conditions.push('#serviceType = :serviceType');
    }
    if (filter.status !== undefined) {
      names['#status'] = 'status';
      values[':status'] = filter.status;
      conditions.push('#status = :status');
    }
    const result = await this.items.page(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ProjectionExpression: [...summaryAttributes.map((_, index) => `#a${index}`), '#statement.#totals.#netFen', '#statement.#scoreX100'].join(', '),
        ...(conditions.length === 0 ? {} : { FilterExpression: conditions.join(' AND ') }),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ConsistentRead: true,
      },
      page,
      { pk },
      ['pk', 'sk'],
    );
    return {
      ...result,
      items: result.items.map((item) => {
        const { statement, ...rest } = item as StatementRecord & { statement?: { totals?: { netFen?: number }; scoreX100?: number } };
        return { ...rest, netFen: statement?.totals?.netFen ?? 0, scoreX100: statement?.scoreX100 ?? 0 };
      }),
    };
  }

  async saveComputation(computation: StoredComputation, expectedVersion: number | undefined): Promise<void> {
    const { record, inputs } = computation;
    const current = keys.statement(record.tenantId, record.month, record.contractId);
    const history = keys.statementComputation(record.tenantId, record.contractId, record.month, record.computeVersion);
    try {
      await this.client.send(
        new TransactWriteCommand(withRequestToken({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...current, entity: entityTypes.statement, ...record },
                ...(expectedVersion === undefined
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : {
                      ConditionExpression: '#version = :expected AND #status IN (:draft, :reviewed)',
                      ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
                      ExpressionAttributeValues: { ':expected': expectedVersion, ':draft': recomputable[0], ':reviewed': recomputable[1] },
                    }),
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                // The record under its own attribute, so a version list projects it without the inputs.
                Item: { ...history, entity: entityTypes.statementComputation, record, inputs },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            this.items.auditItemOf({ record, expectedVersion }),
          ],
        })),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const first = reasons[0];
      if (first?.Code === 'ConditionalCheckFailed') throw this.refusal(record, expectedVersion, first.Item, error);
      if (reasons[1]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError(`computation v${record.computeVersion} of ${record.contractId}/${record.month} was written concurrently; retry`, { cause: error });
      }
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
        throw new TemporarilyUnavailableError(`the statement ${record.contractId}/${record.month} was being changed by another request at the same moment; nothing was written, retry`, 1, { cause: error });
      }
      throw new Error(`statement write cancelled: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`, { cause: error });
    }
  }

  async transition(record: StatementRecord, expectedVersion: number, from: StatementStatus): Promise<void> {
    try {
      // The statement and its audit entry, one transaction.
      await this.client.send(
        new TransactWriteCommand(
          withRequestToken({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...codec.key(record), entity: entityTypes.statement, ...record },
                  ConditionExpression: '#version = :expected AND #status = :from',
                  ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
                  ExpressionAttributeValues: { ':expected': expectedVersion, ':from': from },
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              this.items.auditItemOf({ record, expectedVersion }),
            ],
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const first = reasons[0];
      if (first?.Code === 'ConditionalCheckFailed') {
        // The SDK retried a write whose first answer was lost (a timeout after the write): the item
        // is already this very transition, so it succeeded. Found by the fault suite (test/faults).
        if (first.Item !== undefined && sameTransition(record, first.Item)) return;
        throw this.refusal(record, expectedVersion, first.Item, error);
      }
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
        throw new TemporarilyUnavailableError(`the statement ${record.contractId}/${record.month} was being changed by another request at the same moment; nothing was written, retry`, 1, { cause: error });
      }
      throw new Error(`statement write cancelled: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`, { cause: error });
    }
  }

  /** What a failed condition means, from the item as it was (the AttributeValue form). */
  private refusal(record: StatementRecord, expectedVersion: number | undefined, old: Record<string, unknown> | undefined, cause: unknown): Error {
    const id = `${record.contractId}/${record.month}`;
    if (old === undefined) {
      return expectedVersion === undefined ? new ConflictError(`statement '${id}' already exists`, { cause }) : new StaleVersionError('statement', id, expectedVersion, undefined, { cause });
    }
    const raw = plain(old['version']);
    const version = raw === undefined ? undefined : Number(raw);
    const status = plain(old['status']);
    if (expectedVersion === undefined) return new ConflictError(`statement '${id}' already exists`, { cause });
    if (version !== expectedVersion) return new StaleVersionError('statement', id, expectedVersion, version, { cause });
    return new ConflictError(`statement '${id}' is ${status ?? 'in another state'}; it cannot change this way`, { cause });
  }
}


/** Whether a stored item (as a failed condition returns it) is exactly `record`'s version, status and lifecycle entries. */
function sameTransition(record: StatementRecord, item: Record<string, unknown>): boolean {
  const mine = sortedJson([record.version, record.status, record.review ?? null, record.approval ?? null, record.payment ?? null]);
  const stored = sortedJson(['version', 'status', 'review', 'approval', 'payment'].map((name) => attributeValue(item[name]) ?? null));
  return mine === stored;
}

/** JSON with object keys sorted (a map comes back from DynamoDB in any order). */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_name, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : inner,
  );
}

/** A marshalled attribute ({ S }, { N }, { M }, { L }, { BOOL }, { NULL }) as a plain value; plain values pass through. */
function attributeValue(value: unknown): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  const attribute = value as { S?: string; N?: string; BOOL?: boolean; NULL?: boolean; M?: Record<string, unknown>; L?: unknown[] };
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.L !== undefined) return attribute.L.map(attributeValue);
  if (attribute.M !== undefined) return Object.fromEntries(Object.entries(attribute.M).map(([name, inner]) => [name, attributeValue(inner)]));
  return value;
}

/** A value of an item returned with a failed condition: marshalled ({ N }, { S }) or plain. */
function plain(value: unknown): string | number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'object') {
    const attribute = value as { N?: string; S?: string };
    if (attribute.N !== undefined) return Number(attribute.N);
    return attribute.S;
  }
  return value as string | number;
}
