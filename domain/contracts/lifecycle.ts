import { addDays, minDate } from '../dates';
import { ConflictError, RuleViolationError, ValidationError } from '../errors';
import type { Contract, ContractStatus } from './schema';

/**
 * The contract lifecycle as a pure state machine (issue 3: draft → active → suspended →
 * active | terminated; active → expired at the end date). Two additions, and why:
 * - active → terminated directly: a district terminates for breach (Haikou: 5 quarters
 *   below 75) without suspending first;
 * - draft → terminated: a draft that will not be signed (a wrong award, a withdrawn bidder)
 *   must leave the list of open drafts; nothing was in force, so nothing is undone.
 * A suspended contract also expires at its end date: suspension pauses the work, it does
 * not extend the term.
 */

export const contractActions = ['activate', 'suspend', 'resume', 'terminate', 'expire'] as const;
export type ContractAction = (typeof contractActions)[number];

const transitions: Readonly<Record<ContractStatus, Partial<Readonly<Record<ContractAction, ContractStatus>>>>> = {
  draft: { activate: 'active', terminate: 'terminated' },
  active: { suspend: 'suspended', terminate: 'terminated', expire: 'expired' },
  suspended: { resume: 'active', terminate: 'terminated', expire: 'expired' },
  terminated: {},
  expired: {},
};

export interface AllowedTransition {
  readonly action: ContractAction;
  readonly to: ContractStatus;
}

/** The actions allowed from `status`, in the order of `contractActions`. */
export function allowedTransitions(status: ContractStatus): AllowedTransition[] {
  const row = transitions[status];
  return contractActions.flatMap((action) => {
    const to = row[action];
    return to === undefined ? [] : [{ action, to }];
  });
}

/** Who changes the status, when, and the tenant-local date then. */
export interface TransitionContext {
  readonly at: Date;
  /** User id, or 'system' for the expiry sweep. */
  readonly by: string;
  readonly today: string;
  readonly reason?: string;
}

/**
 * Applies `action` to `contract`: the next record with the status, a status-history entry and
 * the record version bumped. Throws ConflictError naming the allowed transitions when the
 * action is not allowed from the current status, RuleViolationError when the dates forbid it
 * (activating after the end date, expiring before it), ValidationError when a suspension or
 * termination gives no reason.
 */
export function transition(contract: Contract, action: ContractAction, context: TransitionContext): Contract {
  const to = transitions[contract.status][action];
  if (to === undefined) throw new ConflictError(notAllowedMessage(contract, action));
  if ((action === 'suspend' || action === 'terminate') && (context.reason === undefined || context.reason.trim() === '')) {
    throw new ValidationError(`a reason is required to ${action} a contract`, [{ path: 'reason', message: `say why the contract is ${action === 'suspend' ? 'suspended' : 'terminated'}` }]);
  }
  if (action === 'activate' && context.today > contract.endDate) {
    throw new RuleViolationError(`contract '${contract.contractId}' ended on ${contract.endDate} and cannot be activated`, [
      `today (${context.today}) is after the end date; create a new contract or amend the dates before activating`,
    ]);
  }
  if (action === 'expire' && context.today <= contract.endDate) {
    throw new RuleViolationError(`contract '${contract.contractId}' runs until ${contract.endDate} and cannot expire yet`);
  }
  const endedOn = action === 'terminate' ? terminationDay(contract, context.today) : action === 'expire' ? contract.endDate : contract.endedOn;
  const at = context.at.toISOString();
  return {
    ...contract,
    status: to,
    ...(endedOn === undefined ? {} : { endedOn }),
    statusHistory: [...contract.statusHistory, { from: contract.status, to, at, by: context.by, ...(context.reason === undefined ? {} : { reason: context.reason }) }],
    version: contract.version + 1,
    updatedAt: at,
    updatedBy: context.by,
  };
}

/**
 * A termination takes effect on the day it is recorded: that day is the last in force (the
 * crews worked it), never later than the end date. A draft was never in force, so its
 * terms end the day before its start.
 */
function terminationDay(contract: Contract, today: string): string {
  if (contract.status === 'draft') return addDays(contract.startDate, -1);
  return minDate(today, contract.endDate);
}

/**
 * Expires an active or suspended contract whose end date has passed (the daily sweep); any
 * other contract is returned unchanged (the same object), so a caller saves only when the
 * result differs.
 */
export function expireIfEnded(contract: Contract, today: string, at: Date): Contract {
  if ((contract.status === 'active' || contract.status === 'suspended') && today > contract.endDate) {
    return transition(contract, 'expire', { at, by: 'system', today });
  }
  return contract;
}

function notAllowedMessage(contract: Contract, action: ContractAction): string {
  const allowed = allowedTransitions(contract.status);
  const list =
    allowed.length === 0
      ? `no transition is allowed from ${contract.status}`
      : `allowed from ${contract.status}: ${allowed.map((entry) => `${entry.action} (→ ${entry.to}${entry.action === 'expire' ? ', after the end date' : ''})`).join(', ')}`;
  return `cannot ${action} contract '${contract.contractId}': it is ${contract.status}; ${list}`;
}
