import { describe, expect, it } from 'vitest';
import type { computeContractMonth } from '../../../../domain/payments/use-cases';
import type { StatementRecord } from '../../../../domain/payments/records';
import type { NoticeStore } from '../../../../domain/payments/standings';
import { createMonthlyCloseHandler, type MonthlyCloseDeps } from '../../../../functions/events/monthly-close';
import { contractFixture, MemoryContractStore } from '../../domain/contracts/fixtures';

const quiet = { info: () => undefined, error: () => undefined };

/** Ports for the handler: two tenants' contracts, a computation that fails for listed ids, no statements (no notices). */
function deps(fail: readonly string[] = []): MonthlyCloseDeps & { computed: string[] } {
  const a = contractFixture({ status: 'active' });
  const b = contractFixture({ status: 'active' });
  const computed: string[] = [];
  const compute: typeof computeContractMonth = async (_deps, _actor, ref) => {
    if (fail.includes(ref.contractId)) throw new Error('boom');
    computed.push(`${ref.tenantId}/${ref.contractId}/${ref.month}`);
    return { record: { version: 1, computeVersion: 1 } as StatementRecord, changed: true };
  };
  const notices: NoticeStore = { raise: async () => [], list: async () => ({ items: [] }) };
  return {
    computed,
    contracts: new MemoryContractStore([a, b]),
    compute,
    statements: { listMonth: async () => ({ items: [] }) } as unknown as MonthlyCloseDeps['statements'],
    facts: {} as MonthlyCloseDeps['facts'],
    notices,
    tenants: { listTenantIds: async () => ['jingan'], zoneOf: async () => 'Asia/Shanghai' },
    // 00:30 on 1 July 2025 in Shanghai (still 30 June in UTC).
    clock: { now: () => new Date('2025-06-30T16:30:00Z') },
  };
}

describe('monthly-close handler', () => {
  it("closes each registered tenant's previous month in its zone by default", async () => {
    // Prepare
    const d = deps();

    // Act
    const summary = (await createMonthlyCloseHandler(() => d, quiet)({})) as { reports: { month: string; computed: number }[]; failed: number };

    // Assess
    expect(summary.reports.map((r) => [r.month, r.computed])).toEqual([['2025-06', 2]]);
    expect(d.computed.every((ref) => ref.startsWith('jingan/') && ref.endsWith('/2025-06'))).toBe(true);
  });

  it('lists items for the state machine from the execution input', async () => {
    const listed = (await createMonthlyCloseHandler(() => deps(), quiet)({ step: 'list', input: { month: '2025-05' } })) as { items: { month: string }[]; count: number };

    expect(listed.count).toBe(2);
    expect(listed.items.every((item) => item.month === '2025-05')).toBe(true);
  });

  it('throws from a failing compute step so the Map can retry and catch it', async () => {
    const failing = deps(['con_failing']);

    await expect(createMonthlyCloseHandler(() => failing, quiet)({ step: 'compute', tenantId: 'jingan', month: '2025-06', contractId: 'con_failing' })).rejects.toThrow('boom');
  });

  it('reads the Map results in the report and names the caught failures', async () => {
    const handler = createMonthlyCloseHandler(() => deps(), quiet);
    const done = { tenantId: 'jingan', month: '2025-06', contractId: 'con_a', outcome: 'computed', version: 1, computeVersion: 1 };
    const caught = { item: { tenantId: 'jingan', month: '2025-06', contractId: 'con_b' }, error: { Error: 'Error', Cause: '{"errorMessage":"boom"}' } };

    await expect(handler({ step: 'report', results: [done] })).resolves.toMatchObject({ failed: 0, reports: [{ computed: 1 }] });
    await expect(handler({ step: 'report', results: [done, caught] })).rejects.toThrow('the monthly close failed for 1 contract(s): jingan/con_b');
    await expect(handler({ step: 'nonsense' })).rejects.toThrow('malformed');
  });

  it('fails the invocation when raising the ranking notices fails (a lost notice would wait a month), and a rerun raises them', async () => {
    // Prepare: the notice store fails once (a throttled write that outlived its retries), then works.
    let calls = 0;
    const d: MonthlyCloseDeps = {
      ...deps(),
      notices: {
      raise: async () => {
        calls += 1;
        if (calls === 1) throw new Error('ProvisionedThroughputExceededException');
        return [];
      },
        list: async () => ({ items: [] }),
      },
    };
    const handler = createMonthlyCloseHandler(() => d, quiet);

    // Act + Assess
    await expect(handler({})).rejects.toThrow('raising the ranking notices of jingan 2025-06 failed');
    await expect(handler({})).resolves.toMatchObject({ failed: 0, noticesRaised: 0 });
    expect(calls).toBe(2);
  });
});
