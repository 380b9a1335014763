import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { matchesContractorFilter } from '../../../domain/contractors/contractor';
import type { ContractorStore, ContractorWrite } from '../../../domain/contractors/ports';
import type { Contractor, ContractorFilter } from '../../../domain/contractors/schema';
import type { Page, PageRequest } from '../../../domain/ports';
import { decodeCursor, encodeCursor } from './cursor';
import { entityTypes, keys } from './keys';
import { VersionedItems, type RecordCodec } from './versioned-items';

const contractorCodec: RecordCodec<Contractor> = {
  entity: entityTypes.contractor,
  historyEntity: entityTypes.contractorVersion,
  label: 'contractor',
  key: (contractor) => keys.contractor(contractor.tenantId, contractor.contractorId),
  id: (contractor) => contractor.contractorId,
  version: (contractor) => contractor.version,
  historyKey: (contractor) => keys.contractorVersion(contractor.tenantId, contractor.contractorId, contractor.version),
};

/** Pinyin order for Chinese names, as the domain's fake store sorts; the id breaks ties. */
const collator = new Intl.Collator('zh');

/** What a list cursor holds: the partition it belongs to and the last (name, id) returned. */
const listCursorAttributes = ['pk', 'name', 'contractorId'] as const;

function byName(a: Pick<Contractor, 'name' | 'contractorId'>, b: Pick<Contractor, 'name' | 'contractorId'>): number {
  return collator.compare(a.name, b.name) || (a.contractorId < b.contractorId ? -1 : a.contractorId > b.contractorId ? 1 : 0);
}

/**
 * Contractors in the single table: current state in one tenant partition, plus one item per
 * version (history: suspensions and listings are audit-relevant). The id derives from the
 * code, so "one contractor per code per tenant" is the codec's put-if-absent.
 */
export class DynamoContractorStore implements ContractorStore {
  private readonly items: VersionedItems<Contractor>;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, contractorCodec);
  }

  get(tenantId: string, contractorId: string): Promise<Contractor | undefined> {
    return this.items.get(keys.contractor(tenantId, contractorId));
  }

  async getMany(tenantId: string, contractorIds: readonly string[]): Promise<ReadonlyMap<string, Contractor>> {
    const found = await this.items.getMany(contractorIds.map((id) => keys.contractor(tenantId, id)));
    return new Map(found.map((contractor) => [contractor.contractorId, contractor]));
  }

  /**
   * Ordered by name, searched by name part or code prefix. A tenant holds hundreds of
   * contractors, so the whole partition is read (status and listing filtered by DynamoDB) and
   * the search and the order are applied here: the domain's `matchesContractorFilter` folds
   * full-width and case, which no FilterExpression can, and no key can order by a name that
   * changes. The cursor is the last (name, id) returned, so a page never repeats or skips a
   * contractor registered between two pages.
   */
  async list(tenantId: string, filter: ContractorFilter, page: PageRequest): Promise<Page<Contractor>> {
    const pk = keys.contractorsPartition(tenantId);
    const after = decodeCursor(page.cursor, { pk }, listCursorAttributes);
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':pk': pk };
    if (filter.status !== 'all') {
      conditions.push('#status = :status');
      names['#status'] = 'status';
      values[':status'] = filter.status;
    }
    if (filter.listing !== undefined) {
      conditions.push('#listing.#listingStatus = :listing');
      names['#listing'] = 'listing';
      names['#listingStatus'] = 'status';
      values[':listing'] = filter.listing;
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ...(conditions.length > 0 ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      // A contractor registered a moment ago must be found by the search that follows.
      ConsistentRead: true,
    };
    const matching = (await this.items.all(input))
      .filter((contractor) => matchesContractorFilter(contractor, filter))
      .sort(byName)
      .filter((contractor) => after === undefined || byName(contractor, { name: after['name'] ?? '', contractorId: after['contractorId'] ?? '' }) > 0);
    const items = matching.slice(0, page.limit);
    const last = items[items.length - 1];
    if (matching.length <= page.limit || last === undefined) return { items };
    return { items, nextCursor: encodeCursor({ pk, name: last.name, contractorId: last.contractorId }) };
  }

  history(tenantId: string, contractorId: string, page: PageRequest): Promise<Page<Contractor>> {
    const pk = keys.contractorVersionsPartition(tenantId, contractorId);
    return this.items.page(
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ScanIndexForward: false },
      page,
      { pk },
      ['pk', 'sk'],
    );
  }

  save(write: ContractorWrite): Promise<void> {
    return this.items.save({ record: write.contractor, expectedVersion: write.expectedVersion });
  }
}
