import { createHash } from 'node:crypto';
import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, StaleVersionError, entityNameZh } from '../../../domain/errors';
import { TemporarilyUnavailableError } from '../../shared/errors';
import { issuedByThisRequest } from '../../shared/request-ids';
import type { Page, PageRequest } from '../../../domain/ports';
import { auditPut, statusOf } from './audit-log';
import { backoff } from './backoff';
import { queryPage } from './cursor';
import type { ItemKey } from './keys';

/**
 * The one mechanism behind every store of a versioned record (segments, contractors,
 * tenders, contracts, ...): conditional writes on `version`, optional history items, atomic
 * chunks, key-checked cursors, and conflicts mapped to domain errors. A store describes its
 * entity with a `RecordCodec` and adds its own queries on top.
 *
 * Every record write carries its audit entry (issue 8): `itemsOf` ends with the Put of the
 * entry into the audit table (audit-log.ts), so the change and its entry commit together or
 * not at all. Stores composing their own transactions from `itemsOf` keep every item.
 */

/** How one kind of record maps to items. Keys come from keys.ts, never from here. */
export interface RecordCodec<T> {
  /** Entity name, stored on every item and used in error messages. */
  readonly entity: string;
  readonly label: string;
  key(record: T): ItemKey;
  id(record: T): string;
  version(record: T): number;
  /** GSI attributes of the current item. */
  indexKeys?(record: T): Readonly<Record<string, string>>;
  /** The record's tenant, for its audit entry; default: the record's `tenantId`. */
  tenantId?(record: T): string;
  /** Key of the item that keeps this version for history; omit for records without history. */
  historyKey?(record: T): ItemKey;
  readonly historyEntity?: string;
}

export interface RecordWrite<T> {
  readonly record: T;
  /** The version being replaced; `undefined` when the record must not exist yet. */
  readonly expectedVersion: number | undefined;
}

/** An extra item written in the same transaction as a record (a uniqueness or lock item). */
export interface GuardItem {
  readonly key: ItemKey;
  readonly attributes?: Readonly<Record<string, unknown>>;
  /** Put when it does not exist (or `condition` holds); a failure is a conflict with `message` (and `messageZh` for a Chinese caller). */
  readonly condition?: { readonly expression: string; readonly names?: Record<string, string>; readonly values?: Record<string, unknown> };
  readonly message: string;
  readonly messageZh?: string;
}

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** What each item of a transaction belongs to, to name the culprit of a cancellation. */
type Owner<T> =
  | { readonly kind: 'write'; readonly write: RecordWrite<T> }
  | { readonly kind: 'guard'; readonly guard: GuardItem }
  /** The audit entry of a write: a new key, so its condition cannot fail but by a bug. */
  | { readonly kind: 'audit' };

const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'entity']);

/** DynamoDB caps: 100 actions and 4 MB per transaction, 100 keys per BatchGet. */
const maxTransactionItems = 100;
const maxTransactionBytes = 3_500_000;
/** An audit entry's item is small (ids, actor, reason); counted generously per write. */
const auditItemBytes = 2_000;
const maxBatchGet = 100;
const writeConcurrency = 4;

export function stripKeys<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) if (!keyAttributes.has(name)) copy[name] = value;
  return copy as T;
}

export class VersionedItems<T extends object> {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly codec: RecordCodec<T>,
  ) {}

  async get(key: ItemKey): Promise<T | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item === undefined ? undefined : stripKeys<T>(Item);
  }

  /** Records for many keys, retrying unprocessed keys with backoff. */
  async getMany(keys: readonly ItemKey[]): Promise<T[]> {
    const found: T[] = [];
    const unique = [...new Map(keys.map((key) => [`${key.pk}\u0000${key.sk}`, key])).values()];
    for (let start = 0; start < unique.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] | undefined = unique.slice(start, start + maxBatchGet).map((key) => ({ ...key }));
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error(`BatchGet left ${pending.length} ${this.codec.label} keys unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) found.push(stripKeys<T>(item));
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  /**
   * One page of a query. Reads until the page is full: a filter may drop items, and a short
   * page with a cursor would make clients page through empty answers. `expected` pins the
   * partition a cursor must belong to; `cursorAttributes` are the key attributes it holds.
   */
  async page(input: QueryCommandInput, page: PageRequest, expected: Readonly<Record<string, string>>, cursorAttributes: readonly string[]): Promise<Page<T>> {
    const raw = await queryPage(this.client, input, page, expected, cursorAttributes);
    return { ...raw, items: raw.items.map((item) => stripKeys<T>(item)) };
  }

  /** Every record of a query, all pages (for small partitions: a tenant's contracts, a tender's bids). */
  async all(input: QueryCommandInput): Promise<T[]> {
    const items: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(new QueryCommand({ ...input, ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }) }));
      items.push(...(result.Items ?? []).map((item) => stripKeys<T>(item)));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  /** One record (and its guards) atomically. */
  async save(write: RecordWrite<T>, guards: readonly GuardItem[] = []): Promise<void> {
    await this.transact([write], guards);
  }

  /**
   * Many records in atomic chunks of ≤ 100 items and ~3.5 MB. A failed chunk writes nothing
   * of itself; chunks written before (or alongside) it stay, so callers make re-runs converge.
   */
  async saveMany(writes: readonly RecordWrite<T>[]): Promise<void> {
    // The current item, the history item when kept, and the audit entry.
    const recordItems = this.codec.historyKey === undefined ? 1 : 2;
    const perWrite = recordItems + 1;
    const chunks: RecordWrite<T>[][] = [];
    let chunk: RecordWrite<T>[] = [];
    let bytes = 0;
    for (const write of writes) {
      const size = recordItems * Buffer.byteLength(JSON.stringify(write.record), 'utf8') + auditItemBytes;
      if (chunk.length > 0 && (perWrite * (chunk.length + 1) > maxTransactionItems || bytes + size > maxTransactionBytes)) {
        chunks.push(chunk);
        chunk = [];
        bytes = 0;
      }
      chunk.push(write);
      bytes += size;
    }
    if (chunk.length > 0) chunks.push(chunk);
    for (let start = 0; start < chunks.length; start += writeConcurrency) {
      await Promise.all(chunks.slice(start, start + writeConcurrency).map((part) => this.transact(part, [])));
    }
  }

  /**
   * The transaction items of one write, for stores that compose their own transactions: the
   * current item (conditional), the history item when the codec keeps one, and LAST the audit
   * entry's Put. A store that takes some of them must keep the audit entry.
   */
  itemsOf(write: RecordWrite<T>): TransactItem[] {
    return [...this.recordItemsOf(write), this.auditItemOf(write)];
  }

  /** The audit entry's Put of one write (audit-log.ts), in the running audit context. */
  auditItemOf({ record, expectedVersion }: RecordWrite<T>): TransactItem {
    const { codec } = this;
    const tenantId = codec.tenantId?.(record) ?? (record as { tenantId?: unknown }).tenantId;
    if (typeof tenantId !== 'string') throw new RangeError(`a ${codec.label} record without a tenant cannot be audited`);
    const status = statusOf(record);
    return auditPut({
      tenantId,
      entity: codec.entity,
      entityId: codec.id(record),
      beforeVersion: expectedVersion ?? null,
      afterVersion: codec.version(record),
      ...(status === undefined ? {} : { status }),
    });
  }

  /** The record's own items of one write (current and history), without the audit entry. */
  private recordItemsOf({ record, expectedVersion }: RecordWrite<T>): TransactItem[] {
    const { codec } = this;
    const current = { ...codec.key(record), ...codec.indexKeys?.(record), entity: codec.entity, ...record };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: current,
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
    ];
    if (codec.historyKey !== undefined) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...codec.historyKey(record), entity: codec.historyEntity ?? `${codec.entity}Version`, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    return items;
  }

  private guardItem(guard: GuardItem): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...guard.key, entity: 'Guard', ...guard.attributes },
        ConditionExpression: guard.condition?.expression ?? 'attribute_not_exists(pk)',
        ...(guard.condition?.names === undefined ? {} : { ExpressionAttributeNames: guard.condition.names }),
        ...(guard.condition?.values === undefined ? {} : { ExpressionAttributeValues: guard.condition.values }),
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  private async transact(writes: readonly RecordWrite<T>[], guards: readonly GuardItem[]): Promise<void> {
    const owners: Owner<T>[] = [];
    const transactItems: TransactItem[] = [];
    for (const write of writes) {
      const items = this.recordItemsOf(write);
      transactItems.push(...items);
      // A clash on the history item means another writer took this version: stale as well.
      owners.push(...items.map(() => ({ kind: 'write' as const, write })));
      transactItems.push(this.auditItemOf(write));
      owners.push({ kind: 'audit' });
    }
    for (const guard of guards) {
      transactItems.push(this.guardItem(guard));
      owners.push({ kind: 'guard', guard });
    }
    try {
      await sendTransaction(this.client, { TransactItems: transactItems });
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw this.conflictFrom(error, owners);
      throw error;
    }
  }

  private conflictFrom(
    error: TransactionCanceledException,
    owners: readonly Owner<T>[],
  ): Error {
    const reasons = error.CancellationReasons ?? [];
    for (let index = 0; index < reasons.length; index += 1) {
      const reason = reasons[index];
      const owner = owners[index];
      if (reason?.Code !== 'ConditionalCheckFailed' || owner === undefined || owner.kind === 'audit') continue;
      if (owner.kind === 'guard') return new ConflictError(owner.guard.message, { cause: error, ...(owner.guard.messageZh === undefined ? {} : { zh: owner.guard.messageZh }) });
      const { record, expectedVersion } = owner.write;
      const id = this.codec.id(record);
      if (expectedVersion === undefined) return new ConflictError(`${this.codec.label} '${id}' already exists`, { cause: error, zh: `${entityNameZh(this.codec.label)} '${id}' 已存在` });
      const actual = reason.Item?.['version']?.N;
      return new StaleVersionError(this.codec.label, id, expectedVersion, actual === undefined ? undefined : Number(actual), { cause: error });
    }
    // Another transaction on the same items at the same moment: nothing was written, and the
    // caller may retry; a 409 says so instead of a 500.
    if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
      return new TemporarilyUnavailableError(`the ${this.codec.label} was being changed by another request at the same moment; nothing was written, retry`, 1, { cause: error });
    }
    return new Error(`${this.codec.label} write cancelled: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`, { cause: error });
  }
}

/**
 * A transaction's input with a ClientRequestToken derived from its items: an SDK retry of a
 * transaction that did go through (its answer lost to a timeout) is then a no-op that
 * succeeds, instead of failing on its own write's conditions (DynamoDB keeps the token 10
 * minutes; DynamoDB Local honours it too). Found by the fault-injection suite (test/faults).
 */
export function withRequestToken<I extends { readonly TransactItems?: readonly unknown[] | undefined }>(input: I): I & { ClientRequestToken: string } {
  return { ...input, ClientRequestToken: createHash('sha256').update(JSON.stringify(input.TransactItems ?? [])).digest('base64url').slice(0, 36) };
}

/**
 * Sends a transaction (with its request token) the way every store should: a cancellation on a
 * new item (`attribute_not_exists(pk)`) whose key holds an id the running request issued
 * (functions/shared/request-ids.ts) is an earlier attempt of this same idempotent request that
 * committed — its answer lost, the request failed, the caller retried with the same
 * Idempotency-Key — and so success: that attempt's transaction wrote the records and their
 * audit entries, and writing nothing now is what keeps them written once (issue 13, the fault
 * suite's seed 1725429042). Any other cancellation is the caller's to map.
 */
export async function sendTransaction(client: DynamoDBDocumentClient, input: TransactWriteCommandInput): Promise<void> {
  try {
    await client.send(new TransactWriteCommand(withRequestToken(input)));
  } catch (error) {
    if (error instanceof TransactionCanceledException && committedByEarlierAttempt(input.TransactItems ?? [], error.CancellationReasons ?? [])) return;
    throw error;
  }
}

/** Whether a cancellation's failed conditions include a new item keyed by an id this request issued. */
export function committedByEarlierAttempt(items: readonly TransactItem[], reasons: readonly CancellationReason[]): boolean {
  return reasons.some((reason, index) => {
    const put = items[index]?.Put;
    if (reason.Code !== 'ConditionalCheckFailed' || put?.ConditionExpression !== 'attribute_not_exists(pk)') return false;
    const item = put.Item as Record<string, unknown> | undefined;
    return issuedByThisRequest(`${String(item?.['pk'])}#${String(item?.['sk'])}`);
  });
}

// backoff lives in ./backoff (modules without the audit log import it from there); re-exported for the stores.
export { backoff };
