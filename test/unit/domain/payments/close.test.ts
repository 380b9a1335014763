import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../../domain/errors';
import { closeMonth, contractsInForce, monthToClose, type CloseDeps } from '../../../../domain/payments/close';
import type { StatementRecord } from '../../../../domain/payments/records';
import type { computeContractMonth } from '../../../../domain/payments/use-cases';
import { contractFixture, MemoryContractStore, tenantId } from '../contracts/fixtures';

/** A fake computation: a per-contract digest table decides "changed"; listed ids throw. */
function fakeCompute(behaviour: { fail?: Record<string, Error> } = {}): { compute: typeof computeContractMonth; calls: string[]; versions: Map<string, number> } {
  const versions = new Map<string, number>();
  const calls: string[] = [];
  const compute: typeof computeContractMonth = async (_deps, actor, ref) => {
    expect(actor).toBe('system');
    calls.push(ref.contractId);
    const failure = behaviour.fail?.[ref.contractId];
    if (failure !== undefined) throw failure;
    const known = versions.get(ref.contractId);
    if (known !== undefined) return { record: { version: known, computeVersion: known } as StatementRecord, changed: false };
    versions.set(ref.contractId, 1);
    return { record: { version: 1, computeVersion: 1 } as StatementRecord, changed: true };
  };
  return { compute, calls, versions };
}

function depsWith(store: MemoryContractStore, compute: typeof computeContractMonth): CloseDeps {
  // The statement ports are never reached: the fake computation replaces the core's.
  return { contracts: store, compute, statements: {} as CloseDeps['statements'], facts: {} as CloseDeps['facts'], tenants: { zoneOf: async () => 'Asia/Shanghai' }, clock: { now: () => new Date('2025-07-01T00:30:00+08:00') } };
}

describe('monthToClose', () => {
  it('closes the previous month in the tenant zone', () => {
    // 2025-06-30T16:30Z is 00:30 on 1 July in Shanghai: June closes, though it is still June in UTC.
    expect(monthToClose(new Date('2025-06-30T16:30:00Z'), 'Asia/Shanghai')).toBe('2025-06');
    expect(monthToClose(new Date('2026-01-01T00:30:00+08:00'), 'Asia/Shanghai')).toBe('2025-12');
  });
});

describe('contractsInForce', () => {
  it('takes every non-draft contract with a day in the month, whatever its status now', () => {
    // Arrange: the fixtures run 2025-03-01 – 2025-12-31 unless told.
    const active = contractFixture({ status: 'active' });
    const expired = contractFixture({ status: 'expired', startDate: '2025-03-01', endDate: '2025-06-10' });
    const later = contractFixture({ status: 'active', startDate: '2025-07-01' });
    const draft = contractFixture({ status: 'draft' });
    const store = new MemoryContractStore([active, expired, later, draft]);

    // Act
    const found = contractsInForce({ contracts: store }, tenantId, '2025-06');

    // Assert
    return expect(found.then((list) => list.map((c) => c.contractId))).resolves.toEqual([active.contractId, expired.contractId].sort());
  });
});

describe('closeMonth', () => {
  it('computes every contract in force, and a rerun changes nothing', async () => {
    // Arrange
    const a = contractFixture({ status: 'active' });
    const b = contractFixture({ status: 'active' });
    const fake = fakeCompute();
    const deps = depsWith(new MemoryContractStore([a, b]), fake.compute);

    // Act
    const first = await closeMonth(deps, { tenantId, month: '2025-06' });
    const second = await closeMonth(deps, { tenantId, month: '2025-06' });

    // Assert
    expect([first.computed, first.unchanged, first.failed]).toEqual([2, 0, 0]);
    expect([second.computed, second.unchanged, second.failed]).toEqual([0, 2, 0]);
  });

  it('reports a failing contract and still closes the others; an approved month is skipped', async () => {
    // Arrange
    const ok = contractFixture({ status: 'active' });
    const broken = contractFixture({ status: 'active' });
    const approved = contractFixture({ status: 'active' });
    const fake = fakeCompute({ fail: { [broken.contractId]: new Error('facts unreadable'), [approved.contractId]: new ConflictError('approved: immutable') } });
    const deps = depsWith(new MemoryContractStore([ok, broken, approved]), fake.compute);

    // Act
    const report = await closeMonth(deps, { tenantId, month: '2025-06' });

    // Assert
    expect(fake.calls.sort()).toEqual([ok.contractId, broken.contractId, approved.contractId].sort());
    expect(report.contracts.find((c) => c.contractId === broken.contractId)).toEqual({ contractId: broken.contractId, outcome: 'failed', error: 'Error: facts unreadable' });
    expect(report.contracts.find((c) => c.contractId === approved.contractId)?.outcome).toBe('skipped');
    expect(report.contracts.find((c) => c.contractId === ok.contractId)?.outcome).toBe('computed');
    expect([report.computed, report.skipped, report.failed]).toEqual([1, 1, 1]);
  });

  it('refuses a malformed month before reading anything', async () => {
    const fake = fakeCompute();
    await expect(closeMonth(depsWith(new MemoryContractStore(), fake.compute), { tenantId, month: '2025-6' })).rejects.toThrow('invalid month');
    expect(fake.calls).toEqual([]);
  });
});
