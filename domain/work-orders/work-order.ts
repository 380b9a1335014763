import { ConflictError, RuleViolationError, ValidationError } from '../errors';
import { prefixedUlid } from '../ids';
import { divideRoundHalfUp, fen, type Fen } from '../money';
import type { LatePenalty } from '../rulebooks/schema';
import type { Contract, ContractTerms } from '../contracts/schema';
import type { CreateWorkOrderInput, WorkOrder, WorkOrderCompletion } from './schema';

/**
 * The work order's rules, pure: creation from a rate card, the three transitions, and the
 * priced line. Readings of the rules, stated once:
 *
 * - Rate: copied from the terms in force on the creation date (tenant zone). An amendment
 *   that reprices the card afterwards does not reprice an order already given: the
 *   contractor accepted the order at that price.
 * - Late: an order completed (server time) after its deadline is late. What late costs is the
 *   rulebook's `latePenalty` of the same terms, copied onto the order:
 *   - `sameAsDefect: true` charges "the defect item again"; a work order has no defect item
 *     (it is paid work, not a finding), so there is nothing to charge again: the lateness is
 *     recorded (and counts as a late order in rankings) but costs no points and no fine;
 *   - otherwise the stated `pointsX100` (score category `late`) and `fineFen` (statement
 *     `fines`), once per late order.
 *   The accepted quantity is still paid in full: the work was done; lateness is priced by
 *   the rulebook, not by withholding the line.
 * - Month: an accepted order's line belongs to the tenant-local month of its ACCEPTANCE
 *   (计量确认). A month's statement is computed after the month ends, and an acceptance can
 *   never land in a month that is over, so a closed month's lines never change; dating by
 *   completion would let a late acceptance reopen a month already stated.
 * - Rejection is final for the order (a new order is given for redone work), and no line.
 */

/** `wo_` + ULID lower-cased (domain/proofs/subjects.ts `workOrderIdPattern`). */
export function workOrderIdFrom(ulid: string): string {
  return prefixedUlid('wo', ulid);
}

export interface NewWorkOrderContext {
  readonly tenantId: string;
  readonly workOrderId: string;
  /** Tenant-local date of the creation: picks the terms whose rate card applies. */
  readonly today: string;
  /** The terms in force today (contracts/terms.ts `termsAsOf`), undefined when none. */
  readonly terms: ContractTerms | undefined;
  readonly at: Date;
  readonly by: string;
}

/**
 * A new open order on a unit-rate contract. Refusals: a contract that is not active or not in
 * force today (422), a contract that is not unit-rate (422: lump-sum contracts are paid per
 * month, not per order), a code not on today's rate card (400 naming `rateItemCode`), a
 * location outside today's scope (400 naming `location.segmentId`), a deadline not after now.
 */
export function newWorkOrder(contract: Contract, input: CreateWorkOrderInput, context: NewWorkOrderContext): WorkOrder {
  const { terms } = context;
  if (contract.status !== 'active' || terms === undefined) {
    throw new RuleViolationError(
      `contract '${contract.contractId}' cannot take work orders`,
      [contract.status !== 'active' ? `the contract is ${contract.status}, not active` : `the contract is not in force on ${context.today}`],
      {
        zh: `合同 '${contract.contractId}' 不能开具工单`,
        reasonsZh: [contract.status !== 'active' ? `合同状态为 ${contract.status}，不是履行中` : `合同在 ${context.today} 不在履行期内`],
      },
    );
  }
  if (terms.pricing.kind !== 'unit_rate') {
    throw new RuleViolationError(`contract '${contract.contractId}' cannot take work orders`, [`the contract is priced ${terms.pricing.kind}; only unit_rate (定性) contracts have a rate card`], {
      zh: `合同 '${contract.contractId}' 不能开具工单`,
      reasonsZh: [`合同计价方式为 ${terms.pricing.kind}；只有定性（unit_rate）合同有单价表`],
    });
  }
  const item = terms.pricing.items.find((candidate) => candidate.code === input.rateItemCode);
  if (item === undefined) {
    const codes = terms.pricing.items.map((i) => i.code).join(', ');
    throw new ValidationError(
      'the rate item is not on the rate card',
      [
        {
          path: 'rateItemCode',
          message: `no item '${input.rateItemCode}' on the rate card in force on ${context.today} (items: ${codes})`,
          zh: `${context.today} 有效的单价表中没有条目 '${input.rateItemCode}'（现有条目：${codes}）`,
        },
      ],
      { zh: '单价表中没有该条目' },
    );
  }
  if (!terms.scope.includes(input.location.segmentId)) {
    throw new ValidationError(
      'the location is outside the contract',
      [
        {
          path: 'location.segmentId',
          message: `segment '${input.location.segmentId}' is not in the scope of contract '${contract.contractId}' on ${context.today}`,
          zh: `路段 '${input.location.segmentId}' 在 ${context.today} 不在合同 '${contract.contractId}' 的范围内`,
        },
      ],
      { zh: '地点不在合同范围内' },
    );
  }
  if (Date.parse(input.deadline) <= context.at.getTime()) {
    throw new ValidationError(
      'the deadline has passed',
      [{ path: 'deadline', message: `the deadline ${input.deadline} is not after now (${context.at.toISOString()})`, zh: `期限 ${input.deadline} 不晚于当前时间（${context.at.toISOString()}）` }],
      { zh: '期限已过' },
    );
  }
  const at = context.at.toISOString();
  return {
    tenantId: context.tenantId,
    workOrderId: context.workOrderId,
    contractId: contract.contractId,
    contractorId: contract.contractorId,
    rateItemCode: item.code,
    rateItemNameZh: item.nameZh,
    unit: item.unit,
    unitFen: item.unitFen,
    termsVersion: terms.termsVersion,
    latePenalty: terms.rulebook.latePenalty,
    estimatedQuantityMilli: input.estimatedQuantityMilli,
    location: input.location,
    description: input.description,
    deadline: new Date(input.deadline).toISOString(),
    status: 'open',
    month: context.today.slice(0, 7),
    version: 1,
    createdAt: at,
    createdBy: context.by,
    updatedAt: at,
    updatedBy: context.by,
  };
}

/** Statuses and steps in Chinese, for the refusals of a step taken in the wrong status. */
const statusZh: Readonly<Record<WorkOrder['status'], string>> = { open: '待完成', completed: '已完工', accepted: '已验收', rejected: '已退回' };
const doingZh: Readonly<Record<string, string>> = { completed: '完工', accepted: '验收', rejected: '退回' };

function requireStatus(order: WorkOrder, expected: WorkOrder['status'], doing: string): void {
  if (order.status !== expected) {
    throw new ConflictError(`work order '${order.workOrderId}' is ${order.status}; only a ${expected} order can be ${doing}`, {
      zh: `工单 '${order.workOrderId}' 的状态为「${statusZh[order.status]}」；只有「${statusZh[expected]}」的工单可以${doingZh[doing] ?? doing}`,
    });
  }
}

/** open → completed. `completion.late` is computed here from the deadline and `completedAt`. */
export function completeWorkOrder(order: WorkOrder, completion: Omit<WorkOrderCompletion, 'late'>): WorkOrder {
  requireStatus(order, 'open', 'completed');
  const late = Date.parse(completion.completedAt) > Date.parse(order.deadline);
  return {
    ...order,
    status: 'completed',
    completion: { ...completion, late },
    version: order.version + 1,
    updatedAt: completion.completedAt,
    updatedBy: completion.completedBy,
  };
}

export interface DecisionContext {
  readonly at: Date;
  readonly by: string;
  /** Tenant-local month of `at` (YYYY-MM). */
  readonly month: string;
}

/**
 * completed → accepted. The accepted quantity may differ from the measured one (the
 * inspector re-measures on site), but then a reason is required (400 naming `reason`), so
 * every difference in a statement line can be traced to someone's stated cause.
 */
export function acceptWorkOrder(order: WorkOrder, acceptedQuantityMilli: number, reason: string | undefined, context: DecisionContext): WorkOrder {
  requireStatus(order, 'completed', 'accepted');
  const measured = order.completion?.measuredQuantityMilli;
  if (measured !== acceptedQuantityMilli && (reason === undefined || reason.trim() === '')) {
    throw new ValidationError(
      'a changed quantity needs a reason',
      [
        {
          path: 'reason',
          message: `the accepted quantity ${acceptedQuantityMilli} differs from the measured ${measured ?? 'none'}: state why`,
          zh: `验收数量 ${acceptedQuantityMilli} 与实测数量 ${measured ?? '无'} 不同：请说明理由`,
        },
      ],
      { zh: '验收数量有变更，须说明理由' },
    );
  }
  const at = context.at.toISOString();
  return {
    ...order,
    status: 'accepted',
    month: context.month,
    decision: { outcome: 'accepted', acceptedQuantityMilli, ...(reason === undefined ? {} : { reason }), at, by: context.by, month: context.month },
    version: order.version + 1,
    updatedAt: at,
    updatedBy: context.by,
  };
}

/** completed → rejected, with the reason (final; no priced line). */
export function rejectWorkOrder(order: WorkOrder, reason: string, context: Omit<DecisionContext, 'month'>): WorkOrder {
  requireStatus(order, 'completed', 'rejected');
  const at = context.at.toISOString();
  return {
    ...order,
    status: 'rejected',
    decision: { outcome: 'rejected', reason, at, by: context.by },
    version: order.version + 1,
    updatedAt: at,
    updatedBy: context.by,
  };
}

/**
 * quantity (thousandths) x rate (fen) / 1000, rounded half-up once (money.ts
 * `divideRoundHalfUp`, DESIGN §3 "Rounding: half-up to the fen, once per line").
 */
export function workOrderAmountFen(quantityMilli: number, unitFen: number): Fen {
  return fen(Number(divideRoundHalfUp(BigInt(quantityMilli) * BigInt(unitFen), 1000n)));
}

/** What a late completion costs under the order's copied `latePenalty` (see the readings above). */
export interface LateCharge {
  readonly pointsX100: number;
  readonly fineFen: number;
  /** How the rulebook was read, for the statement's sources. */
  readonly basis: 'stated' | 'same-as-defect-none';
}

export function workOrderLateCharge(order: Pick<WorkOrder, 'completion' | 'latePenalty'>): LateCharge | undefined {
  if (order.completion?.late !== true) return undefined;
  return lateChargeOf(order.latePenalty);
}

export function lateChargeOf(penalty: LatePenalty): LateCharge {
  if (penalty.sameAsDefect) return { pointsX100: 0, fineFen: 0, basis: 'same-as-defect-none' };
  return { pointsX100: penalty.pointsX100 ?? 0, fineFen: penalty.fineFen ?? 0, basis: 'stated' };
}

/** One `unitRate` line of a statement (DESIGN §3 Statement), with its sources. */
export interface WorkOrderLine {
  readonly contractId: string;
  /** Tenant-local month of the acceptance (see the readings above). */
  readonly month: string;
  readonly workOrderId: string;
  readonly rateItemCode: string;
  readonly unit: string;
  readonly unitFen: number;
  readonly quantityMilli: number;
  readonly amountFen: Fen;
  /** Present when the completion was late; the statement adds it to fines and `late` points. */
  readonly late?: LateCharge;
  readonly sources: {
    readonly workOrderIds: readonly string[];
    readonly rateItemCodes: readonly string[];
    readonly evidenceIds: readonly string[];
  };
}

/** The priced line of an accepted order; undefined for any other status (nothing to pay). */
export function workOrderLine(order: WorkOrder): WorkOrderLine | undefined {
  if (order.status !== 'accepted' || order.decision?.outcome !== 'accepted') return undefined;
  const quantityMilli = order.decision.acceptedQuantityMilli;
  const late = workOrderLateCharge(order);
  return {
    contractId: order.contractId,
    month: order.decision.month,
    workOrderId: order.workOrderId,
    rateItemCode: order.rateItemCode,
    unit: order.unit,
    unitFen: order.unitFen,
    quantityMilli,
    amountFen: workOrderAmountFen(quantityMilli, order.unitFen),
    ...(late === undefined ? {} : { late }),
    sources: {
      workOrderIds: [order.workOrderId],
      rateItemCodes: [order.rateItemCode],
      evidenceIds: order.completion?.evidenceIds ?? [],
    },
  };
}
