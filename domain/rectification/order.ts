import { DateTime } from 'luxon';
import { ConflictError, RuleViolationError } from '../errors';
import type { DefectItem, Rulebook } from '../rulebooks/schema';
import { owingStatuses, type LateMark, type Penalty, type RectificationAnswer, type RectificationOrder, type RectificationStatus } from './schema';

/**
 * The rules of one rectification order (DESIGN §3 "Inspections", "Rectification modes"), pure:
 * deadlines, the late penalty, and each transition. Instants are stored as UTC ISO strings
 * (`toISOString`) so they compare as text and sort in keys; only the tenant zone decides
 * calendar questions.
 */

/**
 * The deadline of a finding at `issuedAt` with an item's `hours` (整改时限).
 *
 * Choice: ELAPSED hours, not wall-clock hours. "24 小时内整改" is a period of work the crew
 * has, so a night across a DST change (in a zone that has one) gives 24 real hours: in
 * Europe/Berlin a finding at 12:00 on the Saturday before the spring change is due at 13:00
 * local on Sunday. China has no DST, so in Asia/Shanghai both readings agree; the zone is
 * still taken so the rule is explicit, and month and year ends need nothing special because
 * an instant plus hours has no calendar.
 */
export function dueAtFor(issuedAt: Date, hours: number, zone: string): Date {
  if (!Number.isInteger(hours) || hours < 1) throw new RangeError(`rectification hours are a positive integer, got ${hours}`);
  const start = DateTime.fromJSDate(issuedAt, { zone });
  if (!start.isValid) throw new RangeError(`cannot place ${issuedAt.toISOString()} in zone '${zone}'`);
  // luxon adds hours as a duration of time (not calendar units), i.e. elapsed hours.
  return start.plus({ hours }).toJSDate();
}

/**
 * What marking an order late costs (rulebook `latePenalty`, DESIGN §3 "default: the defect
 * again"). `sameAsDefect`: what the defect cost once more — for an inspection line its own
 * price (count x item x repeat factor), else one occurrence of the item. A complaint without an item counts
 * the rulebook's complaint points as its "defect" (no fine: complaints carry none). Otherwise
 * the stated points and fine (absent = 0).
 */
export function latePenaltyFor(rulebook: Pick<Rulebook, 'latePenalty' | 'complaint'>, item: Pick<DefectItem, 'pointsX100' | 'fineFen'> | undefined): Penalty {
  const rule = rulebook.latePenalty;
  if (rule.sameAsDefect) {
    return item === undefined ? { pointsX100: rulebook.complaint.pointsX100, fineFen: 0 } : { pointsX100: item.pointsX100, fineFen: item.fineFen };
  }
  return { pointsX100: rule.pointsX100 ?? 0, fineFen: rule.fineFen ?? 0 };
}

export function isOwing(order: Pick<RectificationOrder, 'status'>): boolean {
  return owingStatuses.includes(order.status);
}

/** The answer an `answered` or `closed` order stands on: the last one. */
function currentAnswer(order: Pick<RectificationOrder, 'answers'>): RectificationAnswer | undefined {
  return order.answers[order.answers.length - 1];
}

/**
 * True when the order is settled in time: answered (pending review) or closed on an answer
 * submitted at or before dueAt. A reopened order is not settled, whatever earlier answers were.
 */
export function isSettledInTime(order: Pick<RectificationOrder, 'status' | 'answers' | 'dueAt'>): boolean {
  if (order.status !== 'answered' && order.status !== 'closed') return false;
  const answer = currentAnswer(order);
  return answer !== undefined && Date.parse(answer.at) <= Date.parse(order.dueAt);
}

/**
 * Whether the order must be marked late at `now` (the sweep's decision and every
 * transition's): not yet marked, past due, and not settled in time. Marking is once: an
 * order with `late` never qualifies again, so two sweeps mark it once.
 */
export function shouldMarkLate(order: RectificationOrder, now: Date): boolean {
  if (order.late !== undefined) return false;
  if (now.getTime() <= Date.parse(order.dueAt)) return false;
  return !isSettledInTime(order);
}

function lateMark(order: RectificationOrder, at: Date, by: string): LateMark {
  return { markedAt: at.toISOString(), by, penalty: order.latePenalty };
}

/** The order marked late by the sweep (or unchanged when it must not be). */
export function markLate(order: RectificationOrder, at: Date, by = 'system'): RectificationOrder {
  if (!shouldMarkLate(order, at)) return order;
  return { ...order, late: lateMark(order, at, by), version: order.version + 1, updatedAt: at.toISOString() };
}

/** An order's status as a Chinese sentence part ("整改通知书 rec_… 已关闭"), for the refusals below. */
export const orderStatusZh: Readonly<Record<RectificationOrder['status'], string>> = {
  open: '待整改',
  answered: '已回复',
  closed: '已关闭',
  reopened: '已重新开启',
  withdrawn: '已撤回',
};

/** After a transition at `at`: marks late when the new state is late (answer or reopening past due). */
function withLateness(order: RectificationOrder, at: Date, by: string): RectificationOrder {
  return shouldMarkLate(order, at) ? { ...order, late: lateMark(order, at, by) } : order;
}

/** The contractor's answer (整改回复): allowed while open or reopened. */
export function answerOrder(order: RectificationOrder, answer: RectificationAnswer, at: Date): RectificationOrder {
  if (!isOwing(order)) {
    throw new ConflictError(`rectification order '${order.orderId}' is ${order.status}; only open or reopened orders can be answered`, {
      zh: `整改通知书 '${order.orderId}' ${orderStatusZh[order.status]}；只有待整改或已重新开启的通知书可以回复`,
    });
  }
  const next: RectificationOrder = {
    ...order,
    status: 'answered',
    answers: [...order.answers, answer],
    version: order.version + 1,
    updatedAt: at.toISOString(),
  };
  return withLateness(next, at, answer.by);
}

/** The inspector accepts the current answer: closed. */
export function acceptOrder(order: RectificationOrder, by: string, at: Date, reason?: string): RectificationOrder {
  if (order.status !== 'answered') {
    throw new ConflictError(`rectification order '${order.orderId}' is ${order.status}; only an answered order can be accepted`, {
      zh: `整改通知书 '${order.orderId}' ${orderStatusZh[order.status]}；只有已回复的通知书可以验收`,
    });
  }
  const next: RectificationOrder = {
    ...order,
    status: 'closed',
    reviews: [...order.reviews, { decision: 'accepted', at: at.toISOString(), by, ...(reason === undefined ? {} : { reason }) }],
    closedAt: at.toISOString(),
    version: order.version + 1,
    updatedAt: at.toISOString(),
  };
  return withLateness(next, at, by);
}

/** The inspector reopens an answered order with a reason; the due time stays. */
export function reopenOrder(order: RectificationOrder, by: string, at: Date, reason: string): RectificationOrder {
  if (order.status !== 'answered') {
    throw new ConflictError(`rectification order '${order.orderId}' is ${order.status}; only an answered order can be reopened`, {
      zh: `整改通知书 '${order.orderId}' ${orderStatusZh[order.status]}；只有已回复的通知书可以重新开启`,
    });
  }
  if (reason.trim() === '') throw new RuleViolationError('a reopening needs a reason', ['reason is empty'], { zh: '重新开启须说明理由', reasonsZh: ['理由为空'] });
  const next: RectificationOrder = {
    ...order,
    status: 'reopened',
    reviews: [...order.reviews, { decision: 'reopened', at: at.toISOString(), by, reason }],
    version: order.version + 1,
    updatedAt: at.toISOString(),
  };
  return withLateness(next, at, by);
}

/** Statuses from which a complaint's order may be withdrawn: it is not yet accepted. */
export const withdrawableStatuses: readonly RectificationStatus[] = ['open', 'reopened', 'answered'];

/**
 * Withdraws an order a citizen complaint raised, because an inspector found the complaint
 * invalid: final, without penalty (a late mark stays as history; the month's facts charge a
 * withdrawn order nothing). Only complaint orders, and only before their answer is accepted.
 * A withdrawn order is returned as it is (a retried verdict converges).
 */
export function withdrawOrder(order: RectificationOrder, by: string, at: Date, reason: string): RectificationOrder {
  if (order.status === 'withdrawn') return order;
  if (order.origin.kind !== 'complaint') {
    throw new RuleViolationError(`rectification order '${order.orderId}' comes from an inspection`, [`only an order raised by a citizen complaint is withdrawn (this one comes from inspection '${order.origin.inspectionId}')`], {
      zh: `整改通知书 ${order.orderId} 由检查记录开具，只有市民诉求开具的整改通知书可以撤销`,
    });
  }
  if (!withdrawableStatuses.includes(order.status)) {
    throw new ConflictError(`rectification order '${order.orderId}' is ${order.status}; only an open, reopened or answered order can be withdrawn`, {
      zh: `整改通知书 ${order.orderId} 已验收办结，不能撤销`,
    });
  }
  return {
    ...order,
    status: 'withdrawn',
    withdrawal: { at: at.toISOString(), by, reason },
    version: order.version + 1,
    updatedAt: at.toISOString(),
  };
}
