import { termsAsOf, latestTerms } from '../contracts/terms';
import type { Contract } from '../contracts/schema';
import { defaultZone, localDate } from '../dates';
import { ConflictError, DomainError, NotFoundError, RuleViolationError, StaleVersionError, ValidationError } from '../errors';
import { authorize, type Actor } from '../policy';
import type { Page } from '../ports';
import { dueAtFor, withdrawableStatuses, withdrawOrder } from '../rectification/order';
import type { RectificationOrder } from '../rectification/schema';
import type { Segment } from '../segments/schema';
import { raiseOrder } from '../rectification/use-cases';
import { defectItem } from '../rulebooks/rules';
import { parseInput } from '../validation';
import { catalogueFor, serviceFor, type ServiceDefinition } from './catalogue';
import { checkVerdict, complaintIdFrom, markRouted, markUnrouted, newComplaint, orderIdFor, reopen, verify, type VerdictOrder } from './complaint';
import {
  AssignComplaintInput,
  JurisdictionId,
  ListRequestsQuery,
  ReopenRequestInput,
  SubmitRequestInput,
  VerifyComplaintInput,
} from './inputs';
import { isSettled } from './complaint';
import { ordersToRead, toOpen311Request, type Open311Request, type PublicOrder } from './open311';
import type { ComplaintDeps } from './ports';
import { beyondReachM, contractFor, defaultMaxDistanceM, routeComplaint } from './routing';
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
  const location = parsed.lat === undefined || parsed.long === undefined ? undefined : { lat: parsed.lat, lon: parsed.long };
  // Read before anything is written: a report outside the district's reach is refused, not stored.
  const segments = location === undefined ? undefined : await deps.activeSegments(tenantId);
  if (location !== undefined && segments !== undefined) checkReach(location, segments, deps.maxDistanceM ?? defaultMaxDistanceM);
  const reopenToken = deps.secrets.next();
  const complaint = newComplaint({
    complaintId: complaintIdFrom(deps.ids.next()),
    tenantId,
    service,
    ...(parsed.description === undefined ? {} : { description: parsed.description }),
    ...(parsed.media_url === undefined ? {} : { mediaUrl: parsed.media_url }),
    ...(location === undefined ? {} : { location }),
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
      return { complaint: await completeRouting(deps, complaint, zone, 'open311', segments), zone, reopenToken };
    } catch (error) {
      routingError = error;
      if (error instanceof DomainError) break;
    }
  }
  return { complaint, zone, reopenToken, routingError };
}

/** Attempts at routing a new complaint before it is left in `routing` (found by test/faults). */
const intakeRoutingAttempts = 3;

const coordinate = (value: number): string => value.toFixed(6).replace(/\.?0+$/, '');

function distanceText(distanceM: number): { en: string; zh: string } {
  if (!Number.isFinite(distanceM)) return { en: 'the jurisdiction has no road segments', zh: '本辖区没有道路路段' };
  if (distanceM >= 1_000) {
    const km = (Math.round(distanceM / 100) / 10).toString();
    return { en: `${km} km from the nearest road segment of the jurisdiction`, zh: `距本辖区最近的道路路段 ${km} 公里` };
  }
  const m = Math.round(distanceM).toString();
  return { en: `${m} m from the nearest road segment of the jurisdiction`, zh: `距本辖区最近的道路路段 ${m} 米` };
}

/**
 * A located report must be within the jurisdiction's reach (routing.ts `beyondReachM`): a
 * 400 naming the location otherwise, in the Open311 error array (`lat: lat/long … is …`).
 */
function checkReach(location: { readonly lat: number; readonly lon: number }, segments: readonly Segment[], maxDistanceM: number): void {
  const beyondM = beyondReachM({ lon: location.lon, lat: location.lat }, segments, maxDistanceM);
  if (beyondM === undefined) return;
  const where = `${coordinate(location.lat)},${coordinate(location.lon)}`;
  const distance = distanceText(beyondM);
  const message = `lat/long ${where} is outside the jurisdiction: ${distance.en}, more than the ${maxDistanceM} m a report may be from one`;
  const zh = `上报位置（纬度/经度 ${where}）不在本辖区受理范围内：${distance.zh}，超过 ${maxDistanceM} 米`;
  throw new ValidationError('the location is outside the jurisdiction', [{ path: 'lat', message, zh }], { zh });
}

/**
 * Whether the contract's rulebook raises a complaint's order at routing, before a verdict
 * (`complaint.orderAtIntake`, default off): the terms in force today.
 */
function ordersAtIntake(contract: Contract, today: string): boolean {
  return (termsAsOf(contract, today) ?? latestTerms(contract)).rulebook.complaint.orderAtIntake === true;
}

/**
 * Routes a complaint in status `routing`: to a contract or to the queue. The order is raised
 * only when the contract's rulebook says so (`ordersAtIntake`); else it waits for a verdict.
 */
async function completeRouting(deps: ComplaintDeps, complaint: Complaint, zone: string, by: string, knownSegments?: readonly Segment[]): Promise<Complaint> {
  const now = deps.clock.now();
  const [segments, contracts] = await Promise.all([
    knownSegments ?? deps.activeSegments(complaint.tenantId),
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
  return routeTo(deps, complaint, { contract: outcome.contract, segmentId: outcome.segmentId, distanceM: outcome.distanceM }, zone, by);
}

interface RouteTarget {
  readonly contract: Contract;
  readonly segmentId: string;
  readonly distanceM?: number;
}

/**
 * Records the routing to `target`: with the complaint's order when the rulebook raises it at
 * intake (or an earlier attempt already did: a retry converges on it), else without one.
 */
async function routeTo(deps: ComplaintDeps, complaint: Complaint, target: RouteTarget, zone: string, by: string): Promise<Complaint> {
  const now = deps.clock.now();
  const order = ordersAtIntake(target.contract, localDate(now, zone))
    ? await raiseComplaintOrder(deps, complaint, target, zone, by)
    : await deps.orders.get(complaint.tenantId, orderIdFor(complaint.complaintId));
  const routed = markRouted(
    complaint,
    order === undefined
      ? {
          segmentId: target.segmentId,
          ...(target.distanceM === undefined ? {} : { distanceM: Math.round(target.distanceM * 10) / 10 }),
          contractId: target.contract.contractId,
          contractorId: target.contract.contractorId,
          ...(await contractorNameOf(deps, complaint.tenantId, target.contract.contractorId)),
          routedAt: now.toISOString(),
          routedBy: by,
        }
      : {
          segmentId: order.segmentId,
          ...(target.distanceM === undefined || order.segmentId !== target.segmentId ? {} : { distanceM: Math.round(target.distanceM * 10) / 10 }),
          contractId: order.contractId,
          contractorId: order.contractorId,
          ...(await contractorNameOf(deps, complaint.tenantId, order.contractorId)),
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

async function contractorNameOf(deps: ComplaintDeps, tenantId: string, contractorId: string): Promise<{ contractorName?: string }> {
  const name = await deps.contractorName?.(tenantId, contractorId);
  return name === undefined ? {} : { contractorName: name };
}

/**
 * Raises the complaint's one order (id from the complaint, see `orderIdFor`), due the
 * service's hours from now (the contractor cannot start before being told). An order that
 * already exists from an earlier attempt is taken as it is, contract and due time included,
 * so a retry converges on what the first attempt started.
 */
async function raiseComplaintOrder(deps: ComplaintDeps, complaint: Complaint, target: RouteTarget, zone: string, by: string): Promise<RectificationOrder> {
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
  return order;
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
 * Procurement assigns a queued complaint to a segment by hand, to the contract holding it
 * today for the service type. As at intake, the order waits for a valid verdict unless the
 * contract's rulebook raises it at once (`complaint.orderAtIntake`).
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
  return routeTo(deps, complaint, { contract, segmentId }, zone, actor.userId);
}

/**
 * The inspector's verdict (DESIGN §3; issue 13: a citizen report becomes an order only when
 * verified).
 * - valid: raises the complaint's order (due the service's hours from now) unless it exists
 *   (raised at intake by the rulebook, or before a reopening), and records the points of the
 *   rulebook in force on the request's date; the complaint is `rectifying` until the order is
 *   accepted.
 * - invalid: withdraws the order the complaint raised, if it is not yet accepted, without
 *   penalty (and without the points a valid verdict recorded for it); the complaint closes.
 * The order is written first: a failure before the complaint's write leaves the verdict to be
 * given again, which finds the order raised or withdrawn already and converges.
 */
export async function verifyComplaint(deps: ComplaintDeps, actor: Actor, complaintId: string, input: unknown, ifMatch: number | undefined): Promise<Complaint> {
  authorize(actor, 'complaint:verify', { tenantId: actor.tenantId });
  const verdict = parseInput(VerifyComplaintInput, input, '');
  const complaint = await existing(deps, actor.tenantId, complaintId);
  checkVersion(complaint, ifMatch);
  checkVerdict(complaint, verdict.valid);
  const now = deps.clock.now();
  const zone = await zoneOfTenant(deps, actor.tenantId);
  const verdictInput = { valid: verdict.valid, reason: verdict.reason, publicNote: verdict.publicNote, by: actor.userId };
  if (!verdict.valid) {
    const withdrawn = await withdrawComplaintOrder(deps, complaint, actor.userId, verdict.reason, now);
    const verified = verify(complaint, verdictInput, { withdrewOrderId: withdrawn?.orderId }, zone, now);
    await deps.complaints.save({ complaint: verified, expectedVersion: complaint.version });
    return verified;
  }
  const routing = complaint.routing!;
  let order: VerdictOrder | undefined = routing.orderId === undefined ? undefined : await deps.orders.get(actor.tenantId, routing.orderId);
  if (order === undefined) {
    const contract = await deps.getContract(actor.tenantId, routing.contractId);
    if (contract === undefined) throw new NotFoundError('contract', routing.contractId);
    order = await raiseComplaintOrder(deps, complaint, { contract, segmentId: routing.segmentId }, zone, actor.userId);
  }
  let points: ComplaintPoints | undefined;
  if (complaint.points === undefined) {
    const contract = await deps.getContract(actor.tenantId, routing.contractId);
    if (contract === undefined) throw new NotFoundError('contract', routing.contractId);
    const requestedOn = localDate(new Date(complaint.requestedAt), zone);
    // The rulebook in force when the citizen complained; a complaint assigned after the
    // contract ended still prices by its last terms.
    const terms = termsAsOf(contract, requestedOn) ?? termsAsOf(contract, localDate(new Date(routing.routedAt), zone)) ?? latestTerms(contract);
    points = {
      pointsX100: terms.rulebook.complaint.pointsX100,
      contractId: contract.contractId,
      contractorId: contract.contractorId,
      termsVersion: terms.termsVersion,
      localDate: requestedOn,
      recordedAt: now.toISOString(),
    };
  }
  const verified = verify(complaint, verdictInput, { points, order }, zone, now);
  await deps.complaints.save({ complaint: verified, expectedVersion: complaint.version });
  return verified;
}

/**
 * An invalid verdict's effect on the complaint's order: withdrawn (without penalty) when it
 * exists and is not yet accepted; the withdrawn order, or undefined when there was none to
 * withdraw. An order another writer changed meanwhile (an answer) is read again once.
 */
async function withdrawComplaintOrder(deps: ComplaintDeps, complaint: Complaint, by: string, reason: string, now: Date): Promise<RectificationOrder | undefined> {
  const orderId = complaint.routing?.orderId ?? orderIdFor(complaint.complaintId);
  for (let attempt = 1; ; attempt += 1) {
    const order = await deps.orders.get(complaint.tenantId, orderId);
    if (order === undefined || order.origin.kind !== 'complaint' || order.origin.complaintId !== complaint.complaintId) return undefined;
    if (order.status === 'withdrawn') return order;
    if (!withdrawableStatuses.includes(order.status)) return undefined;
    const withdrawn = withdrawOrder(order, by, now, reason);
    try {
      await deps.orders.save({ order: withdrawn, expectedVersion: order.version });
      return withdrawn;
    } catch (error) {
      if (!(error instanceof StaleVersionError) || attempt >= 2) throw error;
    }
  }
}

/** Open311 extension: the citizen reopens a closed request within the window, with the token. */
export async function reopenRequest(deps: ComplaintDeps, serviceRequestId: string, input: unknown): Promise<Open311Request> {
  const parsed = parseInput(ReopenRequestInput, input, '');
  const zone = await zoneOfJurisdiction(deps, parsed.jurisdiction_id);
  const complaint = await existing(deps, parsed.jurisdiction_id, serviceRequestId);
  const orders = await publicOrders(deps, complaint.tenantId, [complaint]);
  const reopened = reopen(complaint, parsed.reopen_token, parsed.description, deps.clock.now(), orderOf(complaint, orders));
  await deps.complaints.save({ complaint: reopened, expectedVersion: complaint.version });
  return toOpen311Request(reopened, zone);
}

/** The orders the public view of `complaints` needs (open311.ts `ordersToRead`), by id. */
async function publicOrders(deps: ComplaintDeps, tenantId: string, complaints: readonly Complaint[]): Promise<ReadonlyMap<string, PublicOrder>> {
  const ids = [...new Set(ordersToRead(complaints))];
  return ids.length === 0 ? new Map() : deps.orders.getMany(tenantId, ids);
}

function orderOf(complaint: Complaint, orders: ReadonlyMap<string, PublicOrder>): PublicOrder | undefined {
  return complaint.routing?.orderId === undefined ? undefined : orders.get(complaint.routing.orderId);
}

/** Open311 "GET Service Request": the one request as a one-element array (as the spec shows). */
export async function getRequest(deps: ComplaintDeps, jurisdictionId: unknown, serviceRequestId: string): Promise<Open311Request[]> {
  const tenantId = parseInput(JurisdictionId, jurisdictionId, 'jurisdiction_id');
  const zone = await zoneOfJurisdiction(deps, tenantId);
  const complaint = await existing(deps, tenantId, serviceRequestId);
  const orders = await publicOrders(deps, tenantId, [complaint]);
  return [toOpen311Request(complaint, zone, orderOf(complaint, orders))];
}

/** The stored statuses each Open311 status may come from; `rectifying` is either (its order decides). */
const internalStatuses: Readonly<Record<'open' | 'closed', readonly ComplaintStatus[]>> = {
  open: ['routing', 'unrouted', 'routed', 'rectifying'],
  closed: ['closed', 'rectifying'],
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
    const orders = await publicOrders(deps, tenantId, [...found.values()]);
    return parsed.service_request_id.flatMap((id) => {
      const complaint = found.get(id);
      return complaint === undefined ? [] : [toOpen311Request(complaint, zone, orderOf(complaint, orders))];
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
  const orders = await publicOrders(deps, tenantId, complaints);
  const wanted = parsed.status === undefined ? undefined : new Set(parsed.status);
  return complaints
    .map((complaint) => toOpen311Request(complaint, zone, orderOf(complaint, orders)))
    .filter((request) => wanted === undefined || wanted.has(request.status));
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
