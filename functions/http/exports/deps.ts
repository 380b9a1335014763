import type { ReadExportJobDeps, RequestExportDeps } from '../../../domain/payments/export-jobs';
import type { StatementStore } from '../../../domain/payments/ports';
import { DynamoExportJobStore } from '../../adapters/dynamodb/export-job-store';
import { DynamoStatementStore } from '../../adapters/dynamodb/statement-store';
import { S3ExportStore } from '../../adapters/export/s3-exports';
import { documentClient } from '../../shared/clients';
import { env } from '../../shared/env';
import { systemClock, ulidIds } from '../../shared/system';

/**
 * What the exports Lambda's routes need. No XLSX writer and no names: the files are written by
 * the export worker (functions/events/export-worker.ts, issue 16), so exceljs is not in this
 * Lambda's bundle at all.
 */
export type ExportModuleDeps = RequestExportDeps & ReadExportJobDeps & { readonly statements: Pick<StatementStore, 'listMonth' | 'getComputation'> };

let deps: ExportModuleDeps | undefined;

/** Built once per container, at first use, so importing the module reads no environment. */
export function exportDeps(): ExportModuleDeps {
  if (deps !== undefined) return deps;
  const statements = new DynamoStatementStore(documentClient(), env.mainTable);
  deps = {
    statements,
    statement: (tenantId, contractId, month) => statements.get(tenantId, contractId, month),
    jobs: new DynamoExportJobStore(documentClient(), env.mainTable),
    objects: new S3ExportStore(),
    ids: ulidIds,
    clock: systemClock,
  };
  return deps;
}
