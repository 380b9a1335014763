import * as z from 'zod';
import { ApiMonth } from '../../../domain/assessment/months';
import { PerformanceFailuresQuery } from '../../../domain/payments/export-ocds';
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

export const ExportLink = z
  .object({
    key: z.string().describe('exports/{tenant}/{contract}/{month}/{computeVersion}-{lang}.{ext}'),
    url: z.string().describe('presigned GET, valid five minutes'),
    expiresAt: z.string(),
  })
  .meta({ id: 'StatementExportLink' });

export const exportStatementRoute = {
  operationId: 'exportStatement',
  method: 'POST',
  path: '/v1/contracts/{contractId}/statements/{month}/exports',
  summary: 'XLSX (summary, lines, sources; protected once approved) or CSV of the lines of a statement, with a five-minute download link (finance)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'statement:export' },
  params: StatementParams,
  body: ExportRequestBody,
  success: { status: 201, description: 'the stored export and its link', schema: ExportLink },
  problems: [400, 401, 403, 404, 413, 415],
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

export const exportRoutes: readonly RouteSpec[] = [exportStatementRoute, listPerformanceFailuresRoute];
