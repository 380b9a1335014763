import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '../../../domain/ports';
import type { ScheduleStore, StandardWrite, StoredCalendar, StoredException, StoredStandard } from '../../../domain/schedule/ports';
import { entityTypes, keys } from './keys';
import { VersionedItems, type RecordCodec } from './versioned-items';

const standardCodec: RecordCodec<StoredStandard> = {
  entity: entityTypes.standard,
  historyEntity: entityTypes.standardVersion,
  label: 'standard',
  key: (standard) => keys.standard(standard.tenantId, standard.standardId),
  id: (standard) => standard.standardId,
  version: (standard) => standard.version,
  historyKey: (standard) => keys.standardVersion(standard.tenantId, standard.standardId, standard.version),
};

const exceptionCodec: RecordCodec<StoredException> = {
  entity: entityTypes.scheduleException,
  label: 'schedule exception',
  key: (exception) => keys.scheduleException(exception.tenantId, exception.exceptionId),
  id: (exception) => exception.exceptionId,
  version: (exception) => exception.version,
};

const calendarCodec: RecordCodec<StoredCalendar> = {
  entity: entityTypes.tenantCalendar,
  label: 'calendar',
  key: (calendar) => keys.tenantCalendar(calendar.tenantId, calendar.year),
  id: (calendar) => String(calendar.year),
  version: (calendar) => calendar.version,
};

/**
 * Standards (latest item plus one item per version, so contracts naming an old version still
 * resolve), schedule exceptions (one item each, never deleted) and tenant calendars (one per
 * year) in the single table.
 */
export class DynamoScheduleStore implements ScheduleStore {
  private readonly standards: VersionedItems<StoredStandard>;
  private readonly exceptions: VersionedItems<StoredException>;
  private readonly calendars: VersionedItems<StoredCalendar>;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.standards = new VersionedItems(client, tableName, standardCodec);
    this.exceptions = new VersionedItems(client, tableName, exceptionCodec);
    this.calendars = new VersionedItems(client, tableName, calendarCodec);
  }

  getStandard(tenantId: string, standardId: string, version?: number): Promise<StoredStandard | undefined> {
    return this.standards.get(version === undefined ? keys.standard(tenantId, standardId) : keys.standardVersion(tenantId, standardId, version));
  }

  listStandards(tenantId: string, page: PageRequest): Promise<Page<StoredStandard>> {
    const pk = keys.standardsPartition(tenantId);
    return this.standards.page(
      { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } },
      page,
      { pk },
      ['pk', 'sk'],
    );
  }

  saveStandard(write: StandardWrite): Promise<void> {
    return this.standards.save({ record: write.standard, expectedVersion: write.expectedVersion });
  }

  getException(tenantId: string, exceptionId: string): Promise<StoredException | undefined> {
    return this.exceptions.get(keys.scheduleException(tenantId, exceptionId));
  }

  listExceptions(tenantId: string): Promise<readonly StoredException[]> {
    return this.exceptions.all({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.scheduleExceptionsPartition(tenantId) },
      ConsistentRead: true,
    });
  }

  saveException(exception: StoredException, expectedVersion: number | undefined): Promise<void> {
    return this.exceptions.save({ record: exception, expectedVersion });
  }

  getCalendar(tenantId: string, year: number): Promise<StoredCalendar | undefined> {
    return this.calendars.get(keys.tenantCalendar(tenantId, year));
  }

  saveCalendar(calendar: StoredCalendar, expectedVersion: number | undefined): Promise<void> {
    return this.calendars.save({ record: calendar, expectedVersion });
  }
}
