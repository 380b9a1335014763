import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../../domain/errors';
import { entityTypes, keys } from './keys';
import { backoff, type GuardItem } from './versioned-items';

/**
 * Photo claims: one item per (tenant, sha-256) naming the proof that used the photo first
 * (issue 5: "no photo (sha-256) ever used by another proof of the tenant — enforced with a
 * uniqueness record written in the same DynamoDB transaction as the proof, never by a
 * scan"). Shared by every subject kind (tasks, rectification orders, work orders): a photo
 * used for a task cannot prove a rectification, and the other way round.
 *
 * A claim is written once (attribute_not_exists) and never changed: a rejected proof keeps
 * its photos, so a rejected photo cannot be resubmitted as new evidence either.
 */

export interface PhotoClaim {
  readonly sha256: string;
  readonly proofId: string;
  /** The proof's subject id (`tsk_…`, `rec_…`, `wo_…`). */
  readonly subjectId: string;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const maxBatchGet = 100;
const claimMessage = /photo sha-256 ([0-9a-f]{64}) is already used by another proof/;

/** The conflict message of a claim guard: names the hash, and `takenClaimOf` reads it back. */
export function photoClaimMessage(sha256: string): string {
  return `photo sha-256 ${sha256} is already used by another proof`;
}

/** The same in Chinese (zh-CN). */
export function photoClaimMessageZh(sha256: string): string {
  return `照片 sha-256 ${sha256} 已被另一份凭证使用`;
}

/**
 * One guard per DISTINCT hash (a transaction may not touch an item twice), each put only
 * where no claim exists. For VersionedItems.save(write, guards) or `guardTransactItem`.
 */
export function photoClaimGuards(tenantId: string, claims: readonly PhotoClaim[]): GuardItem[] {
  const distinct = new Map(claims.map((claim) => [claim.sha256, claim]));
  return [...distinct.values()].map((claim) => ({
    key: keys.photoClaim(tenantId, claim.sha256),
    attributes: { entity: entityTypes.photoClaim, tenantId, sha256: claim.sha256, proofId: claim.proofId, subjectId: claim.subjectId },
    condition: { expression: 'attribute_not_exists(pk)' },
    message: photoClaimMessage(claim.sha256),
    messageZh: photoClaimMessageZh(claim.sha256),
  }));
}

/** A guard as a TransactWriteItems Put, for stores that compose their own transactions. */
export function guardTransactItem(tableName: string, guard: GuardItem): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: { ...guard.key, entity: 'Guard', ...guard.attributes },
      ConditionExpression: guard.condition?.expression ?? 'attribute_not_exists(pk)',
      ...(guard.condition?.names === undefined ? {} : { ExpressionAttributeNames: guard.condition.names }),
      ...(guard.condition?.values === undefined ? {} : { ExpressionAttributeValues: guard.condition.values }),
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * The claims held on these hashes (consistent reads; unprocessed keys retried with backoff):
 * sha-256 → the proof and subject that hold it. Hashes without a claim are absent.
 */
export async function findPhotoClaims(
  client: DynamoDBDocumentClient,
  tableName: string,
  tenantId: string,
  hashes: readonly string[],
): Promise<Map<string, { proofId: string; subjectId: string }>> {
  const found = new Map<string, { proofId: string; subjectId: string }>();
  const unique = [...new Set(hashes)];
  for (let start = 0; start < unique.length; start += maxBatchGet) {
    let pending: Record<string, unknown>[] | undefined = unique.slice(start, start + maxBatchGet).map((sha256) => ({ ...keys.photoClaim(tenantId, sha256) }));
    for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
      if (attempt > 8) throw new Error(`BatchGet left ${pending.length} photo claim keys unprocessed after ${attempt} attempts`);
      if (attempt > 0) await backoff(attempt);
      const result = await client.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
      for (const item of result.Responses?.[tableName] ?? []) {
        const { sha256, proofId, subjectId } = item as { sha256?: unknown; proofId?: unknown; subjectId?: unknown };
        if (typeof sha256 === 'string' && typeof proofId === 'string') found.set(sha256, { proofId, subjectId: typeof subjectId === 'string' ? subjectId : '' });
      }
      pending = result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined;
    }
  }
  return found;
}

/** A claim a transaction lost on: the hash, and the holder when the cancellation returned it. */
export interface TakenClaim {
  readonly sha256: string;
  readonly proofId?: string;
}

/**
 * Which photo claim made a write fail, or undefined when the failure was not a claim:
 * - a ConflictError from VersionedItems.save(write, photoClaimGuards(...)) (its message names
 *   the hash; the cause chain is followed);
 * - a raw TransactionCanceledException of a transaction the caller composed, given where the
 *   claim puts sit in it (`claims.start`, and the hashes in the order of the guards).
 * The holder's proof id comes from the cancellation's ALL_OLD item when present; callers
 * that need it for certain re-read the claim with `findPhotoClaims`.
 */
export function takenClaimOf(error: unknown, claims?: { readonly start: number; readonly hashes: readonly string[] }): TakenClaim | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (current instanceof TransactionCanceledException && claims !== undefined) {
      const reasons = current.CancellationReasons ?? [];
      for (let i = 0; i < claims.hashes.length; i += 1) {
        const reason = reasons[claims.start + i];
        if (reason?.Code !== 'ConditionalCheckFailed') continue;
        const holder = reason.Item?.['proofId']?.S;
        return { sha256: claims.hashes[i]!, ...(holder === undefined ? {} : { proofId: holder }) };
      }
      return undefined;
    }
    if (current instanceof ConflictError) {
      const match = claimMessage.exec(current.message);
      if (match !== null) return { sha256: match[1]! };
    }
    if (!(current instanceof Error)) return undefined;
  }
  return undefined;
}
