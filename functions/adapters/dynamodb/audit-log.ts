import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { isAuditedEntity, type AuditedEntity, type AuditEntry, type AuditFilter, type AuditLogReader, type AuditRange } from '../../../domain/audit';
import { ValidationError } from '../../../domain/errors';
import type { Page, PageRequest } from '../../../domain/ports';
import { auditTable } from '../../../infra/definitions';
import { currentAuditContext, unattributedActor, type AuditActor as AuditContextActor } from '../../shared/audit-context';
import { env } from '../../shared/env';
import { drawnUlids, systemClock } from '../../shared/system';
import { decodeCursor, encodeCursor, queryPage, type StartKey } from './cursor';

/**
 * The audit log's table (infra/definitions.ts `auditTable`, issue 8). Its keys are computed
 * here and nowhere else:
 * - per record        pk AUDIT#{tenant}#{entity}#{entityId}   sk {at}#{entryId}
 * - per tenant-day    gsi1pk AUDIT#{tenant}#{yyyy-mm-dd (UTC) of at}   gsi1sk {at}#{entryId}  (index byTenantTime)
 *
 * Entries are only ever PUT, each in the same TransactWriteItems as the change it records
 * (`auditPut`, called by VersionedItems.itemsOf and by the stores that compose their own
 * transactions), on condition that the key is new. The service holds no grant to update or
 * delete them (infra/stateless.ts). `at` is systemClock's (the fault suite runs a virtual
 * clock by replacing `systemClock.now`); the actor, action, request id and reason come from
 * the running unit of work's audit context (functions/shared/audit-context.ts).
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** What changed: the record, its versions, its status after. */
export interface AuditChange {
  readonly tenantId: string;
  readonly entity: string;
  readonly entityId: string;
  /** The version replaced; null for a new record or a record without versions. */
  readonly beforeVersion: number | null;
  /** The version written; null for a record without versions. */
  readonly afterVersion: number | null;
  readonly status?: string;
}

const byTenantTime = auditTable.globalSecondaryIndexes.find((index) => index.indexName === 'byTenantTime')!.indexName;
const keyAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);
const dayMs = 86_400_000;

export const auditKeys = {
  entityPartition: (tenantId: string, entity: string, entityId: string): string => `AUDIT#${tenantId}#${entity}#${entityId}`,
  tenantDay: (tenantId: string, day: string): string => `AUDIT#${tenantId}#${day}`,
  sort: (at: string, entryId: string): string => `${at}#${entryId}`,
};

/** The entry of a change made now, in the running audit context (or unattributed). */
export function auditEntryOf(change: AuditChange): AuditEntry {
  if (!isAuditedEntity(change.entity)) throw new RangeError(`'${change.entity}' is not an audited entity (domain/audit.ts auditedEntities)`);
  const context = currentAuditContext();
  return {
    // Drawn afresh on every attempt: an entry is one attempt's, and the key of the record it
    // records (not the entry's) tells a retry what an earlier attempt wrote (sendTransaction).
    entryId: drawnUlids.next(),
    tenantId: change.tenantId,
    at: systemClock.now().toISOString(),
    entity: change.entity,
    entityId: change.entityId,
    action: context?.action ?? 'unattributed',
    actor: actorOf(context?.actor ?? unattributedActor),
    requestId: context?.requestId ?? 'none',
    ...(context?.reason === undefined ? {} : { reason: context.reason }),
    beforeVersion: change.beforeVersion,
    afterVersion: change.afterVersion,
    ...(change.status === undefined ? {} : { status: change.status }),
  };
}

function actorOf(actor: AuditContextActor): AuditEntry['actor'] {
  if ('system' in actor) return { system: actor.system };
  return { sub: actor.sub, roles: [...actor.roles], ...(actor.contractorId === undefined ? {} : { contractorId: actor.contractorId }) };
}

/** The audit table's item of an entry. */
export function auditItemOf(entry: AuditEntry): Record<string, unknown> {
  const sort = auditKeys.sort(entry.at, entry.entryId);
  return {
    pk: auditKeys.entityPartition(entry.tenantId, entry.entity, entry.entityId),
    sk: sort,
    gsi1pk: auditKeys.tenantDay(entry.tenantId, entry.at.slice(0, 10)),
    gsi1sk: sort,
    ...entry,
  };
}

/** The Put of the entry of `change`, for the transaction that makes the change. */
export function auditPut(change: AuditChange): TransactItem {
  return {
    Put: {
      TableName: env.auditTable,
      Item: auditItemOf(auditEntryOf(change)),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The status of a record after a change, when it has a string `status`. */
export function statusOf(record: object): string | undefined {
  const status = (record as { status?: unknown }).status;
  return typeof status === 'string' ? status : undefined;
}

function entryOf(item: Record<string, unknown>): AuditEntry {
  const entry: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) if (!keyAttributes.has(name)) entry[name] = value;
  return entry as unknown as AuditEntry;
}

/** The UTC days from `from`'s to the one holding the last instant before `to`. */
export function daysOf(range: AuditRange): string[] {
  const days: string[] = [];
  const last = new Date(Date.parse(range.to) - 1).toISOString().slice(0, 10);
  for (let day = range.from.slice(0, 10); day <= last; day = new Date(Date.parse(`${day}T00:00:00.000Z`) + dayMs).toISOString().slice(0, 10)) {
    days.push(day);
  }
  return days;
}

/** The audit log's queries (the audit module's only access to the table: Query). */
export class DynamoAuditLog implements AuditLogReader {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listByEntity(tenantId: string, entity: AuditedEntity, entityId: string, page: PageRequest): Promise<Page<AuditEntry>> {
    const pk = auditKeys.entityPartition(tenantId, entity, entityId);
    const input: QueryCommandInput = { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true };
    const raw = await queryPage(this.client, input, page, { pk }, ['pk', 'sk']);
    return { ...raw, items: raw.items.map(entryOf) };
  }

  /**
   * Day partition after day partition, each a key range of the index, until the page is full.
   * The cursor is the index key of the last entry returned; it must name one of the range's days.
   */
  async listByTenant(tenantId: string, range: AuditRange, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>> {
    const partitions = daysOf(range).map((day) => auditKeys.tenantDay(tenantId, day));
    let startKey: StartKey | undefined = decodeCursor(page.cursor, {}, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
    let dayIndex = 0;
    if (startKey !== undefined) {
      dayIndex = partitions.indexOf(startKey['gsi1pk'] ?? '');
      // Also inside this query's key range: DynamoDB answers a start key outside it with an error.
      const sort = startKey['gsi1sk'] ?? '';
      const pkPrefix = `AUDIT#${tenantId}#`;
      if (dayIndex < 0 || startKey['sk'] !== sort || sort < range.from || sort > range.to || !(startKey['pk'] ?? '').startsWith(pkPrefix)) {
        throw new ValidationError('the cursor is not valid for this list', [{ path: 'query.cursor', message: 'use the nextCursor returned by this same list, unchanged' }]);
      }
    }
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':from': range.from, ':to': range.to };
    if (filter.entity !== undefined) {
      conditions.push('#entity = :entity');
      names['#entity'] = 'entity';
      values[':entity'] = filter.entity;
    }
    if (filter.actor !== undefined) {
      conditions.push('(#actor.#sub = :actor OR #actor.#system = :actor)');
      Object.assign(names, { '#actor': 'actor', '#sub': 'sub', '#system': 'system' });
      values[':actor'] = filter.actor;
    }
    const items: Record<string, unknown>[] = [];
    let more = false;
    while (dayIndex < partitions.length && items.length < page.limit) {
      const input: QueryCommandInput = {
        TableName: this.tableName,
        IndexName: byTenantTime,
        // `to` is exclusive: an entry at exactly `to` sorts after it (`{to}#{id}` > `{to}`).
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ...(conditions.length === 0 ? {} : { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names }),
        ExpressionAttributeValues: { ...values, ':pk': partitions[dayIndex] },
        Limit: page.limit - items.length,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      };
      const result = await this.client.send(new QueryCommand(input));
      items.push(...(result.Items ?? []));
      startKey = result.LastEvaluatedKey as StartKey | undefined;
      if (startKey === undefined) dayIndex += 1;
      more = startKey !== undefined || dayIndex < partitions.length;
    }
    const last = items[items.length - 1];
    const nextCursor =
      more && last !== undefined && items.length >= page.limit
        ? encodeCursor({ pk: String(last['pk']), sk: String(last['sk']), gsi1pk: String(last['gsi1pk']), gsi1sk: String(last['gsi1sk']) })
        : undefined;
    return { items: items.map(entryOf), ...(nextCursor === undefined ? {} : { nextCursor }) };
  }
}
