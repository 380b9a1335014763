import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../domain/errors';
import { TemporarilyUnavailableError } from '../../shared/errors';
import type { InspectionStore, InspectionView } from '../../../domain/inspections/ports';
import type { Inspection } from '../../../domain/inspections/schema';
import type { Page, PageRequest } from '../../../domain/ports';
import type { RectificationOrder } from '../../../domain/rectification/schema';
import type { InspectionPhotoClaim } from '../../../domain/inspections/photos';
import { entityTypes, keys } from './keys';
import { auditPut } from './audit-log';
import { guardTransactItem, photoClaimGuards, takenClaimOf } from './photo-claims';
import type { DynamoRectificationStore } from './rectification-store';
import { backoff, stripKeys, VersionedItems, sendTransaction, type RecordCodec } from './versioned-items';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

interface SupersededItem {
  readonly supersededBy: string;
  readonly reason: string;
  readonly at: string;
}

const inspectionCodec: RecordCodec<Inspection> = {
  entity: entityTypes.inspection,
  label: 'inspection',
  key: (inspection) => keys.inspection(inspection.tenantId, inspection.inspectionId),
  id: (inspection) => inspection.inspectionId,
  version: (inspection) => inspection.version,
};

const maxBatchGet = 100;
/** DynamoDB's cap on one transaction. */
const maxTransactionItems = 100;

/**
 * Inspections: written once, with two full listing copies (contract-month, segment-month),
 * the orders they raise and, for a correction, the guard that marks the corrected one
 * superseded — one transaction (keys.ts). Reads attach the supersession from the guard.
 */
export class DynamoInspectionStore implements InspectionStore {
  private readonly items: VersionedItems<Inspection>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly orders: DynamoRectificationStore,
  ) {
    this.items = new VersionedItems(client, tableName, inspectionCodec);
  }

  async get(tenantId: string, inspectionId: string): Promise<InspectionView | undefined> {
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.inspectionPartition(tenantId, inspectionId) },
        ConsistentRead: true,
      }),
    );
    let inspection: Inspection | undefined;
    let superseded: SupersededItem | undefined;
    for (const item of result.Items ?? []) {
      if (item['sk'] === keys.inspection(tenantId, inspectionId).sk) inspection = stripKeys<Inspection>(item);
      else if (item['sk'] === keys.inspectionSuperseded(tenantId, inspectionId).sk) superseded = item as unknown as SupersededItem;
    }
    if (inspection === undefined) return undefined;
    return superseded === undefined ? inspection : { ...inspection, supersededBy: { supersededBy: superseded.supersededBy, reason: superseded.reason, at: superseded.at } };
  }

  async listByContractMonth(tenantId: string, contractId: string, month: string, page: PageRequest): Promise<Page<InspectionView>> {
    return this.listPartition(tenantId, keys.inspectionsOfContractMonth(tenantId, contractId, month), page);
  }

  async listBySegmentMonth(tenantId: string, segmentId: string, month: string, page: PageRequest, filter: { readonly contractorId?: string } = {}): Promise<Page<InspectionView>> {
    return this.listPartition(tenantId, keys.inspectionsOfSegmentMonth(tenantId, segmentId, month), page, filter.contractorId);
  }

  async allOnSegmentMonth(tenantId: string, segmentId: string, month: string): Promise<readonly InspectionView[]> {
    const all = await this.items.all({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.inspectionsOfSegmentMonth(tenantId, segmentId, month) },
      ConsistentRead: true,
    });
    return this.withSupersession(tenantId, all);
  }

  async record(inspection: Inspection, orders: readonly RectificationOrder[], photoClaims: readonly InspectionPhotoClaim[] = []): Promise<void> {
    const { tenantId, inspectionId } = inspection;
    const copy = (key: { pk: string; sk: string }): TransactItem => ({
      Put: { TableName: this.tableName, Item: { ...key, entity: entityTypes.inspectionListing, ...inspection }, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    const items: TransactItem[] = [
      ...this.items.itemsOf({ record: inspection, expectedVersion: undefined }),
      copy(keys.inspectionByContractMonth(tenantId, inspection.contractId, inspection.month, inspection.at, inspectionId)),
      copy(keys.inspectionBySegmentMonth(tenantId, inspection.segmentId, inspection.month, inspection.at, inspectionId)),
    ];
    const supersededIndex = inspection.supersedes === undefined ? -1 : items.length;
    if (inspection.supersedes !== undefined) {
      const old = inspection.supersedes.inspectionId;
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...keys.inspectionSuperseded(tenantId, old), entity: entityTypes.inspectionSuperseded, supersededBy: inspectionId, reason: inspection.supersedes.reason, at: inspection.recordedAt },
          // Once per corrected inspection (the use case has read that it exists): a second correction fails here.
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      // The corrected inspection changes too (it now reads as superseded): an entry of its own.
      items.push(auditPut({ tenantId, entity: inspectionCodec.entity, entityId: old, beforeVersion: null, afterVersion: null, status: 'superseded' }));
    }
    for (const order of orders) items.push(...this.orders.transactItemsOf({ order, expectedVersion: undefined }));
    // The photos are claimed in the same write (issue 5: never by a scan), so no photo evidences two records.
    const guards = photoClaimGuards(tenantId, photoClaims);
    // The guards come one per distinct hash, in first-seen order: the same order as these hashes.
    const claims = { start: items.length, hashes: [...new Set(photoClaims.map((claim) => claim.sha256))] };
    items.push(...guards.map((guard) => guardTransactItem(this.tableName, guard)));
    if (items.length > maxTransactionItems) {
      throw new ConflictError(
        `an inspection raising ${orders.length} orders with ${guards.length} photos exceeds one atomic write; record its findings in two inspections`,
        { zh: `一次检查开出 ${orders.length} 份整改通知书并附 ${guards.length} 张照片，超出一次原子写入的上限；请分两次检查记录这些问题` },
      );
    }
    try {
      await sendTransaction(this.client, { TransactItems: items });
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const taken = takenClaimOf(error, claims);
      if (taken !== undefined) {
        // Lost to a record that claimed the photo after the use case's check: name it, as that check would.
        throw new ConflictError(`photo sha-256 ${taken.sha256} is already used by ${taken.proofId ?? 'another record'}; nothing was written`, {
          cause: error,
          zh: `照片 sha-256 ${taken.sha256} 已被${taken.proofId ?? '另一条记录'}使用；未写入任何内容`,
        });
      }
      if (supersededIndex >= 0 && reasons[supersededIndex]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError(`inspection '${inspection.supersedes?.inspectionId ?? ''}' was already corrected; correct the correction instead`, {
          cause: error,
          zh: `检查记录 '${inspection.supersedes?.inspectionId ?? ''}' 已被更正过；请改为更正那次更正`,
        });
      }
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
        throw new ConflictError(`inspection '${inspectionId}' already exists`, { cause: error, zh: `检查记录 '${inspectionId}' 已存在` });
      }
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
        throw new TemporarilyUnavailableError('another request changed the same records at the same moment; nothing was written, retry', 1, { cause: error });
      }
      throw new Error(`inspection write cancelled: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`, { cause: error });
    }
  }

  /**
   * `contractorId` filters in the query: the page fills with that contractor's rows only and
   * the cursor is the last row returned, never a row the caller may not see (issue 13).
   */
  private async listPartition(tenantId: string, pk: string, page: PageRequest, contractorId?: string): Promise<Page<InspectionView>> {
    const byContractor = contractorId === undefined ? {} : { FilterExpression: 'contractorId = :contractorId' };
    const result = await this.items.page(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ...byContractor,
        ExpressionAttributeValues: { ':pk': pk, ...(contractorId === undefined ? {} : { ':contractorId': contractorId }) },
        ConsistentRead: true,
      },
      page,
      { pk },
      ['pk', 'sk'],
    );
    return { ...result, items: await this.withSupersession(tenantId, result.items) };
  }

  /** Attaches each inspection's supersession guard (one BatchGet per 100). */
  private async withSupersession(tenantId: string, inspections: readonly Inspection[]): Promise<InspectionView[]> {
    const found = new Map<string, SupersededItem>();
    const wanted = inspections.map((inspection) => keys.inspectionSuperseded(tenantId, inspection.inspectionId));
    for (let start = 0; start < wanted.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] | undefined = wanted.slice(start, start + maxBatchGet).map((key) => ({ ...key }));
      for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
        if (attempt > 8) throw new Error(`BatchGet left ${pending.length} supersession keys unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await this.client.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
        for (const item of result.Responses?.[this.tableName] ?? []) found.set(String(item['pk']), item as unknown as SupersededItem);
        pending = result.UnprocessedKeys?.[this.tableName]?.Keys as Record<string, unknown>[] | undefined;
      }
    }
    return inspections.map((inspection) => {
      const superseded = found.get(keys.inspectionPartition(tenantId, inspection.inspectionId));
      return superseded === undefined ? inspection : { ...inspection, supersededBy: { supersededBy: superseded.supersededBy, reason: superseded.reason, at: superseded.at } };
    });
  }
}
