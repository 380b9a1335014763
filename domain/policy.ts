import { ForbiddenError } from './errors';

/** DESIGN §4 roles. */
export const roles = ['procurement', 'contractor', 'inspector', 'finance', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who is calling: built by the API layer from verified JWT claims, never from the body. */
export interface Actor {
  readonly userId: string;
  readonly tenantId: string;
  readonly roles: readonly Role[];
  /** Set for contractor users: the contractor whose records they may see. */
  readonly contractorId?: string;
}

/**
 * Every action the API exposes. A later module adds its actions here and a row to `grants`;
 * handlers never test roles themselves.
 */
export type Action =
  | 'segment:read'
  | 'segment:write'
  | 'contractor:read'
  | 'contractor:write'
  | 'tender:read'
  | 'tender:write'
  | 'contract:read'
  | 'contract:write'
  | 'rulebook:read'
  | 'rulebook:write'
  | 'schedule:read'
  | 'schedule:write'
  | 'schedule:except'
  | 'task:read'
  | 'evidence:upload'
  | 'evidence:read'
  | 'proof:submit'
  | 'proof:read'
  | 'proof:review'
  | 'inspection:read'
  | 'inspection:write'
  | 'inspection:upload'
  | 'rectification:read'
  | 'rectification:answer'
  | 'rectification:review'
  | 'complaint:read'
  | 'complaint:verify'
  | 'complaint:assign'
  | 'workorder:read'
  | 'workorder:create'
  | 'workorder:complete'
  | 'workorder:accept'
  | 'spotcheck:read'
  | 'spotcheck:draw'
  // Issue 7 statements (compute, review/approve/pay, read, the tenant-month list).
  | 'statement:read'
  | 'statement:list'
  | 'statement:compute'
  | 'statement:approve'
  // Issue 7 exports, open data, rankings and notices (payments).
  | 'statement:export'
  | 'performance:read'
  | 'ranking:read'
  | 'notice:read'
  // Issue 8: the audit log of every state change.
  | 'audit:read';

const everyone: readonly Role[] = ['procurement', 'contractor', 'inspector', 'finance', 'admin'];
const procurementDesk: readonly Role[] = ['procurement', 'admin'];

const grants: Readonly<Record<Action, readonly Role[]>> = {
  'segment:read': everyone,
  'segment:write': procurementDesk,
  // A contractor user reads only its own record: the ownership check in isAllowed does that.
  'contractor:read': everyone,
  'contractor:write': procurementDesk,
  // Bids and evaluations are confidential to the procuring side until award.
  'tender:read': ['procurement', 'inspector', 'finance', 'admin'],
  'tender:write': procurementDesk,
  'contract:read': everyone,
  'contract:write': procurementDesk,
  'rulebook:read': everyone,
  'rulebook:write': procurementDesk,
  'schedule:read': everyone,
  'schedule:write': procurementDesk,
  // Inspectors may declare exceptions too: a weather suspension is called on the day, on site.
  'schedule:except': ['procurement', 'inspector', 'admin'],
  // A contractor user reads only its own contracts' tasks: callers pass the contract's ownership.
  'task:read': everyone,
  // Photos and proofs: the crew uploads and submits; inspectors review; everyone of the
  // tenant reads, a contractor user only its own (ownership). Admin is not a field role.
  'evidence:upload': ['contractor'],
  'evidence:read': everyone,
  'proof:submit': ['contractor'],
  'proof:read': everyone,
  'proof:review': ['inspector'],
  // Quality (issue 6): inspectors find, contractors answer their own orders, inspectors decide.
  'inspection:read': everyone,
  'inspection:write': ['inspector'],
  // Inspection photos are taken by the inspector on site (issue 6), never by the crew inspected.
  'inspection:upload': ['inspector'],
  'rectification:read': everyone,
  'rectification:answer': ['contractor'],
  'rectification:review': ['inspector'],
  // Complaints: an unroutable complaint is assigned by hand by procurement (who holds the contracts).
  'complaint:read': ['procurement', 'inspector', 'finance', 'admin'],
  'complaint:verify': ['inspector'],
  'complaint:assign': ['procurement', 'inspector'],
  'workorder:read': everyone,
  'workorder:create': ['inspector', 'procurement'],
  'workorder:complete': ['contractor'],
  'workorder:accept': ['inspector'],
  'spotcheck:read': everyone,
  'spotcheck:draw': ['inspector'],
  // Statements: finance computes, reviews, approves and records payment; procurement and
  // admin read; a contractor reads its own (ownership), and the use case shows approved ones only.
  'statement:read': ['finance', 'procurement', 'admin', 'contractor'],
  'statement:list': ['finance', 'admin'],
  'statement:compute': ['finance'],
  'statement:approve': ['finance'],
  // Exports carry a whole statement: finance, who computes and approves them (issue 7).
  'statement:export': ['finance'],
  // Performance failures of approved months are published as open data (OCDS); the API
  // route is for the desks that prepare the publication, not a public endpoint.
  'performance:read': ['finance', 'admin'],
  // Rankings and red/black lists concern every contractor: the procuring side reads them.
  'ranking:read': ['finance', 'procurement', 'inspector', 'admin'],
  // Warning and termination-review notices go to procurement, who decides on them.
  'notice:read': ['procurement', 'admin'],
  // The audit log shows every change by anyone in the tenant: the desks that answer for the
  // money (finance) and for the tenant's users (admin), nobody whose own work it records.
  'audit:read': ['finance', 'admin'],
};

/** Every action with a grant row (issue 8: route specs must name one of these). */
export const actions: readonly Action[] = Object.keys(grants) as Action[];

/**
 * The roles `action` is granted to; `undefined` for a name that has no grant row (a route
 * naming an action the policy does not know). Read by the authorization matrix (issue 8).
 */
export function grantedRoles(action: string): readonly Role[] | undefined {
  return Object.hasOwn(grants, action) ? grants[action as Action] : undefined;
}

/** What a record says about whom it belongs to; enough to decide access. */
export interface Ownership {
  readonly tenantId: string;
  /** Present on records that belong to one contractor (contracts, tasks, proofs...). */
  readonly contractorId?: string;
}

/** True when `actor` may perform `action` (on `resource`, when given). Pure. */
export function isAllowed(actor: Actor, action: Action, resource?: Ownership): boolean {
  if (!actor.roles.some((role) => grants[action].includes(role))) return false;
  if (resource === undefined) return true;
  if (resource.tenantId !== actor.tenantId) return false;
  // A contractor user sees only its own contractor's records; other roles see the tenant's.
  const onlyContractor = actor.roles.every((role) => role === 'contractor');
  if (onlyContractor && resource.contractorId !== undefined) {
    return resource.contractorId === actor.contractorId;
  }
  return true;
}

/**
 * Throws ForbiddenError unless `actor` may perform `action`. The one authorization rule of
 * the product (DESIGN §4); the API layer only supplies the actor.
 */
export function authorize(actor: Actor, action: Action, resource?: Ownership): void {
  if (!isAllowed(actor, action, resource)) {
    throw new ForbiddenError(
      resource && resource.tenantId === actor.tenantId
        ? `role(s) ${actor.roles.join(', ') || 'none'} may not ${action} on this record`
        : `role(s) ${actor.roles.join(', ') || 'none'} may not ${action}`,
    );
  }
}
