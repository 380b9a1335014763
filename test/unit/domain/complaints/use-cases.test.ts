import { describe, expect, it } from 'vitest';
import {
  assignComplaint,
  getRequest,
  listComplaints,
  listRequests,
  listServices,
  reopenRequest,
  requestWindow,
  retryRouting,
  submitComplaint,
  verifyComplaint,
} from '../../../../domain/complaints/use-cases';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../../../domain/errors';
import { actors } from '../contracts/fixtures';
import { activeContracts, complaintDeps, corner, huanjie, lvyuan, seg, tenantId } from './fixtures';

const nearShimen = { lat: String(corner.lat + 0.001), long: String(corner.lon + 0.0001) };

describe('submitComplaint', () => {
  it('records the complaint, routes it to the contractor holding the nearest segment, and raises one order due after the service hours', async () => {
    // Prepare
    const deps = complaintDeps();

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen, description: '纸屑很多' });

    // Assess
    const complaint = result.complaint;
    expect(complaint).toMatchObject({ status: 'routed', routing: { segmentId: seg.shimenOne, contractorId: huanjie, orderId: `rec_${complaint.complaintId.slice(4)}` } });
    const order = deps.orders.orders.get(complaint.routing!.orderId);
    expect(order).toMatchObject({ contractorId: huanjie, segmentId: seg.shimenOne, origin: { kind: 'complaint', complaintId: complaint.complaintId }, itemCode: 'CL-LITTER' });
    expect(order?.dueAt).toBe('2025-03-06T02:00:00.000Z');
    expect(result.reopenToken).toBe('token-1');
    expect(deps.complaints.records.get(complaint.complaintId)?.version).toBe(2);
  });

  it('routes a municipal complaint at the same place to the municipal contractor', async () => {
    // Prepare
    const deps = complaintDeps();

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'MU-COVER', lat: String(corner.lat + 0.00005), long: String(corner.lon + 0.001) });

    // Assess
    expect(result.complaint.routing).toMatchObject({ contractorId: lvyuan, segmentId: seg.nanjingWest });
    expect(result.complaint.routing?.dueAt).toBe('2025-03-05T04:00:00.000Z');
  });

  it('queues a complaint with an address only', async () => {
    // Prepare
    const deps = complaintDeps();

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-BIN', address_string: '南京西路 1266 号' });

    // Assess
    expect(result.complaint).toMatchObject({ status: 'unrouted', unroutedReason: 'no_location' });
    expect(deps.orders.orders.size).toBe(0);
  });

  it('answers 404-kind errors for an unknown jurisdiction or service code, and writes nothing', async () => {
    // Prepare
    const deps = complaintDeps();

    // Act + Assess
    await expect(submitComplaint(deps, { jurisdiction_id: 'city.gov', service_code: 'CL-LITTER', ...nearShimen })).rejects.toThrow(NotFoundError);
    await expect(submitComplaint(deps, { jurisdiction_id: tenantId, service_code: '001', ...nearShimen })).rejects.toThrow(NotFoundError);
    expect(deps.complaints.records.size).toBe(0);
  });

  it('refuses a request without a location or with half a coordinate, naming the field', async () => {
    // Prepare
    const deps = complaintDeps();

    // Act
    const missing = submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER' });
    const half = submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', lat: '31.2' });

    // Assess
    await expect(missing).rejects.toMatchObject({ issues: [{ path: 'lat', message: 'a location is required: lat & long, address_string or address_id' }] });
    await expect(half).rejects.toMatchObject({ issues: [{ path: 'long' }] });
  });

  it('retries routing at intake past a momentary failure of the store: routed, one order', async () => {
    // Prepare
    const deps = complaintDeps();
    deps.orders.failingSaves = 1;

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });

    // Assess
    expect(result.routingError).toBeUndefined();
    expect(result.complaint.status).toBe('routed');
    expect(deps.orders.orders.size).toBe(1);
  });

  it('keeps the complaint in routing when the order cannot be raised in three attempts, and a retry completes it with one order', async () => {
    // Prepare
    const deps = complaintDeps();
    deps.orders.failingSaves = 3;

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });
    const retried = await retryRouting(deps, actors.procurement, result.complaint.complaintId, 1);

    // Assess
    expect(result.routingError).toBeInstanceOf(Error);
    expect(result.complaint.status).toBe('routing');
    expect(retried.status).toBe('routed');
    expect(deps.orders.orders.size).toBe(1);
  });

  it('converges on the order already raised when the complaint update was lost', async () => {
    // Prepare: the order is written, then the complaint's own update fails at every intake attempt
    const deps = complaintDeps();
    deps.complaints.failingUpdates = 3;

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });
    const retried = await retryRouting(deps, actors.procurement, result.complaint.complaintId, 1);

    // Assess
    expect(result.complaint.status).toBe('routing');
    expect(retried.routing?.orderId).toBe([...deps.orders.orders.keys()][0]);
    expect(deps.orders.orders.size).toBe(1);
  });
});

describe('assignComplaint', () => {
  it('routes a queued complaint to the segment procurement names', async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-BIN', address_string: '石门一路 82 号' });

    // Act
    const assigned = await assignComplaint(deps, actors.procurement, complaint.complaintId, { segmentId: seg.shimenOne }, complaint.version);

    // Assess
    expect(assigned).toMatchObject({ status: 'routed', routing: { segmentId: seg.shimenOne, contractorId: huanjie, routedBy: actors.procurement.userId } });
    expect(deps.orders.orders.size).toBe(1);
  });

  it('refuses a segment no contract holds, a routed complaint, and a contractor user', async () => {
    // Prepare
    const deps = complaintDeps();
    const queued = (await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-BIN', address_string: 'x' })).complaint;
    const routed = (await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen })).complaint;

    // Act + Assess
    await expect(assignComplaint(deps, actors.procurement, queued.complaintId, { segmentId: seg.weihai }, queued.version)).rejects.toMatchObject({ name: 'RuleViolationError' });
    await expect(assignComplaint(deps, actors.procurement, routed.complaintId, { segmentId: seg.shimenOne }, routed.version)).rejects.toThrow(ConflictError);
    await expect(assignComplaint(deps, actors.huanjieUser, queued.complaintId, { segmentId: seg.shimenOne }, queued.version)).rejects.toThrow(ForbiddenError);
  });
});

describe('verifyComplaint', () => {
  it("records the complaint points of the contract's rulebook in force when valid", async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });
    const rulebookPoints = activeContracts()[0]!.versions[0]!.rulebook.complaint.pointsX100;

    // Act
    const verified = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: true, reason: '经核实属实' }, complaint.version);

    // Assess
    expect(verified.points).toMatchObject({ pointsX100: rulebookPoints, contractorId: huanjie, termsVersion: 1, localDate: '2025-03-05' });
    expect(verified).toMatchObject({ status: 'closed', statusNotes: '经核实属实' });
  });

  it('refuses a stale version and a procurement user', async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });

    // Act + Assess
    await expect(verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: false, reason: 'x' }, 1)).rejects.toMatchObject({ name: 'StaleVersionError' });
    await expect(verifyComplaint(deps, actors.procurement, complaint.complaintId, { valid: false, reason: 'x' }, complaint.version)).rejects.toThrow(ForbiddenError);
  });
});

describe('Open311 reads and reopen', () => {
  it('lists services of a known jurisdiction and refuses an unknown one', async () => {
    // Prepare
    const deps = complaintDeps();

    // Act + Assess
    expect((await listServices(deps, tenantId)).length).toBeGreaterThan(5);
    await expect(listServices(deps, 'city.gov')).rejects.toThrow(NotFoundError);
    await expect(listServices(deps, undefined)).rejects.toMatchObject({ issues: [{ path: 'jurisdiction_id', message: 'jurisdiction_id was not provided' }] });
  });

  it('gets one request as a one-element array, and 404 for another tenant', async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });

    // Act
    const answer = await getRequest(deps, tenantId, complaint.complaintId);

    // Assess
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatchObject({ service_request_id: complaint.complaintId, status: 'open', service_code: 'CL-LITTER' });
    await expect(getRequest(deps, tenantId, 'cmp_01jnq000000000000000009999')).rejects.toThrow(NotFoundError);
  });

  it('filters by ids (overriding the rest), status and service code', async () => {
    // Prepare
    const deps = complaintDeps();
    const a = (await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen })).complaint;
    const b = (await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-BIN', address_string: 'x' })).complaint;
    await verifyComplaint(deps, actors.inspector, b.complaintId, { valid: false, reason: '重复' }, b.version);

    // Act
    const byIds = await listRequests(deps, { jurisdiction_id: tenantId, service_request_id: `${b.complaintId},${a.complaintId}`, status: 'open' });
    const closed = await listRequests(deps, { jurisdiction_id: tenantId, status: 'closed' });
    const litter = await listRequests(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER' });

    // Assess
    expect(byIds.map((r) => r.service_request_id)).toEqual([b.complaintId, a.complaintId]);
    expect(closed.map((r) => r.service_request_id)).toEqual([b.complaintId]);
    expect(litter.map((r) => r.service_request_id)).toEqual([a.complaintId]);
  });

  it('reopens a closed request with its token', async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint, reopenToken } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });
    await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: false, reason: '未发现' }, complaint.version);

    // Act
    const reopened = await reopenRequest(deps, complaint.complaintId, { jurisdiction_id: tenantId, reopen_token: reopenToken });

    // Assess
    expect(reopened).toMatchObject({ status: 'open', status_notes: '市民已重新打开，待重新核实' });
    expect((await listComplaints(deps, actors.inspector, { status: 'routed', limit: 10 })).items).toHaveLength(1);
  });
});

describe('requestWindow', () => {
  const now = new Date('2025-06-30T00:00:00Z');

  it('defaults to the last 90 days, and extends one given date by 90 days', () => {
    // Act + Assess
    expect(requestWindow(undefined, undefined, now)).toEqual({ from: new Date('2025-04-01T00:00:00Z'), to: now });
    expect(requestWindow('2025-01-01T00:00:00Z', undefined, now)).toEqual({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-04-01T00:00:00Z') });
    expect(requestWindow(undefined, '2025-04-01T00:00:00+08:00', now).to).toEqual(new Date('2025-03-31T16:00:00Z'));
  });

  it('refuses a range over 90 days or backwards', () => {
    // Act + Assess
    expect(() => requestWindow('2025-01-01T00:00:00Z', '2025-04-02T00:00:00Z', now)).toThrow(ValidationError);
    expect(() => requestWindow('2025-02-01T00:00:00Z', '2025-01-01T00:00:00Z', now)).toThrow(ValidationError);
  });
});
