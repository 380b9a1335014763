import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConflictError, StaleVersionError } from '../../../domain/errors';
import { TemporarilyUnavailableError } from '../../shared/errors';
import type { Page, PageRequest } from '../../../domain/ports';
import type { AcceptedWrite, FlaggedProofFilter, ProofStore } from '../../../domain/proofs/ports';
import { inFlaggedQueue, type Proof, type ProofStatus } from '../../../domain/proofs/schema';
import { mainTable } from '../../../infra/definitions';
import type { TaskOutcome, TaskRef } from '../../../domain/schedule/outcomes';
import { entityTypes, keys } from './keys';
import { findPhotoClaims, guardTransactItem, photoClaimGuards, takenClaimOf } from './photo-claims';
import { taskOutcomeAuditPut } from './task-outcome-store';
import { VersionedItems, stripKeys, sendTransaction, type RecordCodec } from './versioned-items';

/**
 * Proofs in their contract-day partition (keys.proof), found by id through a pointer item
 * written in the same transaction (keys.proofPointer). Accepting a proof is ONE transaction:
 * the proof, its pointer, one photo claim per distinct sha-256, and the task outcome 'done'
 * on condition that the task has none, or 'missed', or 'rejected'. A cancelled transaction
 * wrote nothing; the reasons say which item lost (a photo claim, the outcome), so the use case
 * answers with the proof that won. Every transaction carries a ClientRequestToken derived
 * from its items, so an SDK retry of one that did go through is a no-op, not a false conflict.
 * The proof and the task outcome each carry their audit entry in the same transaction.
 *
 * The flagged-proof queue (issue 14) is a sparse key on the proof item itself (keys.flaggedProof,
 * in the table's one GSI): every write of a proof version computes it from `inFlaggedQueue`, so
 * an accepted flagged proof enters the queue in its accepting transaction and leaves it in its
 * rejecting one, with nothing else to keep in step. The index is eventually consistent: a proof
 * rejected a moment ago may still be listed (with its old status and version) for that moment.
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const proofCodec: RecordCodec<Proof> = {
  entity: entityTypes.proof,
  label: 'proof',
  key: (proof) => keys.proof(proof.tenantId, proof.contractId, proof.localDate, proof.proofId),
  id: (proof) => proof.proofId,
  version: (proof) => proof.version,
  indexKeys: (proof) => (inFlaggedQueue(proof) ? keys.flaggedProof(proof.tenantId, proof.localDate, proof.proofId) : {}),
};

/** The table's one GSI, whose generic key attributes (gsi1pk, gsi1sk) the queue shares with segments by street. */
const queueIndex = mainTable.globalSecondaryIndexes.find((index) => index.partitionKey.name === 'gsi1pk' && index.sortKey.name === 'gsi1sk')!.indexName;

interface ProofPointer {
  readonly contractId: string;
  readonly localDate: string;
}

export class DynamoProofStore implements ProofStore {
  private readonly items: VersionedItems<Proof>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, proofCodec);
  }

  async get(tenantId: string, proofId: string): Promise<Proof | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.proofPointer(tenantId, proofId), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    const pointer = Item as unknown as ProofPointer;
    return this.items.get(keys.proof(tenantId, pointer.contractId, pointer.localDate, proofId));
  }

  listByContractDay(tenantId: string, contractId: string, localDate: string, filter: { readonly status?: ProofStatus }, page: PageRequest): Promise<Page<Proof>> {
    const pk = keys.proofsPartition(tenantId, contractId, localDate);
    return this.items.page(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.proofPrefix, ...(filter.status === undefined ? {} : { ':status': filter.status }) },
        ...(filter.status === undefined ? {} : { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }),
        ConsistentRead: true,
      },
      page,
      { pk },
      ['pk', 'sk'],
    );
  }

  listFlagged(tenantId: string, filter: FlaggedProofFilter, page: PageRequest): Promise<Page<Proof>> {
    const pk = keys.flaggedProofsPartition(tenantId);
    const ranged = filter.from !== undefined || filter.to !== undefined;
    // '#' then the proof id ([0-9a-z_]) sorts below '~': `{to}#~` closes the last day.
    const values: Record<string, string> = ranged
      ? { ':pk': pk, ':from': `${keys.flaggedProofPrefix}${filter.from ?? '0000-01-01'}#`, ':to': `${keys.flaggedProofPrefix}${filter.to ?? '9999-12-31'}#~` }
      : { ':pk': pk, ':prefix': keys.flaggedProofPrefix };
    return this.items.page(
      {
        TableName: this.tableName,
        IndexName: queueIndex,
        KeyConditionExpression: ranged ? 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to' : 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ...values, ...(filter.contractId === undefined ? {} : { ':contractId': filter.contractId }) },
        ...(filter.contractId === undefined ? {} : { FilterExpression: '#contractId = :contractId', ExpressionAttributeNames: { '#contractId': 'contractId' } }),
        ScanIndexForward: false,
      },
      page,
      { gsi1pk: pk },
      ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    );
  }

  allByContractDay(tenantId: string, contractId: string, localDate: string): Promise<readonly Proof[]> {
    return this.items.all({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.proofsPartition(tenantId, contractId, localDate), ':prefix': keys.proofPrefix },
      ConsistentRead: true,
    });
  }

  async findClaims(tenantId: string, hashes: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const claims = await findPhotoClaims(this.client, this.tableName, tenantId, hashes);
    return new Map([...claims].map(([sha256, claim]) => [sha256, claim.proofId]));
  }

  async getOutcome(tenantId: string, task: TaskRef): Promise<TaskOutcome | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.taskOutcome(tenantId, task.contractId, task.localDate, task.taskId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : stripKeys<TaskOutcome>(Item);
  }

  async recordAccepted(proof: Proof, outcome: TaskOutcome): Promise<AcceptedWrite> {
    const guards = photoClaimGuards(proof.tenantId, proof.photoHashes.map((sha256) => ({ sha256, proofId: proof.proofId, subjectId: proof.subject.id })));
    const head = [...this.proofItems(proof)];
    const claimStart = head.length;
    const outcomeIndex = claimStart + guards.length;
    const transactItems: TransactItem[] = [
      ...head,
      ...guards.map((guard) => guardTransactItem(this.tableName, guard)),
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.taskOutcome(outcome.tenantId, outcome.contractId, outcome.localDate, outcome.taskId), entity: entityTypes.taskOutcome, ...outcome },
          // 'missed': captured in the window, submitted after the sweep; 'rejected': a new proof after a rejection.
          ConditionExpression: 'attribute_not_exists(pk) OR #status IN (:missed, :rejected)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':missed': 'missed', ':rejected': 'rejected' },
        },
      },
      taskOutcomeAuditPut(outcome),
    ];
    try {
      await this.transact(transactItems);
      return { status: 'recorded' };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const hashes = guards.map((guard) => String(guard.attributes?.['sha256']));
      const taken = takenClaimOf(error, { start: claimStart, hashes });
      if (taken !== undefined) return { status: 'photo-claimed', sha256: taken.sha256, ...(taken.proofId === undefined ? {} : { otherProofId: taken.proofId }) };
      const reasons = error.CancellationReasons ?? [];
      if (reasons[outcomeIndex]?.Code === 'ConditionalCheckFailed') return { status: 'outcome-taken' };
      throw this.cancelled(error, `proof ${proof.proofId}`);
    }
  }

  async recordRefused(proof: Proof): Promise<void> {
    try {
      await this.transact(this.proofItems(proof));
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw this.cancelled(error, `proof ${proof.proofId}`);
      throw error;
    }
  }

  async recordReview(proof: Proof, expectedVersion: number, outcome: TaskOutcome, outcomeFrom: TaskOutcome['status']): Promise<void> {
    const proofItems = this.items.itemsOf({ record: proof, expectedVersion });
    const outcomeIndex = proofItems.length;
    const transactItems: TransactItem[] = [
      ...proofItems,
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.taskOutcome(outcome.tenantId, outcome.contractId, outcome.localDate, outcome.taskId), entity: entityTypes.taskOutcome, ...outcome },
          ConditionExpression: '#status = :from AND #source.#proofId = :proofId',
          ExpressionAttributeNames: { '#status': 'status', '#source': 'source', '#proofId': 'proofId' },
          ExpressionAttributeValues: { ':from': outcomeFrom, ':proofId': proof.proofId },
        },
      },
      taskOutcomeAuditPut(outcome),
    ];
    try {
      await this.transact(transactItems);
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') {
        const actual = reasons[0].Item?.['version']?.N;
        throw new StaleVersionError('proof', proof.proofId, expectedVersion, actual === undefined ? undefined : Number(actual), { cause: error });
      }
      if (reasons[outcomeIndex]?.Code === 'ConditionalCheckFailed') {
        throw new ConflictError(`task ${outcome.taskId} is no longer ${outcomeFrom} by proof ${proof.proofId}; nothing was written`, {
          cause: error,
          zh: `作业任务 ${outcome.taskId} 的状态已不再由作业凭证 ${proof.proofId} 决定（${outcomeFrom}）；未写入任何内容`,
        });
      }
      throw this.cancelled(error, `review of proof ${proof.proofId}`);
    }
  }

  /** The proof (new) with its audit entry, and its pointer. */
  private proofItems(proof: Proof): TransactItem[] {
    return [
      ...this.items.itemsOf({ record: proof, expectedVersion: undefined }),
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.proofPointer(proof.tenantId, proof.proofId), entity: entityTypes.proofPointer, tenantId: proof.tenantId, proofId: proof.proofId, contractId: proof.contractId, localDate: proof.localDate },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
  }

  private async transact(transactItems: TransactItem[]): Promise<void> {
    await sendTransaction(this.client, { TransactItems: transactItems });
  }

  /** A cancellation that is not a lost condition: a concurrent transaction (retry) or worse. */
  private cancelled(error: TransactionCanceledException, what: string): Error {
    const reasons = error.CancellationReasons ?? [];
    if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
      return new TemporarilyUnavailableError(`${what} met another request on the same items at the same moment; nothing was written, retry`, 1, { cause: error });
    }
    return new Error(`${what} write cancelled: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`, { cause: error });
  }
}
