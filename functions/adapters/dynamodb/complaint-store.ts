import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ComplaintStore, ComplaintWrite, RequestedBetweenFilter } from '../../../domain/complaints/ports';
import type { Complaint, ComplaintStatus } from '../../../domain/complaints/schema';
import type { Page, PageRequest } from '../../../domain/ports';
import { entityTypes, keys } from './keys';
import { VersionedItems, type RecordCodec } from './versioned-items';

/**
 * Complaints in the single table: one item per complaint in the tenant's complaints
 * partition, sort key `CMP#cmp_<ULID>`. A ULID starts with its 48-bit millisecond time, so
 * "requested between" is one key range of one Query (Open311 GET requests.json) and "newest
 * first" is a backward Query (the internal queue). Status and service code are small filters.
 * No history items: the record carries its verifications and reopens.
 */
const complaintCodec: RecordCodec<Complaint> = {
  entity: entityTypes.complaint,
  label: 'complaint',
  key: (complaint) => keys.complaint(complaint.tenantId, complaint.complaintId),
  id: (complaint) => complaint.complaintId,
  version: (complaint) => complaint.version,
};

/** Crockford base32, lowercased as complaint ids store it (domain/ids.ts prefixedUlid). */
const crockford = '0123456789abcdefghjkmnpqrstvwxyz';

/** The 10-character time part of a ULID for `ms` (ULID spec: 48-bit big-endian milliseconds). */
export function ulidTimePart(ms: number): string {
  let rest = Math.max(0, Math.floor(ms));
  let out = '';
  for (let i = 0; i < 10; i += 1) {
    out = crockford[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/**
 * The id's time and the record's `requestedAt` come from two ports (ids, clock) read a moment
 * apart; the key range is widened by this much and the exact bounds applied as a filter.
 */
const idClockSlackMs = 60_000;

function inList(attribute: string, prefix: string, values: readonly string[]): { expression: string; values: Record<string, string> } {
  const names = values.map((_, index) => `:${prefix}${index}`);
  return { expression: `#${attribute} IN (${names.join(', ')})`, values: Object.fromEntries(values.map((value, index) => [names[index]!, value])) };
}

export class DynamoComplaintStore implements ComplaintStore {
  private readonly items: VersionedItems<Complaint>;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.items = new VersionedItems(client, tableName, complaintCodec);
  }

  get(tenantId: string, complaintId: string): Promise<Complaint | undefined> {
    return this.items.get(keys.complaint(tenantId, complaintId));
  }

  async getMany(tenantId: string, complaintIds: readonly string[]): Promise<ReadonlyMap<string, Complaint>> {
    const found = await this.items.getMany(complaintIds.map((id) => keys.complaint(tenantId, id)));
    return new Map(found.map((complaint) => [complaint.complaintId, complaint]));
  }

  list(tenantId: string, filter: { readonly status?: ComplaintStatus }, page: PageRequest): Promise<Page<Complaint>> {
    const pk = keys.complaintsPartition(tenantId);
    return this.items.page(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ...(filter.status === undefined ? {} : { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }),
        ExpressionAttributeValues: { ':pk': pk, ':prefix': keys.complaintPrefix, ...(filter.status === undefined ? {} : { ':status': filter.status }) },
        ScanIndexForward: false,
      },
      page,
      { pk },
      ['pk', 'sk'],
    );
  }

  async listRequestedBetween(tenantId: string, from: string, to: string, filter: RequestedBetweenFilter, limit: number): Promise<readonly Complaint[]> {
    const pk = keys.complaintsPartition(tenantId);
    const conditions = ['#requestedAt BETWEEN :from AND :to'];
    const names: Record<string, string> = { '#requestedAt': 'requestedAt' };
    let values: Record<string, unknown> = { ':from': from, ':to': to };
    if (filter.statuses !== undefined && filter.statuses.length > 0) {
      const list = inList('status', 'st', filter.statuses);
      conditions.push(list.expression);
      names['#status'] = 'status';
      values = { ...values, ...list.values };
    }
    if (filter.serviceCodes !== undefined && filter.serviceCodes.length > 0) {
      const list = inList('serviceCode', 'sc', filter.serviceCodes);
      conditions.push(list.expression);
      names['#serviceCode'] = 'serviceCode';
      values = { ...values, ...list.values };
    }
    const input: QueryCommandInput = {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
      FilterExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: {
        ':pk': pk,
        ':low': `${keys.complaintPrefix}cmp_${ulidTimePart(Date.parse(from) - idClockSlackMs)}`,
        // '~' sorts after every base32 character: the whole last millisecond is in range.
        ':high': `${keys.complaintPrefix}cmp_${ulidTimePart(Date.parse(to) + idClockSlackMs)}~`,
        ...values,
      },
      ScanIndexForward: false,
    };
    const page = await this.items.page(input, { limit }, { pk }, ['pk', 'sk']);
    return page.items;
  }

  async save(write: ComplaintWrite): Promise<void> {
    await this.items.save({ record: write.complaint, expectedVersion: write.expectedVersion });
  }
}
