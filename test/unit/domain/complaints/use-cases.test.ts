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
  it('records the complaint and routes it to the contractor holding the nearest segment, raising no order before a verdict', async () => {
    // Prepare
    const deps = complaintDeps();

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen, description: '纸屑很多' });

    // Assess
    const complaint = result.complaint;
    expect(complaint).toMatchObject({ status: 'routed', statusNotes: '已受理，已分派至所在路段的作业单位，待巡查人员现场核实', routing: { segmentId: seg.shimenOne, contractorId: huanjie } });
    expect(complaint.routing?.orderId).toBeUndefined();
    expect(deps.orders.orders.size).toBe(0);
    expect(result.reopenToken).toBe('token-1');
    expect(deps.complaints.records.get(complaint.complaintId)?.version).toBe(2);
  });

  it("raises one order due after the service hours at routing when the contract's rulebook says so (complaint.orderAtIntake)", async () => {
    // Prepare
    const deps = complaintDeps({}, { orderAtIntake: true });

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen, description: '纸屑很多' });

    // Assess
    const complaint = result.complaint;
    expect(complaint).toMatchObject({ status: 'routed', routing: { segmentId: seg.shimenOne, contractorId: huanjie, orderId: `rec_${complaint.complaintId.slice(4)}` } });
    const order = deps.orders.orders.get(complaint.routing!.orderId!);
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
  });

  it('refuses a report outside the reach of every segment, naming lat/long and the distance, and records nothing', async () => {
    // Prepare: about 1.1 km south of the corner, the nearest segment
    const deps = complaintDeps();

    // Act
    const far = submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', lat: String(corner.lat - 0.01), long: String(corner.lon) });

    // Assess
    await expect(far).rejects.toThrow(ValidationError);
    await expect(far).rejects.toMatchObject({
      issues: [{ path: 'lat', message: expect.stringMatching(/^lat\/long 31\.22,121\.46 is outside the jurisdiction: 1\.1 km from the nearest road segment of the jurisdiction, more than the 100 m a report may be from one$/), zh: expect.stringContaining('不在本辖区受理范围内') }],
    });
    expect(deps.complaints.records.size).toBe(0);
  });

  it('queues a report within reach whose segment no contract holds', async () => {
    // Prepare: on 威海路, which no contract holds
    const deps = complaintDeps();

    // Act
    const result = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', lat: String(corner.lat + 0.01), long: String(corner.lon + 0.011) });

    // Assess
    expect(result.complaint).toMatchObject({ status: 'unrouted', unroutedReason: 'no_contract', candidateSegmentId: seg.weihai });
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
    const deps = complaintDeps({}, { orderAtIntake: true });
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
    const deps = complaintDeps({}, { orderAtIntake: true });
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
    const deps = complaintDeps({}, { orderAtIntake: true });
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
    expect(deps.orders.orders.size).toBe(0);
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
  it("raises the order when valid, due the service's hours after the verdict, and records the points of the contract's rulebook in force", async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });
    const rulebookPoints = activeContracts()[0]!.versions[0]!.rulebook.complaint.pointsX100;
    deps.clock.set(new Date('2025-03-05T06:00:00Z'));

    // Act
    const verified = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: true, reason: '经核实属实，现场照片见巡查记录' }, complaint.version);

    // Assess
    const orderId = `rec_${complaint.complaintId.slice(4)}`;
    expect(verified.points).toMatchObject({ pointsX100: rulebookPoints, contractorId: huanjie, termsVersion: 1, localDate: '2025-03-05' });
    expect(verified).toMatchObject({ status: 'rectifying', statusNotes: '经现场核实，问题属实，已责令作业单位于 2025-03-06 14:00 前整改', routing: { orderId, dueAt: '2025-03-06T06:00:00.000Z' } });
    expect(verified.verifications).toEqual([expect.objectContaining({ valid: true, reason: '经核实属实，现场照片见巡查记录', publicNote: verified.statusNotes })]);
    expect(deps.orders.orders.get(orderId)).toMatchObject({ status: 'open', contractorId: huanjie, origin: { kind: 'complaint', complaintId: complaint.complaintId }, issuedBy: actors.inspector.userId });
  });

  it('closes an invalid complaint without an order, showing the public note instead of the internal reason', async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });

    // Act
    const verified = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: false, reason: '疑似同行恶意投诉', publicNote: '经核实，该处路面整洁' }, complaint.version);
    const shown = await getRequest(deps, tenantId, complaint.complaintId);

    // Assess
    expect(verified).toMatchObject({ status: 'closed', statusNotes: '经核实，该处路面整洁' });
    expect(verified.points).toBeUndefined();
    expect(deps.orders.orders.size).toBe(0);
    expect(shown[0]).toMatchObject({ status: 'closed', status_notes: '经核实，该处路面整洁' });
    expect(JSON.stringify(shown)).not.toContain('恶意');
  });

  it('withdraws the order raised at intake when the complaint is found invalid, and the default public note is Chinese', async () => {
    // Prepare
    const deps = complaintDeps({}, { orderAtIntake: true });
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });

    // Act
    const verified = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: false, reason: '现场未见垃圾' }, complaint.version);

    // Assess
    const orderId = complaint.routing!.orderId!;
    expect(deps.orders.orders.get(orderId)).toMatchObject({ status: 'withdrawn', withdrawal: { by: actors.inspector.userId, reason: '现场未见垃圾' } });
    expect(verified).toMatchObject({ status: 'closed', statusNotes: expect.stringMatching(/^经现场核实，未发现所反映的问题/) });
    expect(verified.verifications.at(-1)).toMatchObject({ valid: false, withdrewOrderId: orderId });
  });

  it('corrects a valid verdict while its order is owed: the order is withdrawn and the points go with it; a second valid verdict is refused', async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });
    const valid = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: true, reason: '属实' }, complaint.version);

    // Act
    const again = verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: true, reason: '属实' }, valid.version);
    const corrected = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: false, reason: '复核：照片为他处' }, valid.version);

    // Assess
    await expect(again).rejects.toThrow(ConflictError);
    expect(corrected).toMatchObject({ status: 'closed' });
    expect(corrected.points).toBeUndefined();
    expect(deps.orders.orders.get(valid.routing!.orderId!)?.status).toBe('withdrawn');
  });

  it('keeps an accepted order and its points when a reopened complaint is found invalid', async () => {
    // Prepare: verified valid, order answered and accepted, reopened by the citizen
    const deps = complaintDeps();
    const { complaint, reopenToken } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });
    const valid = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: true, reason: '属实' }, complaint.version);
    const orderId = valid.routing!.orderId!;
    deps.orders.orders.set(orderId, { ...deps.orders.orders.get(orderId)!, status: 'closed', closedAt: '2025-03-05T05:00:00.000Z' });
    await reopenRequest(deps, complaint.complaintId, { jurisdiction_id: tenantId, reopen_token: reopenToken });
    const reopened = deps.complaints.records.get(complaint.complaintId)!;

    // Act
    const verified = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: false, reason: '问题已解决，重开无据' }, reopened.version);

    // Assess
    expect(deps.orders.orders.get(orderId)?.status).toBe('closed');
    expect(verified).toMatchObject({ status: 'closed', points: valid.points });
    expect(verified.verifications.at(-1)?.withdrewOrderId).toBeUndefined();
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

  it('shows a valid complaint open until its order is accepted, then closed with the rectified note and the acceptance time', async () => {
    // Prepare
    const deps = complaintDeps();
    const { complaint } = await submitComplaint(deps, { jurisdiction_id: tenantId, service_code: 'CL-LITTER', ...nearShimen });
    const valid = await verifyComplaint(deps, actors.inspector, complaint.complaintId, { valid: true, reason: '属实' }, complaint.version);
    const orderId = valid.routing!.orderId!;

    // Act
    const whileOwed = await getRequest(deps, tenantId, complaint.complaintId);
    const openList = await listRequests(deps, { jurisdiction_id: tenantId, status: 'open' });
    deps.orders.orders.set(orderId, { ...deps.orders.orders.get(orderId)!, status: 'closed', closedAt: '2025-03-05T09:30:00.000Z' });
    const accepted = await getRequest(deps, tenantId, complaint.complaintId);
    const closedList = await listRequests(deps, { jurisdiction_id: tenantId, status: 'closed' });

    // Assess
    expect(whileOwed[0]).toMatchObject({ status: 'open', status_notes: valid.statusNotes });
    expect(openList.map((r) => r.service_request_id)).toEqual([complaint.complaintId]);
    expect(accepted[0]).toMatchObject({ status: 'closed', status_notes: '整改已完成，经巡查人员验收合格，本诉求办结', updated_datetime: '2025-03-05T17:30:00+08:00' });
    expect(closedList.map((r) => r.service_request_id)).toEqual([complaint.complaintId]);
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
