import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StatementExportSubject } from '../../../domain/payments/export-table';
import { keys } from './keys';

/**
 * The current statement record of a contract-month, as an export reads it: one consistent
 * GetItem of the item DynamoStatementStore.get reads (keys.ts `statement`). On its own rather
 * than through the store because the store's module brings the audit log and its zod schemas,
 * which the export worker's bundle has no use for (issue 16: test/bench/bundles.ts).
 */
export function dynamoStatementSubject(client: DynamoDBDocumentClient, tableName: string): (tenantId: string, contractId: string, month: string) => Promise<StatementExportSubject | undefined> {
  return async (tenantId, contractId, month) => {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: keys.statement(tenantId, month, contractId), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...record } = Item;
    return record as unknown as StatementExportSubject;
  };
}
