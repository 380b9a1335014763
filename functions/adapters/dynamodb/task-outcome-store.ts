import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { defaultZone } from '../../../domain/dates';
import { StaleVersionError } from '../../../domain/errors';
import type {
  RecordMissedResult,
  SweepCheckpoint,
  SweepCheckpointStore,
  TaskOutcome,
  TaskOutcomeStore,
  TaskRef,
  TenantDirectory,
} from '../../../domain/schedule/outcomes';
import { auditPut } from './audit-log';
import { entityTypes, keys } from './keys';
import { backoff, stripKeys, withRequestToken } from './versioned-items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The audit entry of a task outcome written now (outcomes have no version; the status is the change). */
export function taskOutcomeAuditPut(outcome: TaskOutcome): TransactItem {
  return auditPut({ tenantId: outcome.tenantId, entity: entityTypes.taskOutcome, entityId: outcome.taskId, beforeVersion: null, afterVersion: null, status: outcome.status });
}

/** Conditional puts in flight at once: enough to sweep a district-day in seconds, gentle on capacity. */
const writeConcurrency = 8;
const maxBatchGet = 100;

/**
 * Task outcomes, one item per task in its contract-day partition. Not VersionedItems: an
 * outcome is written once and never replaced (first writer wins), so there is no version to
 * compare, only existence. Misses are conditional puts (attribute_not_exists), each in a
 * transaction of its own with its audit entry, a few in parallel: BatchWriteItem cannot be
 * conditional, and one transaction over many would fail whole on the first task that already
 * has an outcome, which on a resumed run is the normal case.
 */
export class DynamoTaskOutcomeStore implements TaskOutcomeStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string, task: TaskRef): Promise<TaskOutcome | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.taskOutcome(tenantId, task.contractId, task.localDate, task.taskId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : stripKeys<TaskOutcome>(Item);
  }

  async getMany(tenantId: string, tasks: readonly TaskRef[]): Promise<ReadonlyMap<string, TaskOutcome>> {
    const found = new Map<string, TaskOutcome>();
    const unique = [...new Map(tasks.map((task) => [task.taskId, task])).values()];
    for (let start = 0; start < unique.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] | undefined = unique
        .slice(start, start + maxBatchGet)
        .map((task) => ({ ...keys.taskOutcome(tenantId, task.contractId, task.localDate, task.taskId) }));
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error(`BatchGet left ${pending.length} task outcome keys unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const outcome = stripKeys<TaskOutcome>(item);
          found.set(outcome.taskId, outcome);
        }
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return found;
  }

  async listByContractDay(tenantId: string, contractId: string, localDate: string): Promise<readonly TaskOutcome[]> {
    const outcomes: TaskOutcome[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.taskOutcomesPartition(tenantId, contractId, localDate), ':prefix': keys.taskOutcomePrefix },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of result.Items ?? []) outcomes.push(stripKeys<TaskOutcome>(item));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return outcomes;
  }

  async recordMissed(outcomes: readonly TaskOutcome[]): Promise<RecordMissedResult> {
    let recorded = 0;
    let alreadyKnown = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < outcomes.length) {
        const outcome = outcomes[next]!;
        next += 1;
        if (outcome.status !== 'missed') throw new RangeError(`recordMissed got a '${outcome.status}' outcome for ${outcome.taskId}`);
        if (await this.putIfAbsent(outcome)) recorded += 1;
        else alreadyKnown += 1;
      }
    };
    // A failed put rejects its worker; the others finish their current put and stop at the
    // next check, so the caller sees the first error and the checkpoint stays where it was.
    let failure: unknown;
    await Promise.all(
      Array.from({ length: Math.min(writeConcurrency, outcomes.length) }, () =>
        worker().catch((error: unknown) => {
          failure ??= error;
          next = outcomes.length;
        }),
      ),
    );
    if (failure !== undefined) throw failure;
    return { recorded, alreadyKnown };
  }

  /** True when written; false when the task already had an outcome. */
  private async putIfAbsent(outcome: TaskOutcome): Promise<boolean> {
    const transactItems: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.taskOutcome(outcome.tenantId, outcome.contractId, outcome.localDate, outcome.taskId), entity: entityTypes.taskOutcome, ...outcome },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      taskOutcomeAuditPut(outcome),
    ];
    try {
      // The token makes an SDK retry of a transaction that did go through a no-op (recorded), not "already known".
      await this.client.send(new TransactWriteCommand(withRequestToken({ TransactItems: transactItems })));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw new Error(`could not record task ${outcome.taskId} as missed`, { cause: error });
    }
  }
}

/** One checkpoint item per tenant, written on condition of the version read. */
export class DynamoSweepCheckpointStore implements SweepCheckpointStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(tenantId: string): Promise<SweepCheckpoint | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.missedTaskSweepCheckpoint(tenantId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : stripKeys<SweepCheckpoint>(Item);
  }

  async save(checkpoint: SweepCheckpoint, expectedVersion: number | undefined): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.missedTaskSweepCheckpoint(checkpoint.tenantId), entity: entityTypes.sweepCheckpoint, ...checkpoint },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: '#version = :expected', ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':expected': expectedVersion } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new StaleVersionError('sweep checkpoint', checkpoint.tenantId, expectedVersion ?? 0, undefined, { cause: error });
      }
      throw error;
    }
  }
}

/**
 * The tenant registry: pk `TENANTS`, one item per tenant holding only its id (keys.ts says
 * why this is the one partition without a tenant in front). Written where a tenant is
 * created (the local seed today; the tenant admin API when it exists).
 */
export class DynamoTenantDirectory implements TenantDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listTenantIds(): Promise<readonly string[]> {
    const ids: string[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.tenantRegistryPartition },
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of result.Items ?? []) {
        const tenantId = item['tenantId'];
        if (typeof tenantId === 'string') ids.push(tenantId);
      }
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return ids;
  }

  async zoneOf(tenantId: string): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.tenant(tenantId) }));
    const zone = Item?.['zone'];
    return Item === undefined ? undefined : typeof zone === 'string' ? zone : defaultZone;
  }

  /** Idempotent: registering a tenant twice leaves one item. */
  async register(tenantId: string): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...keys.tenantRegistration(tenantId), entity: entityTypes.tenantRegistration, tenantId } }),
    );
  }
}


