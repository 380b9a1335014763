import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DateTime } from 'luxon';
import { monotonicFactory } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractIdFrom, newContract } from '../../domain/contracts/contract';
import { CreateContractInput, type Contract } from '../../domain/contracts/schema';
import { addDays, localDate } from '../../domain/dates';
import { StaleVersionError } from '../../domain/errors';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import type { ContractStore } from '../../domain/contracts/ports';
import { DynamoContractStore } from '../../functions/adapters/dynamodb/contract-store';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { DynamoTenantDirectory } from '../../functions/adapters/dynamodb/task-outcome-store';
import {
  contractExpiryDeps,
  createContractExpiryHandler,
  type ContractExpiryDeps,
  type ContractExpiryLog,
} from '../../functions/events/contract-expiry';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * Contract expiry on the local stack: contracts written through the contract store (the API
 * refuses back-dated activations), then the handler module itself on a fixed clock — noon
 * today in Asia/Shanghai — so "yesterday" and "tomorrow" are unambiguous.
 */

const zone = 'Asia/Shanghai';
const today = localDate(new Date(), zone);
const now = DateTime.fromISO(today, { zone }).plus({ hours: 12 }).toJSDate();
const nextUlid = monotonicFactory();

let document: DynamoDBDocumentClient;
let table: string;
let store: DynamoContractStore;

const quiet: ContractExpiryLog = { info: () => undefined, error: () => undefined };

function depsWith(overrides: Partial<ContractExpiryDeps> = {}): () => ContractExpiryDeps {
  return () => ({ ...contractExpiryDeps(), clock: { now: () => now }, ...overrides });
}

/** A tenant item (with its zone) and its registration in the tenant registry. */
async function tenant(label: string, tenantZone = zone): Promise<string> {
  const tenantId = uniqueTenantId(label);
  await document.send(
    new PutCommand({
      TableName: table,
      Item: { ...keys.tenant(tenantId), entity: entityTypes.tenant, tenantId, name: `${label} 区`, zone: tenantZone, createdAt: now.toISOString() },
    }),
  );
  await new DynamoTenantDirectory(document, table).register(tenantId);
  return tenantId;
}

let segmentCounter = 0;

/** A cleaning contract in `status`, written through the store as version 1. */
async function contract(tenantId: string, endDate: string, status: 'active' | 'suspended' = 'active'): Promise<Contract> {
  segmentCounter += 1;
  const fields = CreateContractInput.parse({
    contractorId: 'ctr_expirytest',
    serviceType: 'cleaning',
    title: '到期测试合同',
    origin: { kind: 'direct' },
    startDate: addDays(today, -90),
    endDate,
    performanceBondFen: 100_000,
    scope: [`seg_expiry${String(segmentCounter).padStart(8, '0')}`],
    pricing: { kind: 'lump_sum', monthlyFen: 1_000_000 },
    rulebookTemplateId: 'cleaning-standard',
  });
  const draft = newContract(fields, {
    tenantId,
    contractId: contractIdFrom(nextUlid()),
    rulebook: rulebookFromTemplate(templateById('cleaning-standard')!),
    at: now,
    by: 'usr_test',
  });
  const record = { ...draft, status };
  await store.save({ contract: record, expectedVersion: undefined });
  return record;
}

beforeAll(() => {
  document = DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
  table = localStack().tables.main;
  store = new DynamoContractStore(document, table);
});

describe('contract expiry on the local stack', () => {
  let tenantId: string;
  let ended: Contract;
  let endedSuspended: Contract;
  let endsToday: Contract;
  let endsTomorrow: Contract;

  beforeAll(async () => {
    tenantId = await tenant('expiry');
    ended = await contract(tenantId, addDays(today, -1));
    endedSuspended = await contract(tenantId, addDays(today, -1), 'suspended');
    endsToday = await contract(tenantId, today);
    endsTomorrow = await contract(tenantId, addDays(today, 1));
  });

  it('expires the active and suspended contracts that ended yesterday, and no others', async () => {
    // Act
    const summary = await createContractExpiryHandler(depsWith(), quiet)({ tenants: [tenantId] });

    // Assess
    expect(summary.failed).toEqual([]);
    expect(summary.expired).toBe(2);
    expect([...summary.tenants[0]!.expired].sort()).toEqual([ended.contractId, endedSuspended.contractId].sort());
    const after = await Promise.all([ended, endedSuspended, endsToday, endsTomorrow].map((c) => store.get(tenantId, c.contractId)));
    expect(after.map((c) => [c?.status, c?.version])).toEqual([
      ['expired', 2],
      ['expired', 2],
      ['active', 1],
      ['active', 1],
    ]);
  });

  it('shows the expiry through the API', async () => {
    const token = await tokenFor('procurement', { tenantId });

    const response = await api.request<Contract>('GET', `/v1/contracts/${ended.contractId}`, { token });

    expect(response.status).toBe(200);
    expect(response.json.status).toBe('expired');
  });

  it('changes nothing when run again', async () => {
    const summary = await createContractExpiryHandler(depsWith(), quiet)({ tenants: [tenantId] });

    expect(summary.expired).toBe(0);
    const after = await Promise.all([ended, endedSuspended, endsToday, endsTomorrow].map((c) => store.get(tenantId, c.contractId)));
    expect(after.map((c) => c?.version)).toEqual([2, 2, 1, 1]);
  });

  it('finds the tenant in the registry when the event names none', async () => {
    expect(await new DynamoTenantDirectory(document, table).listTenantIds()).toContain(tenantId);
  });
});

describe('contract expiry in the tenant zone', () => {
  it('takes "today" in the tenant zone, not in Shanghai', async () => {
    // Prepare: at Shanghai noon it is still the previous evening in Los Angeles, so a contract
    // that ended yesterday in Shanghai's calendar ends "today" there and still runs.
    const tenantId = await tenant('expiryla', 'America/Los_Angeles');
    const endedInShanghai = await contract(tenantId, addDays(today, -1));

    const summary = await createContractExpiryHandler(depsWith(), quiet)({ tenants: [tenantId] });

    expect(summary.expired).toBe(0);
    expect((await store.get(tenantId, endedInShanghai.contractId))?.status).toBe('active');
  });
});

describe('contract expiry with concurrent changes and failures', () => {
  it('skips a contract changed since it was read, and expires it on the next run', async () => {
    // Prepare: a store whose first save finds the version moved, as a concurrent amendment would.
    const tenantId = await tenant('expirystale');
    const c = await contract(tenantId, addDays(today, -1));
    let raced = false;
    const racing: ContractStore = {
      get: (t, id) => store.get(t, id),
      list: (t, filter, page) => store.list(t, filter, page),
      listActiveByServiceType: (t, serviceType) => store.listActiveByServiceType(t, serviceType),
      save: async (write) => {
        if (!raced) {
          raced = true;
          throw new StaleVersionError('contract', write.contract.contractId, write.expectedVersion ?? 0, (write.expectedVersion ?? 0) + 1);
        }
        return store.save(write);
      },
    };

    const first = await createContractExpiryHandler(depsWith({ contracts: racing }), quiet)({ tenants: [tenantId] });
    const second = await createContractExpiryHandler(depsWith({ contracts: racing }), quiet)({ tenants: [tenantId] });

    expect([first.expired, first.failed]).toEqual([0, []]);
    expect(second.expired).toBe(1);
    expect((await store.get(tenantId, c.contractId))?.status).toBe('expired');
  });

  it('expires the other tenants when one fails, then fails the invocation', async () => {
    const good = await tenant('expirygood');
    const c = await contract(good, addDays(today, -1));

    const run = createContractExpiryHandler(depsWith(), quiet)({ tenants: ['tnt_not_registered_expiry', good] });

    await expect(run).rejects.toThrow(/failed for 1 of 2 tenants: tnt_not_registered_expiry/);
    expect((await store.get(good, c.contractId))?.status).toBe('expired');
  });
});
