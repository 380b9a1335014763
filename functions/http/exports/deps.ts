import type { ExportDeps } from '../../../domain/payments/export-statement';
import type { StatementStore } from '../../../domain/payments/ports';
import { DynamoStatementStore } from '../../adapters/dynamodb/statement-store';
import { S3ExportStore } from '../../adapters/export/s3-exports';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock } from '../../shared/system';
import { dynamoNames } from '../shared/names';
import { exportNamesReader } from './names';

export type ExportModuleDeps = ExportDeps & { readonly statements: Pick<StatementStore, 'listMonth' | 'getComputation'> };

let deps: ExportModuleDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function exportDeps(): ExportModuleDeps {
  if (deps !== undefined) return deps;
  const statements = new DynamoStatementStore(documentClient(), env.mainTable);
  deps = {
    statements,
    statement: (tenantId, contractId, month) => statements.get(tenantId, contractId, month),
    objects: new S3ExportStore(),
    // exceljs (its chunk alone is most of the bundle) is imported by the first XLSX export only.
    xlsx: async (tables) => (await import('../../adapters/export/xlsx')).xlsxOf(tables),
    names: exportNamesReader(documentClient(), env.mainTable, dynamoNames(documentClient(), env.mainTable)),
    clock: systemClock,
  };
  return deps;
}
