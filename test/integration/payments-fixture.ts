import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { expect } from 'vitest';
import { addMonths } from '../../domain/assessment/months';
import { contractIdFrom, newContract } from '../../domain/contracts/contract';
import { CreateContractInput, type Contract } from '../../domain/contracts/schema';
import type { Contractor } from '../../domain/contractors/schema';
import { localDate } from '../../domain/dates';
import { rulebookFromTemplate, templateById } from '../../domain/rulebooks/templates';
import type { Segment } from '../../domain/segments/schema';
import { DynamoContractStore } from '../../functions/adapters/dynamodb/contract-store';
import { entityTypes, keys } from '../../functions/adapters/dynamodb/keys';
import { createMonthlyCloseHandler, type MonthlyCloseDeps, type MonthlyCloseLog } from '../../functions/events/monthly-close';
import { monthlyCloseDeps } from '../../functions/events/monthly-close-deps';
import { api, tokenFor, uniqueTenantId } from '../helpers/api';
import { localDynamo, localStack } from '../helpers/local-stack';

/**
 * A tenant (with its zone item) and two active cleaning contracts of two contractors that
 * started on the 1st of the previous month, written through the contract store (the API
 * refuses back-dated activations); the month to close is that previous month.
 */

const zone = 'Asia/Shanghai';
const nextUlid = monotonicFactory();
export const closedMonth = addMonths(localDate(new Date(), zone).slice(0, 7), -1);
export const quietClose: MonthlyCloseLog = { info: () => undefined, error: () => undefined };

export interface PaymentsDistrict {
  readonly tenantId: string;
  readonly contracts: readonly Contract[];
  readonly contractorIds: readonly string[];
  readonly segmentId: string;
  /** Adds one more active contract (same shape) to the tenant. */
  addContract(): Promise<Contract>;
}

export function documentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(localDynamo(), { marshallOptions: { removeUndefinedValues: true } });
}

export async function paymentsDistrict(label: string): Promise<PaymentsDistrict> {
  const document = documentClient();
  const table = localStack().tables.main;
  const tenantId = uniqueTenantId(label);
  await document.send(new PutCommand({ TableName: table, Item: { ...keys.tenant(tenantId), entity: entityTypes.tenant, tenantId, name: `${label} 区`, zone, createdAt: new Date().toISOString() } }));
  const procurement = await tokenFor('procurement', { tenantId });
  const registered = await Promise.all(
    [
      { code: '91310106MA1FY0AB17', name: '上海洁城环境服务有限公司' },
      { code: '91310106MA1FY0AB2A', name: '上海清源保洁有限公司' },
    ].map((body) => api.request<Contractor>('POST', '/v1/contractors', { token: procurement, body })),
  );
  expect(registered.map((r) => r.status)).toEqual([201, 201]);
  const contractorIds = registered.map((r) => r.json.contractorId);
  const segment = await api.request<Segment>('POST', '/v1/segments', {
    token: procurement,
    body: { name: '月结路1号段', street: '南京西路街道', grade: 'branch', flags: [], widthM: 12, geometry: { type: 'LineString', coordinates: [[121.481, 31.2231], [121.4822, 31.2237]] } },
  });
  expect(segment.status, segment.text).toBe(201);
  const segmentId = segment.json.segmentId;
  const store = new DynamoContractStore(document, table);
  const first = `${closedMonth}-01`;
  let count = 0;
  const addContract = async (): Promise<Contract> => {
    const contractorId = contractorIds[count % 2] as string;
    count += 1;
    const fields = CreateContractInput.parse({
      contractorId,
      serviceType: 'cleaning',
      title: `月结测试保洁合同${count}`,
      origin: { kind: 'direct' },
      startDate: first,
      endDate: `${Number(first.slice(0, 4)) + 1}${first.slice(4)}`,
      performanceBondFen: 100_000,
      scope: [segmentId],
      pricing: { kind: 'lump_sum', monthlyFen: 3_000_000 + count * 100_000 },
      rulebookTemplateId: 'cleaning-standard',
    });
    const draft = newContract(fields, { tenantId, contractId: contractIdFrom(nextUlid()), rulebook: rulebookFromTemplate(templateById('cleaning-standard')!), at: new Date(`${first}T00:00:00+08:00`), by: 'usr_test' });
    const contract = { ...draft, status: 'active' as const };
    await store.save({ contract, expectedVersion: undefined });
    return contract;
  };
  const contracts = [await addContract(), await addContract()];
  return { tenantId, contracts, contractorIds, segmentId, addContract };
}

/** The monthly-close handler on the local stack, optionally with some ports replaced. */
export function closeHandler(overrides: Partial<MonthlyCloseDeps> = {}): (event: unknown) => Promise<unknown> {
  return createMonthlyCloseHandler(() => ({ ...monthlyCloseDeps(), ...overrides }), quietClose);
}
