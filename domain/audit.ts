import * as z from 'zod';
import { apiInstant } from './dates';
import { ValidationError } from './errors';
import { authorize, type Actor } from './policy';
import type { Page, PageRequest } from './ports';
import { parseInput } from './validation';

/**
 * The audit log (issue 8): one entry per state change, appended by the storage adapters in the
 * same transaction as the change (functions/adapters/dynamodb/audit-log.ts) and never changed
 * afterwards. Read per record, or per tenant over a time range, by finance and admin
 * (policy `audit:read`).
 */

/** The kinds of record whose changes are audited (the stores' entity names). */
export const auditedEntities = [
  'Segment',
  'Contractor',
  'Tender',
  'Bid',
  'Contract',
  'ServiceStandard',
  'ScheduleException',
  'TenantCalendar',
  'Evidence',
  'Proof',
  'TaskOutcome',
  'Inspection',
  'RectificationOrder',
  'Complaint',
  'WorkOrder',
  'SpotCheckDraw',
  'Statement',
  'RankingNotice',
  'Open311ApiKey',
] as const;
export type AuditedEntity = (typeof auditedEntities)[number];

export function isAuditedEntity(name: string): name is AuditedEntity {
  return (auditedEntities as readonly string[]).includes(name);
}

export const AuditActor = z
  .union([
    z.object({
      sub: z.string().describe("the user's id (the token's sub)"),
      roles: z.array(z.string()).describe("the user's roles when the change was made"),
      contractorId: z.string().optional().describe('for contractor users: their contractor'),
    }),
    z.object({ system: z.string().describe("a scheduled or event function's name; 'unattributed' for a write outside any request (seeds)") }),
  ])
  .meta({ id: 'AuditActor', description: 'who made the change: a user, or a function of the service' });
export type AuditActor = z.infer<typeof AuditActor>;

export const AuditEntry = z
  .object({
    entryId: z.string().describe('ULID of the entry'),
    tenantId: z.string(),
    at: z.string().describe('ISO 8601 instant (UTC) of the change'),
    entity: z.enum(auditedEntities),
    entityId: z.string(),
    action: z.string().describe("the API operation (operationId) or the function's action that made the change"),
    actor: AuditActor,
    requestId: z.string().describe('the API Gateway or Lambda request id'),
    reason: z.string().optional().describe('the reason the caller gave, when the operation takes one'),
    beforeVersion: z.number().int().nullable().describe('the version replaced; null for a new record or a record without versions'),
    afterVersion: z.number().int().nullable().describe('the version written; null for a record without versions'),
    status: z.string().optional().describe("the record's status after the change, when it has one"),
  })
  .meta({ id: 'AuditEntry', description: 'one state change, appended in the same transaction as the change and never updated or deleted' });
export type AuditEntry = z.infer<typeof AuditEntry>;

/** Storage of the audit log, as the queries need it (the writes ride in the stores' transactions). */
export interface AuditLogReader {
  /** A record's entries, oldest first. */
  listByEntity(tenantId: string, entity: AuditedEntity, entityId: string, page: PageRequest): Promise<Page<AuditEntry>>;
  /** A tenant's entries with `from ≤ at < to` (UTC ISO instants), oldest first, optionally filtered. */
  listByTenant(tenantId: string, range: AuditRange, filter: AuditFilter, page: PageRequest): Promise<Page<AuditEntry>>;
}

export interface AuditRange {
  readonly from: string;
  readonly to: string;
}

export interface AuditFilter {
  readonly entity?: AuditedEntity;
  /** A user's sub or a function's name. */
  readonly actor?: string;
}

export const maxAuditRangeDays = 31;
const maxAuditPage = 200;
const dayMs = 86_400_000;

const Limit = z.coerce.number().int().min(1).max(maxAuditPage).default(50).describe(`page size, 1–${maxAuditPage}`);
const Cursor = z.string().min(1).max(2048).optional().describe('opaque cursor from the previous page');
/** Years 2000–2099, at most 40 characters, as every instant of the API (dates.ts `apiInstant`). */
const Instant = apiInstant('an ISO 8601 instant with its offset, e.g. 2026-03-01T00:00:00+08:00');

export const AuditEntityParams = z
  .object({
    entity: z.enum(auditedEntities).describe('the kind of record'),
    entityId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^\u0000-\u001f\u007f]+$/, 'an id without control characters')
      .describe("the record's id (a statement's is `{contractId}/{month}`)"),
  })
  .meta({ id: 'AuditEntityParams' });

export const AuditEntityQuery = z.object({ limit: Limit, cursor: Cursor }).meta({ id: 'AuditEntityQuery' });
export type AuditEntityQuery = z.input<typeof AuditEntityQuery>;

export const AuditRangeQuery = z
  .object({
    from: Instant.describe('first instant of the range (inclusive)'),
    to: Instant.describe(`end of the range (exclusive); at most ${maxAuditRangeDays} days after from`),
    entity: z.enum(auditedEntities).optional().describe('only entries of this kind of record'),
    actor: z.string().min(1).max(200).optional().describe("only entries by this user (sub) or function (name)"),
    limit: Limit,
    cursor: Cursor,
  })
  .superRefine((query, context) => {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (!(from < to)) context.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    else if (to - from > maxAuditRangeDays * dayMs) context.addIssue({ code: 'custom', path: ['to'], message: `the range may span at most ${maxAuditRangeDays} days` });
  })
  .meta({ id: 'AuditRangeQuery' });
export type AuditRangeQuery = z.input<typeof AuditRangeQuery>;

export interface AuditDeps {
  readonly audit: AuditLogReader;
}

function pageOf(limit: number, cursor: string | undefined): PageRequest {
  return { limit, ...(cursor === undefined ? {} : { cursor }) };
}

/** A record's audit entries, oldest first (policy `audit:read`; always the caller's tenant). */
export async function listEntityAudit(deps: AuditDeps, actor: Actor, params: { readonly entity: string; readonly entityId: string }, query: AuditEntityQuery): Promise<Page<AuditEntry>> {
  authorize(actor, 'audit:read');
  const { entity, entityId } = parseInput(AuditEntityParams, params, 'params');
  const { limit, cursor } = parseInput(AuditEntityQuery, query, 'query');
  return deps.audit.listByEntity(actor.tenantId, entity, entityId, pageOf(limit, cursor));
}

/** The tenant's audit entries in a time range of at most 31 days, oldest first (policy `audit:read`). */
export async function listTenantAudit(deps: AuditDeps, actor: Actor, query: AuditRangeQuery): Promise<Page<AuditEntry>> {
  authorize(actor, 'audit:read');
  const parsed = parseInput(AuditRangeQuery, query, 'query');
  const range = { from: new Date(parsed.from).toISOString(), to: new Date(parsed.to).toISOString() };
  if (range.from >= range.to) throw new ValidationError('the range is empty', [{ path: 'query.to', message: 'to must be after from' }]);
  const filter: AuditFilter = { ...(parsed.entity === undefined ? {} : { entity: parsed.entity }), ...(parsed.actor === undefined ? {} : { actor: parsed.actor }) };
  return deps.audit.listByTenant(actor.tenantId, range, filter, pageOf(parsed.limit, parsed.cursor));
}
