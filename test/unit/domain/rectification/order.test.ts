import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError } from '../../../../domain/errors';
import { acceptOrder, answerOrder, dueAtFor, isSettledInTime, latePenaltyFor, markLate, reopenOrder, shouldMarkLate, withdrawOrder } from '../../../../domain/rectification/order';
import type { RectificationAnswer, RectificationOrder } from '../../../../domain/rectification/schema';
import { cleaningRulebook } from '../contracts/fixtures';

const shanghai = 'Asia/Shanghai';
const berlin = 'Europe/Berlin';

function local(iso: string, zone: string): Date {
  return DateTime.fromISO(iso, { zone }).toJSDate();
}
function wall(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

describe('dueAtFor (elapsed hours in the tenant zone)', () => {
  it('crosses a month end', () => {
    // 31 Jan 20:00 Shanghai + 24 h → 1 Feb 20:00.
    expect(wall(dueAtFor(local('2026-01-31T20:00', shanghai), 24, shanghai), shanghai)).toBe('2026-02-01T20:00');
  });

  it('crosses a year end and a leap day', () => {
    expect(wall(dueAtFor(local('2025-12-31T23:30', shanghai), 1, shanghai), shanghai)).toBe('2026-01-01T00:30');
    expect(wall(dueAtFor(local('2028-02-28T22:00', shanghai), 4, shanghai), shanghai)).toBe('2028-02-29T02:00');
  });

  it('counts real hours across the spring DST change (Europe/Berlin loses an hour on 29 Mar 2026)', () => {
    const due = dueAtFor(local('2026-03-28T12:00', berlin), 24, berlin);

    // 24 elapsed hours: the wall clock shows 13:00 the next day, not 12:00.
    expect(wall(due, berlin)).toBe('2026-03-29T13:00');
    expect(due.getTime() - local('2026-03-28T12:00', berlin).getTime()).toBe(24 * 3_600_000);
  });

  it('counts real hours across the autumn DST change (25 Oct 2026 gains an hour)', () => {
    expect(wall(dueAtFor(local('2026-10-24T12:00', berlin), 24, berlin), berlin)).toBe('2026-10-25T11:00');
  });

  it('refuses a non-positive period', () => {
    expect(() => dueAtFor(new Date(), 0, shanghai)).toThrow(RangeError);
  });
});

describe('latePenaltyFor', () => {
  const rulebook = cleaningRulebook();

  it('repeats the defect price when sameAsDefect', () => {
    expect(latePenaltyFor(rulebook, { pointsX100: 800, fineFen: 20_000 })).toEqual({ pointsX100: 800, fineFen: 20_000 });
  });

  it("costs the rulebook's complaint points for a complaint without an item", () => {
    expect(latePenaltyFor(rulebook, undefined)).toEqual({ pointsX100: 200, fineFen: 0 });
  });

  it('costs the stated points and fine otherwise', () => {
    expect(latePenaltyFor({ ...rulebook, latePenalty: { sameAsDefect: false, pointsX100: 50 } }, { pointsX100: 800, fineFen: 1 })).toEqual({ pointsX100: 50, fineFen: 0 });
  });
});

const issuedAt = '2026-03-05T02:00:00.000Z';
const dueAt = '2026-03-05T04:00:00.000Z';
const beforeDue = new Date('2026-03-05T03:00:00.000Z');
const afterDue = new Date('2026-03-05T05:00:00.000Z');

function order(patch: Partial<RectificationOrder> = {}): RectificationOrder {
  return {
    orderId: 'rec_01jnq000000000000000000001',
    tenantId: 'jingan',
    contractId: 'con_01jnq000000000000000000001',
    contractorId: 'ctr_k2m7q4x9b3n8p5rt',
    segmentId: 'seg_n4j7w2q8e5r3t6yu',
    serviceType: 'cleaning',
    origin: { kind: 'inspection', inspectionId: 'ins_01jnq000000000000000000001', lineIndex: 0, itemCode: 'CL-PILE-M' },
    itemCode: 'CL-PILE-M',
    mode: 'deduct',
    description: '垃圾堆积',
    termsVersion: 1,
    latePenalty: { pointsX100: 800, fineFen: 20_000 },
    issuedAt,
    issuedBy: 'usr_inspect_zhao',
    dueAt,
    status: 'open',
    answers: [],
    reviews: [],
    version: 1,
    updatedAt: issuedAt,
    ...patch,
  };
}

function answerAt(at: Date): RectificationAnswer {
  return { evidenceIds: ['ev_0123456789abcdef0123456789abcdef'], at: at.toISOString(), by: 'usr_huanjie_chen' };
}

describe('the late rule', () => {
  it('does not mark an open order before or at its due time', () => {
    expect(shouldMarkLate(order(), beforeDue)).toBe(false);
    expect(shouldMarkLate(order(), new Date(dueAt))).toBe(false);
  });

  it('marks an open order after its due time, once, with the penalty fixed at raising', () => {
    const marked = markLate(order(), afterDue);

    expect(marked.late).toEqual({ markedAt: afterDue.toISOString(), by: 'system', penalty: { pointsX100: 800, fineFen: 20_000 } });
    expect(marked.version).toBe(2);
    // The sweep's decision is idempotent: a marked order is never marked again.
    expect(shouldMarkLate(marked, new Date('2026-03-06T00:00:00Z'))).toBe(false);
    expect(markLate(marked, new Date('2026-03-06T00:00:00Z'))).toBe(marked);
  });

  it('keeps an order answered in time out of the sweep, even if accepted after the due time', () => {
    const answered = answerOrder(order(), answerAt(beforeDue), beforeDue);
    const accepted = acceptOrder(answered, 'usr_inspect_zhao', afterDue);

    expect(shouldMarkLate(answered, afterDue)).toBe(false);
    expect(accepted.status).toBe('closed');
    expect(accepted.late).toBeUndefined();
    expect(isSettledInTime(accepted)).toBe(true);
  });

  it('marks late an order reopened after its due time, although its answer was in time', () => {
    const answered = answerOrder(order(), answerAt(beforeDue), beforeDue);
    const reopened = reopenOrder(answered, 'usr_inspect_zhao', afterDue, '仍有垃圾');

    expect(reopened.status).toBe('reopened');
    expect(reopened.dueAt).toBe(dueAt);
    expect(reopened.late?.by).toBe('usr_inspect_zhao');
  });

  it('leaves an order reopened before its due time open and unmarked', () => {
    const answered = answerOrder(order(), answerAt(beforeDue), beforeDue);
    const reopened = reopenOrder(answered, 'usr_inspect_zhao', new Date('2026-03-05T03:30:00Z'), '仍有垃圾');

    expect(reopened.late).toBeUndefined();
    expect(shouldMarkLate(reopened, afterDue)).toBe(true);
  });

  it('marks late at once an answer submitted after the due time', () => {
    expect(answerOrder(order(), answerAt(afterDue), afterDue).late?.markedAt).toBe(afterDue.toISOString());
  });
});

describe('transitions', () => {
  it('refuses to answer a closed order, or to accept or reopen an unanswered one', () => {
    const closed = acceptOrder(answerOrder(order(), answerAt(beforeDue), beforeDue), 'usr_inspect_zhao', beforeDue);

    expect(() => answerOrder(closed, answerAt(beforeDue), beforeDue)).toThrow(ConflictError);
    expect(() => acceptOrder(order(), 'usr_inspect_zhao', beforeDue)).toThrow(ConflictError);
    expect(() => reopenOrder(order(), 'usr_inspect_zhao', beforeDue, 'x')).toThrow(ConflictError);
  });

  it('lets a reopened order be answered again', () => {
    const reopened = reopenOrder(answerOrder(order(), answerAt(beforeDue), beforeDue), 'usr_inspect_zhao', beforeDue, '仍有垃圾');
    const again = answerOrder(reopened, answerAt(beforeDue), beforeDue);

    expect(again.status).toBe('answered');
    expect(again.answers).toHaveLength(2);
  });
});

describe('withdrawOrder (a complaint found invalid)', () => {
  const complaintOrder = (patch: Partial<RectificationOrder> = {}): RectificationOrder => order({ origin: { kind: 'complaint', complaintId: 'cmp_01jnq000000000000000000001' }, ...patch });

  it('withdraws an open, reopened or answered complaint order, late mark kept as history', () => {
    // Prepare
    const late = markLate(complaintOrder(), afterDue);

    // Act
    const withdrawn = withdrawOrder(late, 'usr_inspector', afterDue, '现场未见垃圾');
    const answered = withdrawOrder(answerOrder(complaintOrder(), answerAt(beforeDue), beforeDue), 'usr_inspector', afterDue, '重复诉求');

    // Assess
    expect(withdrawn).toMatchObject({ status: 'withdrawn', withdrawal: { at: afterDue.toISOString(), by: 'usr_inspector', reason: '现场未见垃圾' }, version: late.version + 1, late: late.late });
    expect(answered.status).toBe('withdrawn');
    expect(shouldMarkLate(withdrawn, new Date(afterDue.getTime() + 3_600_000))).toBe(false);
  });

  it('leaves a withdrawn order as it is, and no longer takes answers', () => {
    // Prepare
    const withdrawn = withdrawOrder(complaintOrder(), 'usr_inspector', beforeDue, '现场未见垃圾');

    // Act
    const again = withdrawOrder(withdrawn, 'usr_other', afterDue, 'again');

    // Assess
    expect(again).toBe(withdrawn);
    expect(() => answerOrder(withdrawn, answerAt(beforeDue), beforeDue)).toThrow(ConflictError);
  });

  it('refuses an accepted order and an inspection order', () => {
    // Prepare
    const accepted = acceptOrder(answerOrder(complaintOrder(), answerAt(beforeDue), beforeDue), 'usr_inspector', beforeDue);

    // Act + Assess
    expect(() => withdrawOrder(accepted, 'usr_inspector', afterDue, 'x')).toThrow(ConflictError);
    expect(() => withdrawOrder(order(), 'usr_inspector', afterDue, 'x')).toThrow(RuleViolationError);
  });
});
