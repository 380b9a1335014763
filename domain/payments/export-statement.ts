import { NotFoundError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Clock } from '../ports';
import { csvOf, exportKey, exportTables, type ExportFormat, type ExportLanguage, type ExportTables, type StatementExportSubject } from './export-table';

/**
 * Exporting a statement (issue 7 Exports): the XLSX or CSV of a contract-month's current
 * record is written to the exports bucket under `exports/{tenant}/{contract}/{month}/
 * {computeVersion}-{lang}.{ext}` and handed back as a presigned GET valid for five minutes.
 * The object is rewritten on every request, so a statement approved after an earlier export of
 * the same computation gets its protected workbook.
 */

/** Five minutes: long enough to click, short enough that a forwarded link soon stops working. */
export const exportLinkSeconds = 300;

/** The exports bucket (functions/adapters/export/s3-exports.ts). */
export interface ExportObjectStore {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
}

export interface ExportDeps {
  /** The current record of a contract-month (statements core `getStatement` reads the same store). */
  readonly statement: (tenantId: string, contractId: string, month: string) => Promise<StatementExportSubject | undefined>;
  readonly objects: ExportObjectStore;
  /** The XLSX writer (exceljs lives in the adapter, not in domain). */
  readonly xlsx: (tables: ExportTables) => Promise<Uint8Array>;
  readonly clock: Clock;
}

export interface ExportRequest {
  readonly contractId: string;
  readonly month: string;
  readonly format: ExportFormat;
  readonly lang: ExportLanguage;
}

export interface ExportResult {
  readonly key: string;
  readonly url: string;
  /** ISO instant the link stops working. */
  readonly expiresAt: string;
}

const contentTypes: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** Finance only (policy `statement:export`); 404 when the contract-month has no statement. */
export async function exportStatement(deps: ExportDeps, actor: Actor, request: ExportRequest): Promise<ExportResult> {
  authorize(actor, 'statement:export');
  const subject = await deps.statement(actor.tenantId, request.contractId, request.month);
  if (subject === undefined) throw new NotFoundError('statement', `${request.contractId}/${request.month}`);
  authorize(actor, 'statement:export', { tenantId: subject.tenantId, contractorId: subject.contractorId });
  const tables = exportTables(subject, request.lang);
  // CSV: the lines, as the issue says ("CSV of the same lines").
  const body = request.format === 'xlsx' ? await deps.xlsx(tables) : csvOf(tables.lines);
  const key = exportKey(subject, request.lang, request.format);
  await deps.objects.put(key, body, contentTypes[request.format]);
  const url = await deps.objects.presignGet(key, exportLinkSeconds);
  return { key, url, expiresAt: new Date(deps.clock.now().getTime() + exportLinkSeconds * 1000).toISOString() };
}
