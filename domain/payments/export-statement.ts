import { NotFoundError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Clock } from '../ports';
import {
  exportFileName,
  exportKey,
  exportTables,
  statementCsv,
  type ExportFileName,
  type ExportFormat,
  type ExportLanguage,
  type ExportNames,
  type ExportTables,
  type StatementExportSubject,
} from './export-table';

/**
 * Exporting a statement (issue 7 Exports): the XLSX or CSV of a contract-month's current
 * record is written to the exports bucket under `exports/{tenant}/{contract}/{month}/
 * {computeVersion}-{lang}.{ext}` and handed back as a presigned GET valid for five minutes.
 * The object is rewritten on every request, so a statement approved after an earlier export of
 * the same computation gets its protected workbook. The object and its link carry the file
 * name people read (`exportFileName`: 结算单_<合同>_<月份>_<lang>.<ext>); the key stays ids only.
 */

/** Five minutes: long enough to click, short enough that a forwarded link soon stops working. */
export const exportLinkSeconds = 300;

/** The exports bucket (functions/adapters/export/s3-exports.ts). */
export interface ExportObjectStore {
  /** `fileName`: what a download saves as (stored as the object's Content-Disposition). */
  put(key: string, body: Uint8Array | string, contentType: string, fileName?: ExportFileName): Promise<void>;
  /** `fileName`, when given, overrides the stored one for this link. */
  presignGet(key: string, expiresInSeconds: number, fileName?: ExportFileName): Promise<string>;
}

export interface ExportDeps {
  /** The current record of a contract-month (statements core `getStatement` reads the same store). */
  readonly statement: (tenantId: string, contractId: string, month: string) => Promise<StatementExportSubject | undefined>;
  readonly objects: ExportObjectStore;
  /** The XLSX writer (exceljs lives in the adapter, not in domain). */
  readonly xlsx: (tables: ExportTables) => Promise<Uint8Array>;
  /**
   * The names shown instead of ids (district, contract, contractor, segments) and the tenant's
   * zone; without it (or for a name not found) the export shows ids.
   */
  readonly names?: (subject: StatementExportSubject) => Promise<ExportNames>;
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
  /** What the download saves as, e.g. 结算单_南京西路街道道路保洁服务合同_2026-11_zh.xlsx. */
  readonly fileName: string;
}

const contentTypes: Record<ExportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** A file written to the exports bucket: what a job records once it is ready. */
export interface WrittenExport {
  readonly key: string;
  readonly fileName: ExportFileName;
  /** The object's size in bytes. */
  readonly bytes: number;
  /** The computation the file shows (the statement's current one when it was written). */
  readonly computeVersion: number;
}

/**
 * Writes the XLSX or CSV of a contract-month's current record to the exports bucket, without a
 * link: the export job's worker (issue 16: exceljs never runs on a user's request) calls this,
 * and the link is signed when the job is read. Finance only (policy `statement:export`); 404
 * when the contract-month has no statement.
 */
export async function writeStatementExport(deps: ExportDeps, actor: Actor, request: ExportRequest): Promise<WrittenExport> {
  authorize(actor, 'statement:export');
  const subject = await deps.statement(actor.tenantId, request.contractId, request.month);
  if (subject === undefined) throw new NotFoundError('statement', `${request.contractId}/${request.month}`);
  authorize(actor, 'statement:export', { tenantId: subject.tenantId, contractorId: subject.contractorId });
  const names = (await deps.names?.(subject)) ?? {};
  const tables = exportTables(subject, request.lang, names);
  // CSV: the lines, as the issue says ("CSV of the same lines"), under the header block.
  const body = request.format === 'xlsx' ? await deps.xlsx(tables) : statementCsv(tables);
  const key = exportKey(subject, request.lang, request.format);
  const fileName = exportFileName(subject, names, request.lang, request.format);
  await deps.objects.put(key, body, contentTypes[request.format], fileName);
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body).byteLength : body.byteLength;
  return { key, fileName, bytes, computeVersion: subject.computeVersion };
}

/** {@link writeStatementExport} and a five-minute link to the file, at once. */
export async function exportStatement(deps: ExportDeps, actor: Actor, request: ExportRequest): Promise<ExportResult> {
  const { key, fileName } = await writeStatementExport(deps, actor, request);
  const url = await deps.objects.presignGet(key, exportLinkSeconds, fileName);
  return { key, url, expiresAt: new Date(deps.clock.now().getTime() + exportLinkSeconds * 1000).toISOString(), fileName: fileName.name };
}
