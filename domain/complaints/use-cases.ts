import { termsAsOf, latestTerms } from '../contracts/terms';
import type { Contract } from '../contracts/schema';
import { defaultZone, localDate } from '../dates';
import { ConflictError, DomainError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Page } from '../ports';
import { dueAtFor } from '../rectification/order';
import type { RectificationOrder } from '../rectification/schema';
import { raiseOrder } from '../rectification/use-cases';
import { defectItem } from '../rulebooks/rules';
import { parseInput } from '../validation';
import { catalogueFor, serviceFor, type ServiceDefinition } from './catalogue';
import { complaintIdFrom, markRouted, markUnrouted, newComplaint, orderIdFor, reopen, verify } from './complaint';
import {
  AssignComplaintInput,
  JurisdictionId,
  ListRequestsQuery,
  ReopenRequestInput,
  SubmitRequestInput,
  VerifyComplaintInput,
} from './inputs';
import { toOpen311Request, type Open311Request } from './open311';
import type { ComplaintDeps } from './ports';
import { contractFor, routeComplaint } from './routing';
import { complaintIdPattern, type Complaint, type ComplaintPoints, type ComplaintStatus } from './schema';

/**
 * Citizen complaints end to end (issue 6 "Citizen complaints"): Open311 intake and reads for
 * the public (tenant = `jurisdiction_id`, no actor), routing to a rectification order, and
 * the internal queue, hand assignment and verification (policy complaint:*).
 */

/** Spec "GET Service Requests": at most 90 days and 1 000 requests per answer. */
export const maxWindowDays = 90;
export const maxRequestsPerAnswer = 1_000;
const dayMs = 86_400_000;

async function zoneOfJurisdiction(deps: ComplaintDeps, jurisdictionId: string): Promise<string> {
  const zone = await deps.zoneOf(jurisdictionId);
  if (zone === undefined) throw new NotFoundError('jurisdiction_id', jurisdictionId);
  return zone;
}

async function zoneOfTenant(deps: ComplaintDeps, tenantId: string): Promise<string> {
  return (await deps.zoneOf(tenantId)) ?? defaultZone;
}

/** Open311 "GET Service List". */
export async function listServices(deps: ComplaintDeps, jurisdictionId: unknown): Promise<readonly ServiceDefinition[]> {
  const tenantId = parseInput(JurisdictionId, jurisdictionId, 'jurisdiction_id');
  await zoneOfJurisdiction(deps, tenantId);
  return catalogueFor(tenantId);
}

export interface SubmitResult {
  readonly complaint: Complaint;
  readonly zone: string;
  /** Returned once, to the citizen; only its hash is stored. */
  readonly reopenToken: string;
  /** Set when the complaint was recorded but routing failed: it waits in status `routing`. */
  readonly routingError?: unknown;
}

/**
 * Open311 "POST Service Request". The complaint is written first (conditional on a new id),
 * then routed; a failure after the write leaves it in `routing` for `retryRouting` and still
 * answers with its id, so the citizen never resubmits a complaint that was in fact recorded.
 */
export async function submitComplaint(deps: ComplaintDeps, input: unknown): Promise<SubmitResult> {
  const parsed = parseInput(SubmitRequestInput, input, '');
  const tenantId = parsed.jurisdiction_id;
  const zone = await zoneOfJurisdiction(deps, tenantId);
  const service = serviceFor(tenantId, parsed.service_code);
  if (service === undefined) throw new NotFoundError('service_code', parsed.service_code);
  const reopenToken = deps.secrets.next();
  const complaint = newComplaint({
    complaintId: complaintIdFrom(deps.ids.next()),
    tenantId,
    service,
    ...(parsed.description === undefined ? {} : { description: parsed.description }),
    ...(parsed.media_url === undefined ? {} : { mediaUrl: parsed.media_url }),
    ...(parsed.lat === undefined || parsed.long === undefined ? {} : { location: { lat: parsed.lat, lon: parsed.long } }),
    ...(parsed.address_string === undefined ? {} : { addressString: parsed.address_string }),
    ...(parsed.address_id === undefined ? {} : { addressId: parsed.address_id }),
    contact: { email: parsed.email, firstName: parsed.first_name, lastName: parsed.last_name, phone: parsed.phone },
    reopenToken,
    at: deps.clock.now(),
  });
  await deps.complaints.save({ complaint, expectedVersion: undefined });
  // A failure of the store (throttled, timed out) is retried here: the citizen has no key to
  // resend with, and a complaint left in `routing` waits for staff. A domain refusal is final.
  let routingError: unknown;
  for (let attempt = 1; attempt <= intakeRoutingAttempts; attempt += 1) {
    try {
      return { complaint: await completeRouting(deps, complaint, zone, 'open311'), zone, reopenToken };
    } catch (error) {
      routingError = error;
      if (error instanceof DomainError) break;
    }
  }
  return { complaint, zone, reopenToken, routingError };
}

/** Attempts at routing a new complaint before it is left in `routing` (found by test/faults). */
const intakeRoutingAttempts = 3;

/** Routes a complaint in status `routing`: to a contract (raising its order) or to the queue. */
async function completeRouting(deps: ComplaintDeps, complaint: Complaint, zone: string, by: string): Promise<Complaint> {
  const now = deps.clock.now();
  const [segments, contracts] = await Promise.all([
    deps.activeSegments(complaint.tenantId),
    deps.holdingContracts(complaint.tenantId, complaint.serviceType),
  ]);
  const outcome = routeComplaint({
    point: complaint.location === undefined ? undefined : { lon: complaint.location.lon, lat: complaint.location.lat },
    serviceType: complaint.serviceType,
    localDate: localDate(now, zone),
    segments,
    contracts,
    ...(deps.maxDistanceM === undefined ? {} : { maxDistanceM: deps.maxDistanceM }),
  });
  if (outcome.kind === 'unroutable') {
    const unrouted = markUnrouted(complaint, outcome.reason, outcome.segmentId, now);
    await deps.complaints.save({ complaint: unrouted, expectedVersion: complaint.version });
    return unrouted;
  }
  return raiseFor(deps, complaint, { contract: outcome.contract, segmentId: outcome.segmentId, distanceM: outcome.distanceM }, zone, by);
}

/**
 * Raises the complaint's one order (id from the complaint, see `orderIdFor`) and records the
 * routing. An order that already exists from an earlier attempt is taken as it is, contract
 * and due time included, so a retry converges on what the first attempt started.
 */
async function raiseFor(
  deps: ComplaintDeps,
  complaint: Complaint,
  target: { readonly contract: Contract; readonly segmentId: string; readonly distanceM?: number },
  zone: string,
  by: string,
): Promise<Complaint> {
  const now = deps.clock.now();
  const orderId = orderIdFor(complaint.complaintId);
  const terms = termsAsOf(target.contract, localDate(now, zone));
  // The service's rulebook item when the contract's rulebook has it (its late penalty then follows the item).
  const itemCode = serviceFor(complaint.tenantId, complaint.serviceCode)?.defectCode;
  const knownItem = itemCode !== undefined && terms !== undefined && defectItem(terms.rulebook, itemCode) !== undefined ? itemCode : undefined;
  let order: RectificationOrder;
  try {
    order = await raiseOrder(
      { orders: deps.orders, contracts: { get: deps.getContract }, clock: deps.clock, ids: { next: () => orderId.slice('rec_'.length).toUpperCase() }, tenantZone: async () => zone },
      {
        tenantId: complaint.tenantId,
        contractId: target.contract.contractId,
        segmentId: target.segmentId,
        origin: { kind: 'complaint', complaintId: complaint.complaintId },
        ...(knownItem === undefined ? {} : { itemCode: knownItem }),
        description: `${complaint.serviceName}${complaint.description === undefined ? '' : `: ${complaint.description}`}`.slice(0, 4_000),
        issuedAt: now.toISOString(),
        dueAt: dueAtFor(now, complaint.deadlineHours, zone).toISOString(),
        by,
      },
    );
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    const existing = await deps.orders.get(complaint.tenantId, orderId);
    if (existing === undefined || existing.origin.kind !== 'complaint' || existing.origin.complaintId !== complaint.complaintId) throw error;
    order = existing;
  }
  const contractorName = await deps.contractorName?.(complaint.tenantId, order.contractorId);
  const routed = markRouted(
    complaint,
    {
      segmentId: order.segmentId,
      ...(target.distanceM === undefined || order.segmentId !== target.segmentId ? {} : { distanceM: Math.round(target.distanceM * 10) / 10 }),
      contractId: order.contractId,
      contractorId: order.contractorId,
      ...(contractorName === undefined ? {} : { contractorName }),
      orderId: order.orderId,
      dueAt: order.dueAt,
      routedAt: now.toISOString(),
      routedBy: by,
    },
    zone,
    now,
  );
  await deps.complaints.save({ complaint: routed, expectedVersion: complaint.version });
  return routed;
}

async function existing(deps: ComplaintDeps, tenantId: string, complaintId: string): Promise<Complaint> {
  const complaint = complaintIdPattern.test(complaintId) ? await deps.complaints.get(tenantId, complaintId) : undefined;
  if (complaint === undefined) throw new NotFoundError('complaint', complaintId);
  return complaint;
}

function checkVersion(complaint: Complaint, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== complaint.version) {
    throw new StaleVersionError('complaint', complaint.complaintId, ifMatch, complaint.version);
  }
}

/** Finishes a complaint stuck in `routing` (its order could not be raised at intake). Idempotent. */
export async function retryRouting(deps: ComplaintDeps, actor: Actor, complaintId: string, ifMatch: number | undefined): Promise<Complaint> {
  authorize(actor, 'complaint:assign', { tenantId: actor.tenantId });
  const complaint = await existing(deps, actor.tenantId, complaintId);
  checkVersion(complaint, ifMatch);
  if (complaint.status !== 'routing') throw new ConflictError(`complaint '${complaintId}' is ${complaint.status}, not waiting for routing`);
  return completeRouting(deps, complaint, await zoneOfTenant(deps, actor.tenantId), actor.userId);
}

/**
 * Procurement assigns a queued complaint to a segment by hand; the contract holding it today
 * for the service type gets the order, due the service's hours from now (the contractor
 * cannot start before being told).
 */
export async function assignComplaint(deps: ComplaintDeps, actor: Actor, complaintId: string, input: unknown, ifMatch: number | undefined): Promise<Complaint> {
  authorize(actor, 'complaint:assign', { tenantId: actor.tenantId });
  const { segmentId } = parseInput(AssignComplaintInput, input, '');
  const complaint = await existing(deps, actor.tenantId, complaintId);
  checkVersion(complaint, ifMatch);
  if (complaint.status !== 'unrouted') throw new ConflictError(`complaint '${complaintId}' is ${complaint.status}; only unrouted complaints are assigned by hand`);
  const segment = await deps.getSegment(actor.tenantId, segmentId);
  if (segment === undefined) throw new ValidationError('no such segment', [{ path: 'segmentId', message: `segment '${segmentId}' does not exist` }]);
  if (segment.status !== 'active') throw new RuleViolationError(`segment '${segmentId}' is retired`, [`segment '${segmentId}' is retired`]);
  const zone = await zoneOfTenant(deps, actor.tenantId);
  const today = localDate(deps.clock.now(), zone);
  const contract = contractFor(segmentId, complaint.serviceType, today, await deps.holdingContracts(actor.tenantId, complaint.serviceType));
  if (contract === undefined) {
    throw new RuleViolationError(`no active ${complaint.serviceType} contract holds segment '${segmentId}' on ${today}`, [
      `no active ${complaint.serviceType} contract holds segment '${segmentId}' on ${today}`,
    ]);
  }
  return raiseFor(deps, complaint, { contract, segmentId }, zone, actor.userId);
}

/** The inspector's verdict; a valid complaint records the points of the rulebook in force on the request's date. */
export async function verifyComplaint(deps: ComplaintDeps, actor: Actor, complaintId: string, input: unknown, ifMatch: number | undefined): Promise<Complaint> {
  authorize(actor, 'complaint:verify', { tenantId: actor.tenantId });
  const verdict = parseInput(VerifyComplaintInput, input, '');
  const complaint = await existing(deps, actor.tenantId, complaintId);
  checkVersion(complaint, ifMatch);
  const now = deps.clock.now();
  let points: ComplaintPoints | undefined;
  if (verdict.valid && complaint.points === undefined && complaint.routing !== undefined) {
    const contract = await deps.getContract(actor.tenantId, complaint.routing.contractId);
    if (contract === undefined) throw new NotFoundError('contract', complaint.routing.contractId);
    const zone = await zoneOfTenant(deps, actor.tenantId);
    const requestedOn = localDate(new Date(complaint.requestedAt), zone);
    // The rulebook in force when the citizen complained; a complaint assigned after the
    // contract ended still prices by its last terms.
    const terms = termsAsOf(contract, requestedOn) ?? termsAsOf(contract, localDate(new Date(complaint.routing.routedAt), zone)) ?? latestTerms(contract);
    points = {
      pointsX100: terms.rulebook.complaint.pointsX100,
      contractId: contract.contractId,
      contractorId: contract.contractorId,
      termsVersion: terms.termsVersion,
      localDate: requestedOn,
      recordedAt: now.toISOString(),
    };
  }
  const verified = verify(complaint, { valid: verdict.valid, reason: verdict.reason, by: actor.userId }, points, now);
  await deps.complaints.save({ complaint: verified, expectedVersion: complaint.version });
  return verified;
}

/** Open311 extension: the citizen reopens a closed request within the window, with the token. */
export async function reopenRequest(deps: ComplaintDeps, serviceRequestId: string, input: unknown): Promise<Open311Request> {
  const parsed = parseInput(ReopenRequestInput, input, '');
  const zone = await zoneOfJurisdiction(deps, parsed.jurisdiction_id);
  const complaint = await existing(deps, parsed.jurisdiction_id, serviceRequestId);
  const reopened = reopen(complaint, parsed.reopen_token, parsed.description, deps.clock.now());
  await deps.complaints.save({ complaint: reopened, expectedVersion: complaint.version });
  return toOpen311Request(reopened, zone);
}

/** Open311 "GET Service Request": the one request as a one-element array (as the spec shows). */
export async function getRequest(deps: ComplaintDeps, jurisdictionId: unknown, serviceRequestId: string): Promise<Open311Request[]> {
  const tenantId = parseInput(JurisdictionId, jurisdictionId, 'jurisdiction_id');
  const zone = await zoneOfJurisdiction(deps, tenantId);
  const complaint = await existing(deps, tenantId, serviceRequestId);
  return [toOpen311Request(complaint, zone)];
}

const internalStatuses: Readonly<Record<'open' | 'closed', readonly ComplaintStatus[]>> = {
  open: ['routing', 'unrouted', 'routed'],
  closed: ['closed'],
};

/**
 * Open311 "GET Service Requests": `service_request_id` overrides every other filter; else the
 * requested-time window (default the most recent 90 days, never more than 90), service codes
 * and statuses; at most 1 000, newest first.
 */
export async function listRequests(deps: ComplaintDeps, query: unknown): Promise<Open311Request[]> {
  const parsed = parseInput(ListRequestsQuery, query, '');
  const tenantId = parsed.jurisdiction_id;
  const zone = await zoneOfJurisdiction(deps, tenantId);
  if (parsed.service_request_id !== undefined) {
    const ids = parsed.service_request_id.filter((id) => complaintIdPattern.test(id));
    const found = await deps.complaints.getMany(tenantId, ids);
    return parsed.service_request_id.flatMap((id) => {
      const complaint = found.get(id);
      return complaint === undefined ? [] : [toOpen311Request(complaint, zone)];
    });
  }
  const { from, to } = requestWindow(parsed.start_date, parsed.end_date, deps.clock.now());
  const statuses = parsed.status === undefined ? undefined : [...new Set(parsed.status)].flatMap((status) => internalStatuses[status]);
  const complaints = await deps.complaints.listRequestedBetween(
    tenantId,
    from.toISOString(),
    to.toISOString(),
    { ...(statuses === undefined ? {} : { statuses }), ...(parsed.service_code === undefined ? {} : { serviceCodes: parsed.service_code }) },
    maxRequestsPerAnswer,
  );
  return complaints.map((complaint) => toOpen311Request(complaint, zone));
}

/** The spec's window: both dates as given (≤ 90 days apart), one date plus or minus 90 days, or the last 90 days. */
export function requestWindow(start: string | undefined, end: string | undefined, now: Date): { from: Date; to: Date } {
  const span = maxWindowDays * dayMs;
  if (start !== undefined && end !== undefined) {
    const from = new Date(start);
    const to = new Date(end);
    if (to.getTime() < from.getTime()) throw new ValidationError('end_date is before start_date', [{ path: 'end_date', message: 'end_date must not be before start_date' }]);
    if (to.getTime() - from.getTime() > span) {
      throw new ValidationError('the date range is too long', [{ path: 'end_date', message: `start_date and end_date may not span more than ${maxWindowDays} days` }]);
    }
    return { from, to };
  }
  if (start !== undefined) return { from: new Date(start), to: new Date(Date.parse(start) + span) };
  if (end !== undefined) return { from: new Date(Date.parse(end) - span), to: new Date(end) };
  return { from: new Date(now.getTime() - span), to: now };
}

/** Internal: one complaint with everything (contact included) for procurement and inspectors. */
export async function getComplaint(deps: ComplaintDeps, actor: Actor, complaintId: string): Promise<Complaint> {
  authorize(actor, 'complaint:read', { tenantId: actor.tenantId });
  return existing(deps, actor.tenantId, complaintId);
}

/** Internal: complaints newest first, optionally of one status (`unrouted` is the hand-assignment queue). */
export async function listComplaints(
  deps: ComplaintDeps,
  actor: Actor,
  query: { readonly status?: ComplaintStatus; readonly limit: number; readonly cursor?: string },
): Promise<Page<Complaint>> {
  authorize(actor, 'complaint:read', { tenantId: actor.tenantId });
  return deps.complaints.list(actor.tenantId, query.status === undefined ? {} : { status: query.status }, {
    limit: query.limit,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  });
}
