import { describe, expect, it } from 'vitest';
import { serviceFor } from '../../../../domain/complaints/catalogue';
import { canReopen, complaintIdFrom, markRouted, markUnrouted, newComplaint, orderIdFor, publicNotes, reopen, reopenWindowDays, sha256Hex, verify, type VerdictOrder } from '../../../../domain/complaints/complaint';
import { open311Status, toOpen311Request, w3Datetime } from '../../../../domain/complaints/open311';
import type { Complaint, ComplaintPoints } from '../../../../domain/complaints/schema';
import { ConflictError, ForbiddenError, RuleViolationError } from '../../../../domain/errors';
import { huanjie, seg, tenantId } from './fixtures';

const at = new Date('2025-03-05T02:00:00Z');
const later = (hours: number): Date => new Date(at.getTime() + hours * 3_600_000);

function received(): Complaint {
  return newComplaint({
    complaintId: complaintIdFrom('01JNQ000000000000000000001'),
    tenantId,
    service: serviceFor(tenantId, 'CL-LITTER')!,
    description: '路口有大量纸屑',
    location: { lat: 31.23, lon: 121.46 },
    contact: { phone: '13800000000', email: undefined },
    reopenToken: 'secret',
    at,
  });
}

const zone = 'Asia/Shanghai';
const orderId = 'rec_01jnq000000000000000000001';

/** Routed with its order at once (rulebook complaint.orderAtIntake). */
function routed(): Complaint {
  return markRouted(
    received(),
    { segmentId: seg.nanjingWest, contractId: 'con_1', contractorId: huanjie, contractorName: '上海环杰环境服务有限公司', orderId, dueAt: later(24).toISOString(), routedAt: at.toISOString(), routedBy: 'open311' },
    zone,
    at,
  );
}

/** Routed without an order: it waits for a verdict (the default). */
function awaiting(): Complaint {
  return markRouted(received(), { segmentId: seg.nanjingWest, contractId: 'con_1', contractorId: huanjie, routedAt: at.toISOString(), routedBy: 'open311' }, zone, at);
}

/** The order raised by a valid verdict at `raisedAt`, due 24 h later. */
const raised = (raisedAt: Date, status: VerdictOrder['status'] = 'open'): VerdictOrder => ({ orderId, status, dueAt: new Date(raisedAt.getTime() + 24 * 3_600_000).toISOString() });

const points: ComplaintPoints = { pointsX100: 200, contractId: 'con_1', contractorId: huanjie, termsVersion: 1, localDate: '2025-03-05', recordedAt: at.toISOString() };

describe('newComplaint', () => {
  it('keeps only the contact fields given, and only the token\'s hash', () => {
    // Act
    const complaint = received();

    // Assess
    expect(complaint.contact).toEqual({ phone: '13800000000' });
    expect(complaint.reopenTokenSha256).toBe(sha256Hex('secret'));
    expect(JSON.stringify(complaint)).not.toContain('"secret"');
    expect(complaint).toMatchObject({ status: 'routing', version: 1, deadlineHours: 24, serviceType: 'cleaning' });
  });

  it('stores no contact at all when none was given', () => {
    // Act
    const complaint = newComplaint({ complaintId: 'cmp_01jnq000000000000000000002', tenantId, service: serviceFor(tenantId, 'MU-COVER')!, contact: {}, reopenToken: 't', at, addressString: '南京西路 1 号' });

    // Assess
    expect('contact' in complaint).toBe(false);
  });
});

describe('orderIdFor', () => {
  it('derives the one order id from the complaint\'s ULID', () => {
    // Assess
    expect(orderIdFor('cmp_01jnq000000000000000000001')).toBe('rec_01jnq000000000000000000001');
  });
});

describe('status mapping', () => {
  it('shows every status but closed as open to Open311, and rectifying as closed once its order is accepted', () => {
    // Prepare
    const of = (status: Complaint['status']) => ({ status, routing: routed().routing });

    // Assess
    expect((['routing', 'unrouted', 'routed', 'rectifying', 'closed'] as const).map((status) => open311Status(of(status)))).toEqual(['open', 'open', 'open', 'open', 'closed']);
    expect(open311Status(of('rectifying'), { orderId, status: 'answered' })).toBe('open');
    expect(open311Status(of('rectifying'), { orderId, status: 'closed', closedAt: later(5).toISOString() })).toBe('closed');
    expect(open311Status(of('routed'), { orderId, status: 'closed', closedAt: later(5).toISOString() })).toBe('open');
  });

  it('says a routed complaint without an order waits for an inspector, expected the service hours after the request', () => {
    // Act
    const view = toOpen311Request(awaiting(), zone);

    // Assess
    expect(view).toMatchObject({ status: 'open', status_notes: '已受理，已分派至所在路段的作业单位，待巡查人员现场核实', expected_datetime: '2025-03-06T10:00:00+08:00' });
    expect(view.service_notice).toContain('现场核实');
  });

  it('shows the queue and the routing in status_notes, with the due time in the tenant zone', () => {
    // Act
    const queued = markUnrouted(received(), 'no_contract', seg.weihai, at);
    const view = toOpen311Request(routed(), 'Asia/Shanghai');

    // Assess
    expect(toOpen311Request(queued, 'Asia/Shanghai').status_notes).toBe('已受理，待人工分派至作业单位');
    expect(view.status_notes).toBe('已转交作业单位整改，期限 2025-03-06 10:00');
    expect(view).toMatchObject({ status: 'open', agency_responsible: '上海环杰环境服务有限公司', requested_datetime: '2025-03-05T10:00:00+08:00', expected_datetime: '2025-03-06T10:00:00+08:00' });
  });

  it('never shows contact data in the Open311 view', () => {
    // Act
    const text = JSON.stringify(toOpen311Request(routed(), 'Asia/Shanghai'));

    // Assess
    expect(text).not.toContain('13800000000');
  });
});

describe('verify', () => {
  it('puts a valid complaint in rectifying with its order, the default public note and the points, the reason kept internal', () => {
    // Act
    const valid = verify(awaiting(), { valid: true, reason: '经核实属实，系商户乱倒', by: 'usr_inspector' }, { points, order: raised(later(3)) }, zone, later(3));

    // Assess
    expect(valid).toMatchObject({ status: 'rectifying', statusNotes: '经现场核实，问题属实，已责令作业单位于 2025-03-06 13:00 前整改', points, routing: { orderId, dueAt: raised(later(3)).dueAt } });
    expect(valid.closedAt).toBeUndefined();
    expect(valid.verifications).toEqual([{ valid: true, reason: '经核实属实，系商户乱倒', publicNote: valid.statusNotes, at: later(3).toISOString(), by: 'usr_inspector' }]);
    expect(toOpen311Request(valid, zone)).toMatchObject({ status: 'open', expected_datetime: '2025-03-06T13:00:00+08:00' });
    expect(JSON.stringify(toOpen311Request(valid, zone))).not.toContain('商户');
  });

  it('closes an invalid complaint without points, with the public note given or the default one', () => {
    // Act
    const given = verify(awaiting(), { valid: false, reason: '疑似恶意投诉', publicNote: '经核实，路面整洁', by: 'usr_inspector' }, {}, zone, later(3));
    const byDefault = verify(awaiting(), { valid: false, reason: '疑似恶意投诉', by: 'usr_inspector' }, {}, zone, later(3));

    // Assess
    expect(given).toMatchObject({ status: 'closed', closedAt: later(3).toISOString() });
    expect(given.points).toBeUndefined();
    expect(toOpen311Request(given, zone)).toMatchObject({ status: 'closed', status_notes: '经核实，路面整洁' });
    expect(toOpen311Request(byDefault, zone).status_notes).toBe(publicNotes.invalid);
  });

  it('drops the points when an invalid verdict withdrew the order, and keeps them when there was none to withdraw', () => {
    // Prepare
    const valid = verify(awaiting(), { valid: true, reason: '属实', by: 'u' }, { points, order: raised(later(1)) }, zone, later(1));

    // Act
    const corrected = verify(valid, { valid: false, reason: '复核不属实', by: 'u' }, { withdrewOrderId: orderId }, zone, later(2));
    const kept = verify({ ...valid, status: 'routed' }, { valid: false, reason: '重开无据', by: 'u' }, {}, zone, later(2));

    // Assess
    expect(corrected.points).toBeUndefined();
    expect(corrected.verifications.at(-1)).toMatchObject({ valid: false, withdrewOrderId: orderId });
    expect(kept.points).toEqual(points);
  });

  it('refuses a valid verdict before the complaint has a contractor, a second valid one, and any after closing', () => {
    // Prepare
    const queued = markUnrouted(received(), 'no_location', undefined, at);
    const closed = verify(awaiting(), { valid: false, reason: 'x', by: 'u' }, {}, zone, later(1));
    const rectifying = verify(awaiting(), { valid: true, reason: 'ok', by: 'u' }, { points, order: raised(later(1)) }, zone, later(1));

    // Act + Assess
    expect(() => verify(queued, { valid: true, reason: 'ok', by: 'u' }, { points, order: raised(later(1)) }, zone, later(1))).toThrow(RuleViolationError);
    expect(() => verify(closed, { valid: true, reason: 'ok', by: 'u' }, { points, order: raised(later(2)) }, zone, later(2))).toThrow(ConflictError);
    expect(() => verify(closed, { valid: false, reason: 'x', by: 'u' }, {}, zone, later(2))).toThrow(ConflictError);
    expect(() => verify(rectifying, { valid: true, reason: 'ok', by: 'u' }, { points, order: raised(later(1)) }, zone, later(2))).toThrow(ConflictError);
  });

  it('does not record points again when a reopened complaint is found valid again, and closes it when its order was accepted', () => {
    // Prepare: valid, its order accepted 2 h later, reopened by the citizen
    const first = verify(awaiting(), { valid: true, reason: '属实', by: 'u' }, { points, order: raised(later(1)) }, zone, later(1));
    const accepted = { orderId, status: 'closed' as const, closedAt: later(2).toISOString(), dueAt: raised(later(1)).dueAt };
    const reopened = reopen(first, 'secret', '又脏了', later(3), accepted);

    // Act
    const second = verify(reopened, { valid: true, reason: '仍属实', by: 'u' }, { points: { ...points, pointsX100: 999 }, order: accepted }, zone, later(4));

    // Assess
    expect(reopened.status).toBe('routed');
    expect(second).toMatchObject({ status: 'closed', statusNotes: publicNotes.validAlreadyRectified, closedAt: later(4).toISOString() });
    expect(second.points?.pointsX100).toBe(200);
    expect(second.verifications).toHaveLength(2);
  });
});

describe('reopen window', () => {
  const closed = (): Complaint => verify(awaiting(), { valid: false, reason: '无此问题', by: 'u' }, {}, zone, at);
  const rectifying = (): Complaint => verify(awaiting(), { valid: true, reason: '属实', by: 'u' }, { points, order: raised(at) }, zone, at);

  it('counts the window of a valid complaint from its order\'s acceptance, and refuses reopening while the order is owed', () => {
    // Prepare
    const acceptedAt = later(30);
    const accepted = { orderId, status: 'closed' as const, closedAt: acceptedAt.toISOString() };

    // Act + Assess
    expect(canReopen(rectifying(), later(31), { orderId, status: 'answered' })).toBe(false);
    expect(() => reopen(rectifying(), 'secret', undefined, later(31), { orderId, status: 'answered' })).toThrow(ConflictError);
    expect(canReopen(rectifying(), new Date(acceptedAt.getTime() + reopenWindowDays * 86_400_000), accepted)).toBe(true);
    expect(canReopen(rectifying(), new Date(acceptedAt.getTime() + reopenWindowDays * 86_400_000 + 1), accepted)).toBe(false);
  });


  it(`allows reopening up to ${reopenWindowDays} days after closing, inclusive, and not after`, () => {
    // Assess
    expect(canReopen(closed(), later(reopenWindowDays * 24))).toBe(true);
    expect(canReopen(closed(), new Date(later(reopenWindowDays * 24).getTime() + 1))).toBe(false);
    expect(canReopen(routed(), at)).toBe(false);
  });

  it('reopens to the routed state with the token, clearing closedAt', () => {
    // Act
    const reopened = reopen(closed(), 'secret', '问题仍在', later(24));

    // Assess
    expect(reopened).toMatchObject({ status: 'routed', statusNotes: '市民已重新打开，待重新核实', reopens: [{ at: later(24).toISOString(), note: '问题仍在' }] });
    expect(reopened.closedAt).toBeUndefined();
  });

  it('refuses a wrong token, an open request and a late reopening', () => {
    // Act + Assess
    expect(() => reopen(closed(), 'guess', undefined, later(1))).toThrow(ForbiddenError);
    expect(() => reopen(routed(), 'secret', undefined, later(1))).toThrow(ConflictError);
    expect(() => reopen(closed(), 'secret', undefined, later(8 * 24))).toThrow(RuleViolationError);
  });
});

describe('w3Datetime', () => {
  it('writes an instant at whole seconds with the tenant offset, as the spec examples do', () => {
    // Act + Assess
    expect(w3Datetime('2026-11-23T17:45:07.868Z', 'Asia/Shanghai')).toBe('2026-11-24T01:45:07+08:00');
  });
});
