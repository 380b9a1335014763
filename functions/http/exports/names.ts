import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ExportNames, StatementExportSubject } from '../../../domain/payments/export-table';
import { keys } from '../../adapters/dynamodb/keys';
import type { NameReader } from '../../adapters/dynamodb/names';

/**
 * The names a statement export shows instead of ids (issue 15): the district's name and zone
 * from the tenant item (keys.ts `tenant`: `name`, `zone`), the contract's title, the
 * contractor's name and the names of the segments the lines list, with one BatchGet
 * (shared/names.ts). Read at export time, as the other answers read names: a renamed road shows
 * its name of the day of the export.
 */
export function exportNamesReader(client: DynamoDBDocumentClient, tableName: string, read: NameReader): (subject: StatementExportSubject) => Promise<ExportNames> {
  return async (subject) => {
    const segmentIds = new Set(subject.statement.lines.flatMap((line) => line.sources.segmentIds ?? []));
    const [tenant, index] = await Promise.all([
      client.send(new GetCommand({ TableName: tableName, Key: keys.tenant(subject.tenantId), ProjectionExpression: '#name, #zone', ExpressionAttributeNames: { '#name': 'name', '#zone': 'zone' } })),
      read(subject.tenantId, { contractIds: [subject.contractId], contractorIds: [subject.contractorId], segmentIds }),
    ]);
    const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);
    const tenantName = text(tenant.Item?.['name']);
    const zone = text(tenant.Item?.['zone']);
    const contractTitle = index.contracts.get(subject.contractId);
    const contractorName = index.contractors.get(subject.contractorId);
    return {
      ...(tenantName === undefined ? {} : { tenantName }),
      ...(zone === undefined ? {} : { zone }),
      ...(contractTitle === undefined ? {} : { contractTitle }),
      ...(contractorName === undefined ? {} : { contractorName }),
      segmentNames: Object.fromEntries([...index.segments].map(([id, segment]) => [id, segment.name])),
    };
  };
}
