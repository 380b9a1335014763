import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { localDynamo, localS3, localStack } from '../helpers/local-stack';

/**
 * Everything the service could have written, as comparable text: every item of the main
 * table and of the audit table (Scans — fine on DynamoDB Local in a test; a write refused
 * after its audit entry went in would show there) and every object key (with size and ETag)
 * of the proofs and exports buckets. The idempotency table is left out on purpose: it holds
 * Powertools' bookkeeping, not records.
 */
export interface StoreSnapshot {
  readonly items: ReadonlyMap<string, string>;
  readonly objects: ReadonlyMap<string, string>;
}

export async function snapshotStores(): Promise<StoreSnapshot> {
  const { tables, buckets } = localStack();
  const items = new Map<string, string>();
  for (const table of [tables.main, tables.audit]) {
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await localDynamo().send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
      for (const item of page.Items ?? []) items.set(`${table}|${item['pk']?.S ?? ''}|${item['sk']?.S ?? ''}`, stableJson(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }
  const objects = new Map<string, string>();
  for (const bucket of [buckets.proofs, buckets.exports]) {
    let token: string | undefined;
    do {
      const page = await localS3().send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
      for (const object of page.Contents ?? []) objects.set(`${bucket}/${object.Key ?? ''}`, `${object.Size ?? 0} ${object.ETag ?? ''}`);
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }
  return { items, objects };
}

/** Keys added, removed or changed between two snapshots (each one a write the run caused). */
export function diffSnapshots(before: StoreSnapshot, after: StoreSnapshot): string[] {
  const changes: string[] = [];
  for (const [label, a, b] of [
    ['item', before.items, after.items],
    ['object', before.objects, after.objects],
  ] as const) {
    for (const [key, value] of b) {
      if (!a.has(key)) changes.push(`${label} added: ${key}`);
      else if (a.get(key) !== value) changes.push(`${label} changed: ${key}`);
    }
    for (const key of a.keys()) if (!b.has(key)) changes.push(`${label} removed: ${key}`);
  }
  return changes;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
