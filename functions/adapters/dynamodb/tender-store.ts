import { TransactionCanceledException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ContractWrite } from '../../../domain/contracts/ports';
import { ConflictError, StaleVersionError } from '../../../domain/errors';
import { TemporarilyUnavailableError } from '../../shared/errors';
import type { Page, PageRequest } from '../../../domain/ports';
import type { AwardStore, AwardWrite, TenderStore, TenderWrite } from '../../../domain/tenders/ports';
import type { Bid, EvaluationTable, Lot, Tender, TenderFilter } from '../../../domain/tenders/schema';
import { entityTypes, keys } from './keys';
import { sendTransaction, VersionedItems, type RecordCodec } from './versioned-items';

/**
 * Tenders in the single table. The tender and its lots are one item (conditional on
 * `version`, so an award or a close is a compare-and-set); its bids, the lots' evaluation
 * tables and the lots' award guards are items of the tender's own partition.
 *
 * Evaluation tables live in items of their own, not inside the tender item: a unit-rate lot's
 * table prices every card item for every bid, and tens of them on a tender of several lots
 * would approach DynamoDB's 400 KB item limit. `get` puts them back on their lots; `list`
 * leaves them out (a listing does not need them).
 */

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * The transaction items of a new contract as the contracts store writes it (its keys, its
 * conditions: DynamoContractStore.itemsOf), so an award and its contract commit together.
 */
export type ContractItems = (write: ContractWrite) => TransactItem[];

/** One item of a transaction and the error its failed condition means. */
interface Entry {
  readonly item: TransactItem;
  readonly failed?: (reason: CancellationReason, cause: unknown) => Error;
}

interface StoredEvaluation {
  readonly tenantId: string;
  readonly tenderId: string;
  readonly lotId: string;
  /** The lot's `evaluatedAt` when the table was written: a table is attached only to that evaluation. */
  readonly evaluatedAt: string;
  readonly table: EvaluationTable;
}

const tenderCodec: RecordCodec<Tender> = {
  entity: entityTypes.tender,
  label: 'tender',
  key: (tender) => keys.tender(tender.tenantId, tender.tenderId),
  id: (tender) => tender.tenderId,
  version: (tender) => tender.version,
};

const bidCodec: RecordCodec<Bid> = {
  entity: entityTypes.bid,
  label: 'bid',
  key: (bid) => keys.bid(bid.tenantId, bid.tenderId, bid.lotId, bid.bidId),
  id: (bid) => bid.bidId,
  // Bids are written once and never change.
  version: () => 1,
};

const evaluationCodec: RecordCodec<StoredEvaluation> = {
  entity: entityTypes.lotEvaluation,
  label: 'lot evaluation',
  key: (stored) => keys.lotEvaluation(stored.tenantId, stored.tenderId, stored.lotId),
  id: (stored) => `${stored.tenderId}/${stored.lotId}`,
  version: () => 1,
};

export class DynamoTenderStore implements TenderStore, AwardStore {
  private readonly tenders: VersionedItems<Tender>;
  private readonly bidItems: VersionedItems<Bid>;
  private readonly evaluations: VersionedItems<StoredEvaluation>;

  /**
   * `contractItems` (the contracts store's) is needed by `saveAward` only; a store built
   * without it refuses to write awards rather than write an award without its contract.
   */
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly contractItems?: ContractItems,
  ) {
    this.tenders = new VersionedItems(client, tableName, tenderCodec);
    this.bidItems = new VersionedItems(client, tableName, bidCodec);
    this.evaluations = new VersionedItems(client, tableName, evaluationCodec);
  }

  async get(tenantId: string, tenderId: string): Promise<Tender | undefined> {
    const tender = await this.tenders.get(keys.tender(tenantId, tenderId));
    if (tender === undefined || !tender.lots.some((lot) => lot.evaluatedAt !== undefined)) return tender;
    const stored = await this.evaluations.all(this.partitionQuery(tenantId, tenderId, keys.lotEvaluationPrefix));
    const byLot = new Map(stored.map((each) => [each.lotId, each]));
    return {
      ...tender,
      lots: tender.lots.map((lot): Lot => {
        const evaluation = byLot.get(lot.lotId);
        // Written in the tender's own transaction, so they match; a table of another
        // evaluation is not this lot's, and the lot reads as not evaluated (evaluate again).
        return evaluation === undefined || evaluation.evaluatedAt !== lot.evaluatedAt ? lot : { ...lot, evaluationTable: evaluation.table };
      }),
    };
  }

  /** Newest first (tender ids are ULIDs); lots without their evaluation tables. */
  list(tenantId: string, filter: TenderFilter, page: PageRequest): Promise<Page<Tender>> {
    const pk = keys.tendersPartition(tenantId);
    const byStatus = filter.status !== 'all';
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ...(byStatus ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } } : {}),
      ExpressionAttributeValues: { ':pk': pk, ...(byStatus ? { ':status': filter.status } : {}) },
      ScanIndexForward: false,
    };
    return this.tenders.page(input, page, { pk }, ['pk', 'sk']);
  }

  async save({ tender, expectedVersion }: TenderWrite): Promise<void> {
    await this.transact(this.tenderEntries(tender, expectedVersion));
  }

  /** In recording order (bid ids are ULIDs of the recording instant). */
  async bids(tenantId: string, tenderId: string): Promise<readonly Bid[]> {
    const bids = await this.bidItems.all(this.partitionQuery(tenantId, tenderId, keys.bidPrefix));
    return bids.sort((a, b) => (a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0));
  }

  async saveBid(bid: Bid, tenderVersion: number): Promise<void> {
    // The bid's item, then its audit entry (kept: the entry commits with the bid).
    const [put, ...audit] = this.bidItems.itemsOf({ record: bid, expectedVersion: undefined });
    if (put === undefined) throw new Error('a bid write has one item');
    await this.transact([
      {
        item: {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.tender(bid.tenantId, bid.tenderId),
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': tenderVersion },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        failed: (reason, cause) => new StaleVersionError('tender', bid.tenderId, tenderVersion, versionOf(reason), { cause }),
      },
      { item: put, failed: (_reason, cause) => new ConflictError(`bid '${bid.bidId}' already exists`, { cause }) },
      ...audit.map((item): Entry => ({ item })),
    ]);
  }

  /**
   * The guard comes first: of two concurrent awards of a lot, the loser fails on it (and on
   * the tender version) and is told the lot was awarded (409), not that its version was stale.
   */
  async saveAward({ tender: write, lotId, contract }: AwardWrite): Promise<void> {
    if (this.contractItems === undefined) throw new Error('this tender store was built without the contracts store; it cannot write awards');
    const { tender } = write;
    const lot = tender.lots.find((each) => each.lotId === lotId);
    if (lot?.status !== 'awarded') throw new RangeError(`lot '${lotId}' of the tender to save is not awarded`);
    const guard: Entry = {
      item: {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.lotAward(tender.tenantId, tender.tenderId, lotId),
            entity: entityTypes.lotAward,
            tenantId: tender.tenantId,
            tenderId: tender.tenderId,
            lotId,
            bidId: lot.awardedBidId,
            contractId: contract.contractId,
            awardedAt: lot.awardedAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      },
      failed: (reason, cause) =>
        new ConflictError(`lot '${lotId}' of tender '${tender.tenderId}' was already awarded (draft contract ${stringOf(reason, 'contractId') ?? '?'})`, { cause }),
    };
    // The contract's items end with its audit entry, whose new key cannot clash.
    const contractEntries = this.contractItems({ contract, expectedVersion: undefined }).map(
      (item): Entry => ({ item, failed: (_reason, cause) => new ConflictError(`contract '${contract.contractId}' already exists`, { cause }) }),
    );
    await this.transact([guard, ...this.tenderEntries(tender, write.expectedVersion), ...contractEntries]);
  }

  /**
   * The tender item, without tables, and the tables this write produced: those stamped with
   * the write's own instant (`evaluatedTender` sets the lot's `evaluatedAt` and the tender's
   * `updatedAt` alike). Tables of earlier evaluations are already stored and stay as they are.
   */
  private tenderEntries(tender: Tender, expectedVersion: number | undefined): Entry[] {
    // The tender's item, then its audit entry (kept: the entry commits with the tender).
    const [put, ...audit] = this.tenders.itemsOf({ record: withoutTables(tender), expectedVersion });
    if (put === undefined) throw new Error('a tender write has one item');
    const entries: Entry[] = [
      {
        item: put,
        failed: (reason, cause) =>
          expectedVersion === undefined
            ? new ConflictError(`tender '${tender.tenderId}' already exists`, { cause })
            : new StaleVersionError('tender', tender.tenderId, expectedVersion, versionOf(reason), { cause }),
      },
      ...audit.map((item): Entry => ({ item })),
    ];
    for (const lot of tender.lots) {
      if (lot.evaluationTable === undefined || lot.evaluatedAt === undefined || lot.evaluatedAt !== tender.updatedAt) continue;
      const stored: StoredEvaluation = { tenantId: tender.tenantId, tenderId: tender.tenderId, lotId: lot.lotId, evaluatedAt: lot.evaluatedAt, table: lot.evaluationTable };
      entries.push({ item: { Put: { TableName: this.tableName, Item: { ...evaluationCodec.key(stored), entity: evaluationCodec.entity, ...stored } } } });
    }
    return entries;
  }

  private partitionQuery(tenantId: string, tenderId: string, prefix: string): QueryCommandInput {
    return {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenderPartition(tenantId, tenderId), ':prefix': prefix },
      ConsistentRead: true,
    };
  }

  private async transact(entries: readonly Entry[]): Promise<void> {
    const transactItems = entries.map((entry) => entry.item);
    try {
      await sendTransaction(this.client, { TransactItems: transactItems });
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      for (let index = 0; index < reasons.length; index += 1) {
        const reason = reasons[index];
        const failed = entries[index]?.failed;
        if (reason?.Code === 'ConditionalCheckFailed' && failed !== undefined) throw failed(reason, error);
      }
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) {
        throw new TemporarilyUnavailableError('the tender was being changed by another request at the same moment; read it again and retry', 1, { cause: error });
      }
      throw new Error(`tender write cancelled: ${reasons.map((reason) => reason.Code ?? 'None').join(', ')}`, { cause: error });
    }
  }
}

function withoutTables(tender: Tender): Tender {
  return { ...tender, lots: tender.lots.map(({ evaluationTable: _table, ...lot }): Lot => lot) };
}

/** The stored version in a cancellation reason (raw attribute values, as DynamoDB sends them). */
function versionOf(reason: CancellationReason): number | undefined {
  const value = reason.Item?.['version']?.N;
  return value === undefined ? undefined : Number(value);
}

function stringOf(reason: CancellationReason, name: string): string | undefined {
  return reason.Item?.[name]?.S;
}
