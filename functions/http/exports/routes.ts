import * as z from 'zod';
import { ApiMonth } from '../../../domain/assessment/months';
import { PerformanceFailuresQuery } from '../../../domain/payments/export-ocds';
import { exportJobStatuses } from '../../../domain/payments/export-jobs';
import { exportFormats, exportLanguages } from '../../../domain/payments/export-table';
import type { RouteSpec } from '../../shared/route';

const tags = ['exports'] as const;

const StatementParams = z.object({
  contractId: z.string().regex(/^con_[0-9a-z]{26}$/, 'not a contract id (con_ + 26 characters)'),
  month: ApiMonth,
});

export const ExportRequestBody = z
  .strictObject({
    format: z.enum(exportFormats).default('xlsx'),
    lang: z.enum(exportLanguages).default('zh').describe('zh: zh-CN headers (default); en: English'),
  })
  .meta({ id: 'StatementExportRequest' });

const JobId = z.string().regex(/^exj_[0-9a-z]{26}$/, 'not an export job id (exj_ + 26 characters)');

export const ExportJobAccepted = z
  .object({
    jobId: JobId,
    status: z.literal('queued'),
    statusUrl: z.string().describe('GET it (also the Location header) until status is ready or failed'),
  })
  .meta({ id: 'StatementExportJobAccepted' });

export const ExportJob = z
  .object({
    jobId: JobId,
    status: z.enum(exportJobStatuses).describe('queued → running → ready | failed'),
    format: z.enum(exportFormats),
    lang: z.enum(exportLanguages),
    computeVersion: z.number().int().describe('the computation exported (when ready: the one the file shows)'),
    requestedAt: z.string().describe('ISO 8601 instant of the request'),
    fileName: z.string().optional().describe('ready: what the download saves as, e.g. 结算单_<合同>_2026-11_zh.xlsx'),
    bytes: z.number().int().optional().describe('ready: the file size'),
    url: z.string().optional().describe('ready: presigned GET, valid five minutes, signed afresh on every read'),
    expiresAt: z.string().optional().describe('ready: when the link stops working'),
    reason: z.string().optional().describe("failed: why, in the caller's language (Accept-Language)"),
  })
  .meta({ id: 'StatementExportJob' });

const exportFlow =
  'The export is a job (issue 16): this answers 202 with the job id and its status URL (also the Location header) at once; ' +
  'the file is written by a worker the exports bucket notifies, outside any request. GET the status URL until `status` is ' +
  '`ready` (with `fileName` and a five-minute `url`) or `failed` (with `reason`); a few seconds for XLSX. CSV goes through ' +
  'the same job. A repeat with the same Idempotency-Key answers the same job.';

export const exportStatementRoute = {
  operationId: 'exportStatement',
  method: 'POST',
  path: '/v1/contracts/{contractId}/statements/{month}/exports',
  summary: 'Queue the XLSX (summary, lines, sources; protected once approved) or CSV of the lines of a statement (finance)',
  description: exportFlow,
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'statement:export' },
  params: StatementParams,
  body: ExportRequestBody,
  idempotent: true,
  success: { status: 202, description: 'the export job, queued; poll statusUrl', schema: ExportJobAccepted },
  problems: [400, 401, 403, 404, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const getExportJobRoute = {
  operationId: 'getStatementExportJob',
  method: 'GET',
  path: '/v1/contracts/{contractId}/statements/{month}/exports/{jobId}',
  summary: "An export job of the caller's tenant: its status, and when ready the file name and a fresh five-minute link (finance)",
  description: exportFlow,
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'statement:export' },
  params: StatementParams.extend({ jobId: JobId }),
  success: { status: 200, description: 'the job', schema: ExportJob },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

const PerformanceFailure = z
  .object({
    id: z.string(),
    period: z.object({ startDate: z.string(), endDate: z.string() }),
    category: z.string(),
    events: z.number().int(),
    penaltyContracted: z.string(),
    penaltyImposed: z.string(),
    penaltyPaid: z.boolean(),
  })
  .meta({ id: 'PerformanceFailure', description: 'OCDS performance failures extension entry' });

export const listPerformanceFailuresRoute = {
  operationId: 'listPerformanceFailures',
  method: 'GET',
  path: '/v1/performance-failures',
  summary: 'OCDS performanceFailures of the approved and paid statements of a month, for open-data publication (finance, admin)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'performance:read' },
  query: PerformanceFailuresQuery,
  success: {
    status: 200,
    description: 'one OCDS contract entry per approved or paid statement',
    schema: z
      .object({
        month: z.string(),
        contracts: z.array(z.object({ id: z.string(), implementation: z.object({ performanceFailures: z.array(PerformanceFailure) }) })),
      })
      .meta({ id: 'PerformanceFailures' }),
  },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const exportRoutes: readonly RouteSpec[] = [exportStatementRoute, getExportJobRoute, listPerformanceFailuresRoute];
