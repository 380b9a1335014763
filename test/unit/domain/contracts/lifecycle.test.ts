import { describe, expect, it } from 'vitest';
import { ConflictError, RuleViolationError, ValidationError } from '../../../../domain/errors';
import { allowedTransitions, expireIfEnded, transition, type TransitionContext } from '../../../../domain/contracts/lifecycle';
import { termsAsOf } from '../../../../domain/contracts/terms';
import { actors, contractFixture } from './fixtures';

const at = new Date('2025-03-05T02:00:00Z');
const context = (overrides: Partial<TransitionContext> = {}): TransitionContext => ({ at, by: actors.procurement.userId, today: '2025-03-05', ...overrides });

function caught(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('legal transitions', () => {
  it('activates a draft', () => {
    const draft = contractFixture({ status: 'draft' });

    const next = transition(draft, 'activate', context());

    expect(next.status).toBe('active');
  });

  it('suspends an active contract with a reason', () => {
    const active = contractFixture({ status: 'active' });

    const next = transition(active, 'suspend', context({ reason: '南京西路封路施工,暂停作业' }));

    expect(next.status).toBe('suspended');
  });

  it('resumes a suspended contract', () => {
    const suspended = contractFixture({ status: 'suspended' });

    const next = transition(suspended, 'resume', context());

    expect(next.status).toBe('active');
  });

  it('terminates a suspended contract', () => {
    const suspended = contractFixture({ status: 'suspended' });

    const next = transition(suspended, 'terminate', context({ reason: '连续五个季度考核低于75分' }));

    expect(next.status).toBe('terminated');
  });

  it('terminates an active contract directly', () => {
    const active = contractFixture({ status: 'active' });

    const next = transition(active, 'terminate', context({ reason: '严重违约' }));

    expect(next.status).toBe('terminated');
  });

  it('withdraws a draft by terminating it, leaving no day in force', () => {
    const draft = contractFixture({ status: 'draft' });

    const next = transition(draft, 'terminate', context({ reason: '中标人放弃' }));

    expect([next.status, next.endedOn, termsAsOf(next, '2025-03-01')]).toEqual(['terminated', '2025-02-28', undefined]);
  });

  it('expires an active contract after its end date', () => {
    const active = contractFixture({ status: 'active', endDate: '2025-12-31' });

    const next = transition(active, 'expire', context({ today: '2026-01-01', by: 'system' }));

    expect([next.status, next.endedOn]).toEqual(['expired', '2025-12-31']);
  });

  it('records who changed the status, when and why, and bumps the record version', () => {
    const active = contractFixture({ status: 'active' });

    const next = transition(active, 'suspend', context({ reason: '进博会期间交通管制' }));

    expect([next.statusHistory.at(-1), next.version]).toEqual([
      { from: 'active', to: 'suspended', at: '2025-03-05T02:00:00.000Z', by: 'usr_procure_wang', reason: '进博会期间交通管制' },
      active.version + 1,
    ]);
  });

  it('ends a terminated contract on the day of termination', () => {
    const active = contractFixture({ status: 'active', startDate: '2025-03-01' });

    const next = transition(active, 'terminate', context({ today: '2025-06-10', reason: '严重违约' }));

    expect([termsAsOf(next, '2025-06-10') !== undefined, termsAsOf(next, '2025-06-11')]).toEqual([true, undefined]);
  });
});

describe('illegal transitions', () => {
  it('refuses to suspend a draft, listing what a draft allows', () => {
    const draft = contractFixture({ status: 'draft', contractId: 'con_01jnq000000000000000000101' });

    const error = caught(() => transition(draft, 'suspend', context({ reason: '测试' })));

    expect([error instanceof ConflictError, error.message]).toEqual([
      true,
      "cannot suspend contract 'con_01jnq000000000000000000101': it is draft; allowed from draft: activate (→ active), terminate (→ terminated)",
    ]);
  });

  it('refuses to resume an active contract, listing what an active one allows', () => {
    const active = contractFixture({ status: 'active' });

    const error = caught(() => transition(active, 'resume', context()));

    expect(error.message).toContain('allowed from active: suspend (→ suspended), terminate (→ terminated), expire (→ expired, after the end date)');
  });

  it('refuses every transition from terminated, saying none is allowed', () => {
    const terminated = contractFixture({ status: 'terminated' });

    const error = caught(() => transition(terminated, 'activate', context()));

    expect([error instanceof ConflictError, error.message.endsWith('no transition is allowed from terminated')]).toEqual([true, true]);
  });

  it('refuses to activate a draft whose end date has passed', () => {
    const draft = contractFixture({ status: 'draft', endDate: '2025-02-28', startDate: '2025-01-01' });

    const error = caught(() => transition(draft, 'activate', context()));

    expect(error).toBeInstanceOf(RuleViolationError);
  });

  it('refuses to expire a contract before its end date has passed', () => {
    const active = contractFixture({ status: 'active', endDate: '2025-12-31' });

    const error = caught(() => transition(active, 'expire', context({ today: '2025-12-31' })));

    expect(error).toBeInstanceOf(RuleViolationError);
  });

  it('refuses a suspension without a reason', () => {
    const active = contractFixture({ status: 'active' });

    const error = caught(() => transition(active, 'suspend', context()));

    expect([error instanceof ValidationError, (error as ValidationError).issues[0]?.path]).toEqual([true, 'reason']);
  });
});

describe('allowedTransitions', () => {
  it('lists resume and terminate and expire from suspended', () => {
    expect(allowedTransitions('suspended')).toEqual([
      { action: 'resume', to: 'active' },
      { action: 'terminate', to: 'terminated' },
      { action: 'expire', to: 'expired' },
    ]);
  });

  it('lists nothing from expired', () => {
    expect(allowedTransitions('expired')).toEqual([]);
  });
});

describe('expireIfEnded', () => {
  it('leaves an active contract alone on its end date (the end date is inclusive)', () => {
    const active = contractFixture({ status: 'active', endDate: '2025-12-31' });

    const result = expireIfEnded(active, '2025-12-31', at);

    expect(result).toBe(active);
  });

  it('expires an active contract the day after its end date, by the system', () => {
    const active = contractFixture({ status: 'active', endDate: '2025-12-31' });

    const result = expireIfEnded(active, '2026-01-01', at);

    expect([result.status, result.endedOn, result.statusHistory.at(-1)?.by]).toEqual(['expired', '2025-12-31', 'system']);
  });

  it('expires a suspended contract too: suspension does not extend the term', () => {
    const suspended = contractFixture({ status: 'suspended', endDate: '2025-12-31' });

    const result = expireIfEnded(suspended, '2026-01-02', at);

    expect(result.status).toBe('expired');
  });

  it('leaves a draft past its end date alone', () => {
    const draft = contractFixture({ status: 'draft', startDate: '2025-01-01', endDate: '2025-02-28' });

    const result = expireIfEnded(draft, '2025-03-05', at);

    expect(result).toBe(draft);
  });
});
