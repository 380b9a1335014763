import { describe, expect, it } from 'vitest';
import { raiseOrder } from '../../../../domain/rectification/use-cases';
import { createOverdueSweepHandler, type OverdueSweepDeps, type OverdueSweepLog } from '../../../../functions/events/rectification-overdue-sweep';
import { contractFixture, fixedClock, MemoryContractStore, seg, sequentialIds, tenantId } from '../../domain/contracts/fixtures';
import { MemoryOrderStore } from '../../domain/rectification/fakes';

const quiet: OverdueSweepLog = { info: () => undefined, error: () => undefined };

async function withOverdueOrder(): Promise<{ deps: OverdueSweepDeps; orders: MemoryOrderStore; clock: ReturnType<typeof fixedClock> }> {
  const contract = contractFixture({ status: 'active' });
  const orders = new MemoryOrderStore();
  const clock = fixedClock();
  await raiseOrder(
    { orders, contracts: new MemoryContractStore([contract]), clock, ids: sequentialIds() },
    { tenantId, contractId: contract.contractId, segmentId: seg.nanjingWest, origin: { kind: 'complaint', complaintId: 'c1' }, description: '垃圾', dueAt: '2025-03-05T11:00:00+08:00', by: 'open311' },
  );
  clock.set(new Date('2025-03-05T03:30:00Z'));
  return { deps: { orders, clock, tenants: { listTenantIds: async () => [tenantId] } }, orders, clock };
}

describe('rectification overdue sweep handler', () => {
  it('marks once over two runs, with one write', async () => {
    const { deps, orders } = await withOverdueOrder();
    const handler = createOverdueSweepHandler(() => deps, quiet);
    const writesBefore = orders.writes;

    const first = await handler({});
    const second = await handler({});

    expect([first.marked, second.marked]).toEqual([1, 0]);
    expect(orders.writes - writesBefore).toBe(1);
  });

  it('sweeps only the tenants the payload names', async () => {
    const { deps } = await withOverdueOrder();
    const handler = createOverdueSweepHandler(() => deps, quiet);

    const summary = await handler({ tenants: ['elsewhere'] });

    expect(summary).toEqual({ tenants: [{ tenantId: 'elsewhere', examined: 0, marked: 0, skipped: 0 }], failed: [], marked: 0 });
  });

  it('fails the invocation when a tenant fails, after trying the others', async () => {
    const { deps } = await withOverdueOrder();
    const broken: OverdueSweepDeps = {
      ...deps,
      tenants: { listTenantIds: async () => ['broken', tenantId] },
      orders: Object.assign(Object.create(deps.orders) as MemoryOrderStore, {
        owingDueBy: async (tenant: string, dueBy: string, limit: number) => {
          if (tenant === 'broken') throw new Error('throttled');
          return deps.orders.owingDueBy(tenant, dueBy, limit);
        },
      }),
    };

    await expect(createOverdueSweepHandler(() => broken, quiet)({})).rejects.toThrow(/failed for 1 of 2 tenants: broken/);
    expect((await deps.orders.owingDueBy(tenantId, '2030-01-01', 10)).length).toBe(0);
  });

  it('refuses a malformed payload', async () => {
    const { deps } = await withOverdueOrder();

    await expect(createOverdueSweepHandler(() => deps, quiet)({ tenants: 'all' })).rejects.toThrow(/not \{ tenants/);
  });
});
