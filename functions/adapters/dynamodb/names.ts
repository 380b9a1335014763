import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { backoff } from './backoff';
import { entityTypes, keys, type ItemKey } from './keys';

/**
 * The names beside ids (issue 13), read with one projected BatchGetItem: the reader
 * functions/http/shared/names.ts builds on, here without zod so that the export worker
 * (issue 16) can read names without bundling it.
 */

/** What a page asks to have named. */
export interface NameRequest {
  readonly contractIds?: Iterable<string>;
  readonly contractorIds?: Iterable<string>;
  readonly segmentIds?: Iterable<string>;
}

export interface SegmentName {
  /** 路段名称, e.g. 南京西路(华山路—常德路). */
  readonly name: string;
  /** 街道, the segment's first-level grid. */
  readonly street: string;
}

export interface NameIndex {
  /** Contract id → title (合同名称). */
  readonly contracts: ReadonlyMap<string, string>;
  /** Contractor id → registered name (作业单位名称). */
  readonly contractors: ReadonlyMap<string, string>;
  readonly segments: ReadonlyMap<string, SegmentName>;
}

/** A reader of names by id, within one tenant. */
export type NameReader = (tenantId: string, wanted: NameRequest) => Promise<NameIndex>;

const maxBatchGet = 100;
const maxAttempts = 9;

/** The DynamoDB reader: one projected BatchGetItem (per 100 keys) of the distinct items asked for. */
export function dynamoNames(client: DynamoDBDocumentClient, tableName: string): NameReader {
  return async (tenantId, wanted) => {
    const wantedKeys = new Map<string, ItemKey>();
    const want = (key: ItemKey): void => void wantedKeys.set(`${key.pk}\u0000${key.sk}`, key);
    for (const id of wanted.contractIds ?? []) want(keys.contract(tenantId, id));
    for (const id of wanted.contractorIds ?? []) want(keys.contractor(tenantId, id));
    for (const id of wanted.segmentIds ?? []) want(keys.segment(tenantId, id));
    const contracts = new Map<string, string>();
    const contractors = new Map<string, string>();
    const segments = new Map<string, SegmentName>();
    const all = [...wantedKeys.values()];
    for (let start = 0; start < all.length; start += maxBatchGet) {
      let pending: Record<string, unknown>[] = all.slice(start, start + maxBatchGet).map((key) => ({ ...key }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt >= maxAttempts) throw new Error(`BatchGet left ${pending.length} name key(s) unprocessed after ${attempt} attempts`);
        if (attempt > 0) await backoff(attempt);
        const result = await client.send(
          new BatchGetCommand({
            RequestItems: {
              [tableName]: {
                Keys: pending,
                ProjectionExpression: '#entity, #tenantId, #contractId, #contractorId, #segmentId, #title, #name, #street',
                ExpressionAttributeNames: {
                  '#entity': 'entity',
                  '#tenantId': 'tenantId',
                  '#contractId': 'contractId',
                  '#contractorId': 'contractorId',
                  '#segmentId': 'segmentId',
                  '#title': 'title',
                  '#name': 'name',
                  '#street': 'street',
                },
              },
            },
          }),
        );
        for (const item of result.Responses?.[tableName] ?? []) {
          if (item['tenantId'] !== tenantId) continue;
          const text = (attribute: string): string | undefined => (typeof item[attribute] === 'string' ? (item[attribute] as string) : undefined);
          const [contractId, contractorId, segmentId, title, name, street] = ['contractId', 'contractorId', 'segmentId', 'title', 'name', 'street'].map(text);
          if (item['entity'] === entityTypes.contract && contractId !== undefined && title !== undefined) contracts.set(contractId, title);
          else if (item['entity'] === entityTypes.contractor && contractorId !== undefined && name !== undefined) contractors.set(contractorId, name);
          else if (item['entity'] === entityTypes.segment && segmentId !== undefined && name !== undefined && street !== undefined) segments.set(segmentId, { name, street });
        }
        pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return { contracts, contractors, segments };
  };
}

