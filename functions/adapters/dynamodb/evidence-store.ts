import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../domain/errors';
import type { Evidence, EvidenceStore, IngestResult } from '../../../domain/proofs/evidence';
import { auditPut } from './audit-log';
import { entityTypes, keys } from './keys';
import { backoff, stripKeys, withRequestToken } from './versioned-items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const maxBatchGet = 100;
/** The table's TTL attribute (infra/definitions.ts mainTable.timeToLiveAttribute). */
const ttlAttribute = 'expiresAt';
/** An upload slot nobody used is removed a week after issue (domain/proofs/evidence.ts lifecycle). */
const awaitingTtlSeconds = 7 * 24 * 60 * 60;

/**
 * Evidence items, one per photo in its subject's partition (keys.evidence). Not
 * VersionedItems: an item changes exactly once, from `awaiting_upload` to what ingest found,
 * so every write is conditional on existence or on that status — which is what makes
 * duplicated and reordered S3 events land once. Each write is a transaction of the item and
 * its audit entry (evidence has no version: the entry records the status after).
 */
export class DynamoEvidenceStore implements EvidenceStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async issue(evidence: Evidence): Promise<void> {
    if (evidence.status !== 'awaiting_upload') throw new RangeError(`issue got a '${evidence.status}' item ${evidence.evidenceId}`);
    const expiresAt = Math.floor(Date.parse(evidence.issuedAt) / 1000) + awaitingTtlSeconds;
    try {
      await this.#transact({
        Put: {
          TableName: this.tableName,
          Item: { ...this.#key(evidence), entity: entityTypes.evidence, ...evidence, [ttlAttribute]: expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      }, audited(evidence.tenantId, evidence.evidenceId, evidence.status), this.#locator(evidence, expiresAt));
    } catch (error) {
      const failed = conditionFailed(error);
      if (failed !== undefined) {
        // Slot ids of an idempotent request derive from it (functions/shared/request-ids.ts): the
        // same slot, still awaiting its photo, is that request's earlier attempt — the slot it
        // answers again, so a retry leaves no unused one behind.
        if (failed.Item !== undefined && sameSlot(failed.Item, evidence)) return;
        throw new ConflictError(`evidence ${evidence.evidenceId} was already issued`, { cause: error, zh: `照片 ${evidence.evidenceId} 已签发过上传表单` });
      }
      throw error;
    }
  }

  async get(tenantId: string, subjectId: string, evidenceId: string): Promise<Evidence | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.evidence(tenantId, subjectId, evidenceId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toEvidence(Item);
  }

  async getMany(tenantId: string, subjectId: string, evidenceIds: readonly string[]): Promise<readonly Evidence[]> {
    const found = new Map<string, Evidence>();
    const unique = [...new Set(evidenceIds)];
    for (let start = 0; start < unique.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] | undefined = unique
        .slice(start, start + maxBatchGet)
        .map((evidenceId) => ({ ...keys.evidence(tenantId, subjectId, evidenceId) }));
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error(`BatchGet left ${pending.length} evidence keys unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const evidence = toEvidence(item);
          found.set(evidence.evidenceId, evidence);
        }
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    // In the order asked for, so callers can report "photo 2 of 3" in the order they sent.
    return unique.flatMap((evidenceId) => {
      const evidence = found.get(evidenceId);
      return evidence === undefined ? [] : [evidence];
    });
  }

  async listBySubject(tenantId: string, subjectId: string): Promise<readonly Evidence[]> {
    const items: Evidence[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': keys.evidencePartition(tenantId, subjectId), ':prefix': keys.evidencePrefix },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of result.Items ?? []) items.push(toEvidence(item));
      startKey = result.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  async recordIngest(tenantId: string, subjectId: string, evidenceId: string, result: IngestResult): Promise<'recorded' | 'already' | 'missing'> {
    const names: Record<string, string> = { '#status': 'status', '#ttl': ttlAttribute };
    const values: Record<string, unknown> = { ':awaiting': 'awaiting_upload' };
    const sets: string[] = [];
    for (const [name, value] of Object.entries(result)) {
      if (value === undefined) continue;
      const placeholder = `${sets.length}`;
      names[`#f${placeholder}`] = name;
      values[`:v${placeholder}`] = value;
      sets.push(`#f${placeholder} = :v${placeholder}`);
    }
    try {
      await this.#transact({
        Update: {
          TableName: this.tableName,
          Key: keys.evidence(tenantId, subjectId, evidenceId),
          // Ingested items keep the photo's record for good: the TTL is only for unused slots.
          UpdateExpression: `SET ${sets.join(', ')} REMOVE #ttl`,
          ConditionExpression: '#status = :awaiting',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      }, audited(tenantId, evidenceId, result.status), this.#locator({ tenantId, evidenceId, subject: { id: subjectId } }));
      return 'recorded';
    } catch (error) {
      const failed = conditionFailed(error);
      if (failed !== undefined) return failed.Item === undefined ? 'missing' : 'already';
      throw new Error(`could not record the ingest of evidence ${evidenceId}`, { cause: error });
    }
  }

  async recordUnissued(evidence: Evidence): Promise<'recorded' | 'already'> {
    try {
      await this.#transact({
        Put: {
          TableName: this.tableName,
          Item: { ...this.#key(evidence), entity: entityTypes.evidence, ...evidence },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }, audited(evidence.tenantId, evidence.evidenceId, evidence.status));
      return 'recorded';
    } catch (error) {
      if (conditionFailed(error) !== undefined) return 'already';
      throw new Error(`could not record the unissued object ${evidence.key}`, { cause: error });
    }
  }

  async locate(tenantId: string, evidenceIds: readonly string[]): Promise<readonly Evidence[]> {
    const unique = [...new Set(evidenceIds)];
    const subjects = new Map<string, string[]>();
    for (let start = 0; start < unique.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] | undefined = unique.slice(start, start + maxBatchGet).map((evidenceId) => ({ ...keys.evidenceLocator(tenantId, evidenceId) }));
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error(`BatchGet left ${pending.length} evidence locators unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const subjectId = String(item['subjectId']);
          subjects.set(subjectId, [...(subjects.get(subjectId) ?? []), String(item['evidenceId'])]);
        }
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    const found = (await Promise.all([...subjects].map(([subjectId, ids]) => this.getMany(tenantId, subjectId, ids)))).flat();
    const byId = new Map(found.map((item) => [item.evidenceId, item]));
    return unique.flatMap((evidenceId) => byId.get(evidenceId) ?? []);
  }

  /**
   * The id → subject pointer (keys.evidenceLocator), with the slot's TTL while it awaits; put
   * again without one when the photo is ingested (a slot issued before locators gets one then).
   */
  #locator(evidence: Pick<Evidence, 'tenantId' | 'evidenceId'> & { readonly subject: { readonly id: string } }, expiresAt?: number): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.evidenceLocator(evidence.tenantId, evidence.evidenceId),
          entity: entityTypes.evidenceLocator,
          tenantId: evidence.tenantId,
          evidenceId: evidence.evidenceId,
          subjectId: evidence.subject.id,
          ...(expiresAt === undefined ? {} : { [ttlAttribute]: expiresAt }),
        },
      },
    };
  }

  /** The item's write, its audit entry and any further item, one transaction (an SDK retry of a committed one is a no-op). */
  async #transact(write: TransactItem, audit: TransactItem, ...more: TransactItem[]): Promise<void> {
    const transactItems = [write, audit, ...more];
    await this.client.send(new TransactWriteCommand(withRequestToken({ TransactItems: transactItems })));
  }

  #key(evidence: Evidence): { pk: string; sk: string } {
    return keys.evidence(evidence.tenantId, evidence.subject.id, evidence.evidenceId);
  }
}

function audited(tenantId: string, evidenceId: string, status: string): TransactItem {
  return auditPut({ tenantId, entity: entityTypes.evidence, entityId: evidenceId, beforeVersion: null, afterVersion: null, status });
}

/** The item's own failed condition (item 0 of the transaction), with the item as it was; else undefined. */
function conditionFailed(error: unknown): CancellationReason | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reason = error.CancellationReasons?.[0];
  return reason?.Code === 'ConditionalCheckFailed' ? reason : undefined;
}

/** The same upload slot (the item as the cancellation returns it, marshalled): same key, subject, uploader and declared type, and no photo yet. */
function sameSlot(existing: NonNullable<CancellationReason['Item']>, issuing: Evidence): boolean {
  return (
    existing['status']?.S === 'awaiting_upload' &&
    existing['key']?.S === issuing.key &&
    existing['subject']?.M?.['id']?.S === issuing.subject.id &&
    existing['issuedBy']?.S === issuing.issuedBy &&
    existing['declaredContentType']?.S === issuing.declaredContentType
  );
}

function toEvidence(item: Record<string, unknown>): Evidence {
  const { [ttlAttribute]: _expiresAt, ...rest } = stripKeys<Record<string, unknown>>(item);
  return rest as unknown as Evidence;
}
