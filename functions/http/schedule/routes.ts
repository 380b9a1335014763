import * as z from 'zod';
import { TenantCalendar, TenantCalendarFields } from '../../../domain/schedule/calendar';
import { EventWindows, SegmentSuspension, WeatherSuspension } from '../../../domain/schedule/exceptions';
import { exceptionStatuses } from '../../../domain/schedule/ports';
import { ServiceStandardFields } from '../../../domain/schedule/standard';
import {
  AmendStandardInput,
  CreateExceptionInput,
  CreateStandardInput,
  ExceptionQuery,
  WithdrawExceptionInput,
  YearParam,
} from '../../../domain/schedule/use-cases';
import { maxRequestVersion } from '../../../domain/money';
import type { RouteSpec } from '../../shared/route';
import { PageQuery, pageOf } from '../../shared/schemas';

const tags = ['schedule'] as const;

const recorded = { tenantId: z.string(), recordedAt: z.string(), recordedBy: z.string() };
// One object, not an intersection: the standard's fields are strict (a request may send no
// other keys), so an allOf with the record's fields would describe an impossible object.
const StoredStandard = ServiceStandardFields.extend({ ...recorded, source: z.enum(['tenant', 'template']).optional() })
  .meta({ id: 'StoredStandard', description: "a tenant's standard version (source tenant), or a shipped template (source template, no tenant fields)" });

const audit = {
  tenantId: z.string(),
  status: z.enum(exceptionStatuses),
  version: z.number().int().positive(),
  createdAt: z.string(),
  createdBy: z.string(),
  withdrawnAt: z.string().optional(),
  withdrawnBy: z.string().optional(),
  withdrawReason: z.string().optional(),
};
const StoredException = z
  .intersection(z.discriminatedUnion('kind', [SegmentSuspension, WeatherSuspension, EventWindows]), z.object(audit))
  .meta({ id: 'StoredScheduleException' });

const StoredCalendar = TenantCalendarFields.extend({
  year: z.number().int(),
  source: z.enum(['tenant', 'seeded']).optional(),
  tenantId: z.string().optional(),
  version: z.number().int().positive().optional(),
  updatedAt: z.string().optional(),
  updatedBy: z.string().optional(),
}).meta({ id: 'StoredTenantCalendar' });

const StandardParams = z.object({ standardId: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'not a standard id') });
const ExceptionParams = z.object({ exceptionId: z.string().regex(/^exc_[0-9a-z]{26}$/, 'not a schedule exception id') });

export const createStandardRoute = {
  operationId: 'createStandard',
  method: 'POST',
  path: '/v1/standards',
  summary: 'Create a service standard (作业标准) from a shipped template or whole; checked against the traffic bans',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:write' },
  body: CreateStandardInput,
  idempotent: true,
  success: { status: 201, description: 'version 1 of the standard', schema: StoredStandard },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const listStandardsRoute = {
  operationId: 'listStandards',
  method: 'GET',
  path: '/v1/standards',
  summary: "The tenant's standards, latest versions (shipped templates: GET /v1/standards/{templateId})",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:read' },
  query: PageQuery,
  success: { status: 200, description: 'one page of standards', schema: pageOf(StoredStandard, 'StandardPage') },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const getStandardRoute = {
  operationId: 'getStandard',
  method: 'GET',
  path: '/v1/standards/{standardId}',
  summary: "A standard: the tenant's latest or given version, else the shipped template of that id",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:read' },
  params: StandardParams,
  query: z.object({ version: z.coerce.number().int().positive().max(maxRequestVersion).optional() }),
  success: { status: 200, description: 'the standard', schema: StoredStandard },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const amendStandardRoute = {
  operationId: 'amendStandard',
  method: 'POST',
  path: '/v1/standards/{standardId}/versions',
  summary: 'Amend a standard: a new version (If-Match: the latest version); contracts switch by amendment',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:write' },
  params: StandardParams,
  body: AmendStandardInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 201, description: 'the new version', schema: StoredStandard },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const createExceptionRoute = {
  operationId: 'createScheduleException',
  method: 'POST',
  path: '/v1/schedule-exceptions',
  summary: 'Declare a segment suspension (施工占道), a weather suspension or event windows (重大活动保障)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:except' },
  body: CreateExceptionInput,
  idempotent: true,
  success: { status: 201, description: 'the exception, with author and time', schema: StoredException },
  problems: [400, 401, 403, 409, 413, 415, 422],
} as const satisfies RouteSpec;

export const listExceptionsRoute = {
  operationId: 'listScheduleExceptions',
  method: 'GET',
  path: '/v1/schedule-exceptions',
  summary: 'Exceptions touching the dates (inclusive) and segment, withdrawn ones included unless filtered',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:read' },
  query: ExceptionQuery,
  success: { status: 200, description: 'the exceptions', schema: z.object({ items: z.array(StoredException) }).meta({ id: 'ScheduleExceptionList' }) },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const withdrawExceptionRoute = {
  operationId: 'withdrawScheduleException',
  method: 'POST',
  path: '/v1/schedule-exceptions/{exceptionId}/withdraw',
  summary: 'Withdraw an exception (kept, marked withdrawn with who and when; If-Match)',
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:except' },
  params: ExceptionParams,
  body: WithdrawExceptionInput,
  ifMatch: true,
  idempotent: true,
  success: { status: 200, description: 'the withdrawn exception', schema: StoredException },
  problems: [400, 401, 403, 404, 409, 412, 413, 415, 422, 428],
} as const satisfies RouteSpec;

export const getCalendarRoute = {
  operationId: 'getCalendar',
  method: 'GET',
  path: '/v1/calendar',
  summary: "The tenant calendar (法定节假日, 调休) of a year: the tenant's own, or the seeded one",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:read' },
  query: z.object({ year: YearParam }),
  success: { status: 200, description: 'the calendar', schema: StoredCalendar },
  problems: [400, 401, 403, 404],
} as const satisfies RouteSpec;

export const putCalendarRoute = {
  operationId: 'putCalendar',
  method: 'PUT',
  path: '/v1/calendar/{year}',
  summary: "Set the tenant's calendar of a year (If-Match once one is stored)",
  tags,
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'schedule:write' },
  params: z.object({ year: YearParam }),
  body: TenantCalendar,
  success: { status: 200, description: 'the stored calendar', schema: StoredCalendar },
  problems: [400, 401, 403, 412, 413, 415],
} as const satisfies RouteSpec;

export const scheduleRoutes: readonly RouteSpec[] = [
  createStandardRoute,
  listStandardsRoute,
  getStandardRoute,
  amendStandardRoute,
  createExceptionRoute,
  listExceptionsRoute,
  withdrawExceptionRoute,
  getCalendarRoute,
  putCalendarRoute,
];
