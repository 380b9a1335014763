import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../../domain/ports';
import type { NoticeStore, RankingNotice } from '../../../domain/payments/standings';
import { entityTypes, keys } from './keys';
import { VersionedItems, withRequestToken, type RecordCodec } from './versioned-items';

const noticeCodec: RecordCodec<RankingNotice> = {
  entity: entityTypes.rankingNotice,
  label: 'ranking notice',
  key: (notice) => keys.rankingNotice(notice.tenantId, notice.period, notice.kind, notice.contractId),
  id: (notice) => notice.noticeId,
  // Written once and never changed.
  version: () => 1,
};

/**
 * Ranking notices (domain/payments/standings.ts) in the tenant's notices partition: each
 * written once with a put-if-absent (in one transaction with its audit entry), so a rerun of
 * the close raises nothing twice and keeps the first notice's score and time.
 */
export class DynamoRankingNoticeStore implements NoticeStore {
  private readonly items: VersionedItems<RankingNotice>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, noticeCodec);
  }

  async raise(notices: readonly RankingNotice[]): Promise<readonly RankingNotice[]> {
    const written: RankingNotice[] = [];
    for (const notice of notices) {
      // The notice's conditional put, then its audit entry (VersionedItems.itemsOf).
      const transactItems = this.items.itemsOf({ record: notice, expectedVersion: undefined });
      try {
        await this.client.send(new TransactWriteCommand(withRequestToken({ TransactItems: transactItems })));
        written.push(notice);
      } catch (error) {
        if (!(error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed')) throw error;
      }
    }
    return written;
  }

  /** Period descending (quarters of a year sort after its months). */
  list(tenantId: string, page: PageRequest): Promise<Page<RankingNotice>> {
    const pk = keys.rankingNotices(tenantId);
    return this.items.page(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.rankingNoticePrefix },
        ScanIndexForward: false,
      },
      page,
      { pk },
      ['pk', 'sk'],
    );
  }
}
