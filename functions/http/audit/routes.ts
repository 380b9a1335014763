import { pageOf } from '../../shared/schemas';
import { AuditEntityParams, AuditEntityQuery, AuditEntry, AuditRangeQuery, maxAuditRangeDays } from '../../../domain/audit';
import type { RouteSpec } from '../../shared/route';

/** The audit log (issue 8): every state change, read by finance and admin of the tenant. */

export const AuditEntryPage = pageOf(AuditEntry, 'AuditEntryPage');

export const listEntityAuditRoute = {
  operationId: 'listEntityAudit',
  method: 'GET',
  path: '/v1/audit/entities/{entity}/{entityId}',
  summary: "A record's audit entries, oldest first",
  description:
    'Every change of one record (its creation, each version, each status change), appended in the same transaction as the change ' +
    'and never changed since. A statement is `{contractId}/{month}`, a task outcome its task id, an evidence item its evidence id.',
  tags: ['audit'],
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'audit:read' },
  params: AuditEntityParams,
  query: AuditEntityQuery,
  success: { status: 200, description: 'one page of entries, oldest first', schema: AuditEntryPage },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const listTenantAuditRoute = {
  operationId: 'listTenantAudit',
  method: 'GET',
  path: '/v1/audit',
  summary: "The tenant's audit entries in a time range, in time order",
  description: `Entries with from ≤ at < to (at most ${maxAuditRangeDays} days), optionally of one kind of record or one actor (a user's sub or a function's name).`,
  tags: ['audit'],
  auth: 'jwt',
  authz: { scope: 'tenant', action: 'audit:read' },
  query: AuditRangeQuery,
  success: { status: 200, description: 'one page of entries, oldest first', schema: AuditEntryPage },
  problems: [400, 401, 403],
} as const satisfies RouteSpec;

export const auditRoutes: readonly RouteSpec[] = [listEntityAuditRoute, listTenantAuditRoute];
