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
  // Issue 14: the queue of accepted proofs that carry flags, tenant-wide (the field app's inspector view).
  | 'proof:queue'
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
  // Issue 15: the supervisor's plots and map (scores, deductions, KPIs per contract-month and segment).
  | 'supervision:read'
  // Issue 8: the audit log of every state change.
  | 'audit:read'
  // Issue 15: the caller's own district by name (the 单位 a printed statement names).
  | 'tenant:read'
  // Issue 13: Open311 api_keys of the client apps that submit citizens' reports.
  | 'apikey:manage';

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
  // The flagged-proof queue spans every contractor of the tenant: the inspectors who review
  // the proofs, and the administrator who answers for the tenant; never a contractor (it
  // would list its competitors' proofs), nor the desks that do not judge photos.
  'proof:queue': ['inspector', 'admin'],
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
  // Warning and termination-review notices go to procurement, who decides on them; the
  // inspectors whose findings led to them read them too (issue 15: supervisors read).
  'notice:read': ['procurement', 'inspector', 'admin'],
  // The supervisor's screens (issue 15) compare every contractor's months, as rankings do:
  // the procuring side (finance pays by them) reads them; a contractor reads its own
  // approved statements instead (statement:read), never its competitors' figures.
  'supervision:read': ['finance', 'procurement', 'inspector', 'admin'],
  // The audit log shows every change by anyone in the tenant. It is append-only, so reading
  // it alters nothing: the desks that answer for the money (finance) and for the users
  // (admin), and the supervisors of issue 15 (procurement, inspectors) read it. Contractors
  // do not: it records their competitors' contracts and statements.
  'audit:read': ['finance', 'procurement', 'inspector', 'admin'],
  // The district's name and zone are on every form and every local time: anyone who signs in
  // to it knows them already, a contractor's crew included.
  'tenant:read': everyone,
  // Open311 api_keys (issue 13): the administrator answers for which apps may file reports.
  'apikey:manage': ['admin'],
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

/**
 * True when `actor` speaks for a contractor: it holds the contractor role, whatever other
 * roles it holds. Such an actor is held to its own contractor (`actor.contractorId`; none
 * when the token carries none) everywhere: see `isAllowed`.
 */
export function isContractorScoped(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.includes('contractor');
}

/**
 * True when `actor` may see the records of contractor `contractorId`: any actor that is not
 * contractor-scoped, a contractor-scoped one only its own. For use cases that filter rows
 * (a list spanning contractors) or hide another contractor's record as absent (404).
 */
export function seesContractor(actor: Pick<Actor, 'roles' | 'contractorId'>, contractorId: string | undefined): boolean {
  return !isContractorScoped(actor) || (contractorId !== undefined && contractorId === actor.contractorId);
}

/**
 * The roles whose grants count for `actor`. The contractor role narrows, never widens: a user
 * holding it works for a firm the authority assesses and pays, and the desks' roles
 * (procurement, inspector, finance, admin) would let it read its competitors' records through
 * tenant-wide lists that belong to no one contractor (statement:list, rankings, notices,
 * the audit log, tenders' bids) or decide on its own firm's money and quality. So an actor
 * holding the contractor role with others (a Cognito misassignment, or a firm's staff
 * given a desk group) is granted what the contractor role alone is granted, held to its own
 * contractor; the desk roles add nothing until the contractor role is removed (issue 13).
 */
function effectiveRoles(actor: Pick<Actor, 'roles'>): readonly Role[] {
  return isContractorScoped(actor) ? ['contractor'] : actor.roles;
}

/**
 * True when `actor` may perform `action` (on `resource`, when given). Pure.
 *
 * - Grants: some role of the actor is granted `action`, counting only the contractor role for
 *   an actor holding it (see `effectiveRoles`).
 * - Tenant: a resource of another tenant is refused to everyone.
 * - Contractor scope: a contractor-scoped actor (contractor role present, with or without
 *   other roles) may act on a resource owned by a contractor only when it is its own
 *   contractor; tenant records owned by no contractor (segments, the rulebook) follow the
 *   grants alone.
 */
export function isAllowed(actor: Actor, action: Action, resource?: Ownership): boolean {
  if (!effectiveRoles(actor).some((role) => grants[action].includes(role))) return false;
  if (resource === undefined) return true;
  if (resource.tenantId !== actor.tenantId) return false;
  if (resource.contractorId !== undefined) return seesContractor(actor, resource.contractorId);
  return true;
}

/**
 * Throws ForbiddenError unless `actor` may perform `action`. The one authorization rule of
 * the product (DESIGN §4); the API layer only supplies the actor.
 */
export function authorize(actor: Actor, action: Action, resource?: Ownership): void {
  if (isAllowed(actor, action, resource)) return;
  const who = actor.roles.join(', ') || 'none';
  const onRecord = resource !== undefined && resource.tenantId === actor.tenantId;
  // A desk role beside the contractor role is what a caller would not guess: say so.
  const narrowed = isContractorScoped(actor) && actor.roles.length > 1 && actor.roles.some((role) => grants[action].includes(role));
  const why = narrowed ? ' (a user holding the contractor role has only its grants, for its own contractor)' : '';
  const whyZh = narrowed ? '（持有作业单位角色的用户只拥有该角色的权限，且仅限本单位）' : '';
  throw new ForbiddenError(`role(s) ${who} may not ${action}${onRecord ? ' on this record' : ''}${why}`, {
    zh: `角色 ${who} 无权执行 ${action}${onRecord ? '（针对此记录）' : ''}${whyZh}`,
  });
}
