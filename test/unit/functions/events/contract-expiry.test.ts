import { describe, expect, it } from 'vitest';
import { StaleVersionError } from '../../../../domain/errors';
import type { TenantDirectory } from '../../../../domain/schedule/outcomes';
import { createContractExpiryHandler, type ContractExpiryDeps, type ContractExpiryLog } from '../../../../functions/events/contract-expiry';
import { contractFixture, fixedClock, MemoryContractStore, sequentialIds, tenantId } from '../../domain/contracts/fixtures';

/** The handler over in-memory ports (the local-stack run is test/integration/contract-expiry.test.ts). */

const quiet: ContractExpiryLog = { info: () => undefined, error: () => undefined };

function directory(zones: Record<string, string>): TenantDirectory {
  return { listTenantIds: async () => Object.keys(zones), zoneOf: async (id) => zones[id] };
}

function deps(store: MemoryContractStore, at: Date, zones: Record<string, string> = { [tenantId]: 'Asia/Shanghai' }): () => ContractExpiryDeps {
  return () => ({ contracts: store, tenants: directory(zones), clock: fixedClock(at), ids: sequentialIds() });
}

describe('contract expiry handler', () => {
  it('expires at the end of the end date in the tenant zone', async () => {
    // Prepare: 2025-03-04 16:05Z is 00:05 on 5 March in Shanghai, still 4 March in UTC.
    const ended = contractFixture({ status: 'active', startDate: '2024-03-01', endDate: '2025-03-04' });
    const at = new Date('2025-03-04T16:05:00Z');

    // Act
    const inShanghai = await createContractExpiryHandler(deps(new MemoryContractStore([ended]), at), quiet)({});
    const inUtc = await createContractExpiryHandler(deps(new MemoryContractStore([ended]), at, { [tenantId]: 'Etc/UTC' }), quiet)({});

    // Assess
    expect([inShanghai.expired, inUtc.expired]).toEqual([1, 0]);
  });

  it('is idempotent: a second run expires nothing', async () => {
    const store = new MemoryContractStore([contractFixture({ status: 'suspended', startDate: '2024-03-01', endDate: '2025-03-01' })]);
    const run = createContractExpiryHandler(deps(store, new Date('2025-03-05T02:00:00Z')), quiet);

    const first = await run({});
    const second = await run({});

    expect([first.expired, second.expired]).toEqual([1, 0]);
    expect([...store.records.values()].map((contract) => contract.status)).toEqual(['expired']);
  });

  it('skips a contract whose version moved, without failing the run', async () => {
    // Prepare
    const ended = contractFixture({ status: 'active', startDate: '2024-03-01', endDate: '2025-03-01' });
    const store = new MemoryContractStore([ended]);
    const save = store.save.bind(store);
    store.save = async (write) => {
      if (write.contract.status === 'expired') throw new StaleVersionError('contract', write.contract.contractId, write.expectedVersion ?? 0, 2);
      return save(write);
    };

    // Act
    const summary = await createContractExpiryHandler(deps(store, new Date('2025-03-05T02:00:00Z')), quiet)({});

    // Assess
    expect([summary.expired, summary.failed]).toEqual([0, []]);
    expect(store.records.get(ended.contractId)?.status).toBe('active');
  });

  it('refuses a malformed payload', async () => {
    const run = createContractExpiryHandler(deps(new MemoryContractStore(), new Date()), quiet)({ tenants: 'jingan' });

    await expect(run).rejects.toThrow(/not \{ tenants\?: string\[\] \}/);
  });
});
