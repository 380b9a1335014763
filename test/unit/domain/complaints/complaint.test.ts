import { describe, expect, it } from 'vitest';
import { serviceFor } from '../../../../domain/complaints/catalogue';
import { canReopen, complaintIdFrom, markRouted, markUnrouted, newComplaint, orderIdFor, reopen, reopenWindowDays, sha256Hex, verify } from '../../../../domain/complaints/complaint';
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

function routed(): Complaint {
  return markRouted(
    received(),
    { segmentId: seg.nanjingWest, contractId: 'con_1', contractorId: huanjie, contractorName: '上海环杰环境服务有限公司', orderId: 'rec_01jnq000000000000000000001', dueAt: later(24).toISOString(), routedAt: at.toISOString(), routedBy: 'open311' },
    'Asia/Shanghai',
    at,
  );
}

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
  it('shows every status but closed as open to Open311', () => {
    // Assess
    expect((['routing', 'unrouted', 'routed', 'closed'] as const).map(open311Status)).toEqual(['open', 'open', 'open', 'closed']);
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
  it('closes a valid complaint with the reason as status_notes and records the points once', () => {
    // Act
    const closed = verify(routed(), { valid: true, reason: '经核实属实', by: 'usr_inspector' }, points, later(3));

    // Assess
    expect(closed).toMatchObject({ status: 'closed', statusNotes: '经核实属实', closedAt: later(3).toISOString(), points });
    expect(closed.verifications).toHaveLength(1);
  });

  it('closes an invalid complaint without points', () => {
    // Act
    const closed = verify(routed(), { valid: false, reason: '现场无垃圾', by: 'usr_inspector' }, undefined, later(3));

    // Assess
    expect(closed.status).toBe('closed');
    expect(closed.points).toBeUndefined();
    expect(toOpen311Request(closed, 'Asia/Shanghai')).toMatchObject({ status: 'closed', status_notes: '现场无垃圾' });
  });

  it('refuses a valid verdict before the complaint has a contractor, and a second verdict', () => {
    // Prepare
    const queued = markUnrouted(received(), 'no_location', undefined, at);
    const closed = verify(routed(), { valid: false, reason: 'x', by: 'u' }, undefined, later(1));

    // Act + Assess
    expect(() => verify(queued, { valid: true, reason: 'ok', by: 'u' }, points, later(1))).toThrow(RuleViolationError);
    expect(() => verify(closed, { valid: true, reason: 'ok', by: 'u' }, points, later(2))).toThrow(ConflictError);
  });

  it('does not record points again when a reopened complaint is found valid again', () => {
    // Prepare
    const first = verify(routed(), { valid: true, reason: '属实', by: 'u' }, points, later(1));
    const reopened = reopen(first, 'secret', '又脏了', later(2));

    // Act
    const second = verify(reopened, { valid: true, reason: '仍属实', by: 'u' }, { ...points, pointsX100: 999 }, later(3));

    // Assess
    expect(second.points?.pointsX100).toBe(200);
    expect(second.verifications).toHaveLength(2);
  });
});

describe('reopen window', () => {
  const closed = (): Complaint => verify(routed(), { valid: false, reason: '无此问题', by: 'u' }, undefined, at);

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
